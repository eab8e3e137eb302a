package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/sqlite"
)

// readerIn is a signed-in viewer whose browser asks for the language lang.
func readerIn(t *testing.T, lang string) *browser {
	t.Helper()
	b := signedIn(t, newTestApp(t), "reader@example.com", auth.RoleViewer)
	b.lang = lang
	return b
}

// pageIn fetches path as b and parses it, failing unless it answered 200.
func pageIn(t *testing.T, b *browser, path string) *goquery.Document {
	t.Helper()
	res := b.get(path)
	wantStatus(t, res, http.StatusOK)
	return parseHTML(t, res)
}

// TestReportsIntroNamesWhatIsThere: the reports page must not announce as
// coming what it already lists, and must name each report it links to.
func TestReportsIntroNamesWhatIsThere(t *testing.T) {
	for _, tc := range []struct{ lang, future string }{{"en", "follow"}, {"de", "folgen"}} {
		t.Run(tc.lang, func(t *testing.T) {
			doc := pageIn(t, readerIn(t, tc.lang), "/reports")
			intro := strings.ToLower(squash(testid(doc, "reports-intro").Text()))
			if intro == "" || strings.Contains(intro, tc.future) {
				t.Errorf("intro %q announces reports as still to come", intro)
			}
			testid(doc, "reports").Find("li > a").Each(func(_ int, a *goquery.Selection) {
				if name := strings.ToLower(squash(a.Text())); !strings.Contains(intro, name) {
					t.Errorf("intro %q does not name the report %q", intro, name)
				}
			})
		})
	}
}

// TestGermanFiltersUseTheListsWords: an agreement's reference is its
// "Vertragsnummer" on every page ("Aktenzeichen" is an office's file
// number, and reads the same in a history as in the form), and "include
// affiliates" reads the same on every list.
func TestGermanFiltersUseTheListsWords(t *testing.T) {
	b := readerIn(t, "de-DE,de;q=0.9")
	de := i18n.For("de")
	reference := de.T("field.reference")
	deadlines := pageIn(t, b, "/deadlines")
	conflicts := pageIn(t, b, "/conflicts")
	patents := pageIn(t, b, "/patents")
	if got := squash(testid(deadlines, "filter-agreement").Parent().Text()); !strings.Contains(got, reference) {
		t.Errorf("deadlines: agreement filter %q, want it to say %q", got, reference)
	}
	if got := testid(conflicts, "filter-agreement").AttrOr("placeholder", ""); got != reference {
		t.Errorf("conflicts: agreement filter hint %q, want %q", got, reference)
	}
	for _, key := range []string{"deadlines.error.agreement", "coverage.conflicts.agreement_unknown"} {
		if msg := de.T(key, "X-1"); !strings.Contains(msg, reference) || strings.Contains(msg, "Aktenzeichen") {
			t.Errorf("%s: %q does not call the reference %q", key, msg, reference)
		}
	}
	if history, form := de.T("field.office_ref"), de.T("assignment.field.office_ref"); history != form {
		t.Errorf("an assignment's office reference is %q in its history but %q in its form", history, form)
	}
	want := squash(testid(patents, "filter-affiliates").Parent().Text())
	if got := squash(testid(deadlines, "filter-affiliates").Parent().Text()); got != want {
		t.Errorf("deadlines: affiliates filter %q, the patents list says %q", got, want)
	}
}

// TestFeedHowToInTheReadersLanguage: the calendar feed's instructions name
// Google's calendar as a German reader knows it.
func TestFeedHowToInTheReadersLanguage(t *testing.T) {
	w := newDeadlineWorld(t)
	b := w.app.browser()
	b.lang = "de-DE,de;q=0.9"
	b.mustSignIn(w.viewer)
	res := b.post("/deadlines/feeds", url.Values{"name": {"Büro"}, "alarm_days": {"3"}})
	wantStatus(t, res, http.StatusOK)
	doc := parseHTML(t, res)
	var apps []string
	testid(doc, "feed-howto").Find("li > strong").Each(func(_ int, s *goquery.Selection) { apps = append(apps, s.Text()) })
	if strings.Join(apps, ", ") != "Outlook, Thunderbird, Google Kalender" {
		t.Errorf("how-to names %q", apps)
	}
}

// TestNorthMacedonia: an EPC state the rights page offers goes by its name
// since 2019, not the one the Unicode tables of x/text still carry.
func TestNorthMacedonia(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"en", "North Macedonia"}, {"de", "Nordmazedonien"}} {
		t.Run(tc.lang, func(t *testing.T) {
			doc := pageIn(t, readerIn(t, tc.lang), "/rights")
			if got := doc.Find(`#rights-countries option[value="MK"]`).Text(); got != tc.want {
				t.Errorf("rights page offers MK as %q, want %q", got, tc.want)
			}
			if got := plainTerritory(i18n.For(tc.lang), "MK"); got != tc.want {
				t.Errorf("a grant's territory MK reads %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAuditNamesImportFigures: the audit row of an import labels its
// figures in the reader's language, not by their recorded keys.
func TestAuditNamesImportFigures(t *testing.T) {
	row := sqlite.AuditEntry{Action: "import.patents", Entity: "import",
		Details: `{"source":"portfolio.csv","created":2,"updated":1,"unchanged":3,"companies_created":"Neue Firma GmbH"}`}
	raw := map[string]bool{"source": true, "created": true, "updated": true, "unchanged": true, "companies_created": true}
	for _, lang := range []string{"en", "de"} {
		t.Run(lang, func(t *testing.T) {
			e := historyEntry(i18n.For(lang), row)
			if len(e.Changes) != len(raw) {
				t.Fatalf("%d figures shown, want %d: %+v", len(e.Changes), len(raw), e.Changes)
			}
			for _, c := range e.Changes {
				if raw[c.Field] {
					t.Errorf("figure %q (%s) shown under its recorded key", c.Field, c.After)
				}
			}
		})
	}
}
