package sqlite

import (
	"context"
)

// PatentCounts counts the patents each of the given companies owns today.
// It counts on the owner index alone, without reading the patents, so that
// a list of companies stays fast however large their portfolios grow.
func (db *DB) PatentCounts(ctx context.Context, companyIDs []int64) (map[int64]int, error) {
	counts := make(map[int64]int, len(companyIDs))
	if len(companyIDs) == 0 {
		return counts, nil
	}
	args := make([]any, len(companyIDs))
	for i, id := range companyIDs {
		args[i] = id
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT owner_id, count(*) FROM patents WHERE owner_id IN (`+
		placeholders(len(args))+`) GROUP BY owner_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		counts[id] = n
	}
	return counts, rows.Err()
}
