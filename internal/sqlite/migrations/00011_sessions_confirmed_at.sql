-- When a session's user last confirmed their password ("sudo mode",
-- web/reauth.go): sensitive actions such as creating an API token or
-- changing a role pass only within minutes of it. NULL means not since the
-- sign-in that began the session, so created_at stands in for it.

-- +goose Up
ALTER TABLE sessions ADD COLUMN confirmed_at TEXT;

-- +goose Down
ALTER TABLE sessions DROP COLUMN confirmed_at;
