package sqlite

import (
	"context"
	"strings"
	"sync"
)

// The patents list shows a page in the order of its sort column. When a
// filter has an index of its own (an office, a status, an owner), SQLite
// reads every matching patent through that index and sorts them all before
// the first row can show: at a million patents, 200,000 European patents
// sorted by filing date to show fifty, half a second. When matches are
// common it is far cheaper to walk the sort column's own index and keep the
// rows that pass the filter; at one match in five a page of fifty reads 250
// index entries. SQLite cannot know which is cheaper without statistics of
// every value, so the list tries the walk over a bounded window of the sort
// order first, and only when that window holds no full page (the matches
// are rare, so sorting them is cheap) asks SQLite's own plan.

// sortWindow is how many patents of the sort order the walk reads at most
// before it gives way: a few milliseconds at a million patents, the cost
// of a walk that does not fill its page. A page of fifty fills within it
// whenever at least one patent in forty matches.
const sortWindow = 2048

// walkable reports whether a list may be read by walking the sort index:
// not for the filters that select a handful of patents (a family, an
// agreement's transfers), whose matches SQLite sorts in no time, nor for
// pages too large for one window to fill.
func walkable(f *PatentFilter, limit int) bool {
	return f.Family == nil && f.Agreement == nil && limit <= sortWindow/8
}

// patentPage is one page of the list and the sort key of each of its rows.
type patentPage struct {
	list []*PatentRecord
	keys []string
}

// scanPatentPage reads the rows of a list query: a patent followed by its
// sort key.
func scanPatentPage(ctx context.Context, q querier, query string, args []any) (patentPage, error) {
	var pg patentPage
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return pg, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		r, err := scanPatent(scanWithKey{rows, &k})
		if err != nil {
			return pg, err
		}
		pg.list = append(pg.list, r)
		pg.keys = append(pg.keys, k)
	}
	return pg, rows.Err()
}

// listQuery is a patents list query taken apart: the filter's conditions,
// the keyset condition of the cursor, and the order.
type listQuery struct {
	filter     []string // conditions on p, without the cursor's
	filterArgs []any
	after      string // the cursor's condition on p, "" on the first page
	afterArgs  []any
	order      string // "key ASC, p.normalized ASC"
	key        string // the sort expression
	limit      int    // rows wanted, one more than the page to learn whether another follows
	desc       bool   // the order is descending
	cursor     *cursor
	ranges     []keyRange // the ranges of the sort order that hold every patent on the list; nil: the whole order
}

// keyRange is a range of the sort order, read from an index in that order:
// the sort index itself, or with a status the part of the index of
// (status, expiry, number) for that status. A list whose filter admits
// only some ranges has its window read from those alone, merged: "in
// force today, by expiry" would otherwise read the 80,000 patents expired
// before today (ascending) or the 300,000 pending applications that expire
// last (descending) before the first one on the list.
type keyRange struct {
	status   string  // "": any status, from the sort index
	from, to *string // the first and last key of the range; nil: open
}

// plain is the query SQLite plans on its own.
func (l listQuery) plain() (string, []any) {
	where := l.filter
	args := append([]any{}, l.filterArgs...)
	if l.after != "" {
		where = append(append([]string{}, where...), l.after)
		args = append(args, l.afterArgs...)
	}
	return `SELECT ` + patentColumns + `, ` + l.key + patentFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + l.order + ` LIMIT ?`, append(args, l.limit)
}

// window is the sort order's next sortWindow patents, read from the sort
// column's index alone.
func (l listQuery) window() (string, []any) {
	if l.ranges != nil {
		return l.rangedWindow()
	}
	where := "1"
	if l.after != "" {
		where = l.after
	}
	return `SELECT p.id, ` + l.key + ` AS k, p.normalized AS n FROM patents p WHERE ` + where + ` ORDER BY ` + l.order + ` LIMIT ?`,
		append(append([]any{}, l.afterArgs...), sortWindow)
}

// rangedWindow is the window of a list read from its ranges of the sort
// order, merged (SQLite merges the ranges' rows as they come, no sort),
// each range starting at the cursor when the cursor lies in it.
func (l listQuery) rangedWindow() (string, []any) {
	dir, cmp := "ASC", ">"
	if l.desc {
		dir, cmp = "DESC", "<"
	}
	var selects []string
	var args []any
	for _, r := range l.ranges {
		from, to := r.from, r.to
		cond, condArgs := []string{}, []any{}
		if c := l.cursor; c != nil {
			// (A range the cursor is past becomes empty: one seek.)
			if !l.desc && (from == nil || c.Key > *from) {
				from = &c.Key
			}
			if l.desc && (to == nil || c.Key < *to) {
				to = &c.Key
			}
			cond, condArgs = append(cond, "("+l.key+", p.normalized) "+cmp+" (?, ?)"), append(condArgs, c.Key, c.Number)
		}
		if r.status != "" {
			cond, condArgs = append(cond, "p.status = ?"), append(condArgs, r.status)
		}
		if from != nil {
			cond, condArgs = append(cond, l.key+" >= ?"), append(condArgs, *from)
		}
		if to != nil {
			cond, condArgs = append(cond, l.key+" <= ?"), append(condArgs, *to)
		}
		if len(cond) == 0 {
			cond = append(cond, "1")
		}
		selects = append(selects, `SELECT p.id, `+l.key+` AS k, p.normalized AS n FROM patents p WHERE `+strings.Join(cond, " AND "))
		args = append(args, condArgs...)
	}
	if len(selects) == 0 {
		// No range can hold a patent of the list (in force, and pending).
		selects = append(selects, `SELECT p.id, `+l.key+` AS k, p.normalized AS n FROM patents p WHERE 0`)
	}
	return strings.Join(selects, " UNION ALL ") + ` ORDER BY 2 ` + dir + `, 3 ` + dir + ` LIMIT ?`, append(args, sortWindow)
}

// walk is the query that keeps the window's patents that pass the filter.
// CROSS JOIN keeps the window the outer loop: left to itself SQLite would
// again start from the filter's index. Ordered by the window's own
// columns, the rows come in the window's order with no sort, so the walk
// ends as soon as the page is full rather than after the whole window.
func (l listQuery) walk() (string, []any) {
	w, wargs := l.window()
	dir := " ASC"
	if l.desc {
		dir = " DESC"
	}
	order := "w.k" + dir + ", w.n" + dir
	if l.key == sortExpr[SortNumber] {
		order = "w.n" + dir // the key is the number: SQLite sees the order of w.k, w.n in w.n alone
	}
	return `SELECT ` + patentColumns + `, ` + l.key + ` FROM (` + w + `) AS w CROSS JOIN patents p ON p.id = w.id
		JOIN companies o ON o.id = p.owner_id JOIN companies oo ON oo.id = p.original_owner_id
		WHERE ` + strings.Join(l.filter, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`,
		append(append(wargs, l.filterArgs...), l.limit)
}

// patentPage reads one page of the list by the cheaper of the two plans;
// with walk false, by SQLite's own.
func (db *DB) patentPage(ctx context.Context, l listQuery, walk bool) (patentPage, error) {
	query, args := l.plain()
	if walk && l.ranges == nil {
		// Without ranges the walk pays off only where SQLite would sort
		// every match; with them it also steps over what SQLite's plan
		// would read through.
		sorts, err := db.plans.sortsEveryRow(ctx, db.sql, query, args)
		if err != nil {
			return patentPage{}, err
		}
		walk = sorts
	}
	if !walk {
		return scanPatentPage(ctx, db.sql, query, args)
	}
	walkQuery, walkArgs := l.walk()
	pg, err := scanPatentPage(ctx, db.sql, walkQuery, walkArgs)
	if err != nil || len(pg.list) >= l.limit {
		return pg, err
	}
	// Fewer rows than wanted: either the window reached the end of the
	// list, and the page is complete, or the matches are rare.
	w, wargs := l.window()
	var read int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM (`+w+`)`, wargs...).Scan(&read); err != nil {
		return patentPage{}, err
	}
	if read < sortWindow {
		return pg, nil
	}
	return scanPatentPage(ctx, db.sql, query, args)
}

// planCache remembers, per query text, whether SQLite's plan sorts every
// matching row before the first can be returned. A plan depends on the
// text and the schema, not on the values bound, so one EXPLAIN per kind of
// list is enough.
type planCache struct {
	mu    sync.Mutex
	sorts map[string]bool
}

// maxPlans bounds the cache: the lists' texts differ by which filters are
// set and how many owners are named, a few hundred in practice.
const maxPlans = 2048

func (c *planCache) sortsEveryRow(ctx context.Context, q querier, query string, args []any) (bool, error) {
	c.mu.Lock()
	sorts, ok := c.sorts[query]
	c.mu.Unlock()
	if ok {
		return sorts, nil
	}
	rows, err := q.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return false, err
		}
		// "USE TEMP B-TREE FOR ORDER BY" sorts every row; the variants
		// "FOR RIGHT PART OF ORDER BY" and "FOR LAST TERM OF ORDER BY"
		// only break ties of rows that come in order.
		if detail == "USE TEMP B-TREE FOR ORDER BY" {
			sorts = true
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	c.mu.Lock()
	if c.sorts == nil || len(c.sorts) >= maxPlans {
		c.sorts = map[string]bool{}
	}
	c.sorts[query] = sorts
	c.mu.Unlock()
	return sorts, nil
}
