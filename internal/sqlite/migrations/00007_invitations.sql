-- One-time links with which a person chooses their own password: an
-- invitation to a new account, or a reset an administrator issued. Like
-- tokens, a link is stored only as the SHA-256 of the secret shown once.
-- A link works once, until it expires; issuing a new one for the same
-- account revokes the old. An account whose password_hash is empty has
-- been invited and has not chosen a password yet: nobody can sign in to it.

-- +goose Up
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('invite', 'reset')),
    secret_hash TEXT    NOT NULL UNIQUE,
    hint        TEXT    NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT
);
CREATE INDEX invitations_user_id ON invitations (user_id);

-- +goose Down
DROP TABLE invitations;
