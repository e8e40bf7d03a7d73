-- When a record was first verified: from then on its key data changes only by an approved
-- 关键数据变更, whatever its status since (an edit sends a verified record back to
-- waiting, never out of this). Records verified before this are found by their status, the
-- review's history and the trail.
ALTER TABLE students ADD COLUMN verified_once_at TIMESTAMPTZ;
UPDATE students SET verified_once_at = updated_at
WHERE status = 'verified'
   OR EXISTS (SELECT 1 FROM workflow_transitions t WHERE t.workflow = 'student'
              AND t.object_id = students.id AND t.event = 'verified')
   OR EXISTS (SELECT 1 FROM audit_log a WHERE a.object_type = 'student'
              AND a.object_id = students.id::text AND a.action = 'student.verified');
