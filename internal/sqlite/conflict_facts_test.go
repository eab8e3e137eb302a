package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

func TestEachGrantFact(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t)
	t.Run("EveryGrantInIdOrderWithItsHead", func(t *testing.T) {
		var got []string
		last := int64(0)
		err := f.db.EachGrantFact(ctx, func(g GrantFact) error {
			if g.Grant.ID <= last {
				t.Errorf("grant %d after grant %d", g.Grant.ID, last)
			}
			last = g.Grant.ID
			got = append(got, f.grantNames(t, []GrantFact{g}))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "NOK-HMD-2016 nokia-group, NOK-HMD-2016 nokia-nr, NOK-HMD-2016 family, TECH-HMD-2016 listed, XIA-HMD-2018 xiaomi, " +
			"NOK-HMD-2019 sub-parent, NOK-HMD-2019 to-devices, HMD-APL-2019 sublicence, APL-HMD-2019 sub-sub, XIA-HMD-2010 xiaomi-early, " +
			"XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive"
		if strings.Join(got, ", ") != want {
			t.Errorf("grants:\n got %s\nwant %s", strings.Join(got, ", "), want)
		}
	})
	t.Run("ListsAndScopeRead", func(t *testing.T) {
		err := f.db.EachGrantFact(ctx, func(g GrantFact) error {
			if g.Grant.ID == f.sublicence.ID && (g.Grant.ParentGrantID != f.subParent.ID || refNumbers(g.Grant.Scope.Patents) != "GB2500000B") {
				t.Errorf("sublicence read as %+v", g.Grant)
			}
			if g.Grant.ID == f.nrGrant.ID && (strings.Join(g.Grant.Scope.Standards, "|") != "3GPP NR" || g.Grant.Licensee != "HMD Global Oy") {
				t.Errorf("NR portfolio grant read as %+v", g.Grant)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("StopsAtTheCallersError", func(t *testing.T) {
		stop := errors.New("enough")
		seen := 0
		if err := f.db.EachGrantFact(ctx, func(GrantFact) error { seen++; return stop }); err != stop || seen != 1 {
			t.Errorf("error %v after %d grants; want the caller's error after one", err, seen)
		}
	})
}

// TestEachGrantFactPagesThroughMany: grants are read a page at a time; the
// conflicts report must still see each grant exactly once.
func TestEachGrantFactPagesThroughMany(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	const extra = 2*eachPage + 7
	tx, err := f.db.sql.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range extra {
		if _, err := tx.Exec(`INSERT INTO grants (agreement_id, position, licensor_id, licensee_id, scope, exclusivity)
			VALUES (?, ?, ?, ?, 'portfolio', 'non_exclusive')`, f.xiaomiGrant.AgreementID, 100+i, f.xiaomi.ID, f.hmd.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	err = f.db.EachGrantFact(ctx, func(g GrantFact) error {
		seen[g.Grant.ID]++
		if g.Agreement == nil {
			return fmt.Errorf("grant %d without its agreement", g.Grant.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != extra+5 {
		t.Errorf("%d grants seen, want %d", len(seen), extra+5)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("grant %d seen %d times", id, n)
		}
	}
}

func TestChains(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	// More ids than one statement reads, most of them not recorded.
	ids := []int64{f.lte.ID, f.nr.ID, f.lte.ID}
	for i := range 2 * eachPage {
		ids = append(ids, int64(10_000+i))
	}
	ids = append(ids, f.gb2.ID)
	chains, err := f.db.Chains(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{f.nokia.ID: "Nokia", f.tech.ID: "Tech", f.xiaomi.ID: "Xiaomi"}
	write := func(chain []licensing.Holding) string {
		links := make([]string, len(chain))
		for i, h := range chain {
			links[i] = fmt.Sprintf("%s %s..%s", names[h.OwnerID], h.From, h.To)
		}
		return strings.Join(links, " | ")
	}
	for _, c := range []struct {
		name   string
		patent int64
		want   string
	}{
		{"SoldOnce", f.lte.ID, "Tech 2005-03-01..2017-07-04 | Xiaomi 2017-07-05.."},
		{"OriginalOwnerSinceFiling", f.nr.ID, "Nokia 2014-01-15.."},
		{"LastOfTheList", f.gb2.ID, "Nokia 2012-04-04.."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := write(chains[c.patent]); got != c.want {
				t.Errorf("chain %s, want %s", got, c.want)
			}
		})
	}
	if len(chains) != 3 {
		t.Errorf("%d chains, want the three recorded patents'", len(chains))
	}
}
