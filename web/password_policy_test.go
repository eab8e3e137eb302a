package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

// The account page refuses a long password from the leaked-password lists
// and passwords made of what an attacker knows about the account: its
// email address, the part before the @, the application's name.
func TestNewPasswordPolicyOnTheAccountPage(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("anna.berger@kanzlei.example", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	refused := func(t *testing.T, pw string) string {
		t.Helper()
		res := b.post("/account/password", url.Values{"current": {testPassword(u.Email)}, "password": {pw}, "confirm": {pw}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		return testid(parseHTML(t, res), "error-password").Text()
	}
	t.Run("LongCommonPassword", func(t *testing.T) {
		// 12 characters and on SecLists' lists, not on zxcvbn's 30,000.
		if msg := refused(t, "PasswordPassword"); !strings.Contains(msg, "most commonly used") {
			t.Errorf("message %q", msg)
		}
	})
	for _, tc := range []struct{ name, pw string }{
		{"EmailAddress", "mein konto ANNA.BERGER@kanzlei.example"},
		{"LocalPart", "Anna.Berger liest Verträge"},
		{"AppName", "mein PatentDesk Passwort 2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if msg := refused(t, tc.pw); !strings.Contains(msg, "email address") || !strings.Contains(msg, "PatentDesk") {
				t.Errorf("message %q", msg)
			}
		})
	}
	t.Run("InGerman", func(t *testing.T) {
		b.lang = "de"
		defer func() { b.lang = "" }()
		if msg := refused(t, "mein PatentDesk Passwort 2026"); !strings.Contains(msg, "E-Mail-Adresse") {
			t.Errorf("German message %q", msg)
		}
	})
	wantRedirect(t, b.post("/account/password", url.Values{"current": {testPassword(u.Email)},
		"password": {"Berger liest Verträge gern"}, "confirm": {"Berger liest Verträge gern"}}), "/account")
}

// An administrator's initial password and one chosen through a reset link
// are held to the same rule, with the address of the account they are for.
func TestAdminAndLinkPasswordsRefuseTheEmail(t *testing.T) {
	w := newAdminWorld(t)
	rita := w.app.addUser("rita.meyer@example.com", auth.RoleViewer)
	pw := "Willkommen rita.meyer 2026"
	res := w.b.post(userPath(rita)+"/reset", url.Values{"method": {"password"}, "password": {pw}, "confirm": {pw}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if testid(parseHTML(t, res), "error-password").Text() == "" {
		t.Error("no message beside the initial password")
	}
	link := linkPath(t, parseHTML(t, w.b.post(userPath(rita)+"/reset", url.Values{"method": {"link"}})))
	wantStatus(t, w.app.browser().post(link, url.Values{"password": {pw}, "confirm": {pw}}), http.StatusUnprocessableEntity)
}
