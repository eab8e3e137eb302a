-- Agreements and everything inside them: parties, grants with their scopes,
-- assignments (the chain of title), obligations with the occurrences marked
-- done, and attached documents. Dates are inclusive YYYY-MM-DD text; NULL
-- leaves an end open. Companies and patents that an agreement names cannot
-- be deleted (RESTRICT): agreements are never silently rewritten.

-- +goose Up
CREATE TABLE agreements (
    id             INTEGER PRIMARY KEY,
    reference      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    title          TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('cross_license', 'license', 'assignment', 'covenant_not_to_sue', 'settlement', 'collaboration', 'option')),
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'negotiation', 'active', 'expired', 'terminated')),
    signed_on      TEXT,
    effective_on   TEXT,
    expires_on     TEXT,
    terminated_on  TEXT,
    renewal_months INTEGER NOT NULL DEFAULT 0,
    notice_days    INTEGER NOT NULL DEFAULT 0,
    governing_law  TEXT    NOT NULL DEFAULT '',
    summary        TEXT    NOT NULL DEFAULT '',
    parent_id      INTEGER REFERENCES agreements (id) ON DELETE RESTRICT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX agreements_parent ON agreements (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX agreements_kind ON agreements (kind, reference);
CREATE INDEX agreements_status ON agreements (status, reference);
CREATE INDEX agreements_expires ON agreements (expires_on);
CREATE INDEX agreements_effective ON agreements (effective_on);

CREATE TABLE agreement_parties (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    company_id   INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    role         TEXT    NOT NULL CHECK (role IN ('party', 'licensor', 'licensee', 'assignor', 'assignee', 'collaborator', 'guarantor')),
    position     INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, company_id)
) WITHOUT ROWID;
CREATE INDEX agreement_parties_company ON agreement_parties (company_id, agreement_id);

-- Full-text search over reference, title and summary; contentless, with the
-- agreement's id as rowid.
CREATE VIRTUAL TABLE agreements_fts USING fts5 (
    reference, title, summary,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE grants (
    id                  INTEGER PRIMARY KEY,
    agreement_id        INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    licensor_id         INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    licensee_id         INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    licensee_affiliates INTEGER NOT NULL DEFAULT 0 CHECK (licensee_affiliates IN (0, 1)),
    licensor_affiliates INTEGER NOT NULL DEFAULT 0 CHECK (licensor_affiliates IN (0, 1)),
    scope               TEXT    NOT NULL CHECK (scope IN ('patents', 'families', 'portfolio')),
    capture_from        TEXT,
    capture_to          TEXT,
    exclusivity         TEXT    NOT NULL CHECK (exclusivity IN ('non_exclusive', 'sole', 'exclusive')),
    sublicensable       INTEGER NOT NULL DEFAULT 0 CHECK (sublicensable IN (0, 1)),
    parent_grant_id     INTEGER REFERENCES grants (id) ON DELETE RESTRICT,
    starts_on           TEXT,
    ends_on             TEXT,
    royalty_bearing     INTEGER NOT NULL DEFAULT 0 CHECK (royalty_bearing IN (0, 1)),
    past_release        INTEGER NOT NULL DEFAULT 0 CHECK (past_release IN (0, 1)),
    CHECK (parent_grant_id IS NULL OR parent_grant_id <> id)
);
CREATE INDEX grants_agreement ON grants (agreement_id, position);
CREATE INDEX grants_licensor ON grants (licensor_id);
CREATE INDEX grants_licensee ON grants (licensee_id);
CREATE INDEX grants_parent ON grants (parent_grant_id) WHERE parent_grant_id IS NOT NULL;

-- The lists of a grant: activities, territories, fields of use, and the
-- labels and offices that narrow a portfolio scope.
CREATE TABLE grant_terms (
    grant_id INTEGER NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('activity', 'territory', 'field', 'tag', 'standard', 'office', 'family')),
    value    TEXT    NOT NULL COLLATE NOCASE,
    position INTEGER NOT NULL,
    PRIMARY KEY (grant_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX grant_terms_value ON grant_terms (kind, value);

-- The patents of a `patents` scope.
CREATE TABLE grant_patents (
    grant_id  INTEGER NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    patent_id INTEGER NOT NULL REFERENCES patents (id) ON DELETE RESTRICT,
    position  INTEGER NOT NULL,
    PRIMARY KEY (grant_id, patent_id)
) WITHOUT ROWID;
CREATE INDEX grant_patents_patent ON grant_patents (patent_id, grant_id);

CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    assignor_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    assignee_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    effective_on TEXT    NOT NULL,
    recorded_on  TEXT,
    office_ref   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX assignments_agreement ON assignments (agreement_id, position);
CREATE INDEX assignments_assignor ON assignments (assignor_id);
CREATE INDEX assignments_assignee ON assignments (assignee_id);

CREATE TABLE assignment_patents (
    assignment_id INTEGER NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    patent_id     INTEGER NOT NULL REFERENCES patents (id) ON DELETE RESTRICT,
    position      INTEGER NOT NULL,
    PRIMARY KEY (assignment_id, patent_id)
) WITHOUT ROWID;
CREATE INDEX assignment_patents_patent ON assignment_patents (patent_id, assignment_id);

-- The chain of title of every patent, materialized from the original owner
-- and the assignments of signed agreements whenever either changes: one row
-- per holding, from_on/to_on inclusive. An open end is stored as a sentinel
-- date, never NULL ('0001-01-01': no filing date, the holding reaches back
-- without limit; '9999-12-31': the present holding), so that "owned by C on
-- D" and "owned by C at any time within a capture window" are one range of
-- patent_owners_owner: owner_id = ? AND from_on <= ? AND to_on >= ?.
-- The chain begins at the filing date; on an earlier day the original
-- owner is the owner. patents.owner_id mirrors the holding that contains
-- today.
CREATE TABLE patent_owners (
    patent_id     INTEGER NOT NULL REFERENCES patents (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    owner_id      INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    from_on       TEXT    NOT NULL DEFAULT '0001-01-01',
    to_on         TEXT    NOT NULL DEFAULT '9999-12-31',
    assignment_id INTEGER REFERENCES assignments (id) ON DELETE CASCADE,
    PRIMARY KEY (patent_id, position)
) WITHOUT ROWID;
CREATE INDEX patent_owners_owner ON patent_owners (owner_id, from_on, to_on, patent_id);
CREATE INDEX patent_owners_from ON patent_owners (from_on);
CREATE INDEX patent_owners_assignment ON patent_owners (assignment_id) WHERE assignment_id IS NOT NULL;
INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on, assignment_id)
    SELECT id, 0, original_owner_id, COALESCE(filed_on, '0001-01-01'), '9999-12-31', NULL FROM patents;
-- The owner on a day before the filing date (the original owner): the
-- patents list's "owned by C on D" looks it up by this index.
CREATE INDEX patents_original_owner_filed ON patents (original_owner_id, filed_on) WHERE filed_on IS NOT NULL;

-- Assignments by someone who did not own the patent on their effective
-- date: kept on record, moving no title, listed in the title-break report.
CREATE TABLE title_breaks (
    patent_id     INTEGER NOT NULL REFERENCES patents (id) ON DELETE CASCADE,
    assignment_id INTEGER NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    owner_id      INTEGER NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    PRIMARY KEY (patent_id, assignment_id)
) WITHOUT ROWID;
CREATE INDEX title_breaks_assignment ON title_breaks (assignment_id);

CREATE TABLE obligations (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('payment', 'report', 'notice', 'milestone', 'other')),
    title        TEXT    NOT NULL,
    due_on       TEXT    NOT NULL,
    recurrence   TEXT    NOT NULL DEFAULT '' CHECK (recurrence IN ('', 'monthly', 'quarterly', 'yearly')),
    until        TEXT,
    amount       TEXT    NOT NULL DEFAULT '',   -- exact decimal text, e.g. 1000000.00; never a float
    currency     TEXT    NOT NULL DEFAULT '',
    payer_id     INTEGER REFERENCES companies (id) ON DELETE RESTRICT,
    payee_id     INTEGER REFERENCES companies (id) ON DELETE RESTRICT,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'waived'))
);
CREATE INDEX obligations_agreement ON obligations (agreement_id, due_on);
CREATE INDEX obligations_due ON obligations (due_on);

-- The occurrences of an obligation marked done or waived; an occurrence
-- without a row is open.
CREATE TABLE obligation_occurrences (
    obligation_id INTEGER NOT NULL REFERENCES obligations (id) ON DELETE CASCADE,
    due_on        TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('done', 'waived')),
    done_on       TEXT    NOT NULL,
    done_by       TEXT    NOT NULL,
    done_by_user  INTEGER,
    PRIMARY KEY (obligation_id, due_on)
) WITHOUT ROWID;

-- Documents attached to agreements. The content is kept in chunks of at
-- most 1 MiB so that uploads and downloads stream in constant memory.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL
);
CREATE INDEX documents_agreement ON documents (agreement_id);

CREATE TABLE document_chunks (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (document_id, seq)
);

-- +goose Down
DROP TABLE document_chunks;
DROP TABLE documents;
DROP TABLE obligation_occurrences;
DROP TABLE obligations;
DROP TABLE title_breaks;
DROP TABLE patent_owners;
DROP INDEX patents_original_owner_filed;
DROP TABLE assignment_patents;
DROP TABLE assignments;
DROP TABLE grant_patents;
DROP TABLE grant_terms;
DROP TABLE grants;
DROP TABLE agreements_fts;
DROP TABLE agreement_parties;
DROP TABLE agreements;
