package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// PatentSetQuery selects the patents of a coverage route: those in every
// one of Sets, less those in every set of any one entry of Except, with
// the conditions of the day and the territory asked.
type PatentSetQuery struct {
	Sets []licensing.PatentSet // in all of them; none: no patents
	// Except: minus the patents in all sets of any one entry (an owner shut
	// out by exclusive grants); an entry without sets takes nothing out.
	Except    [][]licensing.PatentSet
	InForceOn licensing.Date // zero: in force or not; else the rule of PatentFilter.InForceOn
	// Territory: "" any; else a country code the patent's office must
	// cover: its own country, or for an EP patent an EPC contracting state
	// among its designated states (all of them when none are recorded).
	Territory string
	After     int64 // only patents with a greater id: the cursor of the previous page
	Limit     int   // 0: no limit
}

// EachPatentIn calls fn for every patent of q in id order. The patents
// come without their labels (tags, standards, CPC, designated states).
// One statement streams them all, not a statement a page as EachPatent
// reads: each statement gathers the set's ids anew, which for a route of
// 300,000 patents costs about as much as reading them. Memory stays flat;
// fn runs while the statement is open and may read the database, through
// another pooled connection.
func (db *DB) EachPatentIn(ctx context.Context, q PatentSetQuery, fn func(*PatentRecord) error) error {
	names := companyNames{ctx: ctx, db: db}
	return db.eachRowIn(ctx, q, patentFields, func(r rowScanner) (*PatentRecord, error) { return scanStreamed(r, &names) }, fn)
}

// EachPatentHeadIn calls fn for every patent of q in id order, as
// EachPatentIn does, with only the fields of a patent that a coverage row
// shows: its id, normalized number, title and office, and the dates its
// expiry (Patent.Expiry) follows from. Reading a column costs about as
// much as SQLite's finding the row, so a coverage of hundreds of thousands
// of patents reads the six columns it shows, not all nineteen.
func (db *DB) EachPatentHeadIn(ctx context.Context, q PatentSetQuery, fn func(*PatentRecord) error) error {
	return db.eachRowIn(ctx, q, `p.id, p.normalized, p.title, p.office, p.filed_on, p.expires_on`, func(row rowScanner) (*PatentRecord, error) {
		var r PatentRecord
		p := &r.Patent
		var filed, expires sql.NullString
		err := row.Scan(&p.ID, &p.Normalized, &p.Title, &p.Office, &filed, &expires)
		if err == nil {
			p.FiledOn, err = scanDate(filed)
		}
		if err == nil {
			p.ExpiresOn, err = scanDate(expires)
		}
		return &r, err
	}, fn)
}

// eachRowIn streams the patents of q in id order, reading columns of each
// with scan.
func (db *DB) eachRowIn(ctx context.Context, q PatentSetQuery, columns string, scan func(rowScanner) (*PatentRecord, error), fn func(*PatentRecord) error) error {
	where, args := patentSetWhere(&q)
	query := `SELECT ` + columns + ` FROM patents p WHERE ` + where + ` ORDER BY p.id`
	if q.Limit > 0 {
		query, args = query+` LIMIT ?`, append(args, q.Limit)
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountPatentsIn counts the patents of q; q.Limit does not bound the count.
func (db *DB) CountPatentsIn(ctx context.Context, q PatentSetQuery) (int, error) {
	where, args := patentSetWhere(&q)
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM patents p WHERE `+where, args...).Scan(&n)
	return n, err
}

// CountPatentsInByOwner counts the patents of q by their owner on day on,
// by the chain of title (the rule of OwnersOn): a cell of the rights
// matrix is the count of one row company. q.Limit does not bound the
// counts.
func (db *DB) CountPatentsInByOwner(ctx context.Context, q PatentSetQuery, on licensing.Date) (map[int64]int, error) {
	where, args := patentSetWhere(&q)
	rows, err := db.sql.QueryContext(ctx, `SELECT owner, count(*) FROM (SELECT `+ownerOnSQL+` AS owner FROM patents p WHERE `+where+`)
		GROUP BY owner`, append([]any{on.String(), on.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[int64]int{}
	for rows.Next() {
		var owner int64
		var n int
		if err := rows.Scan(&owner, &n); err != nil {
			return nil, err
		}
		counts[owner] = n
	}
	return counts, rows.Err()
}

// PatentsIn returns the first limit patents of q by id (id and normalized
// number) and how many q has in all: a conflict names a few of the
// patents it concerns and counts the rest. limit replaces q.Limit.
func (db *DB) PatentsIn(ctx context.Context, q PatentSetQuery, limit int) ([]licensing.PatentRef, int, error) {
	total, err := db.CountPatentsIn(ctx, q)
	if err != nil || total == 0 || limit <= 0 {
		return nil, total, err
	}
	where, args := patentSetWhere(&q)
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, p.normalized FROM patents p WHERE `+where+` ORDER BY p.id LIMIT ?`,
		append(args, limit)...)
	refs, err := scanAll(rows, err, func(r rowScanner) (licensing.PatentRef, error) {
		var ref licensing.PatentRef
		return ref, r.Scan(&ref.ID, &ref.Number)
	})
	return refs, total, err
}

// LastExpiryIn returns the latest last day of term (patents.expiry) among
// the patents of q; zero when q has none, or when one of them has no known
// expiry, since then the last licensed patent may run past any date.
func (db *DB) LastExpiryIn(ctx context.Context, q PatentSetQuery) (licensing.Date, error) {
	where, args := patentSetWhere(&q)
	var last sql.NullString
	var unknown int
	err := db.sql.QueryRowContext(ctx, `SELECT max(p.expiry), count(*) - count(p.expiry) FROM patents p WHERE `+where, args...).
		Scan(&last, &unknown)
	if err != nil || unknown > 0 {
		return licensing.Date{}, err
	}
	return scanDate(last)
}

// patentSetWhere is the condition on patents p of a query, with its
// placeholders' values; q.Limit is left to the caller.
//
// Each set is one "p.id IN (…)" over indexes alone (patentSetIDs), so the
// statement reads the row of a patent only once it is in the first set:
// never the whole patents table.
func patentSetWhere(q *PatentSetQuery) (string, []any) {
	if len(q.Sets) == 0 {
		return "0", nil
	}
	var conds []string
	var args []any
	for i := range q.Sets {
		c, a := patentSetCond(&q.Sets[i])
		conds, args = append(conds, c), append(args, a...)
	}
	for _, entry := range q.Except {
		if len(entry) == 0 {
			continue
		}
		var all []string
		for i := range entry {
			c, a := patentInSet(&entry[i])
			all, args = append(all, c), append(args, a...)
		}
		conds = append(conds, `NOT (`+strings.Join(all, " AND ")+`)`)
	}
	if !q.InForceOn.IsZero() {
		inForce, a := patentWhere(PatentFilter{InForceOn: &q.InForceOn})
		conds, args = append(conds, inForce...), append(args, a...)
	}
	if q.Territory != "" {
		c, a := territoryCond(q.Territory)
		conds, args = append(conds, c), append(args, a...)
	}
	if q.After > 0 {
		conds, args = append(conds, `p.id > ?`), append(args, q.After)
	}
	return strings.Join(conds, " AND "), args
}

// patentSetCond is the condition that patent p is in set s.
func patentSetCond(s *licensing.PatentSet) (string, []any) {
	ids, args := patentSetIDs(s)
	if ids == "" {
		return "0", nil
	}
	cond := `p.id IN (` + ids + `)`
	if len(s.Offices) > 0 {
		in, vals := inList("+p.office", s.Offices) // see territoryCond
		cond, args = `(`+cond+` AND `+in+`)`, append(args, vals...)
	}
	return cond, args
}

// patentInSet is the condition that patent p is in set s, asked of each
// patent on its own: a lookup in its holdings (patent_owners' key), its
// labels (patent_labels_patent) and its own row. It serves where only the
// patents already found by other conditions are asked, as for the sets an
// owner is shut out of (PatentSetQuery.Except): those are the portfolios
// of exclusive licensors, hundreds of thousands of patents that
// patentSetCond would gather in full, for each query, to take out a few
// of a small set.
//
// The unary + keeps SQLite from answering the holdings' lookup through
// the range of the owner's holdings in patent_owners_owner, a scan per
// patent, instead of the patent's few holdings.
func patentInSet(s *licensing.PatentSet) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vals []any) {
		conds, args = append(conds, cond), append(args, vals...)
	}
	if len(s.HeldBy) > 0 {
		var spans []string
		var vals []any
		for _, sp := range s.HeldBy {
			spans = append(spans, `(+po.owner_id = ? AND +po.from_on <= ? AND po.to_on >= ?)`)
			vals = append(vals, sp.Owner, sp.To.String(), sp.From.String())
		}
		add(`EXISTS (SELECT 1 FROM patent_owners po WHERE po.patent_id = p.id AND (`+strings.Join(spans, " OR ")+`))`, vals)
	}
	if len(s.Patents) > 0 {
		add(inList("p.id", uniqueIDs(s.Patents)))
	}
	if len(s.Families) > 0 {
		in, vals := inList("p.family", familyKeys(s.Families))
		add(`(`+in+` AND p.family <> '')`, vals)
	}
	if len(conds) == 0 {
		return "0", nil // no way in: the set is empty, as for patentSetIDs
	}
	for _, l := range scopeLabels(s.Tags, s.Standards) {
		in, vals := inList("l.value", l.values)
		add(`EXISTS (SELECT 1 FROM patent_labels l WHERE l.patent_id = p.id AND l.kind = ? AND `+in+`)`, append([]any{l.kind}, vals...))
	}
	if len(s.Offices) > 0 {
		add(inList("+p.office", s.Offices))
	}
	return `(` + strings.Join(conds, " AND ") + `)`, args
}

// patentSetIDs is a SELECT of the ids of the patents in set s, offices
// aside, "" for none: the ways in (holdings, listed ids, families)
// intersected with each other and with the label lists.
//
// The set is gathered as ids before any patent row is read: reading a row
// costs a seek, while holdings (ranges of patent_owners_owner), families
// (patents_family) and labels (patent_labels' key) are walked in index
// order. INTERSECT merges those sorted lists rather than looking each
// patent held up in patent_labels.
func patentSetIDs(s *licensing.PatentSet) (string, []any) {
	var parts []string
	var args []any
	add := func(part string, vals []any) {
		parts, args = append(parts, part), append(args, vals...)
	}
	if len(s.HeldBy) > 0 {
		add(heldIDs(s.HeldBy))
	}
	if len(s.Patents) > 0 {
		in, vals := inList("i.id", uniqueIDs(s.Patents))
		add(`SELECT i.id FROM patents i WHERE `+in, vals)
	}
	if len(s.Families) > 0 {
		in, vals := inList("f.family", familyKeys(s.Families))
		// family <> '' is no filter (the keys are not blank) but lets SQLite
		// use the partial index patents_family.
		add(`SELECT f.id FROM patents f WHERE `+in+` AND f.family <> ''`, vals)
	}
	if len(parts) == 0 {
		return "", nil
	}
	for _, l := range scopeLabels(s.Tags, s.Standards) {
		in, vals := inList("l.value", l.values)
		add(`SELECT l.patent_id FROM patent_labels l WHERE l.kind = ? AND `+in, append([]any{l.kind}, vals...))
	}
	return strings.Join(parts, " INTERSECT "), args
}

// territoryCond is the condition that patent p's office covers country t:
// a national patent its own country; an EP patent an EPC contracting state
// among its designated states, every one of them when none are recorded
// (the rule of the rights engine).
//
// The unary + keeps SQLite from reading the patents through
// patents_office, which it would take for selective: an office holds a
// fifth of a portfolio, while the sets' ids are the cheaper way in.
func territoryCond(t string) (string, []any) {
	t = strings.ToUpper(strings.TrimSpace(t))
	if !slices.Contains(licensing.EPCStates, t) {
		return `+p.office = ?`, []any{t}
	}
	return `(+p.office = ? OR (+p.office = 'EP' AND (EXISTS (SELECT 1 FROM patent_labels s WHERE s.kind = 'state' AND s.value = ? AND s.patent_id = p.id)
		OR NOT EXISTS (SELECT 1 FROM patent_labels s WHERE s.patent_id = p.id AND s.kind = 'state'))))`, []any{t, t}
}

// HasPatentRunningTo reports whether q has a patent whose term runs to day
// on or later, or whose expiry is not known: whether LastExpiryIn is zero or
// on or after that day, without reading every patent of q. A portfolio (one
// set of holders) is asked holding by holding, latest first, through
// patent_owners_owner: the patents filed last run longest, so the first
// few holdings usually answer; otherwise the set is gathered as
// patentSetWhere gathers it.
func (db *DB) HasPatentRunningTo(ctx context.Context, q PatentSetQuery, on licensing.Date) (bool, error) {
	runs := `(p.expiry IS NULL OR p.expiry >= ?)`
	if s := &q.Sets; len(*s) == 1 && len((*s)[0].HeldBy) > 0 && len((*s)[0].Patents) == 0 && len((*s)[0].Families) == 0 &&
		len(q.Except) == 0 && q.InForceOn.IsZero() && q.Territory == "" && q.After == 0 {
		set := (*s)[0]
		narrow, args := narrowing(set.Tags, set.Standards, set.Offices)
		cond := runs
		if len(narrow) > 0 {
			cond += ` AND ` + strings.Join(narrow, " AND ")
		}
		for _, sp := range set.HeldBy {
			var found int
			err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM patent_owners po CROSS JOIN patents p ON p.id = po.patent_id
				WHERE po.owner_id = ? AND po.from_on <= ? AND po.to_on >= ? AND `+cond+` ORDER BY po.from_on DESC LIMIT 1`,
				append([]any{sp.Owner, sp.To.String(), sp.From.String(), on.String()}, args...)...).Scan(&found)
			if err == nil {
				return true, nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return false, err
			}
		}
		return false, nil
	}
	where, args := patentSetWhere(&q)
	var found bool
	err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM patents p WHERE `+where+` AND `+runs+`)`, append(args, on.String())...).Scan(&found)
	return found, err
}
