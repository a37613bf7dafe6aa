-- Schema v5: the file's own mark, so a write-ahead log is never replayed
-- into a database it does not belong to. SQLite's WAL names no database:
-- a screen whose file was replaced (mv b.db a.db) or a kill -9 leaves
-- a.db-wal beside a file it was not written for, and SQLite would apply it.
-- Each database gets a random token, and every write transaction of qprm
-- also rewrites the mark's page (`Store::stamp`), so every transaction in
-- a WAL carries its database's token. Opening compares the token in the
-- file alone (immutable) with the token seen through the WAL (store/open.rs).
CREATE TABLE file_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL,
  writes INTEGER NOT NULL DEFAULT 0
);
INSERT INTO file_mark (id, token) VALUES (1, lower(hex(randomblob(16))));
