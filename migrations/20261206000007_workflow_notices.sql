-- One name for what the portal tells a person: a notice. A workflow's notices say which of
-- its objects changed (by workflow and id, never what the object holds); the notices of
-- `notices` tell of accounts (a password reset, a search budget passed).
ALTER TABLE notifications RENAME TO workflow_notices;
DROP INDEX notifications_by_recipient;
CREATE INDEX workflow_notices_by_recipient ON workflow_notices (recipient_id, read_at, id);
