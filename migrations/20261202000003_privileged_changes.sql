-- No single person walks around the leading group. A request now asks one of three things
-- of a privileged role's holder: to grant it (as before), to take it away, or to reset the
-- holder's password; each needs a leading-group member's approval (a leader's when no other
-- member is there to give it).
ALTER TABLE role_grant_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'grant'
    CHECK (kind IN ('grant', 'revoke', 'reset'));
DROP INDEX role_grant_requests_open;
CREATE UNIQUE INDEX role_grant_requests_open ON role_grant_requests (user_id, role, kind)
    WHERE decision IS NULL;

-- Facts about the school that, once true, stay true: since when it has had a leading group
-- (after which a privileged change never goes through directly again, even with no member
-- left).
CREATE TABLE school_facts (
    fact TEXT PRIMARY KEY CHECK (fact IN ('leading_group')),
    since TEXT NOT NULL
) STRICT;
INSERT INTO school_facts (fact, since)
SELECT 'leading_group', MIN(granted_at) FROM user_roles WHERE role = 'leading_group'
HAVING COUNT(*) > 0;
