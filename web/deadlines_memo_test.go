package web

import (
	"reflect"
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
