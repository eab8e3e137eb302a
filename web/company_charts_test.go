package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestCompanyChartsMatchTheirLists follows every bar of a company's charts
// to the patents list it links to: the list holds as many patents as the
// bar counts.
func TestCompanyChartsMatchTheirLists(t *testing.T) {
	app, b := timelineApp(t)
	nokia, err := app.db.CompanyByName(context.Background(), "Nokia Corporation")
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, b.get("/companies/"+strconv.FormatInt(nokia.ID, 10)))
	if scope := testid(doc, "charts-scope").Text(); !strings.Contains(scope, "Nokia Corporation and its affiliates") {
		t.Errorf("the charts say they count %q", scope)
	}
	for _, chart := range []struct {
		testid   string
		param    string
		minBars  int
		nonEmpty int
	}{
		{"chart-office", "office=", 3, 3},
		{"chart-tag", "tag=", 3, 3},
		{"chart-expiry", "expires_before=", 20, 2},
	} {
		t.Run(chart.testid, func(t *testing.T) {
			bars := testid(doc, chart.testid)
			if bars.Length() < chart.minBars {
				t.Fatalf("%d bars, want at least %d", bars.Length(), chart.minBars)
			}
			counted := 0
			bars.Each(func(_ int, bar *goquery.Selection) {
				href, label := bar.AttrOr("href", ""), bar.AttrOr("data-value", "")
				want, _ := strconv.Atoi(bar.AttrOr("data-count", ""))
				if !strings.Contains(href, "owner="+strconv.FormatInt(nokia.ID, 10)) || !strings.Contains(href, "affiliates=1") ||
					!strings.Contains(href, chart.param) {
					t.Errorf("bar %s links to %q", label, href)
				}
				if want > 0 {
					counted++
				}
				list := parseHTML(t, b.get(href+"&limit=200"))
				if got := testid(list, "patent-row").Length(); got != want {
					t.Errorf("bar %s counts %d patents, its list %s shows %d", label, want, href, got)
				}
				if title := bar.Find("title").Text(); !strings.Contains(title, label) || !strings.HasPrefix(title, strconv.Itoa(want)+" patent") {
					t.Errorf("bar %s is titled %q", label, title)
				}
			})
			if counted < chart.nonEmpty {
				t.Errorf("only %d bars count anything", counted)
			}
		})
	}
	t.Run("ExpiriesFromThisYear", func(t *testing.T) {
		first := testid(doc, "chart-expiry").First()
		if first.AttrOr("data-value", "") != "2026" || !strings.Contains(first.AttrOr("href", ""), "in_force_on=2026-11-21") {
			t.Errorf("the first column is %q, linked %q", first.AttrOr("data-value", ""), first.AttrOr("href", ""))
		}
		next := testid(doc, "chart-expiry").Eq(1)
		if !strings.Contains(next.AttrOr("href", ""), "in_force_on=2027-01-01") || !strings.Contains(next.AttrOr("href", ""), "expires_before=2028-01-01") {
			t.Errorf("the 2027 column links to %q", next.AttrOr("href", ""))
		}
	})
}

// TestCompanyChartsOfOneCompany: without affiliates the charts count the
// company's own patents and say so; a company without patents shows none.
func TestCompanyChartsOfOneCompany(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.com", auth.RoleViewer))
	lone := &licensing.Company{Name: "Lone Inventor GmbH"}
	empty := &licensing.Company{Name: "Shell Holding AG"}
	for _, c := range []*licensing.Company{lone, empty} {
		if err := app.db.CreateCompany(ctx, sqlite.CLIActor(), c); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []*licensing.Patent{
		{Number: "EP 3 500 001 B1", Title: "Hinge", FiledOn: licensing.MustDate("2010-03-01"), GrantedOn: licensing.MustDate("2013-01-01"),
			Status: licensing.StatusGranted, OriginalOwnerID: lone.ID, Tags: []string{"mechanics"}},
		{Number: "DE 10 2011 000 002 B4", Title: "Latch", FiledOn: licensing.MustDate("2011-03-01"), GrantedOn: licensing.MustDate("2014-01-01"),
			Status: licensing.StatusGranted, OriginalOwnerID: lone.ID},
	} {
		if err := app.db.CreatePatent(ctx, sqlite.CLIActor(), p); err != nil {
			t.Fatal(err)
		}
	}
	doc := parseHTML(t, b.get("/companies/"+strconv.FormatInt(lone.ID, 10)))
	if scope := testid(doc, "charts-scope").Text(); scope != "Patents owned today by Lone Inventor GmbH." {
		t.Errorf("scope %q", scope)
	}
	offices := map[string]string{}
	testid(doc, "chart-office").Each(func(_ int, s *goquery.Selection) {
		offices[s.AttrOr("data-value", "")] = s.AttrOr("data-count", "")
		if strings.Contains(s.AttrOr("href", ""), "affiliates") {
			t.Errorf("a lone company's bar links with affiliates: %s", s.AttrOr("href", ""))
		}
	})
	if len(offices) != 2 || offices["EP"] != "1" || offices["DE"] != "1" {
		t.Errorf("offices %v", offices)
	}
	years := map[string]string{}
	testid(doc, "chart-expiry").Each(func(_ int, s *goquery.Selection) { years[s.AttrOr("data-value", "")] = s.AttrOr("data-count", "") })
	if years["2030"] != "1" || years["2031"] != "1" || years["2029"] != "0" {
		t.Errorf("expiries %v", years)
	}
	if got := testid(doc, "chart-tag").Length(); got != 1 {
		t.Errorf("%d tag bars, want 1", got)
	}
	if testid(parseHTML(t, b.get("/companies/"+strconv.FormatInt(empty.ID, 10))), "company-charts").Length() != 0 {
		t.Error("a company without patents shows charts")
	}
}

func TestCompanyChartsInGerman(t *testing.T) {
	app, b := timelineApp(t)
	b.lang = "de"
	nokia, err := app.db.CompanyByName(context.Background(), "Nokia Corporation")
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, b.get("/companies/"+strconv.FormatInt(nokia.ID, 10)))
	if got := testid(doc, "chart-offices").Find("figcaption").Text(); got != "Nach Amt" {
		t.Errorf("office chart titled %q", got)
	}
	if got := testid(doc, "chart-office").First().Find("title").Text(); !strings.Contains(got, "Patente beim Amt") {
		t.Errorf("office bar titled %q", got)
	}
	if got := testid(doc, "chart-expiries").Find("svg").AttrOr("aria-label", ""); !strings.HasPrefix(got, "Geltende Patente nach dem Jahr ihres Laufzeitendes") {
		t.Errorf("expiry chart labelled %q", got)
	}
}

// TestCompanyPageLeadsToItsAgreements follows the company page's links to
// the agreements, the timeline and the deadlines of its group.
func TestCompanyPageLeadsToItsAgreements(t *testing.T) {
	app := newDashboardDemo(t)
	nokia, err := app.db.CompanyByName(context.Background(), "Nokia Corporation")
	if err != nil {
		t.Fatal(err)
	}
	b := app.browser()
	b.mustSignIn(app.addUser("v@example.com", auth.RoleViewer))
	page := parseHTML(t, b.get(fmt.Sprintf("/companies/%d", nokia.ID)))
	follow := func(testID string) *goquery.Document {
		href, ok := testid(page, testID).Attr("href")
		if !ok {
			t.Fatalf("no link %s on the company page", testID)
		}
		res := b.get(href)
		wantStatus(t, res, http.StatusOK)
		return parseHTML(t, res)
	}
	t.Run("AgreementsOfTheGroup", func(t *testing.T) {
		var refs []string
		follow("company-agreements-list").Find(`[data-testid="agreement-row"]`).Each(func(_ int, s *goquery.Selection) {
			refs = append(refs, s.AttrOr("data-reference", ""))
		})
		// NOK-HMD-2016 is signed by Nokia Technologies Oy, a subsidiary.
		for _, want := range []string{"NOK-XIA-2017", "NOK-HMD-2016", "NOK-APL-2017"} {
			if !slices.Contains(refs, want) {
				t.Errorf("agreements of Nokia's group %v lack %s", refs, want)
			}
		}
		if slices.Contains(refs, "XIA-IKEA-2019") {
			t.Errorf("agreements of Nokia's group include Xiaomi–IKEA: %v", refs)
		}
	})
	t.Run("Timeline", func(t *testing.T) {
		if follow("company-agreements-timeline").Find("svg").Length() == 0 {
			t.Error("the timeline link shows no timeline")
		}
	})
	t.Run("Deadlines", func(t *testing.T) {
		if follow("company-deadlines").Find(`[data-testid="deadline-row"]`).Length() == 0 {
			t.Error("the deadlines of Nokia's group are empty")
		}
	})
}
