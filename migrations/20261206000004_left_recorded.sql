-- When a student's leaving was recorded, and by whom (NULL for a graduation at a rollover).
-- Retention counts from the later of the leaving date and this moment, so a leaving date
-- typed in the past cannot make a pupil entered minutes ago due for destruction; the one who
-- marked is kept so that another records administrator may undo a marking made by mistake.
ALTER TABLE students ADD COLUMN left_recorded_at TEXT;
ALTER TABLE students ADD COLUMN left_marked_by INTEGER REFERENCES users (id);
UPDATE students SET left_recorded_at = left_at WHERE left_at IS NOT NULL;
