package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// OwnersOn returns who owned each of the patents on date on, by the chains
// of title: for lists that show owners as of a chosen day. A patent whose
// chain does not reach back to that day is left out.
func (db *DB) OwnersOn(ctx context.Context, patentIDs []int64, on licensing.Date) (map[int64]licensing.Company, error) {
	owners := make(map[int64]licensing.Company, len(patentIDs))
	if len(patentIDs) == 0 {
		return owners, nil
	}
	args := make([]any, 0, len(patentIDs)+2)
	for _, id := range patentIDs {
		args = append(args, id)
	}
	day := on.String()
	args = append(args, day, day)
	rows, err := db.sql.QueryContext(ctx, `SELECT po.patent_id, c.id, c.name FROM patent_owners po JOIN companies c ON c.id = po.owner_id
		WHERE po.patent_id IN (`+placeholders(len(patentIDs))+`)
		AND (po.from_on IS NULL OR po.from_on <= ?) AND (po.to_on IS NULL OR po.to_on >= ?)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c licensing.Company
		if err := rows.Scan(&id, &c.ID, &c.Name); err != nil {
			return nil, err
		}
		owners[id] = c
	}
	return owners, rows.Err()
}
