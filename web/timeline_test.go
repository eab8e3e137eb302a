package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// timelineApp is the demo world with a viewer signed in.
func timelineApp(t *testing.T) (*testApp, *browser) {
	t.Helper()
	app := newTestApp(t)
	app.loadDemo(t)
	b := app.browser()
	b.mustSignIn(app.addUser("reader@example.com", auth.RoleViewer)) // the demo has its own viewer@
	return app, b
}

// timelinePage fetches the timeline and returns its body and parsed page.
func timelinePage(t *testing.T, b *browser, query string) ([]byte, *goquery.Document) {
	t.Helper()
	res := b.get("/agreements/timeline" + query)
	wantStatus(t, res, http.StatusOK)
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return body, doc
}

// barReferences lists the references of the timeline's bars, in order.
func barReferences(doc *goquery.Document) []string {
	var refs []string
	testid(doc, "timeline-bar").Each(func(_ int, s *goquery.Selection) {
		refs = append(refs, s.AttrOr("data-reference", ""))
	})
	return refs
}

// datedAgreements are the demo's agreements that have an effective date,
// which the default period (2016–2031) takes in whole.
func datedAgreements(t *testing.T, app *testApp) []*licensing.Agreement {
	t.Helper()
	list, _, err := app.db.Agreements(context.Background(), sqlite.AgreementFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(list, func(a *licensing.Agreement) bool { return a.EffectiveOn.IsZero() })
}

func TestTimelineDrawsEveryAgreement(t *testing.T) {
	app, b := timelineApp(t)
	body, doc := timelinePage(t, b, "")
	want := datedAgreements(t, app)
	if len(want) < 5 {
		t.Fatalf("the demo has only %d dated agreements", len(want))
	}

	t.Run("SVGIsWellFormedXML", func(t *testing.T) {
		svg := svgOf(t, body, "timeline-svg")
		dec := xml.NewDecoder(bytes.NewReader(svg))
		elements := 0
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
			}
			if _, ok := tok.(xml.StartElement); ok {
				elements++
			}
		}
		if elements < 20 {
			t.Errorf("only %d elements in the SVG", elements)
		}
	})
	t.Run("OneLinkedBarPerAgreement", func(t *testing.T) {
		got := barReferences(doc)
		if len(got) != len(want) {
			t.Fatalf("%d bars %v, want %d", len(got), got, len(want))
		}
		for _, a := range want {
			bar := doc.Find(`[data-testid="timeline-bar"][data-reference="` + a.Reference + `"]`)
			if href := bar.AttrOr("href", ""); href != "/agreements/"+strconv.FormatInt(a.ID, 10) {
				t.Errorf("bar of %s links to %q", a.Reference, href)
			}
			if title := bar.Find("title").Text(); !strings.Contains(title, a.Reference) || !strings.Contains(title, a.Title) ||
				!strings.Contains(title, a.EffectiveOn.String()) {
				t.Errorf("hover title of %s: %q", a.Reference, title)
			}
			if bar.AttrOr("data-status", "") != string(a.Status) {
				t.Errorf("bar of %s shows status %q, want %s", a.Reference, bar.AttrOr("data-status", ""), a.Status)
			}
		}
		if n := testid(doc, "timeline-row").Length(); n != len(want) {
			t.Errorf("the table lists %d agreements, want %d", n, len(want))
		}
	})
	t.Run("GroupedByPartyPair", func(t *testing.T) {
		var groups []string
		doc.Find(".tl-group-label").Each(func(_ int, s *goquery.Selection) { groups = append(groups, s.Text()) })
		if !slices.Contains(groups, "HMD Global Oy – Nokia Technologies Oy") {
			t.Errorf("groups %q lack the HMD pair", groups)
		}
		hmd := doc.Find(`[data-testid="timeline-group"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find(".tl-group-label").Text() == "HMD Global Oy – Nokia Technologies Oy"
		})
		var refs []string
		hmd.Find(`[data-testid="timeline-bar"]`).Each(func(_ int, s *goquery.Selection) { refs = append(refs, s.AttrOr("data-reference", "")) })
		if !slices.Equal(refs, []string{"NOK-HMD-2016", "NOK-HMD-2016-A1"}) {
			t.Errorf("the HMD group holds %v", refs)
		}
	})
	t.Run("TodayMarkedAtItsDay", func(t *testing.T) {
		// The default period is 2016-01-01 … 2031-12-31 (5844 days) on the
		// plot's 250 … 985; today is 2026-11-21, day 3977 of it, marked in
		// the middle of the day.
		from, today := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
		days := today.Sub(from).Hours() / 24
		want := 250 + (days+0.5)/5844*735
		x, err := strconv.ParseFloat(testid(doc, "timeline-today").AttrOr("x1", ""), 64)
		if err != nil || math.Abs(x-want) > 0.06 {
			t.Errorf("today at x %v (%v), want %.2f", x, err, want)
		}
		if got := testid(doc, "timeline-range").Text(); !strings.Contains(got, "From 2016 to 2031.") || !strings.Contains(got, "last ten years") {
			t.Errorf("range says %q", got)
		}
	})
	t.Run("NoticeDeadlineOfTheHMDLicence", func(t *testing.T) {
		hmd, err := app.db.AgreementByReference(context.Background(), "NOK-HMD-2016")
		if err != nil {
			t.Fatal(err)
		}
		notice := hmd.NoticeDeadlineOn(licensing.MustDate("2026-11-21"))
		if notice.IsZero() {
			t.Fatal("the demo HMD licence has no notice deadline")
		}
		marks := doc.Find(`[data-testid="timeline-notice"][data-reference="NOK-HMD-2016"]`)
		var dates []string
		marks.Each(func(_ int, s *goquery.Selection) { dates = append(dates, s.AttrOr("data-date", "")) })
		if !slices.Contains(dates, notice.String()) {
			t.Errorf("notice marks of NOK-HMD-2016 on %v, want %s", dates, notice)
		}
		mark := marks.FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("data-date", "") == notice.String() })
		if title := mark.Find("title").Text(); !strings.Contains(title, notice.String()) {
			t.Errorf("the notice mark says %q", title)
		}
		days := notice.Time().Sub(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24
		if x, err := strconv.ParseFloat(mark.AttrOr("data-x", ""), 64); err != nil || math.Abs(x-(250+(days+0.5)/5844*735)) > 0.06 {
			t.Errorf("the notice mark stands at x %v (%v), want %.2f", x, err, 250+(days+0.5)/5844*735)
		}
		// The bar of the licence ends with its running term, after its
		// notice deadline, and renews.
		bar := doc.Find(`[data-testid="timeline-bar"][data-reference="NOK-HMD-2016"]`)
		if bar.Find(".tl-renew").Length() != 1 || !strings.Contains(bar.Find("title").Text(), "renews") {
			t.Errorf("the renewing licence does not show its renewal: %q", bar.Find("title").Text())
		}
		// The expired cross-licence had its notice deadline in 2024: shown,
		// and an agreement without notice period has none.
		if n := doc.Find(`[data-testid="timeline-notice"][data-reference="NOK-XIA-2017"][data-date="2024-01-06"]`).Length(); n != 1 {
			t.Errorf("%d notice marks of NOK-XIA-2017 on 2024-01-06", n)
		}
		if n := doc.Find(`[data-testid="timeline-notice"][data-reference="NOK-XIA-PSA-2017"]`).Length(); n != 0 {
			t.Errorf("the purchase, without notice period, has %d notice marks", n)
		}
	})
	t.Run("AccessibleAndExplained", func(t *testing.T) {
		svg := testid(doc, "timeline-svg")
		if svg.AttrOr("role", "") != "img" || !strings.Contains(svg.AttrOr("aria-label", ""), strconv.Itoa(len(want))+" agreements") {
			t.Errorf("svg role %q, label %q", svg.AttrOr("role", ""), svg.AttrOr("aria-label", ""))
		}
		if testid(doc, "timeline-legend").Find("li").Length() < 8 {
			t.Error("the legend does not explain every pattern and mark")
		}
		if doc.Find(`details[data-testid="timeline-table"] table a[href^="/agreements/"]`).Length() != len(want) {
			t.Error("the table does not link every agreement")
		}
	})
}

// svgOf cuts the SVG marked with testid out of a page as sent.
func svgOf(t *testing.T, body []byte, testid string) []byte {
	t.Helper()
	mark := []byte(`data-testid="` + testid + `"`)
	at := bytes.Index(body, mark)
	if at < 0 {
		t.Fatalf("no %s in the page", testid)
	}
	start := bytes.LastIndex(body[:at], []byte("<svg"))
	end := bytes.Index(body[at:], []byte("</svg>"))
	if start < 0 || end < 0 {
		t.Fatalf("no <svg> around %s", testid)
	}
	return body[start : at+end+len("</svg>")]
}

func TestTimelineFilters(t *testing.T) {
	app, b := timelineApp(t)
	ctx := context.Background()
	hmd, err := app.db.CompanyByName(ctx, "HMD Global Oy")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		query  url.Values
		want   []string
		groups []string
	}{
		{"CompanyByID", url.Values{"company": {strconv.FormatInt(hmd.ID, 10)}},
			[]string{"NOK-HMD-2016", "NOK-HMD-2016-A1"}, []string{"Nokia Technologies Oy"}},
		{"CompanyByName", url.Values{"company": {"Xiaomi Corporation"}},
			[]string{"NOK-XIA-2017", "NOK-XIA-PSA-2017", "XIA-IKEA-2019"},
			[]string{"Inter IKEA Systems B.V.", "Nokia Corporation", "Nokia Technologies Oy"}},
		{"CompanyWithoutAffiliates", url.Values{"company": {"Nokia Corporation"}},
			[]string{"NOK-APL-2017", "NOK-XIA-2017"}, []string{"Apple Inc.", "Xiaomi Corporation"}},
		{"CompanyWithAffiliates", url.Values{"company": {"Nokia Corporation"}, "affiliates": {"1"}},
			[]string{"NOK-HMD-2016", "NOK-APL-2017", "NOK-XIA-2017", "NOK-XIA-PSA-2017", "NOK-HMD-2016-A1"},
			[]string{"Apple Inc.", "HMD Global Oy", "Xiaomi Corporation"}},
		{"Kind", url.Values{"kind": {"collaboration"}}, []string{"XIA-IKEA-2019"}, nil},
		{"YearsAfterMostEnded", url.Values{"from": {"2028"}, "to": {"2030"}},
			[]string{"NOK-HMD-2016", "NOK-XIA-PSA-2017", "NOK-HMD-2016-A1"}, nil},
		{"YearsBeforeAnyBegan", url.Values{"from": {"2000"}, "to": {"2010"}}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, doc := timelinePage(t, b, "?"+tc.query.Encode())
			got := barReferences(doc)
			if !slices.Equal(sortedCopy(got), sortedCopy(tc.want)) {
				t.Errorf("bars %v, want %v", got, tc.want)
			}
			if tc.groups != nil {
				var groups []string
				doc.Find(".tl-group-label").Each(func(_ int, s *goquery.Selection) { groups = append(groups, s.Text()) })
				if !slices.Equal(groups, tc.groups) {
					t.Errorf("groups %v, want %v", groups, tc.groups)
				}
			}
			if len(tc.want) == 0 && testid(doc, "timeline-empty").Length() != 1 {
				t.Error("an empty timeline does not say so")
			}
			if testid(doc, "filter-reset").Length() != 1 {
				t.Error("no way back to the unfiltered timeline")
			}
		})
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestTimelineRefusesBadFilters(t *testing.T) {
	_, b := timelineApp(t)
	tests := []struct {
		name, query, field, says string
	}{
		{"NotAYear", "?from=soon", "from", "Give a year from 1900 to 2200"},
		{"YearOutOfRange", "?to=99999", "to", "Give a year from 1900 to 2200"},
		{"Reversed", "?from=2030&to=2020", "to", "The last year comes before the first."},
		{"TooLong", "?from=1950&to=2030", "to", "at most 60 years"},
		{"UnknownCompany", "?company=Nobody+Ltd", "company", "No company is named"},
		{"UnknownKind", "?kind=marriage", "kind", "marriage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, doc := timelinePage(t, b, tc.query)
			if msg := testid(doc, "error-"+tc.field).Text(); !strings.Contains(msg, tc.says) {
				t.Errorf("error on %s says %q, want %q", tc.field, msg, tc.says)
			}
			if testid(doc, "timeline-svg").Length() != 0 {
				t.Error("a timeline is drawn despite the error")
			}
		})
	}
	t.Run("OneYearGivenTheOtherFollows", func(t *testing.T) {
		_, doc := timelinePage(t, b, "?from=2040")
		if got := testid(doc, "timeline-range").Text(); !strings.Contains(got, "From 2040 to 2055.") {
			t.Errorf("range says %q", got)
		}
	})
}

func TestTimelineEmptyAndLinked(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.com", auth.RoleViewer))
	_, doc := timelinePage(t, b, "")
	if testid(doc, "timeline-empty").Length() != 1 || testid(doc, "timeline-svg").Length() != 0 {
		t.Error("an empty database shows no empty state")
	}
	list := parseHTML(t, b.get("/agreements"))
	if href := testid(list, "agreements-timeline").AttrOr("href", ""); href != "/agreements/timeline" {
		t.Errorf("the agreements list links to the timeline with %q", href)
	}
	anonymous := app.browser().get("/agreements/timeline")
	wantRedirect(t, anonymous, "/login")
}

func TestTimelineInGerman(t *testing.T) {
	_, b := timelineApp(t)
	b.lang = "de"
	_, doc := timelinePage(t, b, "")
	if h := doc.Find("h1").Text(); h != "Zeitachse der Verträge" {
		t.Errorf("title %q", h)
	}
	if today := testid(doc, "timeline-today").Parent().Find("text").Text(); today != "Heute" {
		t.Errorf("today is labelled %q", today)
	}
	if got := testid(doc, "timeline-range").Text(); !strings.Contains(got, "Von 2016 bis 2031.") {
		t.Errorf("range says %q", got)
	}
	bar := doc.Find(`[data-testid="timeline-bar"][data-reference="NOK-HMD-2016"]`).Find("title").Text()
	if !strings.Contains(bar, "01.12.2016") || !strings.Contains(bar, "Verlängerung um jeweils 24 Monate") ||
		!strings.Contains(bar, "Letzter Kündigungstag für NOK-HMD-2016: ") {
		t.Errorf("hover title in German: %q", bar)
	}
	if label := testid(doc, "timeline-svg").AttrOr("aria-label", ""); !strings.Contains(label, "Zeitachse mit") || !strings.Contains(label, "21.11.2026") {
		t.Errorf("aria-label %q", label)
	}
	if legend := testid(doc, "timeline-legend").Text(); !strings.Contains(legend, "Abgelaufen (schraffiert)") {
		t.Errorf("legend %q", legend)
	}
}

// TestBrowserTimelineAndCharts looks at the pictures in Chromium: the
// timeline and a company's charts render under the strict CSP without a
// console error, and a bar's link leads to its agreement.
func TestBrowserTimelineAndCharts(t *testing.T) {
	app := newTestApp(t)
	app.loadDemo(t)
	u := app.addUser("reader@example.com", auth.RoleViewer)
	nokia, err := app.db.CompanyByName(context.Background(), "Nokia Corporation")
	if err != nil {
		t.Fatal(err)
	}
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/login"),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="main-nav"]`)),
		chromedp.Navigate(app.http.URL+"/agreements"),
		chromedp.Click(css(`[data-testid="agreements-timeline"]`)),
		chromedp.WaitVisible(css(`[data-testid="timeline-svg"]`)),
		fullScreenshot(dir, "21-timeline"),
		chromedp.Navigate(app.http.URL+"/companies/"+strconv.FormatInt(nokia.ID, 10)),
		chromedp.WaitVisible(css(`[data-testid="company-charts"]`)),
		chromedp.ScrollIntoView(css(`[data-testid="company-charts"]`)),
		screenshot(dir, "22-company-charts"),
		chromedp.Navigate(app.http.URL+"/agreements/timeline"),
		chromedp.WaitVisible(css(`[data-testid="timeline-svg"]`)),
		chromedp.Click(css(`[data-testid="timeline-bar"][data-reference="NOK-HMD-2016"] rect`)),
		chromedp.WaitVisible(css(`[data-testid="agreement-title"], h1`)),
	)
	if err != nil {
		t.Fatalf("timeline and charts: %v (screenshots in %s)", err, dir)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/agreements/") || strings.HasSuffix(loc, "/timeline") {
		t.Errorf("clicking the HMD bar leads to %s", loc)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}

// fullScreenshot saves the whole page, however long.
func fullScreenshot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// TestTimelineCapsItsRows: past the cap the timeline draws the earliest
// agreements, says that it left some out, and its drawing grows with its rows.
func TestTimelineCapsItsRows(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.com", auth.RoleViewer))
	var parties []licensing.Party
	for _, name := range []string{"Licensor Oy", "Licensee AB"} {
		c := &licensing.Company{Name: name}
		if err := app.db.CreateCompany(ctx, sqlite.CLIActor(), c); err != nil {
			t.Fatal(err)
		}
		parties = append(parties, licensing.Party{CompanyID: c.ID, Role: licensing.RoleParty})
	}
	start := licensing.MustDate("2020-01-01")
	for i := range timelineCap + 1 {
		a := &licensing.Agreement{Reference: "LIC-" + strconv.Itoa(1000+i), Title: "Licence", Kind: licensing.KindLicense,
			Status: licensing.AgreementActive, EffectiveOn: start.AddDays(i), ExpiresOn: start.AddDays(i).AddYears(3), Parties: parties}
		if err := app.db.CreateAgreement(ctx, sqlite.CLIActor(), a); err != nil {
			t.Fatal(err)
		}
	}
	_, doc := timelinePage(t, b, "")
	refs := barReferences(doc)
	if len(refs) != timelineCap || refs[0] != "LIC-1000" || slices.Contains(refs, "LIC-"+strconv.Itoa(1000+timelineCap)) {
		t.Errorf("%d bars from %v", len(refs), refs[:1])
	}
	if note := testid(doc, "timeline-capped").Text(); !strings.Contains(note, "first 300 agreements") {
		t.Errorf("cap note %q", note)
	}
	var w, h float64
	if _, err := fmt.Sscanf(testid(doc, "timeline-svg").AttrOr("viewBox", ""), "0 0 %g %g", &w, &h); err != nil || h < float64(timelineCap)*22 {
		t.Errorf("viewBox %q (%v): too short for %d rows", testid(doc, "timeline-svg").AttrOr("viewBox", ""), err, timelineCap)
	}
}

// An amendment that restates its parent's term is drawn as a bar of its
// own, and its bar carries the notice deadline as the parent's does: the
// deadlines list shows that date once, the picture on each bar.
func TestTimelineNoticeOnRestatingAmendment(t *testing.T) {
	d := func(s string) licensing.Date { v, _ := licensing.ParseDate(s); return v }
	parent := &licensing.Agreement{ID: 1, Status: licensing.AgreementActive, EffectiveOn: d("2020-01-01"),
		ExpiresOn: d("2027-12-31"), NoticeDays: 90}
	amendment := &licensing.Agreement{ID: 2, ParentID: 1, Status: licensing.AgreementActive, EffectiveOn: d("2023-01-01"),
		ExpiresOn: d("2027-12-31"), NoticeDays: 90}
	notices := timelineNotices([]*licensing.Agreement{parent, amendment}, d("2020-01-01"), d("2030-12-31"), d("2026-06-01"))
	want := d("2027-10-02")
	for _, id := range []int64{1, 2} {
		if got := notices[id]; len(got) != 1 || !got[0].Equal(want) {
			t.Errorf("agreement %d: notice markers %v, want [%s]", id, got, want)
		}
	}
}
