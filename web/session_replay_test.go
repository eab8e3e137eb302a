package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// Replaying a session cookie after the session has ended. Tests elsewhere
// cover the first step of some of these (web/signin_test.go TestSessionEnds:
// sign-out, idle and absolute timeouts, disabling, each replayed on the
// start page; TestSessionCookie: a new id when a signed-in browser signs in
// again; web/account_test.go ChangeEndsOtherSessionsOnly). Here every way a
// session ends is followed by the same replay of the old cookie against a
// page, a CSV download and a write, each of which must be refused without
// data and without change; and a cookie brought to sign-in (planted,
// forged, tampered with, signed with a retired key) must never become a
// signed-in session.

// replayCookie sends one request carrying nothing but the session cookie
// value, as an attacker holding a copied cookie would.
func replayCookie(t *testing.T, app *testApp, cookie, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, app.http.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: app.srv.sessions.CookieName(), Value: cookie})
	return app.browser().do(req)
}

// wantReplayRefused replays cookie against a page, a CSV export and a
// write, and fails unless each is refused, shows nothing of u's and
// changes nothing.
func wantReplayRefused(t *testing.T, app *testApp, u *auth.User, cookie string) {
	t.Helper()
	for _, path := range []string{"/account", "/patents.csv"} {
		res := replayCookie(t, app, cookie, http.MethodGet, path, nil)
		wantRedirect(t, res, "/login?next=")
		b, _ := io.ReadAll(res.Body)
		if strings.Contains(string(b), u.Email) {
			t.Errorf("replayed %s answered with the user's data: %q", path, b)
		}
		for _, c := range res.Cookies() {
			if c.Name == app.srv.sessions.CookieName() && c.Value != "" {
				t.Errorf("replayed %s was given a new session cookie", path)
			}
		}
	}
	before := latestAudit(t, app)
	res := replayCookie(t, app, cookie, http.MethodPost, "/account/tokens", url.Values{"name": {"stolen"}})
	wantStatus(t, res, http.StatusUnauthorized)
	if after := latestAudit(t, app); after != before {
		t.Errorf("a replayed write changed something: audit %d → %d", before, after)
	}
}

// latestAudit is the id of the newest audit row.
func latestAudit(t *testing.T, app *testApp) int64 {
	t.Helper()
	list, err := app.db.RecentAudit(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		return 0
	}
	return list[0].ID
}

func TestSessionReplayAfterItEnds(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		// end ends the session that browser b holds for u; other is a
		// second account.
		end func(t *testing.T, app *testApp, b *browser, u, other *auth.User)
	}{
		{"SignOut", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			wantRedirect(t, b.post("/logout", nil), "/login?notice=signed_out")
		}},
		{"SignInAgainInTheSameBrowser", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			b.mustSignIn(u)
		}},
		{"SomeoneElseSignsInInTheSameBrowser", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			b.mustSignIn(other)
		}},
		{"PasswordChangedInAnotherBrowser", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			elsewhere := app.browser()
			elsewhere.mustSignIn(u)
			pw := "an entirely new passphrase 2026"
			wantRedirect(t, elsewhere.post("/account/password",
				url.Values{"current": {testPassword(u.Email)}, "password": {pw}, "confirm": {pw}}), "/account")
		}},
		{"PasswordSetOnTheCommandLine", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			hash, err := auth.HashPassword("a passphrase set by the operator")
			if err != nil {
				t.Fatal(err)
			}
			if err := app.db.SetPassword(ctx, sqlite.SystemActor(), u.ID, hash, ""); err != nil {
				t.Fatal(err)
			}
		}},
		{"InitialPasswordSetByAnAdministrator", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			admin := signedIn(t, app, "admin@example.com", auth.RoleAdmin)
			pw := "an initial passphrase from the admin"
			wantRedirect(t, admin.post(userPath(u)+"/reset",
				url.Values{"method": {"password"}, "password": {pw}, "confirm": {pw}}), userPath(u))
		}},
		{"ResetLinkUsed", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			secret, _, err := app.db.IssuePasswordLink(ctx, sqlite.SystemActor(), u.ID, app.clock.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			pw := "a passphrase chosen through the link"
			res := app.browser().post("/invite/"+secret, url.Values{"password": {pw}, "confirm": {pw}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("using the reset link answered %d", res.StatusCode)
			}
		}},
		{"EndedFromTheSessionListElsewhere", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			elsewhere := app.browser()
			elsewhere.mustSignIn(u)
			_, others := sessionEndActions(t, parseHTML(t, elsewhere.get("/account")))
			if len(others) != 1 {
				t.Fatalf("the session list offers to end %d other sessions, want 1", len(others))
			}
			wantRedirect(t, elsewhere.post(others[0], nil), "/account#sessions")
		}},
		{"EndedByAnAdministrator", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			admin := signedIn(t, app, "admin@example.com", auth.RoleAdmin)
			handle := onlySession(t, app, u)
			wantRedirect(t, admin.post(userPath(u)+"/sessions/"+handle+"/end", nil), userPath(u))
		}},
		{"DisabledThenEnabledAgain", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			// Re-enabling the account must not bring the session back.
			for _, disabled := range []bool{true, false} {
				if err := app.db.SetUserDisabled(ctx, sqlite.SystemActor(), u.ID, disabled); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"IdleTimeout", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			app.clock.Advance(auth.DefaultSessionConfig.IdleTimeout + time.Second)
		}},
		{"AbsoluteTimeout", func(t *testing.T, app *testApp, b *browser, u, other *auth.User) {
			step := auth.DefaultSessionConfig.IdleTimeout / 2
			for elapsed := time.Duration(0); elapsed <= auth.DefaultSessionConfig.AbsoluteTimeout; elapsed += step {
				app.clock.Advance(step)
				b.get("/") // busy all the time: only the absolute limit can end it
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestApp(t)
			u := app.addUser("a@example.com", auth.RoleEditor)
			other := app.addUser("b@example.com", auth.RoleEditor)
			b := app.browser()
			b.mustSignIn(u)
			old := b.sessionCookie()
			wantStatus(t, replayCookie(t, app, old, http.MethodGet, "/account", nil), http.StatusOK) // the replay works while the session lives
			tc.end(t, app, b, u, other)
			wantReplayRefused(t, app, u, old)
		})
	}
}

// onlySession returns the handle of u's one session.
func onlySession(t *testing.T, app *testApp, u *auth.User) string {
	t.Helper()
	list, err := app.db.UserSessions(context.Background(), u.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("want one session of %s, found %d", u.Email, len(list))
	}
	return list[0].IDHash
}

func TestSessionFixation(t *testing.T) {
	t.Run("NoSessionBeforeSignIn", func(t *testing.T) {
		// Nothing is issued before sign-in, so there is no anonymous id
		// that sign-in could carry over.
		app := newTestApp(t)
		for _, path := range []string{"/login", "/", "/healthz"} {
			for _, c := range app.browser().get(path).Cookies() {
				if c.Name == app.srv.sessions.CookieName() {
					t.Errorf("GET %s issued a session cookie before sign-in", path)
				}
			}
		}
	})
	t.Run("PlantedSessionIsNotAdopted", func(t *testing.T) {
		// An attacker signs in to their own account and plants that cookie
		// in the victim's browser; the victim then signs in.
		app := newTestApp(t)
		attacker := app.addUser("attacker@example.com", auth.RoleViewer)
		victim := app.addUser("victim@example.com", auth.RoleEditor)
		ab := app.browser()
		ab.mustSignIn(attacker)
		planted := ab.sessionCookie()
		vb := app.browser()
		u, _ := url.Parse(app.http.URL)
		vb.c.Jar.SetCookies(u, []*http.Cookie{{Name: app.srv.sessions.CookieName(), Value: planted, Path: "/"}})
		vb.mustSignIn(victim)
		if got := vb.sessionCookie(); got == planted || got == "" {
			t.Fatalf("the victim's session kept the planted id (%v)", got == planted)
		}
		if testid(parseHTML(t, vb.get("/account")), "account-link").Text() != "victim" {
			t.Error("the victim is not signed in as themselves")
		}
		wantReplayRefused(t, app, victim, planted)
	})
	t.Run("ForgedCookieIsIgnored", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		wantRedirect(t, replayCookie(t, app, "forged-session-id", http.MethodGet, "/", nil), "/login?next=")
		b := app.browser()
		base, _ := url.Parse(app.http.URL)
		b.c.Jar.SetCookies(base, []*http.Cookie{{Name: app.srv.sessions.CookieName(), Value: "forged-session-id", Path: "/"}})
		b.mustSignIn(u)
		if b.sessionCookie() == "forged-session-id" {
			t.Error("sign-in kept a forged cookie value")
		}
	})
	t.Run("TamperedCookieIsRefused", func(t *testing.T) {
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		good := b.sessionCookie()
		// Inner characters only: every bit of theirs is part of the value,
		// whereas the last base64 character may carry unused bits.
		for _, pos := range []int{1, len(good) / 3, len(good) / 2, 2 * len(good) / 3} {
			flipped := byte('A')
			if good[pos] == 'A' {
				flipped = 'B'
			}
			bad := good[:pos] + string(flipped) + good[pos+1:]
			wantReplayRefused(t, app, u, bad)
		}
	})
	t.Run("RetiredSigningKey", func(t *testing.T) {
		// PATENTDESK_SESSION_KEY lists keys: the first signs, the others
		// still verify. Once a key is dropped, its cookies open nothing.
		app := newTestApp(t)
		u := app.addUser("a@example.com", auth.RoleViewer)
		b := app.browser()
		b.mustSignIn(u)
		old := b.sessionCookie()
		oldKey := app.srv.cfg.SessionKeys[0]
		serve := func(keys ...[]byte) *testApp {
			srv, err := New(Config{SessionKeys: keys, Now: app.clock.Now,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, app.db)
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			t.Cleanup(hs.Close)
			return &testApp{t: t, srv: srv, db: app.db, http: hs, clock: app.clock}
		}
		rotated := serve(auth.NewSessionKey(), oldKey)
		wantStatus(t, replayCookie(t, rotated, old, http.MethodGet, "/account", nil), http.StatusOK)
		retired := serve(auth.NewSessionKey())
		wantReplayRefused(t, retired, u, old)
	})
}
