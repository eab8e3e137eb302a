package web

import (
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
)

// nokiaXiaomi2017 is the cross-licence of July 2017 and its Nokia → Xiaomi
// grant, as the issue states it in plain words.
func nokiaXiaomi2017() (*licensing.Agreement, licensing.Grant) {
	d := licensing.MustDate
	a := &licensing.Agreement{Reference: "NOK-XIA-2017", Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive,
		SignedOn: d("2017-07-05"), EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04")}
	g := licensing.Grant{
		Licensor: "Nokia Corporation", Licensee: "Xiaomi Corporation", LicensorAffiliates: true, LicenseeAffiliates: true,
		Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2017-07-05"),
			Standards: []string{"3GPP LTE"}},
		Activities: []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell,
			licensing.ActivityOfferToSell, licensing.ActivityImport},
		Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive,
		RoyaltyBearing: true,
	}
	return a, g
}

// plainToday is the day the sentences are written on: it places the
// running term of a renewing agreement.
var plainToday = licensing.MustDate("2026-11-21")

func TestPlainGrantTheIssueExample(t *testing.T) {
	a, g := nokiaXiaomi2017()
	cases := []struct {
		name, locale, want string
	}{
		{"English", "en", "Nokia Corporation and its affiliates grant Xiaomi Corporation and its affiliates a non-exclusive, " +
			"non-sublicensable licence to make, use, sell, offer to sell and import, worldwide, in the field of mobile devices, " +
			"under all their patents on 3GPP LTE owned at any time from 2000-01-01 to 2017-07-05, from 2017-07-05 to 2024-07-04, " +
			"royalty-bearing"},
		{"German", "de", "Nokia Corporation und ihre verbundenen Unternehmen gewähren Xiaomi Corporation und ihren verbundenen " +
			"Unternehmen eine nicht ausschließliche, nicht unterlizenzierbare Lizenz zum Herstellen, Gebrauchen, Inverkehrbringen, " +
			"Anbieten und Einführen, weltweit, im Anwendungsgebiet mobile devices, an allen Patenten zu 3GPP LTE, deren Inhaber " +
			"sie zu irgendeinem Zeitpunkt zwischen dem 01.01.2000 und dem 05.07.2017 waren, vom 05.07.2017 bis zum 04.07.2024, " +
			"gebührenpflichtig"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainGrant(i18n.For(tc.locale), a, &g, nil, plainToday).String(); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestPlainGrantScopes(t *testing.T) {
	d := licensing.MustDate
	base := func() (*licensing.Agreement, licensing.Grant) {
		a := &licensing.Agreement{Reference: "NOK-APL-2017", Status: licensing.AgreementActive, EffectiveOn: d("2017-05-23")}
		g := licensing.Grant{Licensor: "Nokia Technologies Oy", Licensee: "Apple Inc.", Exclusivity: licensing.NonExclusive}
		return a, g
	}
	refs := func(numbers ...string) []licensing.PatentRef {
		out := make([]licensing.PatentRef, len(numbers))
		for i, n := range numbers {
			out[i] = licensing.PatentRef{ID: int64(i + 1), Number: n}
		}
		return out
	}
	many := make([]string, 25)
	for i := range many {
		many[i] = fmt.Sprintf("EP10000%02dB1", i)
	}
	cases := []struct {
		name   string
		locale string
		change func(a *licensing.Agreement, g *licensing.Grant)
		parent *plainParent
		want   string // the whole sentence, or with contains a part of it
		part   bool
	}{
		{name: "ListedPatentsNamedAndCounted", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1", "US9123456B2")}
			g.RoyaltyBearing, g.PastRelease = true, true
		}, want: "Nokia Technologies Oy grants Apple Inc. a non-exclusive, non-sublicensable licence to practise in every way, " +
			"worldwide, in every field of use, under 2 listed patents (EP 1234567 B1 and US 9123456 B2), from 2017-05-23 until the " +
			"last licensed patent expires, royalty-bearing, with a release for past use"},
		{name: "OneListedPatentIsSingular", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1")}
		}, want: "under 1 listed patent (EP 1234567 B1),", part: true},
		{name: "ListedPatentsInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1", "US9123456B2", "CN105123456A")}
		}, want: "Nokia Technologies Oy gewährt Apple Inc. eine nicht ausschließliche, nicht unterlizenzierbare Lizenz zur " +
			"Benutzung in jeder Form, weltweit, in allen Anwendungsgebieten, an 3 aufgeführten Patenten (EP 1234567 B1, " +
			"US 9123456 B2 und CN 105123456 A), ab dem 23.05.2017 bis zum Ablauf des letzten lizenzierten Patents, gebührenfrei"},
		{name: "LongListSaysHowManyMore", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs(many...)}
		}, want: "under 25 listed patents (EP 1000000 B1, EP 1000001 B1, ", part: true},
		{name: "LongListEndsWithTheRest", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs(many...)}
		}, want: "EP 1000019 B1 and 5 more)", part: true},
		{name: "FamiliesWithTerritoriesAndFields", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1", "F2"}}
			g.Exclusivity, g.Sublicensable = licensing.Exclusive, true
			g.Territories, g.Fields = []string{"DE", "FR", "EU"}, []string{"smart home", "IoT"}
			g.Activities = []licensing.Activity{licensing.ActivityHaveMade, licensing.ActivityMake}
			a.ExpiresOn = d("2027-05-22")
		}, want: "Nokia Technologies Oy grants Apple Inc. an exclusive, sublicensable licence to make and have made, in Germany, " +
			"France and the European Union, in the fields of smart home and IoT, under every member of 2 patent families (F1 and F2), from " +
			"2017-05-23 to 2027-05-22, royalty-free"},
		{name: "OneFamilyInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}}
			g.Territories = []string{"EPC"}
		}, want: "in den EPÜ-Vertragsstaaten, in allen Anwendungsgebieten, an allen Mitgliedern von 1 Patentfamilie (F1),", part: true},
		{name: "PortfolioOfTheLicensorAloneEverOwned", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"iot", "smart-home"}, Offices: []string{"CN"}}
			g.LicenseeAffiliates = true
		}, want: "Nokia Technologies Oy grants Apple Inc. and its affiliates a non-exclusive, non-sublicensable licence to " +
			"practise in every way, worldwide, in every field of use, under all its patents tagged iot or smart-home in CN " +
			"owned at any time, from 2017-05-23 until the last licensed patent expires, royalty-free"},
		{name: "PortfolioCapturedFrom", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2010-01-01")}
		}, want: "under all its patents owned at any time from 2010-01-01 on,", part: true},
		{name: "PortfolioCapturedUpToInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureTo: d("2017-05-23")}
		}, want: "an allen Patenten, deren Inhaber sie zu irgendeinem Zeitpunkt bis zum 23.05.2017 war,", part: true},
		{name: "LicensorAffiliatesOnlyWidenAPortfolio", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1")}
			g.LicensorAffiliates = true
		}, want: "Nokia Technologies Oy grants Apple Inc. a", part: true},
		{name: "GrantTermInsideTheAgreement", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.ExpiresOn = d("2027-05-22")
			g.StartsOn, g.EndsOn = d("2018-01-01"), d("2020-12-31")
		}, want: ", from 2018-01-01 to 2020-12-31, royalty-free", part: true},
		{name: "TerminationEndsTheTerm", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.Status, a.ExpiresOn, a.TerminatedOn = licensing.AgreementTerminated, d("2027-05-22"), d("2019-03-31")
		}, want: ", from 2017-05-23 to 2019-03-31,", part: true},
		{name: "SublicenceNamesItsParent", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.ParentGrantID = 7
		}, parent: &plainParent{ID: 7, Licensor: "Nokia Corporation", Licensee: "Nokia Technologies Oy", Agreement: "NOK-GRP-2015"},
			want: ", royalty-free, as a sublicence under grant 7 in NOK-GRP-2015 (from Nokia Corporation to Nokia Technologies Oy)", part: true},
		{name: "SublicenceOfAnUnreadableParent", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.ParentGrantID = 1234
		}, want: ", as a sublicence under grant 1234", part: true},
		{name: "SublicenceAndReleaseInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.ParentGrantID, g.PastRelease = 7, true
		}, parent: &plainParent{ID: 7, Licensor: "Nokia Corporation", Licensee: "Nokia Technologies Oy", Agreement: "NOK-GRP-2015"},
			want: ", gebührenfrei, mit Freistellung von Ansprüchen aus Benutzungshandlungen der Vergangenheit, als Unterlizenz unter " +
				"der Rechteeinräumung 7 in NOK-GRP-2015 (von Nokia Corporation an Nokia Technologies Oy)", part: true},
		{name: "RenewingAgreementRunsTermAfterTerm", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.EffectiveOn, a.ExpiresOn, a.RenewalMonths = d("2019-10-01"), d("2021-09-30"), 24
		}, want: ", from 2019-10-01 for the term of the agreement, renewing every 24 months (current term to 2027-09-30), royalty-free",
			part: true},
		{name: "RenewingAgreementInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.EffectiveOn, a.ExpiresOn, a.RenewalMonths = d("2019-10-01"), d("2021-09-30"), 24
		}, want: ", ab dem 01.10.2019 für die Laufzeit des Vertrags, die sich um jeweils 24 Monate verlängert (laufende " +
			"Vertragsperiode bis zum 30.09.2027), gebührenfrei", part: true},
		{name: "TerminatedRenewingAgreementEnds", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.ExpiresOn, a.RenewalMonths = d("2021-05-22"), 12
			a.Status, a.TerminatedOn = licensing.AgreementTerminated, d("2024-05-22")
		}, want: ", from 2017-05-23 to 2024-05-22,", part: true},
		{name: "UnsignedAgreementWouldGrant", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.Status = licensing.AgreementNegotiation
		}, want: "Nokia Technologies Oy would grant Apple Inc. a non-exclusive, non-sublicensable licence", part: true},
		{name: "UnsignedGroupInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			a.Status, g.LicensorAffiliates = licensing.AgreementDraft, true
		}, want: "Nokia Technologies Oy und ihre verbundenen Unternehmen würden Apple Inc. eine nicht ausschließliche, nicht " +
			"unterlizenzierbare Lizenz zur Benutzung in jeder Form gewähren, weltweit,", part: true},
		{name: "CountriesByNameWithTheirArticles", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.Territories = []string{"US", "CN", "EPC"}
		}, want: ", in the United States, China and the EPC contracting states,", part: true},
		{name: "CountriesInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.Territories = []string{"DE", "CH", "US", "EU"}
		}, want: ", in Deutschland, der Schweiz, den Vereinigten Staaten und der Europäischen Union,", part: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, g := base()
			tc.change(a, &g)
			got := plainGrant(i18n.For(tc.locale), a, &g, tc.parent, plainToday).String()
			if tc.part && !strings.Contains(got, tc.want) || !tc.part && got != tc.want {
				t.Errorf("got\n  %s\nwant %s\n  %s", got, map[bool]string{true: "a part", false: "exactly"}[tc.part], tc.want)
			}
		})
	}
}

// TestPlainGrantKeepsDatesAndNumbersTogether checks the runs the page
// writes: every date and patent number in a nowrap run, so that a narrow
// column never breaks 2017-07-05 at its hyphens; what a user typed cannot
// forge a run.
func TestPlainGrantKeepsDatesAndNumbersTogether(t *testing.T) {
	a, g := nokiaXiaomi2017()
	g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{ID: 1, Number: "US9123456B2"}}}
	g.Fields[0] = "mobile" + keepOpen + " devices" + keepClose
	var kept []string
	for _, r := range plainGrant(i18n.For("en"), a, &g, nil, plainToday) {
		if r.Nowrap {
			kept = append(kept, r.Text)
		}
		if strings.ContainsAny(r.Text, keepOpen+keepClose+strongOpen+strongClose) {
			t.Errorf("run %q still holds a mark", r.Text)
		}
	}
	if want := []string{"US 9123456 B2", "2017-07-05", "2024-07-04"}; strings.Join(kept, "|") != strings.Join(want, "|") {
		t.Errorf("kept together %q, want %q", kept, want)
	}
}
