package rights

import (
	"slices"

	"patentdesk/internal/licensing"
)

// CoverageQuestion asks which patents a company may practise on a day,
// optionally only under grants of one licensor (or its group), in one field,
// territory or activity.
type CoverageQuestion struct {
	Company   int64
	On        licensing.Date
	Licensor  int64 // 0: any; else licences from this company or its group on On
	Field     string
	Territory string // a country; "": anywhere
	Activity  licensing.Activity
	WhatIf    bool
}

// Route is one way a company may practise a set of patents: its own
// holdings, an affiliate's, or a grant. Storage streams the patents in all
// of Sets and in no entry of Except, in force on the day (and in the
// territory asked); each patent's basis is Basis with Until cut at the
// patent's expiry (see Until).
type Route struct {
	Basis  Basis
	Sets   []licensing.PatentSet
	Except [][]licensing.PatentSet
}

// Until returns a patent's last day under a route: the earlier of the
// route's end and the patent's expiry, a zero day being open.
func Until(routeUntil, patentExpiry licensing.Date) licensing.Date {
	return earlier(routeUntil, patentExpiry)
}

// Routes returns every way company q.Company may practise patents on q.On:
// ownership (less what exclusive grants to others shut it out of), each
// affiliate's ownership, and each grant that applies to it whatever the
// patent — the grant-level half of the licence rule; the patent-level half
// (scope, title, in force, territory) is in the routes' sets. grants must
// hold every grant that may reach the company or its group, the parents of
// sublicences among them, and every exclusive grant.
func Routes(q CoverageQuestion, links []licensing.Control, names map[int64]string, grants []GrantFact) []Route {
	e := newEngine(&Facts{Links: links, Names: names, Grants: grants})
	e.chain = nil
	cq := Question{Company: q.Company, Activity: q.Activity, Territory: q.Territory, Field: q.Field, On: q.On, WhatIf: q.WhatIf}
	var routes []Route
	if q.Licensor == 0 {
		except := e.exclusiveSets(cq)
		own := Route{Basis: Basis{Kind: Owner, Holder: e.party(q.Company)},
			Sets: []licensing.PatentSet{{HeldBy: []licensing.GroupSpan{{Owner: q.Company, From: q.On, To: q.On}}}}, Except: except}
		own.Basis.Reason = say("%s owns these patents on %s.", e.name(q.Company), q.On)
		routes = append(routes, own)
		for _, a := range e.affiliates(q.Company, q.On) {
			r := Route{Basis: Basis{Kind: AffiliateOwner, Holder: e.party(a), Through: e.party(a), Until: e.inGroupUntil(q.Company, a, q.On)},
				Sets: []licensing.PatentSet{{HeldBy: []licensing.GroupSpan{{Owner: a, From: q.On, To: q.On}}}}, Except: except}
			r.Basis.Reason = say("%s owns these patents on %s, and is an affiliate of %s that day.", e.name(a), q.On, e.name(q.Company))
			routes = append(routes, r)
		}
	}
	var licensors []int64
	if q.Licensor != 0 {
		licensors = licensing.Group(links, q.Licensor, q.On)
	}
	for _, g := range e.sortedGrants() {
		if licensors != nil && !slices.Contains(licensors, g.Grant.LicensorID) {
			continue
		}
		if r, ok := e.route(g, cq, 0); ok {
			routes = append(routes, r)
		}
	}
	return routes
}

// route applies the conditions of g that do not depend on the patent
// for the company; where they hold, the route's sets are the grant's scope
// (with its licensor's title up to the day), within the parent's for a
// sublicence.
func (e *engine) route(g *GrantFact, q Question, depth int) (Route, bool) {
	sets, ev, ok := e.routeSets(g, q, depth)
	if !ok {
		return Route{}, false
	}
	b := e.grantBasis(&ev, q)
	label, gr := grantLabel(g), &g.Grant
	switch {
	case ev.through != 0 && !b.Renewal.IsZero():
		b.Reason = say("%s licenses these patents to %s and its affiliates; %s is covered as an affiliate of %s on %s, %s; %s",
			label, e.name(gr.LicenseeID), e.name(q.Company), e.name(ev.through), q.On, renewalUntil(b.Until), renewalTerm(b.Renewal, q.On))
	case ev.through != 0:
		b.Reason = say("%s licenses these patents to %s and its affiliates; %s is covered as an affiliate of %s on %s.",
			label, e.name(gr.LicenseeID), e.name(q.Company), e.name(ev.through), q.On)
	case !b.Renewal.IsZero():
		b.Reason = say("%s licenses these patents from %s to %s %s; %s",
			label, e.name(gr.LicensorID), e.name(gr.LicenseeID), renewalUntil(b.Until), renewalTerm(b.Renewal, q.On))
	default:
		b.Reason = say("%s licenses these patents from %s to %s.", label, e.name(gr.LicensorID), e.name(gr.LicenseeID))
	}
	return Route{Basis: b, Sets: sets}, true
}

// routeSets is the patent half of route: the sets, and the evaluation
// whose end, hypothesis and limits the sublicence takes from its parents.
func (e *engine) routeSets(g *GrantFact, q Question, depth int) ([]licensing.PatentSet, evaluation, bool) {
	if depth > maxSublicenceDepth || (!g.Agreement.Status.Signed() && !q.WhatIf) {
		return nil, evaluation{}, false
	}
	ev := e.standing(g, q.Company, q)
	e.checkLimits(&ev, Text{}, q)
	if len(ev.failures) > 0 {
		return nil, evaluation{}, false
	}
	gr := &g.Grant
	sets := e.scopeSets(g, q.On)
	if q.Territory == "" && len(gr.Territories) > 0 && !slices.Contains(gr.Territories, licensing.TerritoryWorld) {
		narrow(&sets[0], nil, nil, officesFor(gr.Territories))
	}
	if gr.ParentGrantID == 0 {
		return sets, ev, true
	}
	parent := e.grants[gr.ParentGrantID]
	if parent == nil || !parent.Grant.Sublicensable {
		return nil, evaluation{}, false
	}
	pq := q
	pq.Company = gr.LicensorID
	psets, pev, ok := e.routeSets(parent, pq, depth+1)
	if !ok {
		return nil, evaluation{}, false
	}
	ev.inherit(&pev)
	return within(sets, psets), ev, true
}

// exclusiveSets are the patents exclusive grants to other companies keep
// the owner from on the day asked: grants in force for the territory, and
// for the field and activity asked (for all of them, when none is asked).
// Without a territory only worldwide grants shut the owner out everywhere.
func (e *engine) exclusiveSets(q Question) [][]licensing.PatentSet {
	var out [][]licensing.PatentSet
	for _, g := range e.sortedGrants() {
		gr := &g.Grant
		if !mayShutOut(g, q) || (q.Territory == "" && len(gr.Territories) > 0 && !slices.Contains(gr.Territories, licensing.TerritoryWorld)) {
			continue
		}
		lq := q
		lq.Company, lq.WhatIf = gr.LicenseeID, false
		if _, ok := e.route(g, lq, 0); !ok {
			continue
		}
		if _, ok := e.route(g, Question{Company: q.Company, Activity: q.Activity, Territory: q.Territory, Field: q.Field, On: q.On}, 0); ok {
			continue // the company is itself covered by the grant
		}
		out = append(out, e.scopeSets(g, q.On))
	}
	return out
}

// ScopeSets returns a grant's scope as patent sets over its whole term:
// for a listed or family scope, the patents its licensor (or group) held at
// some time in the term; for a portfolio, what was held within the capture
// window, narrowed by its labels and offices. A sublicence's sets lie
// within its parent's.
func ScopeSets(g GrantFact, parent *GrantFact, links []licensing.Control) []licensing.PatentSet {
	e := newEngine(&Facts{Links: links})
	sets := e.scopeSets(&g, g.Grant.Finish(g.Agreement))
	if g.Grant.ParentGrantID != 0 && parent != nil {
		sets = within(sets, e.scopeSets(parent, parent.Grant.Finish(parent.Agreement)))
	}
	return sets
}

// scopeSets is the scope of g with its licensor's title counted up to
// titleTo (zero: open). A sublicence needs no title of its own, and its
// portfolio is its parent's, narrowed.
func (e *engine) scopeSets(g *GrantFact, titleTo licensing.Date) []licensing.PatentSet {
	gr, s := &g.Grant, &g.Grant.Scope
	sub := gr.ParentGrantID != 0
	var set licensing.PatentSet
	switch s.Kind {
	case licensing.ScopePatents:
		for _, r := range s.Patents {
			set.Patents = append(set.Patents, r.ID)
		}
		if len(set.Patents) == 0 {
			return []licensing.PatentSet{{}}
		}
	case licensing.ScopeFamilies:
		set.Families = s.Families
		if len(set.Families) == 0 {
			return []licensing.PatentSet{{}}
		}
	case licensing.ScopePortfolio:
		set.Tags, set.Standards, set.Offices = s.Tags, s.Standards, s.Offices
		if sub {
			return []licensing.PatentSet{set} // narrowing only: within(…) folds it into the parent's
		}
		set.HeldBy = e.groupSpans(gr.LicensorID, gr.LicensorAffiliates, s.CaptureFrom, s.CaptureTo)
		if len(set.HeldBy) == 0 {
			return []licensing.PatentSet{{}}
		}
		return []licensing.PatentSet{set}
	default:
		return []licensing.PatentSet{{}}
	}
	if sub {
		return []licensing.PatentSet{set}
	}
	title := e.groupSpans(gr.LicensorID, gr.LicensorAffiliates, gr.Start(g.Agreement), titleTo)
	return []licensing.PatentSet{set, {HeldBy: title}}
}

// officesFor names the offices whose patents can give rights somewhere in
// the territories: the countries themselves, and EP where one of them is an
// EPC state.
func officesFor(territories []string) []string {
	var out []string
	for _, t := range territories {
		for _, c := range expand(t) {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
			if slices.Contains(licensing.EPCStates, c) && !slices.Contains(out, "EP") {
				out = append(out, "EP")
			}
		}
	}
	return out
}

// within puts a sublicence's sets inside its parent's. A sublicence's
// portfolio names no patents of its own, only narrowing, so that narrowing
// is folded into the parent's first set; listed patents or families stay a
// set of their own, intersected with the parent's.
func within(sub, parent []licensing.PatentSet) []licensing.PatentSet {
	out := slices.Clone(parent)
	if len(out) == 0 {
		return []licensing.PatentSet{{}}
	}
	for _, s := range sub {
		if s.Empty() {
			narrow(&out[0], s.Tags, s.Standards, s.Offices)
			continue
		}
		out = append(out, s)
	}
	return out
}

// narrow adds label and office conditions to a set: where the set already
// lists some, only those on both lists remain, and where none remain the
// set takes in nothing.
func narrow(set *licensing.PatentSet, tags, standards, offices []string) {
	for _, n := range []struct {
		have *[]string
		add  []string
	}{{&set.Tags, tags}, {&set.Standards, standards}, {&set.Offices, offices}} {
		if len(n.add) == 0 {
			continue
		}
		if len(*n.have) == 0 {
			*n.have = slices.Clone(n.add)
			continue
		}
		var both []string
		for _, v := range *n.have {
			if fieldIn(n.add, v) {
				both = append(both, v)
			}
		}
		if len(both) == 0 {
			*set = licensing.PatentSet{}
			return
		}
		*n.have = both
	}
}
