package rights

import (
	"cmp"
	"slices"

	"patentdesk/internal/licensing"
)

// engine answers questions about the one patent its facts describe.
type engine struct {
	f              *Facts
	chain          []licensing.Holding
	tree           *licensing.CorporateIndex
	grants         map[int64]*GrantFact
	affiliatesMemo map[affiliatesKey][]int64
	spansMemo      map[spansKey][]licensing.GroupSpan
}

func newEngine(f *Facts) *engine {
	e := &engine{f: f, chain: f.Chain, tree: licensing.NewCorporateIndex(f.Links), grants: make(map[int64]*GrantFact, len(f.Grants)),
		affiliatesMemo: map[affiliatesKey][]int64{}, spansMemo: map[spansKey][]licensing.GroupSpan{}}
	if len(e.chain) == 0 {
		e.chain = []licensing.Holding{{OwnerID: f.Patent.OriginalOwnerID, From: f.Patent.FiledOn}}
	}
	for i := range f.Grants {
		e.grants[f.Grants[i].Grant.ID] = &f.Grants[i]
	}
	return e
}

// name is a company's name for a sentence.
func (e *engine) name(id int64) string {
	if n, ok := e.f.Names[id]; ok && n != "" {
		return n
	}
	return "company " + itoa(id)
}

func (e *engine) party(id int64) Party {
	if id == 0 {
		return Party{}
	}
	return Party{ID: id, Name: e.name(id)}
}

// Check answers whether company q.Company may practise the patent of f for
// q.Activity in q.Territory, in q.Field, on q.On, with every basis and near
// miss, by the rules of DESIGN.md. The territory must be a country, except
// for a WO application, which needs no licence anywhere.
func Check(q Question, f *Facts) (Answer, error) {
	p := &f.Patent
	if q.On.IsZero() {
		return Answer{}, licensing.Errorf(licensing.Invalid, "the date to ask about is missing")
	}
	if p.Office != "WO" && !licensing.ValidCountry(q.Territory) {
		if q.Territory == "" {
			return Answer{}, licensing.Errorf(licensing.Invalid, "%s covers several countries: name the territory to ask about", p.Normalized)
		}
		return Answer{}, licensing.Errorf(licensing.Invalid, "territory %q is not a country code; ask about one country, such as DE", q.Territory)
	}
	e := newEngine(f)
	ans := Answer{Company: e.party(q.Company), Patent: p.Normalized, PatentID: p.ID, On: q.On, Territory: q.Territory,
		Activity: q.Activity, Field: q.Field, WhatIf: q.WhatIf}
	if why, required := e.licenceRequired(q); !required {
		ans.Verdict = NotRequired
		ans.Reasons = []Text{why}
		return ans, nil
	}
	ans.Pending = p.Status == licensing.StatusPending || p.Status == ""
	ans.Bases, ans.ShutOut = e.ownership(q)
	for _, g := range e.sortedGrants() {
		ev := e.evaluate(g, q.Company, q, 0)
		switch ev.conditions() {
		case 0:
			ans.Bases = append(ans.Bases, e.licenceBasis(&ev, q))
		case 1:
			if ev.failures[0].cond == FailedLicensee && (g.Grant.LicensorID == q.Company || slices.Contains(e.affiliates(q.Company, q.On), g.Grant.LicensorID)) {
				continue // a licence granted by the company's own group is no near miss of its own
			}
			ans.NearMisses = append(ans.NearMisses, e.nearMiss(&ev))
		default:
			if !slices.ContainsFunc(ev.failures, func(f failure) bool { return f.cond == FailedLicensee }) {
				ans.Misses = append(ans.Misses, e.miss(&ev))
			}
		}
	}
	ans.Verdict, ans.Reasons = e.summary(q, &ans)
	return ans, nil
}

// licenceRequired says whether anyone needs a licence for the patent in
// the territory on the day: not for a WO application, a patent no longer
// (or not yet) in force, or outside the countries its office covers. A
// pending application needs none yet, but is answered as pending, with what
// would cover it once granted.
func (e *engine) licenceRequired(q Question) (Text, bool) {
	p := &e.f.Patent
	expiry, _ := p.Expiry()
	switch {
	case p.Office == "WO":
		return say("%s is an international (PCT) application, which gives no rights of its own: no licence is needed.", PatentNumber(p.Normalized)), false
	case !patentCovers(p, q.Territory):
		if p.Office == "EP" {
			return say("%s is a European patent that is not in force in %s: no licence is needed there.", PatentNumber(p.Normalized), Country(q.Territory)), false
		}
		return say("%s is a %s patent, which gives no rights in %s: no licence is needed there.", PatentNumber(p.Normalized), p.Office, Country(q.Territory)), false
	case p.Status == licensing.StatusPending || p.Status == "":
		return Text{}, true
	case (p.Status == licensing.StatusLapsed || p.Status == licensing.StatusAbandoned || p.Status == licensing.StatusRevoked) &&
		!q.On.Before(p.StatusOn):
		return say("%s is %s with effect from %s: no licence is needed on %s.", PatentNumber(p.Normalized), statusWord(p.Status), p.StatusOn, q.On), false
	case !p.GrantedOn.IsZero() && q.On.Before(p.GrantedOn):
		return say("%s was granted only on %s: no licence is needed on %s.", PatentNumber(p.Normalized), p.GrantedOn, q.On), false
	case !p.InForce(q.On):
		if expiry.IsZero() {
			return say("%s has expired: no licence is needed on %s.", PatentNumber(p.Normalized), q.On), false
		}
		return say("%s expired after %s: no licence is needed on %s.", PatentNumber(p.Normalized), expiry, q.On), false
	}
	return Text{}, true
}

// statusWord is the past participle of an ending status, as a Text so
// that a reader in another language gets their word for it.
func statusWord(s licensing.PatentStatus) Text {
	switch s {
	case licensing.StatusLapsed:
		return say("lapsed")
	case licensing.StatusAbandoned:
		return say("abandoned")
	}
	return say("revoked")
}

// sortedGrants returns the grants by agreement reference and id, the order
// answers list them in.
func (e *engine) sortedGrants() []*GrantFact {
	out := make([]*GrantFact, 0, len(e.f.Grants))
	for i := range e.f.Grants {
		if e.f.Grants[i].Agreement != nil {
			out = append(out, &e.f.Grants[i])
		}
	}
	slices.SortFunc(out, func(a, b *GrantFact) int {
		return cmp.Or(cmp.Compare(a.Agreement.Reference, b.Agreement.Reference), cmp.Compare(a.Grant.ID, b.Grant.ID))
	})
	return out
}

// holdingOn returns the link of the chain of title that holds the patent on
// d; before the chain begins (the filing) its first link.
func (e *engine) holdingOn(d licensing.Date) licensing.Holding {
	for _, h := range e.chain {
		if d.Within(h.From, h.To) {
			return h
		}
	}
	return e.chain[0]
}

// ownership returns the company's owner or affiliate-owner basis, unless an
// exclusive grant to another company shuts the owner out, in which case it
// returns that grant instead.
func (e *engine) ownership(q Question) (bases, shutOut []Basis) {
	h := e.holdingOn(q.On)
	b := e.ownerBasis(q.On)
	switch {
	case h.OwnerID == q.Company:
	case slices.Contains(e.affiliates(q.Company, q.On), h.OwnerID):
		b.Kind, b.Through = AffiliateOwner, e.party(h.OwnerID)
		b.Until = earlier(b.Until, e.inGroupUntil(q.Company, h.OwnerID, q.On))
		b.Reason = say("%s owns %s on %s, and is an affiliate of %s that day.", e.name(h.OwnerID), PatentNumber(e.f.Patent.Normalized), q.On, e.name(q.Company))
	default:
		return nil, nil
	}
	for _, g := range e.sortedGrants() {
		if ex, ok := e.shutsOut(g, q); ok {
			shutOut = append(shutOut, ex)
		}
	}
	if len(shutOut) > 0 {
		return nil, shutOut
	}
	return []Basis{b}, nil
}

// shutsOut reports whether g is an exclusive grant to another company that
// applies for the same territory and day, and for the field and activity
// asked (for every field or activity, when the question names none): then
// the owner may not practise.
func (e *engine) shutsOut(g *GrantFact, q Question) (Basis, bool) {
	gr := &g.Grant
	if !mayShutOut(g, q) {
		return Basis{}, false
	}
	own := q
	own.WhatIf = false
	ev := e.evaluate(g, gr.LicenseeID, own, 0)
	if len(ev.failures) > 0 {
		return Basis{}, false
	}
	if self := e.evaluate(g, q.Company, own, 0); self.conditions() == 0 {
		return Basis{}, false // the company is itself covered by the grant
	}
	b := e.licenceBasis(&ev, own)
	b.Reason = say("%s is an exclusive licence to %s in %s on %s, which shuts out the owner, %s.",
		grantLabel(g), e.name(gr.LicenseeID), Country(q.Territory), q.On, e.name(e.holdingOn(q.On).OwnerID))
	return b, true
}

// ownerBasis is the owner's basis on day on: its holding, until the
// holding or the patent ends, and how the title came to it.
func (e *engine) ownerBasis(on licensing.Date) Basis {
	h := e.holdingOn(on)
	expiry, _ := e.f.Patent.Expiry()
	b := Basis{Kind: Owner, Holder: e.party(h.OwnerID), Until: earlier(h.To, expiry)}
	if h.Via != nil {
		b.Reason = say("%s owns %s on %s: it acquired it on %s under %s.", e.name(h.OwnerID), PatentNumber(e.f.Patent.Normalized), on, h.From, h.Via.Agreement)
	} else {
		b.Reason = say("%s owns %s on %s as its original owner.", e.name(h.OwnerID), PatentNumber(e.f.Patent.Normalized), on)
	}
	return b
}

// mayShutOut reports whether g is the kind of grant that can keep the
// company from what it owns: a signed exclusive grant to someone else, for
// the field and activity asked, or for every one when none is asked.
func mayShutOut(g *GrantFact, q Question) bool {
	gr := &g.Grant
	return gr.Exclusivity == licensing.Exclusive && gr.LicenseeID != q.Company && g.Agreement.Status.Signed() &&
		(q.Field != "" || len(gr.Fields) == 0) && (q.Activity != "" || len(gr.Activities) == 0)
}

// licenceBasis turns a grant that applies into a basis for this patent.
func (e *engine) licenceBasis(ev *evaluation, q Question) Basis {
	g := ev.fact
	gr := &g.Grant
	expiry, _ := e.f.Patent.Expiry()
	b := e.grantBasis(ev, q)
	b.Holder, b.Until = e.party(e.holdingOn(q.On).OwnerID), earlier(b.Until, expiry)
	b.Renewal = b.Renewal.For(b.Until)
	switch {
	case ev.through != 0 && !b.Renewal.IsZero():
		b.Reason = say("%s licenses %s to %s and its affiliates; %s is covered as an affiliate of %s on %s, %s; %s",
			grantLabel(g), PatentNumber(e.f.Patent.Normalized), e.name(gr.LicenseeID), e.name(q.Company), e.name(ev.through), q.On,
			renewalUntil(b.Until), renewalTerm(b.Renewal, q.On))
	case ev.through != 0:
		b.Reason = say("%s licenses %s to %s and its affiliates; %s is covered as an affiliate of %s on %s.",
			grantLabel(g), PatentNumber(e.f.Patent.Normalized), e.name(gr.LicenseeID), e.name(q.Company), e.name(ev.through), q.On)
	case !b.Renewal.IsZero():
		b.Reason = say("%s licenses %s from %s to %s %s; %s", grantLabel(g), PatentNumber(e.f.Patent.Normalized), e.name(gr.LicensorID),
			e.name(gr.LicenseeID), renewalUntil(b.Until), renewalTerm(b.Renewal, q.On))
	default:
		b.Reason = say("%s licenses %s from %s to %s.", grantLabel(g), PatentNumber(e.f.Patent.Normalized), e.name(gr.LicensorID), e.name(gr.LicenseeID))
	}
	return b
}

// grantBasis is the basis a grant that applies gives, whatever the
// patent: its parties, its end (cut where the company leaves the
// licensee's group) and the limits the question did not name.
func (e *engine) grantBasis(ev *evaluation, q Question) Basis {
	g := ev.fact
	gr := &g.Grant
	b := Basis{Kind: License, Agreement: agreementRef(g.Agreement), Grant: gr.ID, Licensor: e.party(gr.LicensorID),
		Licensee: e.party(gr.LicenseeID), Through: e.party(ev.through), Until: ev.until, Territories: ev.territories,
		Hypothetical: ev.hypothetical}
	if ev.through != 0 {
		b.Until = earlier(b.Until, e.inGroupUntil(ev.through, q.Company, q.On))
	}
	b.Renewal = ev.renewal.For(b.Until)
	if q.Field == "" {
		b.Fields = ev.fields
	}
	if q.Activity == "" {
		b.Activities = ev.activities
	}
	return b
}

// nearMiss reports a grant that failed one condition, with the running
// term of its agreement where that renews itself and the grant would
// otherwise reach the company: how long a licence mended by an amendment
// would last. A grant to someone else or in an unsigned agreement has no
// term the company could rely on.
func (e *engine) nearMiss(ev *evaluation) NearMiss {
	g := ev.fact
	n := NearMiss{Agreement: agreementRef(g.Agreement), Grant: g.Grant.ID, Licensor: e.party(g.Grant.LicensorID),
		Licensee: e.party(g.Grant.LicenseeID), Failed: ev.failures[0].cond, Reason: ev.failures[0].reason}
	if n.Failed != FailedLicensee && n.Failed != FailedStatus {
		n.Renewal = ev.renewal
	}
	return n
}

// miss reports a grant to the company that failed several conditions.
func (e *engine) miss(ev *evaluation) Miss {
	g := ev.fact
	m := Miss{Agreement: agreementRef(g.Agreement), Grant: g.Grant.ID, Licensor: e.party(g.Grant.LicensorID),
		Licensee: e.party(g.Grant.LicenseeID)}
	for _, f := range ev.failures {
		m.Failures = append(m.Failures, Failure{Failed: f.cond, Reason: f.reason})
	}
	return m
}

// agreementRef names an agreement in an answer.
func agreementRef(a *licensing.Agreement) AgreementRef {
	return AgreementRef{ID: a.ID, Reference: a.Reference, Title: a.Title, Kind: a.Kind, Status: a.Status}
}

// summary gives the verdict and its sentences: the plain one first, then
// the owner of the day, each basis and each exclusive grant shutting the
// owner out.
func (e *engine) summary(q Question, ans *Answer) (Verdict, []Text) {
	p := &e.f.Patent
	var reasons []Text
	verdict := NotCovered
	switch {
	case ans.Pending:
		verdict = NotRequired
		if len(ans.Bases) > 0 {
			reasons = append(reasons, say("%s is a pending application: no licence is needed until it is granted, and once granted %s would be covered.", PatentNumber(p.Normalized), e.name(q.Company)))
		} else {
			reasons = append(reasons, say("%s is a pending application: no licence is needed until it is granted, and once granted %s would not be covered.", PatentNumber(p.Normalized), e.name(q.Company)))
		}
	case len(ans.Bases) > 0:
		verdict = Covered
		if slices.ContainsFunc(ans.Bases, func(b Basis) bool { return !b.Hypothetical }) {
			reasons = append(reasons, say("%s may practise %s in %s on %s.", e.name(q.Company), PatentNumber(p.Normalized), Country(q.Territory), q.On))
		} else {
			reasons = append(reasons, say("%s would be covered for %s in %s on %s only if an agreement not yet signed is signed as drafted.", e.name(q.Company), PatentNumber(p.Normalized), Country(q.Territory), q.On))
		}
	default:
		reasons = append(reasons, say("%s needs a licence to practise %s in %s on %s, and has none.", e.name(q.Company), PatentNumber(p.Normalized), Country(q.Territory), q.On))
	}
	h := e.holdingOn(q.On)
	switch {
	case len(ans.Bases) > 0 && ans.Bases[0].Kind == Owner:
		// The owner basis says it.
	case h.Via != nil:
		reasons = append(reasons, say("%s is owned by %s since %s.", PatentNumber(p.Normalized), e.name(h.OwnerID), h.From))
	default:
		reasons = append(reasons, say("%s is owned by %s, its original owner.", PatentNumber(p.Normalized), e.name(h.OwnerID)))
	}
	for _, b := range ans.Bases {
		reasons = append(reasons, b.Reason)
	}
	for _, b := range ans.ShutOut {
		reasons = append(reasons, b.Reason)
	}
	return verdict, reasons
}
