package web

import (
	"context"
	"slices"
	"testing"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestDashboardKeptUntilAChange: the start page's figures, kept between
// visits, follow a record change at once — an overdue royalty report
// marked done leaves the overdue figure and the list, and a patent added
// to a group's portfolio counts in the group — and the turn of the day.
func TestDashboardKeptUntilAChange(t *testing.T) {
	app := newDashboardDemo(t)
	ctx := context.Background()
	figures := func(t *testing.T) *dashboardFigures {
		t.Helper()
		f, err := app.srv.dashboardFigures(ctx, licensing.DateOf(app.clock.Now()), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !f.groupsRanked || len(f.groups) == 0 || !f.groups[0].counted {
			t.Fatalf("groups %+v not counted", f.groups)
		}
		return f
	}
	first := figures(t)
	if again := figures(t); len(again.overdue) != len(first.overdue) || again.groups[0].inForce != first.groups[0].inForce {
		t.Fatalf("a second visit without a change: %d overdue, group %d; first %d, %d", len(again.overdue),
			again.groups[0].inForce, len(first.overdue), first.groups[0].inForce)
	}
	if len(first.overdue) == 0 {
		t.Fatal("the demo has no overdue obligation: the test tests nothing")
	}
	late := first.overdue[0]
	if err := app.db.MarkOccurrence(ctx, sqlite.SystemActor(), late.Obligation.ID, late.Date, licensing.ObligationDone,
		licensing.DateOf(app.clock.Now())); err != nil {
		t.Fatal(err)
	}
	marked := figures(t)
	if len(marked.overdue) != len(first.overdue)-1 {
		t.Errorf("after marking %s done: %d overdue, want %d", late.Obligation.Title, len(marked.overdue), len(first.overdue)-1)
	}
	top := marked.groups[0]
	p := &licensing.Patent{Number: "EP 3 999 001 B1", Title: "Paging in idle mode", FiledOn: licensing.MustDate("2020-02-03"),
		GrantedOn: licensing.MustDate("2023-05-10"), Status: licensing.StatusGranted, OriginalOwnerID: top.top.ID}
	if err := app.db.CreatePatent(ctx, sqlite.SystemActor(), p); err != nil {
		t.Fatal(err)
	}
	if g := figures(t).groups[0]; g.top.ID != top.top.ID || g.inForce != top.inForce+1 {
		t.Errorf("after a patent of %s was added: %s with %d in force, want %d", top.top.Name, g.top.Name, g.inForce, top.inForce+1)
	}
	// Months later other deadlines lie ahead: counted again, as a server
	// started that day counts them.
	app.clock.Advance(200 * 24 * time.Hour)
	later, today := figures(t), licensing.DateOf(app.clock.Now())
	fresh := &dashboardFigures{}
	if err := app.srv.countDeadlines(ctx, today, fresh); err != nil {
		t.Fatal(err)
	}
	next := func(f *dashboardFigures) (dates []licensing.Date) {
		for _, d := range f.upcoming {
			dates = append(dates, d.Date)
		}
		return dates
	}
	if !slices.Equal(next(later), next(fresh)) || len(later.overdue) != len(fresh.overdue) {
		t.Errorf("%s: next deadlines %v, %d overdue; counted afresh %v, %d", today, next(later), len(later.overdue), next(fresh), len(fresh.overdue))
	}
	if slices.Equal(next(later), next(marked)) {
		t.Errorf("the next deadlines %v are those of 200 days before: the test tests nothing", next(later))
	}
}
