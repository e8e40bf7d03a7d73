-- Semi-annual inspections (半年检查): a records administrator or leading-group member records
-- an inspection: the period, who took part, the items checked with findings and remedies,
-- and what the portal computed at that moment (kept as it was, JSON of counts and ids, no
-- student data), with the audit chain's head MAC. Privileged holders not re-confirmed are
-- listed for the system administrator to take the role away.

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id URLs carry
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    participants TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    computed TEXT NOT NULL,                -- the computed checklist, JSON
    audit_head_mac TEXT,                   -- hex; NULL when the chain did not verify
    CHECK (period_from <= period_to)
) STRICT;
CREATE INDEX inspections_by_time ON inspections (recorded_at);

CREATE TABLE inspection_items (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    position INTEGER NOT NULL,
    item TEXT NOT NULL,
    finding TEXT NOT NULL,
    remedy TEXT NOT NULL,
    PRIMARY KEY (inspection_id, position)
) STRICT;

-- A privileged role its holder was not re-confirmed in at an inspection.
CREATE TABLE inspection_unconfirmed (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (inspection_id, user_id, role)
) STRICT;
