-- The chair's selected row and running timer, for screens that follow it
-- (a projector details the indicator the chair has selected, and shows the
-- chair's time on the item).
ALTER TABLE meeting_presence ADD COLUMN selected_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting_presence ADD COLUMN timer_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting_presence ADD COLUMN timer_running INTEGER NOT NULL DEFAULT 0;
