package web

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// Conflicts are assembled here from the engine's rules (internal/rights
// conflicts.go) over the facts storage streams: the engine judges each
// grant, pair of grants or patent; this file decides which to put before
// it and looks up the patents two scopes share.

// foundConflict is a conflict with the companies it concerns, for the
// company filter.
type foundConflict struct {
	rights.Conflict
	companies []int64
	// key, when set, is the catalog message of a conflict this file finds
	// beyond the engine's own sentences, with its arguments.
	key  string
	args []any
}

// message is the conflict in the reader's language.
func (f *foundConflict) message(l *i18n.Locale) string {
	if f.key != "" {
		return l.T(f.key, f.args...)
	}
	return sentence(l, f.Message)
}

// english is the conflict in English with ISO dates, for the export.
func (f *foundConflict) english() string {
	if f.key != "" {
		return i18n.For("en").T(f.key, f.args...)
	}
	return f.Message.String()
}

// conflictReport is every conflict found, by kind in the order of
// rights.ConflictKinds, and the agreement of each grant they name.
type conflictReport struct {
	items          []foundConflict
	grantAgreement map[int64]int64
}

// conflictFinder holds the facts the search shares.
type conflictFinder struct {
	db     *sqlite.DB
	ctx    context.Context
	today  licensing.Date
	links  []licensing.Control
	grants []rights.GrantFact
	byID   map[int64]*rights.GrantFact
	scopes map[int64][]licensing.PatentSet
	out    []foundConflict
}

// conflictPatentsListed is how many common patents a conflict names.
const conflictPatentsListed = 5

// findConflicts finds every conflict of DESIGN.md in the record, as of
// today (for statuses that went stale).
func (s *Server) findConflicts(ctx context.Context, today licensing.Date) (*conflictReport, error) {
	f, err := newConflictFinder(ctx, s.db, today)
	if err != nil {
		return nil, err
	}
	report := &conflictReport{grantAgreement: map[int64]int64{}}
	for _, g := range f.grants {
		report.grantAgreement[g.Grant.ID] = g.Agreement.ID
	}
	for _, step := range []func() error{f.overlaps, f.licensorsNotOwners, f.titleBreaks, f.sublicences, f.staleStatuses, f.royalties} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(f.out, func(a, b foundConflict) int {
		return cmp.Compare(slices.Index(rights.ConflictKinds, a.Kind), slices.Index(rights.ConflictKinds, b.Kind))
	})
	report.items = f.out
	return report, nil
}

// newConflictFinder reads the control links and every grant.
func newConflictFinder(ctx context.Context, db *sqlite.DB, today licensing.Date) (*conflictFinder, error) {
	f := &conflictFinder{db: db, ctx: ctx, today: today, byID: map[int64]*rights.GrantFact{}, scopes: map[int64][]licensing.PatentSet{}}
	var err error
	if f.links, err = db.ControlLinks(ctx); err != nil {
		return nil, err
	}
	err = db.EachGrantFact(ctx, func(g sqlite.GrantFact) error {
		f.grants = append(f.grants, rights.GrantFact(g))
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range f.grants {
		f.byID[f.grants[i].Grant.ID] = &f.grants[i]
	}
	return f, nil
}

// scopeOf is a grant's scope as patent sets over its term, within its
// parent's for a sublicence; computed once per grant.
func (f *conflictFinder) scopeOf(g *rights.GrantFact) []licensing.PatentSet {
	if sets, ok := f.scopes[g.Grant.ID]; ok {
		return sets
	}
	sets := rights.ScopeSets(*g, f.byID[g.Grant.ParentGrantID], f.links)
	f.scopes[g.Grant.ID] = sets
	return sets
}

// add records a conflict with the licensors and licensees of its grants.
// The conflict it returns stays valid until the next add.
func (f *conflictFinder) add(c rights.Conflict, companies ...int64) *foundConflict {
	for _, id := range c.Grants {
		if g := f.byID[id]; g != nil {
			companies = append(companies, g.Grant.LicensorID, g.Grant.LicenseeID)
		}
	}
	f.out = append(f.out, foundConflict{Conflict: c, companies: companies})
	return &f.out[len(f.out)-1]
}

// common returns the first patents of the sets and how many there are.
func (f *conflictFinder) common(q sqlite.PatentSetQuery) ([]rights.PatentRef, int, error) {
	refs, n, err := f.db.PatentsIn(f.ctx, q, conflictPatentsListed)
	out := make([]rights.PatentRef, len(refs))
	for i, r := range refs {
		out[i] = rights.PatentRef(r)
	}
	return out, n, err
}

// overlaps pairs each exclusive or sole grant with every grant to another
// licensee that overlaps it in term, territory, field and activity, and
// reports those whose scopes share a patent. Two exclusive grants are
// paired once. The patents of all pairs are found together
// (sqlite.PatentsInBoth), each read once: at a million patents some
// 300,000 pairs, which one statement a pair took hours to answer.
func (f *conflictFinder) overlaps() error {
	pairs := f.overlapPairs()
	queryOf := map[int64]int{}
	var queries [][]licensing.PatentSet
	var setPairs []sqlite.SetPair
	query := func(g *rights.GrantFact) int {
		i, ok := queryOf[g.Grant.ID]
		if !ok {
			i = len(queries)
			queryOf[g.Grant.ID], queries = i, append(queries, f.scopeOf(g))
		}
		return i
	}
	for _, p := range pairs {
		setPairs = append(setPairs, sqlite.SetPair{A: query(p[0]), B: query(p[1])})
	}
	found, err := f.db.PatentsInBoth(f.ctx, queries, setPairs, conflictPatentsListed)
	if err != nil {
		return err
	}
	for i, p := range pairs {
		if found[i].Count > 0 {
			refs := make([]rights.PatentRef, len(found[i].First))
			for j, r := range found[i].First {
				refs[j] = rights.PatentRef(r)
			}
			f.add(rights.OverlapConflict(*p[0], *p[1], refs, found[i].Count))
		}
	}
	return nil
}

// overlapPairs lists each exclusive or sole grant with every grant that
// overlaps it but for the patents, in the order the report lists them.
func (f *conflictFinder) overlapPairs() [][2]*rights.GrantFact {
	var pairs [][2]*rights.GrantFact
	for i := range f.grants {
		x := &f.grants[i]
		if x.Grant.Exclusivity == licensing.NonExclusive {
			continue
		}
		for j := range f.grants {
			o := &f.grants[j]
			if o.Grant.Exclusivity != licensing.NonExclusive && o.Grant.ID < x.Grant.ID || !rights.OverlapCandidates(*x, *o) {
				continue
			}
			pairs = append(pairs, [2]*rights.GrantFact{x, o})
		}
	}
	return pairs
}

// licensorsNotOwners checks, for each listed or family grant that is no
// sublicence, every patent it names against its chain of title; the
// chains of all those patents are read at once.
func (f *conflictFinder) licensorsNotOwners() error {
	type named struct {
		grant   *rights.GrantFact
		patents []rights.PatentRef
	}
	var checks []named
	var ids []int64
	for i := range f.grants {
		g := &f.grants[i]
		s := &g.Grant.Scope
		if g.Grant.ParentGrantID != 0 {
			continue
		}
		var set licensing.PatentSet
		switch s.Kind {
		case licensing.ScopePatents:
			for _, r := range s.Patents {
				if r.ID != 0 {
					set.Patents = append(set.Patents, r.ID)
				}
			}
		case licensing.ScopeFamilies:
			set.Families = s.Families
		}
		if set.Empty() {
			continue
		}
		check := named{grant: g}
		err := f.db.EachPatentIn(f.ctx, sqlite.PatentSetQuery{Sets: []licensing.PatentSet{set}}, func(r *sqlite.PatentRecord) error {
			check.patents, ids = append(check.patents, rights.PatentRef{ID: r.ID, Number: r.Normalized}), append(ids, r.ID)
			return nil
		})
		if err != nil {
			return err
		}
		checks = append(checks, check)
	}
	chains, err := f.db.Chains(f.ctx, ids)
	if err != nil {
		return err
	}
	for _, check := range checks {
		for _, p := range check.patents {
			if c, ok := rights.LicensorNotOwner(*check.grant, p, chains[p.ID], f.links); ok {
				f.add(c)
			}
		}
	}
	return nil
}

// titleBreaks turns every chain-of-title break into a conflict.
func (f *conflictFinder) titleBreaks() error {
	filter := sqlite.TitleBreakFilter{Limit: 1000}
	for {
		rows, next, err := f.db.TitleBreaks(f.ctx, filter)
		if err != nil {
			return err
		}
		for _, b := range rows {
			c := rights.TitleBreakConflict(rights.PatentRef{ID: b.PatentID, Number: b.Patent},
				rights.AgreementRef{ID: b.AgreementID, Reference: b.Agreement, Title: b.AgreementTitle}, b.Assignor, b.Owner, b.EffectiveOn)
			f.add(c, b.AssignorID, b.AssigneeID, b.OwnerID)
		}
		if next == "" {
			return nil
		}
		filter.After = &next
	}
}

// sublicences reports sublicences beyond their parents: by the grants'
// terms (the engine's rule), and by patents of a listed or family
// sublicence that its parent's scope does not take in.
func (f *conflictFinder) sublicences() error {
	for i := range f.grants {
		g := &f.grants[i]
		if g.Grant.ParentGrantID == 0 {
			continue
		}
		parent := f.byID[g.Grant.ParentGrantID]
		for _, c := range rights.SublicenceConflicts(*g, parent) {
			f.add(c)
		}
		if parent == nil || g.Grant.Scope.Kind == licensing.ScopePortfolio {
			continue // a portfolio sublicence is its parent's portfolio, narrowed
		}
		own := rights.ScopeSets(*g, nil, f.links)
		refs, n, err := f.common(sqlite.PatentSetQuery{Sets: own, Except: [][]licensing.PatentSet{f.scopeOf(parent)}})
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		c := rights.Conflict{Kind: rights.SublicenseOutsideParent, Agreements: []rights.AgreementRef{rights.AgreementRefOf(g.Agreement)},
			Grants: []int64{g.Grant.ID, parent.Grant.ID}, Patents: refs, More: max(n-len(refs), 0)}
		if parent.Agreement.ID != g.Agreement.ID {
			c.Agreements = append(c.Agreements, rights.AgreementRefOf(parent.Agreement))
		}
		found := f.add(c)
		found.key, found.args = "coverage.conflicts.sublicence_patents",
			[]any{strconv.FormatInt(g.Grant.ID, 10), g.Agreement.Reference, strconv.FormatInt(parent.Grant.ID, 10), parent.Agreement.Reference, n}
	}
	return nil
}

// staleStatuses reports agreements marked active after their term.
func (f *conflictFinder) staleStatuses() error {
	active := licensing.AgreementActive
	return f.db.EachAgreement(f.ctx, sqlite.AgreementFilter{Status: &active}, func(a *licensing.Agreement) error {
		var parties []int64
		for _, p := range a.Parties {
			parties = append(parties, p.CompanyID)
		}
		for _, c := range rights.AgreementConflicts(a, f.today) {
			f.add(c, parties...)
		}
		return nil
	})
}

// royalties reports royalty-bearing grants that run past the expiry of
// the last patent they license.
func (f *conflictFinder) royalties() error {
	for i := range f.grants {
		g := &f.grants[i]
		if !g.Grant.RoyaltyBearing || g.Grant.Finish(g.Agreement).IsZero() {
			continue
		}
		scope := sqlite.PatentSetQuery{Sets: f.scopeOf(g)}
		// A patent running to the grant's end (or of unknown expiry) rules
		// the conflict out; finding one is cheap, the last expiry is not.
		runs, err := f.db.HasPatentRunningTo(f.ctx, scope, g.Grant.Finish(g.Agreement))
		if err != nil {
			return err
		}
		if runs {
			continue
		}
		last, err := f.db.LastExpiryIn(f.ctx, scope)
		if err != nil {
			return err
		}
		c, ok := rights.RoyaltyConflict(*g, last)
		if !ok {
			continue
		}
		// The patents the royalties were for, so that the page links them.
		refs, n, err := f.common(scope)
		if err != nil {
			return err
		}
		c.Patents, c.More = refs, max(n-len(refs), 0)
		f.add(c)
	}
	return nil
}
