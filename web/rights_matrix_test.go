package web

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"patentdesk/internal/demo"
	"patentdesk/internal/licensing"
)

// TestBrowserRightsPages walks the demo data as legal staff would: from
// the rights matrix into the coverage behind a cell, a company's
// out-licensing, the conflicts and the company page's rights box, in
// English and in German, with screenshots of each.
func TestBrowserRightsPages(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	accounts, err := demo.Load(ctx, app.db, app.today())
	if err != nil {
		t.Fatal(err)
	}
	var viewer demo.Account
	for _, a := range accounts {
		if a.Role == "viewer" {
			viewer = a
		}
	}
	id := func(name string) int64 {
		co, err := app.db.CompanyByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return co.ID
	}
	xiaomi, nokia := id("Xiaomi Corporation"), id("Nokia Corporation")
	bctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	visit := func(path, wait, shot string) {
		t.Helper()
		err := chromedp.Do(bctx,
			chromedp.Navigate(app.http.URL+path),
			chromedp.WaitVisible(css(wait)),
			screenshot(dir, shot),
		)
		if err != nil {
			t.Fatalf("%s: %v (screenshots in %s)", path, err, dir)
		}
	}
	err = chromedp.Do(bctx,
		chromedp.Navigate(app.http.URL+"/login"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#email`), viewer.Email),
		chromedp.SendKeys(css(`#password`), viewer.Password),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="main-nav"]`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	for _, lang := range []string{"en", "de"} {
		if lang == "de" {
			err := chromedp.Do(bctx,
				chromedp.Click(css(`[data-testid="switch-locale"]`)),
				chromedp.WaitVisible(css(`html[lang="de"]`)),
			)
			if err != nil {
				t.Fatalf("switch to German: %v", err)
			}
		}
		visit("/rights/matrix?on=2020-01-01", `[data-testid="matrix"]`, "rights-matrix-"+lang)
		err := chromedp.Do(bctx,
			chromedp.Click(css(fmt.Sprintf(`[data-testid="matrix-row"][data-company="%d"] [data-testid="matrix-cell"][data-column="%d"] a`, nokia, xiaomi))),
			chromedp.WaitVisible(css(`[data-testid="coverage-table"]`)),
			screenshot(dir, "coverage-of-cell-"+lang),
		)
		if err != nil {
			t.Fatalf("from a matrix cell to its coverage: %v (screenshots in %s)", err, dir)
		}
		visit(fmt.Sprintf("/companies/%d/coverage?on=2020-01-01", xiaomi), `[data-testid="coverage-table"]`, "coverage-"+lang)
		err = chromedp.Do(bctx, chromedp.ScrollIntoView(css(`[data-testid="coverage-patents"]`)), screenshot(dir, "coverage-rows-"+lang))
		if err != nil {
			t.Fatalf("coverage rows: %v", err)
		}
		visit(fmt.Sprintf("/companies/%d/coverage?what_if=1", xiaomi), `[data-testid="what-if-banner"]`, "coverage-what-if-"+lang)
		visit(fmt.Sprintf("/companies/%d/out-licensing?all=1", nokia), `[data-testid="out-licensing-table"]`, "out-licensing-"+lang)
		visit("/conflicts", `[data-testid="conflict-counts"]`, "conflicts-"+lang)
		visit(fmt.Sprintf("/companies/%d", xiaomi), `[data-testid="company-coverage-count"]`, "company-rights-"+lang)
	}
	text, err := chromedp.Run(bctx, chromedp.Text(css(`[data-testid="company-rights"]`)))
	if err != nil || !strings.Contains(text, "Was es benutzen darf") {
		t.Errorf("rights box in German reads %q (%v)", text, err)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}

func TestRightsMatrix(t *testing.T) {
	w := newCoverageWorld(t)
	b := w.browse()
	doc := parseHTML(t, b.get("/rights/matrix"))
	var columns []string
	testid(doc, "matrix-column").Each(func(_ int, s *goquery.Selection) { columns = append(columns, s.AttrOr("data-company", "")) })
	want := []*licensing.Company{w.ap, w.hmd, w.nokia, w.tech, w.xiaomi, w.xiaomiInc}
	var wantIDs []string
	for _, c := range want {
		wantIDs = append(wantIDs, fmt.Sprint(c.ID))
	}
	if !slices.Equal(columns, wantIDs) {
		t.Fatalf("columns %v, want owners and licensees group by group %v", columns, wantIDs)
	}
	// cells[row][column] by company; rows are owners on 2026-11-21.
	cells := map[int64]map[int64]string{}
	owned := map[int64]string{}
	testid(doc, "matrix-row").Each(func(_ int, row *goquery.Selection) {
		r, _ := strconv.ParseInt(row.AttrOr("data-company", ""), 10, 64)
		cells[r] = map[int64]string{}
		owned[r] = testid(goquery.NewDocumentFromNode(row.Nodes[0]), "matrix-owned").Text()
		row.Find(`[data-testid="matrix-cell"]`).Each(func(_ int, cell *goquery.Selection) {
			c, _ := strconv.ParseInt(cell.AttrOr("data-column", ""), 10, 64)
			cells[r][c] = cell.AttrOr("data-count", "")
		})
	})
	cases := []struct {
		name        string
		owner, user *licensing.Company
		want        string
	}{
		{"OwnPatents", w.nokia, w.nokia, "1"},
		{"AffiliatesPatents", w.tech, w.nokia, "4"},
		{"ParentsPatents", w.nokia, w.tech, "1"},
		{"LicensedPortfolio", w.tech, w.xiaomi, "1"},
		{"LicensedToTheLicenseesAffiliate", w.nokia, w.xiaomiInc, "1"},
		// P5 and P7 (owned, and P7 licensed too, counted once); P4 is
		// licensed exclusively to Apple.
		{"PatentOfTwoRoutesCountedOnce", w.xiaomi, w.xiaomi, "2"},
		{"ExclusiveLicensee", w.xiaomi, w.ap, "1"},
		{"LicenceLimitedToTheEU", w.tech, w.hmd, "2"},
		{"NationalPatentOutsideTheLicencesTerritory", w.nokia, w.hmd, "0"},
		{"NothingLicensed", w.xiaomi, w.nokia, "0"},
		{"AffiliateOwner", w.xiaomiInc, w.xiaomi, "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cells[tc.owner.ID][tc.user.ID]; got != tc.want {
				t.Errorf("%s may practise %s patents of %s, want %s", tc.user.Name, got, tc.owner.Name, tc.want)
			}
		})
	}
	t.Run("OwnedInForce", func(t *testing.T) {
		got := []string{owned[w.ap.ID], owned[w.hmd.ID], owned[w.nokia.ID], owned[w.tech.ID], owned[w.xiaomi.ID], owned[w.xiaomiInc.ID]}
		if !slices.Equal(got, []string{"0", "0", "1", "4", "3", "1"}) {
			t.Errorf("owned in force %v (the lapsed P6 must not count)", got)
		}
	})
	t.Run("CellLinksToTheCoverageBehindIt", func(t *testing.T) {
		link := doc.Find(fmt.Sprintf(`[data-testid="matrix-row"][data-company="%d"] [data-testid="matrix-cell"][data-column="%d"] a`, w.xiaomi.ID, w.xiaomi.ID))
		href := link.AttrOr("href", "")
		if want := fmt.Sprintf("/companies/%d/coverage?on=2026-11-21&owner=%d", w.xiaomi.ID, w.xiaomi.ID); href != want {
			t.Fatalf("cell links to %q, want %q", href, want)
		}
		cov := parseHTML(t, b.get(href))
		if got := testid(cov, "coverage-total").AttrOr("data-count", ""); got != "2" {
			t.Errorf("the coverage behind the cell counts %s patents, the cell 2", got)
		}
		// A row per basis: P7 once as owned, once as licensed.
		if got := testid(cov, "coverage-row").Length(); got != 3 {
			t.Errorf("%d rows behind the cell, want 3", got)
		}
	})
	t.Run("ZeroCellsMutedAndUnlinked", func(t *testing.T) {
		cell := doc.Find(fmt.Sprintf(`[data-testid="matrix-row"][data-company="%d"] [data-testid="matrix-cell"][data-column="%d"]`, w.xiaomi.ID, w.nokia.ID))
		if cell.Find("a").Length() != 0 || cell.Find(".muted").Length() != 1 {
			t.Errorf("zero cell: %q", cell.Text())
		}
	})
	t.Run("EarlierDay", func(t *testing.T) {
		// Before the cellular licence: Xiaomi may practise only its own.
		old := parseHTML(t, b.get("/rights/matrix?on=2019-12-31"))
		cell := old.Find(fmt.Sprintf(`[data-testid="matrix-row"][data-company="%d"] [data-testid="matrix-cell"][data-column="%d"]`, w.nokia.ID, w.xiaomi.ID))
		if got := cell.AttrOr("data-count", ""); got != "0" {
			t.Errorf("on 2019-12-31 Xiaomi may practise %s of Nokia's patents, want 0", got)
		}
	})
	t.Run("BadDate", func(t *testing.T) {
		bad := parseHTML(t, b.get("/rights/matrix?on=31.02.2020"))
		if testid(bad, "error-on").Length() != 1 || testid(bad, "matrix").Length() != 0 {
			t.Error("an impossible date is not explained")
		}
	})
}
