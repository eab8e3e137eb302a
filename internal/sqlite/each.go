package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	"patentdesk/internal/licensing"
)

// eachPage is how many rows the streaming readers fetch per query: large
// enough to keep queries few, small enough to keep memory flat.
const eachPage = 500

// eachPatentChunk is how many patents EachPatent reads per statement,
// with their labels, before it hands them on: each statement ends before
// fn runs, so that a slow client never holds a read transaction open (the
// checkpointer waits for readers, holding writers back), while a million
// patents take 500 statements, not 2,000.
var eachPatentChunk = 2000

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

// EachPatent calls fn for every patent matching f, with its labels, in
// f's order (the patents list's, Patents), from f.Cursor on, reading a
// chunk at a time by keyset, so that an export of a million patents runs
// in constant memory and sees each patent exactly once.
//
// It is the export's reading, tuned for it: owners' names come from a
// cache instead of two joins per row (a few hundred companies own a
// million patents), and the chunks are larger than a list's pages. Three
// goroutines overlap the work, each chunk passing from one to the next
// through channels of eachPatentAhead chunks: one reads the chunks of
// patents, another (on a second connection) their labels, while fn runs
// on the caller's. Every statement ends before its chunk is handed on,
// so a slow fn (a slow client) never holds a read transaction open. When
// fn fails or ctx ends, both readers have stopped and given their
// connections back before EachPatent returns.
func (db *DB) EachPatent(ctx context.Context, f PatentFilter, fn func(*PatentRecord) error) error {
	read, err := db.patentChunks(ctx, f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	read2, labelled := make(chan []*PatentRecord, eachPatentAhead), make(chan []*PatentRecord, eachPatentAhead)
	var readErr, labelErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(read2)
		readErr = read(func(chunk []*PatentRecord) error { return handOn(ctx, read2, chunk) })
	}()
	go func() {
		defer wg.Done()
		defer close(labelled)
		for chunk := range read2 {
			if labelErr = loadLabels(ctx, db.sql, chunk); labelErr != nil {
				return
			}
			if labelErr = handOn(ctx, labelled, chunk); labelErr != nil {
				return
			}
		}
	}()
	for chunk := range labelled {
		for _, r := range chunk {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	// Both goroutines have ended: labelled is closed after read2 was.
	if labelErr != nil {
		return labelErr
	}
	return readErr
}

// eachPatentAhead is how many chunks of the export may wait between the
// stages of EachPatent: enough to even out their pace, few enough to
// keep memory flat.
const eachPatentAhead = 2

// handOn sends chunk to the next stage of a pipeline unless ctx ends first.
func handOn(ctx context.Context, next chan<- []*PatentRecord, chunk []*PatentRecord) error {
	select {
	case next <- chunk:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// patentChunks prepares EachPatent's reading of the patents of f, without
// their labels: the returned function reads them chunk by chunk, each
// chunk a statement that has ended before it goes to send.
func (db *DB) patentChunks(ctx context.Context, f PatentFilter) (func(send func([]*PatentRecord) error) error, error) {
	sort := f.Sort
	if sort == "" {
		sort = SortNumber
	}
	key, ok := sortExpr[sort]
	if !ok {
		return nil, &licensing.Error{Code: licensing.Invalid, Message: "unknown sort column", Fields: map[string]string{"sort": string(sort)}}
	}
	if today := licensing.DateOf(db.now()); f.OwnerOn != nil && *f.OwnerOn == today {
		f.OwnerOn = nil // as Patents: today's owner is patents.owner_id
	}
	where, args := patentWhere(f)
	if f.Grant != nil {
		cond, condArgs, err := db.grantScopeWhere(ctx, *f.Grant)
		if err != nil {
			return nil, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	cmp, dir := ">", " ASC"
	if f.Desc {
		cmp, dir = "<", " DESC"
	}
	query := `SELECT ` + patentFields + `, ` + key + ` FROM patents p WHERE ` + strings.Join(where, " AND ")
	order := ` ORDER BY ` + key + dir + `, p.normalized` + dir + ` LIMIT ` + strconv.Itoa(eachPatentChunk)
	after := ` AND (` + key + `, p.normalized) ` + cmp + ` (?, ?)`
	var from *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		from = &c
	}
	return func(send func([]*PatentRecord) error) error {
		names := companyNames{ctx: ctx, db: db}
		for {
			q, a := query+order, args
			if from != nil {
				q, a = query+after+order, append(slices.Clip(args), from.Key, from.Number)
			}
			var k string
			rows, err := db.sql.QueryContext(ctx, q, a...)
			// A new slice each time: the chunk sent is the next stages' now.
			chunk, err := appendScanned(make([]*PatentRecord, 0, eachPatentChunk), rows, err, func(r rowScanner) (*PatentRecord, error) {
				return scanStreamed(scanWithKey{r, &k}, &names)
			})
			if err != nil {
				return err
			}
			full := len(chunk) == eachPatentChunk
			if full {
				from = &cursor{Key: k, Number: chunk[len(chunk)-1].Normalized}
			}
			if len(chunk) > 0 {
				if err := send(chunk); err != nil {
					return err
				}
			}
			if !full {
				return nil
			}
		}
	}, nil
}

// scanStreamed reads a row of patentFields, and any columns after them
// that row's Scan takes, with the owners' names from names.
func scanStreamed(row rowScanner, names *companyNames) (*PatentRecord, error) {
	var r PatentRecord
	if err := scanPatentFields(row, &r); err != nil {
		return nil, err
	}
	var err error
	if r.Owner, err = names.name(r.OwnerID); err != nil {
		return nil, err
	}
	r.OriginalOwner, err = names.name(r.OriginalOwnerID)
	return &r, err
}

// companyNames looks companies' legal names up by id once each, for a
// stream of patents whose owners are a few hundred companies.
type companyNames struct {
	ctx   context.Context
	db    *DB
	names map[int64]string
}

func (c *companyNames) name(id int64) (string, error) {
	if n, ok := c.names[id]; ok {
		return n, nil
	}
	var n string
	if err := c.db.sql.QueryRowContext(c.ctx, `SELECT name FROM companies WHERE id = ?`, id).Scan(&n); err != nil {
		return "", err
	}
	if c.names == nil {
		c.names = map[int64]string{}
	}
	c.names[id] = n
	return n, nil
}

// appendScanned reads every row of a query with scan onto list and closes
// the rows: scanAll into a slice that is used again.
func appendScanned[T any](list []T, rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return list, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return list, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
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
		list, err := loadObligations(ctx, db.sql, cond, args...)
		byID := make(map[int64]*licensing.Agreement, len(page))
		for _, a := range page {
			byID[a.ID] = a
		}
		for _, o := range list {
			o.Terms = byID[o.AgreementID]
		}
		return list, err
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
	if err := resolveEnding(ctx, db.sql, &f); err != nil {
		return err
	}
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
