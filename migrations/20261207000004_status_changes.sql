-- 学籍异动 (changes of status) as applications: a records administrator files one for a
-- student with its kind, reason, the date it takes effect and (for a transfer) the other
-- school; a leader who did not file it approves or returns it, and only the approval changes
-- the student. Every kind the national system knows is accepted here, so that the kinds the
-- portal offers can grow without rebuilding the table. The history (filed, approved,
-- returned, withdrawn) is the workflow kernel's (workflow_transitions, workflow 'status_change').
CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL CHECK (kind IN ('transfer_out', 'transfer_in', 'suspend', 'resume',
        'drop_out', 'death', 'abroad', 'other_leave', 'repeat_grade', 'skip_grade')),
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
    CHECK (decided_by IS NULL OR decided_by <> filed_by)
) STRICT;
-- One application waits per student at a time.
CREATE UNIQUE INDEX status_changes_one_filed ON status_changes (student_id) WHERE state = 'filed';
CREATE INDEX status_changes_by_state ON status_changes (state, id);
CREATE INDEX status_changes_by_student ON status_changes (student_id, id);
