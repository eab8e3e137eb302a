package sqlite

import (
	"context"
	"strings"

	"patentdesk/internal/licensing"
)

// The counts of the start page. Each counts what the list behind its
// figure shows, with that list's own conditions (agreementWhere,
// patentWhere), so that a figure and the list it links to cannot disagree.
// Each goes through an index: none reads a whole table of patents.

// HasRecords reports whether any company, patent or agreement is recorded:
// a start page with nothing to count says what to do first instead.
func (db *DB) HasRecords(ctx context.Context) (bool, error) {
	var some bool
	err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM companies) OR EXISTS (SELECT 1 FROM patents)
		OR EXISTS (SELECT 1 FROM agreements)`).Scan(&some)
	return some, err
}

// CountAgreements counts the agreements that the agreements list shows for
// f, over all its pages (f.After and f.Limit are ignored).
func (db *DB) CountAgreements(ctx context.Context, f AgreementFilter) (int, error) {
	f.After = nil
	if err := resolveEnding(ctx, db.sql, &f); err != nil {
		return 0, err
	}
	where, args, err := agreementWhere(f)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.sql.QueryRowContext(ctx, agreementCountSQL(where), args...).Scan(&n)
	return n, err
}

func agreementCountSQL(where []string) string {
	return `SELECT count(*) FROM agreements a WHERE ` + strings.Join(where, " AND ")
}

// CountPatents counts the patents that the patents list shows for f, over
// all its pages (sort, cursor and limit are ignored). With f.OwnerIDs the
// count goes through the owner index, reading only those owners' patents.
func (db *DB) CountPatents(ctx context.Context, f PatentFilter) (int, error) {
	if f.OwnerOn != nil && f.OwnerOn.Equal(licensing.DateOf(db.now())) {
		f.OwnerOn = nil // as Patents does: today's owner has its own index
	}
	where, args := patentWhere(f)
	if f.Grant != nil {
		cond, condArgs, err := db.grantScopeWhere(ctx, *f.Grant)
		if err != nil {
			return 0, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	var n int
	err := db.sql.QueryRowContext(ctx, patentCountSQL(where), args...).Scan(&n)
	return n, err
}

func patentCountSQL(where []string) string {
	return `SELECT count(*) FROM patents p WHERE ` + strings.Join(where, " AND ")
}

// patentOwnersSQL counts each owner's patents on the owner index.
const patentOwnersSQL = `SELECT owner_id, count(*) FROM patents GROUP BY owner_id`

// PatentOwners returns every company that owns patents today, with how
// many it owns, in force or not. It counts on the owner index alone, as
// PatentCounts does, without reading a patent: enough to rank corporate
// groups by the size of their portfolios before counting in detail.
func (db *DB) PatentOwners(ctx context.Context) (map[int64]int, error) {
	rows, err := db.sql.QueryContext(ctx, patentOwnersSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
