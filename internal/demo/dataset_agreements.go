package demo

import (
	"maps"
	"slices"

	"patentdesk/internal/licensing"
)

// The demo agreements: the deals of 2016–2017 that DESIGN.md tells of, with
// invented terms, amounts and office references. They are licensing values
// as a form would fill them, except that companies are named (Party.Company,
// Grant.Licensor and Licensee, Assignment.Assignor and Assignee,
// Obligation.Payer and Payee), patents are given by number, and an amendment
// names its parent by reference (Agreement.Parent); Load resolves them, and
// creates the agreements in this order, parents first.
//
// Status is where each agreement stands now. Load enters every agreement as
// a draft first and moves it on once all are recorded (see Load).
//
// Everything is dated once and for all except the Nokia–HMD Global licence
// and its amendment, the deal still running: their term, the summaries that
// quote it and the reports met are placed relative to the day the demo is
// loaded (see placeHMDLicence), so that whoever opens the demo sees what the
// head of licensing sees in the issue: notice must be given in 45 days, and
// a royalty report to Nokia is overdue. Loaded on 2026-11-21, they are
// exactly as the issue tells it: notice by 2027-01-05, expiry 2027-04-05, the
// report due 2026-10-31 missing.

// demoAgreement is one agreement of the data set and the occurrences of its
// obligations that were met.
type demoAgreement struct {
	licensing.Agreement
	// settled names obligations by title: every occurrence due up to and
	// including the date was met on its due date. Later ones stay open.
	settled map[string]licensing.Date
	// place, if set, completes the agreement for the day the demo is loaded
	// on: the dates that follow that day rather than history.
	place func(da *demoAgreement, today licensing.Date)
}

// agreementsOn returns the demo agreements as loaded on date today: a copy
// of the data set, with those dated from the load day placed.
func agreementsOn(today licensing.Date) []demoAgreement {
	out := slices.Clone(agreements)
	for i := range out {
		if out[i].place != nil {
			out[i].settled = maps.Clone(out[i].settled)
			out[i].place(&out[i], today)
		}
	}
	return out
}

// How the HMD licence stands on the load day: notice of non-renewal is due
// hmdNoticeLead days ahead, hmdNoticeDays before the term ends.
const (
	hmdNoticeLead = 45
	hmdNoticeDays = 90
)

// hmdTerm returns the notice deadline and the end of the HMD licence's term
// for the load day today.
func hmdTerm(today licensing.Date) (notice, expires licensing.Date) {
	notice = today.AddDays(hmdNoticeLead)
	return notice, notice.AddDays(hmdNoticeDays)
}

// placeHMDLicence gives the HMD licence its term for the load day today,
// and has every minimum royalty due before that day paid and every
// quarterly report delivered but the last one due before it, which is
// overdue.
func placeHMDLicence(da *demoAgreement, today licensing.Date) {
	notice, expires := hmdTerm(today)
	da.ExpiresOn = expires
	da.Summary = "HMD Global makes and sells Nokia-branded phones and tablets under Nokia's cellular patents. " +
		"Term as extended by " + refHMDAmendment + " to " + expires.String() + "; renews by two years unless notice " +
		"is given 90 days before expiry, that is by " + notice.String() + "."
	da.settled["Minimum annual royalty"] = da.dueBefore("Minimum annual royalty", today, 0)
	// The report due last before today is still missing: overdue.
	da.settled["Quarterly royalty report"] = da.dueBefore("Quarterly royalty report", today, 1)
	for title, through := range da.settled {
		if through.IsZero() { // nothing due yet: nothing met
			delete(da.settled, title)
		}
	}
}

// placeHMDAmendment gives the amendment the term it extends the HMD licence
// to for the load day today.
func placeHMDAmendment(da *demoAgreement, today licensing.Date) {
	notice, expires := hmdTerm(today)
	da.ExpiresOn = expires
	da.Summary = "Extends the term of " + refHMD + " from 2021-11-30 to " + expires.String() + " and adds automatic " +
		"renewal by 24 months unless either party gives notice 90 days before expiry: the first notice deadline is " +
		notice.String() + ". All other terms unchanged."
}

// dueBefore returns the due date of the obligation titled title that lies
// skip occurrences before the last one due before today; zero if there is
// none.
func (da *demoAgreement) dueBefore(title string, today licensing.Date, skip int) licensing.Date {
	i := slices.IndexFunc(da.Obligations, func(o licensing.Obligation) bool { return o.Title == title })
	if i < 0 {
		return licensing.Date{}
	}
	dates := da.Obligations[i].DueDates(&da.Agreement, today.AddDays(-1))
	if len(dates) <= skip {
		return licensing.Date{}
	}
	return dates[len(dates)-1-skip]
}

// day parses a date of the data set; a typo stops every test at once.
var day = licensing.MustDate

// The references of the demo agreements that tests and other data name.
const (
	refCrossLicence = "NOK-XIA-2017"
	refPurchase     = "NOK-XIA-PSA-2017"
	refHMD          = "NOK-HMD-2016"
	refHMDAmendment = "NOK-HMD-2016-A1"
	refApple        = "NOK-APL-2017"
	refOption       = "NOK-XIA-OPT-2017"
	refIKEA         = "XIA-IKEA-2019"
)

// soldToXiaomi are the Nokia Technologies patents Xiaomi bought in July
// 2017, in the notations a lawyer might paste.
var soldToXiaomi = []licensing.PatentRef{
	{Number: "US 9,668,203 B2"}, {Number: "CN 106465298 B"}, {Number: "US 9,693,342 B2"},
	{Number: "US 9,572,063 B2"}, {Number: "EP 3 100 511 B1"}, {Number: "CN 105850166 B"},
	{Number: "US-9491678-B2"},
}

// mobileActivities are the activities of the cellular licences: everything
// but having products made by others.
var mobileActivities = []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell,
	licensing.ActivityOfferToSell, licensing.ActivityImport}

var agreements = []demoAgreement{
	{Agreement: licensing.Agreement{
		Reference: refCrossLicence, Title: "Nokia–Xiaomi patent cross-licence, cellular",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementExpired,
		SignedOn: day("2017-07-05"), EffectiveOn: day("2017-07-05"), ExpiresOn: day("2024-07-04"), NoticeDays: 180,
		GoverningLaw: "Laws of England and Wales",
		Summary: "Multi-year cross-licence of each side's cellular standard-essential patents, announced with " +
			"Xiaomi's purchase of Nokia patents (" + refPurchase + ") and the option for IoT, AR, VR and AI work (" +
			refOption + "). Xiaomi pays a running royalty; past sales are released.",
		Parties: []licensing.Party{{Company: nokia, Role: licensing.RoleParty}, {Company: xiaomi, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{
			{Licensor: nokia, Licensee: xiaomi, LicensorAffiliates: true, LicenseeAffiliates: true,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio,
					CaptureFrom: day("2000-01-01"), CaptureTo: day("2017-07-05"), Standards: []string{"3GPP LTE"}},
				Activities: mobileActivities, Territories: []string{licensing.TerritoryWorld}, Fields: []string{"mobile devices"},
				Exclusivity: licensing.NonExclusive, RoyaltyBearing: true, PastRelease: true},
			{Licensor: xiaomi, Licensee: nokia, LicensorAffiliates: true, LicenseeAffiliates: true,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio,
					CaptureFrom: day("2000-01-01"), CaptureTo: day("2017-07-05"), Standards: []string{"3GPP LTE", "3GPP NR"}},
				Activities: mobileActivities, Territories: []string{licensing.TerritoryWorld},
				Fields:      []string{"mobile devices", "network infrastructure"},
				Exclusivity: licensing.NonExclusive, PastRelease: true},
		},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationPayment, Title: "Running royalty, cellular licence", DueOn: day("2018-01-31"),
				Recurrence: licensing.Yearly, Until: day("2024-01-31"), Amount: licensing.MustAmount("12500000.00"), Currency: "EUR",
				Payer: xiaomi, Payee: nokia},
			{Kind: licensing.ObligationReport, Title: "Annual report of licensed units sold", DueOn: day("2018-01-15"),
				Recurrence: licensing.Yearly, Until: day("2024-01-15"), Payer: xiaomi, Payee: nokia},
		},
	}, settled: map[string]licensing.Date{
		"Running royalty, cellular licence":    day("2024-01-31"),
		"Annual report of licensed units sold": day("2024-01-15"),
	}},

	{Agreement: licensing.Agreement{
		Reference: refPurchase, Title: "Xiaomi purchase of Nokia patents, with licence back",
		Kind: licensing.KindAssignment, Status: licensing.AgreementActive,
		SignedOn: day("2017-07-05"), EffectiveOn: day("2017-07-05"),
		GoverningLaw: "Laws of England and Wales",
		Summary: "Nokia Technologies sells Xiaomi seven cellular patents of four families. Nokia keeps a " +
			"royalty-free licence back under the patents sold, for itself and its affiliates, until they expire.",
		Parties: []licensing.Party{{Company: nokiaTech, Role: licensing.RoleAssignor}, {Company: xiaomi, Role: licensing.RoleAssignee}},
		Grants: []licensing.Grant{
			{Licensor: xiaomi, Licensee: nokiaTech, LicenseeAffiliates: true,
				Scope:       licensing.GrantScope{Kind: licensing.ScopePatents, Patents: soldToXiaomi},
				Exclusivity: licensing.NonExclusive},
		},
		Assignments: []licensing.Assignment{
			{Assignor: nokiaTech, Assignee: xiaomi, EffectiveOn: day("2017-07-05"), RecordedOn: day("2017-09-12"),
				OfficeRef: "USPTO reel/frame 043652/0117", Patents: soldToXiaomi},
		},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationPayment, Title: "Purchase price", DueOn: day("2017-07-31"),
				Amount: licensing.MustAmount("48750000.00"), Currency: "USD", Payer: xiaomi, Payee: nokiaTech},
		},
	}, settled: map[string]licensing.Date{"Purchase price": day("2017-07-31")}},

	{Agreement: licensing.Agreement{
		Reference: refHMD, Title: "Nokia brand and patent licence to HMD Global",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive,
		// The term and the summary quoting it: placeHMDLicence.
		SignedOn: day("2016-05-18"), EffectiveOn: day("2016-12-01"),
		RenewalMonths: 24, NoticeDays: hmdNoticeDays, GoverningLaw: "Laws of Finland",
		Parties: []licensing.Party{{Company: nokiaTech, Role: licensing.RoleLicensor}, {Company: hmd, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{
			{Licensor: nokiaTech, Licensee: hmd, LicensorAffiliates: true,
				Scope:       licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"cellular"}},
				Territories: []string{licensing.TerritoryWorld}, Fields: []string{"mobile devices"},
				Exclusivity: licensing.NonExclusive, RoyaltyBearing: true},
		},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationPayment, Title: "Minimum annual royalty", DueOn: day("2017-12-31"),
				Recurrence: licensing.Yearly, Amount: licensing.MustAmount("2500000.00"), Currency: "EUR", Payer: hmd, Payee: nokiaTech},
			{Kind: licensing.ObligationReport, Title: "Quarterly royalty report", DueOn: day("2017-01-31"),
				Recurrence: licensing.Quarterly, Payer: hmd, Payee: nokiaTech},
		},
	}, settled: map[string]licensing.Date{}, place: placeHMDLicence},

	{Agreement: licensing.Agreement{
		Reference: refHMDAmendment, Title: "Amendment No. 1 to the HMD Global licence: extended term",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive, Parent: refHMD,
		// The term and the summary quoting it: placeHMDAmendment.
		SignedOn: day("2021-09-15"), EffectiveOn: day("2021-12-01"),
		RenewalMonths: 24, NoticeDays: hmdNoticeDays, GoverningLaw: "Laws of Finland",
		Parties: []licensing.Party{{Company: nokiaTech, Role: licensing.RoleLicensor}, {Company: hmd, Role: licensing.RoleLicensee}},
	}, place: placeHMDAmendment},

	{Agreement: licensing.Agreement{
		Reference: refApple, Title: "Nokia–Apple patent licence and settlement",
		Kind: licensing.KindLicense,
		// Still marked active although the term has ended: the page and the
		// conflicts report show the warning.
		Status:   licensing.AgreementActive,
		SignedOn: day("2017-05-23"), EffectiveOn: day("2017-05-23"), ExpiresOn: day("2023-06-30"), NoticeDays: 180,
		GoverningLaw: "Laws of the State of New York",
		Summary: "Settles the patent litigation of 2016 in all courts. Apple is licensed under Nokia's cellular and " +
			"video-coding patents; past use is released.",
		Parties: []licensing.Party{{Company: nokia, Role: licensing.RoleLicensor}, {Company: apple, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{
			{Licensor: nokia, Licensee: apple, LicensorAffiliates: true, LicenseeAffiliates: true,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureTo: day("2017-05-23"),
					Standards: []string{"3GPP LTE", "HEVC"}},
				Exclusivity: licensing.NonExclusive, RoyaltyBearing: true, PastRelease: true},
		},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationPayment, Title: "Settlement payment", DueOn: day("2017-06-30"),
				Amount: licensing.MustAmount("2000000000.00"), Currency: "USD", Payer: apple, Payee: nokia},
			{Kind: licensing.ObligationPayment, Title: "Annual licence fee", DueOn: day("2018-06-30"), Recurrence: licensing.Yearly,
				Amount: licensing.MustAmount("345000000.00"), Currency: "USD", Payer: apple, Payee: nokia},
		},
	}, settled: map[string]licensing.Date{"Settlement payment": day("2017-06-30"), "Annual licence fee": day("2023-06-30")}},

	{Agreement: licensing.Agreement{
		Reference: refOption, Title: "Nokia–Xiaomi option: IoT, AR, VR and AI",
		Kind: licensing.KindOption, Status: licensing.AgreementNegotiation,
		Summary: "Announced with the cross-licence on 2017-07-05: the companies explore joint work on the internet " +
			"of things, augmented and virtual reality, and artificial intelligence. Terms under negotiation.",
		Parties: []licensing.Party{{Company: nokiaTech, Role: licensing.RoleParty}, {Company: xiaomi, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{
			{Licensor: nokiaTech, Licensee: xiaomi, LicenseeAffiliates: true,
				Scope:  licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"iot", "ar", "vr", "ai"}},
				Fields: []string{"IoT devices", "AR and VR headsets"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true},
			{Licensor: xiaomi, Licensee: nokiaTech, LicensorAffiliates: true, LicenseeAffiliates: true,
				Scope:  licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"iot", "ar"}},
				Fields: []string{"IoT devices"}, Exclusivity: licensing.NonExclusive},
		},
	}},

	{Agreement: licensing.Agreement{
		Reference: refIKEA, Title: "Xiaomi–IKEA smart-home collaboration",
		Kind: licensing.KindCollaboration, Status: licensing.AgreementActive,
		SignedOn: day("2019-12-04"), EffectiveOn: day("2020-01-01"), ExpiresOn: day("2027-12-31"), NoticeDays: 180,
		GoverningLaw: "Laws of the Netherlands",
		Summary: "IKEA smart lighting works with Xiaomi's Mi Home app and gateways. Each side licenses the other " +
			"under its smart-home patents for the joint products.",
		Parties: []licensing.Party{{Company: xiaomi, Role: licensing.RoleCollaborator}, {Company: ikea, Role: licensing.RoleCollaborator}},
		Grants: []licensing.Grant{
			{Licensor: ikea, Licensee: xiaomi, LicenseeAffiliates: true,
				Scope:       licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"FAM-IKEA-0002"}},
				Territories: []string{"CN"}, Fields: []string{"smart home"}, Exclusivity: licensing.NonExclusive},
			{Licensor: xiaomi, Licensee: ikea, LicensorAffiliates: true,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day("2015-01-01"),
					CaptureTo: day("2019-12-31"), Tags: []string{"smart-home"}},
				Territories: []string{licensing.TerritoryEU, "GB", "CH", "NO"}, Fields: []string{"smart home"},
				Exclusivity: licensing.NonExclusive},
		},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationMilestone, Title: "Joint gateway interoperability release", DueOn: day("2020-06-30")},
			{Kind: licensing.ObligationReport, Title: "Annual collaboration review", DueOn: day("2020-12-15"),
				Recurrence: licensing.Yearly},
		},
	}, settled: map[string]licensing.Date{
		"Joint gateway interoperability release": day("2020-06-30"),
		"Annual collaboration review":            day("2025-12-15"),
	}},
}
