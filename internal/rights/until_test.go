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
