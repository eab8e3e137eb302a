package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/sqlite"
)

// TestEveryPageSpeaksGerman opens every page a German administrator can
// reach and fails on any text, or title, placeholder or label, that reads
// exactly as a message of the English catalog whose German differs: a
// string that reached the page without going through the catalog in the
// reader's language. (templates/bare_text_test.go catches literals in the
// templates; this catches English chosen in Go code.)
func TestEveryPageSpeaksGerman(t *testing.T) {
	english := englishOnlyMessages()
	if len(english) < 500 {
		t.Fatalf("only %d English-only messages; is the catalog loaded?", len(english))
	}
	w := newMatrixWorld(t)
	admin := w.users[auth.RoleAdmin]
	if err := w.app.db.SetLocale(context.Background(), sqlite.SystemActor(), admin.ID, "de"); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, r := range w.routes() {
		if r.method != http.MethodGet || r.isAPI() || r.path == "/static/*" || strings.HasSuffix(r.path, ".csv") ||
			strings.Contains(r.path, "/calendar/") || strings.Contains(r.path, "/documents/") {
			continue
		}
		res := w.request(t, r, auth.RoleAdmin, withCookie)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages++
		doc, err := goquery.NewDocumentFromReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if lang, ok := doc.Find("html").Attr("lang"); ok && lang != "de" {
			t.Fatalf("%s: page language %q, want de", r, lang)
		}
		for _, s := range visibleStrings(doc) {
			if key, ok := english[s]; ok {
				t.Errorf("%s: %q is English (%s) on a German page", r, s, key)
			}
		}
	}
	if pages < 40 {
		t.Fatalf("only %d pages opened; the walk is broken", pages)
	}
}

// englishOnlyMessages maps each English message without placeholders that
// reads differently in German, and is no German message either, to its
// key. The names of the languages in the switcher are in their own
// language on purpose.
func englishOnlyMessages() map[string]string {
	msgs := i18n.Messages()
	german := map[string]bool{}
	for _, de := range msgs["de"] {
		german[strings.TrimSpace(de)] = true
	}
	out := map[string]string{}
	for key, en := range msgs["en"] {
		en = strings.TrimSpace(en)
		if strings.HasPrefix(key, "account.language.") || key == "layout.switch_locale" {
			continue
		}
		if msgs["de"][key] != en && !german[en] && !strings.Contains(en, "%") && len(en) >= 4 {
			out[en] = key
		}
	}
	return out
}

// visibleStrings lists the page's text nodes and the attributes a reader
// reads or hears, each trimmed.
func visibleStrings(doc *goquery.Document) []string {
	var out []string
	doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "script" || goquery.NodeName(s) == "style" {
			return
		}
		s.Contents().Each(func(_ int, c *goquery.Selection) {
			if goquery.NodeName(c) == "#text" {
				if t := strings.TrimSpace(c.Text()); t != "" {
					out = append(out, t)
				}
			}
		})
		for _, a := range []string{"title", "placeholder", "aria-label", "alt"} {
			if v, ok := s.Attr(a); ok && strings.TrimSpace(v) != "" {
				out = append(out, strings.TrimSpace(v))
			}
		}
	})
	return out
}
