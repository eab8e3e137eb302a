package sqlite

import (
	"context"

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
