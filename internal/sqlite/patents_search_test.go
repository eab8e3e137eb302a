package sqlite

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// searchFixture holds patents whose titles share word starts ("meth" starts
// method, methods, methodology; "t" starts more than searchExpandMax
// terms), words with letters beyond ASCII, and a common word ("device",
// every other patent) next to rare ones. Some are written one by one after
// the load, so that the full-text index has several segments.
func searchFixture(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
	owner := &licensing.Company{Name: "Suchwerk GmbH"}
	if err := db.CreateCompany(ctx, SystemActor(), owner); err != nil {
		t.Fatal(err)
	}
	words := []string{"method", "methods", "methodology", "meter", "Méthode", "Überwachung", "antenna", "zeta"}
	patent := func(i int) *licensing.Patent {
		title := words[i%len(words)] + " " + words[i*5%len(words)] + fmt.Sprintf(" t%d", i%23)
		if i%2 == 0 {
			title += " device"
		}
		office, number := "US", fmt.Sprintf("US%dB2", 8_000_000+i*37%1000)
		if i%3 == 0 {
			office, number = "EP", fmt.Sprintf("EP%dB1", 2_000_000+i)
		}
		return &licensing.Patent{Number: number, Office: office, Status: licensing.StatusGranted, Title: title,
			FiledOn: licensing.MustDate("2005-01-01").AddDays(i * 613 % 5000), OriginalOwnerID: owner.ID}
	}
	var all []*licensing.Patent
	for i := range 400 {
		all = append(all, patent(i))
	}
	if _, err := db.LoadPatents(ctx, SystemActor(), "test", slices.Values(all)); err != nil {
		t.Fatal(err)
	}
	for i := 400; i < 430; i++ {
		p := patent(i)
		if err := db.CreatePatent(ctx, SystemActor(), p); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// prefixMatches is every patent the search input matches by the plain
// prefix query, in the list's order: what the list must show.
func prefixMatches(t *testing.T, db *DB, input string, order string) []string {
	t.Helper()
	rows, err := db.sql.Query(`SELECT p.normalized FROM patents p WHERE p.id IN
		(SELECT rowid FROM patents_fts WHERE patents_fts MATCH ?) ORDER BY `+order, ftsQuery(input))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// listed pages through the patents list of f and returns every number shown.
func listed(t *testing.T, db *DB, f PatentFilter) []string {
	t.Helper()
	var out []string
	for range 1000 {
		page, next, err := db.Patents(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			out = append(out, p.Normalized)
		}
		if next == "" {
			return out
		}
		f.Cursor = next
	}
	t.Fatal("the list does not end")
	return nil
}

// TestSearchFindsWhatThePrefixQueryFinds: however a search is put to the
// index — its words replaced by the whole terms they start, or left as
// prefixes; the matches gathered and sorted, or the sort order walked and
// each patent looked up — the list shows exactly the patents the prefix
// query matches, in the list's order, page after page.
func TestSearchFindsWhatThePrefixQueryFinds(t *testing.T) {
	db := searchFixture(t)
	inputs := []string{"meth", "methods", "t", "t1", "méth", "über", "device", "dev meth",
		"EP2000003", "zeta", "nothing", "antenna-t2"}
	// As the fixture is, every search gathers its few matches; with a
	// probe of 5 and lookups that cost next to nothing, every common one
	// walks; with lookups that cost a fortune, every common one is
	// sifted (read in spans of 64 ids), or found too many to hold and
	// gathered after all.
	knobs := []searchKnobs{{}, {probe: 5, lookupCost: 1e-9},
		{probe: 5, lookupCost: 1e9, siftSpan: 64}, {probe: 5, lookupCost: 1e9, siftSpan: 64, siftMax: 3}}
	for _, input := range inputs {
		for _, c := range []struct {
			sort  PatentSort
			desc  bool
			order string
		}{
			{SortNumber, false, "p.normalized"},
			{SortTitle, false, "p.title COLLATE NOCASE, p.normalized"},
			{SortFiled, true, "p.filed_on DESC, p.normalized DESC"},
		} {
			q := input
			want := prefixMatches(t, db, input, c.order)
			for _, plans := range knobs {
				db.search = plans
				// Large pages when gathering, small ones otherwise.
				limit := 60 - 51*min(plans.probe, 1)
				got := listed(t, db, PatentFilter{Query: &q, Sort: c.sort, Desc: c.desc, Limit: limit})
				if !slices.Equal(got, want) {
					t.Errorf("%+v: search %q by %s (desc %v), pages of %d: listed %d patents %v…, the prefix query matches %d %v…",
						plans, input, c.sort, c.desc, limit, len(got), head(got), len(want), head(want))
				}
			}
		}
	}
}

func head(s []string) []string { return s[:min(len(s), 4)] }

// TestSearchPlans: a word is replaced by the whole terms it starts when
// they are few and its letters are ASCII, and kept as a prefix otherwise;
// a common word walks the sort order, a rare one does not, and only when
// the search is the list's one filter.
func TestSearchPlans(t *testing.T) {
	db := searchFixture(t)
	ctx := context.Background()
	// Lookups that cost a hundredth of a match read make the walk the
	// cheaper plan for every common word.
	db.search = searchKnobs{probe: 20, lookupCost: 0.01}
	for _, c := range []struct {
		input, match string
		walk         bool
	}{
		{"meth", `("method" OR "methode" OR "methodology" OR "methods")`, true},
		{"device antenna", `("device") AND ("antenna")`, true},
		{"zeta", `("zeta")`, true},
		{"t", `"t"*`, true},
		{"méth", `"méth"*`, true},
		{"nothing", `"nothing"*`, false},
		{"EP2000003", `("ep2000003" OR "ep2000003b1")`, false},
	} {
		plan, err := db.planSearch(ctx, c.input, 5, true)
		if err != nil {
			t.Fatal(err)
		}
		if plan.match != c.match {
			t.Errorf("%q: FTS query %s, want %s", c.input, plan.match, c.match)
		}
		// "device" is in every other title, "zeta" in one in eight:
		// with a probe of 20, both fill a page of 5 within 256 patents.
		if c.input == "nothing" || c.input == "EP2000003" {
			if plan.walk {
				t.Errorf("%q: walks the sort order for a rare word", c.input)
			}
		} else if !plan.walk {
			t.Errorf("%q: does not walk the sort order for a common word", c.input)
		}
		if plan, _ := db.planSearch(ctx, c.input, 5, false); plan.walk {
			t.Errorf("%q: walks although the list has another filter", c.input)
		}
	}
	// With lookups as dear as a hundred matches read (the constant), the
	// sift is cheaper in a file this small; at a cost of a fortune, it is
	// taken however common the word. Rare words are gathered either way.
	for _, cost := range []float64{0, 1e9} {
		db.search = searchKnobs{probe: 20, lookupCost: cost}
		for input, sift := range map[string]bool{"device": true, "zeta": true, "nothing": false} {
			plan, err := db.planSearch(ctx, input, 5, true)
			if err != nil {
				t.Fatal(err)
			}
			if plan.walk || plan.sift != sift {
				t.Errorf("%q with lookups costing %g: walk %v, sift %v; want sift %v", input, cost, plan.walk, plan.sift, sift)
			}
		}
	}
	// A lookup reads every segment of the index, so the segments last
	// counted make the walk dearer: a lookup worth ten matches read with
	// the index in one segment walks for "device" (every other patent),
	// with the index counted in five it no longer does.
	db.search = searchKnobs{probe: 20, lookupCost: 10}
	for segments, walk := range map[int64]bool{1: true, 5: false} {
		db.segments.Store(segments)
		plan, err := db.planSearch(ctx, "device", 5, true)
		if err != nil {
			t.Fatal(err)
		}
		if plan.walk != walk || plan.sift == walk {
			t.Errorf("device, lookups worth 10 matches, %d segments: walk %v, sift %v; want walk %v", segments, plan.walk, plan.sift, walk)
		}
	}
	if n, err := db.SearchSegments(ctx); err != nil || db.segments.Load() != int64(n) {
		t.Errorf("SearchSegments counted %d (%v), the planner has %d", n, err, db.segments.Load())
	}
	// With another filter the list never walks for the search.
	ep, device := "EP", "device"
	got := listed(t, db, PatentFilter{Query: &device, Office: &ep, Limit: 5})
	for _, n := range got {
		if !strings.HasPrefix(n, "EP") {
			t.Fatalf("search with an office filter lists %s", n)
		}
	}
	if len(got) == 0 {
		t.Fatal("search with an office filter lists nothing")
	}
}

// TestCompactSearchMergesSegmentsAndKeepsAnswers: patents written one by
// one leave the full-text index in several segments; the compactor merges
// them until no level holds two, and every search answers as before.
func TestCompactSearchMergesSegmentsAndKeepsAnswers(t *testing.T) {
	db := searchFixture(t)
	ctx := context.Background()
	before, err := db.SearchSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before < 3 {
		t.Fatalf("the fixture's index has %d segments; the test needs several", before)
	}
	inputs := []string{"meth", "device", "t1", "über", "zeta"}
	answers := map[string][]string{}
	for _, in := range inputs {
		q := in
		answers[in] = listed(t, db, PatentFilter{Query: &q, Limit: 20})
	}
	steps, err := db.CompactSearch(ctx, 2, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	after, err := db.SearchSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after > 2 || steps < 2 {
		t.Errorf("after compacting: %d segments in %d steps, want at most 2 in several steps of 2 pages", after, steps)
	}
	for _, in := range inputs {
		q := in
		if got := listed(t, db, PatentFilter{Query: &q, Limit: 20}); !slices.Equal(got, answers[in]) {
			t.Errorf("search %q after compacting: %v, before: %v", in, head(got), head(answers[in]))
		}
	}
	// The running compactor does the same when segments pile up again.
	for i := range 12 {
		p := &licensing.Patent{Number: fmt.Sprintf("EP%dB1", 2_500_000+i), Office: "EP", Status: licensing.StatusGranted,
			Title: "method of compaction", OriginalOwnerID: 1}
		if err := db.CreatePatent(ctx, SystemActor(), p); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := db.SearchSegments(ctx); n <= 2 {
		t.Fatalf("12 writes left %d segments; the test needs more than 2", n)
	}
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- db.KeepSearchCompact(run, SearchPolicy{Every: 10 * time.Millisecond, Segments: 2, Pages: 64, Pause: time.Millisecond,
			Settled: 100 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	// Once the writes have stopped, every segment is merged into one.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := db.SearchSegments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the compactor left %d segments after 10 s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	q := "compaction"
	if got := listed(t, db, PatentFilter{Query: &q}); len(got) != 12 {
		t.Errorf("search %q after the compactor: %d patents, want 12", q, len(got))
	}
}
