-- What a leak report names that matches no student or account, as the reporter wrote it: the
-- form no longer says whether a record id or a username exists (it would be an oracle), so
-- what it cannot match is kept for those who handle the report to look into. JSON:
-- {"students": [...], "accounts": [...]}; record ids and usernames only, never a value.
ALTER TABLE leak_reports ADD COLUMN unresolved TEXT NOT NULL DEFAULT '{}';
