package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode"
)

// A search word matches as the start of a word (docs/api.md). FTS5 answers
// a prefix query ("method"*) by merging the posting lists of every term
// with that prefix in full before it returns the first match: for a word
// in four titles of ten, some 400,000 postings at a million patents, a
// tenth of a second before the first row. A whole term ("method") is read
// incrementally instead, a page of matches in a fraction of a millisecond.
// So the search first looks up, in the index's own vocabulary, the terms a
// word is the start of, and asks for those terms by name: the same
// matches, found as they are needed. A word that starts too many terms
// keeps the prefix form.
//
// Which patents are shown is then decided in the sort order of the list.
// When matches are rare (fewer than a thousand), SQLite gathers them all
// and sorts them, which is cheap. When they are common, gathering them all
// is what costs: the list walks its sort order instead and asks the index
// of each patent whether it matches, stopping when the page is full. In
// between (one patent in a few hundred to one in twenty), the walk would
// ask too often and SQLite's sort would fetch and sort tens of thousands of
// rows: the list sifts instead, reading the matching ids alone into memory
// and walking the sort column's index until the page is full. A probe of
// the first matches in the index's order tells the three apart.

// searchExpandMax is how many whole terms a word may stand for; a word
// that starts more (a single letter, the start of a number) is left as a
// prefix. Each term costs one seek of the vocabulary.
const searchExpandMax = 16

// searchProbe is how many matches the probe reads, in the index's order
// (the patents' ids), to estimate how common the matches are.
const searchProbe = 1000

// searchLookupCost is what one patent looked up in the full-text index on
// the walk costs, counted in matches read by the sift (at a million
// patents, with the index in one segment, a lookup takes some 15–20 µs and
// the sift reads a match in about 0.2 µs). A lookup reads every segment of
// the index (15 µs with one, 50 µs with five), reading a match barely
// depends on them: lookupCost scales it by the segments last counted.
const searchLookupCost = 100

// lookupCost is what a lookup costs with the index in the segments last
// counted (one when they never were).
func (db *DB) lookupCost() float64 {
	segments := float64(max(db.segments.Load(), 1))
	return cmp.Or(db.search.lookupCost, searchLookupCost) * (0.4 + 0.6*segments)
}

// siftMax bounds the matches the sift reads into memory (a bit for each
// patent id up to the highest match); a search with more is gathered by
// SQLite instead.
const siftMax = 250_000

// siftSpan is how many ids one statement of the sift's reading covers.
const siftSpan = 1 << 18

// searchKnobs are the constants above, for tests to change: zero values
// mean the constants.
type searchKnobs struct {
	probe      int
	lookupCost float64
	siftMax    int
	siftSpan   int64
}

// searchPlan is how a search is put to the full-text index.
type searchPlan struct {
	match string // the FTS5 query
	// walk: the matches are common, so the list walks its sort order and
	// looks each patent up in the index.
	walk bool
	// sift: the matches are too many for SQLite to sort at once and too
	// few for the walk, so they are read into memory and the list walks
	// its sort index keeping those among them.
	sift bool
	top  int64 // the highest id in the index, when the probe found its match
}

// condition is the search's condition on the patents p, with its value.
func (s *searchPlan) condition() string {
	if s.walk {
		return "EXISTS (SELECT 1 FROM patents_fts f WHERE f.patents_fts MATCH ? AND f.rowid = p.id)"
	}
	return "p.id IN (SELECT rowid FROM patents_fts WHERE patents_fts MATCH ?)"
}

// searchWords are the words of what a user typed, as the index splits
// them: runs of letters and digits.
func searchWords(input string) []string {
	return strings.FieldsFunc(input, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ftsQuery turns what a user typed into an FTS5 query: every word must
// match as a prefix. Words are quoted, so FTS syntax in the input is inert.
func ftsQuery(input string) string {
	words := searchWords(input)
	terms := make([]string, 0, len(words))
	for _, w := range words {
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
}

// planSearch makes the FTS5 query of what a user typed, each word replaced
// by the whole terms it starts where they are few, and decides whether a
// page of limit patents is better found by walking or sifting the sort
// order. walkable says whether the list may do either (the search is its
// only filter, and not a patent number, which is also looked up as one).
// The query is "" when the input has no word.
func (db *DB) planSearch(ctx context.Context, input string, limit int, walkable bool) (*searchPlan, error) {
	words := searchWords(input)
	if len(words) == 0 {
		return &searchPlan{}, nil
	}
	parts := make([]string, 0, len(words))
	for _, w := range words {
		terms, ok, err := db.termsStartingWith(ctx, w)
		if err != nil {
			return nil, err
		}
		switch {
		case !ok || len(terms) == 0:
			// Left as a prefix; where no term starts with the word,
			// nothing matches, which the prefix form says as fast.
			parts = append(parts, `"`+w+`"*`)
		default:
			quoted := make([]string, len(terms))
			for i, t := range terms {
				quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
			}
			parts = append(parts, "("+strings.Join(quoted, " OR ")+")")
		}
	}
	plan := &searchPlan{match: strings.Join(parts, " AND ")}
	if walkable && limit > 0 {
		// The probe: the probe-th match in the order of the ids, with
		// the highest id. The earlier it comes, the commoner the
		// matches; if there is none, they are rare.
		probe := cmp.Or(db.search.probe, searchProbe)
		var id int64
		err := db.sql.QueryRowContext(ctx, `SELECT rowid, (SELECT coalesce(max(rowid), 0) FROM patents_fts) FROM patents_fts WHERE patents_fts MATCH ? LIMIT 1 OFFSET ?`,
			plan.match, probe-1).Scan(&id, &plan.top)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// Fewer than probe matches: SQLite sorts them at once.
		case err != nil:
			return nil, err
		default:
			// probe matches among the first id patents (ids are given in
			// order; deleted ones only make the estimate lower): a share
			// of probe/id of the top patents match. The walk looks up
			// about (limit+1)·id/probe patents to fill a page; the sift
			// reads about top·probe/id matches. The cheaper is taken.
			walk := float64(limit+1) * float64(id) / float64(probe) * db.lookupCost()
			sift := float64(plan.top) * float64(probe) / float64(id)
			plan.walk = walk <= sift
			plan.sift = !plan.walk
		}
	}
	return plan, nil
}

// termsStartingWith lists the terms of the full-text index that start with
// word, as the index folds it, by seeking the vocabulary once per term. ok
// is false when the word's folding cannot be done here exactly (it has
// letters beyond ASCII, which the index folds by its own tables) or when
// it starts more than searchExpandMax terms.
func (db *DB) termsStartingWith(ctx context.Context, word string) (terms []string, ok bool, err error) {
	prefix := strings.ToLower(word)
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return nil, false, nil
		}
	}
	// Every string that starts with prefix sorts at or after it and before
	// end, the prefix with its last byte raised by one.
	end := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	from := prefix
	for {
		var term string
		err := db.sql.QueryRowContext(ctx, `SELECT term FROM patents_fts_terms WHERE term >= ? AND term < ? LIMIT 1`,
			from, end).Scan(&term)
		if errors.Is(err, sql.ErrNoRows) {
			return terms, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		if len(terms) == searchExpandMax {
			return nil, false, nil
		}
		terms = append(terms, term)
		// The next term: no term holds a control character, so none lies
		// between term and term followed by \x01.
		from = term + "\x01"
	}
}

// siftPage reads a page of the list l, whose one filter is the search
// plan, by the sift: every match's id into memory, then the sort index
// from the cursor on, keeping the ids among the matches until the page is
// full, then those patents' rows. ok is false when the matches are more
// than siftMax: the caller asks SQLite instead.
func (db *DB) siftPage(ctx context.Context, l listQuery, plan *searchPlan) (pg patentPage, ok bool, err error) {
	matches, ok, err := db.searchMatches(ctx, plan.match, plan.top)
	if err != nil || !ok {
		return pg, false, err
	}
	// The sort order from the cursor on, read from the sort column's index.
	where := "1"
	if l.after != "" {
		where = l.after
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id FROM patents p WHERE `+where+` ORDER BY `+l.order, l.afterArgs...)
	if err != nil {
		return pg, false, err
	}
	var ids []int64
	for rows.Next() && len(ids) < l.limit {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return pg, false, err
		}
		if matches.has(id) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return pg, false, err
	}
	if len(ids) == 0 {
		return pg, true, nil
	}
	// The page's rows, in one statement whatever their number, put back
	// into the order of the walk.
	list, err := json.Marshal(ids)
	if err != nil {
		return pg, false, err
	}
	got, err := scanPatentPage(ctx, db.sql, `SELECT `+patentColumns+`, `+l.key+patentFrom+
		` WHERE p.id IN (SELECT value FROM json_each(?))`, []any{string(list)})
	if err != nil {
		return pg, false, err
	}
	at := make(map[int64]int, len(got.list))
	for i, r := range got.list {
		at[r.ID] = i
	}
	for _, id := range ids {
		if i, ok := at[id]; ok { // a patent deleted since the walk is left out
			pg.list, pg.keys = append(pg.list, got.list[i]), append(pg.keys, got.keys[i])
		}
	}
	return pg, true, nil
}

// searchMatches reads the ids up to top of the patents that match, an
// FTS5 query, into a set; ok is false, and the set incomplete, when they
// are more than siftMax. SQLite joins the ids of a span of ids into one text, which it
// does in a fraction of the time it takes to hand them over one row at a
// time (the reading is most of a sift's cost); the spans bound what one
// statement reads before the count is checked.
func (db *DB) searchMatches(ctx context.Context, match string, top int64) (matches idSet, ok bool, err error) {
	n, span, most := 0, cmp.Or(db.search.siftSpan, siftSpan), cmp.Or(db.search.siftMax, siftMax)
	for from := int64(0); from <= top; from += span {
		var joined []byte
		err := db.sql.QueryRowContext(ctx, `SELECT group_concat(rowid) FROM patents_fts WHERE patents_fts MATCH ? AND rowid >= ? AND rowid < ?`,
			match, from, from+span).Scan(&joined)
		if err != nil {
			return nil, false, err
		}
		for len(joined) > 0 {
			i := bytes.IndexByte(joined, ',')
			if i < 0 {
				i = len(joined)
			}
			id, err := strconv.ParseInt(string(joined[:i]), 10, 64)
			if err != nil {
				return nil, false, err
			}
			matches = matches.add(id)
			n++
			joined = joined[min(i+1, len(joined)):]
		}
		if n > most {
			return matches, false, nil
		}
	}
	return matches, true, nil
}

// idSet is a set of patent ids, a bit for each id up to the highest in it.
type idSet []uint64

// add puts id in the set.
func (s idSet) add(id int64) idSet {
	if id < 0 {
		return s
	}
	w := int(id / 64)
	if w >= len(s) {
		s = append(s, make([]uint64, w+1-len(s))...)
	}
	s[w] |= 1 << (id % 64)
	return s
}

// has reports whether id is in the set.
func (s idSet) has(id int64) bool {
	w := id / 64
	return id >= 0 && w < int64(len(s)) && s[w]&(1<<(id%64)) != 0
}
