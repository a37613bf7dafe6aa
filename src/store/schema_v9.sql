-- qprm schema version 9: drafts belong to the screen that typed them (who,
-- on which terminal), not to a role. A chair hand-over moves no draft; a
-- new chair's typing never overwrites the crashed chair's words, which are
-- offered back when that person reopens qprm on that terminal. Drafts
-- written before keep their role name as their key.
ALTER TABLE drafts RENAME COLUMN role TO screen;
