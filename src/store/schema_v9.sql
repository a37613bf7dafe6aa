-- Schema v9: the minutes of a late meeting read without a table page per
-- action. A service's open actions in list order (due, meeting, id) with
-- every column the minutes print, so its thousands of carried-forward
-- actions are read from adjacent index pages; and the changes recorded
-- between meetings (no meeting) by time, so the changes a meeting reviews
-- are found without reading every action's history. Open actions and
-- between-meeting changes are a small share of ten years' log.
-- `id` follows the list's order (due, meeting, id), so the rows come out
-- of the index already in order, with no sort.
CREATE INDEX IF NOT EXISTS actions_service_open_rows ON actions (
  service_id, due, meeting_id, id, status, ref, text, owner_id, indicator_code, source, created_at, updated_at
) WHERE status IN ('open', 'in_progress');
CREATE INDEX IF NOT EXISTS action_history_between ON action_history (at, action_id) WHERE meeting_id IS NULL;
