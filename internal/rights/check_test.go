package rights

import (
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// checkCase is one question to the engine and what DESIGN.md answers.
type checkCase struct {
	name     string
	company  int64
	patent   licensing.Patent
	grants   []GrantFact
	on       string
	where    string // the territory asked
	field    string
	activity licensing.Activity
	whatIf   bool

	verdict Verdict
	bases   []string // describeBases; nil: none
	// misses are the near misses (describeMisses) of a not_covered answer;
	// nil leaves them unchecked, orMisses is the other answer accepted.
	misses   []string
	orMisses []string
	shutOut  []int64 // grants that shut the owner out
}

// none is "no near misses at all", as against nil (unchecked).
var none = []string{}

// run asks the case's question and checks the verdict, bases, near misses
// and shut-outs, and that the reasons name their agreements.
func (c checkCase) run(t *testing.T) Answer {
	t.Helper()
	q := Question{Company: c.company, Activity: c.activity, Territory: c.where, Field: c.field, On: day(c.on), WhatIf: c.whatIf}
	a, err := Check(q, facts(c.patent, c.grants...))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if a.Verdict != c.verdict {
		t.Errorf("verdict %s, want %s (reasons %q)", a.Verdict, c.verdict, Strings(a.Reasons))
	}
	if c.verdict != NotRequired || c.bases != nil {
		want := c.bases
		if want == nil {
			want = []string{}
		}
		if got := describeBases(a.Bases); !slices.Equal(got, want) {
			t.Errorf("bases %v, want %v (reasons %q)", got, want, Strings(a.Reasons))
		}
	}
	if c.misses != nil && a.Verdict == NotCovered {
		got := describeMisses(a.NearMisses)
		if !slices.Equal(got, c.misses) && (c.orMisses == nil || !slices.Equal(got, c.orMisses)) {
			t.Errorf("near misses %v, want %v (reasons %q)", got, c.misses, nearMissReasons(a))
		}
	}
	var shut []int64
	for _, b := range a.ShutOut {
		shut = append(shut, b.Grant)
	}
	slices.Sort(shut)
	if !slices.Equal(shut, c.shutOut) {
		t.Errorf("shut out by grants %v, want %v", shut, c.shutOut)
	}
	checkReasonsNameAgreements(t, a)
	return a
}

// nearMissReasons renders the reasons of an answer's near misses.
func nearMissReasons(a Answer) []string {
	var out []string
	for _, m := range a.NearMisses {
		out = append(out, m.Reason.String())
	}
	return out
}

// runAll runs a table of check cases.
func runAll(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t) })
	}
}

// patentWith returns a fixture patent changed by edit.
func patentWith(id int64, edit func(*licensing.Patent)) licensing.Patent {
	p := patent(id)
	edit(&p)
	return p
}

func TestCheckOwnership(t *testing.T) {
	runAll(t, []checkCase{
		{name: "OwnerIsCovered", company: nokiaTech, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			verdict: Covered, bases: []string{"owner"}},
		{name: "OwnerOnLastDayBeforeSale", company: nokiaTech, patent: patent(pSold), on: "2017-07-04", where: "DE",
			verdict: Covered, bases: []string{"owner"}},
		{name: "SellerNotCoveredFromDayOfSale", company: nokiaTech, patent: patent(pSold), on: "2017-07-05", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "BuyerOwnsFromDayOfSale", company: xiaomi, patent: patent(pSold), on: "2017-07-05", where: "DE",
			verdict: Covered, bases: []string{"owner"}},
		{name: "BuyerNotOwnerDayBeforeSale", company: xiaomi, patent: patent(pSold), on: "2017-07-04", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "ParentOfOwnerIsAffiliateOwner", company: nokia, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			verdict: Covered, bases: []string{"affiliate_owner"}},
		{name: "SubsidiaryOfOwnerIsAffiliateOwner", company: xiaomiComm, patent: patent(pHome), on: "2020-01-01", where: "FR",
			verdict: Covered, bases: []string{"affiliate_owner"}},
		{name: "SiblingInsideControlPeriodIsAffiliateOwner", company: nokiaTech, patent: patent(pAlcatel), on: "2018-01-01", where: "DE",
			verdict: Covered, bases: []string{"affiliate_owner"}},
		{name: "AffiliateOwnerOnFirstDayOfControl", company: nokiaTech, patent: patent(pAlcatel), on: "2016-01-14", where: "DE",
			verdict: Covered, bases: []string{"affiliate_owner"}},
		{name: "NoAffiliateOwnerDayBeforeControl", company: nokiaTech, patent: patent(pAlcatel), on: "2016-01-13", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "AffiliateOwnerOnLastDayOfControl", company: nokia, patent: patent(pAlcatel), on: "2020-12-31", where: "DE",
			verdict: Covered, bases: []string{"affiliate_owner"}},
		{name: "NoAffiliateOwnerAfterControlEnds", company: nokia, patent: patent(pAlcatel), on: "2021-01-01", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "UnrelatedCompanyNotCovered", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			verdict: NotCovered, misses: none},
	})
}

func TestCheckPatentInForce(t *testing.T) {
	lapsed := patentWith(pLTE, func(p *licensing.Patent) { p.Status, p.StatusOn = licensing.StatusLapsed, day("2019-06-01") })
	revoked := patentWith(pLTE, func(p *licensing.Patent) { p.Status, p.StatusOn = licensing.StatusRevoked, day("2021-03-15") })
	abandoned := patentWith(pLTEUS, func(p *licensing.Patent) { p.Status, p.StatusOn = licensing.StatusAbandoned, day("2019-06-01") })
	extended := patentWith(pLTE, func(p *licensing.Patent) { p.ExpiresOn = day("2033-06-30") })
	runAll(t, []checkCase{
		{name: "LastDayOfTermStillNeedsLicence", company: apple, patent: patent(pLTE), on: "2032-03-01", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "DayAfterExpiryNeedsNoLicence", company: apple, patent: patent(pLTE), on: "2032-03-02", where: "DE",
			verdict: NotRequired},
		{name: "ExtendedTermNeedsLicenceToItsEnd", company: apple, patent: extended, on: "2033-06-30", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "ExtendedTermEnds", company: apple, patent: extended, on: "2033-07-01", where: "DE",
			verdict: NotRequired},
		{name: "DayBeforeLapseNeedsLicence", company: apple, patent: lapsed, on: "2019-05-31", where: "DE",
			verdict: NotCovered, misses: none},
		{name: "LapsedOnStatusDateNeedsNoLicence", company: apple, patent: lapsed, on: "2019-06-01", where: "DE",
			verdict: NotRequired},
		{name: "DayBeforeRevocationTakesEffect", company: nokiaTech, patent: revoked, on: "2021-03-14", where: "DE",
			verdict: Covered, bases: []string{"owner"}},
		{name: "RevokedFromItsEffectDate", company: apple, patent: revoked, on: "2021-03-15", where: "DE",
			verdict: NotRequired},
		{name: "AbandonedFromItsStatusDate", company: apple, patent: abandoned, on: "2019-06-01", where: "US",
			verdict: NotRequired},
		{name: "WOApplicationNeedsNoLicence", company: apple, patent: patent(pWO), on: "2020-01-01", where: "DE",
			verdict: NotRequired},
		{name: "EPPatentInDesignatedState", company: apple, patent: patent(pAlcatel), on: "2020-01-01", where: "FR",
			verdict: NotCovered, misses: none},
		{name: "EPPatentInNonDesignatedState", company: apple, patent: patent(pAlcatel), on: "2020-01-01", where: "IT",
			verdict: NotRequired},
		{name: "EPPatentInDefaultEPCState", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "CH",
			verdict: NotCovered, misses: none},
		{name: "EPPatentInExtensionStateNotEPC", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "BA",
			verdict: NotRequired},
		{name: "EPPatentOutsideEurope", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "US",
			verdict: NotRequired},
		{name: "NationalPatentInItsCountry", company: apple, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			verdict: NotCovered, misses: none},
		{name: "NationalPatentOutsideItsCountry", company: apple, patent: patent(pLTEUS), on: "2020-01-01", where: "DE",
			verdict: NotRequired},
		{name: "OwnerOfExpiredPatentNeedsNoLicence", company: nokiaTech, patent: patent(pLTE), on: "2032-03-02", where: "DE",
			verdict: NotRequired},
	})
}

func TestCheckPendingApplication(t *testing.T) {
	// DESIGN.md, not_required: "A pending application is reported as
	// pending, with whatever would cover it once granted."
	runAll(t, []checkCase{
		{name: "PendingOwnedApplication", company: nokiaTech, patent: patent(pPending), on: "2020-01-01", where: "DE",
			verdict: NotRequired, bases: []string{"owner"}},
		{name: "PendingApplicationWithLicence", company: apple, patent: patent(pPending), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gApple, scope(listed(pPending)))}, verdict: NotRequired, bases: []string{"license:31"}},
		// Once granted, an EP patent still gives no rights in the US.
		{name: "PendingEPApplicationOutsideEurope", company: apple, patent: patent(pPending), on: "2020-01-01", where: "US",
			grants: []GrantFact{grant(gApple, scope(listed(pPending)))}, verdict: NotRequired, bases: []string{}},
	})
	for _, c := range []struct {
		name    string
		company int64
	}{{"OwnerSeesPending", nokiaTech}, {"LicenseeSeesPending", apple}} {
		t.Run(c.name, func(t *testing.T) {
			a, err := Check(Question{Company: c.company, Territory: "DE", On: day("2020-01-01")},
				facts(patent(pPending), grant(gApple, scope(listed(pPending)))))
			if err != nil {
				t.Fatal(err)
			}
			if !a.Pending {
				t.Errorf("a pending application is not reported as pending: %q", Strings(a.Reasons))
			}
		})
	}
	t.Run("GrantedPatentIsNotPending", func(t *testing.T) {
		a, err := Check(Question{Company: nokiaTech, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE)))
		if err != nil {
			t.Fatal(err)
		}
		if a.Pending {
			t.Error("a granted patent is reported as pending")
		}
	})
}

func TestCheckNeedsACountry(t *testing.T) {
	for _, c := range []struct {
		name   string
		patent int64
		where  string
		ok     bool
	}{
		{"EPPatentWithoutTerritory", pLTE, "", false},
		{"NationalPatentWithoutTerritory", pLTEUS, "", false},
		{"AliasEUIsNoCountry", pLTE, "EU", false},
		{"AliasWORLDIsNoCountry", pLTE, "WORLD", false},
		{"UnknownCode", pLTE, "XX", false},
		{"WOApplicationNeedsNone", pWO, "", true},
		{"Country", pLTE, "DE", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Check(Question{Company: apple, Territory: c.where, On: day("2020-01-01")}, facts(patent(c.patent)))
			switch {
			case c.ok && err != nil:
				t.Errorf("Check: %v", err)
			case !c.ok && licensing.ErrorCode(err) != licensing.Invalid:
				t.Errorf("Check with territory %q: error %v, want an invalid-input error", c.where, err)
			}
		})
	}
}

func TestDefaultTerritory(t *testing.T) {
	for _, c := range []struct {
		name   string
		patent int64
		want   string
	}{
		{"NationalPatentItsCountry", pLTEUS, "US"},
		{"GermanPatent", pEarly, "DE"},
		{"EPPatentNone", pLTE, ""},
		{"WOApplicationNone", pWO, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := patent(c.patent)
			if got := DefaultTerritory(&p); got != c.want {
				t.Errorf("DefaultTerritory(%s) = %q, want %q", p.Normalized, got, c.want)
			}
		})
	}
}

func TestCheckLicenceScope(t *testing.T) {
	mobile := "mobile devices"
	runAll(t, []checkCase{
		// patents: an explicit list.
		{name: "ListedPatentLicensed", company: apple, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: []GrantFact{grant(gApple)}, verdict: Covered, bases: []string{"license:31"}},
		{name: "ListedPatentSoldAfterGrantStillLicensed", company: apple, patent: patent(pSold), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gApple)}, verdict: Covered, bases: []string{"license:31"}},
		{name: "ListedTitleAcquiredLaterAttachesWhenAcquired", company: apple, patent: patent(pBought), on: "2019-03-01", where: "US",
			grants: []GrantFact{grant(gApple)}, verdict: Covered, bases: []string{"license:31"}},
		{name: "ListedTitleDayBeforeAcquisition", company: apple, patent: patent(pBought), on: "2019-02-28", where: "US",
			grants: []GrantFact{grant(gApple)}, verdict: NotCovered, misses: []string{"31:date"}},
		{name: "ListedPatentSoldBeforeGrantStarted", company: apple, patent: patent(pEarly), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gApple, scope(listed(pEarly)))}, verdict: NotCovered, misses: []string{"31:scope"}},
		{name: "PatentNotListed", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gApple)}, verdict: NotCovered, misses: []string{"31:scope"}},
		{name: "ListedPatentOfLicensorsAffiliateWithoutAffiliatesClause", company: apple, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: []GrantFact{grant(gApple, licensor(nokia))}, verdict: NotCovered},
		{name: "ListedPatentOfLicensorsAffiliateWithAffiliatesClause", company: apple, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants:  []GrantFact{grant(gApple, licensor(nokia), func(g *licensing.Grant, _ *licensing.Agreement) { g.LicensorAffiliates = true })},
			verdict: Covered, bases: []string{"license:31"}},

		// families: every member of the listed families.
		{name: "FamilyMemberLicensed", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "FamilyMemberOutsideGrantTerritory", company: hmd, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: []GrantFact{grant(gHMD)}, verdict: NotCovered, misses: []string{"21:territory"}},
		{name: "PatentOutsideListedFamilies", company: hmd, patent: patent(pSold), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: NotCovered, misses: []string{"21:scope"}},
		{name: "FamilyMemberLicensorNeverOwned", company: hmd, patent: patent(pBought), on: "2020-01-01", where: "US",
			grants: []GrantFact{grant(gHMD, func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope.Families = []string{"F-BOUGHT"} },
				territories(), licensor(apple))}, verdict: NotCovered},

		// portfolio: owned by the licensor (or its group) within the capture window.
		{name: "PortfolioPatentOwnedInsideWindow", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioPatentOwnedOnlyBeforeWindow", company: xiaomi, patent: patent(pEarly), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, capture("2010-01-01", "2017-07-05"))}, verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "PortfolioPatentLastOwnedOnFirstDayOfWindow", company: xiaomi, patent: patent(pEarly), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, capture("2009-12-31", "2017-07-05"))}, verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioPatentAcquiredAfterWindow", company: xiaomi, patent: patent(pBought), on: "2020-01-01", where: "US", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "PortfolioPatentAcquiredOnLastDayOfWindow", company: xiaomi, patent: patent(pBought), on: "2020-01-01", where: "US", field: mobile,
			grants: []GrantFact{grant(gCross, capture("2000-01-01", "2019-03-01"))}, verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioPatentBoughtInsideWindow", company: xiaomi, patent: patent(pInside), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioPatentSoldAfterGrantStillLicensed", company: hmd, patent: patent(pSold), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMDAll)}, verdict: Covered, bases: []string{"license:22"}},
		{name: "PortfolioWindowOpeningOnDayOfSale", company: hmd, patent: patent(pSold), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMDAll, capture("2017-07-05", ""))}, verdict: NotCovered, misses: []string{"22:scope"}},
		{name: "LicensorAffiliatesPatentInPortfolio", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMDAll)}, verdict: Covered, bases: []string{"license:22"}},
		{name: "LicensorAffiliatesPatentOutsidePortfolioWithoutClause", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMDAll, noLicensorAffiliates)}, verdict: NotCovered, misses: []string{"22:scope"}},
		{name: "AffiliateJoinedLicensorGroupInsideWindow", company: xiaomi, patent: patent(pAlcatel), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "AffiliateJoinedLicensorGroupOnLastDayOfWindow", company: xiaomi, patent: patent(pAlcatel), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, capture("2000-01-01", "2016-01-14"))}, verdict: Covered, bases: []string{"license:11"}},
		{name: "AffiliateJoinedLicensorGroupAfterWindow", company: xiaomi, patent: patent(pAlcatel), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, capture("2000-01-01", "2016-01-13"))}, verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "AffiliateLeftLicensorGroupStillLicensed", company: xiaomi, patent: patent(pAlcatel), on: "2022-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioNarrowedToOtherTags", company: xiaomi, patent: patent(pNokIoT), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross)}, verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "PortfolioNarrowedToOtherStandards", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants:  []GrantFact{grant(gCross, func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope.Standards = []string{"3GPP NR"} })},
			verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "PortfolioNarrowedToItsStandard", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants:  []GrantFact{grant(gCross, func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope.Standards = []string{"3GPP LTE"} })},
			verdict: Covered, bases: []string{"license:11"}},
		{name: "PortfolioNarrowedToOtherOffices", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants:  []GrantFact{grant(gCross, func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope.Offices = []string{"US"} })},
			verdict: NotCovered, misses: []string{"11:scope"}},
		{name: "PortfolioNarrowedToItsOffice", company: xiaomi, patent: patent(pLTEUS), on: "2020-01-01", where: "US", field: mobile,
			grants:  []GrantFact{grant(gCross, func(g *licensing.Grant, _ *licensing.Agreement) { g.Scope.Offices = []string{"US"} })},
			verdict: Covered, bases: []string{"license:11"}},
	})
}

func TestCheckLicensee(t *testing.T) {
	mobile := "mobile devices"
	cross := []GrantFact{grant(gCross)}
	runAll(t, []checkCase{
		{name: "Licensee", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: cross, verdict: Covered, bases: []string{"license:11"}},
		{name: "LicenseeAffiliateCovered", company: xiaomiComm, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: cross, verdict: Covered, bases: []string{"license:11"}},
		{name: "AffiliateDayBeforeJoiningLicenseeGroup", company: youpin, patent: patent(pLTE), on: "2017-12-31", where: "DE", field: mobile,
			grants: cross, verdict: NotCovered, misses: []string{"11:licensee"}},
		{name: "AffiliateOnDayOfJoiningLicenseeGroup", company: youpin, patent: patent(pLTE), on: "2018-01-01", where: "DE", field: mobile,
			grants: cross, verdict: Covered, bases: []string{"license:11"}},
		{name: "AffiliateOnLastDayInLicenseeGroup", company: youpin, patent: patent(pLTE), on: "2021-06-30", where: "DE", field: mobile,
			grants: cross, verdict: Covered, bases: []string{"license:11"}},
		{name: "AffiliateAfterLeavingLicenseeGroup", company: youpin, patent: patent(pLTE), on: "2021-07-01", where: "DE", field: mobile,
			grants: cross, verdict: NotCovered, misses: []string{"11:licensee"}},
		{name: "LicenseeAffiliateWithoutAffiliatesClause", company: xiaomiComm, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, noLicenseeAffiliates)}, verdict: NotCovered, misses: []string{"11:licensee"}},
		{name: "OtherCompanyNearMissLicensee", company: apple, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: cross, verdict: NotCovered, misses: []string{"11:licensee"}},
		{name: "LicenseeParentNotCoveredBySubsidiarysLicenceWithoutClause", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, licensee(xiaomiComm), noLicenseeAffiliates)}, verdict: NotCovered, misses: []string{"11:licensee"}},
	})
}

func TestCheckTerm(t *testing.T) {
	own := term("2017-01-01", "2021-12-31") // a grant term inside NOK-HMD-2016's
	runAll(t, []checkCase{
		{name: "FirstDayOfAgreement", company: hmd, patent: patent(pLTE), on: "2016-12-01", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "DayBeforeAgreement", company: hmd, patent: patent(pLTE), on: "2016-11-30", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: NotCovered, misses: []string{"21:date"}},
		{name: "LastDayOfAgreement", company: hmd, patent: patent(pLTE), on: "2026-11-30", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "DayAfterAgreement", company: hmd, patent: patent(pLTE), on: "2026-12-01", where: "DE",
			grants: []GrantFact{grant(gHMD)}, verdict: NotCovered, misses: []string{"21:date"}},
		{name: "FirstDayOfGrantTerm", company: hmd, patent: patent(pLTE), on: "2017-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD, own)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "DayBeforeGrantTerm", company: hmd, patent: patent(pLTE), on: "2016-12-31", where: "DE",
			grants: []GrantFact{grant(gHMD, own)}, verdict: NotCovered, misses: []string{"21:date"}},
		{name: "LastDayOfGrantTerm", company: hmd, patent: patent(pLTE), on: "2021-12-31", where: "DE",
			grants: []GrantFact{grant(gHMD, own)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "DayAfterGrantTerm", company: hmd, patent: patent(pLTE), on: "2022-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD, own)}, verdict: NotCovered, misses: []string{"21:date"}},
		{name: "ExpiredAgreementCountsWithinItsTerm", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD, status(licensing.AgreementExpired))}, verdict: Covered, bases: []string{"license:21"}},
		{name: "OpenEndedAgreementRunsOn", company: hmd, patent: patent(pLTE), on: "2030-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD, expires(""))}, verdict: Covered, bases: []string{"license:21"}},
		{name: "RenewingAgreementRunsOnAfterItsFirstTerm", company: hmd, patent: patent(pLTE), on: "2027-06-01", where: "DE",
			grants:  []GrantFact{grant(gHMD, func(_ *licensing.Grant, a *licensing.Agreement) { a.RenewalMonths = 12 })},
			verdict: Covered, bases: []string{"license:21"}},
		{name: "TerminatedAgreementCountsOnTerminationDay", company: hmd, patent: patent(pLTE), on: "2020-01-31", where: "DE",
			grants: []GrantFact{grant(gHMD, terminated("2020-01-31"))}, verdict: Covered, bases: []string{"license:21"}},
		{name: "TerminatedAgreementDayAfterTermination", company: hmd, patent: patent(pLTE), on: "2020-02-01", where: "DE",
			grants: []GrantFact{grant(gHMD, terminated("2020-01-31"))}, verdict: NotCovered, misses: []string{"21:date"}},
	})
}

func TestCheckUnsignedAgreements(t *testing.T) {
	draft := grant(gHMD, status(licensing.AgreementDraft))
	iot := grant(gIoT) // NOK-XIA-IOT-2018 is under negotiation
	runAll(t, []checkCase{
		{name: "DraftIgnored", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{draft}, verdict: NotCovered, misses: none, orMisses: []string{"21:status"}},
		{name: "NegotiationIgnored", company: xiaomi, patent: patent(pNokIoT), on: "2020-01-01", where: "DE",
			grants: []GrantFact{iot}, verdict: NotCovered, misses: none, orMisses: []string{"51:status"}},
		{name: "DraftCountsHypotheticallyWithWhatIf", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", whatIf: true,
			grants: []GrantFact{draft}, verdict: Covered, bases: []string{"license:21?"}},
		{name: "NegotiationCountsHypotheticallyWithWhatIf", company: xiaomi, patent: patent(pNokIoT), on: "2020-01-01", where: "DE", whatIf: true,
			grants: []GrantFact{iot}, verdict: Covered, bases: []string{"license:51?"}},
		{name: "WhatIfLeavesSignedAgreementsReal", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", whatIf: true,
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "WhatIfStillNeedsTheOtherConditions", company: xiaomi, patent: patent(pNokIoT), on: "2020-01-01", where: "DE", whatIf: true,
			grants: []GrantFact{grant(gIoT, territories("US"))}, verdict: NotCovered, misses: []string{"51:territory"}},
	})
	t.Run("AnswerSaysWhatIf", func(t *testing.T) {
		a, err := Check(Question{Company: xiaomi, Territory: "DE", On: day("2020-01-01"), WhatIf: true}, facts(patent(pNokIoT), iot))
		if err != nil {
			t.Fatal(err)
		}
		if !a.WhatIf {
			t.Error("a what-if answer does not say so")
		}
	})
}

func TestCheckTerritories(t *testing.T) {
	in := func(t ...string) []GrantFact { return []GrantFact{grant(gHMD, territories(t...))} }
	runAll(t, []checkCase{
		{name: "WORLDCoversSwitzerland", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "CH",
			grants: in("WORLD"), verdict: Covered, bases: []string{"license:21"}},
		{name: "WORLDCoversUS", company: hmd, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: in("WORLD"), verdict: Covered, bases: []string{"license:21"}},
		{name: "NoTerritoriesMeansWorldwide", company: hmd, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: in(), verdict: Covered, bases: []string{"license:21"}},
		{name: "EUCoversGermany", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: in("EU"), verdict: Covered, bases: []string{"license:21"}},
		{name: "EUCoversItaly", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "IT",
			grants: in("EU"), verdict: Covered, bases: []string{"license:21"}},
		{name: "EUDoesNotCoverSwitzerland", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "CH",
			grants: in("EU"), verdict: NotCovered, misses: []string{"21:territory"}},
		{name: "EUDoesNotCoverNorway", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "NO",
			grants: in("EU"), verdict: NotCovered, misses: []string{"21:territory"}},
		{name: "EPCCoversSwitzerland", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "CH",
			grants: in("EPC"), verdict: Covered, bases: []string{"license:21"}},
		{name: "EPCCoversTurkey", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "TR",
			grants: in("EPC"), verdict: Covered, bases: []string{"license:21"}},
		{name: "EPCDoesNotCoverUS", company: hmd, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: in("EPC"), verdict: NotCovered, misses: []string{"21:territory"}},
		{name: "ListedCountry", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "FR",
			grants: in("DE", "FR"), verdict: Covered, bases: []string{"license:21"}},
		{name: "CountryNotListed", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "IT",
			grants: in("DE", "FR"), verdict: NotCovered, misses: []string{"21:territory"}},
		{name: "CountryBesideAlias", company: hmd, patent: patent(pLTEUS), on: "2020-01-01", where: "US",
			grants: in("EU", "US"), verdict: Covered, bases: []string{"license:21"}},
	})
}

func TestCheckActivitiesAndFields(t *testing.T) {
	makeSell := activities(licensing.ActivityMake, licensing.ActivitySell)
	runAll(t, []checkCase{
		{name: "ActivityWithinGrant", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", activity: licensing.ActivitySell,
			grants: []GrantFact{grant(gHMD, makeSell)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "ActivityOutsideGrantIsNearMiss", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", activity: licensing.ActivityImport,
			grants: []GrantFact{grant(gHMD, makeSell)}, verdict: NotCovered, misses: []string{"21:activity"}},
		{name: "NoActivitiesMeansAll", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", activity: licensing.ActivityHaveMade,
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "NoActivityAskedGrantLimitedStillApplies", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gHMD, makeSell)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "FieldWithinGrant", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: "mobile devices",
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "FieldOutsideGrantIsNearMiss", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: "smart home",
			grants: []GrantFact{grant(gCross)}, verdict: NotCovered, misses: []string{"11:field"}},
		{name: "NoFieldsMeansAll", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: "smart home",
			grants: []GrantFact{grant(gHMD)}, verdict: Covered, bases: []string{"license:21"}},
		{name: "NoFieldAskedGrantLimitedStillApplies", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gCross)}, verdict: Covered, bases: []string{"license:11"}},
		{name: "TwoFailedConditionsAreNoNearMiss", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "CH", field: "smart home",
			grants: []GrantFact{grant(gCross, territories("EU"))}, verdict: NotCovered, misses: none},
		{name: "NearMissesOfEveryCloseGrant", company: hmd, patent: patent(pLTE), on: "2020-01-01", where: "CH", activity: licensing.ActivityImport,
			grants: []GrantFact{grant(gHMD, makeSell), grant(gHMDAll, territories("EU"))}, verdict: NotCovered,
			misses: []string{"21:activity", "22:territory"}},
	})
	// "When the question names no field (or no activity), a grant limited
	// to some fields (activities) still applies, and its basis says to
	// which."
	t.Run("BasisNamesGrantsFieldsWhenNoneAsked", func(t *testing.T) {
		a, err := Check(Question{Company: xiaomi, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE), grant(gCross)))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Bases) != 1 || !slices.Equal(a.Bases[0].Fields, []string{"mobile devices"}) {
			t.Errorf("bases %+v, want one naming the field mobile devices", a.Bases)
		}
	})
	t.Run("BasisNamesGrantsActivitiesWhenNoneAsked", func(t *testing.T) {
		a, err := Check(Question{Company: hmd, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE), grant(gHMD, makeSell)))
		if err != nil {
			t.Fatal(err)
		}
		want := []licensing.Activity{licensing.ActivityMake, licensing.ActivitySell}
		if len(a.Bases) != 1 || !slices.Equal(a.Bases[0].Activities, want) {
			t.Errorf("bases %+v, want one naming the activities make and sell", a.Bases)
		}
	})
	t.Run("NearMissReasonNamesTheField", func(t *testing.T) {
		a, err := Check(Question{Company: xiaomi, Territory: "DE", Field: "smart home", On: day("2020-01-01")}, facts(patent(pLTE), grant(gCross)))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.NearMisses) != 1 || !strings.Contains(a.NearMisses[0].Reason.String(), "mobile devices") {
			t.Errorf("near misses %q, want one naming the grant's field mobile devices", nearMissReasons(a))
		}
	})
}

func TestCheckExclusiveGrants(t *testing.T) {
	home := "smart home"
	excl := grant(gIkea)
	runAll(t, []checkCase{
		{name: "ExclusiveGrantShutsOutOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{excl}, verdict: NotCovered, shutOut: []int64{gIkea}},
		{name: "ExclusiveGrantShutsOutAffiliateOwner", company: xiaomiComm, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{excl}, verdict: NotCovered, shutOut: []int64{gIkea}},
		{name: "ExclusiveLicenseeCovered", company: ikea, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{excl}, verdict: Covered, bases: []string{"license:41"}},
		{name: "ExclusiveGrantInOtherFieldLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: "mobile devices",
			grants: []GrantFact{excl}, verdict: Covered, bases: []string{"owner"}},
		{name: "ExclusiveGrantForSomeFieldsLeavesOwnerWhenNoFieldAsked", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE",
			grants: []GrantFact{excl}, verdict: Covered, bases: []string{"owner"}},
		{name: "ExclusiveGrantForEveryFieldShutsOutWhenNoFieldAsked", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gIkea, fields())}, verdict: NotCovered, shutOut: []int64{gIkea}},
		{name: "ExclusiveGrantOutsideItsTerritoryLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "CH", field: home,
			grants: []GrantFact{excl}, verdict: Covered, bases: []string{"owner"}},
		{name: "ExclusiveGrantBeforeItsTermLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2018-02-28", where: "DE", field: home,
			grants: []GrantFact{excl}, verdict: Covered, bases: []string{"owner"}},
		{name: "ExclusiveGrantOnItsFirstDayShutsOut", company: xiaomi, patent: patent(pHome), on: "2018-03-01", where: "DE", field: home,
			grants: []GrantFact{excl}, verdict: NotCovered, shutOut: []int64{gIkea}},
		{name: "ExclusiveGrantAfterTerminationLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2021-01-01", where: "DE", field: home,
			grants: []GrantFact{grant(gIkea, terminated("2020-12-31"))}, verdict: Covered, bases: []string{"owner"}},
		{name: "ExclusiveGrantInDraftLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{grant(gIkea, status(licensing.AgreementDraft))}, verdict: Covered, bases: []string{"owner"}},
		{name: "SoleGrantLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{grant(gIkea, exclusivity(licensing.Sole))}, verdict: Covered, bases: []string{"owner"}},
		{name: "NonExclusiveGrantLeavesOwner", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{grant(gIkea, exclusivity(licensing.NonExclusive))}, verdict: Covered, bases: []string{"owner"}},
		// The seller's exclusive licence survives the sale and binds the buyer.
		{name: "ExclusiveLicenceSurvivingSaleShutsOutBuyer", company: xiaomi, patent: patent(pSold), on: "2020-01-01", where: "DE",
			grants: []GrantFact{grant(gApple, exclusivity(licensing.Exclusive))}, verdict: NotCovered, shutOut: []int64{gApple}},
		{name: "ShutOutOwnerCoveredBySublicenceBack", company: xiaomi, patent: patent(pHome), on: "2020-01-01", where: "DE", field: home,
			grants: []GrantFact{excl, grant(gIkeaBack)}, verdict: Covered, bases: []string{"license:61"}, shutOut: []int64{gIkea}},
	})
	t.Run("ShutOutReasonNamesTheGrant", func(t *testing.T) {
		a, err := Check(Question{Company: xiaomi, Territory: "DE", Field: home, On: day("2020-01-01")}, facts(patent(pHome), excl))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.ShutOut) != 1 {
			t.Fatalf("shut out by %d grants, want 1", len(a.ShutOut))
		}
		b := a.ShutOut[0]
		if b.Agreement.Reference != "XIA-IKEA-2018" || !strings.Contains(b.Reason.String(), "XIA-IKEA-2018") {
			t.Errorf("shut-out names agreement %q, reason %q; want XIA-IKEA-2018", b.Agreement.Reference, b.Reason)
		}
		if b.Licensee.ID != ikea {
			t.Errorf("shut-out names licensee %+v, want IKEA", b.Licensee)
		}
	})
}

func TestCheckSublicences(t *testing.T) {
	mobile := "mobile devices"
	parent := grant(gCross, sublicensable)
	runAll(t, []checkCase{
		// Xiaomi never held pLTE: "a sublicensor needs no title of its own".
		{name: "SublicenceInsideParent", company: ikea, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{parent, grant(gSub)}, verdict: Covered, bases: []string{"license:71"}},
		{name: "SublicenceOutsideParentsField", company: ikea, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: "smart home",
			grants: []GrantFact{parent, grant(gSub, fields("smart home"))}, verdict: NotCovered, misses: []string{"71:field"}},
		{name: "SublicenceOutsideParentsTerritory", company: ikea, patent: patent(pLTEUS), on: "2020-01-01", where: "US", field: mobile,
			grants:  []GrantFact{grant(gCross, sublicensable, territories("EU")), grant(gSub, scope(listed(pLTEUS)), territories("WORLD"))},
			verdict: NotCovered, misses: []string{"71:territory"}},
		{name: "SublicenceOutlivesParent", company: ikea, patent: patent(pLTE), on: "2025-01-01", where: "DE", field: mobile,
			grants: []GrantFact{parent, grant(gSub, expires("2028-12-31"))}, verdict: NotCovered, misses: []string{"71:date"}},
		{name: "SublicenceUnderNonSublicensableParent", company: ikea, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross), grant(gSub)}, verdict: NotCovered},
		{name: "SublicenceUnderDraftParentIgnored", company: ikea, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross, sublicensable, status(licensing.AgreementDraft)), grant(gSub)}, verdict: NotCovered,
			misses: none, orMisses: []string{"71:status"}},
		{name: "SublicenceUnderDraftParentHypotheticalWithWhatIf", company: ikea, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			whatIf: true, grants: []GrantFact{grant(gCross, sublicensable, status(licensing.AgreementDraft)), grant(gSub)}, verdict: Covered,
			bases: []string{"license:71?"}},
		{name: "SublicenceOfPatentOutsideParentsScope", company: ikea, patent: patent(pNokIoT), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{parent, grant(gSub, scope(listed(pNokIoT)))}, verdict: NotCovered, misses: []string{"71:scope"}},
	})
	t.Run("SublicenceWithoutFieldsTakesParentsFields", func(t *testing.T) {
		a, err := Check(Question{Company: ikea, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE), parent, grant(gSub, fields())))
		if err != nil {
			t.Fatal(err)
		}
		if got := describeBases(a.Bases); !slices.Equal(got, []string{"license:71"}) {
			t.Fatalf("bases %v, want license:71", got)
		}
		if !slices.Equal(a.Bases[0].Fields, []string{"mobile devices"}) {
			t.Errorf("sublicence basis names fields %v, want its parent's: mobile devices", a.Bases[0].Fields)
		}
	})
}

func TestCheckSeveralBases(t *testing.T) {
	mobile := "mobile devices"
	runAll(t, []checkCase{
		{name: "OwnerAndLicence", company: xiaomi, patent: patent(pSold), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross), grant(gApple)}, verdict: Covered, bases: []string{"license:11", "owner"}},
		{name: "AffiliateOwnerAndLicence", company: xiaomiComm, patent: patent(pSold), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross), grant(gApple)}, verdict: Covered, bases: []string{"affiliate_owner", "license:11"}},
		{name: "TwoLicences", company: xiaomi, patent: patent(pLTE), on: "2020-01-01", where: "DE", field: mobile,
			grants: []GrantFact{grant(gCross), grant(gHMD, licensee(xiaomi))}, verdict: Covered, bases: []string{"license:11", "license:21"}},
		{name: "SellerLicensedBackAfterSale", company: nokiaTech, patent: patent(pSold), on: "2018-01-01", where: "DE",
			grants: []GrantFact{grant(gCrossBack)}, verdict: Covered, bases: []string{"license:12"}},
		{name: "SellerWithoutLicenceBack", company: nokiaTech, patent: patent(pSold), on: "2018-01-01", where: "DE",
			grants: []GrantFact{grant(gCross)}, verdict: NotCovered},
	})
}

// TestCheckBasisDetails checks what a basis tells the user beyond its kind:
// through whom, whose title and until when.
func TestCheckBasisDetails(t *testing.T) {
	for _, c := range []struct {
		name    string
		company int64
		patent  int64
		on      string
		where   string
		grants  []GrantFact
		check   func(t *testing.T, b Basis)
	}{
		{"OwnerUntilPatentExpiry", nokiaTech, pLTE, "2020-01-01", "DE", nil, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2032-03-01")
			wantParty(t, "holder", b.Holder, nokiaTech)
		}},
		{"OwnerUntilSale", nokiaTech, pSold, "2017-01-01", "DE", nil, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2017-07-04")
		}},
		{"OwnerReasonNamesOwner", nokiaTech, pLTE, "2020-01-01", "DE", nil, func(t *testing.T, b Basis) {
			if !strings.Contains(b.Reason.String(), "Nokia Technologies Oy") {
				t.Errorf("owner reason %q does not name the owner", b.Reason)
			}
		}},
		{"AffiliateOwnerNamesHolder", nokia, pLTE, "2020-01-01", "DE", nil, func(t *testing.T, b Basis) {
			wantParty(t, "holder", b.Holder, nokiaTech)
			if !strings.Contains(b.Reason.String(), "Nokia Technologies Oy") {
				t.Errorf("affiliate-owner reason %q does not name the owner", b.Reason)
			}
		}},
		{"LicenceUntilAgreementEnd", hmd, pLTE, "2020-01-01", "DE", []GrantFact{grant(gHMD)}, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2026-11-30")
			wantParty(t, "licensor", b.Licensor, nokiaTech)
			wantParty(t, "licensee", b.Licensee, hmd)
			if b.Agreement.Reference != "NOK-HMD-2016" || b.Grant != gHMD {
				t.Errorf("basis names agreement %q grant %d, want NOK-HMD-2016 grant %d", b.Agreement.Reference, b.Grant, gHMD)
			}
		}},
		{"LicenceUntilGrantEnd", hmd, pLTE, "2020-01-01", "DE", []GrantFact{grant(gHMD, term("", "2021-12-31"))}, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2021-12-31")
		}},
		{"LicenceUntilTerminationDate", hmd, pLTE, "2020-01-01", "DE", []GrantFact{grant(gHMD, terminated("2020-01-31"))}, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2020-01-31")
		}},
		{"OpenEndedLicenceUntilPatentExpiry", hmd, pLTE, "2020-01-01", "DE", []GrantFact{grant(gHMD, expires(""))}, func(t *testing.T, b Basis) {
			wantUntil(t, b, "2032-03-01")
		}},
		{"LicenceEndsWithEarlierPatentExpiry", hmd, pEarly, "2020-01-01", "DE",
			[]GrantFact{grant(gHMDAll, territories())}, func(t *testing.T, b Basis) {
				wantUntil(t, b, "2026-11-30") // agreement end, before pEarly's 2028-01-15
			}},
		{"LicenceEndsWithPatentExpiry", xiaomi, pEarly, "2020-01-01", "DE",
			[]GrantFact{grant(gCross, expires("2030-12-31"), fields())}, func(t *testing.T, b Basis) {
				wantUntil(t, b, "2028-01-15")
			}},
		{"LicenceThroughLicensee", xiaomiComm, pLTE, "2020-01-01", "DE", []GrantFact{grant(gCross)}, func(t *testing.T, b Basis) {
			wantParty(t, "through", b.Through, xiaomi)
			wantParty(t, "licensee", b.Licensee, xiaomi)
			wantParty(t, "licensor", b.Licensor, nokia)
		}},
		{"ListedLicenceAfterSaleNamesTitleHolder", apple, pSold, "2020-01-01", "DE", []GrantFact{grant(gApple)}, func(t *testing.T, b Basis) {
			wantParty(t, "holder", b.Holder, xiaomi)
			wantParty(t, "licensor", b.Licensor, nokiaTech)
		}},
		{"HypotheticalOnlyUnderWhatIf", hmd, pLTE, "2020-01-01", "DE", []GrantFact{grant(gHMD)}, func(t *testing.T, b Basis) {
			if b.Hypothetical {
				t.Error("a basis of an active agreement is marked hypothetical")
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := Check(Question{Company: c.company, Territory: c.where, On: day(c.on)}, facts(patent(c.patent), c.grants...))
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Bases) != 1 {
				t.Fatalf("bases %v, want one (reasons %q)", describeBases(a.Bases), Strings(a.Reasons))
			}
			c.check(t, a.Bases[0])
		})
	}
}

func wantUntil(t *testing.T, b Basis, until string) {
	t.Helper()
	if b.Until != day(until) {
		t.Errorf("%s basis until %s, want %s", b.Kind, b.Until, until)
	}
}

func wantParty(t *testing.T, role string, p Party, id int64) {
	t.Helper()
	if p.ID != id || p.Name != names[id] {
		t.Errorf("%s is %+v, want %d %s", role, p, id, names[id])
	}
}

func TestCheckAnswerNamesTheQuestion(t *testing.T) {
	q := Question{Company: xiaomi, Territory: "DE", Field: "mobile devices", Activity: licensing.ActivitySell, On: day("2020-03-01")}
	a, err := Check(q, facts(patent(pLTE), grant(gCross)))
	if err != nil {
		t.Fatal(err)
	}
	if a.Company != (Party{xiaomi, "Xiaomi Corporation"}) || a.Patent != "EP2012345B1" || a.PatentID != pLTE ||
		a.On != q.On || a.Territory != "DE" || a.Field != q.Field || a.Activity != q.Activity {
		t.Errorf("answer names %+v %q %d %s %s %q %q; want the question's", a.Company, a.Patent, a.PatentID, a.On, a.Territory, a.Field, a.Activity)
	}
	if len(a.Bases) != 1 || !strings.Contains(a.Bases[0].Reason.String(), "NOK-XIA-2017") {
		t.Errorf("bases %v: want the cross-licence, its reason naming NOK-XIA-2017", describeBases(a.Bases))
	}
}

func TestPractitioners(t *testing.T) {
	excl := grant(gIkea) // exclusive, but only in the EU and the field smart home
	worldwide := grant(gIkea, territories(), fields())
	for _, c := range []struct {
		name     string
		patent   int64
		on       string
		grants   []GrantFact
		owner    int64 // 0: none named
		shutOut  []int64
		licences []int64
	}{
		{"OwnerAlone", pLTE, "2020-01-01", nil, nokiaTech, nil, nil},
		{"OwnerAfterSale", pSold, "2020-01-01", []GrantFact{grant(gApple)}, xiaomi, nil, []int64{gApple}},
		{"LimitedExclusiveGrantLeavesOwnerSomewhere", pHome, "2020-01-01", []GrantFact{excl}, xiaomi, nil, []int64{gIkea}},
		{"WorldwideExclusiveGrantShutsOutOwner", pHome, "2020-01-01", []GrantFact{worldwide}, 0, []int64{gIkea}, []int64{gIkea}},
		{"GrantsOfUnsignedAgreementsLeftOut", pNokIoT, "2020-01-01", []GrantFact{grant(gIoT)}, nokiaTech, nil, nil},
		{"EndedGrantLeftOut", pLTE, "2027-01-01", []GrantFact{grant(gHMD)}, nokiaTech, nil, nil},
		{"ExpiredPatentHasNoPractitioners", pLTE, "2032-03-02", []GrantFact{grant(gHMD, expires(""))}, 0, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			owner, shutOut, licences := Practitioners(facts(patent(c.patent), c.grants...), day(c.on))
			var gotOwner int64
			if owner != nil {
				gotOwner = owner.Holder.ID
			}
			if gotOwner != c.owner {
				t.Errorf("owner %d, want %d", gotOwner, c.owner)
			}
			grants := func(bs []Basis) []int64 {
				var out []int64
				for _, b := range bs {
					out = append(out, b.Grant)
				}
				slices.Sort(out)
				return out
			}
			if got := grants(shutOut); !slices.Equal(got, c.shutOut) {
				t.Errorf("shut out by %v, want %v", got, c.shutOut)
			}
			if got := grants(licences); !slices.Equal(got, c.licences) {
				t.Errorf("licences %v, want %v", got, c.licences)
			}
		})
	}
}
