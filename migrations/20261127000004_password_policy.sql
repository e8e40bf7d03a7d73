-- The school's password policy, set by the system administrator. One row, never more.
CREATE TABLE password_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    preset TEXT NOT NULL CHECK (preset IN ('school', 'length_only')),
    rotation_days INTEGER CHECK (rotation_days IS NULL OR rotation_days > 0),
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id)
) STRICT;
