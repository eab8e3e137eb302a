package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// windowFixture holds more patents than one walk window reads: European
// and US patents mixed evenly in every sort order, a few Japanese ones (a
// filter too rare for one window to fill a page) and one tag on every
// third patent.
func windowFixture(t *testing.T) (*DB, []*licensing.Patent) {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
	owner := &licensing.Company{Name: "Windowed Oy"}
	if err := db.CreateCompany(ctx, SystemActor(), owner); err != nil {
		t.Fatal(err)
	}
	const n = sortWindow + 1500
	var all []*licensing.Patent
	for i := range n {
		office, number := "US", fmt.Sprintf("US%dB2", 9_000_000+i)
		switch {
		case i%997 == 13:
			office, number = "JP", fmt.Sprintf("JP%dB2", 6_000_000+i)
		case i%2 == 0:
			office, number = "EP", fmt.Sprintf("EP%dB1", 3_000_000+i)
		}
		p := &licensing.Patent{Number: number, Office: office, Status: licensing.StatusGranted,
			Title:           fmt.Sprintf("%c%c device %d", 'a'+rune(i*7%26), 'A'+rune(i*11%26), i),
			FiledOn:         licensing.MustDate("2000-01-01").AddDays(i * 7919 % 6000),
			OriginalOwnerID: owner.ID}
		if i%3 == 0 {
			p.Tags = []string{"radio"}
		}
		all = append(all, p)
	}
	if _, err := db.LoadPatents(ctx, SystemActor(), "test", slices.Values(all)); err != nil {
		t.Fatal(err)
	}
	return db, all
}

// TestPatentsListPagesMatchTheSortedList: paging through the list with a
// filter and a sort gives every matching patent exactly once, in the sort
// order, whichever way a page is read — by walking the sort index (common
// matches), by SQLite's own sort (rare ones), or at the end of the list.
func TestPatentsListPagesMatchTheSortedList(t *testing.T) {
	ctx := context.Background()
	db, all := windowFixture(t)
	ep, jp, radio := "EP", "JP", "radio"
	filed := func(p *licensing.Patent) string { return p.FiledOn.String() }
	title := func(p *licensing.Patent) string { return strings.ToLower(p.Title) }
	cases := []struct {
		name string
		f    PatentFilter
		keep func(*licensing.Patent) bool
		key  func(*licensing.Patent) string
	}{
		{"EPByFilingDateDesc", PatentFilter{Office: &ep, Sort: SortFiled, Desc: true},
			func(p *licensing.Patent) bool { return p.Office == "EP" }, filed},
		{"EPByTitle", PatentFilter{Office: &ep, Sort: SortTitle},
			func(p *licensing.Patent) bool { return p.Office == "EP" }, title},
		{"RareOfficeByFilingDate", PatentFilter{Office: &jp, Sort: SortFiled},
			func(p *licensing.Patent) bool { return p.Office == "JP" }, filed},
		{"TagByFilingDate", PatentFilter{Tag: &radio, Sort: SortFiled},
			func(p *licensing.Patent) bool { return len(p.Tags) > 0 }, filed},
		{"EPByNumber", PatentFilter{Office: &ep},
			func(p *licensing.Patent) bool { return p.Office == "EP" }, func(*licensing.Patent) string { return "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			var kept []*licensing.Patent
			for _, p := range all {
				if c.keep(p) {
					kept = append(kept, p)
				}
			}
			slices.SortFunc(kept, func(a, b *licensing.Patent) int {
				r := cmp.Or(cmp.Compare(c.key(a), c.key(b)), cmp.Compare(a.Number, b.Number))
				if c.f.Desc {
					r = -r
				}
				return r
			})
			for _, p := range kept {
				n, err := licensing.ParsePatentNumber(p.Number)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, n.String())
			}
			var got []string
			f := c.f
			f.Limit = 50
			for pages := 0; ; pages++ {
				if pages > len(all) {
					t.Fatal("the cursor never reaches the end of the list")
				}
				list, next, err := db.Patents(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range list {
					got = append(got, r.Normalized)
				}
				if next == "" {
					break
				}
				f.Cursor = next
			}
			if !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("%d patents listed, want %d; first difference at row %d", len(got), len(want), i+1)
			}
			if len(want) == 0 {
				t.Fatal("the case lists nothing; the fixture is wrong")
			}
		})
	}
}

// TestPatentsListPlans: for a filter with an index of its own and another
// sort, SQLite's plan sorts every match, which is what sends the list to
// the walk; a status sorted by expiry is one range of its own index.
func TestPatentsListPlans(t *testing.T) {
	db := openTestDB(t)
	granted, ep := "granted", "EP"
	for _, c := range []struct {
		name  string
		f     PatentFilter
		sorts bool
	}{
		{"OfficeByFilingDate", PatentFilter{Office: &ep, Sort: SortFiled}, true},
		{"OfficeByNumber", PatentFilter{Office: &ep}, false},
		{"StatusByExpiry", PatentFilter{Status: &granted, Sort: SortExpiry}, false},
		{"StatusByExpiryDesc", PatentFilter{Status: &granted, Sort: SortExpiry, Desc: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			where, args := patentWhere(c.f)
			dir := "ASC"
			if c.f.Desc {
				dir = "DESC"
			}
			key := sortExpr[cmp.Or(c.f.Sort, SortNumber)]
			q, qargs := listQuery{filter: where, filterArgs: args, key: key, order: key + " " + dir + ", p.normalized " + dir, limit: 51}.plain()
			sorts, err := db.plans.sortsEveryRow(context.Background(), db.sql, q, qargs)
			if err != nil {
				t.Fatal(err)
			}
			if sorts != c.sorts {
				t.Errorf("plan sorts every match: %v, want %v; plan:\n%s", sorts, c.sorts, queryPlan(t, db, q, qargs...))
			}
		})
	}
}

// TestPatentsListWalksOnlyWhereItCanPayOff: a family's or an agreement's
// patents are a handful that SQLite sorts in no time (a walk would read a
// whole window first, on every patent page), and a page larger than a
// window can fill is never walked; common filters are.
func TestPatentsListWalksOnlyWhereItCanPayOff(t *testing.T) {
	family, office := "F1", "EP"
	agreement := int64(7)
	for _, c := range []struct {
		name  string
		f     PatentFilter
		limit int
		walk  bool
	}{
		{"Office", PatentFilter{Office: &office, Sort: SortFiled}, 51, true},
		{"Family", PatentFilter{Family: &family}, 1001, false},
		{"FamilySmallPage", PatentFilter{Family: &family, Sort: SortFiled}, 51, false},
		{"Agreement", PatentFilter{Agreement: &agreement, Sort: SortTitle}, 51, false},
		{"PageLargerThanAWindowFills", PatentFilter{Office: &office, Sort: SortFiled}, 1001, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := walkable(&c.f, c.limit); got != c.walk {
				t.Errorf("walkable: %v, want %v", got, c.walk)
			}
		})
	}
}
