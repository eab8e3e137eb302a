package web

import (
	"context"
	"slices"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// TestRightsQuestionsOfTheIssue asks the demo data the three questions
// legal staff must be able to answer with reasons they can quote to a
// partner, and checks each answer against DESIGN.md's rules.
func TestRightsQuestionsOfTheIssue(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	app.loadDemo(t)
	today := licensing.MustDate("2026-11-21")
	ask := func(t *testing.T, req RightsRequest) rights.Answer {
		t.Helper()
		a, err := CheckRights(ctx, app.db, req, today)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	licence := func(a rights.Answer, ref string) *rights.Basis {
		for i, b := range a.Bases {
			if b.Kind == rights.License && b.Agreement.Reference == ref {
				return &a.Bases[i]
			}
		}
		return nil
	}

	// "Is Xiaomi's smart plug sold in Germany in 2025 covered by the Nokia
	// cross-licence, and through which entity?" — a Nokia Technologies LTE
	// patent that reads on it, sold by Xiaomi Communications.
	t.Run("SmartPlugInGermany2025", func(t *testing.T) {
		a := ask(t, RightsRequest{Company: "Xiaomi Communications Co., Ltd.", Patent: "EP 3 335 492 B1", On: "2025-06-01",
			Territory: "DE", Activity: "sell", Field: "smart home"})
		if a.Verdict != rights.NotCovered {
			t.Fatalf("verdict %s, want not_covered", a.Verdict)
		}
		i := slices.IndexFunc(a.Misses, func(m rights.Miss) bool { return m.Agreement.Reference == "NOK-XIA-2017" })
		if i < 0 {
			t.Fatalf("the cross-licence is not among the grants considered: %+v", a.Misses)
		}
		var failed []rights.Condition
		for _, f := range a.Misses[i].Failures {
			failed = append(failed, f.Failed)
		}
		if !slices.Contains(failed, rights.FailedDate) || !slices.Contains(failed, rights.FailedField) {
			t.Errorf("the cross-licence fails on %v, want its end (2024-07-04) and its field (mobile devices)", failed)
		}
		// Within its term and field the same sale was covered, through
		// Xiaomi Corporation, the licensee, whose affiliate the seller is.
		a = ask(t, RightsRequest{Company: "Xiaomi Communications Co., Ltd.", Patent: "EP3335492B1", On: "2021-06-01",
			Territory: "DE", Activity: "sell", Field: "mobile devices"})
		b := licence(a, "NOK-XIA-2017")
		if a.Verdict != rights.Covered || b == nil {
			t.Fatalf("verdict %s with bases %+v, want covered by NOK-XIA-2017", a.Verdict, a.Bases)
		}
		if b.Through.Name != "Xiaomi Corporation" || b.Holder.Name != "Nokia Technologies Oy" || b.Until != licensing.MustDate("2024-07-04") {
			t.Errorf("basis through %q, holder %q, until %s; want through Xiaomi Corporation, held by Nokia Technologies Oy, until 2024-07-04",
				b.Through.Name, b.Holder.Name, b.Until)
		}
	})

	// "Which of the patents Xiaomi bought from Nokia are still licensed to
	// Apple?" — the licence survives the sale, but not the end of its term.
	t.Run("PatentsSoldToXiaomiLicensedToApple", func(t *testing.T) {
		a := ask(t, RightsRequest{Company: "Apple Inc.", Patent: "EP3100511B1", On: "2020-06-01", Territory: "DE"})
		b := licence(a, "NOK-APL-2017")
		if a.Verdict != rights.Covered || b == nil {
			t.Fatalf("in 2020: verdict %s with bases %+v, want covered by NOK-APL-2017 although Xiaomi owns it", a.Verdict, a.Bases)
		}
		if b.Holder.Name != "Xiaomi Corporation" {
			t.Errorf("holder %q, want Xiaomi Corporation (bought 2017-07-05)", b.Holder.Name)
		}
		a = ask(t, RightsRequest{Company: "Apple Inc.", Patent: "EP3100511B1", Territory: "DE"})
		if a.Verdict != rights.NotCovered {
			t.Fatalf("today: verdict %s, want not_covered", a.Verdict)
		}
		if !slices.ContainsFunc(a.NearMisses, func(n rights.NearMiss) bool {
			return n.Agreement.Reference == "NOK-APL-2017" && n.Failed == rights.FailedDate
		}) {
			t.Errorf("near misses %+v, want NOK-APL-2017 failing only on its end date", a.NearMisses)
		}
	})

	// "Which Nokia patents may HMD Global use after its licence ends?" —
	// the renewing licence runs on; once terminated, it counts up to and
	// including the termination date and not a day longer.
	t.Run("HMDAfterItsLicenceEnds", func(t *testing.T) {
		q := RightsRequest{Company: "HMD Global Oy", Patent: "EP3158812B1", Territory: "DE", Field: "mobile devices"}
		if a := ask(t, q); a.Verdict != rights.Covered || licence(a, "NOK-HMD-2016") == nil {
			t.Fatalf("today: verdict %s with bases %+v, want covered by the renewing NOK-HMD-2016", a.Verdict, a.Bases)
		}
		hmd, err := app.db.AgreementByReference(ctx, "NOK-HMD-2016")
		if err != nil {
			t.Fatal(err)
		}
		hmd.Status, hmd.TerminatedOn = licensing.AgreementTerminated, licensing.MustDate("2027-04-05")
		if err := app.db.UpdateAgreement(ctx, sqlite.Actor{Via: sqlite.ViaWeb}, hmd); err != nil {
			t.Fatal(err)
		}
		q.On = "2027-04-05"
		if a := ask(t, q); a.Verdict != rights.Covered {
			t.Errorf("on the termination date: verdict %s, want covered", a.Verdict)
		}
		q.On = "2027-04-06"
		a := ask(t, q)
		if a.Verdict != rights.NotCovered || !slices.ContainsFunc(a.NearMisses, func(n rights.NearMiss) bool {
			return n.Agreement.Reference == "NOK-HMD-2016" && n.Failed == rights.FailedDate
		}) {
			t.Errorf("the day after: verdict %s, near misses %+v; want not_covered, NOK-HMD-2016 failing on its date", a.Verdict, a.NearMisses)
		}
	})
}
