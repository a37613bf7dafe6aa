-- Schema v11: periods where an indicator's process changed (a new service
-- model), so statistical process control computes its limits separately
-- before and after. From a pack (`rebase` on an indicator) or the command
-- line (`kpi CODE --rebase P`). `--no-rebase P` sets `active` to 0 rather
-- than deleting the row, so a pack re-imported later does not bring back a
-- rebase someone took out.
CREATE TABLE spc_rebases (
  indicator_code TEXT NOT NULL REFERENCES indicators(code),
  period         TEXT NOT NULL,
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  source         TEXT NOT NULL,   -- the actor: import, cli
  changed_at     TEXT NOT NULL,
  PRIMARY KEY (indicator_code, period)
) WITHOUT ROWID;
