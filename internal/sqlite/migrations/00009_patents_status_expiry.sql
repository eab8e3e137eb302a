-- The patents list sorted by expiry with a status chosen ("granted
-- patents, the next to expire first") cannot walk the expiry index: at the
-- start of that order stand the patents that expired long ago, hundreds
-- of thousands of them before the first granted one, so SQLite would read
-- and sort every granted patent for one page. With the status in front of
-- the sort key the page is a range of one index. Other filters and sorts
-- are not tied together this way; the list walks the sort index for them
-- (patents_window.go).

-- +goose Up
CREATE INDEX patents_status_expiry ON patents (status, COALESCE(expiry, ''), normalized);

-- +goose Down
DROP INDEX patents_status_expiry;
