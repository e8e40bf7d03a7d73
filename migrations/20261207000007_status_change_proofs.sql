-- The proof of a change of status (佐证材料: a transfer letter, a doctor's certificate, a
-- 户口簿 page): scans the records administrator who filed it adds while it waits, each a JPEG,
-- PNG or PDF of at most 2 MB, checked by what it holds, sealed like every confidential value
-- (its row key is "status_change_proof:<public_id>"). A leader approves only what has one.
-- They go with their student's changes when a destruction batch erases the student.
CREATE TABLE status_change_proofs (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,        -- the opaque id its address carries
    change_id INTEGER NOT NULL REFERENCES status_changes (id),
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size INTEGER NOT NULL,                    -- bytes, as uploaded
    sealed BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
) STRICT;
CREATE INDEX status_change_proofs_by_change ON status_change_proofs (change_id, id);
