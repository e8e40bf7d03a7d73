-- Background work (the sweeper, the closing of refusal windows, the clean-up of sessions)
-- is done by one instance at a time when several serve one database: the instance that
-- holds a job's lease does it, renewing the lease each round; another takes it over once
-- the lease has run out (its holder stopped or hangs). Moments as every other: UTC.
CREATE TABLE background_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,                  -- a random id the instance took when it started
    held_until TEXT NOT NULL
) STRICT;
