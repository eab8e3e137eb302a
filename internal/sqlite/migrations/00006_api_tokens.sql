-- Personal access tokens for the JSON API, and the secret links of the
-- calendar feeds. Both are stored only as the SHA-256 of the secret the
-- user was shown once, so a copy of the database opens nothing. A revoked
-- row stays for the audit trail and the account page; its secret is dead.

-- +goose Up
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    hint         TEXT    NOT NULL,         -- the first characters, to tell tokens apart
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE calendar_feeds (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    alarm_days   INTEGER NOT NULL DEFAULT 7 CHECK (alarm_days BETWEEN 0 AND 365),
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX calendar_feeds_user_id ON calendar_feeds (user_id);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE api_tokens;
