package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// patentFields are a patent's own columns, as scanPatentFields reads them.
const patentFields = `p.id, p.number, p.normalized, p.office, p.kind, p.application_number, p.title, p.family,
	p.priority_on, p.filed_on, p.published_on, p.granted_on, p.expires_on, p.status, p.status_on, p.sep, p.sep_reference,
	p.original_owner_id, p.owner_id`

// patentColumns are those and the names of the owner and the original
// owner, from patentFrom's joins.
const patentColumns = patentFields + `, o.name, oo.name`

const patentFrom = ` FROM patents p JOIN companies o ON o.id = p.owner_id JOIN companies oo ON oo.id = p.original_owner_id`

// scanPatentFields reads a row of patentFields into r, and the columns
// after them into more.
func scanPatentFields(row rowScanner, r *PatentRecord, more ...any) error {
	p := &r.Patent
	var status string
	var dates [6]sql.NullString
	err := row.Scan(append([]any{&p.ID, &p.Number, &p.Normalized, &p.Office, &p.Kind, &p.ApplicationNumber, &p.Title, &p.Family,
		&dates[0], &dates[1], &dates[2], &dates[3], &dates[4], &status, &dates[5], &p.SEP, &p.SEPReference,
		&p.OriginalOwnerID, &r.OwnerID}, more...)...)
	if err != nil {
		return err
	}
	p.Status = licensing.PatentStatus(status)
	for i, dst := range []*licensing.Date{&p.PriorityOn, &p.FiledOn, &p.PublishedOn, &p.GrantedOn, &p.ExpiresOn, &p.StatusOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return err
		}
	}
	return nil
}

// scanPatent reads a row of patentColumns; ErrNotFound for no row.
func scanPatent(row rowScanner) (*PatentRecord, error) {
	var r PatentRecord
	err := scanPatentFields(row, &r, &r.Owner, &r.OriginalOwner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadLabels fills the tags, standards, CPC symbols and designated states of
// a page of patents with one query.
func loadLabels(ctx context.Context, q querier, list []*PatentRecord) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*PatentRecord{}
	ids := make([]any, 0, len(list))
	for _, r := range list {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT patent_id, kind, value FROM patent_labels WHERE patent_id IN (`+
		placeholders(len(ids))+`) ORDER BY patent_id, kind, position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, value string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return err
		}
		for _, lk := range labelKinds {
			if lk.kind == kind {
				dst := lk.get(&byID[id].Patent)
				*dst = append(*dst, value)
			}
		}
	}
	return rows.Err()
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func patentTx(tx *sql.Tx, id int64) (*PatentRecord, error) {
	r, err := scanPatent(tx.QueryRow(`SELECT `+patentColumns+patentFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %d", id)
	}
	if err != nil {
		return nil, err
	}
	return r, loadLabels(context.Background(), tx, []*PatentRecord{r})
}

// Patent returns one patent with its labels, or ErrNotFound.
func (db *DB) Patent(ctx context.Context, id int64) (*PatentRecord, error) {
	r, err := scanPatent(db.sql.QueryRowContext(ctx, `SELECT `+patentColumns+patentFrom+` WHERE p.id = ?`, id))
	if err != nil {
		return nil, err
	}
	return r, loadLabels(ctx, db.sql, []*PatentRecord{r})
}

// PatentByNumber finds a patent by its number in any common notation. A
// number without kind code matches a unique record of any kind; several
// matches are a conflict that names the candidates.
func (db *DB) PatentByNumber(ctx context.Context, number string) (*PatentRecord, error) {
	n, err := licensing.ParsePatentNumber(number)
	if err != nil {
		return nil, err
	}
	col := "p.normalized"
	if n.Kind == "" {
		col = "p.doc_number"
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+patentColumns+patentFrom+` WHERE `+col+` = ? ORDER BY p.normalized LIMIT 11`, n.String())
	if err != nil {
		return nil, err
	}
	var found []*PatentRecord
	for rows.Next() {
		r, err := scanPatent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, r)
	}
	rows.Close()
	switch len(found) {
	case 0:
		return nil, ErrNotFound
	case 1:
		return found[0], loadLabels(ctx, db.sql, found)
	}
	names := make([]string, len(found))
	for i, r := range found {
		names[i] = r.Normalized
	}
	return nil, licensing.Errorf(licensing.Conflict, "%s matches several patents: %s; add the kind code", n.String(), strings.Join(names, ", "))
}

// FamilyMembers lists the patents of a family, by number.
func (db *DB) FamilyMembers(ctx context.Context, family string) ([]*PatentRecord, error) {
	fam := family
	list, _, err := db.Patents(ctx, PatentFilter{Family: &fam, Limit: 1000})
	return list, err
}

// PatentSort is a column the patents list can be sorted by.
type PatentSort string

// The sortable columns, each backed by an index that ends in the normalized number.
const (
	SortNumber PatentSort = "number"
	SortTitle  PatentSort = "title"
	SortOffice PatentSort = "office"
	SortStatus PatentSort = "status"
	SortFiled  PatentSort = "filed"
	SortExpiry PatentSort = "expiry"
)

var sortExpr = map[PatentSort]string{
	SortNumber: "p.normalized",
	SortTitle:  "p.title COLLATE NOCASE",
	SortOffice: "p.office",
	SortStatus: "p.status",
	SortFiled:  "COALESCE(p.filed_on, '')",
	SortExpiry: "COALESCE(p.expiry, '')",
}

// PatentFilter selects patents for a list; nil fields do not filter.
type PatentFilter struct {
	Query         *string         // full-text: numbers, title, owner names and aliases
	OwnerIDs      []int64         // owned today (or on OwnerOn) by one of these (a company, or a company and its affiliates)
	OwnerOn       *licensing.Date // the day OwnerIDs owns on, by the chain of title; nil: today
	Office        *string         // e.g. EP
	Status        *string         // e.g. granted
	Tag           *string         // e.g. 5g
	Standard      *string         // e.g. 3GPP LTE
	SEP           *bool           // declared standard-essential
	Family        *string         // family key
	InForceOn     *licensing.Date
	ExpiresBefore *licensing.Date // the last day of the term is before this date
	Grant         *int64          // in this grant's scope (in force or not)
	Agreement     *int64          // transferred by one of this agreement's assignments
	Sort          PatentSort      // "" = number
	Desc          bool
	Cursor        string // from the previous page
	Limit         int    // 0: 50

	search *searchPlan // how Query is put to the full-text index; nil: as typed
}

// cursor is the keyset position after the last row of a page: its sort key
// and its normalized number, which is unique. Inserts elsewhere do not move it.
type cursor struct {
	Key    string `json:"k"`
	Number string `json:"n"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, invalidCursor()
	}
	return c, nil
}

// invalidCursor is the error for a cursor this list did not hand out, e.g.
// one edited by hand or taken from another list.
func invalidCursor() error {
	return &licensing.Error{Code: licensing.Invalid, Message: "the page cursor is not valid; start from the first page",
		Fields: map[string]string{"cursor": "not a cursor of this list"}}
}

// Patents lists patents matching f, one page at a time, sorted by f.Sort and
// then by number. next is the cursor of the following page, "" after the last.
func (db *DB) Patents(ctx context.Context, f PatentFilter) (list []*PatentRecord, next string, err error) {
	sort := f.Sort
	if sort == "" {
		sort = SortNumber
	}
	key, ok := sortExpr[sort]
	if !ok {
		return nil, "", &licensing.Error{Code: licensing.Invalid, Message: "unknown sort column", Fields: map[string]string{"sort": string(sort)}}
	}
	if today := licensing.DateOf(db.now()); f.OwnerOn != nil && *f.OwnerOn == today {
		f.OwnerOn = nil // today's owner is patents.owner_id, which has its own index
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if f.Query != nil {
		// The search may walk or sift the sort order only when it is the
		// list's one filter (another filter may leave few of its matches)
		// and not a patent number (whose other notations the sift would
		// not look up).
		others := f
		others.Query = nil
		rest, _ := patentWhere(others)
		_, notANumber := licensing.ParsePatentNumber(*f.Query)
		plan, err := db.planSearch(ctx, *f.Query, limit, len(rest) == 1 && f.Grant == nil && notANumber != nil && walkable(&f, limit))
		if err != nil {
			return nil, "", err
		}
		f.search = plan
	}
	l, err := db.listQueryOf(ctx, f, key)
	if err != nil {
		return nil, "", err
	}
	l.limit = limit + 1
	pg, err := db.patentPageOf(ctx, l, f, key)
	if err != nil {
		return nil, "", err
	}
	list = pg.list
	if len(list) > limit {
		list = list[:limit]
		next = encodeCursor(cursor{Key: pg.keys[limit-1], Number: list[limit-1].Normalized})
	}
	return list, next, loadLabels(ctx, db.sql, list)
}

// patentPageOf reads a page of the list l of f by the cheapest plan. A
// search of common words walks the sort index and looks each patent up in
// the full-text index, unless SQLite's plan for that would sort every
// patent: then the matches are gathered after all. A search of words
// neither common nor rare is sifted (patents_search.go).
func (db *DB) patentPageOf(ctx context.Context, l listQuery, f PatentFilter, key string) (patentPage, error) {
	if f.search != nil && f.search.sift {
		pg, ok, err := db.siftPage(ctx, l, f.search)
		if err != nil || ok {
			return pg, err
		}
		// Too many matches to hold: as SQLite plans it.
		query, args := l.plain()
		return scanPatentPage(ctx, db.sql, query, args)
	}
	if f.search != nil && f.search.walk {
		query, args := l.plain()
		sorts, err := db.plans.sortsEveryRow(ctx, db.sql, query, args)
		if err != nil {
			return patentPage{}, err
		}
		if !sorts {
			return scanPatentPage(ctx, db.sql, query, args)
		}
		gather := *f.search
		gather.walk = false
		f.search = &gather
		limit := l.limit
		if l, err = db.listQueryOf(ctx, f, key); err != nil {
			return patentPage{}, err
		}
		l.limit = limit
	}
	return db.patentPage(ctx, l, walkable(&f, l.limit-1))
}

// listQueryOf is the list query of f sorted by key, without its limit.
func (db *DB) listQueryOf(ctx context.Context, f PatentFilter, key string) (listQuery, error) {
	where, args := patentWhere(f)
	if f.Grant != nil {
		cond, condArgs, err := db.grantScopeWhere(ctx, *f.Grant)
		if err != nil {
			return listQuery{}, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	cmp, dir := ">", "ASC"
	if f.Desc {
		cmp, dir = "<", "DESC"
	}
	l := listQuery{filter: where, filterArgs: args, key: key, order: key + " " + dir + ", p.normalized " + dir, desc: f.Desc}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return listQuery{}, err
		}
		// The bound on the key alone says nothing the row value does not,
		// but it is what lets SQLite start at the cursor in an index on an
		// expression (expiry and filing date are COALESCEd) or with a
		// collation (title): given the row value alone it reads such an
		// index from its first entry, every page deeper than the last.
		l.cursor = &c
		l.after, l.afterArgs = key+" "+cmp+"= ? AND ("+key+", p.normalized) "+cmp+" (?, ?)", []any{c.Key, c.Key, c.Number}
	}
	if f.InForceOn != nil && key == sortExpr[SortExpiry] {
		l.ranges = inForceRanges(f)
	}
	return l, nil
}

// inForceRanges are the ranges of the expiry order that hold every patent
// in force on f.InForceOn (and of f.Status, if set): no pending patent is
// in force, and of the others only those without an expiry (an empty sort key)
// or with one on that day or later.
func inForceRanges(f PatentFilter) []keyRange {
	blank, day := "", f.InForceOn.String()
	ranges := []keyRange{}
	for _, s := range licensing.Statuses {
		if s == licensing.StatusPending || (f.Status != nil && *f.Status != string(s)) {
			continue
		}
		ranges = append(ranges, keyRange{status: string(s), to: &blank}, keyRange{status: string(s), from: &day})
	}
	return ranges
}

// scanWithKey scans a patent row followed by its sort key.
type scanWithKey struct {
	row rowScanner
	key *string
}

func (s scanWithKey) Scan(dest ...any) error { return s.row.Scan(append(dest, s.key)...) }

// patentWhere builds the WHERE clause of a filter, with placeholders only.
func patentWhere(f PatentFilter) ([]string, []any) {
	where, args := []string{"1"}, []any{}
	if f.Query != nil {
		// A query that reads as a patent number finds it in any notation;
		// otherwise (and also) every word must match the full-text index.
		plan := f.search
		if plan == nil {
			plan = &searchPlan{match: ftsQuery(*f.Query)}
		}
		fts, q := plan.condition(), plan.match
		if n, err := licensing.ParsePatentNumber(*f.Query); err == nil && q != "" {
			col := "p.normalized"
			if n.Kind == "" {
				col = "p.doc_number"
			}
			where = append(where, "("+col+" = ? OR "+fts+")")
			args = append(args, n.String(), q)
		} else if q != "" {
			where = append(where, fts)
			args = append(args, q)
		}
	}
	if len(f.OwnerIDs) > 0 {
		owners := make([]any, len(f.OwnerIDs))
		for i, id := range f.OwnerIDs {
			owners[i] = id
		}
		if f.OwnerOn == nil {
			where = append(where, "p.owner_id IN ("+placeholders(len(owners))+")")
			args = append(args, owners...)
		} else {
			cond, condArgs := ownedOnSQL(owners, *f.OwnerOn)
			where, args = append(where, cond), append(args, condArgs...)
		}
	}
	if f.Agreement != nil {
		where = append(where, `p.id IN (SELECT ap.patent_id FROM assignment_patents ap
			JOIN assignments a ON a.id = ap.assignment_id WHERE a.agreement_id = ?)`)
		args = append(args, *f.Agreement)
	}
	for _, eq := range []struct {
		col string
		v   *string
	}{{"p.office", f.Office}, {"p.status", f.Status}, {"p.family", f.Family}} {
		if eq.v != nil {
			where = append(where, eq.col+" = ?")
			args = append(args, *eq.v)
		}
	}
	if f.Family != nil {
		// The family index holds only patents with a family key; SQLite
		// uses it only when the query states that condition too.
		where = append(where, "p.family <> ''")
	}
	for _, l := range []struct {
		kind string
		v    *string
	}{{"tag", f.Tag}, {"standard", f.Standard}} {
		if l.v != nil {
			where = append(where, "EXISTS (SELECT 1 FROM patent_labels l WHERE l.kind = ? AND l.value = ? AND l.patent_id = p.id)")
			args = append(args, l.kind, *l.v)
		}
	}
	if f.SEP != nil {
		where = append(where, "p.sep = ?")
		args = append(args, *f.SEP)
	}
	if f.InForceOn != nil {
		// The same rule as licensing.Patent.InForce, as SQL.
		d := f.InForceOn.String()
		where = append(where, `p.office <> 'WO' AND p.status <> 'pending'
			AND (p.granted_on IS NULL OR p.granted_on <= ?)
			AND NOT (p.status IN ('lapsed', 'abandoned', 'revoked') AND COALESCE(p.status_on, '') <= ?)
			AND (CASE WHEN p.expiry IS NULL THEN p.status <> 'expired' OR p.status_on > ? ELSE p.expiry >= ? END)`)
		args = append(args, d, d, d, d)
	}
	if f.ExpiresBefore != nil {
		where = append(where, "p.expiry < ?")
		args = append(args, f.ExpiresBefore.String())
	}
	return where, args
}

// ownedOnSQL is the condition that one of owners owned patent p on day on,
// with its placeholders' values: the holder that day by the chain of
// title, or, on a day before the chain begins at the filing date, the
// original owner — the rule of ownerOnSQL and OwnersOn. Each half is a
// range of an index.
func ownedOnSQL(owners []any, on licensing.Date) (string, []any) {
	in, day := placeholders(len(owners)), on.String()
	args := slices.Concat(owners, []any{day, day}, owners, []any{day})
	return `p.id IN (SELECT po.patent_id FROM patent_owners po WHERE po.owner_id IN (` + in + `) AND po.from_on <= ? AND po.to_on >= ?
		UNION ALL SELECT b.id FROM patents b WHERE b.original_owner_id IN (` + in + `) AND b.filed_on > ?)`, args
}
