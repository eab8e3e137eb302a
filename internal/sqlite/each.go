package sqlite

import (
	"context"
	"database/sql"

	"patentdesk/internal/licensing"
)

// eachPage is how many rows the streaming readers fetch per query: large
// enough to keep queries few, small enough to keep memory flat.
const eachPage = 500

// eachPaged calls fn for every row of a list read page by page: page reads
// the page after cursor and returns the next cursor, "" after the last.
func eachPaged[T any](page func(cursor string) ([]T, string, error), cursor string, fn func(T) error) error {
	for {
		list, next, err := page(cursor)
		if err != nil {
			return err
		}
		for _, row := range list {
			if err := fn(row); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// EachPatent calls fn for every patent matching f, in f's order, reading a
// page at a time by keyset, so that an export of a million patents runs in
// constant memory and sees each patent exactly once.
func (db *DB) EachPatent(ctx context.Context, f PatentFilter, fn func(*PatentRecord) error) error {
	f.Limit = eachPage
	return eachPaged(func(cursor string) ([]*PatentRecord, string, error) {
		f.Cursor = cursor
		return db.Patents(ctx, f)
	}, f.Cursor, fn)
}

// EachCompany calls fn for every company matching f, by name, a page at a time.
func (db *DB) EachCompany(ctx context.Context, f CompanyFilter, fn func(*licensing.Company) error) error {
	f.Limit = eachPage
	start := ""
	if f.After != nil {
		start = *f.After
	}
	return eachPaged(func(after string) ([]*licensing.Company, string, error) {
		f.After = nil
		if after != "" {
			f.After = &after
		}
		return db.Companies(ctx, f)
	}, start, fn)
}

// EachAgreement calls fn for every agreement matching f, by reference, a
// page at a time: top-level fields and parties.
func (db *DB) EachAgreement(ctx context.Context, f AgreementFilter, fn func(*licensing.Agreement) error) error {
	return eachOfAgreements(ctx, db, f, func(page []*licensing.Agreement) ([]*licensing.Agreement, error) { return page, nil }, fn)
}

// EachGrant calls fn for every grant of the agreements f selects, by
// agreement reference and then in the agreement's order.
func (db *DB) EachGrant(ctx context.Context, f AgreementFilter, fn func(*GrantRow) error) error {
	return eachOfAgreements(ctx, db, f, func(page []*licensing.Agreement) ([]*GrantRow, error) {
		cond, args := agreementIDsIn("g.agreement_id", page)
		return loadGrants(ctx, db.sql, cond, args...)
	}, fn)
}

// EachObligation calls fn for every obligation of the agreements f
// selects, by agreement reference and then by due date.
func (db *DB) EachObligation(ctx context.Context, f AgreementFilter, fn func(*ObligationRow) error) error {
	return eachOfAgreements(ctx, db, f, func(page []*licensing.Agreement) ([]*ObligationRow, error) {
		cond, args := agreementIDsIn("o.agreement_id", page)
		return loadObligations(ctx, db.sql, cond, args...)
	}, fn)
}

// EachAssignment calls fn for every assignment of the agreements f
// selects, by agreement reference and then in the agreement's order.
func (db *DB) EachAssignment(ctx context.Context, f AgreementFilter, fn func(*AssignmentRow) error) error {
	return eachOfAgreements(ctx, db, f, func(page []*licensing.Agreement) ([]*AssignmentRow, error) {
		cond, args := agreementIDsIn("a.agreement_id", page)
		rows, err := assignmentRows(ctx, db.sql, cond, args...)
		out := make([]*AssignmentRow, len(rows))
		for i := range rows {
			out[i] = &rows[i]
		}
		return out, err
	}, fn)
}

// eachOfAgreements calls fn for every item that items reads for a page of
// the agreements f selects, reading the agreements a page at a time.
func eachOfAgreements[T any](ctx context.Context, db *DB, f AgreementFilter, items func([]*licensing.Agreement) ([]T, error), fn func(T) error) error {
	f.Limit = eachPage
	start := ""
	if f.After != nil {
		start = *f.After
	}
	return eachPaged(func(after string) ([]T, string, error) {
		f.After = &after
		page, next, err := db.Agreements(ctx, f)
		if err != nil || len(page) == 0 {
			return nil, next, err
		}
		list, err := items(page)
		return list, next, err
	}, start, fn)
}

// agreementIDsIn is the condition "column is one of the page's agreements".
func agreementIDsIn(column string, page []*licensing.Agreement) (string, []any) {
	args := make([]any, len(page))
	for i, a := range page {
		args[i] = a.ID
	}
	return column + " IN (" + placeholders(len(args)) + ")", args
}

// rowScanner is a row of a query or a single-row result, for the scan
// functions that read one record from either.
type rowScanner = interface{ Scan(...any) error }

// scanAll reads every row of a query with scan and closes the rows: the
// loop each list reader would otherwise write again.
func scanAll[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
