-- The installation itself: when this portal first started. One row, never more.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    installed_at TEXT NOT NULL
) STRICT;
