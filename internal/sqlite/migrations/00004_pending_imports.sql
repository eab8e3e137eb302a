-- Uploaded import files waiting for the user's confirmation after the dry
-- run. They belong to the user who uploaded them and are swept after a day;
-- the import itself, once confirmed, is what the audit trail records.

-- +goose Up
CREATE TABLE pending_imports (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('patents', 'companies')),
    format     TEXT    NOT NULL DEFAULT '',
    filename   TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    content    BLOB    NOT NULL
) WITHOUT ROWID;
CREATE INDEX pending_imports_created_at ON pending_imports (created_at);

-- +goose Down
DROP TABLE pending_imports;
