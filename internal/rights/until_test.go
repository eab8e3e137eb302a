package rights

import (
	"testing"

	"patentdesk/internal/licensing"
)

// A basis that rests on belonging to a corporate group ends the day the
// company leaves it, even where the grant runs on.
func TestUntilEndsWhenTheCompanyLeavesTheGroup(t *testing.T) {
	a, err := Check(Question{Company: youpin, Territory: "DE", Field: "mobile devices", On: day("2019-06-01")},
		facts(patent(pLTE), grant(gCross)))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Bases) != 1 || a.Bases[0].Through.ID != xiaomi {
		t.Fatalf("bases %v, want one licence through Xiaomi", describeBases(a.Bases))
	}
	if got := a.Bases[0].Until; got != day("2021-06-30") {
		t.Errorf("until %s, want 2021-06-30, the last day Youpin belongs to Xiaomi", got)
	}
	routes := Routes(CoverageQuestion{Company: youpin, On: day("2019-06-01")}, links, names, []GrantFact{grant(gCross)})
	for _, r := range routes {
		if r.Basis.Kind == License && r.Basis.Until != day("2021-06-30") {
			t.Errorf("coverage route of grant %d until %s, want 2021-06-30", r.Basis.Grant, r.Basis.Until)
		}
		if r.Basis.Kind == AffiliateOwner && r.Basis.Until != day("2021-06-30") {
			t.Errorf("affiliate-owner route through %s until %s, want 2021-06-30", r.Basis.Holder.Name, r.Basis.Until)
		}
	}
}

// Two exclusive grants that overlap on a patent are one conflict, not one
// from each side.
func TestPatentConflictsReportsAnOverlapOnce(t *testing.T) {
	second := grant(gApple, licensor(xiaomi), licensee(hmd), exclusivity(licensing.Exclusive), scope(listed(pHome)), territories("DE"))
	second.Grant.Fields = []string{"smart home"}
	got := 0
	for _, c := range PatentConflicts(facts(patent(pHome), grant(gIkea), second), day("2020-01-01")) {
		if c.Kind == ExclusiveOverlap {
			got++
		}
	}
	if got != 1 {
		t.Errorf("%d exclusive-overlap conflicts, want 1", got)
	}
}

// A licence granted by the asking company's own group is no near miss of
// its own: Nokia Technologies does not "nearly" hold its parent's
// licence to HMD.
func TestNoNearMissFromTheAskersOwnGroup(t *testing.T) {
	a, err := Check(Question{Company: nokiaTech, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE), grant(gHMDAll)))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.NearMisses) != 0 {
		t.Errorf("near misses %v, want none: the licence is the group's own", describeMisses(a.NearMisses))
	}
	a, err = Check(Question{Company: apple, Territory: "DE", On: day("2020-01-01")}, facts(patent(pLTE), grant(gHMDAll)))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.NearMisses) != 1 || a.NearMisses[0].Failed != FailedLicensee {
		t.Errorf("near misses %v, want the HMD licence failing on its licensee for an outsider", describeMisses(a.NearMisses))
	}
}

// Who may practise a patent leaves out licences only for countries where
// the patent gives no rights.
func TestPractitionersLeaveOutLicencesWhereThePatentGivesNoRights(t *testing.T) {
	china := grant(gCross, territories("CN"))
	_, _, licences := Practitioners(facts(patent(pLTE), china), day("2020-01-01"))
	if len(licences) != 0 {
		t.Errorf("licences %v for an EP patent licensed only in China, want none", describeBases(licences))
	}
	_, _, licences = Practitioners(facts(patent(pLTE), grant(gCross)), day("2020-01-01"))
	if len(licences) != 1 {
		t.Errorf("licences %v for the worldwide cross-licence, want one", describeBases(licences))
	}
}
