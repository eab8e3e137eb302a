package rights

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// The companies of the rights fixture: a small Nokia/Xiaomi/HMD/Apple world
// after DESIGN.md's demo story, with invented details.
const (
	nokia      int64 = iota + 1 // Nokia Corporation
	nokiaTech                   // Nokia Technologies Oy, under Nokia Corporation throughout
	alcatel                     // Alcatel Lucent SA, under Nokia Corporation 2016-01-14 … 2020-12-31
	xiaomi                      // Xiaomi Corporation
	xiaomiComm                  // Xiaomi Communications Co., Ltd., under Xiaomi throughout
	youpin                      // Youpin Technology Co., Ltd., under Xiaomi 2018-01-01 … 2021-06-30
	hmd                         // HMD Global Oy
	apple                       // Apple Inc.
	ikea                        // Inter IKEA Systems B.V.
	inventor                    // Inventor Patents GmbH, a seller of patents
)

// names are the legal names of the fixture's companies.
var names = map[int64]string{
	nokia:      "Nokia Corporation",
	nokiaTech:  "Nokia Technologies Oy",
	alcatel:    "Alcatel Lucent SA",
	xiaomi:     "Xiaomi Corporation",
	xiaomiComm: "Xiaomi Communications Co., Ltd.",
	youpin:     "Youpin Technology Co., Ltd.",
	hmd:        "HMD Global Oy",
	apple:      "Apple Inc.",
	ikea:       "Inter IKEA Systems B.V.",
	inventor:   "Inventor Patents GmbH",
}

// links is the corporate tree: Alcatel joins Nokia in 2016 and leaves at
// the end of 2020; Youpin belongs to Xiaomi from 2018 to mid-2021.
var links = []licensing.Control{
	{Company: nokiaTech, Parent: nokia},
	{Company: alcatel, Parent: nokia, From: day("2016-01-14"), To: day("2020-12-31")},
	{Company: xiaomiComm, Parent: xiaomi},
	{Company: youpin, Parent: xiaomi, From: day("2018-01-01"), To: day("2021-06-30")},
}

// day reads a date of the fixture; "" is no date.
func day(s string) licensing.Date { return licensing.MustDate(s) }

// The patents of the fixture, by id.
const (
	pLTE     int64 = 101 + iota // EP, Nokia Technologies since filing, cellular/LTE, all EPC states
	pLTEUS                      // US member of pLTE's family, Nokia Technologies
	pSold                       // EP, Nokia Technologies until 2017-07-04, Xiaomi from 2017-07-05 (the purchase)
	pAlcatel                    // EP designating DE, FR, GB, Alcatel's throughout
	pBought                     // US, Inventor until 2019-02-28, Nokia Technologies from 2019-03-01
	pEarly                      // DE, Nokia Technologies until 2009-12-31, Inventor from 2010-01-01
	pInside                     // EP, Inventor until 2016-05-31, Nokia Technologies from 2016-06-01
	pHome                       // EP, Xiaomi's smart-home patent
	pNokIoT                     // EP, Nokia Technologies' IoT patent
	pWO                         // WO application of Nokia Technologies
	pPending                    // EP application of Nokia Technologies, pending
	pApple                      // US, Apple's
)

// patent returns a fresh copy of a fixture patent, so that a case may
// change its status or states without touching the others.
func patent(id int64) licensing.Patent {
	p := patents[id]
	p.ID = id
	p.Normalized = p.Number
	p.Tags = slices.Clone(p.Tags)
	p.Standards = slices.Clone(p.Standards)
	p.DesignatedStates = slices.Clone(p.DesignatedStates)
	if p.Status == "" {
		p.Status = licensing.StatusGranted
	}
	return p
}

// patents are the fixture's patents; expiry follows from the filing date
// (filing + 20 years) unless a case sets it.
var patents = map[int64]licensing.Patent{
	pLTE: {Number: "EP2012345B1", Office: "EP", Kind: "B1", Family: "F-LTE", FiledOn: day("2012-03-01"),
		GrantedOn: day("2015-02-01"), Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: true, OriginalOwnerID: nokiaTech},
	pLTEUS: {Number: "US9123456B2", Office: "US", Kind: "B2", Family: "F-LTE", FiledOn: day("2012-03-01"),
		GrantedOn: day("2016-05-10"), Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, OriginalOwnerID: nokiaTech},
	pSold: {Number: "EP2233445B1", Office: "EP", Kind: "B1", Family: "F-SOLD", FiledOn: day("2013-05-10"),
		GrantedOn: day("2016-01-20"), Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, OriginalOwnerID: nokiaTech},
	pAlcatel: {Number: "EP1998877B1", Office: "EP", Kind: "B1", Family: "F-ALU", FiledOn: day("2010-06-01"),
		GrantedOn: day("2013-09-04"), Tags: []string{"cellular"}, DesignatedStates: []string{"DE", "FR", "GB"}, OriginalOwnerID: alcatel},
	pBought: {Number: "US10111222B2", Office: "US", Kind: "B2", Family: "F-BOUGHT", FiledOn: day("2015-09-01"),
		GrantedOn: day("2018-10-30"), Tags: []string{"cellular"}, OriginalOwnerID: inventor},
	pEarly: {Number: "DE102008000001B4", Office: "DE", Kind: "B4", Family: "F-EARLY", FiledOn: day("2008-01-15"),
		GrantedOn: day("2011-03-03"), Tags: []string{"cellular"}, OriginalOwnerID: nokiaTech},
	pInside: {Number: "EP3000111B1", Office: "EP", Kind: "B1", Family: "F-INSIDE", FiledOn: day("2014-02-03"),
		GrantedOn: day("2017-01-11"), Tags: []string{"cellular"}, OriginalOwnerID: inventor},
	pHome: {Number: "EP3344556B1", Office: "EP", Kind: "B1", Family: "F-HOME", FiledOn: day("2016-04-01"),
		GrantedOn: day("2017-09-13"), Tags: []string{"iot", "smart-home"}, Standards: []string{"Zigbee"}, OriginalOwnerID: xiaomi},
	pNokIoT: {Number: "EP3100200B1", Office: "EP", Kind: "B1", Family: "F-NIOT", FiledOn: day("2015-11-02"),
		GrantedOn: day("2018-08-08"), Tags: []string{"iot"}, OriginalOwnerID: nokiaTech},
	pWO: {Number: "WO2017123456A1", Office: "WO", Kind: "A1", Family: "F-WO", FiledOn: day("2017-01-10"),
		Status: licensing.StatusPending, OriginalOwnerID: nokiaTech},
	pPending: {Number: "EP3500001A1", Office: "EP", Kind: "A1", Family: "F-PEND", FiledOn: day("2018-04-04"),
		Status: licensing.StatusPending, Tags: []string{"cellular"}, OriginalOwnerID: nokiaTech},
	pApple: {Number: "US9999001B2", Office: "US", Kind: "B2", Family: "F-APL", FiledOn: day("2014-07-07"),
		GrantedOn: day("2017-03-03"), Tags: []string{"cellular"}, OriginalOwnerID: apple},
}

// worldPatents lists the fixture's patents in id order.
var worldPatents = []int64{pLTE, pLTEUS, pSold, pAlcatel, pBought, pEarly, pInside, pHome, pNokIoT, pWO, pPending, pApple}

// short names the fixture patents in failure messages.
var short = map[int64]string{
	pLTE: "pLTE", pLTEUS: "pLTEUS", pSold: "pSold", pAlcatel: "pAlcatel", pBought: "pBought", pEarly: "pEarly",
	pInside: "pInside", pHome: "pHome", pNokIoT: "pNokIoT", pWO: "pWO", pPending: "pPending", pApple: "pApple",
}

// hold is one link of a chain of title; "" leaves an end open.
func hold(owner int64, from, to string) licensing.Holding {
	return licensing.Holding{OwnerID: owner, From: day(from), To: day(to)}
}

// chains are the fixture's chains of title, as storage reads them (the
// first holding from the filing date, the present one open).
var chains = map[int64][]licensing.Holding{
	pLTE:     {hold(nokiaTech, "2012-03-01", "")},
	pLTEUS:   {hold(nokiaTech, "2012-03-01", "")},
	pSold:    {hold(nokiaTech, "2013-05-10", "2017-07-04"), hold(xiaomi, "2017-07-05", "")},
	pAlcatel: {hold(alcatel, "2010-06-01", "")},
	pBought:  {hold(inventor, "2015-09-01", "2019-02-28"), hold(nokiaTech, "2019-03-01", "")},
	pEarly:   {hold(nokiaTech, "2008-01-15", "2009-12-31"), hold(inventor, "2010-01-01", "")},
	pInside:  {hold(inventor, "2014-02-03", "2016-05-31"), hold(nokiaTech, "2016-06-01", "")},
	pHome:    {hold(xiaomi, "2016-04-01", "")},
	pNokIoT:  {hold(nokiaTech, "2015-11-02", "")},
	pWO:      {hold(nokiaTech, "2017-01-10", "")},
	pPending: {hold(nokiaTech, "2018-04-04", "")},
	pApple:   {hold(apple, "2014-07-07", "")},
}

// facts gathers what the engine needs about patent p with the grants given,
// as storage would: the chain, the whole corporate tree and every name.
func facts(p licensing.Patent, grants ...GrantFact) *Facts {
	return &Facts{Patent: p, Chain: slices.Clone(chains[p.ID]), Links: links, Names: names, Grants: grants}
}

// The agreements of the fixture. Each function returns a fresh head, so
// that a case may change its status or dates.

// nokXia is the Nokia–Xiaomi cellular cross-licence of July 2017.
func nokXia() *licensing.Agreement {
	return agreement(1, "NOK-XIA-2017", "Nokia–Xiaomi patent cross-licence", licensing.KindCrossLicense,
		licensing.AgreementActive, "2017-07-05", "2024-07-04")
}

// nokHMD is Nokia's licence to HMD Global of December 2016.
func nokHMD() *licensing.Agreement {
	return agreement(2, "NOK-HMD-2016", "Nokia–HMD brand and patent licence", licensing.KindLicense,
		licensing.AgreementActive, "2016-12-01", "2026-11-30")
}

// nokApple is Nokia's licence to Apple of May 2017.
func nokApple() *licensing.Agreement {
	return agreement(3, "NOK-APL-2017", "Nokia–Apple patent licence", licensing.KindLicense,
		licensing.AgreementActive, "2017-05-23", "2027-05-22")
}

// xiaIkea is the Xiaomi–IKEA smart-home collaboration with its exclusive licence.
func xiaIkea() *licensing.Agreement {
	return agreement(4, "XIA-IKEA-2018", "Xiaomi–IKEA smart-home collaboration", licensing.KindCollaboration,
		licensing.AgreementActive, "2018-03-01", "2028-02-29")
}

// nokXiaIoT is the Nokia–Xiaomi IoT option, still under negotiation.
func nokXiaIoT() *licensing.Agreement {
	return agreement(5, "NOK-XIA-IOT-2018", "Nokia–Xiaomi IoT, AR, VR and AI option", licensing.KindOption,
		licensing.AgreementNegotiation, "2018-06-01", "2023-05-31")
}

// ikeaXia is IKEA's sublicence back to Xiaomi under the exclusive licence.
func ikeaXia() *licensing.Agreement {
	return agreement(6, "IKEA-XIA-2019", "IKEA–Xiaomi sublicence for Germany", licensing.KindLicense,
		licensing.AgreementActive, "2019-01-01", "2027-12-31")
}

// xiaIkeaSub is Xiaomi's sublicence to IKEA under the cross-licence.
func xiaIkeaSub() *licensing.Agreement {
	return agreement(7, "XIA-IKEA-SUB-2019", "Xiaomi–IKEA cellular sublicence", licensing.KindLicense,
		licensing.AgreementActive, "2019-01-01", "2024-07-04")
}

// aplXia is an (invented) Apple licence to Xiaomi.
func aplXia() *licensing.Agreement {
	return agreement(8, "APL-XIA-2019", "Apple–Xiaomi patent licence", licensing.KindLicense,
		licensing.AgreementActive, "2019-01-01", "2029-12-31")
}

// agreement builds an agreement head; "" leaves a date open.
func agreement(id int64, ref, title string, kind licensing.AgreementKind, status licensing.AgreementStatus, from, to string) *licensing.Agreement {
	return &licensing.Agreement{ID: id, Reference: ref, Title: title, Kind: kind, Status: status,
		SignedOn: day(from), EffectiveOn: day(from), ExpiresOn: day(to)}
}

// The grants of the fixture, by id.
const (
	gCross      int64 = 11 // NOK-XIA-2017: Nokia (and group) to Xiaomi (and group), cellular portfolio to 2017-07-05, mobile devices, worldwide
	gCrossBack  int64 = 12 // NOK-XIA-2017: Xiaomi (and group) to Nokia (and group), portfolio to 2017-07-05, worldwide
	gHMD        int64 = 21 // NOK-HMD-2016: Nokia Technologies to HMD, family F-LTE, EPC states
	gHMDAll     int64 = 22 // NOK-HMD-2016: Nokia (and group) to HMD, portfolio to 2016-12-01
	gApple      int64 = 31 // NOK-APL-2017: Nokia Technologies to Apple, listed patents, US and EU
	gIkea       int64 = 41 // XIA-IKEA-2018: Xiaomi to IKEA, exclusive, pHome, EU, smart home, sublicensable
	gIoT        int64 = 51 // NOK-XIA-IOT-2018 (negotiation): Nokia (and group) to Xiaomi, IoT portfolio
	gIkeaBack   int64 = 61 // IKEA-XIA-2019: IKEA to Xiaomi, sublicence under gIkea, pHome in DE
	gSub        int64 = 71 // XIA-IKEA-SUB-2019: Xiaomi to IKEA, sublicence under gCross, pLTE in DE
	gAppleToXia int64 = 81 // APL-XIA-2019: Apple to Xiaomi, Apple's portfolio, worldwide
)

// grant returns a fresh copy of a fixture grant with its agreement head,
// changed by the edits given.
func grant(id int64, edits ...func(*licensing.Grant, *licensing.Agreement)) GrantFact {
	var g licensing.Grant
	var a *licensing.Agreement
	switch id {
	case gCross:
		a = nokXia()
		g = licensing.Grant{LicensorID: nokia, LicenseeID: xiaomi, LicenseeAffiliates: true, LicensorAffiliates: true,
			Scope: portfolio("2000-01-01", "2017-07-05", "cellular"), Territories: []string{"WORLD"},
			Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}
	case gCrossBack:
		a = nokXia()
		g = licensing.Grant{LicensorID: xiaomi, LicenseeID: nokia, LicenseeAffiliates: true, LicensorAffiliates: true,
			Scope: portfolio("", "2017-07-05"), Territories: []string{"WORLD"}, Exclusivity: licensing.NonExclusive}
	case gHMD:
		a = nokHMD()
		g = licensing.Grant{LicensorID: nokiaTech, LicenseeID: hmd, Scope: licensing.GrantScope{Kind: licensing.ScopeFamilies,
			Families: []string{"F-LTE"}}, Territories: []string{"EPC"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}
	case gHMDAll:
		a = nokHMD()
		g = licensing.Grant{LicensorID: nokia, LicenseeID: hmd, LicensorAffiliates: true,
			Scope: portfolio("", "2016-12-01"), Exclusivity: licensing.NonExclusive}
	case gApple:
		a = nokApple()
		g = licensing.Grant{LicensorID: nokiaTech, LicenseeID: apple, Scope: listed(pSold, pBought, pLTEUS),
			Territories: []string{"US", "EU"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}
	case gIkea:
		a = xiaIkea()
		g = licensing.Grant{LicensorID: xiaomi, LicenseeID: ikea, Scope: listed(pHome), Territories: []string{"EU"},
			Fields: []string{"smart home"}, Exclusivity: licensing.Exclusive, Sublicensable: true}
	case gIoT:
		a = nokXiaIoT()
		g = licensing.Grant{LicensorID: nokia, LicenseeID: xiaomi, LicensorAffiliates: true,
			Scope: portfolio("2015-01-01", "2018-06-01", "iot"), Exclusivity: licensing.NonExclusive}
	case gIkeaBack:
		a = ikeaXia()
		g = licensing.Grant{LicensorID: ikea, LicenseeID: xiaomi, Scope: listed(pHome), Territories: []string{"DE"},
			Fields: []string{"smart home"}, Exclusivity: licensing.NonExclusive, ParentGrantID: gIkea}
	case gSub:
		a = xiaIkeaSub()
		g = licensing.Grant{LicensorID: xiaomi, LicenseeID: ikea, Scope: listed(pLTE), Territories: []string{"DE"},
			Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive, ParentGrantID: gCross}
	case gAppleToXia:
		a = aplXia()
		g = licensing.Grant{LicensorID: apple, LicenseeID: xiaomi, Scope: portfolio("", ""), Exclusivity: licensing.NonExclusive}
	default:
		panic(fmt.Sprintf("no fixture grant %d", id))
	}
	g.ID, g.AgreementID = id, a.ID
	g.Licensor, g.Licensee = names[g.LicensorID], names[g.LicenseeID]
	for _, edit := range edits {
		edit(&g, a)
	}
	return GrantFact{Grant: g, Agreement: a}
}

// portfolio is a portfolio scope over a capture window, narrowed to tags.
func portfolio(from, to string, tags ...string) licensing.GrantScope {
	return licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day(from), CaptureTo: day(to), Tags: tags}
}

// listed is a scope of listed patents.
func listed(ids ...int64) licensing.GrantScope {
	s := licensing.GrantScope{Kind: licensing.ScopePatents}
	for _, id := range ids {
		s.Patents = append(s.Patents, licensing.PatentRef{ID: id, Number: patents[id].Number})
	}
	return s
}

// Edits of fixture grants and their agreements.

func territories(t ...string) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.Territories = t }
}

func fields(f ...string) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.Fields = f }
}

func activities(a ...licensing.Activity) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.Activities = a }
}

func capture(from, to string) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) {
		g.Scope.CaptureFrom, g.Scope.CaptureTo = day(from), day(to)
	}
}

func term(from, to string) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.StartsOn, g.EndsOn = day(from), day(to) }
}

func status(s licensing.AgreementStatus) func(*licensing.Grant, *licensing.Agreement) {
	return func(_ *licensing.Grant, a *licensing.Agreement) { a.Status = s }
}

func terminated(on string) func(*licensing.Grant, *licensing.Agreement) {
	return func(_ *licensing.Grant, a *licensing.Agreement) {
		a.Status, a.TerminatedOn = licensing.AgreementTerminated, day(on)
	}
}

func expires(on string) func(*licensing.Grant, *licensing.Agreement) {
	return func(_ *licensing.Grant, a *licensing.Agreement) { a.ExpiresOn = day(on) }
}

func exclusivity(e licensing.Exclusivity) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.Exclusivity = e }
}

func sublicensable(g *licensing.Grant, _ *licensing.Agreement) { g.Sublicensable = true }

func noLicensorAffiliates(g *licensing.Grant, _ *licensing.Agreement) { g.LicensorAffiliates = false }

func noLicenseeAffiliates(g *licensing.Grant, _ *licensing.Agreement) { g.LicenseeAffiliates = false }

func licensor(c int64) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.LicensorID, g.Licensor = c, names[c] }
}

func licensee(c int64) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.LicenseeID, g.Licensee = c, names[c] }
}

func scope(s licensing.GrantScope) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope = s }
}

func royalty(on bool) func(*licensing.Grant, *licensing.Agreement) {
	return func(g *licensing.Grant, _ *licensing.Agreement) { g.RoyaltyBearing = on }
}

// ref is the agreement reference of a fixture grant.
func ref(id int64) string { return grant(id).Agreement.Reference }

// describeBases writes an answer's bases as sorted words: "owner",
// "affiliate_owner", "license:11"; a hypothetical basis ends in "?".
func describeBases(bases []Basis) []string {
	out := []string{}
	for _, b := range bases {
		s := string(b.Kind)
		if b.Kind == License {
			s += fmt.Sprintf(":%d", b.Grant)
		}
		if b.Hypothetical {
			s += "?"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// describeMisses writes near misses as sorted "grant:condition" words.
func describeMisses(misses []NearMiss) []string {
	out := []string{}
	for _, m := range misses {
		out = append(out, fmt.Sprintf("%d:%s", m.Grant, m.Failed))
	}
	sort.Strings(out)
	return out
}

// checkReasonsNameAgreements asserts what DESIGN.md asks of every reason:
// a licence basis, shut-out or near miss names its agreement's reference.
func checkReasonsNameAgreements(t *testing.T, a Answer) {
	t.Helper()
	if len(a.Reasons) == 0 || a.Reasons[0].String() == "" {
		t.Errorf("answer has no plain summary as its first reason: %q", Strings(a.Reasons))
	}
	for _, b := range append(slices.Clone(a.Bases), a.ShutOut...) {
		if b.Kind == License && !strings.Contains(b.Reason.String(), b.Agreement.Reference) {
			t.Errorf("reason of basis %s does not name agreement %s: %q", b.Kind, b.Agreement.Reference, b.Reason)
		}
		if b.Kind == License && b.Agreement.Reference == "" {
			t.Errorf("licence basis of grant %d names no agreement", b.Grant)
		}
	}
	for _, m := range a.NearMisses {
		if m.Agreement.Reference == "" || !strings.Contains(m.Reason.String(), m.Agreement.Reference) {
			t.Errorf("near miss of grant %d does not name its agreement %q: %q", m.Grant, m.Agreement.Reference, m.Reason)
		}
	}
}

// takes reports whether a patent set, as licensing.PatentSet defines it,
// takes in patent p with its chain of title: the reference reading of
// what storage turns into a query.
func takes(s licensing.PatentSet, p licensing.Patent, chain []licensing.Holding) bool {
	if s.Empty() {
		return false
	}
	if len(s.HeldBy) > 0 && !licensing.HeldWithin(chain, s.HeldBy) {
		return false
	}
	if len(s.Patents) > 0 && !slices.Contains(s.Patents, p.ID) {
		return false
	}
	if len(s.Families) > 0 && !slices.Contains(s.Families, p.Family) {
		return false
	}
	overlaps := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
	}
	return overlaps(s.Tags, p.Tags) && overlaps(s.Standards, p.Standards) && overlaps(s.Offices, []string{p.Office})
}

// takesAll reports whether every set takes in the patent (none: nothing).
func takesAll(sets []licensing.PatentSet, p licensing.Patent, chain []licensing.Holding) bool {
	if len(sets) == 0 {
		return false
	}
	for _, s := range sets {
		if !takes(s, p, chain) {
			return false
		}
	}
	return true
}

// routeTakes reports whether a coverage route takes in the patent: in all
// its sets and in no exception.
func routeTakes(r Route, p licensing.Patent, chain []licensing.Holding) bool {
	if !takesAll(r.Sets, p, chain) {
		return false
	}
	for _, except := range r.Except {
		if takesAll(except, p, chain) {
			return false
		}
	}
	return true
}
