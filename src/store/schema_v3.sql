-- qprm schema version 3: full-text search over actions, decisions, audit
-- findings and feedback themes (with their quotes). One FTS5 table; each
-- row's rowid is its source row's id * 4 + a kind code (0 action,
-- 1 decision, 2 finding, 3 feedback), so triggers update or delete an entry
-- by rowid instead of scanning. Kept in sync by triggers, so every writer
-- (screen, CLI, import) keeps it current without knowing it exists.

CREATE VIRTUAL TABLE search_index USING fts5(
  kind UNINDEXED, ref UNINDEXED, service UNINDEXED, period UNINDEXED, meeting UNINDEXED,
  title, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_action_insert AFTER INSERT ON actions BEGIN
  INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  VALUES (new.id * 4, 'action', new.ref, new.service_id, NULL, new.meeting_id,
          (SELECT name FROM owners WHERE id = new.owner_id), new.text);
END;
CREATE TRIGGER search_action_update AFTER UPDATE OF text, owner_id, service_id ON actions BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4;
  INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  VALUES (new.id * 4, 'action', new.ref, new.service_id, NULL, new.meeting_id,
          (SELECT name FROM owners WHERE id = new.owner_id), new.text);
END;

CREATE TRIGGER search_decision_insert AFTER INSERT ON decisions BEGIN
  INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  VALUES (new.id * 4 + 1, 'decision', CAST(new.id AS TEXT), new.service_id,
          (SELECT period FROM meetings WHERE id = new.meeting_id), new.meeting_id, '', new.text);
END;
CREATE TRIGGER search_decision_update AFTER UPDATE OF text ON decisions BEGIN
  UPDATE search_index SET body = new.text WHERE rowid = new.id * 4 + 1;
END;

CREATE TRIGGER search_finding_insert AFTER INSERT ON audit_findings BEGIN
  INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  VALUES (new.id * 4 + 2, 'finding', new.kind, new.service_id, new.period, NULL, new.theme, new.text);
END;
CREATE TRIGGER search_finding_delete AFTER DELETE ON audit_findings BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
END;

CREATE TRIGGER search_feedback_insert AFTER INSERT ON feedback_themes BEGIN
  INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
  VALUES (new.id * 4 + 3, 'feedback', new.source, new.service_id, new.period, NULL, new.theme,
          (SELECT group_concat(value, ' ') FROM json_each(new.quotes)));
END;
CREATE TRIGGER search_feedback_delete AFTER DELETE ON feedback_themes BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END;

