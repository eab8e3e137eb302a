package rights

import (
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// failure is one condition of a grant that a question does not meet.
type failure struct {
	cond   Condition
	reason Text
}

// evaluation is what one grant gives one company on one question.
type evaluation struct {
	fact         *GrantFact
	failures     []failure
	through      int64 // the licensee, when the company is covered as its affiliate
	hypothetical bool
	until        licensing.Date
	renewal      Renewal // the agreement's running term, where it renews itself
	// The limits the basis holds within: the grant's own, or where a
	// sublicence names none, its parent's.
	fields      []string
	activities  []licensing.Activity
	territories []string
}

// conditions counts the distinct conditions an evaluation failed: a grant
// failing only on the date, for two reasons, is still one condition away.
func (e *evaluation) conditions() int {
	seen := map[Condition]bool{}
	for _, f := range e.failures {
		seen[f.cond] = true
	}
	return len(seen)
}

func (e *evaluation) fail(cond Condition, reason Text) {
	e.failures = append(e.failures, failure{cond, reason})
}

// maxSublicenceDepth bounds a chain of sublicences, so that bad data (a
// grant that is its own ancestor) ends.
const maxSublicenceDepth = 8

// evaluate checks grant g for company on question q, DESIGN.md's licence
// rule: the agreement in force (signed, or any with WhatIf), the day within
// the grant's term, the company the licensee or its affiliate, the patent
// in scope, and territory, activity and field within the grant's. A
// question without a territory (who may practise the patent anywhere)
// leaves the territory to the basis's list.
func (e *engine) evaluate(g *GrantFact, company int64, q Question, depth int) evaluation {
	ev := e.standing(g, company, q)
	label := grantLabel(g)
	e.checkScope(&ev, label, q.On)
	e.checkLimits(&ev, label, q)
	if g.Grant.ParentGrantID != 0 {
		e.checkParent(&ev, label, q, depth)
	}
	return ev
}

// standing checks the conditions of g that concern the company and the
// day rather than the patent: the agreement signed (or any, with WhatIf),
// the day within the term, the company the licensee or its affiliate.
// Checks and coverage routes share it.
func (e *engine) standing(g *GrantFact, company int64, q Question) evaluation {
	ev := evaluation{fact: g, until: g.Grant.Finish(g.Agreement), renewal: renewalOn(g.Agreement, q.On), fields: g.Grant.Fields,
		activities: g.Grant.Activities, territories: g.Grant.Territories}
	label := grantLabel(g)
	switch a := g.Agreement; {
	case a.Status.Signed():
	case q.WhatIf:
		ev.hypothetical = true
	case a.Status == licensing.AgreementNegotiation:
		ev.fail(FailedStatus, say("%s would cover this, but the agreement is still under negotiation and gives no rights until it is signed.", label))
	default:
		ev.fail(FailedStatus, say("%s would cover this, but the agreement is still a draft and gives no rights until it is signed.", label))
	}
	e.checkTerm(&ev, label, q.On)
	e.checkLicensee(&ev, label, company, q.On)
	return ev
}

// checkLimits fails the territory, activity and field asked where the
// grant's own lists leave them out; a question naming none of one is
// within any list.
func (e *engine) checkLimits(ev *evaluation, label Text, q Question) {
	gr := &ev.fact.Grant
	if q.Territory != "" && !territoryIn(gr.Territories, q.Territory) {
		ev.fail(FailedTerritory, say("%s would cover this, but only in %s, not in %s.", label, Territories(gr.Territories), Country(q.Territory)))
	}
	if q.Activity != "" && len(gr.Activities) > 0 && !slices.Contains(gr.Activities, q.Activity) {
		ev.fail(FailedActivity, say("%s would cover this, but only for %s, not for %s.", label, gr.Activities, []licensing.Activity{q.Activity}))
	}
	if q.Field != "" && len(gr.Fields) > 0 && !fieldIn(gr.Fields, q.Field) {
		ev.fail(FailedField, say("%s would cover this, but only in the fields of use %s, not in %s.", label, quoted(gr.Fields), quoted([]string{q.Field})))
	}
}

// inherit takes from the parent evaluation of a sublicence what bounds
// it: the parent's end, its hypothesis, and its limits where the
// sublicence names none of its own.
func (ev *evaluation) inherit(parent *evaluation) {
	ev.hypothetical = ev.hypothetical || parent.hypothetical
	ev.until = earlier(ev.until, parent.until)
	if ev.renewal.IsZero() || (!parent.renewal.IsZero() && parent.renewal.TermEndsOn.Before(ev.renewal.TermEndsOn)) {
		ev.renewal = parent.renewal
	}
	if len(ev.fields) == 0 {
		ev.fields = parent.fields
	}
	if len(ev.activities) == 0 {
		ev.activities = parent.activities
	}
	if len(ev.territories) == 0 {
		ev.territories = parent.territories
	}
}

// checkTerm fails the date when the agreement is not in force on d or d
// lies outside the grant's own term. A terminated agreement counts up to
// and including its termination date.
func (e *engine) checkTerm(ev *evaluation, label Text, d licensing.Date) {
	a, g := ev.fact.Agreement, &ev.fact.Grant
	from, to := g.Start(a), g.Finish(a)
	switch {
	case !from.IsZero() && d.Before(from):
		ev.fail(FailedDate, say("%s would cover this, but only from %s.", label, from))
	case a.Status == licensing.AgreementTerminated && !a.TerminatedOn.IsZero() && d.After(a.TerminatedOn) && to.Equal(a.TerminatedOn):
		ev.fail(FailedDate, say("%s would cover this, but the agreement was terminated on %s.", label, a.TerminatedOn))
	case !to.IsZero() && d.After(to):
		ev.fail(FailedDate, say("%s would cover this, but only until %s.", label, to))
	case a.Status.Signed() && a.EffectiveOn.IsZero():
		ev.fail(FailedDate, say("%s would cover this, but the agreement records no effective date.", label))
	}
}

// checkLicensee fails the licensee unless company is the grant's licensee
// or, where the grant reaches them, in the licensee's group on d.
func (e *engine) checkLicensee(ev *evaluation, label Text, company int64, d licensing.Date) {
	g := &ev.fact.Grant
	switch {
	case company == g.LicenseeID:
	case g.LicenseeAffiliates && slices.Contains(e.affiliates(g.LicenseeID, d), company):
		ev.through = g.LicenseeID
	case g.LicenseeAffiliates:
		ev.fail(FailedLicensee, say("%s would cover this, but only for %s and its affiliates, and %s is not in that group on %s.",
			label, e.name(g.LicenseeID), e.name(company), d))
	default:
		ev.fail(FailedLicensee, say("%s would cover this, but only for its licensee, %s.", label, e.name(g.LicenseeID)))
	}
}

// checkParent applies a sublicence only where its parent grant is
// sublicensable and would cover the sublicensor for the same patent,
// territory, activity, field and day; the parent's shortfalls become the
// sublicence's.
func (e *engine) checkParent(ev *evaluation, label Text, q Question, depth int) {
	g := &ev.fact.Grant
	parent := e.grants[g.ParentGrantID]
	switch {
	case parent == nil || depth >= maxSublicenceDepth:
		ev.fail(FailedScope, say("%s would cover this, but grant %d, which it sublicenses, is not on record.", label, g.ParentGrantID))
		return
	case !parent.Grant.Sublicensable:
		ev.fail(FailedScope, say("%s would cover this, but %s, which it sublicenses, is not sublicensable.", label, grantLabel(parent)))
		return
	}
	pe := e.evaluate(parent, g.LicensorID, q, depth+1)
	for _, f := range pe.failures {
		ev.fail(f.cond, say("%s is a sublicence, and its parent falls short: %s", label, f.reason))
	}
	ev.inherit(&pe)
}

// grantLabel names a grant in a sentence, "Grant 12 of NOK-XIA-2017",
// as the agreement page heads it.
func grantLabel(g *GrantFact) Text {
	return say("Grant %d of %s", g.Grant.ID, g.Agreement.Reference)
}

// fieldIn reports whether field is among a grant's fields of use; labels
// are compared without regard to case.
func fieldIn(fields []string, field string) bool {
	return slices.ContainsFunc(fields, func(f string) bool { return strings.EqualFold(strings.TrimSpace(f), strings.TrimSpace(field)) })
}

// labelIn reports whether one of a patent's labels is among wanted.
func labelIn(have, wanted []string) bool {
	return slices.ContainsFunc(have, func(h string) bool { return fieldIn(wanted, h) })
}

// quoted puts each label in single quotes, as a sentence names them.
func quoted(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = "'" + l + "'"
	}
	return out
}

// earlier returns the earlier of two days, a zero day being open.
func earlier(a, b licensing.Date) licensing.Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
