package web

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestDeadlineMemoKeyTellsFiltersApart: two lists that differ in any field
// of the filter are kept apart, so that a list kept for one filter is
// never shown for another (a field added to the filter must be added to
// the key: the test counts them).
func TestDeadlineMemoKeyTellsFiltersApart(t *testing.T) {
	if n := reflect.TypeFor[sqlite.DeadlineFilter]().NumField(); n != 12 {
		t.Fatalf("DeadlineFilter has %d fields, the key writes 12: add the new ones to deadlineMemoKey and here", n)
	}
	day := licensing.MustDate("2026-11-21")
	notice, obligation := licensing.DeadlineNotice, licensing.DeadlineObligation
	base := sqlite.DeadlineFilter{From: day, To: day.AddDays(365), Today: day}
	variants := map[string]func(*sqlite.DeadlineFilter){
		"From":        func(f *sqlite.DeadlineFilter) { f.From = day.AddDays(1) },
		"To":          func(f *sqlite.DeadlineFilter) { f.To = day.AddDays(30) },
		"Today":       func(f *sqlite.DeadlineFilter) { f.Today = day.AddDays(1) },
		"Kind":        func(f *sqlite.DeadlineFilter) { f.Kind = &notice },
		"Kinds":       func(f *sqlite.DeadlineFilter) { f.Kinds = []licensing.DeadlineKind{notice} },
		"two Kinds":   func(f *sqlite.DeadlineFilter) { f.Kinds = []licensing.DeadlineKind{notice, obligation} },
		"Statuses":    func(f *sqlite.DeadlineFilter) { f.Statuses = []licensing.DeadlineStatus{licensing.DeadlineOverdue} },
		"Company":     func(f *sqlite.DeadlineFilter) { f.Company = 7 },
		"Affiliates":  func(f *sqlite.DeadlineFilter) { f.Affiliates = true },
		"Agreement":   func(f *sqlite.DeadlineFilter) { f.Agreement = 7 },
		"Overdue":     func(f *sqlite.DeadlineFilter) { f.Overdue = true },
		"Portfolios":  func(f *sqlite.DeadlineFilter) { f.Portfolios = true },
		"PatentLimit": func(f *sqlite.DeadlineFilter) { f.PatentLimit = 7 },
	}
	seen := map[string]string{deadlineMemoKey(base, 201): "the base filter"}
	for name, change := range variants {
		f := base
		change(&f)
		key := deadlineMemoKey(f, 201)
		if other, ok := seen[key]; ok {
			t.Errorf("%s: the same key as %s", name, other)
		}
		seen[key] = name
	}
	if deadlineMemoKey(base, 201) == deadlineMemoKey(base, 401) {
		t.Error("the first and the second page are kept as one")
	}
}

// TestDeadlineListsKeptWhereAChangeCannotAlterThem: a list is read again
// after a change only when it reads what changed. Marking an occurrence
// done reads the lists with obligations again and keeps the list of
// patent expiries; a grant reads the lists with patent expiries again and
// keeps the list of obligations. Each list is then what a fresh read
// gives.
func TestDeadlineListsKeptWhereAChangeCannotAlterThem(t *testing.T) {
	app := newDashboardDemo(t)
	ctx, actor := context.Background(), sqlite.SystemActor()
	today := licensing.DateOf(app.clock.Now())
	page := func(kinds ...licensing.DeadlineKind) sqlite.DeadlineFilter {
		return sqlite.DeadlineFilter{From: today.AddDays(-400), To: today.AddDays(3650), Today: today, Overdue: true,
			Portfolios: true, PatentLimit: deadlinePatentLimit, Kinds: kinds}
	}
	lists := []struct {
		name   string
		filter sqlite.DeadlineFilter
	}{
		{"every kind", page()},
		{"obligations", page(licensing.DeadlineObligation)},
		{"patent expiries", page(licensing.DeadlinePatentExpiry)},
	}
	rows := func(list []licensing.Deadline) (out []string) {
		for _, d := range list {
			out = append(out, fmt.Sprintf("%s %s %s %d %d", d.Date, d.Kind, d.Status, d.Agreement.ID, d.PatentID))
		}
		return out
	}
	read := func(t *testing.T) (kept [][]string, reads int) {
		t.Helper()
		for _, l := range lists {
			list, _, err := app.srv.readDeadlinesKept(ctx, l.filter, deadlinesPerPage+1)
			if err != nil {
				t.Fatal(err)
			}
			fresh, _, err := app.srv.readDeadlines(ctx, l.filter, deadlinesPerPage+1)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows(list), rows(fresh)) {
				t.Errorf("%s: %v\nread afresh: %v", l.name, rows(list), rows(fresh))
			}
			if len(list) == 0 {
				t.Errorf("%s: no deadlines, the test tests nothing", l.name)
			}
			kept = append(kept, rows(list))
		}
		m := app.srv.deadlineMemo()
		m.mu.Lock()
		defer m.mu.Unlock()
		return kept, m.reads
	}
	first, reads := read(t)
	if reads != len(lists) {
		t.Fatalf("%d lists read, want %d", reads, len(lists))
	}
	if _, again := read(t); again != reads {
		t.Fatalf("nothing changed, and %d lists were read again", again-reads)
	}
	overdue := slices.IndexFunc(first[1], func(r string) bool { return strings.Contains(r, " overdue ") })
	if overdue < 0 {
		t.Fatal("the demo has no overdue obligation: the test tests nothing")
	}
	steps := []struct {
		name   string
		change func() error
		reread []string
	}{
		{"MarkDone", func() error {
			list, _, err := app.srv.readDeadlinesKept(ctx, lists[1].filter, deadlinesPerPage+1)
			if err != nil {
				return err
			}
			late := list[overdue]
			return app.db.MarkOccurrence(ctx, actor, late.Obligation.ID, late.Date, licensing.ObligationDone, today)
		}, []string{"every kind", "obligations"}},
		{"Grant", func() error {
			a, err := app.db.AgreementByReference(ctx, "NOK-XIA-PSA-2017")
			if err != nil {
				return err
			}
			g := a.Grants[0]
			g.Territories = []string{"EU"}
			return app.db.UpdateGrant(ctx, actor, &g)
		}, []string{"every kind", "patent expiries"}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			before, n := read(t)
			if err := step.change(); err != nil {
				t.Fatal(err)
			}
			after, m := read(t)
			if m-n != len(step.reread) {
				t.Errorf("%d lists read again, want %d: %v", m-n, len(step.reread), step.reread)
			}
			for i, l := range lists {
				if !slices.Contains(step.reread, l.name) && !slices.Equal(before[i], after[i]) {
					t.Errorf("%s: changed by a change it does not read", l.name)
				}
			}
		})
	}
}
