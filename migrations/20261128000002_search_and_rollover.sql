-- Name search (汉字, full pinyin with the other readings of the surname, initials) and the
-- records of students who left (graduated at a school-year rollover).

CREATE TABLE student_search_keys (
    key TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES students (id),
    PRIMARY KEY (key, student_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX student_search_keys_by_student ON student_search_keys (student_id, key);

ALTER TABLE students ADD COLUMN left_reason TEXT CHECK (left_reason IN ('graduated'));

-- Which school year a class moved on from, so a rollover is done once.
ALTER TABLE classes ADD COLUMN promoted_to INTEGER REFERENCES classes (id);
