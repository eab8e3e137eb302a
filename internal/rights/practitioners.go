package rights

import (
	"slices"

	"patentdesk/internal/licensing"
)

// Practitioners answers who may practise the patent of f on day on,
// somewhere and in some field: its owner, unless a worldwide exclusive
// grant for every field and activity shuts the owner out (those grants are
// returned instead), and each licensee whose grant applies that day, each
// basis listing the grant's territories, fields and activities. Grants of
// unsigned agreements are left out. A patent not in force that day has no
// one to name: nil for all three.
func Practitioners(f *Facts, on licensing.Date) (owner *Basis, shutOut, licences []Basis) {
	p := &f.Patent
	if !p.InForce(on) {
		return nil, nil, nil
	}
	e := newEngine(f)
	h := e.holdingOn(on)
	for _, g := range e.sortedGrants() {
		ev := e.evaluate(g, g.Grant.LicenseeID, Question{Company: g.Grant.LicenseeID, On: on}, 0)
		if len(ev.failures) > 0 || !territoriesOverlap(ev.territories, patentCountries(p)) {
			continue // a licence only where the patent gives no rights is no licence of it
		}
		b := e.licenceBasis(&ev, Question{Company: g.Grant.LicenseeID, On: on})
		licences = append(licences, b)
		gr := &g.Grant
		if gr.Exclusivity == licensing.Exclusive && gr.LicenseeID != h.OwnerID && len(gr.Fields) == 0 && len(gr.Activities) == 0 &&
			(len(gr.Territories) == 0 || slices.Contains(gr.Territories, licensing.TerritoryWorld)) {
			b.Reason = say("%s is an exclusive licence to %s worldwide, which shuts out the owner, %s.", grantLabel(g), e.name(gr.LicenseeID), e.name(h.OwnerID))
			shutOut = append(shutOut, b)
		}
	}
	if len(shutOut) == 0 {
		o := e.ownerBasis(on)
		owner = &o
	}
	return owner, shutOut, licences
}

// PatentConflicts returns the conflicts the facts of one patent show: the
// grants that take it in overlapping where one is exclusive or sole, a
// listed or family grant whose licensor never held it, a sublicence
// reaching outside its parent, and an agreement whose status is stale.
// Chain-of-title breaks are the patent page's own section.
func PatentConflicts(f *Facts, today licensing.Date) []Conflict {
	e := newEngine(f)
	p := PatentRef{ID: f.Patent.ID, Number: f.Patent.Normalized}
	var takesIn []*GrantFact
	var out []Conflict
	seenAgreement := map[int64]bool{}
	for _, g := range e.sortedGrants() {
		if c, ok := LicensorNotOwner(*g, p, e.chain, f.Links); ok {
			out = append(out, c)
		}
		out = append(out, SublicenceConflicts(*g, e.grants[g.Grant.ParentGrantID])...)
		ev := evaluation{fact: g}
		end := g.Grant.Finish(g.Agreement)
		if end.IsZero() {
			end = licensing.LastDay
		}
		e.checkScope(&ev, Text{}, end)
		if len(ev.failures) == 0 || (len(ev.failures) == 1 && ev.failures[0].cond == FailedDate) {
			takesIn = append(takesIn, g)
			if !seenAgreement[g.Agreement.ID] { // a stale status matters here where its grants reach the patent
				seenAgreement[g.Agreement.ID] = true
				out = append(out, AgreementConflicts(g.Agreement, today)...)
			}
		}
	}
	for _, x := range takesIn {
		for _, o := range takesIn {
			if OverlapCandidates(*x, *o) && !(o.Grant.ID < x.Grant.ID && OverlapCandidates(*o, *x)) {
				out = append(out, OverlapConflict(*x, *o, []PatentRef{p}, 1))
			}
		}
	}
	return out
}

// patentCountries lists the countries where p can give rights: its own
// country, or for an EP patent its designated (by default every EPC)
// states.
func patentCountries(p *licensing.Patent) []string {
	if p.Office == "EP" {
		if len(p.DesignatedStates) > 0 {
			return p.DesignatedStates
		}
		return licensing.EPCStates
	}
	return []string{p.Office}
}
