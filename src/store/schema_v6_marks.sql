-- Schema v6's tables get schema v5's mark triggers too (see schema_v5.sql):
-- a write to any table must stamp the file's mark, or a WAL holding only
-- such writes could be replayed into another database unnoticed.
CREATE TRIGGER mark_meeting_history_ins AFTER INSERT ON meeting_history BEGIN UPDATE file_mark SET writes = writes + 1; END;
CREATE TRIGGER mark_meeting_history_upd AFTER UPDATE ON meeting_history BEGIN UPDATE file_mark SET writes = writes + 1; END;
CREATE TRIGGER mark_meeting_history_del AFTER DELETE ON meeting_history BEGIN UPDATE file_mark SET writes = writes + 1; END;
