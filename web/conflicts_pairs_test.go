package web

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// The conflicts report finds the patents that exclusive grants share with
// other grants for all pairs at once, and rules out royalties running
// past the last patent by finding a patent that runs longer. Both must
// report exactly what asking one statement a pair, and the last expiry of
// every grant, reported: the same conflicts, in the same order, with the
// same counts and listed patents.
func TestConflictsMatchOnePairAtATime(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		db   func(t *testing.T) *sqlite.DB
	}{
		{"GeneratedWorld", func(t *testing.T) *sqlite.DB {
			db, _ := demotest.World(t, 12000, 2)
			return db
		}},
		{"ConflictWorld", func(t *testing.T) *sqlite.DB { return newConflictWorld(t).app.db }},
		{"CoverageWorld", func(t *testing.T) *sqlite.DB { return newCoverageWorld(t).app.db }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.db(t)
			today := licensing.MustDate("2026-11-21")
			f, err := newConflictFinder(ctx, db, today)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.overlaps(); err != nil {
				t.Fatal(err)
			}
			if err := f.royalties(); err != nil {
				t.Fatal(err)
			}
			got := f.out
			f, _ = newConflictFinder(ctx, db, today)
			want, err := f.onePairAtATime()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d conflicts, one pair at a time %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i].Conflict, want[i].Conflict) || !slices.Equal(got[i].companies, want[i].companies) {
					t.Fatalf("conflict %d:\n%+v\nwant\n%+v", i, got[i].Conflict, want[i].Conflict)
				}
			}
			if tc.name == "GeneratedWorld" {
				kinds := map[rights.ConflictKind]int{}
				for _, c := range want {
					kinds[c.Kind]++
				}
				if kinds[rights.ExclusiveOverlap] == 0 {
					t.Error("the generated world has no overlaps to compare")
				}
				everyPair(t, f)
			}
		})
	}
}

// everyPair compares the patents of every pair of grants of the world, not
// only of those the report pairs: a few exclusive grants make few pairs,
// and every pair of scopes must share the same patents.
func everyPair(t *testing.T, f *conflictFinder) {
	var queries [][]licensing.PatentSet
	for i := range f.grants {
		queries = append(queries, f.scopeOf(&f.grants[i]))
	}
	var pairs []sqlite.SetPair
	for a := range queries {
		for b := a; b < len(queries); b++ {
			pairs = append(pairs, sqlite.SetPair{A: a, B: b})
		}
	}
	got, err := f.db.PatentsInBoth(f.ctx, queries, pairs, conflictPatentsListed)
	if err != nil {
		t.Fatal(err)
	}
	shared := 0
	for i, p := range pairs {
		refs, n, err := f.db.PatentsIn(f.ctx, sqlite.PatentSetQuery{Sets: slices.Concat(queries[p.A], queries[p.B])}, conflictPatentsListed)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].Count != n || !slices.Equal(got[i].First, refs) {
			t.Fatalf("grants %d and %d share %d patents %v, one statement says %d %v", f.grants[p.A].Grant.ID, f.grants[p.B].Grant.ID,
				got[i].Count, got[i].First, n, refs)
		}
		if n > 0 && p.A != p.B {
			shared++
		}
	}
	if shared < 50 {
		t.Errorf("only %d pairs of %d share patents: too few to compare", shared, len(pairs))
	}
	t.Logf("%d pairs, %d sharing patents", len(pairs), shared)
}

// onePairAtATime finds the overlaps and the royalties past expiry as the
// report did before: one statement for each pair of grants, the last
// expiry of each royalty-bearing grant.
func (f *conflictFinder) onePairAtATime() ([]foundConflict, error) {
	for _, p := range f.overlapPairs() {
		refs, n, err := f.common(sqlite.PatentSetQuery{Sets: slices.Concat(f.scopeOf(p[0]), f.scopeOf(p[1]))})
		if err != nil {
			return nil, err
		}
		if n > 0 {
			f.add(rights.OverlapConflict(*p[0], *p[1], refs, n))
		}
	}
	for i := range f.grants {
		g := &f.grants[i]
		if !g.Grant.RoyaltyBearing || g.Grant.Finish(g.Agreement).IsZero() {
			continue
		}
		scope := sqlite.PatentSetQuery{Sets: f.scopeOf(g)}
		last, err := f.db.LastExpiryIn(f.ctx, scope)
		if err != nil {
			return nil, err
		}
		c, ok := rights.RoyaltyConflict(*g, last)
		if !ok {
			continue
		}
		refs, n, err := f.common(scope)
		if err != nil {
			return nil, err
		}
		c.Patents, c.More = refs, max(n-len(refs), 0)
		f.add(c)
	}
	return f.out, nil
}
