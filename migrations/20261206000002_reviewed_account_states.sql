-- No single person empties the leading group or gets around it. Disabling, re-enabling and
-- reopening (a sealed account) an account that holds a privileged role become requests for
-- a leading-group member's approval, like taking the role away: the request kinds grow by
-- three (SQLite changes a CHECK by rebuilding the table).
CREATE TABLE role_grant_requests_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('records_admin', 'system_admin', 'leader', 'leading_group')),
    proposed_by INTEGER NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision TEXT CHECK (decision IN ('approved', 'rejected')),
    kind TEXT NOT NULL DEFAULT 'grant'
        CHECK (kind IN ('grant', 'revoke', 'reset', 'disable', 'enable', 'reopen')),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    CHECK ((decided_by IS NULL) = (decision IS NULL))
) STRICT;
INSERT INTO role_grant_requests_new
    (id, user_id, role, proposed_by, proposed_at, decided_by, decided_at, decision, kind, state)
SELECT id, user_id, role, proposed_by, proposed_at, decided_by, decided_at, decision, kind, state
FROM role_grant_requests;
DROP TABLE role_grant_requests;
ALTER TABLE role_grant_requests_new RENAME TO role_grant_requests;
CREATE UNIQUE INDEX role_grant_requests_open ON role_grant_requests (user_id, role, kind)
    WHERE decision IS NULL;

-- A leak report's freeze is a state of its own, apart from `disabled`: the system
-- administrator's Enable does not lift it, and an account stays frozen while any report
-- keeps it frozen. Accounts frozen before this (they were disabled) stay disabled too.
ALTER TABLE users ADD COLUMN frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1));
UPDATE users SET frozen = 1 WHERE id IN (
    SELECT subject_id FROM leak_report_subjects
    WHERE kind = 'account' AND frozen_at IS NOT NULL AND unfrozen_at IS NULL
);
-- Freezing the holder of a privileged role takes a second person: the freeze proposed by one
-- leader waits, on the report, for another leader or a leading-group member to confirm it.
ALTER TABLE leak_report_subjects ADD COLUMN freeze_proposed_by INTEGER REFERENCES users (id);
ALTER TABLE leak_report_subjects ADD COLUMN freeze_proposed_at TEXT;
