-- Publication review (POLICY.md article 3): a text meant for the school's website or a
-- parents' group, its author the responsible publisher (谁上网谁负责), the scan's findings,
-- and a leading-group member's decision. An approved text carries a review number; editing
-- it afterwards starts a new review (previous_id), so a number always belongs to one text.

CREATE TABLE publication_reviews (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    author_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('website', 'parents_group', 'public_account', 'other')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')),
    findings TEXT NOT NULL,                -- JSON: [{kind, start, end}], character offsets
    previous_id INTEGER REFERENCES publication_reviews (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_comment TEXT,
    overrides TEXT,                        -- JSON: the approver's reason for each finding
    review_number TEXT UNIQUE,
    CHECK (decided_by IS NULL OR decided_by <> author_id)
) STRICT;
CREATE INDEX publication_reviews_by_author ON publication_reviews (author_id, id);
CREATE INDEX publication_reviews_by_state ON publication_reviews (state, id);
