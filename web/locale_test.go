package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

func TestLanguage(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)

	lang := func(t *testing.T, res *http.Response) (string, string) {
		t.Helper()
		doc := parseHTML(t, res)
		l, _ := doc.Find("html").Attr("lang")
		return l, doc.Find(`[data-testid="main-nav"] a[href="/"], h1`).First().Text()
	}
	t.Run("BrowserGermanGetsGerman", func(t *testing.T) {
		b := app.browser()
		b.lang = "de-DE,de;q=0.9,en;q=0.5"
		if l, h := lang(t, b.get("/login")); l != "de" || h != "Anmelden" {
			t.Errorf("lang=%q heading=%q, want de/Anmelden", l, h)
		}
	})
	t.Run("UnsupportedLanguageFallsBackToEnglish", func(t *testing.T) {
		b := app.browser()
		b.lang = "fr-FR,fr;q=0.9"
		if l, h := lang(t, b.get("/login")); l != "en" || h != "Sign in" {
			t.Errorf("lang=%q heading=%q, want en/Sign in", l, h)
		}
	})
	t.Run("AnonymousChoiceIsRemembered", func(t *testing.T) {
		b := app.browser()
		wantRedirect(t, b.post("/locale", url.Values{"locale": {"de"}, "next": {"/login"}}), "/login")
		if l, _ := lang(t, b.get("/login")); l != "de" {
			t.Errorf("lang=%q after choosing German", l)
		}
	})
	t.Run("UserSettingBeatsBrowser", func(t *testing.T) {
		b := app.browser()
		b.lang = "en-US"
		b.mustSignIn(u)
		wantRedirect(t, b.post("/locale", url.Values{"locale": {"de"}, "next": {"/account"}}), "/account")
		doc := parseHTML(t, b.get("/account"))
		if l, _ := doc.Find("html").Attr("lang"); l != "de" {
			t.Fatalf("lang=%q after choosing German", l)
		}
		if got := testid(doc, "member-since").Text(); got != "21.11.2026" {
			t.Errorf("date shown as %q, want the German 21.11.2026", got)
		}
		if got := testid(doc, "account-role").Text(); got != "Leser" {
			t.Errorf("role shown as %q, want Leser", got)
		}
		stored, _ := app.db.UserByID(context.Background(), u.ID)
		if stored.Locale != "de" {
			t.Errorf("stored locale %q", stored.Locale)
		}
		// Back to following the browser.
		b.post("/locale", url.Values{"locale": {""}, "next": {"/"}})
		doc = parseHTML(t, b.get("/account"))
		if l, _ := doc.Find("html").Attr("lang"); l != "en" {
			t.Errorf("lang=%q after choosing the browser's language (en-US)", l)
		}
		if got := testid(doc, "member-since").Text(); got != "2026-11-21" {
			t.Errorf("date shown as %q, want 2026-11-21", got)
		}
	})
	t.Run("UnknownLanguageRefused", func(t *testing.T) {
		wantStatus(t, app.browser().post("/locale", url.Values{"locale": {"fr"}}), http.StatusUnprocessableEntity)
	})
	t.Run("LanguageChangeIsAudited", func(t *testing.T) {
		entries, _ := app.db.RecentAudit(context.Background(), 20)
		for _, e := range entries {
			if e.Action == "user.locale" && e.UserID == u.ID && e.Via == sqlite.ViaWeb {
				return
			}
		}
		t.Error("no audit row for the language change")
	})
}
