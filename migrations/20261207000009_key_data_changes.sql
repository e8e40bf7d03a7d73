-- 关键数据变更: after a record is verified, its key data (name, sex, birth date, identity
-- document and number, ethnicity, nationality, 户口) changes only through an application a
-- records administrator files with proof and a leader approves, on the same table, workflow
-- and proofs as a change of status. `key_fields` names the fields it changes (never their
-- values); `sealed` holds the new values, sealed like the record's classified fields
-- (a key-data application has them, no other kind does). SQLite changes a CHECK only by
-- making the table anew (as 20261207000001 did for `students`).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE status_changes_aside AS SELECT * FROM status_changes;
DROP TABLE status_changes;

CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL CHECK (kind IN ('transfer_out', 'transfer_in', 'suspend', 'resume',
        'drop_out', 'death', 'abroad', 'other_leave', 'repeat_grade', 'skip_grade',
        'key_data')),
    reason TEXT NOT NULL,                  -- a code of the kind's reasons, never free text
    effective_on TEXT NOT NULL,            -- the day the change takes effect
    other_school TEXT NOT NULL DEFAULT '', -- a transfer's other school, and its code
    other_school_code TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('filed', 'approved', 'returned', 'withdrawn')),
    filed_by INTEGER NOT NULL REFERENCES users (id),
    filed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_comment TEXT,
    from_class_id INTEGER REFERENCES classes (id),
    to_class_id INTEGER REFERENCES classes (id),
    key_fields TEXT NOT NULL DEFAULT '',
    sealed BLOB,
    CHECK (decided_by IS NULL OR decided_by <> filed_by),
    CHECK ((kind = 'key_data') = (sealed IS NOT NULL))
) STRICT;

INSERT INTO status_changes (
    id, public_id, student_id, kind, reason, effective_on, other_school, other_school_code,
    state, filed_by, filed_at, decided_by, decided_at, decision_comment, from_class_id,
    to_class_id
)
SELECT
    id, public_id, student_id, kind, reason, effective_on, other_school, other_school_code,
    state, filed_by, filed_at, decided_by, decided_at, decision_comment, from_class_id,
    to_class_id
FROM status_changes_aside;
DROP TABLE status_changes_aside;

-- One application waits per student at a time.
CREATE UNIQUE INDEX status_changes_one_filed ON status_changes (student_id) WHERE state = 'filed';
CREATE INDEX status_changes_by_state ON status_changes (state, id);
CREATE INDEX status_changes_by_student ON status_changes (student_id, id);
