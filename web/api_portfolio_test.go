package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// portfolioWorld is the agreements' test world with an editor's and a
// viewer's API client. Its clock stands still, so the rate limit, which
// would never refill, is lifted.
type portfolioWorld struct {
	*agreementWorld
	api, viewer *apiClient
}

func newPortfolioWorld(t *testing.T) *portfolioWorld {
	t.Helper()
	w := &portfolioWorld{agreementWorld: newAgreementWorld(t)}
	w.app.srv.apiLimits = newAPILimiter(0, 0)
	w.api = w.app.apiClient("editor@example.com", auth.RoleEditor)
	w.viewer = w.app.apiClient("viewer@example.com", auth.RoleViewer)
	return w
}

// auditRows counts the rows of the audit trail, to show that a refused
// request wrote nothing.
func auditCount(t *testing.T, app *testApp) int {
	t.Helper()
	rows, err := app.db.RecentAudit(context.Background(), 100_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// wantAPIAudit checks the newest audit row: its action, that it came
// through the API and names the token's user.
func wantAPIAudit(t *testing.T, app *testApp, action, email string) sqlite.AuditEntry {
	t.Helper()
	rows, err := app.db.RecentAudit(context.Background(), 1)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no audit row: %v", err)
	}
	e := rows[0]
	if e.Action != action || e.Via != sqlite.ViaAPI || e.Actor != email {
		t.Fatalf("audit row %s via %s by %s, want %s via api by %s", e.Action, e.Via, e.Actor, action, email)
	}
	return e
}

func orNull(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func apiCompanyPath(ref string) string { return "/api/v1/companies/" + url.PathEscape(ref) }
func apiPatentPath(ref string) string  { return "/api/v1/patents/" + url.PathEscape(ref) }

func TestAPICompanyCreate(t *testing.T) {
	w := newPortfolioWorld(t)
	var co companyJSON
	w.api.call(http.MethodPost, "/api/v1/companies", map[string]any{
		"name": "Nokia Solutions and Networks Oy", "short_name": "Nokia Networks", "country": "fi",
		"parent": "Nokia Corporation", "control_from": "2013-08-07", "aliases": []string{"NOKIA SOLUTIONS & NETWORKS OY"},
	}, http.StatusCreated, &co)
	if co.ID == 0 || co.Name != "Nokia Solutions and Networks Oy" || orNull(co.ShortName) != "Nokia Networks" || orNull(co.Country) != "FI" ||
		orNull(co.Parent) != "Nokia Corporation" || co.ParentID == nil || *co.ParentID != w.nokia.ID ||
		orNull(co.ControlFrom) != "2013-08-07" || co.ControlTo != nil || !slices.Equal(co.Aliases, []string{"NOKIA SOLUTIONS & NETWORKS OY"}) {
		t.Fatalf("created %+v", co)
	}
	wantAPIAudit(t, w.app, "company.create", "editor@example.com")
	var again companyJSON
	w.api.get(apiCompanyPath(strconv.FormatInt(co.ID, 10)), http.StatusOK, &again)
	if again.Name != co.Name || orNull(again.Parent) != "Nokia Corporation" {
		t.Fatalf("GET answers %+v", again)
	}

	t.Run("ParentByNumericIDAndNameWithSlash", func(t *testing.T) {
		api := w.api.in(t)
		var dk companyJSON
		api.call(http.MethodPost, "/api/v1/companies", `{"name": "Nokia Danmark A/S", "parent": `+strconv.FormatInt(w.nokia.ID, 10)+`}`,
			http.StatusCreated, &dk)
		if orNull(dk.Parent) != "Nokia Corporation" || dk.ShortName != nil || dk.Country != nil || dk.Aliases == nil {
			t.Fatalf("created %+v", dk)
		}
		var byName companyJSON
		api.get(apiCompanyPath("Nokia Danmark A/S"), http.StatusOK, &byName)
		if byName.ID != dk.ID {
			t.Fatalf("by name: %+v", byName)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		other := &licensing.Company{Name: "Nokia Holdings Oy", ShortName: "nokia"}
		w.company(other) // a second short name "Nokia"
		for _, tc := range []struct {
			name   string
			body   any
			status int
			code   string
			field  string
		}{
			{"MalformedJSON", `{"name": `, http.StatusBadRequest, "invalid", ""},
			{"NotAnObject", `["Acme Oy"]`, http.StatusUnprocessableEntity, "invalid", "body"},
			{"NameOfWrongType", `{"name": 5}`, http.StatusUnprocessableEntity, "invalid", "name"},
			{"UnknownField", `{"name": "Acme Oy", "website": "acme.fi"}`, http.StatusUnprocessableEntity, "invalid", "website"},
			{"NameMissing", `{"short_name": "Acme"}`, http.StatusUnprocessableEntity, "invalid", "name"},
			{"DateUnreadable", `{"name": "Acme Oy", "parent": "Nokia Corporation", "control_from": "2013-13-01"}`, http.StatusUnprocessableEntity, "invalid", "control_from"},
			{"ControlEndsBeforeStart", `{"name": "Acme Oy", "parent": "Nokia Corporation", "control_from": "2013-01-01", "control_to": "2012-01-01"}`, http.StatusUnprocessableEntity, "invalid", "control_to"},
			{"ParentUnknown", `{"name": "Acme Oy", "parent": "Nobody Inc."}`, http.StatusUnprocessableEntity, "invalid", "parent"},
			{"ParentUnknownID", `{"name": "Acme Oy", "parent": 999999}`, http.StatusUnprocessableEntity, "invalid", "parent"},
			{"ParentOfWrongType", `{"name": "Acme Oy", "parent": true}`, http.StatusUnprocessableEntity, "invalid", "parent"},
			{"ParentAmbiguous", `{"name": "Acme Oy", "parent": "Nokia"}`, http.StatusUnprocessableEntity, "invalid", "parent"},
			{"ControlWithoutParent", `{"name": "Acme Oy", "control_from": "2013-01-01"}`, http.StatusUnprocessableEntity, "invalid", "control_from"},
			{"CountryInvalid", `{"name": "Acme Oy", "country": "Finland"}`, http.StatusUnprocessableEntity, "invalid", "country"},
			{"AliasesNotAList", `{"name": "Acme Oy", "aliases": "ACME"}`, http.StatusUnprocessableEntity, "invalid", "aliases"},
			{"AliasEmpty", `{"name": "Acme Oy", "aliases": [" "]}`, http.StatusUnprocessableEntity, "invalid", "aliases"},
			{"NameTaken", `{"name": "Nokia Corporation"}`, http.StatusConflict, "conflict", "name"},
			{"AliasTaken", `{"name": "Acme Oy", "aliases": ["Beijing Xiaomi Mobile Software"]}`, http.StatusConflict, "conflict", "aliases"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				api := w.api.in(t)
				before := auditCount(t, w.app)
				var fields []string
				if tc.field != "" {
					fields = append(fields, tc.field)
				}
				e := api.wantError(http.MethodPost, "/api/v1/companies", tc.body, tc.status, tc.code, fields...)
				if tc.name == "ParentAmbiguous" && (!strings.Contains(e.Error.Fields["parent"], "Nokia Corporation") ||
					!strings.Contains(e.Error.Fields["parent"], "Nokia Holdings Oy")) {
					t.Fatalf("the message lists no candidates: %q", e.Error.Fields["parent"])
				}
				if after := auditCount(t, w.app); after != before {
					t.Fatalf("a refused create wrote %d audit rows", after-before)
				}
				if _, err := w.app.db.CompanyByName(context.Background(), "Acme Oy"); err == nil {
					t.Fatal("a refused create stored the company")
				}
			})
		}
	})

	t.Run("ViewerMayNotCreate", func(t *testing.T) {
		w.viewer.in(t).wantError(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Acme Oy"}, http.StatusForbidden, "forbidden")
	})
	t.Run("WithoutTokenUnauthorized", func(t *testing.T) {
		anon := &apiClient{t: t, app: w.app}
		anon.wantError(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Acme Oy"}, http.StatusUnauthorized, "unauthorized")
	})
}

func TestAPICompanyShow(t *testing.T) {
	w := newPortfolioWorld(t)
	w.company(&licensing.Company{Name: "Nokia Holdings Oy", ShortName: "Nokia"})
	for _, tc := range []struct {
		name, ref string
		want      int64
	}{
		{"ByID", strconv.FormatInt(w.xiaomi.ID, 10), w.xiaomi.ID},
		{"ByLegalName", "Xiaomi Corporation", w.xiaomi.ID},
		{"ByAlias", "Beijing Xiaomi Mobile Software", w.xiaomi.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := w.api.in(t)
			var co companyJSON
			api.get(apiCompanyPath(tc.ref), http.StatusOK, &co)
			if co.ID != tc.want || co.Name != "Xiaomi Corporation" || !slices.Equal(co.Aliases, []string{"Beijing Xiaomi Mobile Software"}) ||
				co.Parent != nil || co.ParentID != nil {
				t.Fatalf("got %+v", co)
			}
		})
	}
	t.Run("ByUniqueShortName", func(t *testing.T) {
		signify := w.company(&licensing.Company{Name: "Signify N.V.", ShortName: "Signify"})
		var co companyJSON
		w.api.in(t).get(apiCompanyPath("signify"), http.StatusOK, &co)
		if co.ID != signify.ID {
			t.Fatalf("got %+v", co)
		}
	})
	t.Run("WithParent", func(t *testing.T) {
		var co companyJSON
		w.viewer.in(t).get(apiCompanyPath("Nokia Technologies Oy"), http.StatusOK, &co)
		if orNull(co.Parent) != "Nokia Corporation" || *co.ParentID != w.nokia.ID {
			t.Fatalf("got %+v", co)
		}
	})
	t.Run("UnknownIsNotFound", func(t *testing.T) {
		api := w.api.in(t)
		api.wantError(http.MethodGet, apiCompanyPath("Nobody Inc."), nil, http.StatusNotFound, "not_found")
		api.wantError(http.MethodGet, apiCompanyPath("999999"), nil, http.StatusNotFound, "not_found")
	})
	t.Run("AmbiguousIsConflict", func(t *testing.T) {
		e := w.api.in(t).wantError(http.MethodGet, apiCompanyPath("Nokia"), nil, http.StatusConflict, "conflict")
		if !strings.Contains(e.Error.Message, "Nokia Holdings Oy") || !strings.Contains(e.Error.Message, "Nokia Corporation") {
			t.Fatalf("the message lists no candidates: %q", e.Error.Message)
		}
	})
}

// companyNamesOf lists the names of a page of companies.
func companyNamesOf(page listPage[companyJSON]) []string {
	var out []string
	for _, co := range page.Items {
		out = append(out, co.Name)
	}
	return out
}

func TestAPICompanyList(t *testing.T) {
	w := newPortfolioWorld(t)
	all := []string{"Apple Inc.", "HMD Global Oy", "Inter IKEA Systems B.V.", "Nokia Corporation", "Nokia Technologies Oy", "Xiaomi Corporation"}

	t.Run("Everything", func(t *testing.T) {
		var page listPage[companyJSON]
		w.viewer.in(t).get("/api/v1/companies", http.StatusOK, &page)
		if !slices.Equal(companyNamesOf(page), all) || page.Next != nil {
			t.Fatalf("got %v next %v", companyNamesOf(page), page.Next)
		}
		if orNull(page.Items[4].Parent) != "Nokia Corporation" {
			t.Fatalf("Nokia Technologies Oy has parent %s", orNull(page.Items[4].Parent))
		}
	})
	t.Run("Search", func(t *testing.T) {
		for q, want := range map[string][]string{
			"xiaomi": {"Xiaomi Corporation"}, "Beijing": {"Xiaomi Corporation"}, "nokia": {"Nokia Corporation", "Nokia Technologies Oy"},
			"nothing like it": nil,
		} {
			var page listPage[companyJSON]
			w.api.in(t).get("/api/v1/companies?q="+url.QueryEscape(q), http.StatusOK, &page)
			if !slices.Equal(companyNamesOf(page), want) || page.Items == nil {
				t.Fatalf("q=%s: %v", q, companyNamesOf(page))
			}
		}
	})
	t.Run("PagesStableUnderInserts", func(t *testing.T) {
		api := w.api.in(t)
		var p1, p2, p3 listPage[companyJSON]
		api.get("/api/v1/companies?limit=2", http.StatusOK, &p1)
		if !slices.Equal(companyNamesOf(p1), all[:2]) || p1.Next == nil {
			t.Fatalf("page 1: %v next %v", companyNamesOf(p1), p1.Next)
		}
		// A company sorted before the cursor does not shift the next page.
		w.company(&licensing.Company{Name: "Acme Oy"})
		api.get("/api/v1/companies?limit=2&cursor="+url.QueryEscape(*p1.Next), http.StatusOK, &p2)
		if !slices.Equal(companyNamesOf(p2), all[2:4]) || p2.Next == nil {
			t.Fatalf("page 2: %v", companyNamesOf(p2))
		}
		api.get("/api/v1/companies?limit=2&cursor="+url.QueryEscape(*p2.Next), http.StatusOK, &p3)
		if !slices.Equal(companyNamesOf(p3), all[4:]) || p3.Next != nil {
			t.Fatalf("last page: %v next %v", companyNamesOf(p3), orNull(p3.Next))
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		api := w.api.in(t)
		var patents listPage[patentJSON]
		api.get("/api/v1/patents?limit=1", http.StatusOK, &patents)
		var searched listPage[companyJSON]
		api.get("/api/v1/companies?q=o&limit=1", http.StatusOK, &searched)
		for _, tc := range []struct{ name, query, field string }{
			{"CursorWithOtherFilters", "q=a&cursor=" + url.QueryEscape(*searched.Next), "cursor"},
			{"LimitZero", "limit=0", "limit"},
			{"LimitTooLarge", "limit=1001", "limit"},
			{"LimitNoNumber", "limit=ten", "limit"},
			{"CursorGarbage", "cursor=zzz", "cursor"},
			{"CursorOfPatents", "cursor=" + url.QueryEscape(*patents.Next), "cursor"},
			{"UnknownParameter", "owner=Nokia", "owner"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w.api.in(t).wantError(http.MethodGet, "/api/v1/companies?"+tc.query, nil, http.StatusUnprocessableEntity, "invalid", tc.field)
			})
		}
	})
}

func TestAPICompanyUpdateAndDelete(t *testing.T) {
	w := newPortfolioWorld(t)
	t.Run("UpdateSentFieldsOnly", func(t *testing.T) {
		api := w.api.in(t)
		var co companyJSON
		api.call(http.MethodPatch, apiCompanyPath("HMD Global Oy"), map[string]any{"short_name": "HMD", "country": "FI"}, http.StatusOK, &co)
		if co.Name != "HMD Global Oy" || orNull(co.ShortName) != "HMD" || orNull(co.Country) != "FI" {
			t.Fatalf("got %+v", co)
		}
		wantAPIAudit(t, w.app, "company.update", "editor@example.com")
		api.call(http.MethodPatch, apiCompanyPath("Nokia Technologies Oy"), `{"parent": null, "aliases": ["NOKIA TECHNOLOGIES OY"]}`, http.StatusOK, &co)
		if co.Parent != nil || co.ParentID != nil || !slices.Equal(co.Aliases, []string{"NOKIA TECHNOLOGIES OY"}) {
			t.Fatalf("got %+v", co)
		}
		api.call(http.MethodPatch, apiCompanyPath("Nokia Technologies Oy"), map[string]any{"parent": w.nokia.ID, "control_from": "2014-04-25"}, http.StatusOK, &co)
		if orNull(co.Parent) != "Nokia Corporation" || orNull(co.ControlFrom) != "2014-04-25" {
			t.Fatalf("got %+v", co)
		}
	})
	for _, tc := range []struct {
		name, ref string
		body      any
		status    int
		code      string
		field     string
	}{
		{"OwnParent", "Nokia Technologies Oy", `{"parent": "Nokia Technologies Oy"}`, http.StatusUnprocessableEntity, "invalid", "parent"},
		{"ParentLoop", "Nokia Corporation", `{"parent": "Nokia Technologies Oy"}`, http.StatusUnprocessableEntity, "invalid", "parent"},
		{"NameCleared", "Apple Inc.", `{"name": null}`, http.StatusUnprocessableEntity, "invalid", "name"},
		{"NameTaken", "Apple Inc.", `{"name": "Xiaomi Corporation"}`, http.StatusConflict, "conflict", "name"},
		{"UnknownField", "Apple Inc.", `{"id": 5}`, http.StatusUnprocessableEntity, "invalid", "id"},
		{"UnknownCompany", "Nobody Inc.", `{"short_name": "x"}`, http.StatusNotFound, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, w.app)
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			w.api.in(t).wantError(http.MethodPatch, apiCompanyPath(tc.ref), tc.body, tc.status, tc.code, fields...)
			if auditCount(t, w.app) != before {
				t.Fatal("a refused update wrote an audit row")
			}
		})
	}
	t.Run("ViewerMayNotUpdateOrDelete", func(t *testing.T) {
		viewer := w.viewer.in(t)
		viewer.wantError(http.MethodPatch, apiCompanyPath("Apple Inc."), map[string]any{"country": "US"}, http.StatusForbidden, "forbidden")
		viewer.wantError(http.MethodDelete, apiCompanyPath("Apple Inc."), nil, http.StatusForbidden, "forbidden")
	})
	t.Run("DeleteReferencedIsConflict", func(t *testing.T) {
		e := w.api.in(t).wantError(http.MethodDelete, apiCompanyPath("Nokia Corporation"), nil, http.StatusConflict, "conflict")
		if !strings.Contains(e.Error.Message, "subsidiar") {
			t.Fatalf("message %q", e.Error.Message)
		}
	})
	t.Run("DeleteUnreferenced", func(t *testing.T) {
		api := w.api.in(t)
		var co companyJSON
		api.call(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Acme Oy"}, http.StatusCreated, &co)
		res := api.do(http.MethodDelete, apiCompanyPath("Acme Oy"), nil)
		if res.StatusCode != http.StatusNoContent || len(res.Body) != 0 {
			t.Fatalf("DELETE: %d %s", res.StatusCode, res.Body)
		}
		wantAPIAudit(t, w.app, "company.delete", "editor@example.com")
		api.wantError(http.MethodGet, apiCompanyPath(strconv.FormatInt(co.ID, 10)), nil, http.StatusNotFound, "not_found")
	})
}

// newPatentBody is a valid patent to post, which each case alters.
func newPatentBody() map[string]any {
	return map[string]any{
		"number": "EP 3 100 511 B1", "title": "Semi-persistent scheduling with reduced signalling", "family": "FAM-NOK-0004",
		"priority_on": "2014-01-29", "filed_on": "2015-01-28", "published_on": "2016-12-07", "granted_on": "2017-06-14",
		"status": "granted", "owner": "Nokia Technologies Oy", "tags": []string{"cellular"}, "standards": []string{"3GPP LTE"},
		"sep": true, "designated_states": []string{"de", "fr"}, "cpc": []string{"H04W 72/12"},
	}
}

func TestAPIPatentCreate(t *testing.T) {
	w := newPortfolioWorld(t)
	var p patentJSON
	w.api.call(http.MethodPost, "/api/v1/patents", newPatentBody(), http.StatusCreated, &p)
	if p.ID == 0 || p.Number != "EP 3 100 511 B1" || p.Normalized != "EP3100511B1" || p.Office != "EP" || orNull(p.Kind) != "B1" ||
		orNull(p.ExpiresOn) != "2035-01-28" || p.ExpiryOverridden || p.Status != "granted" || !p.InForce ||
		p.Owner != "Nokia Technologies Oy" || p.OwnerID != w.tech.ID || p.OriginalOwner != "Nokia Technologies Oy" ||
		!slices.Equal(p.DesignatedStates, []string{"DE", "FR"}) || !slices.Equal(p.Tags, []string{"cellular"}) || !p.SEP ||
		p.ApplicationNumber != nil || p.StatusOn != nil {
		t.Fatalf("created %+v", p)
	}
	wantAPIAudit(t, w.app, "patent.create", "editor@example.com")
	for _, ref := range []string{"EP 3 100 511 B1", "EP3100511B1", "ep3100511b1", "EP3100511", strconv.FormatInt(p.ID, 10)} {
		var again patentJSON
		w.api.get(apiPatentPath(ref), http.StatusOK, &again)
		if again.ID != p.ID || again.Normalized != "EP3100511B1" {
			t.Fatalf("GET %s: %+v", ref, again)
		}
	}

	t.Run("OwnerByIDAndExpiryOverride", func(t *testing.T) {
		body := map[string]any{"number": "US 9,572,063 B2", "title": "Discontinuous reception", "filed_on": "2015-02-10",
			"granted_on": "2017-02-14", "status": "granted", "expires_on": "2035-08-01", "owner": w.tech.ID}
		var p patentJSON
		w.api.in(t).call(http.MethodPost, "/api/v1/patents", body, http.StatusCreated, &p)
		if p.Normalized != "US9572063B2" || orNull(p.ExpiresOn) != "2035-08-01" || !p.ExpiryOverridden || p.OwnerID != w.tech.ID {
			t.Fatalf("created %+v", p)
		}
	})
	t.Run("StatusDefaultsToPending", func(t *testing.T) {
		var p patentJSON
		w.api.in(t).call(http.MethodPost, "/api/v1/patents",
			map[string]any{"number": "WO 2017/123456 A1", "title": "Pairing", "original_owner": "Xiaomi Corporation"}, http.StatusCreated, &p)
		if p.Status != "pending" || p.Normalized != "WO2017123456A1" || p.ExpiresOn != nil || p.InForce || p.Owner != "Xiaomi Corporation" {
			t.Fatalf("created %+v", p)
		}
	})

	for _, tc := range []struct {
		name   string
		change func(b map[string]any)
		status int
		code   string
		field  string
	}{
		{"OwnerMissing", func(b map[string]any) { delete(b, "owner") }, http.StatusUnprocessableEntity, "invalid", "owner"},
		{"OwnerUnknown", func(b map[string]any) { b["owner"] = "Nobody Inc." }, http.StatusUnprocessableEntity, "invalid", "owner"},
		{"OwnersDiffer", func(b map[string]any) { b["original_owner"] = "Apple Inc." }, http.StatusUnprocessableEntity, "invalid", "original_owner"},
		{"StatusUnknown", func(b map[string]any) { b["status"] = "alive" }, http.StatusUnprocessableEntity, "invalid", "status"},
		{"OfficeUnknown", func(b map[string]any) { b["office"] = "EB" }, http.StatusUnprocessableEntity, "invalid", "office"},
		{"OfficeDisagrees", func(b map[string]any) { b["office"] = "US" }, http.StatusUnprocessableEntity, "invalid", "office"},
		{"KindUnknown", func(b map[string]any) { b["kind"] = "BB" }, http.StatusUnprocessableEntity, "invalid", "kind"},
		{"NumberMalformed", func(b map[string]any) { b["number"] = "EP one two three" }, http.StatusUnprocessableEntity, "invalid", "number"},
		{"NumberMissing", func(b map[string]any) { delete(b, "number") }, http.StatusUnprocessableEntity, "invalid", "number"},
		{"TitleMissing", func(b map[string]any) { b["title"] = " " }, http.StatusUnprocessableEntity, "invalid", "title"},
		{"DateUnreadable", func(b map[string]any) { b["filed_on"] = "28.01.2015" }, http.StatusUnprocessableEntity, "invalid", "filed_on"},
		{"GrantBeforeFiling", func(b map[string]any) { b["granted_on"] = "2014-06-14" }, http.StatusUnprocessableEntity, "invalid", "granted_on"},
		{"LapseWithoutDate", func(b map[string]any) { b["status"] = "lapsed" }, http.StatusUnprocessableEntity, "invalid", "status_on"},
		{"SEPNotABool", func(b map[string]any) { b["sep"] = "yes" }, http.StatusUnprocessableEntity, "invalid", "sep"},
		{"TagsNotAList", func(b map[string]any) { b["tags"] = "cellular" }, http.StatusUnprocessableEntity, "invalid", "tags"},
		{"StatesOnAUSPatent", func(b map[string]any) { b["number"] = "US 9,668,203 B2" }, http.StatusUnprocessableEntity, "invalid", "designated_states"},
		{"UnknownField", func(b map[string]any) { b["inventor"] = "Ada" }, http.StatusUnprocessableEntity, "invalid", "inventor"},
		{"NumberTaken", func(b map[string]any) { b["number"] = "EP1234567B1"; b["designated_states"] = nil }, http.StatusConflict, "conflict", "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := newPatentBody()
			body["number"] = "EP 3 158 812 B1"
			tc.change(body)
			before := auditCount(t, w.app)
			w.api.in(t).wantError(http.MethodPost, "/api/v1/patents", body, tc.status, tc.code, tc.field)
			if auditCount(t, w.app) != before {
				t.Fatal("a refused create wrote an audit row")
			}
			if _, err := w.app.db.PatentByNumber(context.Background(), "EP3158812B1"); err == nil {
				t.Fatal("a refused create stored the patent")
			}
		})
	}
	t.Run("MalformedJSON", func(t *testing.T) {
		w.api.in(t).wantError(http.MethodPost, "/api/v1/patents", `{"number": "EP 3 158 812 B1",`, http.StatusBadRequest, "invalid")
	})
	t.Run("ViewerMayNotCreate", func(t *testing.T) {
		w.viewer.in(t).wantError(http.MethodPost, "/api/v1/patents", newPatentBody(), http.StatusForbidden, "forbidden")
	})
}

// patentNumbersOf lists the normalized numbers of a page of patents.
func normalizedOf(page listPage[patentJSON]) []string {
	var out []string
	for _, p := range page.Items {
		out = append(out, p.Normalized)
	}
	return out
}

func TestAPIPatentList(t *testing.T) {
	w := newPortfolioWorld(t)
	all := []string{"CN105123456A", "DE102015000001B4", "EP1234567B1", "US9123456B2"}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"Everything", "", all},
		{"OwnerToday", "owner=" + url.QueryEscape("Xiaomi Corporation"), []string{"CN105123456A", "US9123456B2"}},
		{"OwnerByAlias", "owner=" + url.QueryEscape("Beijing Xiaomi Mobile Software"), []string{"CN105123456A", "US9123456B2"}},
		{"OwnerByID", "owner=" + strconv.FormatInt(w.tech.ID, 10), []string{"DE102015000001B4", "EP1234567B1"}},
		{"SoldPatentIsNoLongerTheSellers", "owner=" + url.QueryEscape("Nokia Corporation"), nil},
		{"OwnerWithAffiliates", "owner=" + url.QueryEscape("Nokia Corporation") + "&affiliates=true", []string{"DE102015000001B4", "EP1234567B1"}},
		{"Office", "office=ep", []string{"EP1234567B1"}},
		{"Tag", "tag=cellular", []string{"EP1234567B1", "US9123456B2"}},
		{"Standard", "standard=" + url.QueryEscape("3GPP NR"), []string{"US9123456B2"}},
		{"Status", "status=Lapsed", []string{"DE102015000001B4"}},
		{"SEP", "sep=true", []string{"EP1234567B1", "US9123456B2"}},
		{"Family", "family=F1", []string{"EP1234567B1", "US9123456B2"}},
		{"InForceOn", "in_force_on=2021-01-01", []string{"EP1234567B1", "US9123456B2"}},
		{"FullTextTitle", "q=handover", []string{"EP1234567B1"}},
		{"FullTextNumber", "q=" + url.QueryEscape("US 9,123,456 B2"), []string{"US9123456B2"}},
		{"FullTextAnyOwnerInTheChain", "q=xiaomi", []string{"CN105123456A", "US9123456B2"}},
		{"Combined", "tag=cellular&owner=" + url.QueryEscape("Xiaomi Corporation"), []string{"US9123456B2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var page listPage[patentJSON]
			w.viewer.in(t).get("/api/v1/patents?"+tc.query, http.StatusOK, &page)
			if !slices.Equal(normalizedOf(page), tc.want) || page.Items == nil || page.Next != nil {
				t.Fatalf("got %v next %s, want %v", normalizedOf(page), orNull(page.Next), tc.want)
			}
		})
	}
	t.Run("ItemsCarryOwnerToday", func(t *testing.T) {
		var page listPage[patentJSON]
		w.api.in(t).get("/api/v1/patents?q="+url.QueryEscape("US9123456B2"), http.StatusOK, &page)
		p := page.Items[0]
		if p.Owner != "Xiaomi Corporation" || p.OriginalOwner != "Nokia Corporation" || orNull(p.ExpiresOn) != "2034-06-30" ||
			!p.ExpiryOverridden || !slices.Equal(p.Standards, []string{"3GPP NR"}) || orNull(p.SEPReference) != "ETSI ISLD-201701" {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("PagesStableUnderInserts", func(t *testing.T) {
		api := w.api.in(t)
		var got []string
		var page listPage[patentJSON]
		api.get("/api/v1/patents?limit=1", http.StatusOK, &page)
		got = append(got, normalizedOf(page)...)
		w.patent(&licensing.Patent{Number: "AT 123456 B", Title: "Inserted before the cursor", Status: licensing.StatusGranted,
			OriginalOwnerID: w.nokia.ID})
		for page.Next != nil {
			cursor := *page.Next
			page = listPage[patentJSON]{}
			api.get("/api/v1/patents?limit=1&cursor="+url.QueryEscape(cursor), http.StatusOK, &page)
			got = append(got, normalizedOf(page)...)
		}
		if !slices.Equal(got, all) {
			t.Fatalf("pages gave %v, want %v", got, all)
		}
	})
	t.Run("PageSizeMayChange", func(t *testing.T) {
		api := w.api.in(t)
		var p1, p2 listPage[patentJSON]
		api.get("/api/v1/patents?tag=cellular&limit=1", http.StatusOK, &p1)
		api.get("/api/v1/patents?limit=5&tag=cellular&cursor="+url.QueryEscape(*p1.Next), http.StatusOK, &p2)
		if got := append(normalizedOf(p1), normalizedOf(p2)...); !slices.Equal(got, []string{"EP1234567B1", "US9123456B2"}) || p2.Next != nil {
			t.Fatalf("pages gave %v", got)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		var companies listPage[companyJSON]
		w.api.in(t).get("/api/v1/companies?limit=1", http.StatusOK, &companies)
		var cellular listPage[patentJSON]
		w.api.in(t).get("/api/v1/patents?tag=cellular&limit=1", http.StatusOK, &cellular)
		for _, tc := range []struct{ name, query, field string }{
			{"CursorWithOtherFilters", "tag=iot&cursor=" + url.QueryEscape(*cellular.Next), "cursor"},
			{"CursorWithoutItsFilters", "cursor=" + url.QueryEscape(*cellular.Next), "cursor"},
			{"StatusUnknown", "status=alive", "status"},
			{"OwnerUnknown", "owner=Nobody", "owner"},
			{"AffiliatesWithoutOwner", "affiliates=true", "affiliates"},
			{"AffiliatesNotABool", "owner=Nokia+Corporation&affiliates=perhaps", "affiliates"},
			{"SEPNotABool", "sep=yes", "sep"},
			{"DateUnreadable", "in_force_on=21.11.2026", "in_force_on"},
			{"UnknownParameter", "sort=title", "sort"},
			{"LimitTooLarge", "limit=5000", "limit"},
			{"CursorOfCompanies", "cursor=" + url.QueryEscape(*companies.Next), "cursor"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w.api.in(t).wantError(http.MethodGet, "/api/v1/patents?"+tc.query, nil, http.StatusUnprocessableEntity, "invalid", tc.field)
			})
		}
	})
}

func TestAPIPatentShow(t *testing.T) {
	w := newPortfolioWorld(t)
	t.Run("AnyNotation", func(t *testing.T) {
		for _, ref := range []string{"US 9,123,456 B2", "US9123456B2", "US-9123456-B2", "us9123456", strconv.FormatInt(w.nr.ID, 10)} {
			var p patentJSON
			w.viewer.in(t).get(apiPatentPath(ref), http.StatusOK, &p)
			if p.ID != w.nr.ID || p.Owner != "Xiaomi Corporation" || p.OwnerID != w.xiaomi.ID || orNull(p.Family) != "F1" {
				t.Fatalf("GET %s: %+v", ref, p)
			}
		}
	})
	t.Run("NumberWithSlash", func(t *testing.T) {
		w.patent(&licensing.Patent{Number: "WO 2017/123456 A1", Title: "Pairing", Status: licensing.StatusPending, OriginalOwnerID: w.xiaomi.ID})
		var p patentJSON
		w.api.in(t).get(apiPatentPath("WO 2017/123456 A1"), http.StatusOK, &p)
		if p.Normalized != "WO2017123456A1" {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("UnknownIsNotFound", func(t *testing.T) {
		api := w.api.in(t)
		for _, ref := range []string{"EP 9 999 999 B1", "999999", "no number at all"} {
			e := api.wantError(http.MethodGet, apiPatentPath(ref), nil, http.StatusNotFound, "not_found")
			if !strings.Contains(e.Error.Message, strconv.Quote(ref)) {
				t.Errorf("message %q does not say which reference names no patent", e.Error.Message)
			}
			api.wantError(http.MethodGet, apiPatentPath(ref)+"/title", nil, http.StatusNotFound, "not_found")
		}
	})
	t.Run("NumberWithoutKindFittingSeveralIsConflict", func(t *testing.T) {
		w.patent(&licensing.Patent{Number: "EP 1 234 567 A1", Title: "Handover in LTE radio networks", Status: licensing.StatusPending,
			OriginalOwnerID: w.tech.ID})
		e := w.api.in(t).wantError(http.MethodGet, apiPatentPath("EP 1234567"), nil, http.StatusConflict, "conflict")
		if !strings.Contains(e.Error.Message, "EP1234567A1") || !strings.Contains(e.Error.Message, "EP1234567B1") {
			t.Fatalf("the message lists no candidates: %q", e.Error.Message)
		}
	})
}

func TestAPIPatentTitle(t *testing.T) {
	w := newPortfolioWorld(t)
	t.Run("SoldPatent", func(t *testing.T) {
		var title titleJSON
		w.viewer.in(t).get(apiPatentPath("US 9,123,456 B2")+"/title", http.StatusOK, &title)
		if title.Patent != "US9123456B2" || title.Owner != "Xiaomi Corporation" || len(title.Chain) != 2 ||
			len(title.Breaks) != 0 || title.Pending == nil {
			t.Fatalf("got %+v", title)
		}
		first, second := title.Chain[0], title.Chain[1]
		if first.Owner != "Nokia Corporation" || orNull(first.From) != "2014-01-15" || orNull(first.To) != "2017-07-04" ||
			first.Via != nil || first.Assignment != nil || first.Current {
			t.Fatalf("first holding %+v", first)
		}
		if second.Owner != "Xiaomi Corporation" || second.OwnerID != w.xiaomi.ID || orNull(second.From) != "2017-07-05" || second.To != nil ||
			orNull(second.Via) != refCross || *second.ViaID != w.crossLicence.ID || second.Assignment == nil || !second.Current {
			t.Fatalf("second holding %+v", second)
		}
	})
	t.Run("Break", func(t *testing.T) {
		var title titleJSON
		w.api.in(t).get(apiPatentPath("EP1234567B1")+"/title", http.StatusOK, &title)
		if len(title.Chain) != 1 || title.Chain[0].Owner != "Nokia Technologies Oy" || !title.Chain[0].Current || len(title.Breaks) != 1 {
			t.Fatalf("got %+v", title)
		}
		b := title.Breaks[0]
		if b.Kind != "assignor_not_owner" || orNull(b.On) != "2017-07-05" || b.Agreement != refCross || b.AgreementID != w.crossLicence.ID ||
			b.Assignor != "Nokia Corporation" || b.Assignee != "Xiaomi Corporation" || b.Owner != "Nokia Technologies Oy" ||
			b.Assignment == 0 || !strings.Contains(b.Message, "without holding it") || !strings.Contains(b.Message, "Nokia Technologies Oy") {
			t.Fatalf("break %+v", b)
		}
	})
	t.Run("PendingTransfer", func(t *testing.T) {
		d := licensing.MustDate
		draft := w.agreement(&licensing.Agreement{Reference: "XIA-IKEA-PSA", Title: "Sale of a smart-home patent", Kind: licensing.KindAssignment,
			Status: licensing.AgreementDraft, Parties: []licensing.Party{{CompanyID: w.xiaomi.ID, Role: licensing.RoleAssignor},
				{CompanyID: w.ikea.ID, Role: licensing.RoleAssignee}},
			Assignments: []licensing.Assignment{{AssignorID: w.xiaomi.ID, AssigneeID: w.ikea.ID, EffectiveOn: d("2027-01-01"),
				Patents: []licensing.PatentRef{{Number: "CN105123456A"}}}}})
		var title titleJSON
		w.api.in(t).get(apiPatentPath("CN105123456A")+"/title", http.StatusOK, &title)
		if len(title.Chain) != 1 || title.Chain[0].Owner != "Xiaomi Corporation" || len(title.Pending) != 1 {
			t.Fatalf("got %+v", title)
		}
		p := title.Pending[0]
		if p.Agreement != "XIA-IKEA-PSA" || p.AgreementID != draft.ID || p.AgreementStatus != "draft" || p.Assignor != "Xiaomi Corporation" ||
			p.Assignee != "Inter IKEA Systems B.V." || orNull(p.EffectiveOn) != "2027-01-01" {
			t.Fatalf("pending %+v", p)
		}
	})
}

func TestAPIPatentUpdateAndDelete(t *testing.T) {
	w := newPortfolioWorld(t)
	t.Run("UpdateSentFieldsOnly", func(t *testing.T) {
		api := w.api.in(t)
		var p patentJSON
		api.call(http.MethodPatch, apiPatentPath("CN 105123456 A"), map[string]any{"status": "granted", "granted_on": "2019-04-02",
			"tags": []string{"iot"}}, http.StatusOK, &p)
		if p.Status != "granted" || orNull(p.GrantedOn) != "2019-04-02" || !slices.Equal(p.Tags, []string{"iot"}) ||
			p.Title != "Smart-home hub pairing" || orNull(p.ExpiresOn) != "2036-05-05" {
			t.Fatalf("got %+v", p)
		}
		wantAPIAudit(t, w.app, "patent.update", "editor@example.com")
		api.call(http.MethodPatch, apiPatentPath("DE102015000001B4"), map[string]any{"original_owner": "Apple Inc.", "tags": nil}, http.StatusOK, &p)
		if p.OriginalOwner != "Apple Inc." || p.Owner != "Apple Inc." || len(p.Tags) != 0 || p.Tags == nil {
			t.Fatalf("got %+v", p)
		}
		// A new filing date moves a computed expiry along.
		api.call(http.MethodPatch, apiPatentPath("CN105123456A"), map[string]any{"filed_on": "2016-05-06"}, http.StatusOK, &p)
		if orNull(p.ExpiresOn) != "2036-05-06" || p.ExpiryOverridden {
			t.Fatalf("got %+v", p)
		}
	})
	for _, tc := range []struct {
		name, ref string
		body      any
		status    int
		code      string
		field     string
	}{
		{"OwnerTodayIsNotAField", "EP1234567B1", `{"owner": "Apple Inc."}`, http.StatusUnprocessableEntity, "invalid", "owner"},
		{"OriginalOwnerCleared", "EP1234567B1", `{"original_owner": null}`, http.StatusUnprocessableEntity, "invalid", "original_owner"},
		{"LapseWithoutDate", "EP1234567B1", `{"status": "lapsed"}`, http.StatusUnprocessableEntity, "invalid", "status_on"},
		{"NumberTaken", "EP1234567B1", `{"number": "US9123456B2", "designated_states": []}`, http.StatusConflict, "conflict", "number"},
		{"UnknownPatent", "EP9999999B1", `{"title": "x"}`, http.StatusNotFound, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, w.app)
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			w.api.in(t).wantError(http.MethodPatch, apiPatentPath(tc.ref), tc.body, tc.status, tc.code, fields...)
			if auditCount(t, w.app) != before {
				t.Fatal("a refused update wrote an audit row")
			}
		})
	}
	t.Run("ViewerMayNotUpdateOrDelete", func(t *testing.T) {
		viewer := w.viewer.in(t)
		viewer.wantError(http.MethodPatch, apiPatentPath("EP1234567B1"), map[string]any{"title": "x"}, http.StatusForbidden, "forbidden")
		viewer.wantError(http.MethodDelete, apiPatentPath("EP1234567B1"), nil, http.StatusForbidden, "forbidden")
	})
	t.Run("DeleteNamedInAgreementIsConflict", func(t *testing.T) {
		e := w.api.in(t).wantError(http.MethodDelete, apiPatentPath("US9123456B2"), nil, http.StatusConflict, "conflict")
		if !strings.Contains(e.Error.Message, refCross) {
			t.Fatalf("message %q", e.Error.Message)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		api := w.api.in(t)
		res := api.do(http.MethodDelete, apiPatentPath("CN105123456A"), nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", res.StatusCode, res.Body)
		}
		wantAPIAudit(t, w.app, "patent.delete", "editor@example.com")
		api.wantError(http.MethodGet, apiPatentPath("CN105123456A"), nil, http.StatusNotFound, "not_found")
	})
}
