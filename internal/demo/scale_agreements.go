package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// scaleKinds is the mix of agreement kinds, one slot each, repeated.
var scaleKinds = []licensing.AgreementKind{
	licensing.KindCrossLicense, licensing.KindLicense, licensing.KindAssignment, licensing.KindLicense,
	licensing.KindCovenantNotToSue, licensing.KindCrossLicense, licensing.KindLicense, licensing.KindSettlement,
	licensing.KindAssignment, licensing.KindLicense, licensing.KindCollaboration, licensing.KindCrossLicense,
	licensing.KindLicense, licensing.KindAssignment, licensing.KindOption, licensing.KindLicense,
	licensing.KindSettlement, licensing.KindCrossLicense, licensing.KindAssignment, licensing.KindCovenantNotToSue,
}

// scaleDealGen stores the generated agreements and keeps their stored
// grants that may be sublicensed.
type scaleDealGen struct {
	writer       dealWriter
	sublicensing []licensing.Grant // stored sublicensable grants of listed patents or families
}

// dealWriter writes generated agreements and settles their obligations:
// the store's agreement load (*sqlite.AgreementLoad), or the store's own
// audited writes, each in its own transaction (oneByOne).
type dealWriter interface {
	CreateAgreement(a *licensing.Agreement) error
	SettleOccurrences(obligationID int64, through licensing.Date, status licensing.ObligationStatus) (int, error)
}

// oneByOne writes each agreement and each settlement in a transaction of
// its own, as the generator did before the agreement load; a test compares
// the two.
type oneByOne struct {
	ctx   context.Context
	db    *sqlite.DB
	actor sqlite.Actor
}

func (w oneByOne) CreateAgreement(a *licensing.Agreement) error {
	return w.db.CreateAgreement(w.ctx, w.actor, a)
}

func (w oneByOne) SettleOccurrences(id int64, through licensing.Date, status licensing.ObligationStatus) (int, error) {
	return w.db.SettleOccurrences(w.ctx, w.actor, id, through, status)
}

// agreements writes n agreements through the store's agreement load: each
// as CreateAgreement writes it, with its audit rows, all of them in one
// transaction. The first ones make one company the licensee of the
// portfolios of the largest groups, about 30% of all patents, for
// measuring a large coverage.
func (g *scaleGen) agreements(ctx context.Context, db *sqlite.DB, n int) error {
	if g.oneByOne {
		return g.writeAgreements(ctx, oneByOne{ctx: ctx, db: db, actor: g.actor}, n)
	}
	return db.LoadAgreements(ctx, g.actor, func(load *sqlite.AgreementLoad) error {
		return g.writeAgreements(ctx, load, n)
	})
}

// writeAgreements generates n agreements and writes them to w.
func (g *scaleGen) writeAgreements(ctx context.Context, w dealWriter, n int) error {
	d := &scaleDealGen{writer: w}
	broad, err := g.broadLicensee(d)
	if err != nil {
		return err
	}
	for i := broad; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := g.deal(scaleKinds[i%len(scaleKinds)], i, d)
		if err := d.store(g, a); err != nil {
			return err
		}
	}
	return nil
}

// store writes one agreement, settles the obligations that fell due
// before the world's day, and counts it.
func (d *scaleDealGen) store(g *scaleGen, a *licensing.Agreement) error {
	if err := d.writer.CreateAgreement(a); err != nil {
		return fmt.Errorf("agreement %s: %w", a.Reference, err)
	}
	r := g.report
	r.Agreements++
	r.AgreementsByKind[a.Kind]++
	r.Grants += len(a.Grants)
	r.Assignments += len(a.Assignments)
	r.Obligations += len(a.Obligations)
	for _, gr := range a.Grants {
		if gr.Scope.Kind == licensing.ScopePortfolio {
			r.PortfolioGrants++
		}
		if gr.Sublicensable && gr.Scope.Kind != licensing.ScopePortfolio && a.Status == licensing.AgreementActive {
			d.sublicensing = append(d.sublicensing, gr)
		}
	}
	for _, as := range a.Assignments {
		r.Assigned += len(as.Patents)
	}
	if !signed(a.Status) {
		return nil
	}
	// Most obligations were met as they fell due; one in thirty has its
	// latest occurrences still open, so the deadlines list has overdue rows.
	for _, o := range a.Obligations {
		through := scaleAnchor.AddDays(-45)
		if g.rng.IntN(30) == 0 {
			through = scaleAnchor.AddDays(-200)
		}
		if _, err := d.writer.SettleOccurrences(o.ID, through, licensing.ObligationDone); err != nil {
			return fmt.Errorf("agreement %s, obligation %s: %w", a.Reference, o.Title, err)
		}
	}
	return nil
}

func signed(s licensing.AgreementStatus) bool {
	return s == licensing.AgreementActive || s == licensing.AgreementExpired || s == licensing.AgreementTerminated
}

// broadLicensee makes the first group's holding, with its affiliates, the
// licensee of whole portfolios of the largest other groups until about 30%
// of the patents are licensed to it, each in a royalty-bearing
// cross-licence in force today. It returns how many agreements it wrote.
func (g *scaleGen) broadLicensee(d *scaleDealGen) (int, error) {
	filed := make([]int, len(g.groups))
	total := 0
	for _, f := range g.firms {
		filed[f.group] += f.filed
		total += f.filed
	}
	order := make([]int, 0, len(g.groups)-1)
	for gi := 1; gi < len(g.groups); gi++ {
		order = append(order, gi)
	}
	sort.SliceStable(order, func(i, j int) bool { return filed[order[i]] > filed[order[j]] })
	licensee := g.groups[0].firms[0]
	g.report.LargestLicensee = licensee.name
	covered, written := 0, 0
	for _, gi := range order {
		if covered*10 >= total*3 {
			break
		}
		covered += filed[gi]
		licensor := g.groups[gi].firms[0]
		effective := scaleAnchor.AddYears(-1 - g.rng.IntN(5))
		a := g.agreementShell(licensing.KindCrossLicense, written, effective, licensor, licensee)
		a.Status, a.ExpiresOn, a.TerminatedOn = licensing.AgreementActive, effective.AddYears(10).AddDays(-1), licensing.Date{}
		a.RenewalMonths, a.NoticeDays = 0, 180
		to := g.portfolioGrant(a, licensor, licensee, true)
		to.Scope.CaptureFrom, to.Scope.CaptureTo, to.Scope.Tags, to.Scope.Standards, to.Scope.Offices = licensing.Date{}, licensing.Date{}, nil, nil, nil
		to.Territories, to.Fields, to.Activities = nil, nil, nil
		to.LicensorAffiliates, to.LicenseeAffiliates = true, true
		back := g.portfolioGrant(a, licensee, licensor, false)
		a.Grants = []licensing.Grant{to, back}
		g.royalties(a, licensee, licensor)
		if err := d.store(g, a); err != nil {
			return written, err
		}
		written++
		g.report.LargestLicenseeGrantCount++
	}
	return written, nil
}

// deal generates the i-th agreement, of kind.
func (g *scaleGen) deal(kind licensing.AgreementKind, i int, d *scaleDealGen) *licensing.Agreement {
	licensor := g.filer()
	licensee := g.otherGroup(licensor)
	effective := between(g.rng, year(2006), scaleAnchor.AddDays(-30))
	a := g.agreementShell(kind, i, effective, licensor, licensee)
	switch kind {
	case licensing.KindCrossLicense:
		a.Grants = []licensing.Grant{g.portfolioGrant(a, licensor, licensee, true), g.portfolioGrant(a, licensee, licensor, true)}
		g.royalties(a, licensee, licensor)
	case licensing.KindLicense:
		if len(d.sublicensing) > 0 && g.rng.IntN(25) == 0 {
			g.sublicence(a, d)
			break
		}
		a.Grants = []licensing.Grant{g.grantOfKind(a, licensor, licensee)}
		if a.Grants[0].RoyaltyBearing {
			g.royalties(a, licensee, licensor)
		}
	case licensing.KindCovenantNotToSue:
		gr := g.portfolioGrant(a, licensor, licensee, false)
		gr.RoyaltyBearing = false
		a.Grants = []licensing.Grant{gr}
	case licensing.KindSettlement:
		gr := g.grantOfKind(a, licensor, licensee)
		gr.PastRelease, gr.RoyaltyBearing, gr.Exclusivity = true, false, licensing.NonExclusive
		a.Grants = []licensing.Grant{gr}
		a.Obligations = append(a.Obligations, licensing.Obligation{Kind: licensing.ObligationPayment, Title: "Settlement payment",
			DueOn: effective.AddDays(30), Amount: g.amount(), Currency: pick(g.rng, []string{"EUR", "USD"}),
			PayerID: licensee.id, PayeeID: licensor.id})
	case licensing.KindCollaboration:
		for j := range a.Parties {
			a.Parties[j].Role = licensing.RoleCollaborator
		}
		gr := g.portfolioGrant(a, licensor, licensee, false)
		gr.Fields = []string{"joint development"}
		gr.RoyaltyBearing = false
		a.Grants = []licensing.Grant{gr}
		a.Obligations = append(a.Obligations, licensing.Obligation{Kind: licensing.ObligationMilestone, Title: "Joint prototype",
			DueOn: effective.AddYears(1), PayerID: licensee.id, PayeeID: licensor.id})
	case licensing.KindOption:
		a.Status, a.SignedOn, a.TerminatedOn = pick(g.rng, []licensing.AgreementStatus{licensing.AgreementDraft, licensing.AgreementNegotiation}),
			licensing.Date{}, licensing.Date{}
		a.Grants = []licensing.Grant{g.listedGrant(a, licensor, licensee)}
		a.Obligations = append(a.Obligations, licensing.Obligation{Kind: licensing.ObligationNotice, Title: "Option exercise notice",
			DueOn: scaleAnchor.AddDays(30 + g.rng.IntN(300)), PayerID: licensee.id, PayeeID: licensor.id})
	case licensing.KindAssignment:
		g.sale(a, licensor, licensee)
	}
	return a
}

// agreementShell is an agreement between two companies with its dates,
// term and status, without grants.
func (g *scaleGen) agreementShell(kind licensing.AgreementKind, i int, effective licensing.Date, licensor, licensee *scaleFirm) *licensing.Agreement {
	left, right := g.groups[licensor.group].brand, g.groups[licensee.group].brand
	a := &licensing.Agreement{
		Reference: fmt.Sprintf("%s-%s-%s-%05d", strings.ToUpper(left[:3]), strings.ToUpper(right[:3]), effective.String()[:4], i+1),
		Title:     g.dealTitle(kind, licensor, licensee), Kind: kind,
		EffectiveOn: effective, SignedOn: effective.AddDays(-g.rng.IntN(30)),
		GoverningLaw: pick(g.rng, []string{"England and Wales", "New York", "Germany", "Finland", "Switzerland", "Sweden"}),
		Parties:      []licensing.Party{{CompanyID: licensor.id, Role: licensing.RoleLicensor}, {CompanyID: licensee.id, Role: licensing.RoleLicensee}},
	}
	if kind == licensing.KindCrossLicense || kind == licensing.KindSettlement {
		a.Parties[0].Role, a.Parties[1].Role = licensing.RoleParty, licensing.RoleParty
	}
	switch x := g.rng.Float64(); {
	case x < 0.1 && kind == licensing.KindLicense: // until the last licensed patent expires
	default:
		a.ExpiresOn = effective.AddYears(3 + g.rng.IntN(8)).AddDays(-1)
		if chance(g.rng, 0.6) {
			a.NoticeDays = pick(g.rng, []int{60, 90, 180})
		}
		if chance(g.rng, 0.25) {
			a.RenewalMonths = pick(g.rng, []int{12, 24, 36})
		}
	}
	a.Status = licensing.AgreementActive
	switch {
	case chance(g.rng, 0.08) && a.ExpiresOn.IsZero() || chance(g.rng, 0.08):
		end := scaleAnchor.AddDays(-1)
		if !a.ExpiresOn.IsZero() && a.ExpiresOn.Before(end) {
			end = a.ExpiresOn
		}
		if end.After(effective) {
			a.Status, a.TerminatedOn = licensing.AgreementTerminated, between(g.rng, effective, end)
		}
	case !a.ExpiresOn.IsZero() && a.ExpiresOn.Before(scaleAnchor) && a.RenewalMonths == 0:
		a.Status = licensing.AgreementExpired
	}
	return a
}

// dealTitle names an agreement by its kind and the two groups' brands.
func (g *scaleGen) dealTitle(kind licensing.AgreementKind, a, b *scaleFirm) string {
	return fmt.Sprintf("%s %s – %s", kindTitle[kind], g.groups[a.group].brand, g.groups[b.group].brand)
}

var kindTitle = map[licensing.AgreementKind]string{
	licensing.KindCrossLicense: "Patent cross-licence", licensing.KindLicense: "Patent licence",
	licensing.KindAssignment: "Patent purchase", licensing.KindCovenantNotToSue: "Covenant not to sue",
	licensing.KindSettlement: "Settlement and licence", licensing.KindCollaboration: "Research collaboration",
	licensing.KindOption: "Option to license",
}

// otherGroup picks a company outside f's group.
func (g *scaleGen) otherGroup(f *scaleFirm) *scaleFirm {
	for {
		if o := pick(g.rng, g.firms); o.group != f.group {
			return o
		}
	}
}

// grantOfKind is a licence of a portfolio (half), listed patents or
// families, now and then exclusive or sublicensable.
func (g *scaleGen) grantOfKind(a *licensing.Agreement, licensor, licensee *scaleFirm) licensing.Grant {
	var gr licensing.Grant
	switch x := g.rng.Float64(); {
	case x < 0.5:
		gr = g.portfolioGrant(a, licensor, licensee, false)
	case x < 0.8:
		gr = g.listedGrant(a, licensor, licensee)
	default:
		gr = g.familyGrant(a, licensor, licensee)
	}
	switch x := g.rng.Float64(); {
	case x < 0.06:
		gr.Exclusivity = licensing.Exclusive
	case x < 0.1:
		gr.Exclusivity = licensing.Sole
	}
	gr.Sublicensable = gr.Scope.Kind != licensing.ScopePortfolio && chance(g.rng, 0.2)
	gr.RoyaltyBearing = chance(g.rng, 0.6)
	return gr
}

// baseGrant is a grant with the terms every scope shares: who, where, what
// for.
func (g *scaleGen) baseGrant(licensor, licensee *scaleFirm) licensing.Grant {
	gr := licensing.Grant{LicensorID: licensor.id, LicenseeID: licensee.id, LicenseeAffiliates: chance(g.rng, 0.7),
		Exclusivity: licensing.NonExclusive}
	if chance(g.rng, 0.4) {
		gr.Fields = []string{pick(g.rng, g.groups[licensee.group].sector.fields)}
	}
	switch x := g.rng.Float64(); {
	case x < 0.55:
		gr.Territories = []string{"WORLD"}
	case x < 0.75:
		gr.Territories = []string{"EU"}
	case x < 0.9:
		gr.Territories = []string{"US"}
	default:
		gr.Territories = []string{"CN", "JP", "KR"}
	}
	if chance(g.rng, 0.1) {
		gr.Activities = []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell}
	}
	return gr
}

// portfolioGrant licenses what the licensor (with its affiliates, when
// affiliates is set and by chance) owned within a capture window, at
// times narrowed to a tag, a standard or an office.
func (g *scaleGen) portfolioGrant(a *licensing.Agreement, licensor, licensee *scaleFirm, affiliates bool) licensing.Grant {
	gr := g.baseGrant(licensor, licensee)
	gr.LicensorAffiliates = affiliates && chance(g.rng, 0.7)
	gr.Scope.Kind = licensing.ScopePortfolio
	if chance(g.rng, 0.8) {
		gr.Scope.CaptureFrom = a.EffectiveOn.AddYears(-10 - g.rng.IntN(10))
	}
	if chance(g.rng, 0.85) {
		gr.Scope.CaptureTo = a.EffectiveOn.AddYears(g.rng.IntN(4))
	}
	sector := g.groups[licensor.group].sector
	switch x := g.rng.Float64(); {
	case x < 0.15:
		gr.Scope.Tags = []string{pick(g.rng, sector.tags)}
	case x < 0.25 && len(sector.standards) > 0:
		gr.Scope.Standards = []string{pick(g.rng, sector.standards)}
	case x < 0.3:
		gr.Scope.Offices = []string{pick(g.rng, []string{"US", "EP", "CN"})}
	}
	return gr
}

// listedGrant licenses two to twenty of the licensor's patents by number.
func (g *scaleGen) listedGrant(a *licensing.Agreement, licensor, licensee *scaleFirm) licensing.Grant {
	gr := g.baseGrant(licensor, licensee)
	gr.Scope.Kind = licensing.ScopePatents
	for _, p := range g.somePatents(licensor, 2+g.rng.IntN(19)) {
		gr.Scope.Patents = append(gr.Scope.Patents, licensing.PatentRef{Number: p.number})
	}
	if len(gr.Scope.Patents) == 0 { // a company that filed nothing licenses its portfolio
		return g.portfolioGrant(a, licensor, licensee, false)
	}
	return gr
}

// familyGrant licenses one to five of the licensor's families.
func (g *scaleGen) familyGrant(a *licensing.Agreement, licensor, licensee *scaleFirm) licensing.Grant {
	gr := g.baseGrant(licensor, licensee)
	gr.Scope.Kind = licensing.ScopeFamilies
	for _, p := range g.somePatents(licensor, 1+g.rng.IntN(5)) {
		if !slices.Contains(gr.Scope.Families, p.family) {
			gr.Scope.Families = append(gr.Scope.Families, p.family)
		}
	}
	if len(gr.Scope.Families) == 0 {
		return g.portfolioGrant(a, licensor, licensee, false)
	}
	return gr
}

// somePatents picks up to k distinct patents from f's sample.
func (g *scaleGen) somePatents(f *scaleFirm, k int) []scalePatent {
	k = min(k, len(f.sample))
	out := make([]scalePatent, 0, k)
	for _, i := range g.rng.Perm(len(f.sample))[:k] {
		out = append(out, f.sample[i])
	}
	return out
}

// sublicence grants a third company what an earlier sublicensable grant
// licensed, from that grant's licensee.
func (g *scaleGen) sublicence(a *licensing.Agreement, d *scaleDealGen) {
	parent := pick(g.rng, d.sublicensing)
	var licensor *scaleFirm
	for _, f := range g.firms {
		if f.id == parent.LicenseeID {
			licensor = f
		}
	}
	licensee := g.otherGroup(licensor)
	a.Parties = []licensing.Party{{CompanyID: licensor.id, Role: licensing.RoleLicensor}, {CompanyID: licensee.id, Role: licensing.RoleLicensee}}
	gr := g.baseGrant(licensor, licensee)
	gr.Scope = parent.Scope
	gr.Territories, gr.Fields, gr.Activities = parent.Territories, parent.Fields, parent.Activities
	gr.ParentGrantID = parent.ID
	a.Title = "Sublicence " + a.Title
	a.Grants = []licensing.Grant{gr}
}

// sale transfers five to thirty-five of the assignor's patents filed before
// the sale; now and then the assignor is a sister company that never held
// them, a break in the chain of title. Some sales license the patents back.
func (g *scaleGen) sale(a *licensing.Agreement, assignor, assignee *scaleFirm) {
	for j := range a.Parties {
		a.Parties[j].Role = []licensing.PartyRole{licensing.RoleAssignor, licensing.RoleAssignee}[j]
	}
	a.Title = g.dealTitle(a.Kind, assignor, assignee)
	a.ExpiresOn, a.NoticeDays, a.RenewalMonths = licensing.Date{}, 0, 0
	if a.Status != licensing.AgreementTerminated {
		a.Status = licensing.AgreementActive
	}
	var patents []licensing.PatentRef
	want := 5 + g.rng.IntN(31)
	for j := 0; j < len(assignor.sample) && len(patents) < want; {
		p := assignor.sample[j]
		if !p.filed.Before(a.EffectiveOn) {
			j++
			continue
		}
		patents = append(patents, licensing.PatentRef{Number: p.number})
		// A patent is sold once: take it out of the sample.
		assignor.sample[j] = assignor.sample[len(assignor.sample)-1]
		assignor.sample = assignor.sample[:len(assignor.sample)-1]
	}
	if len(patents) == 0 { // nothing old enough to sell: a plain licence instead
		a.Kind = licensing.KindLicense
		a.Title = g.dealTitle(a.Kind, assignor, assignee)
		a.Parties[0].Role, a.Parties[1].Role = licensing.RoleLicensor, licensing.RoleLicensee
		a.Grants = []licensing.Grant{g.portfolioGrant(a, assignor, assignee, false)}
		return
	}
	from := assignor
	if sisters := g.groups[assignor.group].firms; g.rng.IntN(50) == 0 {
		if s := pick(g.rng, sisters); s != assignor {
			from = s
			a.Parties[0].CompanyID = s.id
		}
	}
	as := licensing.Assignment{AssignorID: from.id, AssigneeID: assignee.id, EffectiveOn: a.EffectiveOn, Patents: patents}
	if chance(g.rng, 0.7) {
		as.RecordedOn = a.EffectiveOn.AddDays(10 + g.rng.IntN(80))
		as.OfficeRef = fmt.Sprintf("Reel %06d / Frame %04d", 30_000+g.rng.IntN(40_000), g.rng.IntN(10_000))
	}
	a.Assignments = []licensing.Assignment{as}
	if chance(g.rng, 0.4) {
		back := g.baseGrant(assignee, from)
		back.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: patents}
		a.Grants = []licensing.Grant{back}
	}
	a.Obligations = []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Purchase price", DueOn: a.EffectiveOn.AddDays(30),
		Amount: g.amount(), Currency: "USD", PayerID: assignee.id, PayeeID: from.id}}
}

// royalties adds quarterly royalty payments and reports from payer to
// payee, and for some an annual audit certificate.
func (g *scaleGen) royalties(a *licensing.Agreement, payer, payee *scaleFirm) {
	first := a.EffectiveOn.AddMonths(3)
	until := licensing.Date{}
	if a.ExpiresOn.IsZero() {
		until = a.EffectiveOn.AddYears(10)
	}
	currency := pick(g.rng, []string{"EUR", "USD"})
	a.Obligations = append(a.Obligations,
		licensing.Obligation{Kind: licensing.ObligationPayment, Title: "Quarterly royalty payment", DueOn: first.AddDays(30),
			Recurrence: licensing.Quarterly, Until: until, Amount: g.amount(), Currency: currency, PayerID: payer.id, PayeeID: payee.id},
		licensing.Obligation{Kind: licensing.ObligationReport, Title: "Quarterly royalty report", DueOn: first,
			Recurrence: licensing.Quarterly, Until: until, PayerID: payer.id, PayeeID: payee.id})
	if chance(g.rng, 0.3) {
		a.Obligations = append(a.Obligations, licensing.Obligation{Kind: licensing.ObligationNotice, Title: "Annual audit certificate",
			DueOn: a.EffectiveOn.AddYears(1), Recurrence: licensing.Yearly, Until: until, PayerID: payer.id, PayeeID: payee.id})
	}
}

// amount is a payment between 50,000 and 5,000,000 in whole thousands.
func (g *scaleGen) amount() licensing.Amount {
	a, err := licensing.ParseAmount(fmt.Sprintf("%d000.00", 50+g.rng.IntN(4950)))
	if err != nil {
		panic(err) // the format is fixed
	}
	return a
}
