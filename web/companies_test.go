package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// companyFixtures records companies and patents straight into the store,
// as an import would, so that tests start from a known corporate tree.
type companyFixtures struct {
	t   *testing.T
	app *testApp
}

func (f companyFixtures) company(c licensing.Company) *licensing.Company {
	f.t.Helper()
	if err := f.app.db.CreateCompany(context.Background(), sqlite.CLIActor(), &c); err != nil {
		f.t.Fatalf("create %s: %v", c.Name, err)
	}
	return &c
}

func (f companyFixtures) patent(number string, owner *licensing.Company) {
	f.t.Helper()
	p := &licensing.Patent{Number: number, Title: "Patent " + number, FiledOn: licensing.MustDate("2015-01-02"),
		Status: licensing.StatusPending, OriginalOwnerID: owner.ID}
	if err := f.app.db.CreatePatent(context.Background(), sqlite.CLIActor(), p); err != nil {
		f.t.Fatalf("create %s: %v", number, err)
	}
}

func companyPath(c *licensing.Company) string { return "/companies/" + strconv.FormatInt(c.ID, 10) }

// texts returns the trimmed text of each selected element.
func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.Join(strings.Fields(s.Text()), " ")) })
	return out
}

func signedIn(t *testing.T, app *testApp, email string, role auth.Role) *browser {
	t.Helper()
	b := app.browser()
	b.mustSignIn(app.addUser(email, role))
	return b
}

func TestCompanyCreateAndFind(t *testing.T) {
	app := newTestApp(t)
	b := signedIn(t, app, "editor@example.com", auth.RoleEditor)

	t.Run("EmptyListSaysHowToStart", func(t *testing.T) {
		res := b.get("/companies")
		wantStatus(t, res, http.StatusOK)
		doc := parseHTML(t, res)
		if testid(doc, "companies-empty").Length() != 1 {
			t.Fatal("no empty state on an empty companies list")
		}
		if href, _ := testid(doc, "import-link").Attr("href"); href != "/import" {
			t.Errorf("empty state links to %q for importing, want /import", href)
		}
		if testid(doc, "new-company").Length() != 1 {
			t.Error("an editor sees no New company button")
		}
	})

	var nokia string
	t.Run("CreateRedirectsToTheNewCompany", func(t *testing.T) {
		wantStatus(t, b.get("/companies/new"), http.StatusOK)
		res := b.post("/companies", url.Values{"name": {"Nokia Corporation"}, "short_name": {"Nokia"}, "country": {"fi"},
			"aliases": {"NOKIA CORP\n\nNokia Oyj\n"}})
		wantRedirect(t, res, "/companies/")
		nokia = res.Header.Get("Location")
		doc := parseHTML(t, b.get(nokia))
		if got := testid(doc, "flash").Text(); !strings.Contains(got, "Nokia Corporation") {
			t.Errorf("flash after creating = %q, want it to name the company", got)
		}
		if got := testid(doc, "fact-country").Text(); got != "FI" {
			t.Errorf("country shown as %q, want FI (upper-cased)", got)
		}
		if got := texts(testid(doc, "alias")); !slices.Equal(got, []string{"NOKIA CORP", "Nokia Oyj"}) {
			t.Errorf("aliases = %q, want the two non-blank lines", got)
		}
	})

	t.Run("SubsidiaryWithGermanDate", func(t *testing.T) {
		id := strings.TrimPrefix(nokia, "/companies/")
		res := b.post("/companies", url.Values{"name": {"Nokia Technologies Oy"}, "parent": {id}, "control_from": {"1.2.2015"}})
		wantRedirect(t, res, "/companies/")
		doc := parseHTML(t, b.get(res.Header.Get("Location")))
		chain := texts(testid(doc, "parent-link"))
		if len(chain) != 1 || !strings.Contains(chain[0], "Nokia Corporation") || !strings.Contains(chain[0], "2015-02-01") {
			t.Errorf("parent chain = %q, want Nokia Corporation since 2015-02-01", chain)
		}
	})

	t.Run("ListShowsParentAndSearchFindsAlias", func(t *testing.T) {
		b.post("/companies", url.Values{"name": {"Xiaomi Corporation"}, "aliases": {"Beijing Xiaomi Mobile Software"}})
		doc := parseHTML(t, b.get("/companies"))
		if got := texts(testid(doc, "company-name")); !slices.Equal(got, []string{"Nokia Corporation", "Nokia Technologies Oy", "Xiaomi Corporation"}) {
			t.Fatalf("list = %q", got)
		}
		if got := texts(testid(doc, "company-parent")); got[1] != "Nokia Corporation" {
			t.Errorf("parent column = %q, want Nokia Corporation for the subsidiary", got)
		}
		doc = parseHTML(t, b.get("/companies?q=oyj"))
		if got := texts(testid(doc, "company-name")); !slices.Equal(got, []string{"Nokia Corporation"}) {
			t.Errorf("search by alias Oyj = %q, want Nokia Corporation alone", got)
		}
		if v, _ := testid(doc, "company-q").Attr("value"); v != "oyj" {
			t.Errorf("search box shows %q after searching, want oyj", v)
		}
		if v, _ := testid(doc, "export").Find(`input[name="q"]`).Attr("value"); v != "oyj" {
			t.Errorf("export form carries q=%q, want the current search", v)
		}
		doc = parseHTML(t, b.get("/companies?q=beijing"))
		if got := texts(testid(doc, "company-name")); !slices.Equal(got, []string{"Xiaomi Corporation"}) {
			t.Errorf("search by alias = %q, want Xiaomi Corporation", got)
		}
		doc = parseHTML(t, b.get("/companies?q=nothing-like-this"))
		if testid(doc, "companies-no-match").Length() != 1 {
			t.Error("a search without result says nothing")
		}
	})
}

func TestCompanyFormErrors(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	f.company(licensing.Company{Name: "Nokia Corporation", Aliases: []string{"NOKIA CORP"}})
	b := signedIn(t, app, "editor@example.com", auth.RoleEditor)

	tests := []struct {
		name   string
		form   url.Values
		status int
		fields []string
	}{
		{name: "MissingNameBadCountryBadDate", form: url.Values{"name": {" "}, "country": {"Finland"}, "control_from": {"31.02.2017"},
			"aliases": {"Nokia Mobile\nNOKIA MOBILE"}}, status: http.StatusUnprocessableEntity,
			fields: []string{"name", "country", "control_from", "aliases"}},
		{name: "ControlPeriodWithoutParent", form: url.Values{"name": {"Orphan Oy"}, "control_to": {"2020-01-01"}},
			status: http.StatusUnprocessableEntity, fields: []string{"control_to"}},
		{name: "ControlEndsBeforeItStarts", form: url.Values{"name": {"Backwards Oy"}, "parent": {"Nokia Corporation"},
			"control_from": {"2020-01-01"}, "control_to": {"2019-01-01"}}, status: http.StatusUnprocessableEntity, fields: []string{"control_to"}},
		{name: "UnknownParent", form: url.Values{"name": {"Lost Oy"}, "parent": {"No Such Group"}},
			status: http.StatusUnprocessableEntity, fields: []string{"parent"}},
		{name: "NameTaken", form: url.Values{"name": {"Nokia Corporation"}}, status: http.StatusConflict, fields: []string{"name"}},
		{name: "AliasOfAnother", form: url.Values{"name": {"Other Oy"}, "aliases": {"NOKIA CORP"}}, status: http.StatusConflict,
			fields: []string{"aliases"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post("/companies", tc.form)
			wantStatus(t, res, tc.status)
			doc := parseHTML(t, res)
			if testid(doc, "form-error").Length() != 1 {
				t.Error("no message above the form")
			}
			for _, field := range tc.fields {
				msg := testid(doc, "error-"+field)
				if strings.TrimSpace(msg.Text()) == "" {
					t.Errorf("no message beside %s", field)
				}
				if inv, _ := doc.Find("#" + field).Attr("aria-invalid"); inv != "true" {
					t.Errorf("%s is not marked aria-invalid", field)
				}
			}
			for name, values := range tc.form {
				if name == "parent" {
					continue // a select, not text
				}
				el := doc.Find("#" + name)
				got, _ := el.Attr("value")
				if goquery.NodeName(el) == "textarea" {
					got = el.Text()
				}
				if got != values[0] {
					t.Errorf("%s comes back as %q, want the input %q kept", name, got, values[0])
				}
			}
		})
	}
	list, _, _ := app.db.Companies(context.Background(), sqlite.CompanyFilter{})
	if len(list) != 1 {
		t.Errorf("%d companies stored after refused forms, want 1", len(list))
	}
}

func TestCompanyEditAndHistory(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	group := f.company(licensing.Company{Name: "Xiaomi Corporation"})
	sub := f.company(licensing.Company{Name: "Xiaomi Inc.", ShortName: "Xiaomi", Country: "CN"})
	b := signedIn(t, app, "editor@example.com", auth.RoleEditor)

	doc := parseHTML(t, b.get(companyPath(sub)+"/edit"))
	if v, _ := doc.Find("#short_name").Attr("value"); v != "Xiaomi" {
		t.Fatalf("edit form shows short name %q, want the stored Xiaomi", v)
	}
	if doc.Find(`#parent option[value="`+strconv.FormatInt(sub.ID, 10)+`"]`).Length() != 0 {
		t.Error("the parent list offers the company itself")
	}
	res := b.post(companyPath(sub), url.Values{"name": {"Xiaomi Inc."}, "short_name": {"Xiaomi Mobile"}, "country": {"CN"},
		"parent": {strconv.FormatInt(group.ID, 10)}, "control_from": {"2010-04-06"}})
	wantRedirect(t, res, companyPath(sub))

	doc = parseHTML(t, b.get(companyPath(sub)))
	entries := testid(doc, "history-entry")
	if entries.Length() != 2 {
		t.Fatalf("history has %d entries, want creation and change", entries.Length())
	}
	latest := entries.First()
	if head := latest.Text(); !strings.Contains(head, "Company changed") || !strings.Contains(head, "editor@example.com") {
		t.Errorf("latest history entry = %q, want the change by editor@example.com", strings.Join(strings.Fields(head), " "))
	}
	changes := map[string][2]string{}
	latest.Find(`[data-testid="history-change"]`).Each(func(_ int, s *goquery.Selection) {
		changes[strings.TrimSpace(s.Find("th").Text())] = [2]string{s.Find(".before").Text(), s.Find(".after").Text()}
	})
	want := map[string][2]string{"Short name": {"Xiaomi", "Xiaomi Mobile"}, "Parent company": {"", "Xiaomi Corporation"},
		"Controlled from": {"", "2010-04-06"}}
	for field, w := range want {
		if changes[field] != w {
			t.Errorf("history of %s = %q, want %q", field, changes[field], w)
		}
	}
	if len(changes) != len(want) {
		t.Errorf("history lists %v, want only the changed fields", changes)
	}

	t.Run("ParentCannotBeItsOwnSubsidiary", func(t *testing.T) {
		doc := parseHTML(t, b.get(companyPath(group)+"/edit"))
		if doc.Find(`#parent option[value="`+strconv.FormatInt(sub.ID, 10)+`"]`).Length() != 0 {
			t.Error("the parent list offers a subsidiary, which would make a loop")
		}
		res := b.post(companyPath(group), url.Values{"name": {"Xiaomi Corporation"}, "parent": {strconv.FormatInt(sub.ID, 10)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-parent").Length() != 1 {
			t.Error("a loop in the tree is refused without a message beside the parent")
		}
	})
}

func TestCompanyTree(t *testing.T) {
	app := newTestApp(t) // today is 2026-11-21
	f := companyFixtures{t, app}
	d := licensing.MustDate
	top := f.company(licensing.Company{Name: "A Group"})
	current := f.company(licensing.Company{Name: "B Holding", ParentID: top.ID, ControlFrom: d("2010-01-01")})
	ended := f.company(licensing.Company{Name: "C Former", ParentID: current.ID, ControlFrom: d("2000-01-01"), ControlTo: d("2015-06-30")})
	f.company(licensing.Company{Name: "D Future", ParentID: top.ID, ControlFrom: d("2030-01-01")})
	f.company(licensing.Company{Name: "E Sister", ParentID: current.ID})
	b := signedIn(t, app, "viewer@example.com", auth.RoleViewer)

	doc := parseHTML(t, b.get(companyPath(top)))
	subs := map[string]string{}
	testid(doc, "subsidiary").Each(func(_ int, s *goquery.Selection) {
		subs[s.Children().First().Text()] = s.AttrOr("data-state", "")
	})
	want := map[string]string{"B Holding": "current", "C Former": "ended", "D Future": "future", "E Sister": "current"}
	if fmt.Sprint(subs) != fmt.Sprint(want) {
		t.Errorf("subsidiaries of A = %v, want %v", subs, want)
	}
	if got := texts(testid(doc, "affiliate")); !slices.Equal(got, []string{"B Holding", "E Sister"}) {
		t.Errorf("affiliates today of A = %q, want B and E (C's control ended, D's has not begun)", got)
	}

	doc = parseHTML(t, b.get(companyPath(ended)))
	chain := texts(testid(doc, "parent-link"))
	if len(chain) != 2 || !strings.HasPrefix(chain[0], "B Holding") || !strings.Contains(chain[0], "ended") ||
		!strings.HasPrefix(chain[1], "A Group") {
		t.Errorf("parent chain of C = %q, want B (ended) then A", chain)
	}
	if testid(doc, "no-affiliates").Length() != 1 {
		t.Errorf("C has affiliates %q today, want none: its control ended in 2015", texts(testid(doc, "affiliate")))
	}
}

func TestCompanyPatentsShown(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	nokia := f.company(licensing.Company{Name: "Nokia Corporation"})
	f.company(licensing.Company{Name: "Apple Inc."})
	f.patent("EP1234567B1", nokia)
	f.patent("US9123456B2", nokia)
	b := signedIn(t, app, "viewer@example.com", auth.RoleViewer)

	doc := parseHTML(t, b.get("/companies"))
	if got := texts(testid(doc, "company-patents")); !slices.Equal(got, []string{"0", "2"}) {
		t.Errorf("patent counts = %q, want 0 for Apple and 2 for Nokia", got)
	}
	doc = parseHTML(t, b.get(companyPath(nokia)))
	if got := testid(doc, "patent-count").Text(); got != "2 patents" {
		t.Errorf("patent count = %q, want 2 patents", got)
	}
	if got := texts(testid(doc, "company-patent").Find("td:first-child")); !slices.Equal(got, []string{"EP1234567B1", "US9123456B2"}) {
		t.Errorf("patents listed = %q", got)
	}
	if href, _ := testid(doc, "all-patents").Attr("href"); href != fmt.Sprintf("/patents?owner=%d", nokia.ID) {
		t.Errorf("link to the full list = %q, want the patents list filtered to the owner", href)
	}
	if testid(doc, "company-agreements").Length() != 1 {
		t.Error("no note about agreements on the company page")
	}
}

func TestCompanyDelete(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	parent := f.company(licensing.Company{Name: "Nokia Corporation"})
	f.company(licensing.Company{Name: "Nokia Technologies Oy", ParentID: parent.ID})
	owner := f.company(licensing.Company{Name: "Patent Holder Oy"})
	f.patent("EP1234567B1", owner)
	free := f.company(licensing.Company{Name: "Short-lived GmbH"})
	b := signedIn(t, app, "editor@example.com", auth.RoleEditor)

	t.Run("AsksFirst", func(t *testing.T) {
		doc := parseHTML(t, b.get(companyPath(free)+"/delete"))
		if !strings.Contains(testid(doc, "confirm-delete").Text(), "Short-lived GmbH") {
			t.Error("the confirmation does not name the company")
		}
		if action, _ := testid(doc, "confirm-delete").Find("form").Attr("action"); action != companyPath(free)+"/delete" {
			t.Errorf("confirmation posts to %q", action)
		}
	})
	for _, tc := range []struct {
		name    string
		company *licensing.Company
		reason  string
	}{
		{"RefusedWhileSubsidiaryRefers", parent, "refused-subsidiaries"},
		{"RefusedWhileOwningPatents", owner, "refused-patents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(companyPath(tc.company)+"/delete", url.Values{})
			wantStatus(t, res, http.StatusConflict)
			doc := parseHTML(t, res)
			msg := testid(doc, "delete-refused")
			if !strings.Contains(msg.Text(), tc.company.Name) || testid(doc, tc.reason).Length() != 1 {
				t.Errorf("refusal reads %q, want the company and the %s", strings.Join(strings.Fields(msg.Text()), " "), tc.reason)
			}
			if got := testid(doc, "company-title").Text(); got != tc.company.Name {
				t.Errorf("refusal shown on %q, want the company's page", got)
			}
			wantStatus(t, b.get(companyPath(tc.company)), http.StatusOK)
		})
	}
	t.Run("DeletesWhatNothingReferences", func(t *testing.T) {
		res := b.post(companyPath(free)+"/delete", url.Values{})
		wantRedirect(t, res, "/companies")
		doc := parseHTML(t, b.get("/companies"))
		if !strings.Contains(testid(doc, "flash").Text(), "Short-lived GmbH") {
			t.Error("no flash naming the deleted company")
		}
		if slices.Contains(texts(testid(doc, "company-name")), "Short-lived GmbH") {
			t.Error("the deleted company is still listed")
		}
		wantStatus(t, b.get(companyPath(free)), http.StatusNotFound)
	})
}

func TestCompanyViewerReadsOnly(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	nokia := f.company(licensing.Company{Name: "Nokia Corporation"})
	b := signedIn(t, app, "viewer@example.com", auth.RoleViewer)

	doc := parseHTML(t, b.get("/companies"))
	if testid(doc, "new-company").Length() != 0 {
		t.Error("a viewer sees the New company button")
	}
	doc = parseHTML(t, b.get(companyPath(nokia)))
	if testid(doc, "company-actions").Length() != 0 {
		t.Error("a viewer sees Edit and Delete")
	}
	for _, path := range []string{"/companies/new", companyPath(nokia) + "/edit", companyPath(nokia) + "/delete"} {
		wantStatus(t, b.get(path), http.StatusForbidden)
	}
	for _, path := range []string{"/companies", companyPath(nokia), companyPath(nokia) + "/delete"} {
		wantStatus(t, b.post(path, url.Values{"name": {"Taken Over"}}), http.StatusForbidden)
	}
	if c, _ := app.db.Company(context.Background(), nokia.ID); c == nil || c.Name != "Nokia Corporation" {
		t.Errorf("after a viewer's posts the company is %+v", c)
	}
}

func TestCompanyExport(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	d := licensing.MustDate
	nokia := f.company(licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia", Country: "FI", Aliases: []string{"NOKIA CORP", "=cmd"}})
	f.company(licensing.Company{Name: "Nokia Technologies Oy", Country: "FI", ParentID: nokia.ID,
		ControlFrom: d("2015-02-01"), ControlTo: d("2030-12-31"), Aliases: []string{"NOKIA TECHNOLOGIES OY [FI]"}})
	f.company(licensing.Company{Name: "Xiaomi Corporation", Country: "CN"})
	b := signedIn(t, app, "viewer@example.com", auth.RoleViewer)

	export := func(t *testing.T, query string) []csvio.CompanyRecord {
		t.Helper()
		res := b.get("/companies.csv" + query)
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		body, _ := io.ReadAll(res.Body)
		r, err := csvio.ReadCompanies(strings.NewReader(string(body)), csvio.Options{})
		if err != nil || len(r.Errors) > 0 {
			t.Fatalf("export does not read back: %v %v\n%s", err, r.Errors, body)
		}
		for i := range r.Companies {
			r.Companies[i].Line = 0
		}
		return r.Companies
	}
	t.Run("ReimportsUnchanged", func(t *testing.T) {
		got := export(t, "")
		var want []csvio.CompanyRecord
		names := map[int64]string{}
		list, _, _ := app.db.Companies(context.Background(), sqlite.CompanyFilter{})
		for _, c := range list {
			names[c.ID] = c.Name
		}
		for _, c := range list {
			want = append(want, csvio.CompanyRecordOf(c, names[c.ParentID]))
		}
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("re-imported export:\n%+v\nwant the stored companies:\n%+v", got, want)
		}
	})
	t.Run("HonoursSearch", func(t *testing.T) {
		got := export(t, "?q=technologies&sep=semicolon&bom=1")
		if len(got) != 1 || got[0].Name != "Nokia Technologies Oy" || got[0].Parent != "Nokia Corporation" ||
			got[0].ControlFrom != "2015-02-01" {
			t.Errorf("export of q=technologies = %+v, want Nokia Technologies Oy with its parent and control", got)
		}
	})
}

func TestCompanyListPages(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	for i := range companiesPerPage + 3 {
		f.company(licensing.Company{Name: fmt.Sprintf("Company %03d", i)})
	}
	b := signedIn(t, app, "viewer@example.com", auth.RoleViewer)
	doc := parseHTML(t, b.get("/companies"))
	if n := testid(doc, "company-row").Length(); n != companiesPerPage {
		t.Fatalf("first page has %d rows, want %d", n, companiesPerPage)
	}
	if testid(doc, "first-page").Length() != 0 {
		t.Error("the first page links to the first page")
	}
	next, ok := testid(doc, "next-page").Attr("href")
	if !ok {
		t.Fatal("no link to the next page")
	}
	doc = parseHTML(t, b.get(next))
	if got := texts(testid(doc, "company-name")); !slices.Equal(got, []string{"Company 050", "Company 051", "Company 052"}) {
		t.Errorf("second page = %q", got)
	}
	if testid(doc, "next-page").Length() != 0 || testid(doc, "first-page").Length() != 1 {
		t.Error("the last page should link to the first and to no next page")
	}
}

func TestCompanyPagesInGerman(t *testing.T) {
	app := newTestApp(t)
	f := companyFixtures{t, app}
	parent := f.company(licensing.Company{Name: "Nokia Corporation"})
	f.company(licensing.Company{Name: "Nokia Technologies Oy", ParentID: parent.ID, ControlFrom: licensing.MustDate("2015-02-01")})
	b := app.browser()
	b.lang = "de"
	b.mustSignIn(app.addUser("redakteur@example.com", auth.RoleEditor))

	doc := parseHTML(t, b.get("/companies"))
	if got := strings.TrimSpace(testid(doc, "new-company").Text()); got != "Neues Unternehmen" {
		t.Errorf("New company button reads %q in German", got)
	}
	if got := texts(testid(doc, "companies").Find("th")); got[0] != "Firma" || got[3] != "Muttergesellschaft" {
		t.Errorf("German column headers = %q", got)
	}
	doc = parseHTML(t, b.get(companyPath(parent)))
	if got := texts(testid(doc, "subsidiary")); len(got) != 1 || !strings.Contains(got[0], "seit 01.02.2015") || !strings.Contains(got[0], "besteht") {
		t.Errorf("German subsidiary line = %q, want the German date and state", got)
	}
	res := b.post("/companies", url.Values{"name": {""}, "control_from": {"2015-13-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = parseHTML(t, res)
	if got := testid(doc, "error-control_from").Text(); !strings.Contains(got, "kein gültiges Datum") {
		t.Errorf("German date error = %q", got)
	}
}

// TestBrowserCompanies walks an editor's company journey in Chromium:
// the empty list, a new subsidiary with its parent and control date, its
// page with the corporate tree, the German list, and a refused delete.
func TestBrowserCompanies(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("editor@example.com", auth.RoleEditor)
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	err := chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/companies"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="companies-empty"]`)),
		screenshot(dir, "companies-01-empty"),
	)
	if err != nil {
		t.Fatalf("sign in to the companies list: %v (screenshots in %s)", err, dir)
	}
	f := companyFixtures{t, app}
	nokia := f.company(licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia", Country: "FI", Aliases: []string{"NOKIA CORP"}})
	f.patent("EP1234567B1", nokia)
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/companies/new"),
		chromedp.WaitVisible(css(`[data-testid="company-form"]`)),
		chromedp.SendKeys(css(`#name`), "Nokia Technologies Oy"),
		chromedp.SendKeys(css(`#country`), "fi"),
		chromedp.SetValue(css(`#parent`), strconv.FormatInt(nokia.ID, 10)),
		chromedp.SetValue(css(`#control_from`), "2015-02-01"),
		chromedp.SendKeys(css(`#aliases`), "NOKIA TECHNOLOGIES OY\nNokia Tech"),
		screenshot(dir, "companies-02-form"),
		chromedp.Click(css(`[data-testid="save-company"]`)),
		chromedp.WaitVisible(css(`[data-testid="corporate-tree"]`)),
		screenshot(dir, "companies-03-subsidiary"),
		chromedp.Click(css(`[data-testid="parent-link"] a`)),
		chromedp.WaitVisible(css(`[data-testid="subsidiary"]`)),
		screenshot(dir, "companies-04-parent"),
		chromedp.Click(css(`[data-testid="delete-company"]`)),
		chromedp.WaitVisible(css(`[data-testid="confirm-delete"]`)),
		screenshot(dir, "companies-05-confirm"),
		chromedp.Click(css(`[data-testid="confirm-delete-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="delete-refused"]`)),
		screenshot(dir, "companies-06-refused"),
		chromedp.Navigate(app.http.URL+"/companies"),
		chromedp.WaitVisible(css(`[data-testid="companies"]`)),
		chromedp.Click(css(`[data-testid="switch-locale"]`)),
		chromedp.WaitVisible(css(`html[lang="de"] [data-testid="companies"]`)),
		screenshot(dir, "companies-07-list-de"),
	)
	if err != nil {
		t.Fatalf("company journey: %v (screenshots in %s)", err, dir)
	}
	subs, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="companies"]`)))
	if !strings.Contains(subs, "Nokia Technologies Oy") {
		t.Errorf("the new subsidiary is not listed: %q", subs)
	}
	for _, line := range consoleProblems() {
		if !strings.Contains(line, "409 (Conflict)") { // the refused delete, answered as it should be
			t.Errorf("browser console: %s", line)
		}
	}
}
