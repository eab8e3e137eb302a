package sqlite

import (
	"context"
	"slices"

	"patentdesk/internal/licensing"
)

// The patents two grants' scopes share, for many pairs at once. The
// conflicts report pairs each exclusive grant with every grant that
// overlaps it in term, territory, field and activity: at a million patents
// some 300,000 pairs, which one statement a pair (PatentsIn) answered in
// hours. Here the pairs are answered together, each patent read once:
//
//   - a pair where one side lists patents or families can share only
//     those: their facts (holdings, office, family, tags and standards)
//     are read once for all pairs and matched in memory;
//   - a pair of portfolios shares a patent held by an owner of both, or a
//     patent that changed hands. A patent that never changed hands has one
//     holding, so its owner must be named by both: the holdings of each
//     such owner are walked once, in the order of patent_owners_owner, for
//     all the pairs that name it, and only the patents a narrowing (tags,
//     standards, offices) must still decide have their labels read. The
//     patents that changed hands (those with a holding by assignment: the
//     chain of title gives every holding after the first its assignment)
//     are read whole and matched like listed ones.
//
// Every test is the rule of patentInSet, as SQL applies it: holdings
// compared as stored dates, labels without ASCII case, offices and family
// keys exactly.

// SetPair names two queries of a list, each a list of patent sets a patent
// must all be in (PatentSetQuery.Sets).
type SetPair struct{ A, B int }

// CommonPatents is what the two queries of a pair share: the first patents
// by id and how many there are.
type CommonPatents struct {
	First []licensing.PatentRef
	Count int
}

// PatentsInBoth answers, for each pair, what PatentsIn answers for a query
// of the sets of both its queries: the first limit patents in all of them
// by id, and how many there are.
func (db *DB) PatentsInBoth(ctx context.Context, queries [][]licensing.PatentSet, pairs []SetPair, limit int) ([]CommonPatents, error) {
	c := &commonFinder{ctx: ctx, db: db, limit: limit, found: make([]pairFound, len(pairs)), changedOf: map[int][]int64{}}
	for _, q := range queries {
		c.queries = append(c.queries, compileQuery(q))
	}
	for i, p := range pairs {
		c.pairs = append(c.pairs, c.pairOf(i, p))
	}
	steps := []func() error{c.readChanged, c.walkOwners, c.matchRead}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return c.results()
}

// commonFinder holds the work of one PatentsInBoth.
type commonFinder struct {
	ctx       context.Context
	db        *DB
	limit     int
	queries   []compiledQuery
	pairs     []commonPair
	found     []pairFound
	changed   map[int64]bool // patents with a holding by assignment
	changedOf map[int][]int64
}

// compiledSet is a patent set with its dates as stored, for matching many
// patents.
type compiledSet struct {
	way      bool // some way in: holders, patents or families
	spans    []ownerSpan
	patents  []int64 // sorted; nil: not narrowed to listed patents
	listed   bool
	families []string
	byFamily bool
	labels   []scopeLabel
	offices  []string
}

type ownerSpan struct {
	owner    int64
	from, to string
}

// narrows reports whether the set asks more of a patent than its holdings.
func (s *compiledSet) narrows() bool {
	return len(s.labels) > 0 || len(s.offices) > 0 || s.listed || s.byFamily
}

type compiledQuery struct {
	sets  []compiledSet
	empty bool // a set without a way in: no patents at all
}

func compileQuery(sets []licensing.PatentSet) compiledQuery {
	q := compiledQuery{}
	for i := range sets {
		s := &sets[i]
		cs := compiledSet{way: !s.Empty(), labels: scopeLabels(s.Tags, s.Standards), offices: s.Offices}
		for _, sp := range s.HeldBy {
			cs.spans = append(cs.spans, ownerSpan{owner: sp.Owner, from: sp.From.String(), to: sp.To.String()})
		}
		if len(s.Patents) > 0 {
			cs.patents, cs.listed = uniqueIDs(s.Patents), true
		}
		if len(s.Families) > 0 {
			cs.families, cs.byFamily = familyKeys(s.Families), true
		}
		if !cs.way {
			q.empty = true
		}
		q.sets = append(q.sets, cs)
	}
	return q
}

// commonPair is a pair with the way its patents are found: the candidates
// of a listed or family side, or the owners whose holdings are walked.
type commonPair struct {
	a, b int // the queries
	sets []*compiledSet
	// empty: no patents; listed: candidates are explicit (patents, or
	// members of families); otherwise found through holdings.
	empty    bool
	explicit *compiledSet
	held     *compiledSet // the first set with holders, for a pair of portfolios
}

func (c *commonFinder) pairOf(i int, p SetPair) commonPair {
	a, b := &c.queries[p.A], &c.queries[p.B]
	cp := commonPair{a: p.A, b: p.B, empty: a.empty || b.empty || len(a.sets)+len(b.sets) == 0}
	for _, q := range []*compiledQuery{a, b} {
		for j := range q.sets {
			cp.sets = append(cp.sets, &q.sets[j])
		}
	}
	if cp.empty {
		return cp
	}
	for _, s := range cp.sets {
		switch {
		case s.listed && (cp.explicit == nil || !cp.explicit.listed || len(s.patents) < len(cp.explicit.patents)):
			cp.explicit = s
		case s.byFamily && cp.explicit == nil:
			cp.explicit = s
		case len(s.spans) > 0 && cp.held == nil:
			cp.held = s
		}
	}
	return cp
}

// pairFound is what a pair shares so far.
type pairFound struct {
	count int
	first []int64 // ascending, at most limit
}

func (p *pairFound) add(id int64, limit int) {
	p.count++
	if limit <= 0 || (len(p.first) == limit && id > p.first[limit-1]) {
		return
	}
	i, _ := slices.BinarySearch(p.first, id)
	p.first = slices.Insert(p.first, i, id)
	if len(p.first) > limit {
		p.first = p.first[:limit]
	}
}

// readChanged finds the patents that changed hands: they alone may have
// more than one holding.
func (c *commonFinder) readChanged() error {
	ids, err := queryIDs(c.ctx, c.db.sql, `SELECT DISTINCT patent_id FROM patent_owners WHERE assignment_id IS NOT NULL`)
	c.changed = make(map[int64]bool, len(ids))
	for _, id := range ids {
		c.changed[id] = true
	}
	return err
}

// ownerPair is a pair of portfolios whose every set names one owner, with
// that owner's spans in each set.
type ownerPair struct {
	pair   int
	spans  [][]ownerSpan // per set
	narrow bool
}

// walkOwners walks, for each owner that every set of some pair of
// portfolios names, that owner's holdings once, and counts the patents that
// never changed hands into those pairs.
func (c *commonFinder) walkOwners() error {
	byOwner := map[int64][]ownerPair{}
	for i := range c.pairs {
		p := &c.pairs[i]
		if p.empty || p.explicit != nil || p.held == nil {
			continue
		}
		var owners []int64
		for _, sp := range p.held.spans {
			if !slices.Contains(owners, sp.owner) {
				owners = append(owners, sp.owner)
			}
		}
	owner:
		for _, o := range owners {
			op := ownerPair{pair: i}
			for _, s := range p.sets {
				var mine []ownerSpan
				for _, sp := range s.spans {
					if sp.owner == o {
						mine = append(mine, sp)
					}
				}
				if len(mine) == 0 {
					continue owner
				}
				op.spans = append(op.spans, mine)
				op.narrow = op.narrow || s.narrows()
			}
			byOwner[o] = append(byOwner[o], op)
		}
	}
	owners := make([]int64, 0, len(byOwner))
	for o := range byOwner {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	for _, o := range owners {
		if err := c.walkOwner(o, byOwner[o]); err != nil {
			return err
		}
	}
	return nil
}

// walkChunk is how many holdings of an owner are matched before the
// labels of those a narrowing must decide are read.
const walkChunk = 4096

// walkOwner counts the patents of owner o that never changed hands into
// the pairs that name o in all their sets.
func (c *commonFinder) walkOwner(o int64, pairs []ownerPair) error {
	lo, hi := "", ""
	for _, op := range pairs {
		for _, spans := range op.spans {
			for _, sp := range spans {
				if lo == "" || sp.from < lo {
					lo = sp.from
				}
				hi = max(hi, sp.to)
			}
		}
	}
	type held struct {
		patent int64
		holding
	}
	var chunk []held
	flush := func() error {
		err := c.matchHoldings(pairs, len(chunk), func(i int) (int64, *holding) { return chunk[i].patent, &chunk[i].holding })
		chunk = chunk[:0]
		return err
	}
	rows, err := c.db.sql.QueryContext(c.ctx, `SELECT patent_id, from_on, to_on FROM patent_owners
		WHERE owner_id = ? AND from_on <= ? AND to_on >= ?`, o, hi, lo)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.patent, &h.from, &h.to); err != nil {
			return err
		}
		if c.changed[h.patent] {
			continue // read whole in matchRead
		}
		if chunk = append(chunk, h); len(chunk) == walkChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// matchHoldings counts n patents of one owner, each with its one holding,
// into the pairs; those a narrowing must decide wait for their labels.
func (c *commonFinder) matchHoldings(pairs []ownerPair, n int, at func(int) (int64, *holding)) error {
	type pending struct {
		patent int64
		pair   int
	}
	var later []pending
	var ids []int64
	for i := range n {
		id, h := at(i)
		for k := range pairs {
			op := &pairs[k]
			if !op.heldAll(h) {
				continue
			}
			if !op.narrow {
				c.found[op.pair].add(id, c.limit)
				continue
			}
			later = append(later, pending{id, k})
			if len(ids) == 0 || ids[len(ids)-1] != id {
				ids = append(ids, id)
			}
		}
	}
	if len(later) == 0 {
		return nil
	}
	facts, err := c.readFacts(uniqueIDs(ids), false)
	if err != nil {
		return err
	}
	for _, p := range later {
		op := &pairs[p.pair]
		if f := facts[p.patent]; f != nil && c.pairs[op.pair].narrowedMatch(p.patent, f) {
			c.found[op.pair].add(p.patent, c.limit)
		}
	}
	return nil
}

// heldAll reports whether a holding of the pair's owner lies within a span
// of every set.
func (op *ownerPair) heldAll(h *holding) bool {
	for _, spans := range op.spans {
		if !slices.ContainsFunc(spans, func(sp ownerSpan) bool { return h.from <= sp.to && h.to >= sp.from }) {
			return false
		}
	}
	return true
}

// narrowedMatch reports whether a patent whose holdings are known to
// qualify passes the other tests of every set.
func (p *commonPair) narrowedMatch(id int64, f *setFacts) bool {
	for _, s := range p.sets {
		if !s.narrowedMatch(id, f) {
			return false
		}
	}
	return true
}

// matchRead matches the candidates of the listed and family pairs, and the
// patents that changed hands for the pairs of portfolios, read whole.
func (c *commonFinder) matchRead() error {
	var families []string
	for i := range c.pairs {
		if e := c.pairs[i].explicit; e != nil && !e.listed {
			families = append(families, e.families...)
		}
	}
	members, err := c.familyMembers(families)
	if err != nil {
		return err
	}
	candidates := func(s *compiledSet) []int64 {
		if s.listed {
			return s.patents
		}
		var ids []int64
		for _, f := range s.families {
			ids = append(ids, members[f]...)
		}
		return ids
	}
	var ids []int64
	for i := range c.pairs {
		if e := c.pairs[i].explicit; e != nil && !c.pairs[i].empty {
			ids = append(ids, candidates(e)...)
		}
	}
	// The patents that changed hands, by each owner they had.
	changedBy := map[int64][]changedHolding{}
	var changed []int64
	for id := range c.changed {
		changed = append(changed, id)
	}
	facts, err := c.readFacts(uniqueIDs(append(ids, changed...)), true)
	if err != nil {
		return err
	}
	for _, id := range uniqueIDs(changed) {
		if f := facts[id]; f != nil {
			for _, h := range f.held {
				changedBy[h.owner] = append(changedBy[h.owner], changedHolding{id, h})
			}
		}
	}
	for i := range c.pairs {
		p := &c.pairs[i]
		switch {
		case p.empty:
		case p.explicit != nil:
			for _, id := range uniqueIDs(candidates(p.explicit)) {
				if f := facts[id]; f != nil && p.match(id, f) {
					c.found[i].add(id, c.limit)
				}
			}
		case p.held != nil:
			for _, id := range intersectSorted(c.changedIn(p.a, changedBy, facts), c.changedIn(p.b, changedBy, facts)) {
				c.found[i].add(id, c.limit)
			}
		}
	}
	return nil
}

// changedHolding is a holding of a patent that changed hands.
type changedHolding struct {
	patent int64
	holding
}

// changedIn returns the patents that changed hands in query q, in id
// order, computed once per query; nil for a query of no sets, which
// narrows nothing.
func (c *commonFinder) changedIn(q int, changedBy map[int64][]changedHolding, facts map[int64]*setFacts) []int64 {
	if ids, ok := c.changedOf[q]; ok {
		return ids
	}
	query := &c.queries[q]
	var held *compiledSet
	for i := range query.sets {
		if len(query.sets[i].spans) > 0 {
			held = &query.sets[i]
			break
		}
	}
	ids := []int64{}
	if len(query.sets) == 0 {
		ids = nil
	} else if held != nil && !query.empty {
		for _, sp := range held.spans {
			for _, ch := range changedBy[sp.owner] {
				if ch.from <= sp.to && ch.to >= sp.from {
					ids = append(ids, ch.patent)
				}
			}
		}
		slices.Sort(ids)
		ids = slices.DeleteFunc(slices.Compact(ids), func(id int64) bool { return !query.match(id, facts[id]) })
	}
	c.changedOf[q] = ids
	return ids
}

// intersectSorted returns the ids in both ascending lists; a nil list
// stands for every patent.
func intersectSorted(a, b []int64) []int64 {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var out []int64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// match reports whether a patent is in every set of the query.
func (q *compiledQuery) match(id int64, f *setFacts) bool {
	for i := range q.sets {
		if s := &q.sets[i]; !s.heldMatch(f) || !s.narrowedMatch(id, f) {
			return false
		}
	}
	return true
}

// match reports whether a patent is in every set of the pair.
func (p *commonPair) match(id int64, f *setFacts) bool {
	for _, s := range p.sets {
		if !s.heldMatch(f) || !s.narrowedMatch(id, f) {
			return false
		}
	}
	return true
}

// heldMatch reports whether one of the patent's holdings lies within a
// span of the set, where it names holders.
func (s *compiledSet) heldMatch(f *setFacts) bool {
	if !s.way {
		return false
	}
	if len(s.spans) == 0 {
		return true
	}
	for _, h := range f.held {
		for _, sp := range s.spans {
			if sp.owner == h.owner && h.from <= sp.to && h.to >= sp.from {
				return true
			}
		}
	}
	return false
}

// narrowedMatch reports whether a patent passes the set's tests other than
// its holdings: listed, of a family, carrying the labels and of an office.
func (s *compiledSet) narrowedMatch(id int64, f *setFacts) bool {
	if !s.way || (s.listed && !containsSorted(s.patents, id)) || (s.byFamily && (f.family == "" || !slices.Contains(s.families, f.family))) {
		return false
	}
	return carriesLabels(f.labels, s.labels) && (len(s.offices) == 0 || slices.Contains(s.offices, f.office))
}

func containsSorted(ids []int64, id int64) bool {
	_, ok := slices.BinarySearch(ids, id)
	return ok
}

// setFacts is what matching a patent against sets reads of it.
type setFacts struct {
	office, family string
	patentHoldings
}

// factsChunk is how many patents' facts one statement reads.
const factsChunk = 500

// readFacts reads the office, family, tags and standards of the patents,
// and their holdings where asked; a patent not on record has no entry.
func (c *commonFinder) readFacts(ids []int64, holdings bool) (map[int64]*setFacts, error) {
	facts := make(map[int64]*setFacts, len(ids))
	for chunk := range slices.Chunk(ids, factsChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in := placeholders(len(args))
		rows, err := c.db.sql.QueryContext(c.ctx, `SELECT id, office, family FROM patents WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			f := &setFacts{}
			if err := rows.Scan(&id, &f.office, &f.family); err != nil {
				rows.Close()
				return nil, err
			}
			facts[id] = f
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		err = c.eachRow(`SELECT patent_id, kind, value FROM patent_labels WHERE patent_id IN (`+in+`) AND kind IN ('tag', 'standard')`, args,
			func(r rowScanner) error {
				var id int64
				var l scopeLabelValue
				if err := r.Scan(&id, &l.kind, &l.value); err != nil {
					return err
				}
				if f := facts[id]; f != nil {
					f.labels = append(f.labels, l)
				}
				return nil
			})
		if err != nil || !holdings {
			if err != nil {
				return nil, err
			}
			continue
		}
		err = c.eachRow(`SELECT patent_id, owner_id, from_on, to_on FROM patent_owners WHERE patent_id IN (`+in+`)`, args,
			func(r rowScanner) error {
				var id int64
				var h holding
				if err := r.Scan(&id, &h.owner, &h.from, &h.to); err != nil {
					return err
				}
				if f := facts[id]; f != nil {
					f.held = append(f.held, h)
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return facts, nil
}

func (c *commonFinder) eachRow(query string, args []any, fn func(rowScanner) error) error {
	rows, err := c.db.sql.QueryContext(c.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// familyMembers reads the patents of each family key.
func (c *commonFinder) familyMembers(keys []string) (map[string][]int64, error) {
	slices.Sort(keys)
	keys = slices.Compact(keys)
	members := map[string][]int64{}
	for chunk := range slices.Chunk(keys, factsChunk) {
		in, args := inList("family", chunk)
		err := c.eachRow(`SELECT family, id FROM patents WHERE `+in+` AND family <> ''`, args, func(r rowScanner) error {
			var key string
			var id int64
			if err := r.Scan(&key, &id); err != nil {
				return err
			}
			members[key] = append(members[key], id)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return members, nil
}

// results names the first patents of each pair by their numbers.
func (c *commonFinder) results() ([]CommonPatents, error) {
	var ids []int64
	for _, f := range c.found {
		ids = append(ids, f.first...)
	}
	numbers := map[int64]string{}
	for chunk := range slices.Chunk(uniqueIDs(ids), factsChunk) {
		in, args := inList("id", chunk)
		err := c.eachRow(`SELECT id, normalized FROM patents WHERE `+in, args, func(r rowScanner) error {
			var id int64
			var number string
			err := r.Scan(&id, &number)
			numbers[id] = number
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]CommonPatents, len(c.found))
	for i, f := range c.found {
		out[i].Count = f.count
		for _, id := range f.first {
			out[i].First = append(out[i].First, licensing.PatentRef{ID: id, Number: numbers[id]})
		}
	}
	return out, nil
}
