-- People who sign in, the roles they hold, their one-time setup links, and sign-in throttling.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,                 -- argon2id PHC string; NULL until the person sets one
    password_changed_at TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- Bumped with every change that must end the person's other sessions.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT
) STRICT;

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('homeroom_teacher', 'records_admin', 'system_admin', 'leader', 'leading_group')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
) STRICT;

-- One-time links that let a person choose their own password. Only a hash of the token is
-- kept: the link itself is shown once, to whoever issued it.
CREATE TABLE setup_tokens (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;

CREATE INDEX setup_tokens_user ON setup_tokens (user_id);

-- Failed sign-ins, counted per (username, source) and per username. `source` is a client
-- address (`ip:…`), a trusted device (`device:…`), or `*` for the per-username ceiling.
CREATE TABLE sign_in_throttle (
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (username, source)
) STRICT;

-- Browsers a person has signed in from before (a random id in the `xueji_device` cookie):
-- their failures count apart, so strangers' failures cannot lock the owner out.
CREATE TABLE trusted_devices (
    username TEXT NOT NULL,
    device_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (username, device_id)
) STRICT;
