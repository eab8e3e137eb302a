-- Counting a corporate group's patents in force (the start page's figures,
-- a company's charts) needs an owner's patents with the columns of the
-- in-force rule and nothing else. With them in one index the count reads
-- the index alone: about a microsecond a patent instead of a row read.

-- +goose Up
CREATE INDEX patents_owner_in_force ON patents (owner_id, expiry, status, status_on, granted_on, office);

-- +goose Down
DROP INDEX patents_owner_in_force;
