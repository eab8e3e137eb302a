package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// auditFixture is a small history: two editors each create a company on
// 2026-11-21; Alice changes hers in the last minute of 2026-11-22, Bob his
// at midnight that starts 2026-11-23.
type auditFixture struct {
	app          *testApp
	admin        *auth.User
	alice, bob   *auth.User
	alpha, beta  *licensing.Company
	aliceAddress string
}

func newAuditFixture(t *testing.T) *auditFixture {
	t.Helper()
	ctx := context.Background()
	app := newTestApp(t)
	f := &auditFixture{app: app, admin: app.addUser("admin@example.com", auth.RoleAdmin),
		alice: app.addUser("alice@example.com", auth.RoleEditor), bob: app.addUser("bob@example.com", auth.RoleEditor),
		aliceAddress: "192.0.2.10"}
	asAlice := sqlite.Actor{UserID: f.alice.ID, Email: f.alice.Email, Via: sqlite.ViaWeb, Address: f.aliceAddress}
	asBob := sqlite.Actor{UserID: f.bob.ID, Email: f.bob.Email, Via: sqlite.ViaWeb, Address: "192.0.2.20"}
	f.alpha = &licensing.Company{Name: "Alpha Oy", ShortName: "A"}
	f.beta = &licensing.Company{Name: "Beta Ltd", ShortName: "B"}
	for _, c := range []struct {
		actor   sqlite.Actor
		company *licensing.Company
	}{{asAlice, f.alpha}, {asBob, f.beta}} {
		if err := app.db.CreateCompany(ctx, c.actor, c.company); err != nil {
			t.Fatal(err)
		}
	}
	app.clock.Advance(24*time.Hour + 14*time.Hour + 59*time.Minute + 30*time.Second) // 2026-11-22 23:59:30
	f.alpha.ShortName = "Alfa"
	if err := app.db.UpdateCompany(ctx, asAlice, f.alpha); err != nil {
		t.Fatal(err)
	}
	app.clock.Advance(30 * time.Second) // 2026-11-23 00:00:00
	f.beta.ShortName = "Beta"
	if err := app.db.UpdateCompany(ctx, asBob, f.beta); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *auditFixture) browser(t *testing.T, u *auth.User) *browser {
	t.Helper()
	b := f.app.browser()
	b.mustSignIn(u)
	return b
}

// auditRows reads the trail's rows from a page.
func auditRows(doc *goquery.Document) *goquery.Selection { return testid(doc, "audit-row") }

// auditTexts returns the whitespace-normalized text of each selected element.
func auditTexts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.Join(strings.Fields(s.Text()), " ")) })
	return out
}

func auditID(n int64) string { return strconv.FormatInt(n, 10) }

func TestAuditTrailFilters(t *testing.T) {
	f := newAuditFixture(t)
	b := f.browser(t, f.admin)

	t.Run("ByUserShowsOnlyTheirChanges", func(t *testing.T) {
		res := b.get("/admin/audit?user=" + auditID(f.alice.ID))
		wantStatus(t, res, http.StatusOK)
		doc := parseHTML(t, res)
		actors := auditTexts(testid(doc, "audit-actor"))
		if len(actors) != 2 {
			t.Fatalf("%d rows by Alice (%v), want her creation and her change", len(actors), actors)
		}
		for _, a := range actors {
			if a != f.alice.Email {
				t.Errorf("row by %q in Alice's filter", a)
			}
		}
		if got := auditTexts(testid(doc, "audit-address")); got[0] != f.aliceAddress {
			t.Errorf("address shown as %q, want %s", got[0], f.aliceAddress)
		}
		if sel, _ := testid(doc, "filter-user").Find("option[selected]").Attr("value"); sel != auditID(f.alice.ID) {
			t.Errorf("user filter shows %q selected after filtering", sel)
		}
	})
	t.Run("BySystemActor", func(t *testing.T) {
		doc := parseHTML(t, b.get("/admin/audit?user=system"))
		actors := auditTexts(testid(doc, "audit-actor"))
		if len(actors) != 3 {
			t.Fatalf("%d rows by the system (%v), want the three accounts it created", len(actors), actors)
		}
		if actors[0] != "System" {
			t.Errorf("system actor shown as %q", actors[0])
		}
	})
	t.Run("ByEntity", func(t *testing.T) {
		doc := parseHTML(t, b.get("/admin/audit?entity=company"))
		entities := auditTexts(testid(doc, "audit-entity"))
		if len(entities) != 4 {
			t.Fatalf("%d company rows (%v), want 4", len(entities), entities)
		}
		for _, e := range entities {
			if !strings.HasPrefix(e, "Company ") {
				t.Errorf("entity %q in the company filter", e)
			}
		}
	})
	t.Run("ByRecordLinksToIt", func(t *testing.T) {
		doc := parseHTML(t, b.get("/admin/audit?entity=company&entity_id="+auditID(f.alpha.ID)))
		if n := auditRows(doc).Length(); n != 2 {
			t.Fatalf("%d rows for Alpha, want 2", n)
		}
		want := "/companies/" + auditID(f.alpha.ID)
		testid(doc, "audit-entity-link").Each(func(_ int, s *goquery.Selection) {
			if href, _ := s.Attr("href"); href != want {
				t.Errorf("entity links to %q, want %s", href, want)
			}
		})
	})
	t.Run("DateRangeInclusiveAtBothEnds", func(t *testing.T) {
		doc := parseHTML(t, b.get("/admin/audit?entity=company&from=2026-11-22&to=2026-11-22"))
		got := auditTexts(testid(doc, "audit-actor"))
		if !slices.Equal(got, []string{f.alice.Email}) {
			t.Errorf("22 November shows changes by %v, want only Alice's at 23:59:30 (Bob's at midnight is the 23rd)", got)
		}
		doc = parseHTML(t, b.get("/admin/audit?entity=company&from=2026-11-21&to=2026-11-22"))
		if n := auditRows(doc).Length(); n != 3 {
			t.Errorf("21–22 November shows %d rows, want both creations and Alice's change", n)
		}
		doc = parseHTML(t, b.get("/admin/audit?entity=company&from=2026-11-23"))
		if got := auditTexts(testid(doc, "audit-actor")); !slices.Equal(got, []string{f.bob.Email}) {
			t.Errorf("from 23 November shows %v, want Bob's change", got)
		}
	})
	t.Run("EndBeforeStartExplained", func(t *testing.T) {
		res := b.get("/admin/audit?from=2026-11-23&to=2026-11-22")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		if msg := testid(doc, "error-to").Text(); msg == "" {
			t.Error("no message at the end date")
		}
		if auditRows(doc).Length() != 0 {
			t.Error("rows shown for an impossible range")
		}
		if v, _ := testid(doc, "filter-from").Attr("value"); v != "2026-11-23" {
			t.Errorf("start date not kept: %q", v)
		}
	})
	t.Run("BadFiltersExplained", func(t *testing.T) {
		for _, q := range []string{"user=999", "entity=contract", "entity_id=5", "from=yesterday"} {
			res := b.get("/admin/audit?" + q)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if testid(parseHTML(t, res), "audit-invalid").Length() != 1 {
				t.Errorf("%s: no explanation", q)
			}
		}
	})
}

func TestAuditTrailShowsChanges(t *testing.T) {
	f := newAuditFixture(t)
	b := f.browser(t, f.admin)
	doc := parseHTML(t, b.get("/admin/audit?entity=company&entity_id="+auditID(f.alpha.ID)))
	row := auditRows(doc).First() // newest first: the change
	if got := strings.TrimSpace(testid(doc, "audit-action").First().Text()); got != "Company changed" {
		t.Errorf("action %q, want Company changed", got)
	}
	var found bool
	row.Find(`[data-testid="audit-change"]`).Each(func(_ int, s *goquery.Selection) {
		before := s.Find(`[data-testid="audit-before"]`).Text()
		after := s.Find(`[data-testid="audit-after"]`).Text()
		if before == "A" && after == "Alfa" {
			found = true
		}
	})
	if !found {
		t.Errorf("the change does not show the short name A → Alfa: %v", auditTexts(row.Find(`[data-testid="audit-change"]`)))
	}
	if at, _ := row.Find(`[data-testid="audit-at"]`).Attr("datetime"); at != "2026-11-22T23:59:30Z" {
		t.Errorf("time %q, want 2026-11-22T23:59:30Z", at)
	}
	if got := strings.TrimSpace(row.Find(`[data-testid="audit-at"]`).Text()); got != "2026-11-22 23:59" {
		t.Errorf("time shown as %q", got)
	}
	if via := strings.TrimSpace(row.Find(`[data-testid="audit-via"]`).Text()); via != "web" {
		t.Errorf("via shown as %q", via)
	}
}

func TestAuditTrailPaging(t *testing.T) {
	app := newTestApp(t)
	admin := app.addUser("admin@example.com", auth.RoleAdmin)
	ctx := context.Background()
	for i := range 2*auditPerPage + 7 {
		err := app.db.RecordEvent(ctx, sqlite.CLIActor(), sqlite.Change{Action: "settings.demo", Entity: "settings", EntityID: auditID(int64(i))})
		if err != nil {
			t.Fatal(err)
		}
	}
	b := app.browser()
	b.mustSignIn(admin)
	var want []int64
	if err := app.db.EachAudit(ctx, sqlite.AuditFilter{}, func(e sqlite.AuditEntry) error {
		want = append(want, e.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	var got []int64
	path, pages := "/admin/audit", 0
	for path != "" {
		res := b.get(path)
		wantStatus(t, res, http.StatusOK)
		doc := parseHTML(t, res)
		auditRows(doc).Each(func(_ int, s *goquery.Selection) {
			n, _ := strconv.ParseInt(s.AttrOr("data-id", ""), 10, 64)
			got = append(got, n)
		})
		if pages++; pages > 1 && testid(doc, "first-page").Length() != 1 {
			t.Errorf("page %d has no link to the first page", pages)
		}
		path = testid(doc, "next-page").AttrOr("href", "")
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 {
		t.Errorf("%d pages for %d rows", pages, len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages list %d rows, want each of the %d once, newest first", len(got), len(want))
	}
}

func TestAuditExport(t *testing.T) {
	f := newAuditFixture(t)
	b := f.browser(t, f.admin)

	page := parseHTML(t, b.get("/admin/audit?user="+auditID(f.bob.ID)+"&entity=company"))
	export := testid(page, "export").Find("form")
	if action, _ := export.Attr("action"); action != "/admin/audit.csv" {
		t.Fatalf("export form posts to %q", action)
	}
	params := map[string]string{}
	export.Find(`input[type=hidden]`).Each(func(_ int, s *goquery.Selection) { params[s.AttrOr("name", "")] = s.AttrOr("value", "") })
	if params["user"] != auditID(f.bob.ID) || params["entity"] != "company" {
		t.Errorf("export form carries %v, want the page's filters", params)
	}

	res := b.get("/admin/audit.csv?user=" + auditID(f.bob.ID) + "&entity=company&to=2026-11-22")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	records, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"at", "actor", "via", "address", "action", "entity", "entity_id", "details"}; !slices.Equal(records[0], want) {
		t.Errorf("header %v, want %v", records[0], want)
	}
	if len(records) != 2 {
		t.Fatalf("%d rows, want only Bob's company creation (his change is on the 23rd)", len(records)-1)
	}
	r := records[1]
	if r[0] != "2026-11-21T09:00:00Z" || r[1] != f.bob.Email || r[2] != "web" || r[3] != "192.0.2.20" ||
		r[4] != "company.create" || r[5] != "company" || r[6] != auditID(f.beta.ID) {
		t.Errorf("row %v", r)
	}
	var details map[string]any
	if err := json.Unmarshal([]byte(r[7]), &details); err != nil || details["after"] == nil {
		t.Errorf("details %q are not the recorded JSON: %v", r[7], err)
	}

	wantStatus(t, b.get("/admin/audit.csv?from=2026-11-23&to=2026-11-01"), http.StatusUnprocessableEntity)
}

func TestAuditForbiddenToOthers(t *testing.T) {
	app := newTestApp(t)
	for _, role := range []auth.Role{auth.RoleEditor, auth.RoleViewer} {
		u := app.addUser(string(role)+"@example.com", role)
		b := app.browser()
		b.mustSignIn(u)
		for _, path := range []string{"/admin/audit", "/admin/audit.csv"} {
			t.Run(string(role)+path, func(t *testing.T) {
				wantStatus(t, b.get(path), http.StatusForbidden)
			})
		}
	}
}

func TestAuditTrailGerman(t *testing.T) {
	f := newAuditFixture(t)
	b := f.app.browser()
	b.lang = "de-DE,de;q=0.9"
	b.mustSignIn(f.admin)
	doc := parseHTML(t, b.get("/admin/audit?entity=company"))
	if h := strings.TrimSpace(testid(doc, "audit-title").Text()); h != "Änderungsprotokoll" {
		t.Errorf("heading %q, want Änderungsprotokoll", h)
	}
	if th := strings.TrimSpace(testid(doc, "audit-table").Find("th").First().Text()); th != "Zeitpunkt (UTC)" {
		t.Errorf("first column %q, want Zeitpunkt (UTC)", th)
	}
	if a := strings.TrimSpace(testid(doc, "audit-action").Last().Text()); a != "Unternehmen angelegt" {
		t.Errorf("oldest action %q, want Unternehmen angelegt", a)
	}
	if at := strings.TrimSpace(testid(doc, "audit-at").First().Text()); at != "23.11.2026 00:00" {
		t.Errorf("time shown as %q, want 23.11.2026 00:00", at)
	}
}

func TestAdminTabs(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("admin@example.com", auth.RoleAdmin))
	users := parseHTML(t, b.get("/admin"))
	if testid(users, "admin-tabs").Find(`a[href="/admin/audit"]`).Length() != 1 {
		t.Error("the users page does not lead to the audit trail")
	}
	audit := parseHTML(t, b.get("/admin/audit"))
	if testid(audit, "admin-tabs").Find(`a[href="/admin"]`).Length() != 1 {
		t.Error("the audit trail does not lead back to the users")
	}
	if cur := strings.TrimSpace(testid(audit, "admin-tabs").Find(`[aria-current="page"]`).Text()); cur != "Audit trail" {
		t.Errorf("current tab %q", cur)
	}
}

func TestHistoryShowsWholeNumbers(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"DocumentSize", 3e6, "3000000"},
		{"OddSize", float64(3_000_001), "3000001"},
		{"Fraction", 0.25, "0.25"},
		{"Negative", float64(-12), "-12"},
		{"Zero", float64(0), "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auditValue(tt.value); got != tt.want {
				t.Errorf("auditValue(%v) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
	t.Run("AgreementHistoryOfAnUpload", func(t *testing.T) {
		w := newPartWorld(t)
		b := w.as(w.editor)
		res := b.uploadDocument(w.path("/agreements/%d/documents", w.deal.ID), "scan.tiff", bytes.Repeat([]byte{'x'}, 3_000_000), true)
		wantRedirect(t, res, "/agreements/")
		doc := parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID)))
		var sizes []string
		testid(doc, "history-entry").First().Find(`[data-testid="history-change"]`).Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Find("th").Text()) == "Size" {
				sizes = append(sizes, s.Find(".after").Text())
			}
		})
		if len(sizes) != 1 || sizes[0] != "3000000" {
			t.Errorf("the history shows the size as %q, want 3000000", sizes)
		}
	})
}

// TestAuditTrailAgreements: an agreement's changes (its terms, grants,
// assignments, obligations and documents are audited under it) can be
// picked out in the trail, read as "Agreement" / "Vertrag" and link to
// the agreement.
func TestAuditTrailAgreements(t *testing.T) {
	app := newDashboardDemo(t)
	admin := app.addUser("auditor@example.org", auth.RoleAdmin)
	for _, tc := range []struct{ lang, name string }{{"en", "Agreement"}, {"de", "Vertrag"}} {
		t.Run(tc.lang, func(t *testing.T) {
			b := app.browser()
			b.lang = tc.lang
			b.mustSignIn(admin)
			res := b.get("/admin/audit?entity=agreement")
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			if got := doc.Find(`select[name="entity"] option[value="agreement"]`).Text(); got != tc.name {
				t.Errorf("the filter offers agreements as %q, want %q", got, tc.name)
			}
			rows := auditRows(doc)
			if rows.Length() == 0 {
				t.Fatal("no agreement changes listed for the demo's agreements")
			}
			rows.Each(func(i int, r *goquery.Selection) {
				link := r.Find(`[data-testid="audit-entity-link"]`)
				text := strings.Fields(link.Text())
				href := link.AttrOr("href", "")
				if len(text) != 2 || text[0] != tc.name || href != "/agreements/"+text[1] {
					t.Errorf("row %d: entity %q links to %q", i, text, href)
				}
			})
		})
	}
}
