-- Patents, their labels (tags, standards, CPC symbols, EP designated
-- states) and a full-text index. Built for a million patents: every filter
-- of the patents list has an index, and lists page by keyset, never OFFSET.

-- +goose Up
CREATE TABLE patents (
    id                 INTEGER PRIMARY KEY,
    number             TEXT    NOT NULL,               -- as entered
    normalized         TEXT    NOT NULL UNIQUE,        -- DOCDB style, e.g. EP1234567B1
    doc_number         TEXT    NOT NULL,               -- office and number without kind, for lookups without a kind code
    office             TEXT    NOT NULL,
    kind               TEXT    NOT NULL DEFAULT '',
    application_number TEXT    NOT NULL DEFAULT '',
    title              TEXT    NOT NULL,
    family             TEXT    NOT NULL DEFAULT '',
    priority_on        TEXT,
    filed_on           TEXT,
    published_on       TEXT,
    granted_on         TEXT,
    expires_on         TEXT,                           -- an override of the computed expiry; NULL: computed
    expiry             TEXT,                           -- the effective last day, for filters and sorting
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'granted', 'lapsed', 'expired', 'abandoned', 'revoked')),
    status_on          TEXT,
    sep                INTEGER NOT NULL DEFAULT 0 CHECK (sep IN (0, 1)),
    sep_reference      TEXT    NOT NULL DEFAULT '',
    original_owner_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    -- The owner today. Until assignments exist it is the original owner;
    -- assignment writes keep it in step with the chain of title.
    owner_id           INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX patents_doc_number ON patents (doc_number);
CREATE INDEX patents_family ON patents (family) WHERE family <> '';
CREATE INDEX patents_owner ON patents (owner_id, normalized);
CREATE INDEX patents_original_owner ON patents (original_owner_id);
CREATE INDEX patents_office ON patents (office, normalized);
CREATE INDEX patents_status ON patents (status, normalized);
CREATE INDEX patents_expiry ON patents (expiry);
-- Sort orders of the list: each sort key is followed by the unique
-- normalized number, which breaks ties and makes the keyset cursor exact.
CREATE INDEX patents_sort_expiry ON patents (COALESCE(expiry, ''), normalized);
CREATE INDEX patents_sort_filed ON patents (COALESCE(filed_on, ''), normalized);
CREATE INDEX patents_sort_title ON patents (title COLLATE NOCASE, normalized);

CREATE TABLE patent_labels (
    kind      TEXT    NOT NULL CHECK (kind IN ('tag', 'standard', 'cpc', 'state')),
    value     TEXT    NOT NULL COLLATE NOCASE,
    patent_id INTEGER NOT NULL REFERENCES patents (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (kind, value, patent_id)
) WITHOUT ROWID;
CREATE INDEX patent_labels_patent ON patent_labels (patent_id, kind, position);

-- Full-text search over number, title and the owner's names. Contentless:
-- the store writes each row with the patent's id as rowid.
CREATE VIRTUAL TABLE patents_fts USING fts5 (
    numbers, title, owner,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose Down
DROP TABLE patents_fts;
DROP TABLE patent_labels;
DROP TABLE patents;
