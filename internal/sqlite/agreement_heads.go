package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// AgreementHeads returns the top-level fields of the agreements with the
// given ids (reference, title, kind, status, dates, renewal and parent;
// no parties, grants, assignments or obligations), by id: enough to say
// whether and when a grant of each runs, for pages that name many
// agreements. Ids not recorded are left out.
func (db *DB) AgreementHeads(ctx context.Context, ids []int64) (map[int64]*licensing.Agreement, error) {
	heads := make(map[int64]*licensing.Agreement, len(ids))
	if len(ids) == 0 {
		return heads, nil
	}
	in, args := inList("a.id", uniqueIDs(ids))
	rows, err := db.sql.QueryContext(ctx, `SELECT `+agreementColumns+agreementFrom+` WHERE `+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, err
		}
		heads[a.ID] = a
	}
	return heads, rows.Err()
}
