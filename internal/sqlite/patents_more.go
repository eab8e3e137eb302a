package sqlite

import (
	"context"
	"strings"
)

// maxChoices bounds the suggestions a filter offers, so that a portfolio
// with thousands of CPC-like tags still renders a small page.
const maxChoices = 200

// PatentOffices lists the offices of the recorded patents, for the office
// filter's suggestions. It skips through the office index value by value
// instead of reading every row, so it stays cheap with a million patents.
func (db *DB) PatentOffices(ctx context.Context) ([]string, error) {
	return db.distinct(ctx, `WITH RECURSIVE o(v, n) AS (
			SELECT MIN(office), 1 FROM patents
			UNION ALL
			SELECT (SELECT MIN(office) FROM patents WHERE office > o.v), n + 1 FROM o WHERE o.v IS NOT NULL AND n < ?)
		SELECT v FROM o WHERE v IS NOT NULL`, maxChoices)
}

// PatentLabels lists the distinct values of one kind of label ("tag" or
// "standard"), for the filter's suggestions; like PatentOffices it skips
// through the label index instead of reading every row.
func (db *DB) PatentLabels(ctx context.Context, kind string) ([]string, error) {
	return db.distinct(ctx, `WITH RECURSIVE l(v, n) AS (
			SELECT MIN(value), 1 FROM patent_labels WHERE kind = ?
			UNION ALL
			SELECT (SELECT MIN(value) FROM patent_labels WHERE kind = ? AND value > l.v), n + 1 FROM l WHERE l.v IS NOT NULL AND n < ?)
		SELECT v FROM l WHERE v IS NOT NULL`, kind, kind, maxChoices)
}

func (db *DB) distinct(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}
