-- Sealing (封存) of dormant accounts: an account unused for `dormant_days` is sealed at its
-- next sign-in, and only the system administrator can reopen it.
ALTER TABLE password_policy ADD COLUMN dormant_days INTEGER NOT NULL DEFAULT 180 CHECK (dormant_days > 0);
ALTER TABLE users ADD COLUMN sealed_at TEXT;
ALTER TABLE users ADD COLUMN reopened_at TEXT;
