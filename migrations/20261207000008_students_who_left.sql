-- Those who left, by when: the sweeper looks every half minute for records archived since
-- (their drafts and search keys go), and the destruction page for records due; both walk
-- only the students who left, never the whole school.
CREATE INDEX students_who_left ON students (left_at, left_recorded_at) WHERE left_at IS NOT NULL;
