package web

import (
	"net/url"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// patentRightsView shows who may practise a patent on day today — its
// owner, unless an exclusive grant shuts the owner out, and every licensee
// whose grant applies that day — and the conflicts touching it, for the
// patent's page, from the patent's facts (PatentPageFacts or PatentFacts).
func patentRightsView(l *i18n.Locale, facts *sqlite.PatentFacts, today licensing.Date) templates.PatentRightsView {
	r := &facts.Patent
	v := templates.PatentRightsView{AskHref: "/rights?" + url.Values{"patent": {r.Normalized}}.Encode(), InForce: r.InForce(today)}
	f := engineFacts(facts)
	if !v.InForce {
		v.Reason = patentInForceReason(l, r, today)
	}
	// The engine's basis names the licensee; whether the grant reaches the
	// licensee's affiliates too is the grant's, read from the facts.
	affiliates := map[int64]bool{}
	for _, g := range f.Grants {
		affiliates[g.Grant.ID] = g.Grant.LicenseeAffiliates
	}
	owner, shutOut, licences := rights.Practitioners(f, today)
	if owner != nil {
		o := rightsBasisView(l, *owner, today)
		v.Owner = &o
	}
	for _, b := range shutOut {
		v.ShutOut = append(v.ShutOut, rightsBasisView(l, b, today))
	}
	for _, b := range licences {
		bv := rightsBasisView(l, b, today)
		bv.Affiliates = affiliates[b.Grant]
		v.Licences = append(v.Licences, bv)
	}
	for _, c := range rights.PatentConflicts(f, today) {
		v.Conflicts = append(v.Conflicts, rightsConflictView(l, c))
	}
	return v
}

// rightsConflictView shows one conflict: its kind, the sentence that says
// what is wrong, and the agreements it concerns.
func rightsConflictView(l *i18n.Locale, c rights.Conflict) templates.RightsConflictView {
	v := templates.RightsConflictView{Kind: string(c.Kind), KindLabel: l.T("rights.conflict_kind." + string(c.Kind)),
		Message: sentence(l, c.Message)}
	for _, a := range c.Agreements {
		v.Agreements = append(v.Agreements, titleAgreement(a))
	}
	return v
}
