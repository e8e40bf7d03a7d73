-- Roster files being imported: the rows sealed like every other classified value, the column
-- mapping chosen (field names only), deleted once imported or discarded.
CREATE TABLE roster_imports (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    class_id INTEGER NOT NULL REFERENCES classes (id),
    file_name TEXT NOT NULL,
    sealed BLOB NOT NULL,
    mapping TEXT,
    created_at TEXT NOT NULL
) STRICT;
