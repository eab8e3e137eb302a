package rights

import (
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// refs lists the references of a conflict's agreements.
func refs(c Conflict) []string {
	var out []string
	for _, a := range c.Agreements {
		out = append(out, a.Reference)
	}
	return out
}

// wantConflict checks a conflict's kind and that it names the agreements
// and grants given.
func wantConflict(t *testing.T, c Conflict, kind ConflictKind, agreements []string, grants ...int64) {
	t.Helper()
	if c.Kind != kind {
		t.Errorf("conflict kind %q, want %q", c.Kind, kind)
	}
	for _, r := range agreements {
		if !slices.Contains(refs(c), r) {
			t.Errorf("conflict names agreements %v, want %s among them", refs(c), r)
		}
	}
	for _, g := range grants {
		if !slices.Contains(c.Grants, g) {
			t.Errorf("conflict names grants %v, want %d among them", c.Grants, g)
		}
	}
	if c.Message.String() == "" {
		t.Error("conflict has no message")
	}
}

// messages renders the messages of conflicts in English.
func messages(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Message.String())
	}
	return out
}

func TestStaleStatus(t *testing.T) {
	renewing := nokXia()
	renewing.RenewalMonths = 12
	expired := nokXia()
	expired.Status = licensing.AgreementExpired
	ended := nokXia()
	ended.Status, ended.TerminatedOn = licensing.AgreementTerminated, day("2020-01-31")
	open := nokXia()
	open.ExpiresOn = licensing.Date{}
	for _, c := range []struct {
		name  string
		a     *licensing.Agreement
		today string
		stale bool
	}{
		{"ActiveAfterItsTermEnded", nokXia(), "2024-07-05", true},
		{"ActiveOnItsLastDay", nokXia(), "2024-07-04", false},
		{"ActiveWithinItsTerm", nokXia(), "2020-01-01", false},
		{"ExpiredStatusAfterItsTerm", expired, "2024-07-05", false},
		{"TerminatedAgreement", ended, "2024-07-05", false},
		{"RenewingAgreementRunsOn", renewing, "2026-01-01", false},
		{"OpenEndedAgreement", open, "2040-01-01", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := AgreementConflicts(c.a, day(c.today))
			var stale []Conflict
			for _, x := range got {
				if x.Kind == StaleStatus {
					stale = append(stale, x)
				}
			}
			if (len(stale) > 0) != c.stale {
				t.Fatalf("stale-status conflicts %d, want stale %v", len(stale), c.stale)
			}
			if c.stale {
				wantConflict(t, stale[0], StaleStatus, []string{"NOK-XIA-2017"})
			}
		})
	}
}

func TestSublicenceConflict(t *testing.T) {
	parent := grant(gCross, sublicensable) // NOK-XIA-2017: WORLD, mobile devices, all activities, 2017-07-05 … 2024-07-04
	for _, c := range []struct {
		name     string
		sub      GrantFact
		parent   GrantFact
		conflict bool
	}{
		{"InsideParent", grant(gSub), parent, false},
		{"UnderNonSublicensableParent", grant(gSub), grant(gCross), true},
		{"TerritoryInsideParentsAlias", grant(gSub, territories("DE", "FR")), grant(gCross, sublicensable, territories("EU")), false},
		{"EPCStateUnderEPCParent", grant(gSub, territories("CH")), grant(gCross, sublicensable, territories("EPC")), false},
		{"TerritoryOutsideParent", grant(gSub, territories("WORLD")), grant(gCross, sublicensable, territories("EU")), true},
		{"CountryOutsideParent", grant(gSub, territories("CH")), grant(gCross, sublicensable, territories("EU")), true},
		{"WorldwideSublicenceUnderLimitedParent", grant(gSub, territories()), grant(gCross, sublicensable, territories("EU")), true},
		{"FieldOutsideParent", grant(gSub, fields("smart home")), parent, true},
		{"EveryFieldUnderLimitedParent", grant(gSub, fields()), parent, true},
		{"ActivitiesInsideParent", grant(gSub, activities(licensing.ActivitySell)),
			grant(gCross, sublicensable, activities(licensing.ActivityMake, licensing.ActivitySell)), false},
		{"ActivityOutsideParent", grant(gSub, activities(licensing.ActivityImport)),
			grant(gCross, sublicensable, activities(licensing.ActivityMake, licensing.ActivitySell)), true},
		{"EveryActivityUnderLimitedParent", grant(gSub),
			grant(gCross, sublicensable, activities(licensing.ActivityMake, licensing.ActivitySell)), true},
		{"SublicenceOutlivesParent", grant(gSub, expires("2028-12-31")), parent, true},
		{"SublicenceStartsBeforeParent", grant(gSub, func(_ *licensing.Grant, a *licensing.Agreement) { a.EffectiveOn = day("2017-01-01") }), parent, true},
		{"SublicenceEndsWithParent", grant(gSub, term("2019-01-01", "2024-07-04")), parent, false},
		{"IKEASublicenceBackInsideExclusiveGrant", grant(gIkeaBack), grant(gIkea), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := SublicenceConflicts(c.sub, &c.parent)
			if (len(got) > 0) != c.conflict {
				t.Fatalf("conflicts %q, want conflict %v", messages(got), c.conflict)
			}
			for _, x := range got {
				wantConflict(t, x, SublicenseOutsideParent, []string{c.sub.Agreement.Reference}, c.sub.Grant.ID)
			}
		})
	}
}

func TestRoyaltyConflict(t *testing.T) {
	for _, c := range []struct {
		name       string
		g          GrantFact // NOK-HMD-2016 ends 2026-11-30
		lastExpiry string
		conflict   bool
	}{
		{"RoyaltiesPastLastExpiry", grant(gHMD), "2025-06-30", true},
		{"LastExpiryDayBeforeEnd", grant(gHMD), "2026-11-29", true},
		{"LastExpiryOnLastDay", grant(gHMD), "2026-11-30", false},
		{"LastExpiryAfterEnd", grant(gHMD), "2032-03-01", false},
		{"RoyaltyFree", grant(gHMD, royalty(false)), "2025-06-30", false},
		{"GrantEndsBeforeAgreement", grant(gHMD, term("", "2025-06-30")), "2025-06-30", false},
		{"UntilLastPatentExpires", grant(gHMD, expires("")), "2025-06-30", false},
		{"UnknownExpiry", grant(gHMD), "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := RoyaltyConflict(c.g, day(c.lastExpiry))
			if ok != c.conflict {
				t.Fatalf("conflict %v (%q), want %v", ok, got.Message, c.conflict)
			}
			if ok {
				wantConflict(t, got, RoyaltyAfterExpiry, []string{"NOK-HMD-2016"}, gHMD)
			}
		})
	}
}

func TestExclusiveOverlap(t *testing.T) {
	// IKEA's exclusive licence: pHome, EU, smart home, 2018-03-01 … 2028-02-29.
	excl := grant(gIkea)
	// other is Xiaomi's licence of pHome to Apple (APL-XIA-2019, 2019-01-01 … 2029-12-31), changed by edits.
	other := func(edits ...func(*licensing.Grant, *licensing.Agreement)) GrantFact {
		base := []func(*licensing.Grant, *licensing.Agreement){licensor(xiaomi), licensee(apple), scope(listed(pHome)), territories("DE")}
		return grant(gAppleToXia, append(base, edits...)...)
	}
	for _, c := range []struct {
		name    string
		excl    GrantFact
		other   GrantFact
		overlap bool
	}{
		{"OverlapInGermany", excl, other(), true},
		{"SoleGrantOverlaps", grant(gIkea, exclusivity(licensing.Sole)), other(), true},
		{"WorldwideOverlapsEU", excl, other(territories("WORLD")), true},
		{"EPCOverlapsEU", excl, other(territories("EPC")), true},
		{"NoTerritoriesOverlapsEU", excl, other(territories()), true},
		{"OtherCountriesOnly", excl, other(territories("US", "CH", "NO")), false},
		{"OtherFieldOnly", excl, other(fields("mobile devices")), false},
		{"SameField", excl, other(fields("smart home", "mobile devices")), true},
		{"OtherActivityOnly", grant(gIkea, activities(licensing.ActivitySell)), other(activities(licensing.ActivityMake)), false},
		{"CommonActivity", grant(gIkea, activities(licensing.ActivitySell)), other(activities(licensing.ActivityMake, licensing.ActivitySell)), true},
		{"TermsApart", excl, other(func(_ *licensing.Grant, a *licensing.Agreement) {
			a.EffectiveOn, a.ExpiresOn = day("2015-01-01"), day("2018-02-28")
		}), false},
		{"TermsShareOneDay", excl, other(func(_ *licensing.Grant, a *licensing.Agreement) {
			a.EffectiveOn, a.ExpiresOn = day("2015-01-01"), day("2018-03-01")
		}), true},
		{"SameLicensee", excl, other(licensee(ikea)), false},
		{"SublicenceUnderTheExclusiveGrant", excl, grant(gIkeaBack), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if ok := OverlapCandidates(c.excl, c.other); ok != c.overlap {
				t.Errorf("overlap %v, want %v", ok, c.overlap)
			}
		})
	}
	t.Run("ConflictNamesBothGrantsAndCommonPatents", func(t *testing.T) {
		o := other()
		common := []PatentRef{{ID: pHome, Number: "EP3344556B1"}}
		c := OverlapConflict(excl, o, common, 1)
		wantConflict(t, c, ExclusiveOverlap, []string{"XIA-IKEA-2018", "APL-XIA-2019"}, gIkea, gAppleToXia)
		if !slices.Equal(c.Patents, common) {
			t.Errorf("conflict names patents %v, want %v", c.Patents, common)
		}
	})
}

func TestLicensorNotOwner(t *testing.T) {
	affiliates := func(g *licensing.Grant, _ *licensing.Agreement) { g.LicensorAffiliates = true }
	for _, c := range []struct {
		name     string
		g        GrantFact // NOK-APL-2017 runs 2017-05-23 … 2027-05-22
		patent   int64
		chain    []licensing.Holding
		conflict bool
	}{
		{"LicensorOwnedDuringTerm", grant(gApple), pLTEUS, chains[pLTEUS], false},
		{"LicensorSoldDuringTerm", grant(gApple), pSold, chains[pSold], false},
		{"LicensorAcquiredDuringTerm", grant(gApple), pBought, chains[pBought], false},
		{"LicensorNeverOwned", grant(gApple, scope(listed(pHome))), pHome, chains[pHome], true},
		{"LicensorSoldBeforeTerm", grant(gApple, scope(listed(pEarly))), pEarly, chains[pEarly], true},
		{"LicensorAcquiredAfterTerm", grant(gApple, term("", "2018-12-31")), pBought, chains[pBought], true},
		{"LicensorSoldOnFirstDayOfTerm", grant(gApple, term("2017-07-04", "")), pSold, chains[pSold], false},
		{"LicensorSoldDayBeforeTerm", grant(gApple, term("2017-07-05", "")), pSold, chains[pSold], true},
		{"AffiliateOwnedWithAffiliatesClause", grant(gApple, licensor(nokia), affiliates), pLTEUS, chains[pLTEUS], false},
		{"AffiliateOwnedWithoutAffiliatesClause", grant(gApple, licensor(nokia)), pLTEUS, chains[pLTEUS], true},
		{"FamilyMemberOwned", grant(gHMD), pLTE, chains[pLTE], false},
		{"FamilyMemberNeverOwned", grant(gHMD), pLTE, []licensing.Holding{hold(inventor, "2012-03-01", "")}, true},
		{"PortfolioGrantNever", grant(gCross), pHome, chains[pHome], false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := patent(c.patent)
			got, ok := LicensorNotOwner(c.g, PatentRef{ID: p.ID, Number: p.Normalized}, c.chain, links)
			if ok != c.conflict {
				t.Fatalf("conflict %v (%q), want %v", ok, got.Message, c.conflict)
			}
			if ok {
				wantConflict(t, got, LicensorNotOwnerKind, []string{c.g.Agreement.Reference}, c.g.Grant.ID)
				if !slices.Contains(got.Patents, PatentRef{ID: p.ID, Number: p.Normalized}) {
					t.Errorf("conflict names patents %v, want %s", got.Patents, p.Normalized)
				}
			}
		})
	}
}

func TestTitleBreakConflict(t *testing.T) {
	a := AgreementRef{ID: 9, Reference: "ALU-XIA-2018", Title: "Alcatel–Xiaomi patent sale", Kind: licensing.KindAssignment, Status: licensing.AgreementActive}
	c := TitleBreakConflict(PatentRef{ID: pAlcatel, Number: "EP1998877B1"}, a, "Nokia Technologies Oy", "Alcatel Lucent SA", day("2018-05-02"))
	wantConflict(t, c, TitleBreakKind, []string{"ALU-XIA-2018"})
	if !slices.Contains(c.Patents, PatentRef{ID: pAlcatel, Number: "EP1998877B1"}) {
		t.Errorf("conflict names patents %v, want EP1998877B1", c.Patents)
	}
	msg := c.Message.String()
	for _, word := range []string{"Nokia Technologies Oy", "Alcatel Lucent SA", "EP1998877B1", "2018-05-02"} {
		if !strings.Contains(msg, word) {
			t.Errorf("message %q does not name %s", msg, word)
		}
	}
}
