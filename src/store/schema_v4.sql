-- Schema v4: "my open actions" answered from one index. Open actions are a
-- small share of ten years' log, so a partial index holding every column
-- the action log shows is small, and an owner's open actions are read
-- from a few adjacent pages instead of one table page per row.
CREATE INDEX actions_owner_open ON actions (
  owner_id, status, due, ref, text, service_id, meeting_id, indicator_code, source, created_at, updated_at
) WHERE status IN ('open', 'in_progress');

-- The meeting screen's Actions section, one page at a time, on ten years of
-- history: a service's open actions in due order (meeting_id and status
-- included, so counting and skipping to a page never read the table), the
-- actions raised
-- at a meeting per service in due order (it replaces the plain meeting
-- index), and the status changes that closed actions at a meeting.
CREATE INDEX actions_service_open ON actions (service_id, due, meeting_id, status)
  WHERE status IN ('open', 'in_progress');
DROP INDEX actions_meeting;
CREATE INDEX actions_meeting_service ON actions (meeting_id, service_id, due);
CREATE INDEX action_history_closures ON action_history (meeting_id, action_id)
  WHERE field = 'status' AND new IN ('done', 'dropped');
