package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestDeadlinesAsBefore: on a generated data set (demo --scale: thousands
// of recurring obligations with years of settled occurrences, portfolio
// grants with capture windows, corporate groups and narrowing, grants
// naming patents by number and by family), the deadlines read the faster
// way (marks of obligations only where the window can list them, the named
// patents found on the portfolios' walk of the expiry range, portfolio
// grants read lean) are those read as before, to the same last day: for
// the start page's three questions, the deadlines page's, and lists
// filtered by kind, company and status, on days before, at and after the
// data set's day, with limits that cut the patent expiries short.
func TestDeadlinesAsBefore(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set")
	}
	ctx := context.Background()
	db, _ := demotest.World(t, 10000, 5)
	company, err := db.CompanyByName(ctx, "Aurora Telecom Oyj")
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(k ...licensing.DeadlineKind) []licensing.DeadlineKind { return k }
	notices := kinds(licensing.DeadlineNotice, licensing.DeadlineObligation)
	expiries := kinds(licensing.DeadlinePatentExpiry)
	compared, cut, overdue := 0, 0, 0
	for _, today := range []licensing.Date{licensing.MustDate("2019-03-31"), licensing.MustDate("2026-07-01"),
		licensing.MustDate("2026-11-21"), licensing.MustDate("2028-01-31")} {
		yearEnd := licensing.NewDate(today.Time().Year(), 12, 31)
		for name, f := range map[string]sqlite.DeadlineFilter{
			"start page: notices and obligations": {From: today, To: today.AddDays(60), Today: today, Overdue: true, Kinds: notices},
			"start page: next deadlines":          {From: today, To: today.AddDays(365), Today: today, Portfolios: true, PatentLimit: 10},
			"start page: patent expiries":         {From: today, To: yearEnd, Today: today, Kinds: expiries, Portfolios: true, PatentLimit: 2000},
			"deadlines page":                      {From: today, To: today.AddDays(365), Today: today, Overdue: true, Portfolios: true, PatentLimit: 2000},
			"deadlines page, small limit":         {From: today, To: today.AddDays(365), Today: today, Overdue: true, Portfolios: true, PatentLimit: 25},
			"deadlines page, limit 1":             {From: today, To: today.AddDays(365), Today: today, Portfolios: true, PatentLimit: 1},
			"next page":                           {From: today.AddDays(40), To: today.AddDays(365), Today: today, Portfolios: true, PatentLimit: 200},
			"patent expiries, three years":        {From: today, To: today.AddYears(3), Today: today, Kinds: expiries, Portfolios: true, PatentLimit: 300},
			"company's group":                     {From: today, To: today.AddDays(365), Today: today, Overdue: true, Company: company.ID, Affiliates: true, Portfolios: true, PatentLimit: 100},
			"company alone":                       {From: today, To: today.AddDays(365), Today: today, Company: company.ID, Portfolios: true, PatentLimit: 100},
			"overdue only":                        {From: today, To: today.AddDays(365), Today: today, Overdue: true, Statuses: []licensing.DeadlineStatus{licensing.DeadlineOverdue}},
			"done in the past year":               {From: today.AddDays(-365), To: today, Today: today, Statuses: []licensing.DeadlineStatus{licensing.DeadlineDone, licensing.DeadlineWaived}},
			"calendar feed":                       {From: today.AddDays(-30), To: today.AddYears(2), Today: today},
			"obligations from before today":       {From: today.AddDays(-90), To: today.AddDays(90), Today: today, Overdue: true, Kinds: kinds(licensing.DeadlineObligation)},
		} {
			want, wantThrough, err := sqlite.ReferenceDeadlinesThrough(ctx, db, f)
			if err != nil {
				t.Fatal(err)
			}
			got, gotThrough, err := db.DeadlinesThrough(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			label := fmt.Sprintf("%s on %s", name, today)
			if gotThrough != wantThrough {
				t.Errorf("%s: read through %s, before through %s", label, gotThrough, wantThrough)
			}
			if g, w := describeDeadlines(got), describeDeadlines(want); g != w {
				t.Errorf("%s: %d deadlines, before %d:\n%s", label, len(got), len(want), firstDifference(g, w))
			}
			compared += len(want)
			if wantThrough.Before(f.To) {
				cut++
			}
			for _, d := range want {
				if d.Status == licensing.DeadlineOverdue {
					overdue++
				}
			}
		}
	}
	// The comparison means something only where the lists are long, cut
	// short by the limits, and hold overdue occurrences.
	if compared < 5000 || cut < 12 || overdue < 1000 {
		t.Errorf("compared %d deadlines, %d lists cut short, %d overdue: the data set does not test what it says", compared, cut, overdue)
	}
	t.Logf("compared %d deadlines, %d lists cut short, %d overdue", compared, cut, overdue)
}

// describeDeadlines writes a list as a user sees it, one deadline a line:
// everything the pages, the feeds and the export show of it.
func describeDeadlines(list []licensing.Deadline) string {
	var b strings.Builder
	for _, d := range list {
		a := d.Agreement
		fmt.Fprintf(&b, "%s %s %s %s(%d) %q %s %s", d.Date, d.Kind, d.Status, a.Reference, a.ID, a.Title, d.TermEndsOn, d.Patent)
		fmt.Fprintf(&b, " %d", d.PatentID)
		if o := d.Obligation; o != nil {
			fmt.Fprintf(&b, " obligation %d %q %s %s %s %s %s %s %s", o.ID, o.Title, o.Kind, o.Amount, o.Currency, o.Payer, o.Payee, o.Status, o.Recurrence)
		}
		oc := d.Occurrence
		fmt.Fprintf(&b, " occurrence %s %s %s %q %d\n", oc.DueOn, oc.Status, oc.DoneOn, oc.DoneBy, oc.DoneByUser)
	}
	return b.String()
}

// firstDifference shows the first line where two descriptions differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var x, y string
		if i < len(g) {
			x = g[i]
		}
		if i < len(w) {
			y = w[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  now    %s\n  before %s", i+1, x, y)
		}
	}
	return ""
}
