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

// expiryFixture holds more patents expired before inForceDay than one walk
// window reads, then patents in force to the end of the list; among them
// patents without any expiry (an empty sort key), lapsed and pending ones.
func expiryFixture(t *testing.T) (*DB, []*licensing.Patent) {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
	owner := &licensing.Company{Name: "Expiring Oy"}
	if err := db.CreateCompany(ctx, SystemActor(), owner); err != nil {
		t.Fatal(err)
	}
	const n = sortWindow + 1500
	var all []*licensing.Patent
	for i := range n {
		office, number := "US", fmt.Sprintf("US%dB2", 9_000_000+i)
		if i%2 == 0 {
			office, number = "EP", fmt.Sprintf("EP%dB1", 3_000_000+i)
		}
		p := &licensing.Patent{Number: number, Office: office, Status: licensing.StatusGranted,
			Title:           fmt.Sprintf("device %d", i),
			FiledOn:         licensing.MustDate("2000-01-01").AddDays(i * 7919 % 6000),
			OriginalOwnerID: owner.ID}
		switch {
		case i%50 == 7: // no filing date, so no expiry
			p.FiledOn = licensing.Date{}
		case i%13 == 5:
			p.Status, p.StatusOn = licensing.StatusLapsed, licensing.MustDate("2025-01-01")
		case i%17 == 3:
			p.Status = licensing.StatusPending
		}
		all = append(all, p)
	}
	if _, err := db.LoadPatents(ctx, SystemActor(), "test", slices.Values(all)); err != nil {
		t.Fatal(err)
	}
	return db, all
}

// inForceDay leaves some 2,500 of expiryFixture's patents expired: the
// terms run from 2020 to 2036.
var inForceDay = licensing.MustDate("2031-07-01")

// TestInForceByExpiryPagesMatchTheSortedList: the list of patents in force
// on a day, sorted by expiry either way, pages through every patent in
// force exactly once in the sort order, the patents without an expiry
// first (ascending) or last, although more patents expired before the day
// than one window of the walk reads.
func TestInForceByExpiryPagesMatchTheSortedList(t *testing.T) {
	db, all := expiryFixture(t)
	ep, granted, lapsed, pending := "EP", "granted", "lapsed", "pending"
	before := licensing.MustDate("1999-01-01")
	cases := []struct {
		name string
		f    PatentFilter
		keep func(*licensing.Patent) bool
	}{
		{"InForce", PatentFilter{InForceOn: &inForceDay, Sort: SortExpiry},
			func(p *licensing.Patent) bool { return p.InForce(inForceDay) }},
		{"InForceDesc", PatentFilter{InForceOn: &inForceDay, Sort: SortExpiry, Desc: true},
			func(p *licensing.Patent) bool { return p.InForce(inForceDay) }},
		{"InForceEP", PatentFilter{InForceOn: &inForceDay, Office: &ep, Sort: SortExpiry},
			func(p *licensing.Patent) bool { return p.Office == "EP" && p.InForce(inForceDay) }},
		{"InForceEPDesc", PatentFilter{InForceOn: &inForceDay, Office: &ep, Sort: SortExpiry, Desc: true},
			func(p *licensing.Patent) bool { return p.Office == "EP" && p.InForce(inForceDay) }},
		{"InForceBeforeEveryExpiry", PatentFilter{InForceOn: &before, Sort: SortExpiry},
			func(p *licensing.Patent) bool { return p.InForce(before) }},
		{"InForceGranted", PatentFilter{InForceOn: &inForceDay, Status: &granted, Sort: SortExpiry},
			func(p *licensing.Patent) bool { return p.Status == licensing.StatusGranted && p.InForce(inForceDay) }},
		{"InForceLapsedBeforeLapsing", PatentFilter{InForceOn: &before, Status: &lapsed, Sort: SortExpiry, Desc: true},
			func(p *licensing.Patent) bool { return p.Status == licensing.StatusLapsed && p.InForce(before) }},
		{"InForcePendingIsEmpty", PatentFilter{InForceOn: &inForceDay, Status: &pending, Sort: SortExpiry},
			func(p *licensing.Patent) bool { return false }},
	}
	key := func(p *licensing.Patent) string {
		if e, _ := p.Expiry(); !e.IsZero() {
			return e.String()
		}
		return ""
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var kept []*licensing.Patent
			for _, p := range all {
				if c.keep(p) {
					kept = append(kept, p)
				}
			}
			slices.SortFunc(kept, func(a, b *licensing.Patent) int {
				r := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.Number, b.Number))
				if c.f.Desc {
					r = -r
				}
				return r
			})
			var want []string
			for _, p := range kept {
				n, err := licensing.ParsePatentNumber(p.Number)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, n.String())
			}
			if (len(want) == 0) != strings.HasSuffix(c.name, "IsEmpty") || len(want) == len(all) {
				t.Fatalf("%d of %d patents in force; the fixture is wrong", len(want), len(all))
			}
			f := c.f
			f.Limit = 50
			got := listed(t, db, f)
			if !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("%d patents listed, want %d; first difference at row %d", len(got), len(want), i+1)
			}
		})
	}
	t.Run("FixtureHasMoreExpiredThanAWindow", func(t *testing.T) {
		expired := 0
		for _, p := range all {
			if e, _ := p.Expiry(); !e.IsZero() && e.Before(inForceDay) {
				expired++
			}
		}
		if expired <= sortWindow {
			t.Fatalf("%d patents expired before %s, want more than a window (%d)", expired, inForceDay, sortWindow)
		}
	})
}

// TestPatentsListWindowStartsAtTheCursor: the walk's window of a deep page
// reads the sort index from the cursor on, for every sort and direction
// (a sort key on an expression or a collation included), and the window
// of a list in force by expiry steps over the expired patents and the
// pending ones: every read of the patents is a search of an index, none a
// scan from its start, and none sorts; nor does the walk, which keeps the
// window's order and so stops at a full page.
func TestPatentsListWindowStartsAtTheCursor(t *testing.T) {
	db := openTestDB(t)
	ep := "EP"
	deep := encodeCursor(cursor{Key: "2030-06-01", Number: "EP3000000B1"})
	blank := encodeCursor(cursor{Key: "", Number: "EP3000000B1"})
	later := encodeCursor(cursor{Key: "2034-01-01", Number: "EP3000000B1"}) // after inForceDay
	var cases []PatentFilter
	for _, sort := range []PatentSort{SortNumber, SortTitle, SortOffice, SortStatus, SortFiled, SortExpiry} {
		for _, desc := range []bool{false, true} {
			cases = append(cases, PatentFilter{Office: &ep, Sort: sort, Desc: desc, Cursor: deep})
		}
	}
	for _, desc := range []bool{false, true} {
		for _, cur := range []string{"", deep, blank, later} {
			cases = append(cases, PatentFilter{InForceOn: &inForceDay, Sort: SortExpiry, Desc: desc, Cursor: cur})
		}
	}
	for _, f := range cases {
		name := fmt.Sprintf("%s/desc=%v/cursor=%q", cmp.Or(f.Sort, SortNumber), f.Desc, f.Cursor)
		if f.InForceOn != nil {
			name = "InForce/" + name
		}
		t.Run(name, func(t *testing.T) {
			l, err := db.listQueryOf(context.Background(), f, sortExpr[cmp.Or(f.Sort, SortNumber)])
			if err != nil {
				t.Fatal(err)
			}
			if (l.ranges != nil) != (f.InForceOn != nil) {
				t.Fatalf("ranges %v for a list in force %v", l.ranges, f.InForceOn != nil)
			}
			q, args := l.window()
			if f.Cursor == later && !f.Desc && slices.Contains(args, any(inForceDay.String())) {
				t.Errorf("the window of a page after %s starts at that day, not at the cursor: %v", inForceDay, args)
			}
			plan := queryPlan(t, db, q, args...)
			if f.InForceOn != nil && f.Cursor != "" {
				// Each range is bounded on the cursor's side, so that it
				// starts at the cursor rather than at its own end.
				bound := "<expr>>?"
				if f.Desc {
					bound = "<expr><?"
				}
				for _, line := range strings.Split(plan, "\n") {
					if strings.Contains(line, "patents_status_expiry") && !strings.Contains(line, bound) {
						t.Errorf("a range of the window is not bounded by the cursor: %s", line)
					}
				}
			}
			if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN p") || !strings.Contains(plan, "SEARCH p") {
				t.Errorf("the window does not start at the cursor; plan:\n%s", plan)
			}
			l.limit = 51
			q, args = l.walk()
			if plan := queryPlan(t, db, q, args...); strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("the walk sorts its window rather than stop at a full page; plan:\n%s", plan)
			}
		})
	}
}
