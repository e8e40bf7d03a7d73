-- A privileged role granted by the system administrator alone, before the school had a
-- leading group, stays marked unreviewed on the console (and in the audit trail).
ALTER TABLE user_roles ADD COLUMN unreviewed INTEGER NOT NULL DEFAULT 0 CHECK (unreviewed IN (0, 1));
