package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
)

// Browsers as their User-Agent headers name them.
const (
	firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
	safariOnIPhone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)

// signInFrom signs u in with a browser that sends userAgent.
func signInFrom(t *testing.T, b *browser, u *auth.User, userAgent string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.http.URL+"/login", strings.NewReader(url.Values{"email": {u.Email},
		"password": {testPassword(u.Email)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", userAgent)
	wantStatus(t, b.do(req), http.StatusSeeOther)
}

// sessionEndActions reads the account page's sessions: the form action
// ending the browser's own session, and those ending the others.
func sessionEndActions(t *testing.T, doc *goquery.Document) (own string, others []string) {
	t.Helper()
	testid(doc, "session-row").Each(func(_ int, row *goquery.Selection) {
		action, _ := row.Find(`[data-testid="session-end"]`).Attr("action")
		if row.Find(`[data-testid="session-current"]`).Length() > 0 {
			own = action
		} else {
			others = append(others, action)
		}
	})
	return own, others
}

func TestOwnSessions(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("sam@example.com", auth.RoleViewer)
	desk, phone := app.browser(), app.browser()
	signInFrom(t, desk, u, firefoxOnWindows)
	signInFrom(t, phone, u, safariOnIPhone)

	doc := parseHTML(t, desk.get("/account"))
	if n := testid(doc, "session-row").Length(); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	var devices []string
	testid(doc, "session-device").Each(func(_ int, s *goquery.Selection) {
		devices = append(devices, strings.Join(strings.Fields(s.Text()), " "))
	})
	joined := strings.Join(devices, " | ")
	if !strings.Contains(joined, "Firefox on Windows this browser") || !strings.Contains(joined, "Safari on iPhone") {
		t.Errorf("devices shown as %q; want Firefox on Windows marked as this browser, and Safari on iPhone", joined)
	}
	if testid(doc, "session-address").First().Text() == "" {
		t.Error("no address shown")
	}
	own, others := sessionEndActions(t, doc)
	if own == "" || len(others) != 1 {
		t.Fatalf("own %q, others %v", own, others)
	}
	// The form names the session as the database keys it, by the hash of
	// the cookie's id, so the page never carries the id itself.
	handle := strings.TrimSuffix(strings.TrimPrefix(others[0], "/account/sessions/"), "/end")
	if _, err := app.db.SessionByHash(context.Background(), handle); err != nil {
		t.Errorf("the form's handle %q is not the stored hash: %v", handle, err)
	}

	t.Run("EndAnother", func(t *testing.T) {
		wantRedirect(t, desk.post(others[0], nil), "/account#sessions")
		if testid(parseHTML(t, desk.get("/account")), "flash").Text() == "" {
			t.Error("no confirmation shown")
		}
		wantRedirect(t, phone.get("/"), "/login")
		wantStatus(t, desk.get("/"), http.StatusOK)
		rows, _ := app.db.RecentAudit(context.Background(), 5)
		found := false
		for _, r := range rows {
			found = found || (r.Action == "session.end" && strings.Contains(r.Details, `"by_administrator":false`) &&
				strings.Contains(r.Details, "iPhone") && r.Actor == u.Email)
		}
		if !found {
			t.Errorf("no audit row for the ended session in %+v", rows)
		}
		wantStatus(t, desk.post(others[0], nil), http.StatusNotFound)
	})
	t.Run("EndingThisOneSignsOut", func(t *testing.T) {
		wantRedirect(t, desk.post(own, nil), "/login?notice=signed_out")
		wantRedirect(t, desk.get("/"), "/login")
		wantAudited(t, app, "session.signout")
	})
}

func TestOtherUsersSessionsOutOfReach(t *testing.T) {
	app := newTestApp(t)
	victim := app.addUser("victim@example.com", auth.RoleEditor)
	nosy := app.addUser("nosy@example.com", auth.RoleEditor)
	vb, nb := app.browser(), app.browser()
	vb.mustSignIn(victim)
	nb.mustSignIn(nosy)
	victimsOwn, _ := sessionEndActions(t, parseHTML(t, vb.get("/account")))
	handle := strings.TrimSuffix(strings.TrimPrefix(victimsOwn, "/account/sessions/"), "/end")

	tests := []struct {
		name, path string
		want       int
	}{
		{"ThroughTheAccountPage", victimsOwn, http.StatusNotFound},
		{"ThroughTheAdminPage", userPath(victim) + "/sessions/" + handle + "/end", http.StatusForbidden},
		{"MalformedHandle", "/account/sessions/not-a-handle/end", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, nb.post(tc.path, nil), tc.want)
			wantStatus(t, vb.get("/"), http.StatusOK)
		})
	}
	t.Run("OnlyOwnSessionsListed", func(t *testing.T) {
		if n := testid(parseHTML(t, nb.get("/account")), "session-row").Length(); n != 1 {
			t.Errorf("%d sessions listed, want the user's own one", n)
		}
	})
}

// TestSignInEventsAudited: success and failure are in TestSignIn; this adds
// the throttled attempt and the sign-out.
func TestSignInEventsAudited(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	wantRedirect(t, b.post("/logout", nil), "/login?notice=signed_out")
	for i := 0; i < 6; i++ {
		app.browser().signIn(u.Email, "wrong password, attempt "+string(rune('a'+i)))
	}
	wantAudited(t, app, "session.signin", "session.signin_failed", "session.signin_throttled", "session.signout")
}

func TestSessionsInGerman(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("g@example.com", auth.RoleViewer)
	b := app.browser()
	b.lang = "de"
	signInFrom(t, b, u, firefoxOnWindows)
	doc := parseHTML(t, b.get("/account"))
	if got := testid(doc, "sessions").Find("h2").Text(); got != "Angemeldete Browser" {
		t.Errorf("section title %q", got)
	}
	if got := testid(doc, "session-device").Text(); !strings.Contains(got, "Firefox unter Windows") || !strings.Contains(got, "dieser Browser") {
		t.Errorf("device %q", got)
	}
}

func TestCommonPasswordRefusedOnTheAccountPage(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("c@example.com", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	for _, pw := range []string{"qwerty123456", "QWERTY123456", "1qaz2wsx3edc"} {
		t.Run(pw, func(t *testing.T) {
			res := b.post("/account/password", url.Values{"current": {testPassword(u.Email)}, "password": {pw}, "confirm": {pw}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if got := testid(parseHTML(t, res), "error-password").Text(); !strings.Contains(got, "most commonly used") {
				t.Errorf("message %q does not say why", got)
			}
		})
	}
	t.Run("LongUnicodePassphraseAccepted", func(t *testing.T) {
		pw := strings.Repeat("Kündigungsfrist für Lizenzverträge beachten — 期限 ", 5)
		wantRedirect(t, b.post("/account/password", url.Values{"current": {testPassword(u.Email)}, "password": {pw}, "confirm": {pw}}), "/account")
		wantStatus(t, app.browser().signIn(u.Email, pw), http.StatusSeeOther)
	})
}
