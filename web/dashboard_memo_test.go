package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// TestDashboardKeepsWhatAChangeCannotAlter: after a change the start page
// counts again only the figures that read what changed. Marking an
// overdue occurrence done counts the obligations' figures again (the
// overdue figure drops by one) and keeps the conflicts and the groups
// without a new count; a grant counts the conflicts and the deadlines
// again and keeps the groups; a patent, a company or an assignment counts
// everything again; an attached document nothing. After each step every
// figure is what a server counting afresh shows.
func TestDashboardKeepsWhatAChangeCannotAlter(t *testing.T) {
	app := newDashboardDemo(t)
	conflicts := watchConflictCounts(t, app)
	ctx, actor := context.Background(), sqlite.SystemActor()
	today := licensing.DateOf(app.clock.Now())
	figures := func(t *testing.T) *dashboardFigures {
		t.Helper()
		f, err := app.srv.dashboardFigures(ctx, today, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !f.conflictsCounted || !f.groupsRanked || !f.groups[len(f.groups)-1].counted {
			t.Fatalf("not everything counted: conflicts %v, groups %+v", f.conflictsCounted, f.groups)
		}
		return f
	}
	// afresh is what a server without kept figures counts.
	afresh := func(t *testing.T) *dashboardFigures {
		t.Helper()
		f := &dashboardFigures{}
		if err := app.srv.countParts(ctx, today, f, []dashboardPart{partAgreements, partDueSoon, partNext, partExpiries, partGroups}); err != nil {
			t.Fatal(err)
		}
		return f
	}
	shown := func(f *dashboardFigures) string {
		s := fmt.Sprint(f.active, f.ending90, f.ending180, f.notices, f.due, len(f.overdue), f.patentsEnding, f.patentsCut, f.moreGroups)
		for _, d := range append(slices.Clone(f.overdue), f.upcoming...) {
			s += fmt.Sprintf(" %s %s %s %d", d.Date, d.Kind, d.Status, d.Agreement.ID)
		}
		for _, g := range f.groups {
			s += fmt.Sprintf(" %s=%d", g.top.Name, g.inForce)
		}
		return s
	}
	purchase, err := app.db.AgreementByReference(ctx, "NOK-XIA-PSA-2017")
	if err != nil {
		t.Fatal(err)
	}
	sold := purchase.Assignments[0]
	first := figures(t)
	if len(first.overdue) == 0 {
		t.Fatal("the demo has no overdue obligation: the test tests nothing")
	}
	all := []dashboardPart{partAgreements, partDueSoon, partNext, partExpiries, partGroups}
	steps := []struct {
		name      string
		change    func() error
		recounted []dashboardPart
		conflicts bool // counted again
	}{
		{"MarkDone", func() error {
			late := first.overdue[0]
			return app.db.MarkOccurrence(ctx, actor, late.Obligation.ID, late.Date, licensing.ObligationDone, today)
		}, []dashboardPart{partDueSoon, partNext}, false},
		{"Document", func() error {
			_, err := app.db.AddDocument(ctx, actor, purchase.ID, "annex.txt", strings.NewReader("Annex A"))
			return err
		}, nil, false},
		{"Grant", func() error {
			g := purchase.Grants[0]
			g.Territories = []string{"EU"}
			return app.db.UpdateGrant(ctx, actor, &g)
		}, []dashboardPart{partNext, partExpiries}, true}, // the notices and obligations read no grant
		{"Patent", func() error {
			p, err := app.db.PatentByNumber(ctx, sold.Patents[0].Number)
			if err != nil {
				return err
			}
			p.Status, p.StatusOn = licensing.StatusLapsed, today.AddDays(-10)
			return app.db.UpdatePatent(ctx, actor, &p.Patent)
		}, all, true},
		{"Company", func() error {
			c, err := app.db.Company(ctx, first.groups[0].top.ID)
			if err != nil {
				return err
			}
			c.ShortName += " (group)"
			return app.db.UpdateCompany(ctx, actor, c)
		}, all, true},
		{"Assignment", func() error {
			return app.db.AddAssignment(ctx, actor, purchase.ID, &licensing.Assignment{AssignorID: sold.AssigneeID, AssigneeID: sold.AssignorID,
				EffectiveOn: today.AddDays(-30), Patents: sold.Patents[1:2]})
		}, all, true},
	}
	if s, want := shown(first), shown(afresh(t)); s != want {
		t.Fatalf("first visit: %s\ncounted afresh: %s", s, want)
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			before, calls := app.srv.memo().counts(), conflicts.calls.Load()
			if err := step.change(); err != nil {
				t.Fatal(err)
			}
			got := figures(t)
			if s, want := shown(got), shown(afresh(t)); s != want {
				t.Errorf("after the change: %s\ncounted afresh: %s", s, want)
			}
			after := app.srv.memo().counts()
			for _, p := range all {
				if want := slices.Contains(step.recounted, p); (after[p] != before[p]) != want {
					t.Errorf("%s counted %d times more, want counted again: %v", partNames[p], after[p]-before[p], want)
				}
			}
			if n := conflicts.calls.Load() - calls; (n != 0) != step.conflicts {
				t.Errorf("conflicts counted %d times more, want counted again: %v", n, step.conflicts)
			}
			if step.name == "MarkDone" && len(got.overdue) != len(first.overdue)-1 {
				t.Errorf("after marking done: %d overdue, want %d", len(got.overdue), len(first.overdue)-1)
			}
		})
	}
}

// partNames name the parts in messages.
var partNames = [dashboardParts]string{partAgreements: "agreements", partDueSoon: "notices, due and overdue",
	partNext: "next deadlines", partExpiries: "patent expiries", partGroups: "groups"}
