package web

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
)

// The headers every answer carries: a strict Content-Security-Policy,
// nosniff, a Referrer-Policy, no caching of anything but fingerprinted
// assets, and cookies only with HttpOnly and SameSite (and Secure over
// HTTPS). Checked on every route for every role, on the error pages, the
// static files, the CSV downloads, the API and the calendar feed.

// cachePolicy is what Cache-Control an answer must have.
type cachePolicy string

const (
	noStore   cachePolicy = "no-store"  // pages, downloads, the API: never kept
	immutable cachePolicy = "immutable" // a fingerprinted asset of this version
	noCache   cachePolicy = "no-cache"  // an asset asked for by an old fingerprint
)

// unsafeSources may appear in no CSP directive: they would let injected
// markup run script or style, or load it from anywhere.
var unsafeSources = []string{"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "*", "http:", "https:"}

// checkCSP fails t unless csp is strict: nothing inline, nothing from
// elsewhere, no plugins, no base or framing tricks; a document download
// is sandboxed and may load nothing at all.
func checkCSP(t *testing.T, what, csp string) {
	t.Helper()
	directives := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			directives[f[0]] = f[1:]
		}
	}
	has := func(name, source string) bool {
		for _, s := range directives[name] {
			if s == source {
				return true
			}
		}
		return false
	}
	for name, sources := range directives {
		for _, s := range sources {
			for _, bad := range unsafeSources {
				if s == bad {
					t.Errorf("%s: CSP %s allows %s: %q", what, name, s, csp)
				}
			}
			if s == "data:" && name != "img-src" {
				t.Errorf("%s: CSP %s allows data: URLs: %q", what, name, csp)
			}
		}
	}
	if _, sandboxed := directives["sandbox"]; sandboxed {
		if !has("default-src", "'none'") {
			t.Errorf("%s: sandboxed download may load things: %q", what, csp)
		}
		return
	}
	for _, want := range [][2]string{{"default-src", "'self'"}, {"object-src", "'none'"}, {"base-uri", "'none'"},
		{"frame-ancestors", "'none'"}, {"form-action", "'self'"}} {
		if !has(want[0], want[1]) {
			t.Errorf("%s: CSP lacks %s %s: %q", what, want[0], want[1], csp)
		}
	}
	for _, name := range []string{"script-src", "style-src", "script-src-elem", "style-src-attr"} {
		if sources, ok := directives[name]; ok && (len(sources) != 1 || sources[0] != "'self'") {
			t.Errorf("%s: CSP %s is wider than 'self': %q", what, name, csp)
		}
	}
}

// checkHeaders fails t unless res carries the headers every answer must;
// secure says whether the app runs behind HTTPS (--secure).
func checkHeaders(t *testing.T, what string, res *http.Response, cache cachePolicy, secure bool) {
	t.Helper()
	h := res.Header
	checkCSP(t, what, h.Get("Content-Security-Policy"))
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "same-origin" && got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q leaks addresses to other sites", what, got)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options %q, want DENY", what, got)
	}
	switch got := h.Get("Cache-Control"); cache {
	case noStore, noCache:
		if got != string(cache) {
			t.Errorf("%s: Cache-Control %q, want %s", what, got, cache)
		}
	case immutable:
		if !strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=31536000") {
			t.Errorf("%s: fingerprinted asset cached as %q", what, got)
		}
	}
	if hsts := h.Get("Strict-Transport-Security"); (hsts != "") != secure {
		t.Errorf("%s: HSTS %q with secure=%v", what, hsts, secure)
	}
	if res.StatusCode >= 200 && res.StatusCode != http.StatusNoContent && (res.StatusCode < 300 || res.StatusCode >= 400) &&
		res.Request.Method != http.MethodHead && h.Get("Content-Type") == "" {
		t.Errorf("%s: status %d without a Content-Type", what, res.StatusCode)
	}
	checkCookies(t, what, res, secure)
}

// checkCookies fails t unless every cookie res sets is out of reach of
// scripts and of other sites' requests, and (behind HTTPS) never sent in
// clear.
func checkCookies(t *testing.T, what string, res *http.Response, secure bool) {
	t.Helper()
	for _, c := range res.Cookies() {
		if !c.HttpOnly {
			t.Errorf("%s: cookie %s without HttpOnly", what, c.Name)
		}
		if c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode {
			t.Errorf("%s: cookie %s with SameSite %v, want Lax or Strict", what, c.Name, c.SameSite)
		}
		if secure && !c.Secure {
			t.Errorf("%s: cookie %s without Secure behind HTTPS", what, c.Name)
		}
		if c.Path != "/" || c.Domain != "" {
			t.Errorf("%s: cookie %s scoped to path %q, domain %q", what, c.Name, c.Path, c.Domain)
		}
	}
}

// checkNoInlineCode fails t if an HTML page holds script or style that the
// CSP would block: the page would be broken in a real browser.
func checkNoInlineCode(t *testing.T, what string, res *http.Response) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		tag := goquery.NodeName(el)
		for _, a := range el.Nodes[0].Attr {
			switch {
			case a.Key == "style" || strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: inline %s= on <%s>, which the CSP blocks", what, a.Key, tag)
			case (a.Key == "href" || a.Key == "action" || a.Key == "formaction") &&
				strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"):
				t.Errorf("%s: javascript: URL in <%s %s>", what, tag, a.Key)
			}
		}
		if _, src := el.Attr("src"); tag == "style" || (tag == "script" && !src) {
			t.Errorf("%s: inline <%s>, which the CSP blocks", what, tag)
		}
	})
}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	w := newMatrixWorld(t)
	for _, r := range w.routes() {
		t.Run(r.String(), func(t *testing.T) {
			for _, role := range callers {
				res := w.request(t, r, role, asRouteExpects)
				cache := noStore
				if r.path == "/static/*" {
					cache = immutable
				}
				what := r.String() + " as " + callerName(role)
				checkHeaders(t, what, res, cache, false)
				checkNoInlineCode(t, what, res)
			}
		})
	}
	t.Run("EveryStaticFile", func(t *testing.T) {
		err := fs.WalkDir(w.app.srv.assets.FS(), ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			res := w.app.browser().get(w.app.srv.assets.Path(name))
			wantStatus(t, res, http.StatusOK)
			checkHeaders(t, name, res, immutable, false)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("StaleFingerprintIsRevalidated", func(t *testing.T) {
		res := w.app.browser().get("/static/000000000000/css/app.css")
		wantStatus(t, res, http.StatusOK)
		checkHeaders(t, "old fingerprint", res, noCache, false)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("Content-Type %q", ct)
		}
	})
	t.Run("UnknownAssetIs404", func(t *testing.T) {
		res := w.app.browser().get("/static/000000000000/css/../../embed.go")
		wantStatus(t, res, http.StatusNotFound)
		checkHeaders(t, "unknown asset", res, noStore, false)
	})
}

func TestSecurityHeadersOnErrorsAndDownloads(t *testing.T) {
	w := newMatrixWorld(t)
	viewer := func() *browser {
		b := w.app.browser()
		b.mustSignInAs(w, auth.RoleViewer)
		return b
	}
	editor := w.app.browser()
	editor.mustSignInAs(w, auth.RoleEditor)
	cases := []struct {
		name   string
		status int
		send   func() *http.Response
	}{
		{"NotFoundSignedIn", http.StatusNotFound, func() *http.Response { return viewer().get("/no-such-page") }},
		{"NotFoundAnonymous", http.StatusNotFound, func() *http.Response { return w.app.browser().get("/no-such-page") }},
		{"Forbidden", http.StatusForbidden, func() *http.Response { return viewer().get("/admin") }},
		{"MethodNotAllowed", http.StatusMethodNotAllowed, func() *http.Response {
			req, _ := http.NewRequest(http.MethodDelete, w.app.http.URL+"/companies", nil)
			return viewer().do(req)
		}},
		{"InvalidForm", http.StatusUnprocessableEntity, func() *http.Response { return editor.post("/companies", url.Values{}) }},
		{"WrongPassword", http.StatusUnauthorized, func() *http.Response {
			return w.app.browser().signIn("viewer@example.com", "not the password at all")
		}},
		{"TooLarge", http.StatusRequestEntityTooLarge, func() *http.Response {
			return editor.post("/companies", url.Values{"name": {strings.Repeat("x", 2<<20)}})
		}},
		{"CrossOriginRefused", http.StatusForbidden, func() *http.Response {
			return editor.post("/companies", url.Values{}, "Sec-Fetch-Site", "cross-site")
		}},
		{"DocumentDownload", http.StatusOK, func() *http.Response { return viewer().get("/documents/1") }},
		{"CalendarFeed", http.StatusOK, func() *http.Response { return w.app.browser().get("/calendar/" + w.params["secret"]) }},
		{"UnknownCalendarFeed", http.StatusNotFound, func() *http.Response {
			return w.app.browser().get("/calendar/" + auth.FeedPrefix + "nothing" + calendarSuffix)
		}},
	}
	for _, path := range []string{"/patents.csv", "/companies.csv", "/agreements.csv", "/conflicts.csv", "/reports/title-breaks.csv",
		"/companies/1/coverage.csv", "/companies/1/out-licensing.csv", "/patents.csv?sep=semicolon&bom=1"} {
		cases = append(cases, struct {
			name   string
			status int
			send   func() *http.Response
		}{"CSV " + path, http.StatusOK, func() *http.Response { return viewer().get(path) }})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			wantStatus(t, res, tc.status)
			checkHeaders(t, tc.name, res, noStore, false)
			checkNoInlineCode(t, tc.name, res)
		})
	}
	t.Run("ServerError", func(t *testing.T) {
		app := newTestApp(t)
		app.db.Close() // every query now fails
		res := app.browser().get("/login")
		wantStatus(t, res, http.StatusInternalServerError)
		checkHeaders(t, "500", res, noStore, false)
		b, _ := io.ReadAll(res.Body)
		if strings.Contains(string(b), "sql") || strings.Contains(string(b), "closed") {
			t.Errorf("the error page shows the internal error: %q", b)
		}
	})
}

func TestSecurityHeadersOnTheAPI(t *testing.T) {
	app := newTestApp(t)
	viewer := app.apiClient("viewer@example.com", auth.RoleViewer)
	editor := app.apiClient("editor@example.com", auth.RoleEditor)
	anonymous := &apiClient{t: t, app: app}
	cases := []struct {
		name   string
		client *apiClient
		method string
		path   string
		body   any
		status int
	}{
		{"List", viewer, http.MethodGet, "/api/v1/companies", nil, http.StatusOK},
		{"NoToken", anonymous, http.MethodGet, "/api/v1/companies", nil, http.StatusUnauthorized},
		{"NotFound", viewer, http.MethodGet, "/api/v1/companies/999999", nil, http.StatusNotFound},
		{"ViewerMayNotWrite", viewer, http.MethodPost, "/api/v1/companies", map[string]any{"name": "X"}, http.StatusForbidden},
		{"NotJSON", editor, http.MethodPost, "/api/v1/companies", "{", http.StatusBadRequest},
		{"InvalidField", editor, http.MethodPost, "/api/v1/companies", map[string]any{"name": 5}, http.StatusUnprocessableEntity},
		{"Created", editor, http.MethodPost, "/api/v1/companies", map[string]any{"name": "Nokia Corporation"}, http.StatusCreated},
		{"UnknownEndpoint", viewer, http.MethodGet, "/api/v1/nothing", nil, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.client.in(t)
			res := c.do(tc.method, tc.path, tc.body)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, res.Body)
			}
			checkHeaders(t, tc.name, res.Response, noStore, false)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			if len(res.Cookies()) > 0 {
				t.Errorf("the API set cookies: %v", res.Cookies())
			}
		})
	}
}

func TestSecurityHeadersWhenRateLimited(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.APIRate, c.APIBurst = 1, 1 })
	c := app.apiClient("viewer@example.com", auth.RoleViewer)
	c.get("/api/v1/companies", http.StatusOK, nil)
	res := c.get("/api/v1/companies", http.StatusTooManyRequests, nil) // the fake clock stands still
	checkHeaders(t, "429", res.Response, noStore, false)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		name := "PlainHTTP"
		if secure {
			name = "BehindHTTPS"
		}
		t.Run(name, func(t *testing.T) {
			app := newTestApp(t, func(c *Config) { c.Secure = secure })
			u := app.addUser("a@example.com", auth.RoleViewer)
			b := app.browser()
			signIn := b.signIn(u.Email, testPassword(u.Email))
			wantStatus(t, signIn, http.StatusSeeOther)
			// A TLS proxy talks plain HTTP to the app and may or may not
			// say X-Forwarded-Proto; the flags follow --secure alone.
			locale := b.post("/locale", url.Values{"locale": {"de"}}, "X-Forwarded-Proto", "http")
			signOut := b.post("/logout", nil)
			anonLocale := app.browser().post("/locale", url.Values{"locale": {"en"}})
			for what, res := range map[string]*http.Response{"sign-in": signIn, "locale": locale, "sign-out": signOut,
				"anonymous locale": anonLocale} {
				if len(res.Cookies()) == 0 {
					t.Errorf("%s set no cookie", what)
				}
				checkHeaders(t, what, res, noStore, secure)
			}
			var session *http.Cookie
			for _, c := range signIn.Cookies() {
				if c.Name == app.srv.sessions.CookieName() {
					session = c
				}
			}
			if session == nil {
				t.Fatalf("no %s cookie at sign-in", app.srv.sessions.CookieName())
			}
			if secure != strings.HasPrefix(session.Name, "__Host-") {
				t.Errorf("session cookie %q with secure=%v", session.Name, secure)
			}
			if session.Expires.IsZero() == false || session.MaxAge > 0 {
				t.Errorf("session cookie persists on disk (Expires %v, Max-Age %d); it should end with the browser", session.Expires, session.MaxAge)
			}
		})
	}
}

// mustSignInAs signs the browser in as the matrix world's user of role,
// whose password the demo printed.
func (b *browser) mustSignInAs(w *matrixWorld, role auth.Role) {
	b.t.Helper()
	res := b.signIn(w.users[role].Email, w.passwords[role])
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign-in as %s: status %d", role, res.StatusCode)
	}
}

// TestRedirectsStayOnThisSite: a return-to path from a link (?next= at
// sign-in, the language switch) must lead back to this site as a browser
// reads the Location header. Browsers drop tabs and line breaks from a URL
// and read "\" as "/", so "/<tab>/evil.example" is "//evil.example", another
// site.
func TestRedirectsStayOnThisSite(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	// asBrowserReads is the Location as a browser's URL parser sees it.
	asBrowserReads := func(loc string) string {
		loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
		return strings.ReplaceAll(loc, `\`, "/")
	}
	for _, next := range []string{"//evil.example/", `/\evil.example/`, "/\t/evil.example/", "/\n/evil.example/",
		"/\r/evil.example/", "/\t\\evil.example/", "https://evil.example/", `\\evil.example/`, "/\x00/evil.example/"} {
		t.Run(strings.ToValidUTF8(fmt.Sprintf("%q", next), ""), func(t *testing.T) {
			// Served directly: Go's client refuses such a Location before
			// a test could look at it, browsers follow it.
			post := func(path string, form url.Values) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				app.srv.Handler().ServeHTTP(rec, req)
				return rec
			}
			signIn := post("/login", url.Values{"email": {u.Email}, "password": {testPassword(u.Email)}, "next": {next}})
			locale := post("/locale", url.Values{"locale": {"en"}, "next": {next}})
			for what, rec := range map[string]*httptest.ResponseRecorder{"sign-in": signIn, "language switch": locale} {
				if rec.Code != http.StatusSeeOther {
					t.Fatalf("%s: status %d", what, rec.Code)
				}
				loc := asBrowserReads(rec.Header().Get("Location"))
				if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
					t.Errorf("%s with next=%q leads to %q", what, next, rec.Header().Get("Location"))
				}
			}
		})
	}
}
