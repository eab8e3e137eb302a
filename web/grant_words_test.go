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
			"Anbieten und Einführen, weltweit, im Anwendungsbereich mobile devices, an allen Patenten zu 3GPP LTE, die irgendwann " +
			"vom 01.01.2000 bis zum 05.07.2017 in ihrem Besitz waren, vom 05.07.2017 bis zum 04.07.2024, gebührenpflichtig"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainGrant(i18n.For(tc.locale), a, &g, nil); got != tc.want {
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
			"worldwide, in every field of use, under 2 listed patents (EP1234567B1 and US9123456B2), from 2017-05-23 until the " +
			"last licensed patent expires, royalty-bearing, with a release for past use"},
		{name: "OneListedPatentIsSingular", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1")}
		}, want: "under 1 listed patent (EP1234567B1),", part: true},
		{name: "ListedPatentsInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs("EP1234567B1", "US9123456B2", "CN105123456A")}
		}, want: "Nokia Technologies Oy gewährt Apple Inc. eine nicht ausschließliche, nicht unterlizenzierbare Lizenz zur " +
			"Benutzung in jeder Form, weltweit, in allen Anwendungsbereichen, an 3 aufgeführten Patenten (EP1234567B1, " +
			"US9123456B2 und CN105123456A), ab dem 23.05.2017 bis zum Ablauf des letzten lizenzierten Patents, gebührenfrei"},
		{name: "LongListSaysHowManyMore", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs(many...)}
		}, want: "under 25 listed patents (EP1000000B1, EP1000001B1, ", part: true},
		{name: "LongListEndsWithTheRest", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: refs(many...)}
		}, want: "EP1000019B1 and 5 more)", part: true},
		{name: "FamiliesWithTerritoriesAndFields", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1", "F2"}}
			g.Exclusivity, g.Sublicensable = licensing.Exclusive, true
			g.Territories, g.Fields = []string{"DE", "FR", "EU"}, []string{"smart home", "IoT"}
			g.Activities = []licensing.Activity{licensing.ActivityHaveMade, licensing.ActivityMake}
			a.ExpiresOn = d("2027-05-22")
		}, want: "Nokia Technologies Oy grants Apple Inc. an exclusive, sublicensable licence to make and have made, in DE, FR " +
			"and the EU, in the fields of smart home and IoT, under every member of 2 patent families (F1 and F2), from " +
			"2017-05-23 to 2027-05-22, royalty-free"},
		{name: "OneFamilyInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}}
			g.Territories = []string{"EPC"}
		}, want: "in den EPÜ-Vertragsstaaten, in allen Anwendungsbereichen, an allen Mitgliedern von 1 Patentfamilie (F1),", part: true},
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
		}, want: "an allen Patenten, die irgendwann bis zum 23.05.2017 in ihrem Besitz waren,", part: true},
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
			want: ", royalty-free, as a sublicence under the grant of Nokia Corporation to Nokia Technologies Oy in NOK-GRP-2015", part: true},
		{name: "SublicenceOfAnUnreadableParent", locale: "en", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.ParentGrantID = 1234
		}, want: ", as a sublicence under grant 1234", part: true},
		{name: "SublicenceAndReleaseInGerman", locale: "de", change: func(a *licensing.Agreement, g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio}
			g.ParentGrantID, g.PastRelease = 7, true
		}, parent: &plainParent{ID: 7, Licensor: "Nokia Corporation", Licensee: "Nokia Technologies Oy", Agreement: "NOK-GRP-2015"},
			want: ", gebührenfrei, mit Freistellung für die Benutzung in der Vergangenheit, als Unterlizenz unter der Lizenz von " +
				"Nokia Corporation an Nokia Technologies Oy in NOK-GRP-2015", part: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, g := base()
			tc.change(a, &g)
			got := plainGrant(i18n.For(tc.locale), a, &g, tc.parent)
			if tc.part && !strings.Contains(got, tc.want) || !tc.part && got != tc.want {
				t.Errorf("got\n  %s\nwant %s\n  %s", got, map[bool]string{true: "a part", false: "exactly"}[tc.part], tc.want)
			}
		})
	}
}
