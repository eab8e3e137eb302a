-- Companies and their corporate groups. A company has at most one parent
-- link, with a control period whose dates are inclusive (NULL: open).

-- +goose Up
CREATE TABLE companies (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    short_name   TEXT    NOT NULL DEFAULT '',
    country      TEXT    NOT NULL DEFAULT '',
    parent_id    INTEGER REFERENCES companies (id) ON DELETE RESTRICT,
    control_from TEXT,
    control_to   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (control_from IS NULL OR control_to IS NULL OR control_from <= control_to)
);
CREATE INDEX companies_parent_id ON companies (parent_id);

-- Names under which a company appears in patent records. An alias points to
-- one company only, so that an import can match it without doubt.
CREATE TABLE company_aliases (
    alias      TEXT    NOT NULL COLLATE NOCASE PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE
);
CREATE INDEX company_aliases_company_id ON company_aliases (company_id);

-- +goose Down
DROP TABLE company_aliases;
DROP TABLE companies;
