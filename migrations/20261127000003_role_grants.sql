-- Requests to grant a privileged role, approved or rejected by a leading-group member who is
-- neither the proposer nor the grantee.
CREATE TABLE role_grant_requests (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('records_admin', 'system_admin', 'leader', 'leading_group')),
    proposed_by INTEGER NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision TEXT CHECK (decision IN ('approved', 'rejected')),
    CHECK ((decided_by IS NULL) = (decision IS NULL))
) STRICT;

-- At most one open request per person and role.
CREATE UNIQUE INDEX role_grant_requests_open ON role_grant_requests (user_id, role) WHERE decision IS NULL;
