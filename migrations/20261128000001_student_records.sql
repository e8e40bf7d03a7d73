-- School structure, student records and family members, their encrypted revisions, and the
-- drafts of forms being filled in. Classified (机密/绝密) values live only inside the `sealed`
-- columns (XChaCha20-Poly1305, key id in the envelope); exact-match lookups go through keyed
-- blind indexes.

CREATE TABLE school_years (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- "2026-2027"
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (starts_on < ends_on)
) STRICT;

CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,     -- the opaque id URLs carry
    school_year_id INTEGER NOT NULL REFERENCES school_years (id),
    grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
    name TEXT NOT NULL,
    homeroom_teacher_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (school_year_id, grade, name)
) STRICT;
CREATE INDEX classes_by_homeroom_teacher ON classes (homeroom_teacher_id);

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
    sealed BLOB NOT NULL,
    id_number_index BLOB NOT NULL UNIQUE,
    student_number_index BLOB UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    left_at TEXT
) STRICT;
CREATE INDEX students_by_class ON students (class_id, name);
CREATE INDEX students_by_status ON students (status, submitted_at);

CREATE TABLE guardians (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    is_guardian INTEGER NOT NULL CHECK (is_guardian IN (0, 1)),
    document_type TEXT NOT NULL,
    employer TEXT NOT NULL,
    sealed BLOB NOT NULL,
    UNIQUE (student_id, position)
) STRICT;

-- Old and new values of every change, encrypted: what the audit trail names but never holds.
CREATE TABLE student_revisions (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students (id),
    audit_seq INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER NOT NULL REFERENCES users (id),
    sealed BLOB NOT NULL
) STRICT;
CREATE INDEX student_revisions_by_student ON student_revisions (student_id, id);

-- What a person was typing into a form that is not saved yet (autosaved, or a save that
-- was refused), encrypted, with the refusal's field errors (codes only, no values).
CREATE TABLE form_drafts (
    owner_id INTEGER NOT NULL REFERENCES users (id),
    target TEXT NOT NULL,               -- "student:<public id>" or "class:<public id>"
    sealed BLOB NOT NULL,
    errors TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (owner_id, target)
) STRICT;
