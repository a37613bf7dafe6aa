-- Index what is already recorded.
INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  SELECT a.id * 4, 'action', a.ref, a.service_id, NULL, a.meeting_id, o.name, a.text
  FROM actions a JOIN owners o ON o.id = a.owner_id;
INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  SELECT d.id * 4 + 1, 'decision', CAST(d.id AS TEXT), d.service_id, m.period, d.meeting_id, '', d.text
  FROM decisions d JOIN meetings m ON m.id = d.meeting_id;
INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  SELECT id * 4 + 2, 'finding', kind, service_id, period, NULL, theme, text FROM audit_findings;
INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  SELECT id * 4 + 3, 'feedback', source, service_id, period, NULL, theme,
         (SELECT group_concat(value, ' ') FROM json_each(quotes)) FROM feedback_themes;
