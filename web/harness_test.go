package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/demo"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// fakeClock is a settable clock shared by the server, its sessions and the database.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testApp is a running PatentDesk on a fresh database.
type testApp struct {
	t     *testing.T
	srv   *Server
	db    *sqlite.DB
	http  *httptest.Server
	clock *fakeClock
}

func newTestApp(t *testing.T, configure ...func(*Config)) *testApp {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &fakeClock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	db.SetClock(clock.Now)
	cfg := Config{
		SessionKeys: [][]byte{auth.NewSessionKey()},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:         clock.Now,
	}
	for _, f := range configure {
		f(&cfg)
	}
	srv, err := New(cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close) // after the HTTP server, before the database
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &testApp{t: t, srv: srv, db: db, http: hs, clock: clock}
}

// today is the day the test clock stands at, the day to load the demo on.
func (a *testApp) today() licensing.Date { return licensing.DateOf(a.clock.Now()) }

// loadDemo loads the demo data set on the app's today, as serve --demo
// does, and returns its accounts.
func (a *testApp) loadDemo(t *testing.T) []demo.Account {
	t.Helper()
	accounts, err := demo.Load(context.Background(), a.db, a.today())
	if err != nil {
		t.Fatal(err)
	}
	return accounts
}

// testPassword is long enough for the policy; each user gets their own.
func testPassword(email string) string { return "correct horse battery " + email }

func (a *testApp) addUser(email string, role auth.Role) *auth.User {
	a.t.Helper()
	u, err := auth.NewUser(email, strings.Split(email, "@")[0], role, testPassword(email))
	if err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.CreateUser(context.Background(), sqlite.SystemActor(), u); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// browser is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see every 303.
type browser struct {
	t    *testing.T
	app  *testApp
	c    *http.Client
	lang string
}

func (a *testApp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, app: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(req *http.Request) *http.Response {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (b *browser) get(path string) *http.Response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.http.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values, headers ...string) *http.Response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func (b *browser) signIn(email, password string) *http.Response {
	b.t.Helper()
	return b.post("/login", url.Values{"email": {email}, "password": {password}})
}

// mustSignIn signs in as u and fails the test unless it worked.
func (b *browser) mustSignIn(u *auth.User) {
	b.t.Helper()
	res := b.signIn(u.Email, testPassword(u.Email))
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign-in as %s: status %d", u.Email, res.StatusCode)
	}
}

// sessionCookie returns the session cookie the browser holds, or "".
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.app.http.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == b.app.srv.sessions.CookieName() {
			return c.Value
		}
	}
	return ""
}

func parseHTML(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// testid finds the elements a test looks for by data-testid.
func testid(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[data-testid="` + id + `"]`)
}

func wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, want)
	}
}

func wantRedirect(t *testing.T, res *http.Response, prefix string) {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s redirects to %q, want %q…", res.Request.URL.Path, loc, prefix)
	}
}
