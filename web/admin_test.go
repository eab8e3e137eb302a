package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// adminWorld is a server with a signed-in administrator.
type adminWorld struct {
	app   *testApp
	admin *auth.User
	b     *browser
}

func newAdminWorld(t *testing.T, configure ...func(*Config)) *adminWorld {
	t.Helper()
	app := newTestApp(t, configure...)
	admin := app.addUser("boss@example.com", auth.RoleAdmin)
	b := app.browser()
	b.mustSignIn(admin)
	return &adminWorld{app: app, admin: admin, b: b}
}

// userPath is the administration page of an account.
func userPath(u *auth.User) string { return fmt.Sprintf("/admin/users/%d", u.ID) }

// linkPath takes the path of the link a page shows once, or fails.
func linkPath(t *testing.T, doc *goquery.Document) string {
	t.Helper()
	raw, ok := testid(doc, "new-link-url").Attr("value")
	if !ok {
		t.Fatal("no link shown")
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(u.Path, "/invite/"+auth.InvitePrefix) {
		t.Fatalf("link %q is not an invitation link", raw)
	}
	return u.Path
}

// auditActions counts the actions of the newest audit rows.
func auditActions(t *testing.T, app *testApp) map[string]int {
	t.Helper()
	rows, err := app.db.RecentAudit(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range rows {
		seen[r.Action]++
	}
	return seen
}

// wantAudited fails unless each action is in the audit trail.
func wantAudited(t *testing.T, app *testApp, actions ...string) {
	t.Helper()
	seen := auditActions(t, app)
	for _, a := range actions {
		if seen[a] == 0 {
			t.Errorf("audit trail lacks %s (has %v)", a, seen)
		}
	}
}

func TestAdministrationNeedsAnAdministrator(t *testing.T) {
	w := newAdminWorld(t)
	target := w.app.addUser("target@example.com", auth.RoleViewer)
	if _, _, err := w.app.db.CreateAPIToken(context.Background(), sqlite.SystemActor(), target.ID, "script"); err != nil {
		t.Fatal(err)
	}
	requests := []struct {
		name, method, path string
		form               url.Values
	}{
		{"UserList", http.MethodGet, "/admin", nil},
		{"NewUserForm", http.MethodGet, "/admin/users/new", nil},
		{"CreateUser", http.MethodPost, "/admin/users", url.Values{"email": {"x@example.com"}, "role": {"viewer"}, "method": {"invite"}}},
		{"UserPage", http.MethodGet, userPath(target), nil},
		{"ChangeRole", http.MethodPost, userPath(target) + "/role", url.Values{"role": {"editor"}}},
		{"Disable", http.MethodPost, userPath(target) + "/disable", nil},
		{"Enable", http.MethodPost, userPath(target) + "/enable", nil},
		{"ResetLink", http.MethodPost, userPath(target) + "/reset", url.Values{"method": {"link"}}},
		{"ResetPassword", http.MethodPost, userPath(target) + "/reset", url.Values{"method": {"password"}}},
		{"RevokeToken", http.MethodPost, userPath(target) + "/tokens/1/revoke", nil},
		{"EndSession", http.MethodPost, userPath(target) + "/sessions/" + strings.Repeat("a", 64) + "/end", nil},
	}
	for _, role := range []auth.Role{auth.RoleViewer, auth.RoleEditor} {
		u := w.app.addUser(string(role)+"@example.com", role)
		b := w.app.browser()
		b.mustSignIn(u)
		for _, r := range requests {
			t.Run(string(role)+"/"+r.name, func(t *testing.T) {
				var res *http.Response
				if r.method == http.MethodGet {
					res = b.get(r.path)
				} else {
					res = b.post(r.path, r.form)
				}
				wantStatus(t, res, http.StatusForbidden)
			})
		}
	}
	t.Run("AnonymousIsSentToSignIn", func(t *testing.T) {
		wantRedirect(t, w.app.browser().get(userPath(target)), "/login")
		wantStatus(t, w.app.browser().post(userPath(target)+"/disable", nil), http.StatusUnauthorized)
	})
	for _, r := range requests {
		t.Run("admin/"+r.name, func(t *testing.T) {
			var res *http.Response
			if r.method == http.MethodGet {
				res = w.b.get(r.path)
			} else {
				res = w.b.post(r.path, r.form)
			}
			if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || res.StatusCode >= 500 {
				t.Errorf("%s %s as admin: status %d", r.method, r.path, res.StatusCode)
			}
		})
	}
}

func TestInvitation(t *testing.T) {
	logs := &syncBuffer{}
	w := newAdminWorld(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	res := w.b.post("/admin/users", url.Values{"email": {"Ines@Example.com"}, "name": {"Ines"}, "role": {"editor"}, "method": {"invite"}})
	wantStatus(t, res, http.StatusCreated)
	link := linkPath(t, parseHTML(t, res))
	ines, err := w.app.db.UserByEmail(context.Background(), "ines@example.com")
	if err != nil {
		t.Fatal(err)
	}
	pw := "She chooses her own passphrase"

	t.Run("ShownOnce", func(t *testing.T) {
		doc := parseHTML(t, w.b.get(userPath(ines)))
		if testid(doc, "new-link").Length() != 0 || strings.Contains(doc.Text(), link) {
			t.Error("the link is shown again on the user's page")
		}
		if testid(doc, "open-link").Text() == "" || !strings.Contains(testid(doc, "admin-user-status").Text(), "invited") {
			t.Error("the page does not say an invitation is open")
		}
	})
	t.Run("NoSignInBeforeAccepting", func(t *testing.T) {
		wantStatus(t, w.app.browser().signIn(ines.Email, "any password at all"), http.StatusUnauthorized)
		if strings.Contains(logs.String(), "unreadable") {
			t.Error("an invited account's missing password is logged as a damaged hash")
		}
	})
	t.Run("FormAsksNameAndPassword", func(t *testing.T) {
		doc := parseHTML(t, w.app.browser().get(link))
		if v, _ := doc.Find("#name").Attr("value"); v != "Ines" {
			t.Errorf("name field holds %q", v)
		}
		if v, _ := doc.Find("#invite-email").Attr("value"); v != "ines@example.com" {
			t.Errorf("email shown as %q", v)
		}
	})
	t.Run("CommonPasswordRefused", func(t *testing.T) {
		res := w.app.browser().post(link, url.Values{"name": {"Ines Ito"}, "password": {"Qwerty123456"}, "confirm": {"Qwerty123456"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		if !strings.Contains(testid(doc, "error-password").Text(), "most commonly used") {
			t.Errorf("message %q does not say why", testid(doc, "error-password").Text())
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Ines Ito" {
			t.Errorf("typed name not kept: %q", v)
		}
	})
	t.Run("AcceptedOnce", func(t *testing.T) {
		b := w.app.browser()
		wantRedirect(t, b.post(link, url.Values{"name": {"Ines Ito"}, "password": {pw}, "confirm": {pw}}), "/login?notice=password_set")
		wantStatus(t, b.signIn(ines.Email, pw), http.StatusSeeOther)
		if got := testid(parseHTML(t, b.get("/")), "account-link").Text(); got != "Ines Ito" {
			t.Errorf("signed in as %q", got)
		}
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			var res *http.Response
			if method == http.MethodGet {
				res = w.app.browser().get(link)
			} else {
				res = w.app.browser().post(link, url.Values{"password": {"another long passphrase"}, "confirm": {"another long passphrase"}})
			}
			wantStatus(t, res, http.StatusNotFound)
			if testid(parseHTML(t, res), "invite-gone").Length() != 1 {
				t.Errorf("%s of a used link does not explain", method)
			}
		}
		wantStatus(t, w.app.browser().signIn(ines.Email, "another long passphrase"), http.StatusUnauthorized)
		wantAudited(t, w.app, "user.create", "user.invite", "user.invitation_accepted")
	})
	t.Run("ExpiresAfterAWeek", func(t *testing.T) {
		res := w.b.post("/admin/users", url.Values{"email": {"late@example.com"}, "role": {"viewer"}, "method": {"invite"}})
		late := linkPath(t, parseHTML(t, res))
		w.app.clock.Advance(7*24*time.Hour - time.Minute)
		wantStatus(t, w.app.browser().get(late), http.StatusOK)
		w.app.clock.Advance(2 * time.Minute)
		wantStatus(t, w.app.browser().get(late), http.StatusNotFound)
		w.b.mustSignIn(w.admin) // the admin's own session has timed out meanwhile
		u, _ := w.app.db.UserByEmail(context.Background(), "late@example.com")
		if !strings.Contains(testid(parseHTML(t, w.b.get(userPath(u))), "open-link").Text(), "expired") {
			t.Error("the user's page does not say the invitation expired")
		}
	})
	t.Run("SecretKeptOutOfTheLog", func(t *testing.T) {
		secret := strings.TrimPrefix(link, "/invite/")
		if strings.Contains(logs.String(), secret) {
			t.Error("the invitation secret is in the log")
		}
		if !strings.Contains(logs.String(), "/invite/…") {
			t.Error("requests to the link are not logged at all")
		}
	})
	t.Run("TakenEmailRefused", func(t *testing.T) {
		res := w.b.post("/admin/users", url.Values{"email": {"INES@example.com"}, "role": {"viewer"}, "method": {"invite"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-email").Text() == "" {
			t.Error("no message beside the email")
		}
	})
}

func TestInitialPasswordMustBeChanged(t *testing.T) {
	w := newAdminWorld(t)
	initial := "temporary passphrase from admin"
	res := w.b.post("/admin/users", url.Values{"email": {"paul@example.com"}, "name": {"Paul"}, "role": {"editor"},
		"method": {"password"}, "password": {initial}, "confirm": {initial}})
	wantRedirect(t, res, "/admin/users/")
	if testid(parseHTML(t, w.b.get(res.Header.Get("Location"))), "flash").Text() == "" {
		t.Error("no confirmation shown")
	}
	b := w.app.browser()
	wantStatus(t, b.signIn("paul@example.com", initial), http.StatusSeeOther)

	t.Run("EveryPageSendsToTheAccountPage", func(t *testing.T) {
		for _, path := range []string{"/", "/patents", "/companies/new"} {
			wantRedirect(t, b.get(path), "/account")
		}
		wantRedirect(t, b.post("/companies", url.Values{"name": {"Sneaky Ltd"}}), "/account")
		wantRedirect(t, b.post("/account/tokens", url.Values{"name": {"script"}}), "/account")
		doc := parseHTML(t, b.get("/account"))
		if testid(doc, "must-change").Text() == "" || testid(doc, "password-form").Length() != 1 {
			t.Error("the account page does not ask for a new password")
		}
		if testid(doc, "tokens").Length() != 0 {
			t.Error("the account page offers tokens before the password is changed")
		}
	})
	t.Run("SamePasswordRefused", func(t *testing.T) {
		res := b.post("/account/password", url.Values{"current": {initial}, "password": {initial}, "confirm": {initial}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-password").Text() == "" {
			t.Error("no message beside the password")
		}
	})
	t.Run("OwnPasswordOpensEverything", func(t *testing.T) {
		own := "his very own passphrase"
		wantRedirect(t, b.post("/account/password", url.Values{"current": {initial}, "password": {own}, "confirm": {own}}), "/account")
		wantStatus(t, b.get("/patents"), http.StatusOK)
		wantStatus(t, w.app.browser().signIn("paul@example.com", initial), http.StatusUnauthorized)
	})
	t.Run("ResetByAdministratorForcesItAgain", func(t *testing.T) {
		paul, _ := w.app.db.UserByEmail(context.Background(), "paul@example.com")
		again := "second temporary passphrase"
		wantRedirect(t, w.b.post(userPath(paul)+"/reset", url.Values{"method": {"password"}, "password": {again}, "confirm": {again}}), userPath(paul))
		wantRedirect(t, b.get("/patents"), "/login") // the reset ended Paul's session
		wantStatus(t, b.signIn(paul.Email, again), http.StatusSeeOther)
		wantRedirect(t, b.get("/patents"), "/account")
		wantAudited(t, w.app, "user.reset", "user.password")
	})
	t.Run("FormErrorsKeepInput", func(t *testing.T) {
		res := w.b.post("/admin/users", url.Values{"email": {"not an email"}, "name": {"Quinn"}, "role": {"boss"},
			"method": {"password"}, "password": {"1qaz2wsx3edc"}, "confirm": {"1qaz2wsx3edc"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		for _, field := range []string{"email", "role", "password"} {
			if testid(doc, "error-"+field).Text() == "" {
				t.Errorf("no message beside %s", field)
			}
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Quinn" {
			t.Errorf("name not kept: %q", v)
		}
	})
}

func TestRoleChangeTakesEffectAtOnce(t *testing.T) {
	w := newAdminWorld(t)
	api := w.app.apiClient("erin@example.com", auth.RoleEditor)
	erin, _ := w.app.db.UserByEmail(context.Background(), "erin@example.com")
	b := w.app.browser()
	b.mustSignIn(erin)
	wantRedirect(t, b.post("/companies", url.Values{"name": {"Before Demotion Oy"}}), "/companies/")
	api.call(http.MethodPost, "/api/v1/companies", map[string]any{"name": "Before Demotion API Oy"}, http.StatusCreated, nil)

	res := w.b.post(userPath(erin)+"/role", url.Values{"role": {"viewer"}})
	wantRedirect(t, res, userPath(erin))
	if !strings.Contains(testid(parseHTML(t, w.b.get(userPath(erin))), "flash").Text(), "erin@example.com") {
		t.Error("no confirmation naming the user")
	}

	t.Run("BrowserRefusedOnTheNextWrite", func(t *testing.T) {
		wantStatus(t, b.post("/companies", url.Values{"name": {"After Demotion Oy"}}), http.StatusForbidden)
		wantStatus(t, b.get("/companies"), http.StatusOK) // reading goes on
	})
	t.Run("TokenRefusedOnTheNextWrite", func(t *testing.T) {
		api.in(t).wantError(http.MethodPost, "/api/v1/companies", map[string]any{"name": "After Demotion API Oy"}, http.StatusForbidden, "forbidden")
		api.in(t).get("/api/v1/companies", http.StatusOK, nil)
	})
	t.Run("AuditedWithBeforeAndAfter", func(t *testing.T) {
		rows, _ := w.app.db.RecentAudit(context.Background(), 50)
		found := false
		for _, r := range rows {
			if r.Action == "user.role" && r.EntityID == fmt.Sprint(erin.ID) && strings.Contains(r.Details, `"editor"`) &&
				strings.Contains(r.Details, `"viewer"`) && r.Actor == w.admin.Email {
				found = true
			}
		}
		if !found {
			t.Error("no audit row for the role change")
		}
		if testid(parseHTML(t, w.b.get(userPath(erin))), "audit-row").Length() == 0 {
			t.Error("the user's page shows no recent activity")
		}
	})
	t.Run("PromotedBack", func(t *testing.T) {
		wantRedirect(t, w.b.post(userPath(erin)+"/role", url.Values{"role": {"editor"}}), userPath(erin))
		wantRedirect(t, b.post("/companies", url.Values{"name": {"Promoted Again Oy"}}), "/companies/")
	})
	t.Run("UnknownRoleRefused", func(t *testing.T) {
		res := w.b.post(userPath(erin)+"/role", url.Values{"role": {"owner"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-role").Text() == "" {
			t.Error("no message beside the role")
		}
	})
}

func TestDisableEndsSessionsAndTokens(t *testing.T) {
	w := newAdminWorld(t)
	api := w.app.apiClient("dora@example.com", auth.RoleEditor)
	dora, _ := w.app.db.UserByEmail(context.Background(), "dora@example.com")
	b := w.app.browser()
	b.mustSignIn(dora)

	wantRedirect(t, w.b.post(userPath(dora)+"/disable", nil), userPath(dora))
	wantRedirect(t, b.get("/"), "/login")
	api.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
	wantStatus(t, w.app.browser().signIn(dora.Email, testPassword(dora.Email)), http.StatusUnauthorized)
	doc := parseHTML(t, w.b.get(userPath(dora)))
	if testid(doc, "enable-form").Length() != 1 || testid(doc, "token-revoke").Length() != 0 {
		t.Error("the page of a disabled user should offer enabling and no live token")
	}

	wantRedirect(t, w.b.post(userPath(dora)+"/enable", nil), userPath(dora))
	w.app.browser().mustSignIn(dora)
	api.wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized") // tokens stay revoked
	wantAudited(t, w.app, "user.disable", "user.enable")
}

func TestLastAdministrator(t *testing.T) {
	w := newAdminWorld(t)
	self := userPath(w.admin)

	t.Run("CannotDemoteThemselves", func(t *testing.T) {
		res := w.b.post(self+"/role", url.Values{"role": {"editor"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(testid(parseHTML(t, res), "error-role").Text(), "last active administrator") {
			t.Error("no clear message")
		}
	})
	t.Run("CannotDisableThemselves", func(t *testing.T) {
		res := w.b.post(self+"/disable", nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(testid(parseHTML(t, res), "admin-error").Text(), "last active administrator") {
			t.Error("no clear message")
		}
		wantStatus(t, w.b.get("/admin"), http.StatusOK)
	})
	t.Run("MayStepDownOnceAnotherAdminExists", func(t *testing.T) {
		w.app.addUser("deputy@example.com", auth.RoleAdmin)
		wantRedirect(t, w.b.post(self+"/role", url.Values{"role": {"editor"}}), "/")
		wantStatus(t, w.b.get("/admin"), http.StatusForbidden)
	})
}

func TestPasswordResetLink(t *testing.T) {
	w := newAdminWorld(t)
	rita := w.app.addUser("rita@example.com", auth.RoleViewer)
	old := w.app.browser()
	old.mustSignIn(rita)

	res := w.b.post(userPath(rita)+"/reset", url.Values{"method": {"link"}})
	wantStatus(t, res, http.StatusOK)
	link := linkPath(t, parseHTML(t, res))
	w.app.browser().mustSignIn(rita) // the old password works until the link is used
	doc := parseHTML(t, w.app.browser().get(link))
	if doc.Find("#name").Length() != 0 {
		t.Error("a reset asks for the name")
	}
	pw := "a new passphrase after reset"
	wantRedirect(t, w.app.browser().post(link, url.Values{"password": {pw}, "confirm": {pw}}), "/login?notice=password_set")
	wantRedirect(t, old.get("/"), "/login")
	wantStatus(t, w.app.browser().signIn(rita.Email, testPassword(rita.Email)), http.StatusUnauthorized)
	wantStatus(t, w.app.browser().signIn(rita.Email, pw), http.StatusSeeOther)
	wantAudited(t, w.app, "user.reset", "user.password_reset")

	t.Run("NewerLinkReplacesOlder", func(t *testing.T) {
		first := linkPath(t, parseHTML(t, w.b.post(userPath(rita)+"/reset", url.Values{"method": {"link"}})))
		second := linkPath(t, parseHTML(t, w.b.post(userPath(rita)+"/reset", url.Values{"method": {"link"}})))
		wantStatus(t, w.app.browser().get(first), http.StatusNotFound)
		wantStatus(t, w.app.browser().get(second), http.StatusOK)
	})
}

func TestAdminUserPageTokensAndSessions(t *testing.T) {
	w := newAdminWorld(t)
	api := w.app.apiClient("tom@example.com", auth.RoleEditor)
	tom, _ := w.app.db.UserByEmail(context.Background(), "tom@example.com")
	b := w.app.browser()
	req, _ := http.NewRequest(http.MethodPost, w.app.http.URL+"/login", strings.NewReader(url.Values{"email": {tom.Email},
		"password": {testPassword(tom.Email)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")
	wantStatus(t, b.do(req), http.StatusSeeOther)

	doc := parseHTML(t, w.b.get(userPath(tom)))
	if got := testid(doc, "session-device").Text(); !strings.Contains(got, "Firefox on Windows") {
		t.Errorf("device shown as %q", got)
	}
	if testid(doc, "session-current").Length() != 0 {
		t.Error("another user's session marked as this browser")
	}

	t.Run("RevokeToken", func(t *testing.T) {
		action, _ := testid(doc, "token-revoke").Attr("action")
		wantRedirect(t, w.b.post(action, nil), userPath(tom)+"#tokens")
		api.in(t).wantError(http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized, "unauthorized")
		wantStatus(t, w.b.post(action, nil), http.StatusNotFound)
		wantAudited(t, w.app, "token.create", "token.revoke")
	})
	t.Run("EndSession", func(t *testing.T) {
		action, _ := testid(doc, "session-end").Attr("action")
		wantRedirect(t, w.b.post(action, nil), userPath(tom)+"#sessions")
		wantRedirect(t, b.get("/"), "/login")
		rows, _ := w.app.db.RecentAudit(context.Background(), 5)
		if rows[0].Action != "session.end" || !strings.Contains(rows[0].Details, `"by_administrator":true`) ||
			!strings.Contains(rows[0].Details, "Firefox") {
			t.Errorf("audit row %+v", rows[0])
		}
		wantStatus(t, w.b.post(action, nil), http.StatusNotFound)
	})
	t.Run("UnknownUser", func(t *testing.T) {
		wantStatus(t, w.b.get("/admin/users/9999"), http.StatusNotFound)
		wantStatus(t, w.b.get("/admin/users/x"), http.StatusNotFound)
	})
}

func TestAdministrationInGerman(t *testing.T) {
	w := newAdminWorld(t)
	w.b.lang = "de"
	target := w.app.addUser("gerd@example.com", auth.RoleViewer)
	checks := []struct {
		name, path, testID, want string
	}{
		{"List", "/admin", "new-user", "Neuer Benutzer"},
		{"NewUserForm", "/admin/users/new", "new-user-submit", "Benutzer anlegen"},
		{"UserPage", userPath(target), "sessions", "Angemeldete Browser"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			res := w.b.get(c.path)
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			if got := testid(doc, c.testID).Text(); !strings.Contains(got, c.want) {
				t.Errorf("%s shows %q, want %q", c.testID, got, c.want)
			}
			if lang, _ := doc.Find("html").Attr("lang"); lang != "de" {
				t.Errorf("page language %q", lang)
			}
		})
	}
	t.Run("InvitationPage", func(t *testing.T) {
		res := w.b.post("/admin/users", url.Values{"email": {"neu@example.com"}, "role": {"viewer"}, "method": {"invite"}})
		link := linkPath(t, parseHTML(t, res))
		b := w.app.browser()
		b.lang = "de"
		doc := parseHTML(t, b.get(link))
		if !strings.Contains(doc.Find("h1").Text(), "Willkommen") {
			t.Errorf("invitation page title %q", doc.Find("h1").Text())
		}
		res = b.post(link, url.Values{"password": {"qwerty123456"}, "confirm": {"qwerty123456"}})
		if got := testid(parseHTML(t, res), "error-password").Text(); !strings.Contains(got, "häufigsten") {
			t.Errorf("common password message %q", got)
		}
	})
	t.Run("LastAdminMessage", func(t *testing.T) {
		res := w.b.post(userPath(w.admin)+"/role", url.Values{"role": {"viewer"}})
		if got := testid(parseHTML(t, res), "error-role").Text(); !strings.Contains(got, "letzte aktive Administrator") {
			t.Errorf("message %q", got)
		}
	})
}

// TestBrowserInvitationJourney: an administrator invites a colleague, who
// opens the link in their own browser, chooses a password, signs in and
// finds their session on the account page.
func TestBrowserInvitationJourney(t *testing.T) {
	app := newTestApp(t)
	admin := app.addUser("admin@example.com", auth.RoleAdmin)
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	err := chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/login"),
		chromedp.SendKeys(css(`#email`), admin.Email),
		chromedp.SendKeys(css(`#password`), testPassword(admin.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="account-link"]`)),
		chromedp.Navigate(app.http.URL+"/admin"),
		chromedp.Click(css(`[data-testid="new-user"]`)),
		chromedp.WaitVisible(css(`[data-testid="new-user-form"]`)),
		chromedp.SendKeys(css(`#email`), "ines@example.com"),
		chromedp.SendKeys(css(`#name`), "Ines Ito"),
		chromedp.SetValue(css(`#role`), "editor"),
		screenshot(dir, "a1-new-user"),
		chromedp.Click(css(`[data-testid="new-user-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="new-link-url"]`)),
		screenshot(dir, "a2-invitation-link"),
	)
	if err != nil {
		t.Fatalf("invite: %v (screenshots in %s)", err, dir)
	}
	link, err := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="new-link-url"]`)))
	if err != nil || !strings.Contains(link, "/invite/"+auth.InvitePrefix) {
		t.Fatalf("link %q, %v", link, err)
	}

	guest, guestProblems := newBrowser(t)
	pw := "She chooses a passphrase of her own"
	err = chromedp.Do(guest,
		chromedp.Navigate(link),
		chromedp.WaitVisible(css(`[data-testid="invite-form"]`)),
		screenshot(dir, "a3-invitation-page"),
		chromedp.SendKeys(css(`#password`), pw),
		chromedp.SendKeys(css(`#confirm`), pw),
		chromedp.Submit(css(`#confirm`)),
		chromedp.WaitVisible(css(`[data-testid="login-notice"]`)),
		chromedp.SendKeys(css(`#email`), "ines@example.com"),
		chromedp.SendKeys(css(`#password`), pw),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="account-link"]`)),
		chromedp.Navigate(app.http.URL+"/account#sessions"),
		chromedp.WaitVisible(css(`[data-testid="session-current"]`)),
		screenshot(dir, "a4-account-sessions"),
	)
	if err != nil {
		t.Fatalf("accept the invitation: %v (screenshots in %s)", err, dir)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/admin"),
		chromedp.WaitVisible(css(`[data-testid="users-table"]`)),
		screenshot(dir, "a5-users"),
		chromedp.Click(css(`a[href="/admin/users/2"]`)),
		chromedp.WaitVisible(css(`[data-testid="sessions-table"]`)),
		screenshot(dir, "a6-user-page"),
		chromedp.ScrollIntoView(css(`[data-testid="activity"]`)),
		screenshot(dir, "a7-user-activity"),
	)
	if err != nil {
		t.Fatalf("the invitee's page: %v (screenshots in %s)", err, dir)
	}
	for _, line := range append(consoleProblems(), guestProblems()...) {
		t.Errorf("browser console: %s", line)
	}
}
