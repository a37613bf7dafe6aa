-- qprm schema version 2: live meetings. Which instance is the chair and
-- where it is (so --follow screens move with it, across processes and
-- restarts), and unsaved form drafts (so a crash loses no typed word).

CREATE TABLE meeting_presence (
  meeting_id   INTEGER PRIMARY KEY REFERENCES meetings(id),
  chair_id     TEXT NOT NULL,          -- the chair instance's random id
  chair_label  TEXT NOT NULL,          -- shown on screen: user@host pid
  heartbeat_at INTEGER NOT NULL,       -- unix seconds; stale after 15 s
  agenda_index INTEGER NOT NULL DEFAULT 0,
  section      INTEGER NOT NULL DEFAULT 0,
  on_overview  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE drafts (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  role       TEXT NOT NULL,            -- chair or minutes: one draft per role
  kind       TEXT NOT NULL,            -- new_action, decision, ...
  target     TEXT,                     -- the service (new items) or action ref (edits)
  fields     TEXT NOT NULL,            -- JSON array of field texts
  saved_at   TEXT NOT NULL,
  PRIMARY KEY (meeting_id, role)
) WITHOUT ROWID;
