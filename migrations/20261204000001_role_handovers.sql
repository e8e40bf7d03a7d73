-- Account handovers (POLICY.md article 4): the holder of a privileged role applies to hand it
-- to a named successor, a leading-group member who is neither of the two approves or rejects,
-- and the approval moves the role in one transaction. Nothing about a credential moves: the
-- successor signs in with their own password.

CREATE TABLE role_handovers (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    role TEXT NOT NULL CHECK (role IN ('records_admin', 'system_admin', 'leader', 'leading_group')),
    outgoing_id INTEGER NOT NULL REFERENCES users (id),
    successor_id INTEGER NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    hand_over_on TEXT NOT NULL,            -- the date the applicant means to hand over
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
    applied_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_comment TEXT,
    -- What the outgoing holder had in flight when it was approved (request ids, JSON).
    in_flight TEXT,
    CHECK (outgoing_id <> successor_id),
    CHECK (decided_by IS NULL OR (decided_by <> outgoing_id AND decided_by <> successor_id))
) STRICT;
-- One pending handover of a role per holder.
CREATE UNIQUE INDEX role_handovers_one_pending ON role_handovers (outgoing_id, role)
    WHERE state = 'pending';
CREATE INDEX role_handovers_by_state ON role_handovers (state, id);
