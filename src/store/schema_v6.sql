-- Schema v6: the meeting's own record after `meeting new`. Attendance
-- changes (late arrivals, apologies sent on the day, a new chair) and the
-- agreement of the minutes are kept in `meeting_history`, one row per
-- change, as actions and decisions keep theirs. A meeting whose minutes
-- were approved carries when and by which actor on its row, so every write
-- can refuse to change an approved record with one lookup.
CREATE TABLE meeting_history (
  id         INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  -- attendance: `subject` is the person, old/new are present|apologies|NULL;
  -- chair: old/new are the names; minutes: old/new are not_approved|approved|reopened.
  field      TEXT NOT NULL CHECK (field IN ('attendance', 'chair', 'minutes')),
  subject    TEXT,
  old        TEXT,
  new        TEXT,
  note       TEXT
);
CREATE INDEX meeting_history_meeting ON meeting_history(meeting_id, id);
ALTER TABLE meetings ADD COLUMN approved_at TEXT;
ALTER TABLE meetings ADD COLUMN approved_by TEXT;
