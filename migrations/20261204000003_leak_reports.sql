-- Leak reports (泄密报告, POLICY.md's related rules: report a leak at once). Anyone signed in
-- files one; leaders, records administrators and the system administrator see it until one
-- of them acknowledges it; a leader contains it (freezes named accounts, revokes live
-- releases) and closes it with a conclusion. A report never holds a value of the leaked
-- data: students by record id, classes and accounts by id.

CREATE TABLE leak_reports (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    reporter_id INTEGER NOT NULL REFERENCES users (id),
    what TEXT NOT NULL,                    -- what happened
    happened TEXT NOT NULL,                -- when, as the reporter knows it
    noticed TEXT NOT NULL,                 -- how it was noticed
    remedies TEXT NOT NULL,                -- remedies already taken (may be empty)
    state TEXT NOT NULL CHECK (state IN ('filed', 'acknowledged', 'closed')),
    filed_at TEXT NOT NULL,
    acknowledged_by INTEGER REFERENCES users (id),
    acknowledged_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    closed_at TEXT,
    conclusion TEXT,
    CHECK (acknowledged_by IS NULL OR acknowledged_by <> reporter_id),
    CHECK (state <> 'closed' OR conclusion IS NOT NULL)
) STRICT;
CREATE INDEX leak_reports_by_state ON leak_reports (state, id);
CREATE INDEX leak_reports_by_reporter ON leak_reports (reporter_id, id);

-- What a report names: students, classes, accounts, by id. `frozen_at` marks an account
-- frozen because of the report (until `unfrozen_at`).
CREATE TABLE leak_report_subjects (
    report_id INTEGER NOT NULL REFERENCES leak_reports (id),
    kind TEXT NOT NULL CHECK (kind IN ('student', 'class', 'account')),
    subject_id INTEGER NOT NULL,
    frozen_at TEXT,
    unfrozen_at TEXT,
    PRIMARY KEY (report_id, kind, subject_id)
) STRICT;
