-- 休学 and the changes that move a student between classes (复学, 留级, 跳级).
-- A suspended student stays in the class they were in, in no class's count, and the year
-- rollover leaves them there; `suspended_at` is when the latest approved suspension (or its
-- extension) took effect, from which the one-year reminder counts. A resumption puts them in
-- the class its approver picked.
ALTER TABLE students ADD COLUMN suspended_at TIMESTAMPTZ;
-- The class an application was filed from (shown on its 审批表 whatever happened since) and
-- the class its approver picked for a student who moves (复学, 留级, 跳级).
ALTER TABLE status_changes ADD COLUMN from_class_id BIGINT REFERENCES classes (id);
ALTER TABLE status_changes ADD COLUMN to_class_id BIGINT REFERENCES classes (id);
-- Applications filed before this were filed from the class their student is in now.
UPDATE status_changes SET from_class_id =
    (SELECT s.class_id FROM students s WHERE s.id = status_changes.student_id);
CREATE INDEX students_suspended ON students (suspended_at) WHERE suspended_at IS NOT NULL;
