-- A destroyed record's birth date is NULL, not '': PostgreSQL keeps birth dates as DATE,
-- which has no empty value, and both engines erase alike. `students` is rebuilt (as
-- 20261204000004 did): SQLite drops a NOT NULL only by making the table anew.
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
    -- Ordinary (普通) fields ('' once destroyed; the birth date NULL).
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT CHECK (birth_date IS NOT NULL OR destroyed_at IS NOT NULL),
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
    -- Two records may share one (a clash, shown to records administrators only). Empty
    -- once destroyed.
    sealed BLOB NOT NULL,
    id_number_index BLOB NOT NULL,
    student_number_index BLOB,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    left_at TEXT,
    left_reason TEXT CHECK (left_reason IN ('graduated', 'transferred', 'other')),
    destroyed_at TEXT,
    destruction_id INTEGER REFERENCES destructions (id),
    left_recorded_at TEXT,
    left_marked_by INTEGER REFERENCES users (id),
    CHECK (destroyed_at IS NULL OR left_at IS NOT NULL)
) STRICT;

INSERT INTO students (
    id, public_id, class_id, status, top_secret, return_reason, name, sex, birth_date,
    birthplace, native_place, ethnicity, nationality, document_type, hukou_region,
    hukou_nature, enrolment_month, enrolment_mode, attendance_mode, sealed, id_number_index,
    student_number_index, created_by, created_at, updated_at, submitted_at, left_at, left_reason,
    destroyed_at, destruction_id, left_recorded_at, left_marked_by
)
SELECT
    id, public_id, class_id, status, top_secret, return_reason, name, sex,
    CASE WHEN destroyed_at IS NULL THEN birth_date END,
    birthplace, native_place, ethnicity, nationality, document_type, hukou_region,
    hukou_nature, enrolment_month, enrolment_mode, attendance_mode, sealed, id_number_index,
    student_number_index, created_by, created_at, updated_at, submitted_at, left_at, left_reason,
    destroyed_at, destruction_id, left_recorded_at, left_marked_by
FROM students_aside;
DROP TABLE students_aside;

CREATE INDEX students_by_class ON students (class_id, name);
CREATE INDEX students_by_status ON students (status, submitted_at);
CREATE INDEX students_by_id_number_index ON students (id_number_index);
CREATE INDEX students_by_student_number_index ON students (student_number_index);
CREATE INDEX students_by_left_at ON students (left_at) WHERE left_at IS NOT NULL AND destroyed_at IS NULL;
