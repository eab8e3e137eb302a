package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/sqlite"
)

// TestGrantsTakingInMatchTheScopeRuleAtScale: on a generated data set
// (patentdesk demo --scale: corporate groups that change over the years,
// sales, portfolio grants with capture windows and narrowing, listed and
// family grants, sublicences), every patent's page lists as taking it in
// exactly the grants whose scope the patents list's grant filter (the SQL
// rule) finds it in.
func TestGrantsTakingInMatchTheScopeRuleAtScale(t *testing.T) {
	ctx := context.Background()
	db, rep := demotest.World(t, 2000, 3)
	want := map[int64][]int64{} // by patent, the grants by id
	err := db.EachGrant(ctx, sqlite.AgreementFilter{}, func(g *sqlite.GrantRow) error {
		id := g.ID
		return db.EachPatent(ctx, sqlite.PatentFilter{Grant: &id}, func(p *sqlite.PatentRecord) error {
			want[p.ID] = append(want[p.ID], id)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	taken := map[string]int{} // by the way a grant takes a patent in
	err = db.EachPatent(ctx, sqlite.PatentFilter{}, func(p *sqlite.PatentRecord) error {
		facts, err := db.PatentFactsFor(ctx, p, 0)
		if err != nil {
			return err
		}
		var got []int64
		for _, touch := range facts.GrantsTakingIn() {
			got = append(got, touch.ID)
			taken[touch.Via]++
		}
		slices.Sort(got)
		slices.Sort(want[p.ID])
		if !slices.Equal(got, want[p.ID]) {
			t.Errorf("%s: the page lists grants %v, the scope rule %v", p.Normalized, got, want[p.ID])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each way must be there for the comparison to mean anything.
	if taken["patents"] == 0 || taken["families"] == 0 || taken["portfolio"] < 500 {
		t.Errorf("grants taking patents in, by the way they do: %v; too few cases to compare", taken)
	}
	t.Logf("%d patents, %d grants; grants taking patents in, by the way they do: %v", rep.Patents, rep.Grants, taken)
}
