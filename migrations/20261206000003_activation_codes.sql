-- No single person becomes another person. Once the school has had a leading group, a setup
-- link issued through the portal (a new account, a reset) is completed only with an
-- activation code that a second person hands over: a leading-group member or a leader who
-- neither received the link (`issued_to`) nor is the account's person. The code is made when
-- that person asks for it (shown to them once) and kept only as a hash; wrong codes use the
-- link up after a few tries.
ALTER TABLE setup_tokens ADD COLUMN public_id TEXT;
ALTER TABLE setup_tokens ADD COLUMN issued_to INTEGER REFERENCES users (id);
ALTER TABLE setup_tokens ADD COLUMN code_required INTEGER NOT NULL DEFAULT 0
    CHECK (code_required IN (0, 1));
ALTER TABLE setup_tokens ADD COLUMN code_hash BLOB;
ALTER TABLE setup_tokens ADD COLUMN code_shown_by INTEGER REFERENCES users (id);
ALTER TABLE setup_tokens ADD COLUMN code_shown_at TEXT;
ALTER TABLE setup_tokens ADD COLUMN code_failures INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX setup_tokens_public ON setup_tokens (public_id) WHERE public_id IS NOT NULL;
