package demo

import (
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// TestDemoPlacedOnEveryLoadDay loads the demo in memory on every 17th day
// from the issue's morning to 2040: whenever it is started, the rules of
// licensing hold, and the head of licensing sees what the issue's "Done
// means" tells of: the notice period of the Nokia–HMD Global licence ends
// in 45 days, and a quarterly royalty report to Nokia is overdue, the last
// one due; the reports before it and the minimum royalties due were met.
func TestDemoPlacedOnEveryLoadDay(t *testing.T) {
	last := licensing.MustDate("2040-12-31")
	days := 0
	for today := issueDay; !today.After(last); today = today.AddDays(17) {
		days++
		list := agreementsOn(today)
		if err := checkAgreements(list); err != nil {
			t.Fatalf("loaded on %s: %v", today, err)
		}
		notice, report, royalty := placedHMD(t, list, today)
		if want := today.AddDays(45).String(); notice != want {
			t.Errorf("loaded on %s: notice deadline within 60 days %q, want %s of %s", today, notice, want, refHMD)
		}
		if len(report) != 1 {
			t.Errorf("loaded on %s: quarterly reports to Nokia Technologies Oy overdue %v, want the last one due", today, report)
		}
		if len(royalty) > 0 {
			t.Errorf("loaded on %s: minimum royalties overdue %v, want none", today, royalty)
		}
	}
	if days < 250 {
		t.Errorf("only %d load days tried", days)
	}
	t.Run("DataSetUnchanged", func(t *testing.T) {
		// Placing the HMD licence for one day leaves the data set as it
		// was, for the next Load.
		agreementsOn(licensing.MustDate("2031-03-03"))
		for _, da := range agreements {
			if da.place != nil && (!da.ExpiresOn.IsZero() || da.Summary != "" || len(da.settled) > 0) {
				t.Errorf("%s changed in the data set: expires %s, summary %q, settled %v", da.Reference, da.ExpiresOn, da.Summary, da.settled)
			}
		}
	})
}

// TestDemoPlacedOnTheIssueDay: loaded on the issue's morning, the HMD
// licence is exactly what the issue tells of, summaries included.
func TestDemoPlacedOnTheIssueDay(t *testing.T) {
	list := agreementsOn(issueDay)
	byRef := func(ref string) demoAgreement {
		return list[slices.IndexFunc(list, func(da demoAgreement) bool { return da.Reference == ref })]
	}
	hmdLicence, amendment := byRef(refHMD), byRef(refHMDAmendment)
	for _, da := range []demoAgreement{hmdLicence, amendment} {
		if da.ExpiresOn.String() != "2027-04-05" || da.NoticeDeadline().String() != "2027-01-05" {
			t.Errorf("%s: expires %s, notice %s; want 2027-04-05 and 2027-01-05", da.Reference, da.ExpiresOn, da.NoticeDeadline())
		}
		if !strings.Contains(da.Summary, "to 2027-04-05") || !strings.Contains(da.Summary, "2027-01-05.") {
			t.Errorf("%s: summary %q does not quote the term", da.Reference, da.Summary)
		}
	}
	if got := hmdLicence.settled; got["Minimum annual royalty"].String() != "2025-12-31" ||
		got["Quarterly royalty report"].String() != "2026-07-31" || len(got) != 2 {
		t.Errorf("settled %v; want the minimum royalty through 2025-12-31, the reports through 2026-07-31", got)
	}
	// A later load day quotes its own term.
	later := agreementsOn(licensing.MustDate("2027-06-14"))
	if s := later[slices.IndexFunc(later, func(da demoAgreement) bool { return da.Reference == refHMDAmendment })].Summary; !strings.Contains(s, "to 2027-10-27") ||
		!strings.Contains(s, "the first notice deadline is 2027-07-29.") {
		t.Errorf("amendment loaded on 2027-06-14: %q", s)
	}
}

// placedHMD returns, for the demo loaded on today, the HMD licence's
// notice deadline if it falls within the 60 days the start page counts
// (the amendment, restating the term, must agree), and the occurrences of
// its quarterly report to Nokia Technologies and of its minimum royalty
// that are overdue.
func placedHMD(t *testing.T, list []demoAgreement, today licensing.Date) (notice string, reports, royalties []string) {
	t.Helper()
	byRef := func(ref string) demoAgreement {
		return list[slices.IndexFunc(list, func(da demoAgreement) bool { return da.Reference == ref })]
	}
	licence, amendment := byRef(refHMD), byRef(refHMDAmendment)
	d := licence.NoticeDeadlineOn(today)
	if !d.Before(today) && !d.After(today.AddDays(60)) && licence.Status == licensing.AgreementActive && licence.InForce(today) {
		notice = d.String()
	}
	if a := amendment.NoticeDeadlineOn(today); !a.Equal(d) {
		t.Errorf("loaded on %s: the amendment's notice deadline %s, the licence's %s", today, a, d)
	}
	da := licence
	overdue := func(title string) []string {
		i := slices.IndexFunc(da.Obligations, func(o licensing.Obligation) bool { return o.Title == title })
		if i < 0 {
			t.Fatalf("no obligation %q", title)
		}
		o := da.Obligations[i]
		if title == "Quarterly royalty report" && (o.Payee != nokiaTech || o.Kind != licensing.ObligationReport) {
			t.Fatalf("%q: %s to %s, want a report to %s", title, o.Kind, o.Payee, nokiaTech)
		}
		var out []string
		for _, d := range o.DueDates(&da.Agreement, today.AddDays(-1)) {
			if through, met := da.settled[title]; !met || d.After(through) {
				out = append(out, d.String())
			}
		}
		return out
	}
	return notice, overdue("Quarterly royalty report"), overdue("Minimum annual royalty")
}
