package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// deadlineRows reads the deadlines list of a page as "date kind reference
// status" lines, in the order shown.
func deadlineRows(doc *goquery.Document) []string {
	out := []string{}
	testid(doc, "deadline-row").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.Join([]string{s.AttrOr("data-date", ""), s.AttrOr("data-kind", ""),
			s.AttrOr("data-agreement", ""), s.AttrOr("data-status", "")}, " "))
	})
	return out
}

// deadlinePage signs in as u and reads a deadlines page, which must answer 200.
func deadlinePage(t *testing.T, w *deadlineWorld, u *auth.User, path string) *goquery.Document {
	t.Helper()
	b := w.app.browser()
	b.mustSignIn(u)
	res := b.get(path)
	wantStatus(t, res, http.StatusOK)
	return parseHTML(t, res)
}

// The deadline world's list from today, 2026-11-21, a year ahead: every
// overdue occurrence first (the cross-licence's royalties of 2018–2024,
// the renewing licence's reports but the waived and the done one), then
// what falls due.
var deadlineWorldDefault = []string{
	"2018-01-31 obligation NOK-XIA-2017 overdue",
	"2019-01-31 obligation NOK-XIA-2017 overdue",
	"2020-01-31 obligation NOK-XIA-2017 overdue",
	"2021-01-31 obligation NOK-XIA-2017 overdue",
	"2022-01-31 obligation NOK-XIA-2017 overdue",
	"2023-01-31 obligation NOK-XIA-2017 overdue",
	"2024-01-31 obligation NOK-XIA-2017 overdue",
	"2025-03-31 obligation TECH-HMD-2025 overdue",
	"2025-06-30 obligation TECH-HMD-2025 overdue",
	"2025-09-30 obligation TECH-HMD-2025 overdue",
	"2025-12-31 obligation TECH-HMD-2025 overdue",
	"2026-06-30 obligation TECH-HMD-2025 overdue",
	"2026-12-15 obligation TECH-HMD-2025 open",
	"2026-12-31 notice TECH-HMD-2025 open",
	"2026-12-31 obligation TECH-HMD-2025 open",
	"2027-03-31 expiry TECH-HMD-2025 open",
	"2027-03-31 obligation TECH-HMD-2025 open",
	"2027-04-01 renewal TECH-HMD-2025 open",
	"2027-05-31 patent_expiry TECH-HMD-2025 open",
	"2027-06-30 obligation TECH-HMD-2025 open",
	"2027-09-30 obligation TECH-HMD-2025 open",
}

func TestDeadlinesPage(t *testing.T) {
	w := newDeadlineWorld(t)
	doc := deadlinePage(t, w, w.viewer, "/deadlines")
	if got := deadlineRows(doc); !slices.Equal(got, deadlineWorldDefault) {
		t.Fatalf("rows\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(deadlineWorldDefault, "\n  "))
	}
	t.Run("SaysWhatPeriodItShows", func(t *testing.T) {
		want := "From today to 2027-11-21. Obligations still overdue are listed first, however long ago they fell due."
		if got := testid(doc, "period-note").Text(); got != want {
			t.Errorf("period note %q", got)
		}
	})
	t.Run("OverdueStandsOut", func(t *testing.T) {
		rows := testid(doc, "deadline-row")
		rows.Each(func(i int, s *goquery.Selection) {
			overdue := s.AttrOr("data-status", "") == "overdue"
			if s.HasClass("deadline-overdue") != overdue {
				t.Errorf("row %d (%s): class %q", i, s.AttrOr("data-date", ""), s.AttrOr("class", ""))
			}
			badge := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s.Find(`[data-testid="deadline-status"]`).Text()), "⚠"))
			if overdue && badge != "Overdue" {
				t.Errorf("row %d: badge %q, want the word Overdue", i, badge)
			}
		})
		first := rows.First()
		if got := strings.TrimSpace(first.Find(`[data-testid="deadline-when"]`).Text()); got != "8 years overdue" {
			t.Errorf("the royalty of 2018-01-31 is %q", got)
		}
		if got := strings.TrimSpace(rows.Eq(11).Find(`[data-testid="deadline-when"]`).Text()); got != "4 months overdue" {
			t.Errorf("the report of 2026-06-30 is %q", got)
		}
	})
	t.Run("EachRowSaysWhatAndWhen", func(t *testing.T) {
		notice := testid(doc, "deadline-row").Eq(13)
		if got := strings.TrimSpace(notice.Find(`[data-testid="deadline-when"]`).Text()); got != "in 40 days" {
			t.Errorf("the notice deadline is %q", got)
		}
		if href := notice.Find(`[data-testid="deadline-agreement"]`).AttrOr("href", ""); href != agreementPath(w.renewal) {
			t.Errorf("the notice links to %q", href)
		}
		if got := notice.Find(`[data-testid="deadline-detail"]`).Text(); !strings.Contains(got, "90 days before the term ends on 2027-03-31") {
			t.Errorf("notice detail %q", got)
		}
		fee := testid(doc, "deadline-row").Eq(12)
		if got := fee.Find(`[data-testid="deadline-obligation"]`).Text(); got != "Signing fee" {
			t.Errorf("obligation %q", got)
		}
		if got := fee.Find(`[data-testid="deadline-amount"]`).Text(); got != "250,000.00 EUR" {
			t.Errorf("amount %q", got)
		}
		if got := strings.Join(strings.Fields(fee.Find(`[data-testid="deadline-parties"]`).Text()), " "); got != "HMD Global Oy → Nokia Technologies Oy" {
			t.Errorf("payer and payee %q", got)
		}
		patent := testid(doc, "deadline-row").Eq(18).Find(`[data-testid="deadline-patent"]`)
		if patent.Text() != "EP3100511B1" || patent.AttrOr("href", "") != fmt.Sprintf("/patents/%d", w.ep.ID) {
			t.Errorf("patent %q → %q", patent.Text(), patent.AttrOr("href", ""))
		}
	})
	t.Run("ViewersSeeNoForms", func(t *testing.T) {
		if n := doc.Find(`form[action*="/occurrences"]`).Length(); n != 0 {
			t.Errorf("%d marking forms for a viewer", n)
		}
	})
}

func TestDeadlineFilters(t *testing.T) {
	w := newDeadlineWorld(t)
	keep := func(lines []string, ok func(date, kind, ref, status string) bool) []string {
		out := []string{}
		for _, l := range lines {
			f := strings.Fields(l)
			if ok(f[0], f[1], f[2], f[3]) {
				out = append(out, l)
			}
		}
		return out
	}
	upcoming := keep(deadlineWorldDefault, func(_, _, _, status string) bool { return status != "overdue" })
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"OneKind", "kind=notice", []string{"2026-12-31 notice TECH-HMD-2025 open"}},
		{"KindsRepeat", "kind=notice&kind=renewal&kind=", []string{"2026-12-31 notice TECH-HMD-2025 open", "2027-04-01 renewal TECH-HMD-2025 open"}},
		{"PatentExpiries", "kind=patent_expiry", []string{"2027-05-31 patent_expiry TECH-HMD-2025 open"}},
		{"Overdue", "status=overdue", keep(deadlineWorldDefault, func(_, _, _, status string) bool { return status == "overdue" })},
		{"OverdueObligationsAsTheDashboardLinks", "kind=obligation&status=overdue",
			keep(deadlineWorldDefault, func(_, _, _, status string) bool { return status == "overdue" })},
		{"OpenWithinAMonth", "kind=obligation&status=open&from=2026-11-21&to=2026-12-21", []string{"2026-12-15 obligation TECH-HMD-2025 open"}},
		{"DoneAndWaived", "status=done&from=2026-01-01&to=2026-12-31", []string{
			"2026-03-31 obligation TECH-HMD-2025 waived",
			"2026-09-30 obligation TECH-HMD-2025 done",
		}},
		{"PeriodGivenShowsNoOlderOverdue", "from=2026-11-21", upcoming},
		{"PeriodInThePast", "from=2024-01-01&to=2024-07-31", []string{
			"2024-01-06 notice NOK-XIA-2017 passed",
			"2024-01-31 obligation NOK-XIA-2017 overdue",
			"2024-07-04 expiry NOK-XIA-2017 passed",
		}},
		{"CompanyAlone", fmt.Sprintf("company=%d", w.hmd.ID), keep(deadlineWorldDefault, func(_, _, ref, _ string) bool { return ref == refRenewing })},
		{"CompanyByName", "company=" + url.QueryEscape("Xiaomi Corporation"), keep(deadlineWorldDefault, func(_, _, ref, _ string) bool { return ref == refCross })},
		{"CompanyWithoutItsGroup", fmt.Sprintf("company=%d", w.nokia.ID), keep(deadlineWorldDefault, func(_, _, ref, _ string) bool { return ref == refCross })},
		{"CompanyWithItsGroup", fmt.Sprintf("company=%d&affiliates=1", w.nokia.ID), deadlineWorldDefault},
		{"AgreementById", fmt.Sprintf("agreement=%d&kind=obligation&status=open", w.renewal.ID), keep(upcoming, func(_, kind, _, _ string) bool { return kind == "obligation" })},
		{"AgreementByReference", "agreement=" + refCross, keep(deadlineWorldDefault, func(_, _, ref, _ string) bool { return ref == refCross })},
	}
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.get("/deadlines?" + tt.query)
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			if got := deadlineRows(doc); !slices.Equal(got, tt.want) {
				t.Errorf("rows\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if len(tt.want) == 0 && testid(doc, "deadlines-empty").Length() != 1 {
				t.Error("an empty list without a reason")
			}
			// The CSV export of the same filters holds the same rows.
			records, _ := readCSV(t, b, "/deadlines.csv?"+tt.query, ',')
			exported := []string{}
			for _, r := range records[1:] {
				exported = append(exported, strings.Join([]string{r[0], r[1], r[3], r[2]}, " "))
			}
			if !slices.Equal(exported, tt.want) {
				t.Errorf("the CSV holds\n  %s\nwant the page's\n  %s", strings.Join(exported, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
	t.Run("TheFormKeepsTheFilters", func(t *testing.T) {
		doc := parseHTML(t, b.get(fmt.Sprintf("/deadlines?kind=notice&kind=obligation&status=open&company=%d&affiliates=1&agreement=%d&from=2026-12-01&to=2027-06-30", w.nokia.ID, w.renewal.ID)))
		for id, want := range map[string]bool{"filter-kind-notice": true, "filter-kind-obligation": true, "filter-kind-expiry": false, "filter-affiliates": true} {
			if _, checked := testid(doc, id).Attr("checked"); checked != want {
				t.Errorf("%s checked %v", id, checked)
			}
		}
		for id, want := range map[string]string{"filter-company": "Nokia Corporation", "filter-agreement": refRenewing, "filter-from": "2026-12-01", "filter-to": "2027-06-30"} {
			if got := testid(doc, id).AttrOr("value", ""); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if got := testid(doc, "filter-status").Find("option[selected]").AttrOr("value", ""); got != "open" {
			t.Errorf("status %q", got)
		}
		if note := testid(doc, "filter-note").Text(); !strings.Contains(note, "Nokia Corporation, or on the deadline's day a company of its group") {
			t.Errorf("company note %q", note)
		}
	})
}

func TestDeadlineFilterErrors(t *testing.T) {
	w := newDeadlineWorld(t)
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	tests := []struct {
		name, query, field, message string
	}{
		{"NoDate", "from=tomorrow", "from", ""},
		{"Backwards", "from=2027-01-01&to=2026-12-01", "to", "The period ends on 2026-12-01, before it begins on 2027-01-01."},
		{"TooLong", "from=2026-01-01&to=2036-01-02", "to", "Ask for at most 10 years at a time."},
		{"TooLongFromToday", "to=2037-01-01", "to", "Ask for at most 10 years at a time."},
		{"UnknownKind", "kind=deadline", "kind", "“deadline” is not a kind of deadline."},
		{"UnknownStatus", "status=late", "status", "“late” is not a status to filter by: choose open, overdue or done."},
		{"UnknownCompany", "company=Nobody+Ltd", "company", "No company is called “Nobody Ltd”."},
		{"UnknownAgreement", "agreement=XX-1", "agreement", "No agreement has the reference or id “XX-1”."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.get("/deadlines?" + tt.query)
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			msg := testid(doc, "error-"+tt.field)
			if msg.Length() != 1 || (tt.message != "" && msg.Text() != tt.message) {
				t.Errorf("error for %s: %q", tt.field, msg.Text())
			}
			if len(deadlineRows(doc)) != 0 || testid(doc, "empty-reason").Text() != "Correct the filters marked above to see the deadlines." {
				t.Error("a list despite a filter at fault, or no reason for the empty one")
			}
		})
	}
	t.Run("TheExportRefusesThem", func(t *testing.T) {
		wantStatus(t, b.get("/deadlines.csv?from=2027-01-01&to=2026-12-01"), http.StatusUnprocessableEntity)
	})
}

func TestDeadlinesPaging(t *testing.T) {
	w := newDeadlineWorld(t)
	// Two monthly fees over ten years: 240 occurrences, more than a page.
	for _, title := range []string{"Monthly fee A", "Monthly fee B"} {
		if err := w.app.db.AddObligation(context.Background(), sqlite.SystemActor(), w.collaboration.ID, &licensing.Obligation{
			Kind: licensing.ObligationPayment, Title: title, DueOn: licensing.MustDate("2030-01-15"), Recurrence: licensing.Monthly,
			Until: licensing.MustDate("2039-12-15")}); err != nil {
			t.Fatal(err)
		}
	}
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	query := "/deadlines?agreement=" + refIKEA + "&from=2030-01-01&to=2039-12-31"
	first := parseHTML(t, b.get(query))
	if n := len(deadlineRows(first)); n != deadlinesPerPage {
		t.Fatalf("%d rows on the first page, want %d", n, deadlinesPerPage)
	}
	next := testid(first, "next-page").AttrOr("href", "")
	if !strings.Contains(next, "page=2") || !strings.Contains(next, "agreement="+refIKEA) {
		t.Fatalf("next page %q: want page 2 with the filters", next)
	}
	second := parseHTML(t, b.get(next))
	rows := deadlineRows(second)
	if len(rows) != 40 || rows[39] != "2039-12-15 obligation XIA-IKEA-2018 open" {
		t.Errorf("second page: %d rows, last %q", len(rows), rows[len(rows)-1])
	}
	if testid(second, "next-page").Length() != 0 || testid(second, "first-page").Length() != 1 {
		t.Error("the last page links back to the first, and to no next")
	}
}

func TestMarkDoneFromTheDeadlines(t *testing.T) {
	w := newDeadlineWorld(t)
	list := "/deadlines?agreement=" + refRenewing + "&kind=obligation"
	t.Run("EditorsSeeTheForms", func(t *testing.T) {
		doc := deadlinePage(t, w, w.editor, list)
		overdue := testid(doc, "deadline-row").First()
		if overdue.AttrOr("data-status", "") != "overdue" || overdue.Find(`[data-testid="mark-done"]`).Length() != 1 ||
			overdue.Find(`[data-testid="mark-waived"]`).Length() != 1 {
			t.Fatalf("the overdue report offers no done and waive forms")
		}
		form := overdue.Find(`[data-testid="mark-done"]`).Closest("form")
		if form.AttrOr("action", "") != fmt.Sprintf("/obligations/%d/occurrences", w.report.ID) ||
			form.Find(`input[name="next"]`).AttrOr("value", "") != list {
			t.Errorf("form %q back to %q", form.AttrOr("action", ""), form.Find(`input[name="next"]`).AttrOr("value", ""))
		}
	})
	mark := func(b *browser, status, next string) *http.Response {
		return b.post(fmt.Sprintf("/obligations/%d/occurrences", w.report.ID),
			url.Values{"due_on": {"2026-06-30"}, "status": {status}, "next": {next}})
	}
	t.Run("ViewersMayNot", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.viewer)
		wantStatus(t, mark(b, "done", list), http.StatusForbidden)
	})
	t.Run("BackToTheSameListWithAFlash", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.editor)
		res := mark(b, "done", list)
		wantRedirect(t, res, list)
		if loc := res.Header.Get("Location"); loc != list {
			t.Fatalf("back to %q, want %q", loc, list)
		}
		doc := parseHTML(t, b.get(list))
		if got := testid(doc, "flash").Text(); !strings.Contains(got, "due 2026-06-30 marked done") {
			t.Errorf("flash %q", got)
		}
		if slices.Contains(deadlineRows(doc), "2026-06-30 obligation TECH-HMD-2025 overdue") {
			t.Error("the report is still overdue")
		}
		done := parseHTML(t, b.get("/deadlines?agreement="+refRenewing+"&status=done&from=2026-06-01&to=2026-06-30"))
		row := testid(done, "deadline-row")
		if got := deadlineRows(done); !slices.Equal(got, []string{"2026-06-30 obligation TECH-HMD-2025 done"}) {
			t.Fatalf("done rows %v", got)
		}
		if row.Find(`[data-testid="mark-open"]`).Length() != 1 {
			t.Error("a done occurrence offers no reopening")
		}
	})
	t.Run("WaivedAndReopened", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.editor)
		wantRedirect(t, mark(b, "waived", list), list)
		wantRedirect(t, mark(b, "open", list), list)
		if !slices.Contains(deadlineRows(parseHTML(t, b.get(list))), "2026-06-30 obligation TECH-HMD-2025 overdue") {
			t.Error("reopened, the report is overdue again")
		}
	})
	t.Run("NeverAwayFromTheSite", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.editor)
		for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
			if loc := mark(b, "done", next).Header.Get("Location"); loc != "/" {
				t.Errorf("next %q leads to %q", next, loc)
			}
		}
	})
}

// readCSV downloads an export and parses it with the given separator.
func readCSV(t *testing.T, b *browser, path string, comma rune) ([][]string, []byte) {
	t.Helper()
	res := b.get(path)
	wantStatus(t, res, http.StatusOK)
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	r.Comma = comma
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records, body
}

func TestDeadlinesCSV(t *testing.T) {
	w := newDeadlineWorld(t)
	if err := w.app.db.AddObligation(context.Background(), sqlite.SystemActor(), w.renewal.ID, &licensing.Obligation{
		Kind: licensing.ObligationOther, Title: "=HYPERLINK(\"http://evil.example\")", DueOn: licensing.MustDate("2027-02-01")}); err != nil {
		t.Fatal(err)
	}
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	t.Run("ColumnsAndEveryRow", func(t *testing.T) {
		records, _ := readCSV(t, b, "/deadlines.csv", ',')
		if !slices.Equal(records[0], deadlineCSVHeader) {
			t.Fatalf("header %v", records[0])
		}
		if got := strings.Join(deadlineCSVHeader, ","); got != "date,kind,status,agreement,agreement_title,title,obligation,obligation_kind,amount,currency,payer,payee,patent,term_ends_on,if_renewed" {
			t.Errorf("columns %s: docs/deadlines.md names them", got)
		}
		if len(records)-1 != len(deadlineWorldDefault)+1 {
			t.Errorf("%d rows, want the list's %d and the new obligation", len(records)-1, len(deadlineWorldDefault)+1)
		}
		byDate := map[string][]string{}
		for _, r := range records[1:] {
			byDate[r[0]+" "+r[1]] = r
		}
		fee := byDate["2026-12-15 obligation"]
		want := []string{"2026-12-15", "obligation", "open", refRenewing, renewingTitle,
			"Payment due: Signing fee (" + refRenewing + " " + renewingTitle + ")", "Signing fee", "payment", "250000.00", "EUR",
			"HMD Global Oy", "Nokia Technologies Oy", "", "", "false"}
		if !slices.Equal(fee, want) {
			t.Errorf("fee\n  %q\nwant\n  %q", fee, want)
		}
		if notice := byDate["2026-12-31 notice"]; notice[13] != "2027-03-31" {
			t.Errorf("notice %q", notice)
		}
		if overdue := byDate["2018-01-31 obligation"]; overdue[2] != "overdue" || overdue[6] != "Running royalty" {
			t.Errorf("overdue %q", overdue)
		}
		if patent := byDate["2027-05-31 patent_expiry"]; patent[12] != "EP3100511B1" {
			t.Errorf("patent %q", patent)
		}
		if formula := byDate["2027-02-01 obligation"]; formula[6] != `'=HYPERLINK("http://evil.example")` {
			t.Errorf("formula cell %q: want it prefixed with '", formula[6])
		}
	})
	t.Run("FiltersHonoured", func(t *testing.T) {
		records, _ := readCSV(t, b, "/deadlines.csv?kind=notice&kind=renewal", ',')
		var got []string
		for _, r := range records[1:] {
			got = append(got, r[0]+" "+r[1])
		}
		if !slices.Equal(got, []string{"2026-12-31 notice", "2027-04-01 renewal"}) {
			t.Errorf("rows %v", got)
		}
	})
	t.Run("GermanSpreadsheets", func(t *testing.T) {
		records, body := readCSV(t, b, "/deadlines.csv?kind=notice&sep=semicolon&bom=1", ';')
		if !bytes.HasPrefix(body, []byte("\uFEFF")) || len(records) != 2 || records[1][0] != "2026-12-31" {
			t.Errorf("BOM %v, records %q", bytes.HasPrefix(body, []byte("\uFEFF")), records)
		}
	})
	t.Run("TheListOffersIt", func(t *testing.T) {
		doc := parseHTML(t, b.get("/deadlines?kind=notice&kind=renewal&status=open"))
		var params []string
		testid(doc, "export").Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
			params = append(params, s.AttrOr("name", "")+"="+s.AttrOr("value", ""))
		})
		if !slices.Equal(params, []string{"kind=notice", "kind=renewal", "status=open"}) {
			t.Errorf("export carries %v", params)
		}
	})
}

func TestDeadlineFeedsFromThePage(t *testing.T) {
	w := newDeadlineWorld(t)
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	res := b.post("/deadlines/feeds?kind=notice", url.Values{"name": {"Outlook at work"}, "alarm_days": {"3"}})
	wantStatus(t, res, http.StatusOK)
	doc := parseHTML(t, res)
	feedURL := testid(doc, "new-feed-url").AttrOr("value", "")
	if !strings.HasPrefix(feedURL, w.app.http.URL+"/calendar/") || !strings.HasSuffix(feedURL, ".ics") {
		t.Fatalf("feed link %q", feedURL)
	}
	if webcal := testid(doc, "new-feed-webcal").AttrOr("href", ""); webcal != "webcal"+strings.TrimPrefix(feedURL, "http") {
		t.Errorf("webcal link %q", webcal)
	}
	if testid(doc, "feed-howto").Find("li").Length() != 3 {
		t.Error("no how-to for Outlook, Thunderbird and Google Calendar")
	}
	if got := deadlineRows(doc); !slices.Equal(got, []string{"2026-12-31 notice TECH-HMD-2025 open"}) {
		t.Errorf("the page shown again lost its filters: %v", got)
	}
	t.Run("TheLinkOpensTheFeed", func(t *testing.T) {
		res, body := fetchFeed(t, feedURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		cal := parseICS(t, body)
		for _, e := range cal.all("VEVENT") {
			if alarms := e.all("VALARM"); len(alarms) == 1 && alarms[0].prop("TRIGGER") != "-P3D" {
				t.Errorf("trigger %q, want three days before", alarms[0].prop("TRIGGER"))
			}
		}
	})
	t.Run("ShownOnceListedAfter", func(t *testing.T) {
		doc := parseHTML(t, b.get("/deadlines"))
		if testid(doc, "new-feed").Length() != 0 || strings.Contains(doc.Text(), feedURL) {
			t.Error("the secret link is shown again")
		}
		row := testid(doc, "feed-row")
		if row.Length() != 1 || testid(doc, "feed-row-name").Text() != "Outlook at work" ||
			testid(doc, "feed-row-reminder").Text() != "3 days before" || testid(doc, "feed-row-status").Text() != "Active" {
			t.Errorf("feeds listed: %q", strings.Join(strings.Fields(row.Text()), " "))
		}
	})
	t.Run("RefusedWithTheInputKept", func(t *testing.T) {
		res := b.post("/deadlines/feeds", url.Values{"name": {"Phone"}, "alarm_days": {"400"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		if testid(doc, "error-alarm_days").Text() != "Give a number of days from 0 (no reminder) to 365." ||
			testid(doc, "feed-name").AttrOr("value", "") != "Phone" || testid(doc, "feed-alarm-days").AttrOr("value", "") != "400" {
			t.Error("the refusal does not say why or loses the input")
		}
		if testid(doc, "feed-row").Length() != 1 {
			t.Error("a refused feed was made")
		}
	})
	t.Run("NamedByDefault", func(t *testing.T) {
		b := w.app.browser()
		b.lang = "de"
		b.mustSignIn(w.editor)
		doc := parseHTML(t, b.post("/deadlines/feeds", url.Values{"name": {" "}, "alarm_days": {"0"}}))
		if got := testid(doc, "feed-row-name").Text(); got != "Fristen" {
			t.Errorf("name %q", got)
		}
		if got := testid(doc, "feed-row-reminder").Text(); got != "keine" {
			t.Errorf("reminder %q", got)
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		feeds, err := w.app.db.CalendarFeeds(context.Background(), w.viewer.ID)
		if err != nil || len(feeds) != 1 {
			t.Fatal(err, feeds)
		}
		other := w.app.browser()
		other.mustSignIn(w.editor)
		wantStatus(t, other.post(fmt.Sprintf("/deadlines/feeds/%d/revoke", feeds[0].ID), nil), http.StatusNotFound)
		wantRedirect(t, b.post(fmt.Sprintf("/deadlines/feeds/%d/revoke", feeds[0].ID), nil), "/deadlines#feeds")
		doc := parseHTML(t, b.get("/deadlines"))
		if got := testid(doc, "flash").Text(); got != "The calendar feed was revoked: its link no longer works." {
			t.Errorf("flash %q", got)
		}
		if status := testid(doc, "feed-row-status").Text(); !strings.HasPrefix(status, "Revoked ") || testid(doc, "feed-revoke").Length() != 0 {
			t.Errorf("status %q", status)
		}
		if res, _ := fetchFeed(t, feedURL); res.StatusCode != http.StatusNotFound {
			t.Errorf("a revoked link answers %d", res.StatusCode)
		}
		wantStatus(t, b.post(fmt.Sprintf("/deadlines/feeds/%d/revoke", feeds[0].ID), nil), http.StatusNotFound)
		wantAuditAction(t, w.app, "calendar_feed.revoke")
	})
}

// wantAuditAction fails unless the audit trail holds an entry of action.
func wantAuditAction(t *testing.T, app *testApp, action string) {
	t.Helper()
	entries, err := app.db.RecentAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action {
			return
		}
	}
	t.Errorf("no %s in the audit trail", action)
}

func TestTermEndOfARenewingAgreementIsNotCalledExpiry(t *testing.T) {
	w := newDeadlineWorld(t)
	for lang, want := range map[string]string{"en": "End of the current term", "de": "Ende der laufenden Vertragsperiode"} {
		b := w.app.browser()
		b.lang = lang
		b.mustSignIn(w.editor)
		rows := testid(parseHTML(t, b.get("/deadlines?kind=expiry")), "deadline-row")
		if rows.Length() != 1 {
			t.Fatalf("%s: %d expiry rows, want the renewing licence's", lang, rows.Length())
		}
		if got := strings.TrimSpace(rows.Find(`[data-testid="deadline-kind"]`).Text()); got != want {
			t.Errorf("%s: the end of a renewing agreement's term is called %q, want %q", lang, got, want)
		}
	}
}

func TestDeadlinesInGerman(t *testing.T) {
	w := newDeadlineWorld(t)
	b := w.app.browser()
	b.lang = "de"
	b.mustSignIn(w.editor)
	doc := parseHTML(t, b.get("/deadlines?kind=notice&kind=obligation&status=overdue&kind=renewal"))
	if got := doc.Find("h1").Text(); got != "Fristen" {
		t.Errorf("title %q", got)
	}
	row := testid(doc, "deadline-row").Last()
	for id, want := range map[string]string{
		"deadline-date": "30.06.2026", "deadline-kind": "Verpflichtung", "deadline-when": "seit 4 Monaten überfällig",
	} {
		if got := strings.TrimSpace(row.Find(`[data-testid="` + id + `"]`).Text()); got != want {
			t.Errorf("%s %q, want %q", id, got, want)
		}
	}
	if got := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(row.Find(`[data-testid="deadline-status"]`).Text()), "⚠")); got != "Überfällig" {
		t.Errorf("status %q", got)
	}
	if got := row.Find(`[data-testid="mark-waived"]`).Text(); got != "Erlassen" {
		t.Errorf("waive %q", got)
	}
	doc = parseHTML(t, b.get("/deadlines?kind=notice"))
	notice := testid(doc, "deadline-row")
	if got := strings.TrimSpace(notice.Find(`[data-testid="deadline-when"]`).Text()); got != "in 40 Tagen" {
		t.Errorf("when %q", got)
	}
	if got := notice.Find(`[data-testid="deadline-detail"]`).Text(); !strings.Contains(got, "90 Tage vor Ende der Laufzeit am 31.03.2027") {
		t.Errorf("detail %q", got)
	}
	if got := testid(doc, "period-note").Text(); !strings.HasPrefix(got, "Von heute bis 21.11.2027.") {
		t.Errorf("period %q", got)
	}
	if got := testid(doc, "feeds").Find("h2").Text(); got != "Im Kalender abonnieren" {
		t.Errorf("feeds heading %q", got)
	}
}

// TestDeadlinesOfTheIssue is the issue's "Done means" as the deadlines
// page and the calendar feed show it: on 2026-11-21 the notice period of
// the Nokia–HMD Global licence ends in 45 days and a royalty report to
// Nokia is overdue, and both are in the feed with reminders.
func TestDeadlinesOfTheIssue(t *testing.T) {
	app := newTestApp(t)
	app.loadDemo(t)
	u := app.addUser("head@example.com", auth.RoleEditor)
	b := app.browser()
	b.mustSignIn(u)
	doc := parseHTML(t, b.get("/deadlines"))
	var notice, report *goquery.Selection
	testid(doc, "deadline-row").Each(func(_ int, s *goquery.Selection) {
		switch {
		case s.AttrOr("data-kind", "") == "notice" && s.AttrOr("data-agreement", "") == "NOK-HMD-2016":
			notice = s
		case s.AttrOr("data-status", "") == "overdue" && s.Find(`[data-testid="deadline-obligation"]`).Text() == "Quarterly royalty report":
			report = s
		}
	})
	if notice == nil || report == nil {
		t.Fatalf("notice %v, overdue report %v among\n  %s", notice != nil, report != nil, strings.Join(deadlineRows(doc), "\n  "))
	}
	if got := strings.TrimSpace(notice.Find(`[data-testid="deadline-when"]`).Text()); got != "in 45 days" || notice.AttrOr("data-date", "") != "2027-01-05" {
		t.Errorf("notice on %s %q", notice.AttrOr("data-date", ""), got)
	}
	if report.AttrOr("data-date", "") != "2026-10-31" || !strings.Contains(report.Find(`[data-testid="deadline-parties"]`).Text(), "Nokia Technologies Oy") {
		t.Errorf("report %q", strings.Join(strings.Fields(report.Text()), " "))
	}
	res := b.post("/deadlines/feeds", url.Values{"name": {"Outlook"}, "alarm_days": {"7"}})
	wantStatus(t, res, http.StatusOK)
	_, body := fetchFeed(t, testid(parseHTML(t, res), "new-feed-url").AttrOr("value", ""))
	found := map[string]bool{}
	for _, e := range parseICS(t, body).all("VEVENT") {
		summary := icalUnescape(e.prop("SUMMARY"))
		alarmed := len(e.all("VALARM")) > 0 && e.all("VALARM")[0].prop("TRIGGER") == "-P7D"
		switch {
		case e.prop("DTSTART;VALUE=DATE") == "20270105" && strings.HasPrefix(summary, "Notice deadline: NOK-HMD-2016 "):
			found["notice"] = alarmed
		case e.prop("DTSTART;VALUE=DATE") == "20261031" && strings.HasPrefix(summary, "[Overdue] Report due: Quarterly royalty report"):
			found["report"] = alarmed
		}
	}
	if !found["notice"] || !found["report"] {
		t.Errorf("in the feed with a reminder: %v", found)
	}
}

// TestBrowserDeadlinesJourney is the head of licensing's morning of the
// issue (Saturday 2026-11-21 by the test clock) in a real browser: the
// demo's deadlines, the overdue report marked done from the list, a
// calendar feed made, and the page in German.
func TestBrowserDeadlinesJourney(t *testing.T) {
	app := newTestApp(t)
	app.loadDemo(t)
	u := app.addUser("head@example.com", auth.RoleEditor)
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	overdue := `tr.deadline-overdue [data-testid="mark-done"]`
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/deadlines"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="deadlines-table"]`)),
		screenshot(dir, "deadlines-01-list"),
		chromedp.Click(css(overdue)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
		screenshot(dir, "deadlines-02-marked"),
		chromedp.SendKeys(css(`#feed-name`), "Outlook"),
		chromedp.Submit(css(`#feed-name`)),
		chromedp.WaitVisible(css(`[data-testid="new-feed-url"]`)),
		screenshot(dir, "deadlines-03-feed"),
		chromedp.Navigate(app.http.URL+"/deadlines"),
		chromedp.WaitVisible(css(`[data-testid="feeds-table"]`)),
		chromedp.Click(css(`[data-testid="switch-locale"]`)),
		chromedp.WaitVisible(css(`html[lang="de"] [data-testid="deadlines-table"]`)),
		screenshot(dir, "deadlines-04-de"),
	)
	if err != nil {
		t.Fatalf("deadlines journey: %v (screenshots in %s)", err, dir)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="flash"]').length`)); n != 0 {
		t.Error("the flash is shown twice")
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.deadline-overdue").length`)); n != 0 {
		t.Errorf("%d rows still overdue after the report was marked done", n)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}

// TestManyPatentExpiries: where a period holds more patent expiries than
// one request reads, the list stops on the last day read in full, says so,
// and its next page goes on from the day after; the export goes on by
// itself. Together they hold every expiry, each once. The demo's
// portfolio licences take in a few dozen; the limit is made small.
func TestManyPatentExpiries(t *testing.T) {
	app := newTestApp(t)
	app.loadDemo(t)
	u := app.addUser("v@example.com", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	const query = "/deadlines?kind=patent_expiry&from=2026-11-21&to=2036-11-20"
	all := deadlineRows(parseHTML(t, b.get(query)))
	if len(all) < 10 {
		t.Fatalf("%d patent expiries in the demo: too few to page", len(all))
	}
	saved := deadlinePatentLimit
	deadlinePatentLimit = 2
	t.Cleanup(func() { deadlinePatentLimit = saved })

	var paged []string
	pages := 0
	for next := query; next != ""; pages++ {
		if pages > len(all) {
			t.Fatal("the pages never end")
		}
		doc := parseHTML(t, b.get(next))
		rows := deadlineRows(doc)
		if len(rows) == 0 {
			t.Fatalf("page %d (%s) is empty", pages+1, next)
		}
		paged = append(paged, rows...)
		next = testid(doc, "next-page").AttrOr("href", "")
		if note := testid(doc, "truncated-note").Text(); (note != "") != (next != "") {
			t.Errorf("page %d: note %q, next %q", pages+1, note, next)
		}
	}
	if pages < 2 || !slices.Equal(paged, all) {
		t.Errorf("%d pages hold\n  %s\nwant\n  %s", pages, strings.Join(paged, "\n  "), strings.Join(all, "\n  "))
	}
	records, _ := readCSV(t, b, strings.Replace(query, "/deadlines?", "/deadlines.csv?", 1), ',')
	var exported []string
	for _, r := range records[1:] {
		exported = append(exported, strings.Join([]string{r[0], r[1], r[3], r[2]}, " "))
	}
	if !slices.Equal(exported, all) {
		t.Errorf("the export holds\n  %s\nwant\n  %s", strings.Join(exported, "\n  "), strings.Join(all, "\n  "))
	}
}

// A page number far past the end (one whose offset overflows) shows an
// empty page, not a server error.
func TestDeadlinesHugePage(t *testing.T) {
	w := newDeadlineWorld(t)
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	for _, page := range []string{"99999", "46116860184273881", "9223372036854775807"} {
		wantStatus(t, b.get("/deadlines?page="+page), http.StatusOK)
	}
}

// TestDeadlinesAfterTheTermIfRenewed: the renewing licence's current term
// ends on 2027-03-31; what falls due after it (its reports, the patent's
// expiry under it) does so only if it renews, as the agreement page says,
// and the list, its CSV and the calendar feed say so too. The renewal on
// 2027-04-01 is what happens unless notice is given: not marked.
func TestDeadlinesAfterTheTermIfRenewed(t *testing.T) {
	w := newDeadlineWorld(t)
	want := []string{"2027-05-31 patent_expiry", "2027-06-30 obligation", "2027-09-30 obligation"}
	t.Run("List", func(t *testing.T) {
		var marked []string
		testid(deadlinePage(t, w, w.viewer, "/deadlines"), "deadline-row").Each(func(_ int, s *goquery.Selection) {
			if badge := s.Find(`[data-testid="deadline-if-renewed"]`); badge.Length() > 0 {
				if strings.TrimSpace(badge.Text()) != "if renewed" {
					t.Errorf("badge %q", badge.Text())
				}
				marked = append(marked, s.AttrOr("data-date", "")+" "+s.AttrOr("data-kind", ""))
			}
		})
		if !slices.Equal(marked, want) {
			t.Errorf("rows marked if renewed %v, want %v", marked, want)
		}
	})
	t.Run("CSV", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.viewer)
		records, _ := readCSV(t, b, "/deadlines.csv", ',')
		col := slices.Index(records[0], "if_renewed")
		var marked []string
		for _, r := range records[1:] {
			switch r[col] {
			case "true":
				marked = append(marked, r[0]+" "+r[1])
			case "false":
			default:
				t.Errorf("if_renewed %q", r[col])
			}
		}
		if !slices.Equal(marked, want) {
			t.Errorf("rows marked if renewed %v, want %v", marked, want)
		}
	})
	t.Run("Feed", func(t *testing.T) {
		feed := newFeed(t, w.app.apiClient("legal@example.com", auth.RoleViewer), nil)
		_, body := fetchFeed(t, feed.URL)
		var marked []string
		for _, e := range parseICS(t, body).all("VEVENT") {
			if !strings.HasPrefix(icalUnescape(e.prop("SUMMARY")), "[If renewed] ") {
				continue
			}
			marked = append(marked, e.prop("DTSTART;VALUE=DATE"))
			if d := icalUnescape(e.prop("DESCRIPTION")); !strings.Contains(d, "Due only if the agreement renews at the end of its current term on 2027-03-31.") {
				t.Errorf("description %q", d)
			}
		}
		// The feed runs two years ahead: the reports of 2027-12-31 and on too.
		if len(marked) < 3 || marked[0] != "20270531" || marked[1] != "20270630" || slices.Contains(marked, "20270401") {
			t.Errorf("events marked if renewed %v", marked)
		}
	})
}
