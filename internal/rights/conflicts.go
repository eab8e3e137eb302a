package rights

import (
	"slices"

	"patentdesk/internal/licensing"
)

// ConflictKind is what is wrong with the record, as CONTRACT.md names it.
type ConflictKind string

// The conflicts of DESIGN.md.
const (
	ExclusiveOverlap        ConflictKind = "exclusive_overlap"
	LicensorNotOwnerKind    ConflictKind = "licensor_not_owner"
	TitleBreakKind          ConflictKind = "title_break"
	SublicenseOutsideParent ConflictKind = "sublicense_outside_parent"
	StaleStatus             ConflictKind = "stale_status"
	RoyaltyAfterExpiry      ConflictKind = "royalty_after_expiry"
)

// ConflictKinds lists the kinds in the order the conflicts page groups them.
var ConflictKinds = []ConflictKind{ExclusiveOverlap, LicensorNotOwnerKind, TitleBreakKind, SublicenseOutsideParent,
	StaleStatus, RoyaltyAfterExpiry}

// Conflict is a contradiction in the record that legal staff must resolve:
// two grants that cannot both hold, a licence of something the licensor
// never had, a break in a chain of title, a stale status.
type Conflict struct {
	Kind       ConflictKind
	Message    Text
	Agreements []AgreementRef
	Grants     []int64
	Patents    []PatentRef // the patents concerned, or the first of them
	More       int         // patents concerned beyond those listed
}

// PatentRef names a patent in a conflict.
type PatentRef struct {
	ID     int64
	Number string
}

// AgreementConflicts returns what is wrong with an agreement by itself: a
// status that says active after the term has ended.
func AgreementConflicts(a *licensing.Agreement, today licensing.Date) []Conflict {
	end := a.End()
	if a.Status != licensing.AgreementActive || end.IsZero() || !today.After(end) {
		return nil
	}
	return []Conflict{{Kind: StaleStatus, Agreements: []AgreementRef{agreementRef(a)},
		Message: say("%s is marked active, but its term ended on %s.", a.Reference, end)}}
}

// SublicenceConflicts returns how a sublicence reaches outside the grant it
// sublicenses, at the level of the grants: a parent that is not on record or
// not sublicensable, or territories, activities, fields of use or a term
// beyond the parent's. Patents outside the parent's scope are the caller's
// to find, from the scope sets.
func SublicenceConflicts(sub GrantFact, parent *GrantFact) []Conflict {
	g := &sub.Grant
	if g.ParentGrantID == 0 {
		return nil
	}
	refs := []AgreementRef{agreementRef(sub.Agreement)}
	grants := []int64{g.ID, g.ParentGrantID}
	one := func(msg Text) Conflict {
		return Conflict{Kind: SublicenseOutsideParent, Message: msg, Agreements: refs, Grants: grants}
	}
	label := grantLabel(&sub)
	if parent == nil {
		return []Conflict{one(say("%s sublicenses grant %d, which is not on record.", label, g.ParentGrantID))}
	}
	if parent.Agreement.ID != sub.Agreement.ID {
		refs = append(refs, agreementRef(parent.Agreement))
	}
	p := &parent.Grant
	plabel := grantLabel(parent)
	var out []Conflict
	if !p.Sublicensable {
		out = append(out, one(say("%s is a sublicence under %s, which is not sublicensable.", label, plabel)))
	}
	if !territoriesWithin(g.Territories, p.Territories) {
		out = append(out, one(say("%s reaches territories beyond %s, which it sublicenses.", label, plabel)))
	}
	if len(p.Activities) > 0 && (len(g.Activities) == 0 || slices.ContainsFunc(g.Activities, func(a licensing.Activity) bool { return !slices.Contains(p.Activities, a) })) {
		out = append(out, one(say("%s reaches activities beyond %s, which it sublicenses.", label, plabel)))
	}
	if len(p.Fields) > 0 && (len(g.Fields) == 0 || slices.ContainsFunc(g.Fields, func(f string) bool { return !fieldIn(p.Fields, f) })) {
		out = append(out, one(say("%s reaches fields of use beyond %s, which it sublicenses.", label, plabel)))
	}
	ss, sf := g.Start(sub.Agreement), g.Finish(sub.Agreement)
	ps, pf := p.Start(parent.Agreement), p.Finish(parent.Agreement)
	if (!ps.IsZero() && (ss.IsZero() || ss.Before(ps))) || (!pf.IsZero() && (sf.IsZero() || sf.After(pf))) {
		out = append(out, one(say("%s runs beyond the term of %s, which it sublicenses.", label, plabel)))
	}
	return out
}

// RoyaltyConflict reports a royalty-bearing grant that runs past the expiry
// of the last patent it licenses: royalties for nothing, often unenforceable.
// lastExpiry is the latest expiry among its patents, zero when unknown.
func RoyaltyConflict(g GrantFact, lastExpiry licensing.Date) (Conflict, bool) {
	end := g.Grant.Finish(g.Agreement)
	if !g.Grant.RoyaltyBearing || end.IsZero() || lastExpiry.IsZero() || !end.After(lastExpiry) {
		return Conflict{}, false
	}
	return Conflict{Kind: RoyaltyAfterExpiry, Agreements: []AgreementRef{agreementRef(g.Agreement)}, Grants: []int64{g.Grant.ID},
		Message: say("%s bears royalties until %s, but the last patent it licenses expires on %s.", grantLabel(&g), end, lastExpiry)}, true
}

// OverlapCandidates reports whether an exclusive or sole grant and a grant
// to another licensee overlap in everything but the patents: both signed,
// their terms, territories, activities and fields sharing a day, a country,
// an activity and a field. A sublicence under the exclusive grant (or the
// grant the exclusive one sublicenses) is no overlap. Where they overlap,
// the caller looks for a common patent.
func OverlapCandidates(excl, other GrantFact) bool {
	x, o := &excl.Grant, &other.Grant
	if x.Exclusivity == licensing.NonExclusive || x.ID == o.ID || x.LicenseeID == o.LicenseeID ||
		o.ParentGrantID == x.ID || x.ParentGrantID == o.ID ||
		!excl.Agreement.Status.Signed() || !other.Agreement.Status.Signed() {
		return false
	}
	xs, xf := x.Start(excl.Agreement), x.Finish(excl.Agreement)
	os, of := o.Start(other.Agreement), o.Finish(other.Agreement)
	if (!xf.IsZero() && !os.IsZero() && os.After(xf)) || (!of.IsZero() && !xs.IsZero() && xs.After(of)) {
		return false
	}
	if !territoriesOverlap(x.Territories, o.Territories) {
		return false
	}
	if len(x.Activities) > 0 && len(o.Activities) > 0 && !slices.ContainsFunc(x.Activities, func(a licensing.Activity) bool { return slices.Contains(o.Activities, a) }) {
		return false
	}
	if len(x.Fields) > 0 && len(o.Fields) > 0 && !slices.ContainsFunc(x.Fields, func(f string) bool { return fieldIn(o.Fields, f) }) {
		return false
	}
	return true
}

// OverlapConflict is the conflict of an exclusive or sole grant and another
// licensee's grant that share the patents common (the first of them; count
// in all).
func OverlapConflict(excl, other GrantFact, common []PatentRef, count int) Conflict {
	refs := []AgreementRef{agreementRef(excl.Agreement)}
	if other.Agreement.ID != excl.Agreement.ID {
		refs = append(refs, agreementRef(other.Agreement))
	}
	msg := say("%s is an exclusive licence to %s, yet %s licenses %s for %d of the same patents in an overlapping territory, field and term.",
		grantLabel(&excl), excl.Grant.Licensee, grantLabel(&other), other.Grant.Licensee, count)
	if excl.Grant.Exclusivity == licensing.Sole {
		msg = say("%s is a sole licence to %s, yet %s licenses %s for %d of the same patents in an overlapping territory, field and term.",
			grantLabel(&excl), excl.Grant.Licensee, grantLabel(&other), other.Grant.Licensee, count)
	}
	return Conflict{Kind: ExclusiveOverlap, Agreements: refs, Grants: []int64{excl.Grant.ID, other.Grant.ID},
		Patents: common, More: max(count-len(common), 0), Message: msg}
}

// LicensorNotOwner reports a listed or family patent whose licensor (or its
// group, where the grant says so) never held it on any day of the grant's
// term: a licence of something the licensor never had.
func LicensorNotOwner(g GrantFact, p PatentRef, chain []licensing.Holding, links []licensing.Control) (Conflict, bool) {
	gr := &g.Grant
	if gr.ParentGrantID != 0 || (gr.Scope.Kind != licensing.ScopePatents && gr.Scope.Kind != licensing.ScopeFamilies) || len(chain) == 0 {
		return Conflict{}, false
	}
	spans := licensing.GroupSpans(links, gr.LicensorID, gr.LicensorAffiliates, gr.Start(g.Agreement), gr.Finish(g.Agreement))
	if licensing.HeldWithin(chain, spans) {
		return Conflict{}, false
	}
	return Conflict{Kind: LicensorNotOwnerKind, Agreements: []AgreementRef{agreementRef(g.Agreement)}, Grants: []int64{gr.ID},
		Patents: []PatentRef{p},
		Message: say("%s licenses %s, but its licensor %s never held it during the grant.", grantLabel(&g), p.Number, gr.Licensor)}, true
}

// TitleBreakConflict is a chain-of-title break as a conflict: an
// assignment by someone who did not own the patent that day.
func TitleBreakConflict(p PatentRef, agreement AgreementRef, assignor, owner string, on licensing.Date) Conflict {
	return Conflict{Kind: TitleBreakKind, Agreements: []AgreementRef{agreement}, Patents: []PatentRef{p},
		Message: say("%s assigned %s under %s on %s without holding it; %s owned it that day.", assignor, p.Number, agreement.Reference, on, owner)}
}

// AgreementRefOf names an agreement for a conflict or an answer.
func AgreementRefOf(a *licensing.Agreement) AgreementRef { return agreementRef(a) }
