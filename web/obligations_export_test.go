package web

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// TestObligationsExportSaysWhatThePageShows: each obligation's status in
// the obligations export is the one its agreement page shows — done once
// every due date of a schedule that ends is met, though nobody set the
// obligation's own status (the demo's settlement payment of NOK-APL-2017).
func TestObligationsExportSaysWhatThePageShows(t *testing.T) {
	app := newDashboardDemo(t)
	ctx := context.Background()
	b := signedIn(t, app, "viewer@example.org", auth.RoleViewer)
	rows, _ := readCSV(t, b, "/agreements.csv?what=obligations", ',')
	col := func(name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("no column %q in %v", name, rows[0])
		}
		return i
	}
	ref, title, status := col("agreement"), col("title"), col("status")
	exported := map[string][]string{} // agreement reference → "title=status", in order
	for _, r := range rows[1:] {
		exported[r[ref]] = append(exported[r[ref]], r[title]+"="+r[status])
	}
	if len(exported) == 0 {
		t.Fatal("no obligations exported")
	}
	doneThoughOpen := 0
	for reference, got := range exported {
		a, err := app.db.AgreementByReference(ctx, reference)
		if err != nil {
			t.Fatal(err)
		}
		var shown []string
		parseHTML(t, b.get(agreementPath(a))).Find(`[data-testid="obligation"]`).Each(func(_ int, o *goquery.Selection) {
			shown = append(shown, strings.TrimSpace(o.Find(`[data-testid="obligation-title"]`).Text())+"="+
				o.Find(`[data-testid="obligation-status"]`).AttrOr("data-status", ""))
		})
		slices.Sort(got)
		slices.Sort(shown)
		if !slices.Equal(got, shown) {
			t.Errorf("%s: exported %q, the page shows %q", reference, got, shown)
		}
		for _, o := range a.Obligations {
			if o.Status == licensing.ObligationOpen && slices.Contains(got, o.Title+"=done") {
				doneThoughOpen++
			}
		}
	}
	if doneThoughOpen == 0 {
		t.Error("no obligation exported as done whose own status is open: the demo no longer tells standing from status")
	}
}
