-- A destroyed record's birth date is NULL (DATE has no empty value); the pair of SQLite's
-- 20261207000001.
ALTER TABLE students ALTER COLUMN birth_date DROP NOT NULL;
ALTER TABLE students ADD CONSTRAINT students_birth_date_check
    CHECK (birth_date IS NOT NULL OR destroyed_at IS NOT NULL);
