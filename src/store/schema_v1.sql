-- qprm schema version 1. Services, indicators and their monthly values come
-- from packs; meetings, actions and decisions are recorded live. Every change
-- to an action or decision is kept in a history table; nothing is deleted.

CREATE TABLE services (
  id        TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  head      TEXT,
  position  INTEGER NOT NULL          -- default agenda order: first seen first
);

CREATE TABLE indicators (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  polarity    TEXT NOT NULL,
  priority    TEXT,
  service_id  TEXT REFERENCES services(id),
  baseline    REAL,
  baseline_period TEXT,
  target      REAL,
  target_period TEXT,
  england     REAL,
  statistical_neighbours REAL
);
CREATE INDEX indicators_service ON indicators(service_id, code);

CREATE TABLE kpi_values (
  indicator_code TEXT NOT NULL REFERENCES indicators(code),
  period         TEXT NOT NULL,
  service_id     TEXT NOT NULL REFERENCES services(id),
  value          REAL NOT NULL,
  note           TEXT,
  PRIMARY KEY (indicator_code, period)
) WITHOUT ROWID;
CREATE INDEX kpi_values_service_period ON kpi_values(service_id, period);

CREATE TABLE audit_summaries (
  service_id  TEXT NOT NULL REFERENCES services(id),
  period      TEXT NOT NULL,
  completed   INTEGER NOT NULL,
  outstanding INTEGER NOT NULL,
  good        INTEGER NOT NULL,
  requires_improvement INTEGER NOT NULL,
  inadequate  INTEGER NOT NULL,
  with_family_feedback INTEGER NOT NULL,
  good_or_better_target REAL,
  family_feedback_target REAL,
  PRIMARY KEY (service_id, period)
) WITHOUT ROWID;

CREATE TABLE audit_findings (
  id         INTEGER PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES services(id),
  period     TEXT NOT NULL,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('strength', 'improvement')),
  theme      TEXT NOT NULL,
  text       TEXT NOT NULL
);
CREATE INDEX audit_findings_service_period ON audit_findings(service_id, period, position);

CREATE TABLE feedback_themes (
  id         INTEGER PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES services(id),
  period     TEXT NOT NULL,
  position   INTEGER NOT NULL,
  source     TEXT NOT NULL,
  theme      TEXT NOT NULL,
  count      INTEGER NOT NULL CHECK (count >= 1),
  sentiment  TEXT NOT NULL,
  quotes     TEXT NOT NULL              -- JSON array of strings
);
CREATE INDEX feedback_themes_service_period ON feedback_themes(service_id, period, position);

CREATE TABLE meetings (
  id         INTEGER PRIMARY KEY,
  date       TEXT NOT NULL,
  period     TEXT NOT NULL,
  chair      TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX meetings_date ON meetings(date, id);

CREATE TABLE meeting_people (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  role       TEXT NOT NULL CHECK (role IN ('attendee', 'apology')),
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (meeting_id, role, position)
) WITHOUT ROWID;

CREATE TABLE agenda_items (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  position   INTEGER NOT NULL,
  service_id TEXT NOT NULL REFERENCES services(id),
  PRIMARY KEY (meeting_id, position)
) WITHOUT ROWID;

-- Owners are few; a substring lookup scans this small table, then reaches
-- actions through the owner index instead of scanning every action.
CREATE TABLE owners (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE,
  folded TEXT NOT NULL                -- lower-cased (Unicode) for matching
);

CREATE TABLE actions (
  id             INTEGER PRIMARY KEY,
  ref            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  text           TEXT NOT NULL,
  owner_id       INTEGER NOT NULL REFERENCES owners(id),
  service_id     TEXT REFERENCES services(id),
  due            TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
  meeting_id     INTEGER REFERENCES meetings(id),
  indicator_code TEXT REFERENCES indicators(code),
  source         TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX actions_owner ON actions(owner_id, status, due);
CREATE INDEX actions_service ON actions(service_id, status, due);
CREATE INDEX actions_status_due ON actions(status, due);
CREATE INDEX actions_due ON actions(due);
CREATE INDEX actions_meeting ON actions(meeting_id);

-- Counter for generated refs (A1, A2, ...), so a ref is never reused.
CREATE TABLE ref_counter (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  next INTEGER NOT NULL
);
INSERT INTO ref_counter (id, next) VALUES (1, 1);

CREATE TABLE action_history (
  id         INTEGER PRIMARY KEY,
  action_id  INTEGER NOT NULL REFERENCES actions(id),
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,             -- cli, import, chair, minutes...
  meeting_id INTEGER REFERENCES meetings(id),
  field      TEXT NOT NULL,             -- created, status, due, owner, text, service, note...
  old        TEXT,
  new        TEXT,
  note       TEXT
);
CREATE INDEX action_history_action ON action_history(action_id, id);
CREATE INDEX action_history_meeting ON action_history(meeting_id);

CREATE TABLE decisions (
  id         INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  service_id TEXT REFERENCES services(id),
  text       TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'withdrawn')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id, service_id, id);
CREATE INDEX decisions_service ON decisions(service_id, id);

CREATE TABLE decision_history (
  id          INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES decisions(id),
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  field       TEXT NOT NULL,
  old         TEXT,
  new         TEXT,
  note        TEXT
);
CREATE INDEX decision_history_decision ON decision_history(decision_id, id);

CREATE TABLE imports (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  file         TEXT NOT NULL,
  period       TEXT NOT NULL,
  organisation TEXT,
  added        INTEGER NOT NULL,
  changed      INTEGER NOT NULL,
  unchanged    INTEGER NOT NULL
);

-- What --replace overwrote: the stored value before, the pack's value after.
CREATE TABLE replaced_values (
  id        INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id),
  item      TEXT NOT NULL,
  old       TEXT,
  new       TEXT
);
CREATE INDEX replaced_values_import ON replaced_values(import_id);
