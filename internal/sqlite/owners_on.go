package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// OwnersOn returns who owned each of the patents on date on, by the chains
// of title: for lists that show owners as of a chosen day. On a day before
// a patent's chain begins (its filing date) the owner is its original
// owner, the rule of the patents list's OwnerOn filter too.
func (db *DB) OwnersOn(ctx context.Context, patentIDs []int64, on licensing.Date) (map[int64]licensing.Company, error) {
	owners := make(map[int64]licensing.Company, len(patentIDs))
	if len(patentIDs) == 0 {
		return owners, nil
	}
	day := on.String()
	args := []any{day, day}
	for _, id := range patentIDs {
		args = append(args, id)
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, c.id, c.name FROM patents p JOIN companies c ON c.id = `+ownerOnSQL+`
		WHERE p.id IN (`+placeholders(len(patentIDs))+`)`, args...)
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
