-- Information requests and releases (POLICY.md article 2): someone asks for named fields of
-- named students for a stated purpose, a leader approves (or narrows, or rejects), a records
-- administrator releases exactly what was approved or less, and the release ends when its
-- use is over. Nothing here holds a released value: students by id, fields by catalogue key.

CREATE TABLE info_requests (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    requester_id INTEGER NOT NULL REFERENCES users (id),
    state TEXT NOT NULL CHECK (state IN ('requested', 'withdrawn', 'lapsed', 'rejected',
        'approved', 'released', 'closed', 'expired', 'revoked')),
    purpose TEXT NOT NULL,
    reason TEXT NOT NULL,
    outside_party TEXT,
    letter_reference TEXT,
    window_hours INTEGER NOT NULL CHECK (window_hours BETWEEN 1 AND 72),
    -- Whether a student in it had a 绝密 record when it was filed (flagged to its handlers).
    top_secret INTEGER NOT NULL DEFAULT 0 CHECK (top_secret IN (0, 1)),
    filed_at TEXT NOT NULL,
    lapses_at TEXT NOT NULL,               -- undecided by then, it lapses
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_comment TEXT,
    fulfilled_by INTEGER REFERENCES users (id),
    released_at TEXT,
    ends_at TEXT,                          -- released_at + the approved window
    ended_by INTEGER REFERENCES users (id),
    ended_at TEXT,
    end_reason TEXT,
    CHECK (requester_id <> decided_by),
    CHECK (fulfilled_by <> requester_id AND fulfilled_by <> decided_by)
) STRICT;
CREATE INDEX info_requests_by_state ON info_requests (state, lapses_at);
CREATE INDEX info_requests_by_requester ON info_requests (requester_id, id);

-- The students of a request, and how far each went: asked for, kept by the approver, released.
CREATE TABLE info_request_students (
    request_id INTEGER NOT NULL REFERENCES info_requests (id),
    student_id INTEGER NOT NULL REFERENCES students (id),
    approved INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
    released INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)),
    PRIMARY KEY (request_id, student_id),
    CHECK (released <= approved)
) STRICT;
CREATE INDEX info_request_students_by_student ON info_request_students (student_id, request_id);

-- The fields of a request, by catalogue key (`phone`, `guardian.phone`).
CREATE TABLE info_request_fields (
    request_id INTEGER NOT NULL REFERENCES info_requests (id),
    field TEXT NOT NULL,
    approved INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
    released INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)),
    PRIMARY KEY (request_id, field),
    CHECK (released <= approved)
) STRICT;

-- Every opening of a release: who, when, from where, which students. The fields are the
-- request's released ones; the values are nowhere.
CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests (id),
    viewer_id INTEGER NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    client TEXT,
    top_secret_shown INTEGER NOT NULL CHECK (top_secret_shown IN (0, 1)),
    audit_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX disclosures_by_request ON disclosures (request_id, id);

-- The workflow helper's history: every transition of every workflow's objects, with the
-- audit entry that records it.
CREATE TABLE workflow_transitions (
    id INTEGER PRIMARY KEY,
    workflow TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    event TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    at TEXT NOT NULL,
    comment TEXT,
    audit_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX workflow_transitions_by_object ON workflow_transitions (workflow, object_id, id);

-- In-portal notifications, written in the transaction of the event they tell of: which
-- object changed (by workflow and id), never what it holds.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES users (id),
    workflow TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
) STRICT;
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, read_at, id);
