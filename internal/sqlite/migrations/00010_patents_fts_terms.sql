-- The vocabulary of the full-text index, read by the search to turn a word
-- into the whole terms it starts (patents_search.go). An fts5vocab table
-- stores nothing: it reads patents_fts's own index. The 'instance' kind
-- lets a query seek to the first term at or after a word and stop there;
-- the 'row' kind would count every term's documents first.

--
-- The index's segments are merged as soon as two share a level, when the
-- server's compactor asks for it (search_compact.go); FTS5's own merging
-- during writes waits for four.

-- +goose Up
CREATE VIRTUAL TABLE patents_fts_terms USING fts5vocab (patents_fts, 'instance');
INSERT INTO patents_fts (patents_fts, rank) VALUES ('usermerge', 2);

-- +goose Down
INSERT INTO patents_fts (patents_fts, rank) VALUES ('usermerge', 4);
DROP TABLE patents_fts_terms;
