-- 问题学籍: the problem records a records administrator clears. The portal finds most of
-- them itself from the records as they are (a number two records hold, an identity number
-- that fails GB 11643, two records without one alike in name, sex and birth date); these
-- tables keep what it cannot compute:
-- * `problem_feedback`: what the national system's check said of a pupil's number
--   (身份证号不存在, 与姓名不匹配), as a records administrator imported it;
-- * `problem_evidence`: 佐证, a records administrator's word that a flagged record is right,
--   naming the document they checked (a code, never free text);
-- and a duplicate is deleted by an approved change of status of the kind `duplicate`
-- (SQLite changes a CHECK only by making the table anew, as 20261207000009 did).
-- Both tables go with their student when a destruction batch erases the student.
CREATE TABLE problem_feedback (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL CHECK (kind IN ('not_found', 'name_mismatch')),
    imported_by INTEGER NOT NULL REFERENCES users (id),
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX problem_feedback_by_student ON problem_feedback (student_id, kind);

CREATE TABLE problem_evidence (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL CHECK (kind IN ('id_invalid', 'look_alike', 'not_found', 'name_mismatch')),
    other_student_id INTEGER REFERENCES students (id), -- a look-alike's other record
    document TEXT NOT NULL,                              -- which document was checked (a code)
    given_by INTEGER NOT NULL REFERENCES users (id),
    given_at TEXT NOT NULL,
    CHECK ((kind = 'look_alike') = (other_student_id IS NOT NULL))
) STRICT;
CREATE INDEX problem_evidence_by_student ON problem_evidence (student_id, kind);
CREATE INDEX problem_evidence_by_other ON problem_evidence (other_student_id);

PRAGMA defer_foreign_keys = ON;

CREATE TABLE status_changes_aside AS SELECT * FROM status_changes;
DROP TABLE status_changes;

CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL CHECK (kind IN ('transfer_out', 'transfer_in', 'suspend', 'resume',
        'drop_out', 'death', 'abroad', 'other_leave', 'repeat_grade', 'skip_grade',
        'key_data', 'duplicate')),
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
    to_class_id, key_fields, sealed
)
SELECT
    id, public_id, student_id, kind, reason, effective_on, other_school, other_school_code,
    state, filed_by, filed_at, decided_by, decided_at, decision_comment, from_class_id,
    to_class_id, key_fields, sealed
FROM status_changes_aside;
DROP TABLE status_changes_aside;

-- One application waits per student at a time.
CREATE UNIQUE INDEX status_changes_one_filed ON status_changes (student_id) WHERE state = 'filed';
CREATE INDEX status_changes_by_state ON status_changes (state, id);
CREATE INDEX status_changes_by_student ON status_changes (student_id, id);
