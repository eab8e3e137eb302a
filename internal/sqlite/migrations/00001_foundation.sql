-- The foundation: user accounts, their server-side sessions, and the audit
-- trail that records every change. Times are UTC in RFC 3339 with
-- milliseconds, so that they sort as text.

-- +goose Up
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name                 TEXT    NOT NULL DEFAULT '',
    role                 TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    password_hash        TEXT    NOT NULL,
    locale               TEXT    NOT NULL DEFAULT '' CHECK (locale IN ('', 'en', 'de')),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    disabled_at          TEXT,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);

-- A session row is keyed by the SHA-256 of the random id carried in the
-- cookie, so a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    user_agent   TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    data         TEXT    NOT NULL DEFAULT '{}'
) WITHOUT ROWID;
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor     TEXT    NOT NULL,
    via       TEXT    NOT NULL CHECK (via IN ('web', 'api', 'cli', 'system')),
    address   TEXT    NOT NULL DEFAULT '',
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id TEXT    NOT NULL DEFAULT '',
    details   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user_id ON audit_log (user_id);

-- Installation-wide settings, such as whether this is the demo data set.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE settings;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE users;
