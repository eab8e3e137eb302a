package rights

import (
	"slices"

	"patentdesk/internal/licensing"
)

// checkScope fails the scope unless the grant takes in the patent on day d.
// A listed or family patent needs its licensor's title at some time between
// the grant's start and d (a licence survives a later sale; title acquired
// later attaches when acquired) — except under a sublicence, whose licensor
// needs no title of its own. A portfolio takes in what the licensor, or its
// group where the grant says so, held within the capture window.
func (e *engine) checkScope(ev *evaluation, label Text, d licensing.Date) {
	g, p := &ev.fact.Grant, &e.f.Patent
	s := &g.Scope
	sub := g.ParentGrantID != 0
	switch s.Kind {
	case licensing.ScopePatents:
		if !slices.ContainsFunc(s.Patents, func(r licensing.PatentRef) bool { return r.ID == p.ID }) {
			ev.fail(FailedScope, say("%s would cover this, but it does not list this patent.", label))
			return
		}
	case licensing.ScopeFamilies:
		if p.Family == "" || !slices.Contains(s.Families, p.Family) {
			ev.fail(FailedScope, say("%s would cover this, but this patent's family is not among those it lists.", label))
			return
		}
	case licensing.ScopePortfolio:
		if !sub {
			e.checkCapture(ev, label)
		}
		e.checkNarrowing(ev, label)
		return
	default:
		ev.fail(FailedScope, say("%s would cover this, but its scope is not recorded.", label))
		return
	}
	if !sub {
		e.checkTitle(ev, label, d)
	}
}

// checkTitle requires the licensor of a listed or family patent to have
// held it on some day from the grant's start to d.
func (e *engine) checkTitle(ev *evaluation, label Text, d licensing.Date) {
	g := &ev.fact.Grant
	start := g.Start(ev.fact.Agreement)
	if licensing.HeldWithin(e.chain, e.groupSpans(g.LicensorID, g.LicensorAffiliates, start, d)) {
		return
	}
	later, ok := licensing.FirstHeldWithin(e.chain, e.groupSpans(g.LicensorID, g.LicensorAffiliates, start, g.Finish(ev.fact.Agreement)))
	if ok && later.After(d) {
		ev.fail(FailedDate, say("%s would cover this, but its licensor %s acquires this patent only on %s; the licence attaches from then.",
			label, e.name(g.LicensorID), later))
		return
	}
	ev.fail(FailedScope, say("%s would cover this, but its licensor %s never held this patent during the grant.", label, e.name(g.LicensorID)))
}

// checkCapture requires a portfolio's patent to have been held within the
// capture window by the licensor or, where the grant says so, by a member
// of the licensor's group of that day.
func (e *engine) checkCapture(ev *evaluation, label Text) {
	g := &ev.fact.Grant
	spans := e.groupSpans(g.LicensorID, g.LicensorAffiliates, g.Scope.CaptureFrom, g.Scope.CaptureTo)
	if licensing.HeldWithin(e.chain, spans) {
		return
	}
	who := say("%s", e.name(g.LicensorID))
	if g.LicensorAffiliates {
		who = say("%s or its affiliates", e.name(g.LicensorID))
	}
	ev.fail(FailedScope, say("%s would cover this, but its portfolio takes in what %s held %s, and this patent was not held by them then.",
		label, who, window(g.Scope.CaptureFrom, g.Scope.CaptureTo)))
}

// window names a capture window in words.
func window(from, to licensing.Date) Text {
	switch {
	case from.IsZero() && to.IsZero():
		return say("at any time")
	case from.IsZero():
		return say("up to %s", to)
	case to.IsZero():
		return say("from %s on", from)
	}
	return say("from %s to %s", from, to)
}

// checkNarrowing requires a portfolio's patent to carry one of its tags,
// one of its standards and to come from one of its offices, each where the
// portfolio lists some.
func (e *engine) checkNarrowing(ev *evaluation, label Text) {
	s, p := &ev.fact.Grant.Scope, &e.f.Patent
	if len(s.Tags) > 0 && !labelIn(p.Tags, s.Tags) {
		ev.fail(FailedScope, say("%s would cover this, but only for patents tagged %s.", label, quoted(s.Tags)))
	}
	if len(s.Standards) > 0 && !labelIn(p.Standards, s.Standards) {
		ev.fail(FailedScope, say("%s would cover this, but only for patents of the standards %s.", label, s.Standards))
	}
	if len(s.Offices) > 0 && !slices.Contains(s.Offices, p.Office) {
		ev.fail(FailedScope, say("%s would cover this, but only for patents of the offices %s.", label, s.Offices))
	}
}
