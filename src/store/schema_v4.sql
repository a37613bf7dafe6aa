-- Schema v4: "my open actions" answered from one index. Open actions are a
-- small share of ten years' log, so a partial index holding every column
-- the action log shows is small, and an owner's open actions are read
-- from a few adjacent pages instead of one table page per row.
CREATE INDEX actions_owner_open ON actions (
  owner_id, status, due, ref, text, service_id, meeting_id, indicator_code, source, created_at, updated_at
) WHERE status IN ('open', 'in_progress');
