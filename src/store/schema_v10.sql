-- qprm schema version 10: drafts belong to the screen that typed them (who,
-- on which terminal), not to a role. A chair hand-over moves no draft; a
-- new chair's typing never overwrites the crashed chair's words, which are
-- offered back when that person reopens qprm on that terminal. Drafts
-- written before keep their role name as their key.
ALTER TABLE drafts RENAME COLUMN role TO screen;

-- Which write transaction last landed: every write stamps a fresh value
-- (`Store::stamp`), so after a commit that reported an I/O error the
-- writer can re-read whether its own transaction is there
-- (`Store::settle_failed_write`) and say only what is true.
ALTER TABLE file_mark ADD COLUMN last_write TEXT;
