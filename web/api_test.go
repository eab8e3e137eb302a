package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

func TestAPIAuthentication(t *testing.T) {
	app := newTestApp(t)
	editor := app.apiClient("editor@example.com", auth.RoleEditor)
	editor.get("/api/v1/companies", http.StatusOK, nil)

	t.Run("NoTokenIsUnauthorized", func(t *testing.T) {
		anon := &apiClient{t: t, app: app}
		res := anon.do(http.MethodGet, "/api/v1/companies", nil)
		anon.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
		if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("WrongTokenIsUnauthorized", func(t *testing.T) {
		for _, token := range []string{"pdt_nonsense", editor.token + "x", strings.TrimPrefix(editor.token, "pdt_")} {
			c := &apiClient{t: t, app: app, token: token}
			c.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
		}
	})
	t.Run("OtherSchemeIsUnauthorized", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, app.http.URL+"/api/v1/companies", nil)
		req.Header.Set("Authorization", "Basic "+editor.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		wantStatus(t, res, http.StatusUnauthorized)
	})
	t.Run("SessionCookieDoesNotOpenTheAPI", func(t *testing.T) {
		u := app.addUser("browser@example.com", auth.RoleAdmin)
		b := app.browser()
		b.mustSignIn(u)
		wantStatus(t, b.get("/"), http.StatusOK)
		wantStatus(t, b.get("/api/v1/companies"), http.StatusUnauthorized)
	})
	t.Run("TokenDoesNotOpenPages", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, app.http.URL+"/patents", nil)
		req.Header.Set("Authorization", "Bearer "+editor.token)
		b := app.browser()
		res := b.do(req)
		wantRedirect(t, res, "/login")
	})
	t.Run("ViewerMayReadButNotWrite", func(t *testing.T) {
		viewer := app.apiClient("viewer@example.com", auth.RoleViewer)
		viewer.in(t).get("/api/v1/companies", http.StatusOK, nil)
		viewer.in(t).wantError(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Viewer Oy"}, http.StatusForbidden, "forbidden")
		if _, err := app.db.CompanyByName(context.Background(), "Viewer Oy"); err == nil {
			t.Fatal("a viewer's refused write was stored")
		}
	})
	t.Run("RevokedTokenIsRefusedAtOnce", func(t *testing.T) {
		c := app.apiClient("revoked@example.com", auth.RoleEditor)
		c.in(t).get("/api/v1/companies", http.StatusOK, nil)
		u, tok, err := app.db.UserByAPIToken(context.Background(), c.token)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.db.RevokeAPIToken(context.Background(), sqlite.SystemActor(), u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		c.in(t).wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("DisabledUsersTokenIsRefused", func(t *testing.T) {
		c := app.apiClient("leaver@example.com", auth.RoleEditor)
		u, _, err := app.db.UserByAPIToken(context.Background(), c.token)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.db.SetUserDisabled(context.Background(), sqlite.SystemActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		c.in(t).wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("LastUseIsRecorded", func(t *testing.T) {
		u, err := app.db.UserByEmail(context.Background(), "editor@example.com")
		if err != nil {
			t.Fatal(err)
		}
		list, err := app.db.APITokens(context.Background(), u.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(app.clock.Now()) {
			t.Fatalf("tokens %+v (%v): want last used now", list, err)
		}
	})
}

func TestAPIWritesAreAuditedAsAPI(t *testing.T) {
	app := newTestApp(t)
	api := app.apiClient("script@example.com", auth.RoleEditor)
	api.call(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Nokia Corporation", "country": "FI"}, http.StatusCreated, nil)
	last, err := app.db.RecentAudit(context.Background(), 1)
	if err != nil || len(last) != 1 {
		t.Fatal(err)
	}
	if e := last[0]; e.Action != "company.create" || e.Via != sqlite.ViaAPI || e.Actor != "script@example.com" || e.Address == "" {
		t.Fatalf("audit row %+v: want company.create by script@example.com via api", e)
	}
}

func TestAPIRequestBodies(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.MaxBodyBytes = 4 << 10 })
	api := app.apiClient("script@example.com", auth.RoleEditor)
	raw := func(t *testing.T, contentType, body string) apiResponse {
		req, _ := http.NewRequest(http.MethodPost, app.http.URL+"/api/v1/companies", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+api.token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return apiResponse{Response: res}
	}
	cases := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"MalformedJSON", `{"name": "Nokia"`, http.StatusBadRequest, ""},
		{"NotAnObject", `["Nokia"]`, http.StatusUnprocessableEntity, "body"},
		{"Empty", ``, http.StatusBadRequest, ""},
		{"TwoValues", `{"name": "A Oy"} {"name": "B Oy"}`, http.StatusBadRequest, ""},
		{"UnknownField", `{"name": "Nokia Oyj", "nmae": "x"}`, http.StatusUnprocessableEntity, "nmae"},
		{"WrongType", `{"name": 42}`, http.StatusUnprocessableEntity, "name"},
		{"WrongTypeInAList", `{"name": "Nokia Oyj", "aliases": ["NOKIA OYJ", 42]}`, http.StatusUnprocessableEntity, "aliases.1"},
		{"Null", `null`, http.StatusUnprocessableEntity, "body"},
		{"TooLarge", `{"name": "` + strings.Repeat("x", 5<<10) + `"}`, http.StatusRequestEntityTooLarge, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			api.in(t).wantError(http.MethodPost, "/api/v1/companies", tc.body, tc.status, "invalid", fields...)
		})
	}
	t.Run("ReferenceOfTheWrongType", func(t *testing.T) {
		e := api.in(t).wantError(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Nokia Oyj", "parent": map[string]any{"id": 1}},
			http.StatusUnprocessableEntity, "invalid", "parent")
		if msg := e.Error.Fields["parent"]; msg != "must be a string or a number, not object" {
			t.Errorf("message %q: a reference is a string or a number", msg)
		}
	})
	t.Run("FormEncodedBodyIsRefused", func(t *testing.T) {
		res := raw(t, "application/x-www-form-urlencoded", "name=Nokia")
		wantStatus(t, res.Response, http.StatusBadRequest)
	})
	t.Run("NothingWasWritten", func(t *testing.T) {
		var page struct{ Items []map[string]any }
		api.in(t).get("/api/v1/companies", http.StatusOK, &page)
		if len(page.Items) != 0 {
			t.Fatalf("refused bodies created %v", page.Items)
		}
	})
}

func TestAPIUnknownPathsAnswerJSON(t *testing.T) {
	app := newTestApp(t)
	api := app.apiClient("script@example.com", auth.RoleViewer)
	api.wantError(http.MethodGet, "/api/v1/nothing-here", nil, http.StatusNotFound, "not_found")
	api.wantError(http.MethodGet, "/api/v2/companies", nil, http.StatusNotFound, "not_found")
	api.wantError(http.MethodGet, "/api/v1/companies?limit=5000", nil, http.StatusUnprocessableEntity, "invalid", "limit")
	api.wantError(http.MethodGet, "/api/v1/companies?cursor=bm9wZQ", nil, http.StatusUnprocessableEntity, "invalid", "cursor")
}

func TestAPIRateLimitPerToken(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.APIRate, c.APIBurst = 1, 3 })
	first := app.apiClient("first@example.com", auth.RoleViewer)
	second := app.apiClient("second@example.com", auth.RoleViewer)
	for range 3 {
		first.get("/api/v1/companies", http.StatusOK, nil)
	}
	res := first.do(http.MethodGet, "/api/v1/companies", nil)
	first.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusTooManyRequests, "rate_limited")
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Fatalf("Retry-After %q: want whole seconds", res.Header.Get("Retry-After"))
	}
	second.get("/api/v1/companies", http.StatusOK, nil) // a bucket per token
	app.clock.Advance(3 * time.Second)
	first.get("/api/v1/companies", http.StatusOK, nil)
}

func TestAccountTokens(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("lawyer@example.com", auth.RoleEditor)
	b := app.browser()
	b.mustSignIn(u)

	res := b.post("/account/tokens", url.Values{"name": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if doc := parseHTML(t, res); testid(doc, "new-token").Length() != 0 || testid(doc, "token-form").Find(".field-error").Length() == 0 {
		t.Fatal("a nameless token was not refused beside its field")
	}

	res = b.post("/account/tokens", url.Values{"name": {"ERP royalties"}})
	wantStatus(t, res, http.StatusOK)
	doc := parseHTML(t, res)
	secret, _ := testid(doc, "new-token-secret").Attr("value")
	if !strings.HasPrefix(secret, auth.TokenPrefix) {
		t.Fatalf("the new token is not shown: %q", secret)
	}
	api := &apiClient{t: t, app: app, token: secret}
	api.get("/api/v1/companies", http.StatusOK, nil)

	doc = parseHTML(t, b.get("/account"))
	if strings.Contains(doc.Text(), secret) || testid(doc, "new-token").Length() != 0 {
		t.Fatal("the secret is shown a second time")
	}
	rows := testid(doc, "token-row")
	if rows.Length() != 1 || strings.TrimSpace(testid(doc, "token-name").Text()) != "ERP royalties" {
		t.Fatalf("token list: %q", rows.Text())
	}
	action, _ := testid(doc, "token-revoke").Attr("action")
	wantRedirect(t, b.post(action, url.Values{}), "/account")
	api.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
	doc = parseHTML(t, b.get("/account"))
	if testid(doc, "token-revoke").Length() != 0 || !strings.Contains(testid(doc, "token-status").Text(), "Revoked") {
		t.Fatalf("a revoked token still offers revoking: %q", testid(doc, "token-status").Text())
	}

	t.Run("AnotherUsersTokenCannotBeRevoked", func(t *testing.T) {
		other := app.apiClient("other@example.com", auth.RoleViewer)
		o, tok, err := app.db.UserByAPIToken(context.Background(), other.token)
		if err != nil || o.ID == u.ID {
			t.Fatal(err)
		}
		wantStatus(t, b.post("/account/tokens/"+strconv.FormatInt(tok.ID, 10)+"/revoke", url.Values{}), http.StatusNotFound)
		other.in(t).get("/api/v1/companies", http.StatusOK, nil)
	})
	t.Run("German", func(t *testing.T) {
		b.lang = "de"
		doc := parseHTML(t, b.get("/account"))
		if !strings.Contains(testid(doc, "tokens").Text(), "API-Tokens") || !strings.Contains(testid(doc, "token-status").Text(), "Widerrufen am") {
			t.Fatalf("German token section: %q", testid(doc, "tokens").Text())
		}
	})
}

func TestAPIClientHarness(t *testing.T) {
	app := newTestApp(t)
	api := app.apiClient("script@example.com", auth.RoleEditor)
	t.Run("BoundToTheSubtest", func(t *testing.T) {
		if bound := api.in(t); bound.t != t || api.t == t || bound.token != api.token || bound.app != api.app {
			t.Fatal("in(t) does not give the same client bound to the subtest")
		}
	})
	t.Run("NoContent", func(t *testing.T) {
		var co companyJSON
		api.in(t).call(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Short-lived Oy"}, http.StatusCreated, &co)
		api.in(t).call(http.MethodDelete, "/api/v1/companies/"+strconv.FormatInt(co.ID, 10), nil, http.StatusNoContent, nil)
	})
}

// TestAPIStoreFaultIsNoFieldMessage checks that a fault of the store met
// while looking up a reference is answered as the internal error it is
// (500, its detail only in the log), not as a 404 or a field message.
func TestAPIStoreFaultIsNoFieldMessage(t *testing.T) {
	app := newTestApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // every query of the store now fails
	pathContext := func(ref string) echo.Context {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/x/ref", nil).WithContext(ctx)
		c := echo.New().NewContext(req, httptest.NewRecorder())
		c.SetParamNames("ref")
		c.SetParamValues(ref)
		return c
	}
	cases := []struct {
		name   string
		lookup func() error
	}{
		{"CompanyInPath", func() error { _, err := app.srv.companyInPath(pathContext("Nokia Corporation")); return err }},
		{"PatentInPath", func() error { _, err := app.srv.patentInPath(pathContext("EP1234567B1")); return err }},
		{"AgreementInPath", func() error { _, err := app.srv.apiPathAgreement(pathContext("NOK-XIA-2017")); return err }},
		{"ParentInBody", func() error {
			return companyBody{Name: bodyField[string]{true, "Nokia Oyj"}, Parent: bodyField[apiRef]{true, "Nokia Corporation"}}.
				apply(app.srv, ctx, &licensing.Company{})
		}},
		{"LicensorInAgreement", func() error {
			r := app.srv.newAPIAgreementRefs(pathContext("x"))
			r.company("grants.0.licensor", "Nokia Corporation", true)
			return r.refusal("the agreement has invalid fields")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.lookup()
			var de *licensing.Error
			if err == nil || licensing.ErrorCode(err) != licensing.Internal || (errors.As(err, &de) && len(de.Fields) > 0) {
				t.Fatalf("%v (code %s): want a fault of the store, not a refusal", err, licensing.ErrorCode(err))
			}
		})
	}
}
