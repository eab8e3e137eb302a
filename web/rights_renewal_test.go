package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

// The demo's NOK-HMD-2016 renews itself every 24 months unless notice is
// given 90 days before the term ends; on the harness's day (2026-11-21)
// its term ends 2027-04-05, notice due by 2027-01-05. HMD Global's licence
// of EP 3 158 812 B1 lasts to the patent's expiry, 2035-06-16, only if it
// keeps renewing, and every place that shows that day must say so.

const (
	renewalEN = "if renewed · current term ends 2027-04-05, notice by 2027-01-05"
	renewalDE = "bei Verlängerung · laufende Vertragsperiode endet am 05.04.2027, Kündigung bis zum 05.01.2027"
)

// renewalWorld is the demo data with a viewer signed in, and the ids of
// HMD Global and EP 3 158 812 B1.
func renewalWorld(t *testing.T) (app *testApp, b *browser, hmd, patent int64) {
	t.Helper()
	app = newTestApp(t)
	ctx := context.Background()
	app.loadDemo(t)
	co, err := app.db.CompanyByName(ctx, "HMD Global Oy")
	if err != nil {
		t.Fatal(err)
	}
	p, err := app.db.PatentByNumber(ctx, "EP3158812B1")
	if err != nil {
		t.Fatal(err)
	}
	return app, signedIn(t, app, "reader@example.com", auth.RoleViewer), co.ID, p.ID
}

func TestRightsRenewingLicenceOnPages(t *testing.T) {
	app, b, hmd, patent := renewalWorld(t)
	check := func(company string, on string) string {
		return "/rights?" + url.Values{"ask": {"1"}, "company": {company}, "patent": {"EP 3 158 812 B1"}, "territory": {"DE"}, "on": {on}}.Encode()
	}
	for _, c := range []struct {
		lang, note, date, reason string
	}{
		{"en", renewalEN, "2035-06-16", "until 2035-06-16 if the agreement keeps renewing; the agreement's current term ends 2027-04-05 and renews automatically every 24 months unless notice is given by 2027-01-05."},
		{"de", renewalDE, "16.06.2035", "bis zum 16.06.2035, sofern sich der Vertrag weiter verlängert; die laufende Vertragsperiode endet am 05.04.2027 und verlängert sich automatisch um jeweils 24 Monate, sofern nicht bis zum 05.01.2027 gekündigt wird."},
	} {
		b.lang = c.lang
		t.Run("CheckPage/"+c.lang, func(t *testing.T) {
			res := b.get(check("HMD Global Oy", "2026-11-21"))
			wantStatus(t, res, 200)
			doc := parseHTML(t, res)
			if got := squash(testid(doc, "basis-until").Text()); got != c.date+" "+c.note {
				t.Errorf("basis until %q, want %q", got, c.date+" "+c.note)
			}
			if got := squash(testid(doc, "basis-renewal").Text()); got != c.note {
				t.Errorf("renewal note %q, want %q", got, c.note)
			}
			if !strings.Contains(squash(doc.Text()), c.reason) {
				t.Errorf("the page's reasons leave out the renewal %q", c.reason)
			}
		})
		t.Run("PatentPage/"+c.lang, func(t *testing.T) {
			res := b.get(fmt.Sprintf("/patents/%d", patent))
			wantStatus(t, res, 200)
			row := parseHTML(t, res).Find(`[data-testid="practise-licence"][data-licensee="HMD Global Oy"]`)
			if row.Length() != 1 {
				t.Fatalf("%d rows for HMD Global's licence on the patent's page", row.Length())
			}
			if got := squash(row.Find(`[data-testid="practise-until"]`).Text()); got != c.date+" "+c.note {
				t.Errorf("licence until %q, want %q", got, c.date+" "+c.note)
			}
		})
		t.Run("Coverage/"+c.lang, func(t *testing.T) {
			res := b.get(fmt.Sprintf("/companies/%d/coverage", hmd))
			wantStatus(t, res, 200)
			doc := parseHTML(t, res)
			if got := texts(testid(doc, "route-renewal")); !slices.Equal(got, []string{c.note}) {
				t.Errorf("route renewal notes %q, want one %q", got, c.note)
			}
			row := doc.Find(fmt.Sprintf(`[data-testid="coverage-row"][data-patent="%d"]`, patent))
			until := row.Find(`[data-testid="coverage-until"]`)
			if got := squash(until.Text()); !strings.HasPrefix(got, c.date) {
				t.Errorf("coverage row until %q, want it to begin with %s", got, c.date)
			}
			if got := squash(until.Find(`[data-testid="coverage-renewal"]`).Text()); got != c.note {
				t.Errorf("coverage row's renewal note %q, want %q", got, c.note)
			}
		})
	}
	t.Run("NonRenewingLicenceSaysNothingOfRenewal", func(t *testing.T) {
		b.lang = "en"
		res := b.get(check("Xiaomi Corporation", "2020-06-01"))
		wantStatus(t, res, 200)
		doc := parseHTML(t, res)
		if got := squash(testid(doc, "basis-until").Text()); got != "2024-07-04" {
			t.Errorf("basis until %q, want 2024-07-04 alone", got)
		}
		if n := testid(doc, "basis-renewal").Length(); n != 0 {
			t.Errorf("%d renewal notes under a licence that does not renew", n)
		}
		if strings.Contains(doc.Text(), "renew") {
			t.Error("the answer speaks of renewal under a licence that does not renew")
		}
		xiaomi, err := app.db.CompanyByName(context.Background(), "Xiaomi Corporation")
		if err != nil {
			t.Fatal(err)
		}
		res = b.get(fmt.Sprintf("/companies/%d/coverage?on=2020-06-01", xiaomi.ID))
		wantStatus(t, res, 200)
		doc = parseHTML(t, res)
		if testid(doc, "coverage-row").Length() == 0 {
			t.Fatal("Xiaomi's coverage in 2020 lists no patents")
		}
		if n := testid(doc, "route-renewal").Length() + testid(doc, "coverage-renewal").Length(); n != 0 {
			t.Errorf("%d renewal notes in a coverage without renewing agreements", n)
		}
	})
}

// renewalItem is what the coverage API says of a patent's last day.
type renewalItem struct {
	PatentID          int64  `json:"patent_id"`
	Until             string `json:"until"`
	TermEndsOn        string `json:"term_ends_on"`
	RenewsEveryMonths int    `json:"renews_every_months"`
	NoticeBy          string `json:"notice_by"`
}

// TestRightsRenewingLicenceExports checks the API's verdict and coverage
// and the coverage export: the renewing term beside the last day, and
// nothing of it where the agreement does not renew.
func TestRightsRenewingLicenceExports(t *testing.T) {
	app, b, hmd, patent := renewalWorld(t)
	api := apiRightsViewer(app)
	t.Run("Check", func(t *testing.T) {
		var v map[string]any
		api.get("/api/v1/rights/check?"+rightsQuery("company", "HMD Global Oy", "patent", "EP3158812B1", "territory", "DE"), 200, &v)
		bases, _ := v["bases"].([]any)
		if len(bases) != 1 {
			t.Fatalf("bases %v, want HMD Global's licence", v["bases"])
		}
		basis := bases[0].(map[string]any)
		for k, want := range map[string]any{"until": "2035-06-16", "term_ends_on": "2027-04-05", "renews_every_months": 24.0, "notice_by": "2027-01-05"} {
			if basis[k] != want {
				t.Errorf("basis %s = %v, want %v", k, basis[k], want)
			}
		}
		if r, _ := basis["reason"].(string); !strings.Contains(r, "if the agreement keeps renewing; the agreement's current term ends 2027-04-05") {
			t.Errorf("basis reason %q leaves out the renewal", r)
		}
	})
	t.Run("CheckOfALicenceThatDoesNotRenew", func(t *testing.T) {
		var v map[string]any
		api.get("/api/v1/rights/check?"+rightsQuery("company", "Xiaomi Corporation", "patent", "EP3158812B1", "territory", "DE", "on", "2020-06-01"), 200, &v)
		bases, _ := v["bases"].([]any)
		if len(bases) != 1 {
			t.Fatalf("bases %v, want Xiaomi's licence", v["bases"])
		}
		for _, k := range []string{"term_ends_on", "renews_every_months", "notice_by"} {
			if x, ok := bases[0].(map[string]any)[k]; ok {
				t.Errorf("basis has %s = %v under an agreement that does not renew", k, x)
			}
		}
	})
	t.Run("Coverage", func(t *testing.T) {
		var v struct {
			Items []renewalItem `json:"items"`
		}
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", "HMD Global Oy", "limit", "500"), 200, &v)
		i := slices.IndexFunc(v.Items, func(it renewalItem) bool { return it.PatentID == patent })
		if i < 0 {
			t.Fatalf("EP 3 158 812 B1 is not in HMD Global's coverage: %+v", v.Items)
		}
		it := v.Items[i]
		if it.Until != "2035-06-16" || it.TermEndsOn != "2027-04-05" || it.RenewsEveryMonths != 24 || it.NoticeBy != "2027-01-05" {
			t.Errorf("coverage item %+v, want until 2035-06-16, term ends 2027-04-05, every 24 months, notice by 2027-01-05", it)
		}
	})
	t.Run("CoverageExport", func(t *testing.T) {
		records, _ := readCSV(t, b, fmt.Sprintf("/companies/%d/coverage.csv", hmd), ',')
		head := records[0]
		if got := head[len(head)-3:]; !slices.Equal(got, []string{"term_ends_on", "renews_every_months", "notice_by"}) {
			t.Fatalf("the export's last columns are %q", got)
		}
		col := func(name string) int { return slices.Index(head, name) }
		found := false
		for _, r := range records[1:] {
			if r[col("patent")] == "EP3158812B1" {
				found = true
				got := []string{r[col("until")], r[col("term_ends_on")], r[col("renews_every_months")], r[col("notice_by")]}
				if want := []string{"2035-06-16", "2027-04-05", "24", "2027-01-05"}; !slices.Equal(got, want) {
					t.Errorf("EP3158812B1's export row ends %q, want %q", got, want)
				}
			}
		}
		if !found {
			t.Error("EP3158812B1 is not in HMD Global's export")
		}
	})
}
