package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// eachPage is how many rows the streaming readers fetch per query: large
// enough to keep queries few, small enough to keep memory flat.
const eachPage = 500

// EachPatent calls fn for every patent matching f, in f's order, reading a
// page at a time by keyset, so that an export of a million patents runs in
// constant memory and sees each patent exactly once.
func (db *DB) EachPatent(ctx context.Context, f PatentFilter, fn func(*PatentRecord) error) error {
	f.Limit = eachPage
	for {
		list, next, err := db.Patents(ctx, f)
		if err != nil {
			return err
		}
		for _, p := range list {
			if err := fn(p); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		f.Cursor = next
	}
}

// EachCompany calls fn for every company matching f, by name, a page at a time.
func (db *DB) EachCompany(ctx context.Context, f CompanyFilter, fn func(*licensing.Company) error) error {
	f.Limit = eachPage
	for {
		list, next, err := db.Companies(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range list {
			if err := fn(c); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		f.After = &next
	}
}
