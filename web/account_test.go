package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

func TestChangePassword(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	newPassword := "a much better passphrase 2026"

	t.Run("FieldErrorsKeepTheUserOnThePage", func(t *testing.T) {
		b := app.browser()
		b.mustSignIn(u)
		cases := []struct {
			name  string
			form  url.Values
			field string
		}{
			{"WrongCurrentPassword", url.Values{"current": {"wrong"}, "password": {newPassword}, "confirm": {newPassword}}, "current"},
			{"TooShort", url.Values{"current": {testPassword(u.Email)}, "password": {"short"}, "confirm": {"short"}}, "password"},
			{"TooLong", url.Values{"current": {testPassword(u.Email)}, "password": {strings.Repeat("x", 257)}, "confirm": {strings.Repeat("x", 257)}}, "password"},
			{"Mismatch", url.Values{"current": {testPassword(u.Email)}, "password": {newPassword}, "confirm": {newPassword + "!"}}, "confirm"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := b.post("/account/password", tc.form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				doc := parseHTML(t, res)
				if testid(doc, "error-"+tc.field).Text() == "" {
					t.Errorf("no message beside %s", tc.field)
				}
				if v, _ := doc.Find("#" + tc.field).Attr("aria-invalid"); v != "true" {
					t.Errorf("%s not marked aria-invalid", tc.field)
				}
			})
		}
		b.mustSignIn(u) // the old password still works
	})
	t.Run("ChangeEndsOtherSessionsOnly", func(t *testing.T) {
		here, elsewhere := app.browser(), app.browser()
		here.mustSignIn(u)
		elsewhere.mustSignIn(u)
		res := here.post("/account/password", url.Values{"current": {testPassword(u.Email)}, "password": {newPassword}, "confirm": {newPassword}})
		wantRedirect(t, res, "/account")
		if testid(parseHTML(t, here.get("/account")), "flash").Text() == "" {
			t.Error("no confirmation shown")
		}
		if testid(parseHTML(t, here.get("/account")), "flash").Length() != 0 {
			t.Error("confirmation shown twice")
		}
		wantRedirect(t, elsewhere.get("/"), "/login")
		wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusUnauthorized)
		wantStatus(t, app.browser().signIn(u.Email, newPassword), http.StatusSeeOther)
	})
}

func TestSetupLink(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.SetupToken = "one-time-secret" })
	b := app.browser()
	wantStatus(t, b.get("/setup/wrong-secret"), http.StatusNotFound)
	wantStatus(t, b.get("/setup/one-time-secret"), http.StatusOK)

	t.Run("InvalidInputKeptWithMessages", func(t *testing.T) {
		res := b.post("/setup/one-time-secret", url.Values{"email": {"not-an-email"}, "name": {"Ada"}, "password": {"short"}, "confirm": {"short"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		if testid(doc, "error-email").Text() == "" || testid(doc, "error-password").Text() == "" {
			t.Error("missing field messages")
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Ada" {
			t.Errorf("name not kept: %q", v)
		}
	})
	t.Run("CreatesTheFirstAdministratorOnce", func(t *testing.T) {
		pw := "first administrator passphrase"
		res := b.post("/setup/one-time-secret", url.Values{"email": {"Boss@Example.com"}, "name": {"Boss"}, "password": {pw}, "confirm": {pw}})
		wantRedirect(t, res, "/login?notice=setup_done")
		wantStatus(t, b.get("/setup/one-time-secret"), http.StatusNotFound)
		wantStatus(t, b.post("/setup/one-time-secret", url.Values{"email": {"x@example.com"}, "password": {pw}, "confirm": {pw}}), http.StatusNotFound)
		b.post("/login", url.Values{"email": {"boss@example.com"}, "password": {pw}})
		wantStatus(t, b.get("/admin"), http.StatusOK)
	})
}

func TestErrorPages(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.lang = "de"
	res := b.get("/nothing-here")
	wantStatus(t, res, http.StatusNotFound)
	doc := parseHTML(t, res)
	if testid(doc, "error-page").Length() != 1 || !strings.Contains(testid(doc, "error-message").Text(), "Adresse") {
		t.Errorf("404 page not explained in German: %q", testid(doc, "error-message").Text())
	}
	t.Run("TooLargeBody", func(t *testing.T) {
		res := app.browser().post("/login", url.Values{"email": {strings.Repeat("a", 2<<20)}})
		wantStatus(t, res, http.StatusRequestEntityTooLarge)
	})
}
