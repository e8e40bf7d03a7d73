-- A number that two records share is a clash for a records administrator to resolve, not
-- an answer to the person who typed it: "already in the school" told a teacher that a
-- number belongs to some other class's child. The blind indexes stop being UNIQUE (SQLite
-- drops such a constraint only by rebuilding the table; sqlx runs a migration inside a
-- transaction, where foreign keys cannot be switched off, so they are deferred: the rows are
-- copied aside, the table made anew and the rows put back, which satisfies every family
-- member's, revision's and search key's reference again before the commit checks them); the
-- service decides whom a clash is told.
-- Also: how many exact-number searches each person made in the current hour, and the
-- notices that tell records administrators when someone went past that budget (and tell a
-- person, at their next sign-in, that their password was reset).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE students_aside AS SELECT * FROM students;
DROP TABLE students;

CREATE TABLE students (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    class_id INTEGER NOT NULL REFERENCES classes (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'returned')),
    top_secret INTEGER NOT NULL DEFAULT 0 CHECK (top_secret IN (0, 1)),
    return_reason TEXT,
    -- Ordinary (普通) fields.
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    birthplace TEXT NOT NULL,
    native_place TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    nationality TEXT NOT NULL,
    document_type TEXT NOT NULL,
    hukou_region TEXT NOT NULL,
    hukou_nature TEXT NOT NULL,
    enrolment_month TEXT NOT NULL,
    enrolment_mode TEXT NOT NULL,
    attendance_mode TEXT NOT NULL,
    -- Classified fields, encrypted together; the blind indexes find a number without it.
    -- Two records may share one (a clash, shown to records administrators only).
    sealed BLOB NOT NULL,
    id_number_index BLOB NOT NULL,
    student_number_index BLOB,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    left_at TEXT,
    left_reason TEXT CHECK (left_reason IN ('graduated'))
) STRICT;

INSERT INTO students (
    id, public_id, class_id, status, top_secret, return_reason, name, sex, birth_date,
    birthplace, native_place, ethnicity, nationality, document_type, hukou_region,
    hukou_nature, enrolment_month, enrolment_mode, attendance_mode, sealed, id_number_index,
    student_number_index, created_by, created_at, updated_at, submitted_at, left_at, left_reason
)
SELECT
    id, public_id, class_id, status, top_secret, return_reason, name, sex, birth_date,
    birthplace, native_place, ethnicity, nationality, document_type, hukou_region,
    hukou_nature, enrolment_month, enrolment_mode, attendance_mode, sealed, id_number_index,
    student_number_index, created_by, created_at, updated_at, submitted_at, left_at, left_reason
FROM students_aside;
DROP TABLE students_aside;

CREATE INDEX students_by_class ON students (class_id, name);
CREATE INDEX students_by_status ON students (status, submitted_at);
CREATE INDEX students_by_id_number_index ON students (id_number_index);
CREATE INDEX students_by_student_number_index ON students (student_number_index);

CREATE TABLE number_search_budget (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    window_started_at TEXT NOT NULL,   -- the hour this count is for (UTC, RFC 3339)
    used INTEGER NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0 CHECK (reported IN (0, 1))
) STRICT;

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('number_search_budget', 'password_reset')),
    subject_user_id INTEGER REFERENCES users (id),
    audit_seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
) STRICT;
CREATE INDEX notices_by_recipient ON notices (recipient_id, read_at, id);
