package sqlite

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"patentdesk/internal/licensing"
)

// TestRecurringObligationsOfShortPeriods: the list of a period shorter
// than a month reads only the recurring obligations that can fall due in
// it by the day of the month (daysOfMonthDue), and lists what the list of
// a longer period shows for those days — the obligations due on the 28th
// to the 31st included, which fall due on the last day of shorter months,
// and a leap day's, on 28 February of other years.
func TestRecurringObligationsOfShortPeriods(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, &licensing.Agreement{Reference: "NOK-HMD-2019", Title: "Licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: dd("2019-01-01"), EffectiveOn: dd("2019-01-01"),
		Parties: []licensing.Party{{CompanyID: f.nokia.ID, Role: licensing.RoleLicensor}, {CompanyID: f.hmd.ID, Role: licensing.RoleLicensee}}})
	for _, o := range []struct {
		due string
		r   licensing.Recurrence
	}{
		{"2020-01-31", licensing.Monthly}, {"2020-01-30", licensing.Monthly}, {"2020-01-29", licensing.Monthly},
		{"2020-01-28", licensing.Monthly}, {"2020-01-15", licensing.Monthly}, {"2020-01-01", licensing.Monthly},
		{"2020-11-30", licensing.Quarterly}, {"2020-02-29", licensing.Yearly}, {"2020-03-31", licensing.Yearly},
	} {
		if err := f.db.AddObligation(ctx, CLIActor(), a.ID, &licensing.Obligation{Kind: licensing.ObligationReport,
			Title: string(o.r) + " from " + o.due, DueOn: dd(o.due), Recurrence: o.r, Until: dd("2035-12-31")}); err != nil {
			t.Fatal(err)
		}
	}
	obligations := []licensing.DeadlineKind{licensing.DeadlineObligation}
	read := func(from, to licensing.Date) []string {
		t.Helper()
		list, err := f.db.Deadlines(ctx, DeadlineFilter{From: from, To: to, Today: from, Kinds: obligations})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range list {
			out = append(out, fmt.Sprintf("%s %s %s", d.Date, d.Obligation.Title, d.Status))
		}
		return out
	}
	listed := 0
	for _, start := range []string{"2027-01-20", "2028-01-20", "2027-04-20"} {
		for i := range 50 {
			from := dd(start).AddDays(i)
			long := read(from, from.AddDays(40)) // no day is left out of a period this long
			for _, days := range []int{1, 2, 7, 27} {
				to := from.AddDays(days - 1)
				want := slices.DeleteFunc(slices.Clone(long), func(s string) bool { return s[:10] > to.String() })
				if got := read(from, to); !slices.Equal(got, want) {
					t.Errorf("%s to %s: %v\nwithin the longer period: %v", from, to, got, want)
				}
				listed += len(want)
			}
		}
	}
	if listed == 0 {
		t.Fatal("no deadline listed: the test tests nothing")
	}
}
