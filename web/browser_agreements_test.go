package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestBrowserAgreementJourney enters the July 2017 Nokia–Xiaomi deal as a
// lawyer would, in Chromium: the cross-licence with a portfolio grant each
// way (the second by listed patents), then the sale of a Nokia patent to
// Xiaomi; afterwards the patent's page names Xiaomi as its owner since the
// sale, with the chain of title and the licence that still burdens it.
func TestBrowserAgreementJourney(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	company := func(c *licensing.Company) *licensing.Company {
		t.Helper()
		if err := app.db.CreateCompany(ctx, sqlite.SystemActor(), c); err != nil {
			t.Fatalf("create %s: %v", c.Name, err)
		}
		return c
	}
	patent := func(p *licensing.Patent) *licensing.Patent {
		t.Helper()
		if err := app.db.CreatePatent(ctx, sqlite.SystemActor(), p); err != nil {
			t.Fatalf("create %s: %v", p.Number, err)
		}
		return p
	}
	d := licensing.MustDate
	nokia := company(&licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia"})
	tech := company(&licensing.Company{Name: "Nokia Technologies Oy", ParentID: nokia.ID})
	xiaomi := company(&licensing.Company{Name: "Xiaomi Corporation"})
	patent(&licensing.Patent{Number: "EP 1 234 567 B1", Title: "Handover in LTE radio networks", Family: "FAM-1",
		FiledOn: d("2012-01-15"), GrantedOn: d("2015-06-10"), Status: licensing.StatusGranted, OriginalOwnerID: tech.ID,
		Standards: []string{"3GPP LTE"}, SEP: true})
	patent(&licensing.Patent{Number: "US 9,123,456 B2", Title: "Beam management for LTE-Advanced", Family: "FAM-2",
		FiledOn: d("2013-04-02"), GrantedOn: d("2015-09-01"), Status: licensing.StatusGranted, OriginalOwnerID: tech.ID,
		Standards: []string{"3GPP LTE"}})
	patent(&licensing.Patent{Number: "CN 105123456 B", Title: "Smart-home hub pairing", FiledOn: d("2016-05-05"),
		GrantedOn: d("2019-02-01"), Status: licensing.StatusGranted, OriginalOwnerID: xiaomi.ID})
	u := app.addUser("editor@example.com", auth.RoleEditor)

	browser, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	id := func(c *licensing.Company) string { return strconv.FormatInt(c.ID, 10) }

	// The agreement itself: the deal, its parties and its term.
	err := chromedp.Do(browser,
		chromedp.Navigate(app.http.URL+"/login"),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="main-nav"]`)),
		chromedp.Navigate(app.http.URL+"/agreements"),
		chromedp.WaitVisible(css(`[data-testid="new-agreement"]`)),
		screenshot(dir, "agreements-01-empty"),
		chromedp.Click(css(`[data-testid="new-agreement"]`)),
		chromedp.WaitVisible(css(`[data-testid="agreement-form"]`)),
		chromedp.SetValue(css(`#reference`), "NOK-XIA-2017"),
		chromedp.SetValue(css(`#title`), "Patent cross-licence and patent purchase"),
		chromedp.SetValue(css(`#kind`), string(licensing.KindCrossLicense)),
		chromedp.SetValue(css(`#status`), string(licensing.AgreementActive)),
		chromedp.SetValue(css(`#signed_on`), "2017-07-05"),
		chromedp.SetValue(css(`#effective_on`), "2017-07-05"),
		chromedp.SetValue(css(`#expires_on`), "2024-07-04"),
		chromedp.SetValue(css(`#notice_days`), "90"),
		chromedp.SetValue(css(`[data-testid="input-party-company-0"]`), tech.Name),
		chromedp.SetValue(css(`[data-testid="input-party-role-0"]`), string(licensing.RoleParty)),
		chromedp.SetValue(css(`[data-testid="input-party-company-1"]`), xiaomi.Name),
		chromedp.SetValue(css(`[data-testid="input-party-role-1"]`), string(licensing.RoleParty)),
		screenshot(dir, "agreements-02-form"),
		chromedp.Click(css(`[data-testid="agreement-save"]`)),
		chromedp.WaitVisible(css(`[data-testid="term-sheet"]`)),
		screenshot(dir, "agreements-03-saved"),
	)
	if err != nil {
		t.Fatalf("create the agreement: %v (screenshots in %s)", err, dir)
	}
	if ref, _ := chromedp.Run(browser, chromedp.Text(css(`[data-testid="agreement-reference"]`))); ref != "NOK-XIA-2017" {
		t.Fatalf("saved agreement page shows reference %q (screenshots in %s)", ref, dir)
	}

	// A portfolio licence from Nokia Technologies to Xiaomi, and one back
	// from Xiaomi under its listed patent, typed in another notation.
	err = chromedp.Do(browser,
		chromedp.Click(css(`[data-testid="new-grant"]`)),
		chromedp.WaitVisible(css(`[data-testid="grant-form"]`)),
		chromedp.SetValue(css(`#licensor`), id(tech)),
		chromedp.SetValue(css(`#licensee`), id(xiaomi)),
		chromedp.Click(css(`[data-testid="scope-portfolio"]`)),
		chromedp.SetValue(css(`#capture_from`), "2000-01-01"),
		chromedp.SetValue(css(`#capture_to`), "2017-07-05"),
		chromedp.SetValue(css(`#standards`), "3GPP LTE"),
		chromedp.SetValue(css(`#fields`), "mobile devices"),
		chromedp.SetValue(css(`#territories`), "WORLD"),
		chromedp.SetValue(css(`#exclusivity`), string(licensing.NonExclusive)),
		chromedp.Click(css(`[data-testid="input-royalty_bearing"]`)),
		screenshot(dir, "agreements-04-grant-form"),
		chromedp.Click(css(`[data-testid="part-save"]`)),
		chromedp.WaitVisible(css(`[data-testid="grant"]`)),
		screenshot(dir, "agreements-05-first-grant"),
		chromedp.Click(css(`[data-testid="new-grant"]`)),
		chromedp.WaitVisible(css(`[data-testid="grant-form"]`)),
		chromedp.SetValue(css(`#licensor`), id(xiaomi)),
		chromedp.SetValue(css(`#licensee`), id(tech)),
		chromedp.Click(css(`[data-testid="scope-patents"]`)),
		chromedp.SetValue(css(`#patents`), "CN105123456B"),
		chromedp.SetValue(css(`#fields`), "mobile devices"),
		chromedp.SetValue(css(`#territories`), "WORLD"),
		screenshot(dir, "agreements-06-grant-back-form"),
		chromedp.Click(css(`[data-testid="part-save"]`)),
		chromedp.WaitVisible(css(`[data-testid="grant"]:nth-of-type(2)`)),
		screenshot(dir, "agreements-07-two-grants"),
	)
	if err != nil {
		t.Fatalf("add the grants: %v (screenshots in %s)", err, dir)
	}
	words, err := chromedp.Run(browser, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="grant-words"]')].map(p => p.textContent.replace(/\s+/g, ' ').trim())`))
	if err != nil || len(words) != 2 {
		t.Fatalf("grants in plain words %q: %v (screenshots in %s)", words, err, dir)
	}
	for _, want := range []string{"Nokia Technologies Oy grants Xiaomi Corporation", "non-exclusive", "worldwide",
		"mobile devices", "3GPP LTE", "2000-01-01", "2017-07-05", "2024-07-04", "royalty-bearing"} {
		if !strings.Contains(words[0], want) {
			t.Errorf("the portfolio grant reads %q, without %q", words[0], want)
		}
	}
	for _, want := range []string{"Xiaomi Corporation grants Nokia Technologies Oy", "105123456"} {
		if !strings.Contains(words[1], want) {
			t.Errorf("the grant back reads %q, without %q", words[1], want)
		}
	}

	// The sale: Nokia Technologies assigns the LTE patent to Xiaomi.
	err = chromedp.Do(browser,
		chromedp.Click(css(`[data-testid="new-assignment"]`)),
		chromedp.WaitVisible(css(`[data-testid="assignment-form"]`)),
		chromedp.SetValue(css(`#assignor`), tech.Name),
		chromedp.SetValue(css(`#assignee`), xiaomi.Name),
		chromedp.SetValue(css(`#effective_on`), "2017-07-05"),
		chromedp.SetValue(css(`#patents`), "EP1234567B1"),
		screenshot(dir, "agreements-08-assignment-form"),
		chromedp.Click(css(`[data-testid="part-save"]`)),
		chromedp.WaitVisible(css(`[data-testid="assignment"]`)),
		chromedp.ScrollIntoView(css(`[data-testid="assignment"]`)),
		screenshot(dir, "agreements-09-assignment"),
	)
	if err != nil {
		t.Fatalf("record the assignment: %v (screenshots in %s)", err, dir)
	}
	if got, _ := chromedp.Run(browser, chromedp.Text(css(`[data-testid="assignment-patents"]`))); !strings.Contains(got, "1234567") {
		t.Errorf("the assignment lists %q as transferred", got)
	}

	// The patent's page: Xiaomi owns it since the sale, and the licence
	// Nokia Technologies granted Xiaomi still shows against it.
	err = chromedp.Do(browser,
		chromedp.Navigate(app.http.URL+"/patents/lookup?number=EP1234567B1"),
		chromedp.WaitVisible(css(`[data-testid="chain-of-title"]`)),
		screenshot(dir, "agreements-10-patent"),
		chromedp.ScrollIntoView(css(`[data-testid="patent-grants"]`)),
		screenshot(dir, "agreements-11-patent-title"),
	)
	if err != nil {
		t.Fatalf("open the sold patent: %v (screenshots in %s)", err, dir)
	}
	if owner, _ := chromedp.Run(browser, chromedp.Text(css(`[data-testid="fact-owner"]`))); strings.TrimSpace(owner) != "Xiaomi Corporation" {
		t.Errorf("owner today %q, want Xiaomi Corporation", owner)
	}
	type holding struct {
		Owner, Via, Href string
	}
	chain, err := chromedp.Run(browser, chromedp.Evaluate[[]holding](
		`[...document.querySelectorAll('[data-testid="title-holding"]')].map(li => ({
			Owner: li.dataset.owner,
			Via: li.querySelector('[data-testid="holding-agreement"]')?.textContent.trim() ?? '',
			Href: li.querySelector('[data-testid="holding-agreement"]')?.getAttribute('href') ?? ''}))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 2 || chain[0].Owner != "Nokia Technologies Oy" || chain[1].Owner != "Xiaomi Corporation" {
		t.Errorf("chain of title %+v, want Nokia Technologies Oy then Xiaomi Corporation", chain)
	} else if chain[0].Via != "" || chain[1].Via != "NOK-XIA-2017" || !strings.HasPrefix(chain[1].Href, "/agreements/") {
		t.Errorf("chain of title %+v: the sale should link to agreement NOK-XIA-2017, the first holding to none", chain)
	}
	grants, err := chromedp.Run(browser, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="patent-grant"]')].map(tr => tr.dataset.licensee + ': ' + tr.textContent.replace(/\s+/g, ' ').trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(grants) != 1 || !strings.HasPrefix(grants[0], "Xiaomi Corporation: NOK-XIA-2017") {
		t.Errorf("grants burdening the patent %q, want the portfolio licence to Xiaomi", grants)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}
