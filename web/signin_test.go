package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

func TestSignIn(t *testing.T) {
	app := newTestApp(t)
	editor := app.addUser("editor@example.com", auth.RoleEditor)

	t.Run("AnonymousIsSentToSignIn", func(t *testing.T) {
		wantRedirect(t, app.browser().get("/patents?owner=7"), "/login?next=%2Fpatents%3Fowner%3D7")
	})
	t.Run("CorrectPasswordOpensDashboard", func(t *testing.T) {
		b := app.browser()
		res := b.post("/login", url.Values{"email": {"  Editor@Example.com "}, "password": {testPassword(editor.Email)}, "next": {"/account"}})
		wantRedirect(t, res, "/account")
		doc := parseHTML(t, b.get("/"))
		if got := testid(doc, "account-link").Text(); got != "editor" {
			t.Errorf("signed-in user shown as %q", got)
		}
		if testid(doc, "main-nav").Find("a").Length() != 7 {
			t.Errorf("navigation has %d entries, want 7 for an editor", testid(doc, "main-nav").Find("a").Length())
		}
	})
	t.Run("WrongPasswordAndUnknownEmailGetTheSameAnswer", func(t *testing.T) {
		wrong := app.browser().signIn(editor.Email, "not the password at all")
		unknown := app.browser().signIn("nobody@example.com", "not the password at all")
		wantStatus(t, wrong, http.StatusUnauthorized)
		wantStatus(t, unknown, http.StatusUnauthorized)
		a, b := testid(parseHTML(t, wrong), "login-error").Text(), testid(parseHTML(t, unknown), "login-error").Text()
		if a == "" || a != b {
			t.Errorf("messages differ or are empty: %q vs %q", a, b)
		}
	})
	t.Run("ForeignNextIsIgnored", func(t *testing.T) {
		res := app.browser().post("/login", url.Values{"email": {editor.Email}, "password": {testPassword(editor.Email)}, "next": {"//evil.example/x"}})
		wantRedirect(t, res, "/")
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("redirected to %q", loc)
		}
	})
	t.Run("SuccessAndFailureAreAudited", func(t *testing.T) {
		entries, err := app.db.RecentAudit(context.Background(), 50)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
			if e.Action == "session.signin_failed" && e.Address == "" {
				t.Error("failed sign-in recorded without the client address")
			}
		}
		if !seen["session.signin"] || !seen["session.signin_failed"] {
			t.Errorf("audit trail lacks sign-in events: %v", seen)
		}
	})
}

func TestSessionCookie(t *testing.T) {
	t.Run("NewIdAtSignInAndFlagsSet", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		first := b.sessionCookie()
		res := b.signIn(u.Email, testPassword(u.Email))
		var set *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "patentdesk_session" && c.Value != "" {
				set = c
			}
		}
		if set == nil {
			t.Fatal("no session cookie set at sign-in")
		}
		if set.Value == first {
			t.Error("signing in again kept the old session id")
		}
		if !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.Secure {
			t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Path=%q Secure=%v", set.HttpOnly, set.SameSite, set.Path, set.Secure)
		}
		n, _ := app.db.CountSessions(context.Background(), u.ID)
		if n != 1 {
			t.Errorf("%d sessions after signing in twice from one browser, want 1 (the old one ended)", n)
		}
	})
	t.Run("SecureModeUsesHostPrefix", func(t *testing.T) {
		app := newTestApp(t, func(c *Config) { c.Secure = true })
		u := app.addUser("a@example.com", auth.RoleViewer)
		res := app.browser().signIn(u.Email, testPassword(u.Email))
		var names []string
		for _, c := range res.Cookies() {
			names = append(names, c.Name)
			if c.Name == "__Host-patentdesk_session" && (!c.Secure || c.Path != "/" || c.Domain != "") {
				t.Errorf("__Host- cookie must be Secure, Path=/, no Domain: %+v", c)
			}
		}
		if !strings.Contains(strings.Join(names, ","), "__Host-patentdesk_session") {
			t.Errorf("cookies %v, want __Host-patentdesk_session", names)
		}
		if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Errorf("no HSTS on HTTPS: %q", hsts)
		}
	})
}

func TestSessionEnds(t *testing.T) {
	replay := func(t *testing.T, app *testApp, cookie string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, app.http.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: "patentdesk_session", Value: cookie})
		return app.browser().do(req)
	}
	t.Run("SignOutRejectsTheOldCookie", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		old := b.sessionCookie()
		wantStatus(t, replay(t, app, old), http.StatusOK)
		wantRedirect(t, b.post("/logout", nil), "/login?notice=signed_out")
		wantRedirect(t, replay(t, app, old), "/login")
	})
	t.Run("IdleTimeout", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		app.clock.Advance(59 * time.Minute)
		wantStatus(t, b.get("/"), http.StatusOK)
		app.clock.Advance(59 * time.Minute) // activity above reset the idle clock
		wantStatus(t, b.get("/"), http.StatusOK)
		app.clock.Advance(61 * time.Minute)
		wantRedirect(t, b.get("/"), "/login")
	})
	t.Run("AbsoluteTimeoutDespiteActivity", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		old := b.sessionCookie()
		for elapsed := time.Duration(0); elapsed < 12*time.Hour-30*time.Minute; elapsed += 30 * time.Minute {
			app.clock.Advance(30 * time.Minute)
			wantStatus(t, b.get("/"), http.StatusOK)
		}
		app.clock.Advance(31 * time.Minute)
		wantRedirect(t, replay(t, app, old), "/login")
	})
	t.Run("DisabledUserIsSignedOut", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		if err := app.db.SetUserDisabled(context.Background(), sqlite.SystemActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		wantRedirect(t, b.get("/"), "/login")
		wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusUnauthorized)
	})
}

func TestThrottling(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	other := app.addUser("b@example.com", auth.RoleViewer)
	for i := 0; i < 5; i++ {
		wantStatus(t, app.browser().signIn(u.Email, "wrong password number "+string(rune('a'+i))), http.StatusUnauthorized)
	}
	t.Run("AccountLockedEvenWithTheRightPassword", func(t *testing.T) {
		res := app.browser().signIn(u.Email, testPassword(u.Email))
		wantStatus(t, res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After header")
		}
	})
	t.Run("OtherAccountsFromTheSameAddressStillWork", func(t *testing.T) {
		app.browser().mustSignIn(other)
	})
	t.Run("UnlockedAfterTheLockout", func(t *testing.T) {
		app.clock.Advance(16 * time.Minute)
		app.browser().mustSignIn(u)
	})
	t.Run("AddressLockedAfterManyFailuresOnManyAccounts", func(t *testing.T) {
		for i := 0; i < 20; i++ {
			app.browser().signIn("spray"+string(rune('a'+i))+"@example.com", "wrong password entirely")
		}
		wantStatus(t, app.browser().signIn(other.Email, testPassword(other.Email)), http.StatusTooManyRequests)
	})
}
