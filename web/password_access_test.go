package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// userAccess is what a user has opened besides the browser: an API token and a
// calendar feed link.
type userAccess struct {
	api  *apiClient
	feed string // the feed's full URL
}

func giveAccess(t *testing.T, app *testApp, u *auth.User) userAccess {
	t.Helper()
	secret, _, err := app.db.CreateCalendarFeed(context.Background(), sqlite.SystemActor(), u.ID, "Outlook", 0)
	if err != nil {
		t.Fatal(err)
	}
	a := userAccess{api: app.apiClient(u.Email, u.Role), feed: app.http.URL + "/calendar/" + secret + ".ics"}
	a.wantWorking(t)
	return a
}

func (a userAccess) wantWorking(t *testing.T) {
	t.Helper()
	a.api.in(t).get("/api/v1/companies", http.StatusOK, nil)
	if res, _ := fetchFeed(t, a.feed); res.StatusCode != http.StatusOK {
		t.Errorf("feed: status %d, want 200", res.StatusCode)
	}
}

func (a userAccess) wantRevoked(t *testing.T) {
	t.Helper()
	a.api.in(t).wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
	if res, _ := fetchFeed(t, a.feed); res.StatusCode != http.StatusNotFound {
		t.Errorf("feed: status %d, want 404", res.StatusCode)
	}
}

// lastAuditDetails returns the details of the newest audit row with action.
func lastAuditDetails(t *testing.T, app *testApp, action string) map[string]any {
	t.Helper()
	entries, err := app.db.RecentAudit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action {
			var d map[string]any
			if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	t.Fatalf("no %s in the audit trail", action)
	return nil
}

func wantRevokedCounted(t *testing.T, d map[string]any) {
	t.Helper()
	if d["tokens_revoked"] != float64(1) || d["feeds_revoked"] != float64(1) {
		t.Errorf("audit details %v; want tokens_revoked 1 and feeds_revoked 1", d)
	}
}

// An administrator's reset is what follows a compromise: whoever had the
// account loses the browser, the API token and the calendar feed alike.
func TestAdminResetRevokesTokensAndFeeds(t *testing.T) {
	t.Run("InitialPassword", func(t *testing.T) {
		w := newAdminWorld(t)
		dora := w.app.addUser("dora@example.com", auth.RoleEditor)
		b := w.app.browser()
		b.mustSignIn(dora)
		a := giveAccess(t, w.app, dora)
		pw := "an initial passphrase for her"
		wantRedirect(t, w.b.post(userPath(dora)+"/reset", url.Values{"method": {"password"}, "password": {pw}, "confirm": {pw}}), userPath(dora))
		wantRedirect(t, b.get("/"), "/login")
		a.wantRevoked(t)
		wantRevokedCounted(t, lastAuditDetails(t, w.app, "user.reset"))
		flash := testid(parseHTML(t, w.b.get(userPath(dora))), "flash").Text()
		if !strings.Contains(flash, "API tokens") {
			t.Errorf("confirmation %q does not say the tokens were revoked", flash)
		}
	})
	t.Run("ResetLink", func(t *testing.T) {
		w := newAdminWorld(t)
		rita := w.app.addUser("rita@example.com", auth.RoleViewer)
		b := w.app.browser()
		b.mustSignIn(rita)
		a := giveAccess(t, w.app, rita)
		link := linkPath(t, parseHTML(t, w.b.post(userPath(rita)+"/reset", url.Values{"method": {"link"}})))
		a.wantWorking(t) // until the link is used
		pw := "a new passphrase after reset"
		wantRedirect(t, w.app.browser().post(link, url.Values{"password": {pw}, "confirm": {pw}}), "/login?notice=password_set")
		wantRedirect(t, b.get("/"), "/login")
		a.wantRevoked(t)
		wantRevokedCounted(t, lastAuditDetails(t, w.app, "user.password_reset"))
	})
}

// One's own password change ends the other browsers; tokens and feeds only
// when the box is ticked.
func TestOwnPasswordChangeAndTokens(t *testing.T) {
	change := func(b *browser, current, pw string, revoke bool) *http.Response {
		form := url.Values{"current": {current}, "password": {pw}, "confirm": {pw}}
		if revoke {
			form.Set("revoke", "yes")
		}
		return b.post("/account/password", form)
	}
	t.Run("WithoutTheBoxTheyKeepWorking", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		here, elsewhere := app.browser(), app.browser()
		here.mustSignIn(u)
		elsewhere.mustSignIn(u)
		a := giveAccess(t, app, u)
		doc := parseHTML(t, here.get("/account"))
		if box := testid(doc, "input-revoke"); box.Length() != 1 || box.Is(":checked") {
			t.Fatal("no unticked box to revoke tokens and feeds")
		}
		wantRedirect(t, change(here, testPassword(u.Email), "a much better passphrase 2026", false), "/account")
		flash := testid(parseHTML(t, here.get("/account")), "flash").Text()
		if !strings.Contains(flash, "still work") {
			t.Errorf("confirmation %q does not say tokens and feeds still work", flash)
		}
		wantRedirect(t, elsewhere.get("/"), "/login")
		a.wantWorking(t)
	})
	t.Run("WithTheBoxTheyEnd", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		here := app.browser()
		here.mustSignIn(u)
		a := giveAccess(t, app, u)
		// A refused form keeps the box ticked.
		res := change(here, "not my password at all", "a much better passphrase 2026", true)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !testid(parseHTML(t, res), "input-revoke").Is(":checked") {
			t.Error("the box was unticked by a refused form")
		}
		wantRedirect(t, change(here, testPassword(u.Email), "a much better passphrase 2026", true), "/account")
		flash := testid(parseHTML(t, here.get("/account")), "flash").Text()
		if !strings.Contains(flash, "revoked") {
			t.Errorf("confirmation %q does not say tokens and feeds were revoked", flash)
		}
		wantStatus(t, here.get("/account"), http.StatusOK) // this browser stays signed in
		a.wantRevoked(t)
		wantRevokedCounted(t, lastAuditDetails(t, app, "user.password"))
	})
}
