package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"patentdesk/internal/licensing"
)

// Patent expiries under portfolio grants. A million patents carry a few
// thousand portfolio grants; walking the expiry range once per grant read
// the year's fifty thousand expiring patents thousands of times over (the
// start page took minutes). Instead the range is walked once, in expiry
// order and in chunks, with each chunk's holdings and labels, and every
// patent is matched in memory against all grants at once, by the rule of
// patentInSet: held, by the chain of title, by a span's owner on a day of
// the span, and carrying one of the tags, one of the standards and one of
// the offices the grant narrows to, where it lists some.

// expiryChunk is how many expiring patents are read at a time.
const expiryChunk = 512

// portfolioPatentsEnding reads the patents whose term ends from … to in the
// scope of any of the portfolio grants, one entry per patent and grant,
// ordered by expiry, then grant (in the order given), then patent id. With a
// limit it stops after the first patent that takes the count past limit:
// every entry ending before the last one read is then here.
func portfolioPatentsEnding(ctx context.Context, q querier, grants []*GrantRow, links []licensing.Control, from, to licensing.Date, limit int) ([]licensing.ListedPatent, error) {
	list, _, err := expiringPatents(ctx, q, grants, links, nil, from, to, limit)
	return list, err
}

// expiringPatents is portfolioPatentsEnding, and with listed also the
// patents that the grants of listed name, by number or by family, among
// those it walked through: every one ending before the last patent read,
// one entry per patent and grant, in expiry and patent id order. The walk
// stops as the portfolios' count says; listedPatentsEnding would read the
// same entries, up to that patent, one by one from the grants' side.
func expiringPatents(ctx context.Context, q querier, grants []*GrantRow, links []licensing.Control, listed *listedGrants,
	from, to licensing.Date, limit int) (portfolio, named []licensing.ListedPatent, err error) {
	if len(grants) == 0 {
		return nil, nil, nil
	}
	m := newPortfolioMatcher(grants, links)
	type entry struct {
		lp    licensing.ListedPatent
		grant int
	}
	var out []entry
	err = m.walk(ctx, q, listed, from, to, func(chunk []expiringPatent, facts map[int64]*patentHoldings, names map[int64][]int64) bool {
		for i := range chunk {
			p := &chunk[i]
			if listed != nil {
				named = listed.add(named, p, names[p.ID])
			}
			for _, gi := range m.match(&p.Patent, facts[p.ID]) {
				g := grants[gi]
				out = append(out, entry{grant: gi, lp: licensing.ListedPatent{Patent: p.Patent,
					Grant: licensing.Grant{ID: g.ID, AgreementID: g.AgreementID, StartsOn: g.StartsOn, EndsOn: g.EndsOn}}})
			}
			if limit > 0 && len(out) > limit {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(out, func(x, y entry) int {
		return cmp.Or(x.lp.Patent.ExpiresOn.Compare(y.lp.Patent.ExpiresOn), cmp.Compare(x.grant, y.grant),
			cmp.Compare(x.lp.Patent.ID, y.lp.Patent.ID))
	})
	portfolio = make([]licensing.ListedPatent, len(out))
	for i, e := range out {
		portfolio[i] = e.lp
	}
	return portfolio, named, nil
}

// walk reads the patents whose expiry falls from … to in expiry and id
// order, a chunk at a time, each chunk with its holdings and labels
// (factsOf) and, with listed, the grants naming each of its patents by
// number (listedGrants.numbersIn), and hands each chunk to each until
// each says to stop or the range ends.
func (m *portfolioMatcher) walk(ctx context.Context, q querier, listed *listedGrants, from, to licensing.Date,
	each func(chunk []expiringPatent, facts map[int64]*patentHoldings, names map[int64][]int64) bool) error {
	after, afterID := "", int64(0)
	for {
		query, args := `SELECT p.id, p.normalized, p.office, p.status, p.status_on, p.granted_on, p.expiry, p.family
			FROM patents p INDEXED BY patents_expiry WHERE p.expiry BETWEEN ? AND ?`, []any{from.String(), to.String()}
		if after != "" {
			query, args = query+` AND (p.expiry, p.id) > (?, ?)`, append(args, after, afterID)
		}
		rows, err := q.QueryContext(ctx, query+` ORDER BY p.expiry, p.id LIMIT ?`, append(args, expiryChunk)...)
		chunk, err := scanAll(rows, err, scanExpiringPatent)
		if err != nil || len(chunk) == 0 {
			return err
		}
		facts, err := m.factsOf(ctx, q, chunk)
		if err != nil {
			return err
		}
		var names map[int64][]int64
		if listed != nil {
			if names, err = listed.numbersIn(ctx, q, chunk); err != nil {
				return err
			}
		}
		if !each(chunk, facts, names) || len(chunk) < expiryChunk {
			return nil
		}
		last := chunk[len(chunk)-1]
		after, afterID = last.ExpiresOn.String(), last.ID
	}
}

// expiringPatent is a patent of the expiry walk, with its family key.
type expiringPatent struct {
	licensing.Patent
	family string
}

func scanExpiringPatent(row rowScanner) (expiringPatent, error) {
	var e expiringPatent
	p := &e.Patent
	var status string
	var dates [3]sql.NullString
	if err := row.Scan(&p.ID, &p.Normalized, &p.Office, &status, &dates[0], &dates[1], &dates[2], &e.family); err != nil {
		return e, err
	}
	p.Status = licensing.PatentStatus(status)
	var err error
	for i, dst := range []*licensing.Date{&p.StatusOn, &p.GrantedOn, &p.ExpiresOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return e, err
		}
	}
	return e, nil
}

// heldSpan is one span of one grant's portfolio, as the dates are stored.
type heldSpan struct {
	grant    int
	from, to string
}

// patentHoldings are what matching needs of one patent besides its row:
// its holdings in the chain of title and its tags and standards.
type patentHoldings struct {
	held   []holding
	labels []scopeLabelValue
}

type holding struct {
	owner    int64
	from, to string
}

type scopeLabelValue struct{ kind, value string }

// portfolioMatcher holds the grants' spans by owner, for matching many
// patents against many grants.
type portfolioMatcher struct {
	grants    []*GrantRow
	byOwner   map[int64][]heldSpan
	labels    bool   // some grant narrows to tags or standards
	seen      []bool // per grant, reset after each patent
	seenGrant []int
}

func newPortfolioMatcher(grants []*GrantRow, links []licensing.Control) *portfolioMatcher {
	m := &portfolioMatcher{grants: grants, byOwner: map[int64][]heldSpan{}, seen: make([]bool, len(grants))}
	spans := newSpanReader(links)
	for gi, g := range grants {
		for _, sp := range spans.of(&g.Grant) {
			m.byOwner[sp.Owner] = append(m.byOwner[sp.Owner], heldSpan{grant: gi, from: sp.From.String(), to: sp.To.String()})
		}
		if len(g.Scope.Tags) > 0 || len(g.Scope.Standards) > 0 {
			m.labels = true
		}
	}
	return m
}

// spanReader works out portfolioSpans for many grants. Finding a
// licensor's group walks the links anew each time (an index of all of
// them); thousands of grants share some hundred licensors, so the links
// are indexed once, and each group's spans worked out over the links of
// those ever in a group with the licensor (CorporateIndex.KinLinks): the
// same spans, the other links being no part of its group at any time.
type spanReader struct{ ix *licensing.CorporateIndex }

func newSpanReader(links []licensing.Control) *spanReader {
	return &spanReader{ix: licensing.NewCorporateIndex(links)}
}

// of is portfolioSpans(links, g).
func (r *spanReader) of(g *licensing.Grant) []licensing.GroupSpan {
	if !g.LicensorAffiliates {
		return portfolioSpans(nil, g)
	}
	return portfolioSpans(r.ix.KinLinks(g.LicensorID), g)
}

// factsOf reads the holdings, and where a grant needs them the tags and
// standards, of a chunk of patents: two statements for the chunk.
func (m *portfolioMatcher) factsOf(ctx context.Context, q querier, chunk []expiringPatent) (map[int64]*patentHoldings, error) {
	facts := make(map[int64]*patentHoldings, len(chunk))
	ids := make([]any, len(chunk))
	for i := range chunk {
		ids[i] = chunk[i].ID
		facts[chunk[i].ID] = &patentHoldings{}
	}
	in := placeholders(len(ids))
	rows, err := q.QueryContext(ctx, `SELECT patent_id, owner_id, from_on, to_on FROM patent_owners WHERE patent_id IN (`+in+`)`, ids...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var h holding
		if err := rows.Scan(&id, &h.owner, &h.from, &h.to); err != nil {
			rows.Close()
			return nil, err
		}
		facts[id].held = append(facts[id].held, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !m.labels {
		return facts, err
	}
	rows, err = q.QueryContext(ctx, `SELECT patent_id, kind, value FROM patent_labels
		WHERE patent_id IN (`+in+`) AND kind IN ('tag', 'standard')`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l scopeLabelValue
		if err := rows.Scan(&id, &l.kind, &l.value); err != nil {
			return nil, err
		}
		facts[id].labels = append(facts[id].labels, l)
	}
	return facts, rows.Err()
}

// match returns the indexes of the grants whose portfolio holds patent p,
// in ascending order.
func (m *portfolioMatcher) match(p *licensing.Patent, f *patentHoldings) []int {
	var out []int
	for _, h := range f.held {
		for _, sp := range m.byOwner[h.owner] {
			// As SQL compares the stored dates: from_on <= span end AND to_on >= span start.
			if m.seen[sp.grant] || h.from > sp.to || h.to < sp.from {
				continue
			}
			m.seen[sp.grant] = true
			m.seenGrant = append(m.seenGrant, sp.grant)
			if narrowedMatch(&m.grants[sp.grant].Scope, p, f.labels) {
				out = append(out, sp.grant)
			}
		}
	}
	for _, gi := range m.seenGrant {
		m.seen[gi] = false
	}
	m.seenGrant = m.seenGrant[:0]
	slices.Sort(out)
	return out
}

// narrowedMatch reports whether a patent carries a tag, a standard and an
// office of those a portfolio narrows to, each where it lists some. Labels
// compare as their column does (NOCASE: ASCII letters without case);
// offices exactly, as patentInSet compares them.
func narrowedMatch(s *licensing.GrantScope, p *licensing.Patent, labels []scopeLabelValue) bool {
	return carriesLabels(labels, scopeLabels(s.Tags, s.Standards)) && (len(s.Offices) == 0 || slices.Contains(s.Offices, p.Office))
}

// carriesLabels reports whether a patent's labels hold, for each kind a
// scope names values of, one of those values (compared as NOCASE does).
func carriesLabels(have []scopeLabelValue, want []scopeLabel) bool {
	for _, l := range want {
		if !slices.ContainsFunc(have, func(v scopeLabelValue) bool {
			return v.kind == l.kind && slices.ContainsFunc(l.values, func(w string) bool { return asciiFoldEqual(v.value, w) })
		}) {
			return false
		}
	}
	return true
}

// asciiFoldEqual is SQLite's NOCASE equality: case folded for ASCII letters
// only.
func asciiFoldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
