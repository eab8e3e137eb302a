package rights

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// covered reads coverage routes as storage would stream them: for each
// fixture patent, the routes that take it in, as sorted words ("owner",
// "affiliate_owner", "license:11", a hypothetical basis ending in "?").
// Patents no route takes in are left out. With licencesOnly, ownership
// routes are not read.
func covered(routes []Route, licencesOnly bool) map[int64][]string {
	out := map[int64][]string{}
	for _, id := range worldPatents {
		p := patent(id)
		for _, r := range routes {
			if licencesOnly && r.Basis.Kind != License {
				continue
			}
			if routeTakes(r, p, chains[id]) {
				out[id] = append(out[id], describeBases([]Basis{r.Basis})...)
			}
		}
		sort.Strings(out[id])
	}
	return out
}

// describeCoverage writes coverage as "pLTE=license:11; pSold=license:11,owner".
func describeCoverage(c map[int64][]string) string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(c)) {
		parts = append(parts, fmt.Sprintf("%s=%s", short[id], strings.Join(c[id], ",")))
	}
	return strings.Join(parts, "; ")
}

// both is a patent with each of the labels.
func each(label string, ids ...int64) map[int64][]string {
	out := map[int64][]string{}
	for _, id := range ids {
		out[id] = []string{label}
	}
	return out
}

// merge joins coverage maps, labels of a patent sorted.
func merge(maps ...map[int64][]string) map[int64][]string {
	out := map[int64][]string{}
	for _, m := range maps {
		for id, labels := range m {
			out[id] = append(out[id], labels...)
			sort.Strings(out[id])
		}
	}
	return out
}

func TestRoutes(t *testing.T) {
	const on = "2020-01-01"
	ask := func(c int64, on string) CoverageQuestion { return CoverageQuestion{Company: c, On: day(on)} }
	nokiaTechOwns2020 := []int64{pLTE, pLTEUS, pBought, pInside, pNokIoT, pWO, pPending}
	crossScope := []int64{pLTE, pLTEUS, pSold, pAlcatel, pEarly, pInside} // Nokia group's cellular patents held up to 2017-07-05
	for _, c := range []struct {
		name         string
		q            CoverageQuestion
		grants       []GrantFact
		licencesOnly bool
		want         map[int64][]string
	}{
		{"OwnerRoute", ask(nokiaTech, on), nil, false,
			merge(each("owner", nokiaTechOwns2020...), each("affiliate_owner", pAlcatel))},
		{"OwnerRouteOnLastDayBeforeSale", ask(nokiaTech, "2017-07-04"), nil, false,
			merge(each("owner", pLTE, pLTEUS, pSold, pInside, pNokIoT, pWO), each("affiliate_owner", pAlcatel))},
		{"BuyerOwnsFromDayOfSale", ask(xiaomi, "2017-07-05"), nil, false,
			each("owner", pSold, pHome)},
		{"AffiliateOwnerRouteInsideControlPeriod", ask(nokia, "2020-12-31"), nil, false,
			each("affiliate_owner", append(slices.Clone(nokiaTechOwns2020), pAlcatel)...)},
		{"AffiliateOwnerRouteAfterControlPeriod", ask(nokia, "2021-01-01"), nil, false,
			each("affiliate_owner", nokiaTechOwns2020...)},
		{"LicenceRoute", ask(xiaomi, on), []GrantFact{grant(gCross)}, false,
			merge(each("license:11", crossScope...), each("owner", pSold, pHome))},
		{"LicenseeAffiliateRoute", ask(xiaomiComm, on), []GrantFact{grant(gCross)}, false,
			merge(each("license:11", crossScope...), each("affiliate_owner", pSold, pHome))},
		{"LicenseeAffiliateDayBeforeJoining", ask(youpin, "2017-12-31"), []GrantFact{grant(gCross)}, false,
			map[int64][]string{}},
		{"LicenseeAffiliateOnDayOfJoining", ask(youpin, "2018-01-01"), []GrantFact{grant(gCross)}, false,
			merge(each("license:11", crossScope...), each("affiliate_owner", pSold, pHome))},
		{"LicenseeAffiliateAfterLeaving", ask(youpin, "2021-07-01"), []GrantFact{grant(gCross)}, false,
			map[int64][]string{}},
		{"ListedRoute", ask(apple, on), []GrantFact{grant(gApple)}, false,
			merge(each("license:31", pSold, pBought, pLTEUS), each("owner", pApple))},
		{"ListedRouteBeforeTitleAcquired", ask(apple, "2019-02-28"), []GrantFact{grant(gApple)}, true,
			each("license:31", pSold, pLTEUS)},
		{"ListedRouteWithoutLicensorTitle", ask(apple, on), []GrantFact{grant(gApple, scope(listed(pEarly, pHome, pLTEUS)))}, true,
			each("license:31", pLTEUS)},
		// The US member of the family is left out: no EPC state is in its office.
		{"FamilyRoute", ask(hmd, on), []GrantFact{grant(gHMD)}, false,
			each("license:21", pLTE)},
		{"FamilyRouteWorldwide", ask(hmd, on), []GrantFact{grant(gHMD, territories())}, false,
			each("license:21", pLTE, pLTEUS)},
		{"PortfolioOfLicensorGroupRoute", ask(hmd, on), []GrantFact{grant(gHMDAll)}, false,
			each("license:22", pLTE, pLTEUS, pSold, pAlcatel, pEarly, pInside, pNokIoT)},
		{"PortfolioWithoutLicensorAffiliates", ask(hmd, on), []GrantFact{grant(gHMDAll, noLicensorAffiliates)}, false,
			map[int64][]string{}},
		{"GrantBeforeItsTerm", ask(hmd, "2016-11-30"), []GrantFact{grant(gHMD)}, false,
			map[int64][]string{}},
		{"GrantAfterItsTerm", ask(hmd, "2026-12-01"), []GrantFact{grant(gHMD)}, false,
			map[int64][]string{}},
		{"TerminatedAgreementOnTerminationDay", ask(hmd, "2020-01-31"), []GrantFact{grant(gHMD, terminated("2020-01-31"))}, false,
			each("license:21", pLTE)},
		{"TerminatedAgreementDayAfter", ask(hmd, "2020-02-01"), []GrantFact{grant(gHMD, terminated("2020-01-31"))}, false,
			map[int64][]string{}},
		{"NegotiationIgnored", ask(xiaomi, on), []GrantFact{grant(gIoT)}, true,
			map[int64][]string{}},
		{"NegotiationHypotheticalWithWhatIf", CoverageQuestion{Company: xiaomi, On: day(on), WhatIf: true}, []GrantFact{grant(gIoT)}, true,
			each("license:51?", pNokIoT)},
		{"SublicenceInsideParent", ask(ikea, on), []GrantFact{grant(gCross, sublicensable), grant(gSub)}, false,
			each("license:71", pLTE)},
		{"SublicenceUnderNonSublicensableParent", ask(ikea, on), []GrantFact{grant(gCross), grant(gSub)}, false,
			map[int64][]string{}},

		// An exclusive grant shuts the owner out (Route.Except) for the
		// field asked, or for every field when none is asked.
		{"ExclusiveGrantShutsOutOwner", CoverageQuestion{Company: xiaomi, On: day(on), Field: "smart home", Territory: "DE"},
			[]GrantFact{grant(gIkea)}, false, each("owner", pSold)},
		{"ExclusiveGrantShutsOutAffiliateOwner", CoverageQuestion{Company: xiaomiComm, On: day(on), Field: "smart home", Territory: "DE"},
			[]GrantFact{grant(gIkea)}, false, each("affiliate_owner", pSold)},
		{"ExclusiveLicenseeCovered", CoverageQuestion{Company: ikea, On: day(on), Field: "smart home", Territory: "DE"},
			[]GrantFact{grant(gIkea)}, false, each("license:41", pHome)},
		{"ExclusiveGrantInOtherFieldLeavesOwner", CoverageQuestion{Company: xiaomi, On: day(on), Field: "mobile devices", Territory: "DE"},
			[]GrantFact{grant(gIkea)}, false, each("owner", pSold, pHome)},
		{"ExclusiveGrantForSomeFieldsLeavesOwnerWhenNoFieldAsked", CoverageQuestion{Company: xiaomi, On: day(on), Territory: "DE"},
			[]GrantFact{grant(gIkea)}, false, each("owner", pSold, pHome)},
		{"ExclusiveGrantForEveryFieldShutsOutWhenNoFieldAsked", CoverageQuestion{Company: xiaomi, On: day(on), Territory: "DE"},
			[]GrantFact{grant(gIkea, fields())}, false, each("owner", pSold)},
		{"ExclusiveGrantOutsideItsTerritoryLeavesOwner", CoverageQuestion{Company: xiaomi, On: day(on), Field: "smart home", Territory: "CH"},
			[]GrantFact{grant(gIkea)}, false, each("owner", pSold, pHome)},
		{"ExclusiveLicenceSurvivingSaleShutsOutBuyer", CoverageQuestion{Company: xiaomi, On: day(on), Territory: "DE"},
			[]GrantFact{grant(gApple, exclusivity(licensing.Exclusive))}, false, each("owner", pHome)},
		{"SoleGrantLeavesOwner", CoverageQuestion{Company: xiaomi, On: day(on), Field: "smart home", Territory: "DE"},
			[]GrantFact{grant(gIkea, exclusivity(licensing.Sole))}, false, each("owner", pSold, pHome)},

		// Filters.
		{"LicensorFilter", CoverageQuestion{Company: xiaomi, On: day(on), Licensor: nokia},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, each("license:11", crossScope...)},
		{"LicensorFilterTakesLicensorsGroup", CoverageQuestion{Company: xiaomi, On: day(on), Licensor: nokiaTech},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, each("license:11", crossScope...)},
		{"LicensorFilterOtherLicensor", CoverageQuestion{Company: xiaomi, On: day(on), Licensor: apple},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, each("license:81", pApple)},
		{"NoLicensorFilter", CoverageQuestion{Company: xiaomi, On: day(on)},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, merge(each("license:11", crossScope...), each("license:81", pApple))},
		{"FieldFilterDropsGrantsOfOtherFields", CoverageQuestion{Company: xiaomi, On: day(on), Field: "smart home"},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, each("license:81", pApple)},
		{"FieldFilterKeepsGrantsOfThatField", CoverageQuestion{Company: xiaomi, On: day(on), Field: "mobile devices"},
			[]GrantFact{grant(gCross), grant(gAppleToXia)}, true, merge(each("license:11", crossScope...), each("license:81", pApple))},
		{"TerritoryFilterDropsGrantsElsewhere", CoverageQuestion{Company: apple, On: day(on), Territory: "CN"},
			[]GrantFact{grant(gApple)}, true, map[int64][]string{}},
		{"TerritoryFilterKeepsGrantsThere", CoverageQuestion{Company: apple, On: day(on), Territory: "DE"},
			[]GrantFact{grant(gApple)}, true, each("license:31", pSold, pBought, pLTEUS)},
		{"ActivityFilter", CoverageQuestion{Company: hmd, On: day(on), Activity: licensing.ActivityImport},
			[]GrantFact{grant(gHMD, activities(licensing.ActivityMake)), grant(gHMDAll)}, true,
			each("license:22", pLTE, pLTEUS, pSold, pAlcatel, pEarly, pInside, pNokIoT)},
	} {
		t.Run(c.name, func(t *testing.T) {
			routes := Routes(c.q, links, names, c.grants)
			got, want := describeCoverage(covered(routes, c.licencesOnly)), describeCoverage(c.want)
			if got != want {
				t.Errorf("coverage\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestRouteBasis checks what a coverage row says beside its patent: the
// grant, through whom and until when.
func TestRouteBasis(t *testing.T) {
	licence := func(t *testing.T, q CoverageQuestion, grants ...GrantFact) Basis {
		t.Helper()
		var found []Basis
		for _, r := range Routes(q, links, names, grants) {
			if r.Basis.Kind == License {
				found = append(found, r.Basis)
			}
		}
		if len(found) != 1 {
			t.Fatalf("licence routes %v, want one", describeBases(found))
		}
		return found[0]
	}
	t.Run("LicenceUntilAgreementEnd", func(t *testing.T) {
		b := licence(t, CoverageQuestion{Company: xiaomi, On: day("2020-01-01")}, grant(gCross))
		wantUntil(t, b, "2024-07-04")
		if b.Grant != gCross || b.Agreement.Reference != "NOK-XIA-2017" {
			t.Errorf("route names grant %d of %q, want %d of NOK-XIA-2017", b.Grant, b.Agreement.Reference, gCross)
		}
		wantParty(t, "licensor", b.Licensor, nokia)
	})
	t.Run("LicenceUntilGrantEnd", func(t *testing.T) {
		b := licence(t, CoverageQuestion{Company: hmd, On: day("2020-01-01")}, grant(gHMD, term("", "2021-12-31")))
		wantUntil(t, b, "2021-12-31")
	})
	t.Run("LicenceThroughLicensee", func(t *testing.T) {
		b := licence(t, CoverageQuestion{Company: xiaomiComm, On: day("2020-01-01")}, grant(gCross))
		wantParty(t, "through", b.Through, xiaomi)
	})
	t.Run("HypotheticalWithWhatIf", func(t *testing.T) {
		b := licence(t, CoverageQuestion{Company: xiaomi, On: day("2020-01-01"), WhatIf: true}, grant(gIoT))
		if !b.Hypothetical {
			t.Error("a route of an agreement under negotiation is not marked hypothetical")
		}
	})
	t.Run("FieldsOfGrantWhenNoneAsked", func(t *testing.T) {
		b := licence(t, CoverageQuestion{Company: xiaomi, On: day("2020-01-01")}, grant(gCross))
		if !slices.Equal(b.Fields, []string{"mobile devices"}) {
			t.Errorf("route names fields %v, want mobile devices", b.Fields)
		}
	})
}

func TestUntil(t *testing.T) {
	for _, c := range []struct {
		name                string
		route, expiry, want string
	}{
		{"RouteEndsFirst", "2024-07-04", "2032-03-01", "2024-07-04"},
		{"PatentExpiresFirst", "2030-12-31", "2028-01-15", "2028-01-15"},
		{"SameDay", "2028-01-15", "2028-01-15", "2028-01-15"},
		{"OpenRouteEndsAtExpiry", "", "2032-03-01", "2032-03-01"},
		{"UnknownExpiryEndsWithRoute", "2024-07-04", "", "2024-07-04"},
		{"BothOpen", "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Until(day(c.route), day(c.expiry)); got != day(c.want) {
				t.Errorf("Until(%s, %s) = %s, want %s", c.route, c.expiry, got, c.want)
			}
		})
	}
}

// TestScopeSets checks a grant's scope over its term, as counts and
// conflicts read it.
func TestScopeSets(t *testing.T) {
	for _, c := range []struct {
		name   string
		g      GrantFact
		parent *GrantFact
		want   []int64
	}{
		{"ListedPatentsHeldByLicensorDuringTerm", grant(gApple, scope(listed(pSold, pBought, pLTEUS, pEarly, pHome))), nil,
			[]int64{pLTEUS, pSold, pBought}},
		{"ListedPatentAcquiredAfterGrantEnds", grant(gApple, term("", "2018-12-31")), nil,
			[]int64{pLTEUS, pSold}},
		{"Families", grant(gHMD), nil, []int64{pLTE, pLTEUS}},
		{"PortfolioOfLicensorGroup", grant(gCross), nil, []int64{pLTE, pLTEUS, pSold, pAlcatel, pEarly, pInside}},
		{"PortfolioOfLicensorAlone", grant(gHMDAll, licensor(nokiaTech), noLicensorAffiliates), nil,
			[]int64{pLTE, pLTEUS, pSold, pEarly, pInside, pNokIoT}},
		{"SublicenceWithinParent", grant(gSub, scope(listed(pLTE, pNokIoT))), ptr(grant(gCross, sublicensable)), []int64{pLTE}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sets := ScopeSets(c.g, c.parent, links)
			var got []int64
			for _, id := range worldPatents {
				if takesAll(sets, patent(id), chains[id]) {
					got = append(got, id)
				}
			}
			if !slices.Equal(got, sorted(c.want)) {
				t.Errorf("scope takes %v, want %v", shorts(got), shorts(sorted(c.want)))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func shorts(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, short[id])
	}
	return out
}
