package sqlite_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestCountExpiringPatentsIsTheList: the start page's count of licensed
// patents expiring this year is the number of distinct patents in the
// full deadlines list of patent expiries it links to (every portfolio
// grant, no limit), on a generated world whose patents sit in several
// portfolios each, on days early, in the middle and late in the year, and
// on the first and last day of one.
func TestCountExpiringPatentsIsTheList(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set")
	}
	ctx := context.Background()
	db, _ := demotest.World(t, 10000, 5)
	expiries := []licensing.DeadlineKind{licensing.DeadlinePatentExpiry}
	counted, entries := 0, 0
	days := []licensing.Date{licensing.MustDate("2019-03-31"), licensing.MustDate("2026-07-01"),
		licensing.MustDate("2026-11-21"), licensing.MustDate("2026-12-31"), licensing.MustDate("2031-05-15")}
	for year := 2008; year <= 2040; year += 2 {
		days = append(days, licensing.NewDate(year, 1, 1)) // the whole year
	}
	for _, today := range days {
		end := licensing.NewDate(today.Time().Year(), 12, 31)
		list, through, err := db.DeadlinesThrough(ctx, sqlite.DeadlineFilter{From: today, To: end, Today: today,
			Kinds: expiries, Portfolios: true})
		if err != nil {
			t.Fatal(err)
		}
		if through != end {
			t.Fatalf("%s: the full list ends on %s, not %s", today, through, end)
		}
		patents := map[int64]bool{}
		for _, d := range list {
			patents[d.PatentID] = true
		}
		got, reached, err := db.CountExpiringPatents(ctx, today, end, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got != len(patents) || reached {
			t.Errorf("from %s: counted %d patents (limit reached: %v), the list shows %d (%d entries)", today, got, reached, len(patents), len(list))
		}
		// Bounded, the count stops at the limit, saying so, and only there.
		for _, limit := range []int{len(patents) / 2, len(patents), len(patents) + 1} {
			got, reached, err := db.CountExpiringPatents(ctx, today, end, limit)
			if err != nil {
				t.Fatal(err)
			}
			if limit > 0 && (got != min(limit, len(patents)) || reached != (len(patents) >= limit)) {
				t.Errorf("from %s, limit %d: counted %d (limit reached: %v) of %d", today, limit, got, reached, len(patents))
			}
		}
		counted, entries = counted+len(patents), entries+len(list)
	}
	// Meaningful only where patents are many and many sit under several
	// agreements, so that entries and patents differ.
	if counted < 150 || entries < counted*11/10 {
		t.Errorf("%d patents in %d entries: the data set does not test what it says", counted, entries)
	}
	t.Logf("%d patents in %d entries", counted, entries)
}

// TestScaleCountExpiringPatents checks the count against the distinct
// patents of the full list on a data set made by "patentdesk demo --scale
// N" in the directory PATENTDESK_SCALE_DATA names (skipped without it),
// from today to the end of the year, as the start page asks.
func TestScaleCountExpiringPatents(t *testing.T) {
	dir := os.Getenv("PATENTDESK_SCALE_DATA")
	if dir == "" {
		t.Skip("PATENTDESK_SCALE_DATA names no data directory made by patentdesk demo --scale")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	today := licensing.DateOf(time.Now())
	end := licensing.NewDate(today.Time().Year(), 12, 31)
	start := time.Now()
	got, _, err := db.CountExpiringPatents(ctx, today, end, 0)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	list, _, err := db.DeadlinesThrough(ctx, sqlite.DeadlineFilter{From: today, To: end, Today: today,
		Kinds: []licensing.DeadlineKind{licensing.DeadlinePatentExpiry}, Portfolios: true})
	if err != nil {
		t.Fatal(err)
	}
	patents := map[int64]bool{}
	for _, d := range list {
		patents[d.PatentID] = true
	}
	if got != len(patents) {
		t.Errorf("counted %d patents from %s to %s, the full list shows %d", got, today, end, len(patents))
	}
	t.Logf("from %s to %s: %d patents (counted in %v), %d entries in the full list", today, end, got, took, len(list))
	// The dearest day for the count: the first of a year, every patent
	// ending in it read (the full list would hold a million entries).
	first := licensing.NewDate(today.Time().Year()+1, 1, 1)
	for _, limit := range []int{0, 2000, 0, 2000} {
		start, cpu := time.Now(), processCPU()
		n, reached, err := db.CountExpiringPatents(ctx, first, licensing.NewDate(first.Time().Year(), 12, 31), limit)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("from %s, the whole year, limit %d: %d patents (limit reached: %v), counted in %v (CPU %v)",
			first, limit, n, reached, time.Since(start), processCPU()-cpu)
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
