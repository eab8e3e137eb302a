package web

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestTimelinePrintsItsTable: on paper the bars' labels are cut short and
// a notice date is only a diamond, so the printed timeline keeps its
// table, unfolded (the print style sheet unfolds the details element, and
// app.js opens those marked data-print-open before printing). Checked by
// eye as a PDF printed by headless Chromium; here, that no print rule
// hides the table and that the page marks it to be unfolded.
func TestTimelinePrintsItsTable(t *testing.T) {
	css, err := os.ReadFile("../static/css/print.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range regexp.MustCompile(`(?s)([^{}]+)\{([^{}]*)\}`).FindAllStringSubmatch(string(css), -1) {
		selectors, body := rule[1], strings.ReplaceAll(rule[2], " ", "")
		if strings.Contains(selectors, ".timeline-table") && !strings.Contains(selectors, "summary") && strings.Contains(body, "display:none") {
			t.Errorf("print.css hides the timeline's table: %s{%s}", strings.TrimSpace(selectors), rule[2])
		}
	}
	if !strings.Contains(string(css), "details.timeline-table::details-content") {
		t.Error("print.css does not unfold the timeline's table")
	}
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.com", auth.RoleViewer))
	a := &licensing.Agreement{Reference: "LIC-1", Title: "Licence", Kind: licensing.KindLicense, Status: licensing.AgreementActive,
		EffectiveOn: licensing.MustDate("2020-01-01"), ExpiresOn: licensing.MustDate("2027-12-31")}
	if err := app.db.CreateAgreement(context.Background(), sqlite.CLIActor(), a); err != nil {
		t.Fatal(err)
	}
	_, doc := timelinePage(t, b, "")
	if _, ok := doc.Find(`details[data-testid="timeline-table"]`).Attr("data-print-open"); !ok {
		t.Error("the timeline's table is not marked to be unfolded for printing")
	}
}
