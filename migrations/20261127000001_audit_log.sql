-- The audit trail: append-only and HMAC-chained (see app/src/services/audit.rs).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,          -- 1, 2, 3…: two appends can never share a predecessor
    occurred_at TEXT NOT NULL,        -- UTC, RFC 3339 with microseconds
    actor_id INTEGER,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    classification TEXT NOT NULL CHECK (classification IN ('ordinary', 'confidential', 'top_secret')),
    client TEXT,
    reason TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    details TEXT,                     -- JSON of ids and field names, never values
    prev_mac BLOB NOT NULL,
    mac BLOB NOT NULL
) STRICT;

CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- Check values of the keys in the key file (an HMAC of a fixed text), so that the server
-- can refuse a key file that does not belong to this database.
CREATE TABLE key_checks (
    purpose TEXT PRIMARY KEY,
    check_value BLOB NOT NULL
) STRICT;
