package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/demo"
	"patentdesk/internal/sqlite"
)

// The authorization matrix: every route registered on the router, and who
// may reach it. A route without a line in routeAccess fails the test, and
// so does a line whose route is gone, so no route can be added without
// saying who may use it, and the table cannot rot.

// outcome is what a caller gets from a route.
type outcome string

const (
	// public: reached without signing in (the handler runs; it may still
	// answer 404 for an unknown link or 401 for a wrong password).
	public outcome = "public"
	// allowed: the handler runs. Not 401 or 403, not sent to the sign-in
	// page, and no server error. Path ids that exist nowhere prove it as
	// well as real ones: the role is checked before the handler looks.
	allowed outcome = "allowed"
	// login: pages read with GET send the browser to /login?next=…; other
	// page requests and every API request are answered 401.
	login outcome = "login"
	// forbidden: 403, and nothing changes.
	forbidden outcome = "forbidden"
)

// callers are the columns of the matrix.
var callers = []auth.Role{"", auth.RoleViewer, auth.RoleEditor, auth.RoleAdmin}

// callerName names a column in messages.
func callerName(r auth.Role) string {
	if r == "" {
		return "anonymous"
	}
	return string(r)
}

// access is a route's expected outcome for anonymous, viewer, editor and
// admin, in that order.
type access [4]outcome

// The kinds of access PatentDesk has.
var (
	anyone  = access{public, allowed, allowed, allowed}
	viewers = access{login, allowed, allowed, allowed}
	editors = access{login, forbidden, allowed, allowed}
	admins  = access{login, forbidden, forbidden, allowed}
)

// routeAccess is the matrix: one line per "METHOD path" as registered.
// Adding a route means adding its line here.
var routeAccess = map[string]access{
	// Public: health, assets, signing in and out, the one-time links, the
	// language switch and the calendar feed's secret link.
	"GET /healthz":           anyone,
	"GET /static/*":          anyone,
	"GET /login":             anyone,
	"POST /login":            anyone,
	"POST /logout":           anyone,
	"GET /setup/:token":      anyone,
	"POST /setup/:token":     anyone,
	"GET /invite/:token":     anyone,
	"POST /invite/:token":    anyone,
	"POST /locale":           anyone,
	"GET /calendar/:secret":  anyone,
	"HEAD /calendar/:secret": anyone,

	"GET /": viewers,

	// Companies and their rights.
	"GET /companies":                       viewers,
	"GET /companies.csv":                   viewers,
	"GET /companies/new":                   editors,
	"POST /companies":                      editors,
	"GET /companies/:id":                   viewers,
	"GET /companies/:id/edit":              editors,
	"POST /companies/:id":                  editors,
	"GET /companies/:id/delete":            editors,
	"POST /companies/:id/delete":           editors,
	"GET /companies/:id/coverage":          viewers,
	"GET /companies/:id/coverage.csv":      viewers,
	"GET /companies/:id/out-licensing":     viewers,
	"GET /companies/:id/out-licensing.csv": viewers,
	"GET /companies/:id/rights":            viewers,

	// Patents.
	"GET /patents":             viewers,
	"GET /patents.csv":         viewers,
	"GET /patents/lookup":      viewers,
	"GET /patents/new":         editors,
	"POST /patents":            editors,
	"GET /patents/:id":         viewers,
	"GET /patents/:id/edit":    editors,
	"POST /patents/:id":        editors,
	"GET /patents/:id/delete":  editors,
	"POST /patents/:id/delete": editors,
	"GET /families/:key":       viewers,

	// Agreements and what they hold.
	"GET /agreements":                     viewers,
	"GET /agreements.csv":                 viewers,
	"GET /agreements/timeline":            viewers,
	"GET /agreements/new":                 editors,
	"POST /agreements":                    editors,
	"GET /agreements/:id":                 viewers,
	"GET /agreements/:id/edit":            editors,
	"POST /agreements/:id":                editors,
	"POST /agreements/:id/status":         editors,
	"GET /agreements/:id/delete":          editors,
	"POST /agreements/:id/delete":         editors,
	"GET /agreements/:id/grants/new":      editors,
	"POST /agreements/:id/grants":         editors,
	"GET /grants/:id/edit":                editors,
	"POST /grants/:id":                    editors,
	"GET /grants/:id/delete":              editors,
	"POST /grants/:id/delete":             editors,
	"GET /agreements/:id/assignments/new": editors,
	"POST /agreements/:id/assignments":    editors,
	"GET /assignments/:id/edit":           editors,
	"POST /assignments/:id":               editors,
	"GET /assignments/:id/delete":         editors,
	"POST /assignments/:id/delete":        editors,
	"GET /agreements/:id/obligations/new": editors,
	"POST /agreements/:id/obligations":    editors,
	"GET /obligations/:id/edit":           editors,
	"POST /obligations/:id":               editors,
	"GET /obligations/:id/delete":         editors,
	"POST /obligations/:id/delete":        editors,
	"POST /obligations/:id/occurrences":   editors,
	"POST /agreements/:id/documents":      editors,
	"GET /documents/:id":                  viewers,
	"GET /documents/:id/delete":           editors,
	"POST /documents/:id/delete":          editors,
	"GET /history/:entity/:id":            viewers,

	// Imports change data: editors only, the review included.
	"GET /import":             editors,
	"POST /import":            editors,
	"GET /import/:id":         editors,
	"POST /import/:id":        editors,
	"POST /import/:id/cancel": editors,

	// Reports, rights and conflicts.
	"GET /reports":                  viewers,
	"GET /reports/title-breaks":     viewers,
	"GET /reports/title-breaks.csv": viewers,
	"GET /rights":                   viewers,
	"GET /rights/matrix":            viewers,
	"GET /conflicts":                viewers,
	"GET /conflicts.csv":            viewers,

	// Deadlines, and the calendar feeds a user manages there (personal,
	// like tokens: every role manages its own).
	"GET /deadlines":                   viewers,
	"GET /deadlines.csv":               viewers,
	"POST /deadlines/feeds":            viewers,
	"POST /deadlines/feeds/:id/revoke": viewers,

	// One's own account: every role.
	"GET /account":                       viewers,
	"POST /account/password":             viewers,
	"POST /account/tokens":               viewers,
	"POST /account/tokens/:id/revoke":    viewers,
	"POST /account/sessions/:handle/end": viewers,

	// Administration.
	"GET /admin":                                 admins,
	"GET /admin/audit":                           admins,
	"GET /admin/audit.csv":                       admins,
	"GET /admin/users/new":                       admins,
	"POST /admin/users":                          admins,
	"GET /admin/users/:id":                       admins,
	"POST /admin/users/:id/role":                 admins,
	"POST /admin/users/:id/disable":              admins,
	"POST /admin/users/:id/enable":               admins,
	"POST /admin/users/:id/unlock":               admins,
	"POST /admin/users/:id/reset":                admins,
	"POST /admin/users/:id/tokens/:token/revoke": admins,
	"POST /admin/users/:id/sessions/:handle/end": admins,

	// The JSON API: any token reads, an editor's or admin's writes.
	"GET /api/v1/companies":                                    viewers,
	"POST /api/v1/companies":                                   editors,
	"GET /api/v1/companies/:ref":                               viewers,
	"PATCH /api/v1/companies/:ref":                             editors,
	"DELETE /api/v1/companies/:ref":                            editors,
	"GET /api/v1/patents":                                      viewers,
	"POST /api/v1/patents":                                     editors,
	"GET /api/v1/patents/:ref":                                 viewers,
	"PATCH /api/v1/patents/:ref":                               editors,
	"DELETE /api/v1/patents/:ref":                              editors,
	"GET /api/v1/patents/:ref/title":                           viewers,
	"GET /api/v1/agreements":                                   viewers,
	"POST /api/v1/agreements":                                  editors,
	"GET /api/v1/agreements/:ref":                              viewers,
	"PATCH /api/v1/agreements/:ref":                            editors,
	"DELETE /api/v1/agreements/:ref":                           editors,
	"GET /api/v1/agreements/:ref/grants/:id":                   viewers,
	"DELETE /api/v1/agreements/:ref/grants/:id":                editors,
	"POST /api/v1/agreements/:ref/grants":                      editors,
	"PATCH /api/v1/agreements/:ref/grants/:id":                 editors,
	"GET /api/v1/agreements/:ref/assignments/:id":              viewers,
	"DELETE /api/v1/agreements/:ref/assignments/:id":           editors,
	"POST /api/v1/agreements/:ref/assignments":                 editors,
	"PATCH /api/v1/agreements/:ref/assignments/:id":            editors,
	"GET /api/v1/agreements/:ref/obligations/:id":              viewers,
	"DELETE /api/v1/agreements/:ref/obligations/:id":           editors,
	"POST /api/v1/agreements/:ref/obligations":                 editors,
	"PATCH /api/v1/agreements/:ref/obligations/:id":            editors,
	"POST /api/v1/agreements/:ref/obligations/:id/occurrences": editors,
	"GET /api/v1/rights/check":                                 viewers,
	"GET /api/v1/rights/coverage":                              viewers,
	"GET /api/v1/rights/matrix":                                viewers,
	"GET /api/v1/conflicts":                                    viewers,
	"GET /api/v1/deadlines":                                    viewers,
	// Calendar feeds are personal, like tokens: a viewer manages their own.
	"POST /api/v1/calendar-feeds":       viewers,
	"GET /api/v1/calendar-feeds":        viewers,
	"DELETE /api/v1/calendar-feeds/:id": viewers,
}

// missingID stands for any id in a path that changes something: no record
// has it, so a request that gets past the role check changes nothing.
const missingID = "999999"

// matrixWorld is a running PatentDesk with the demo data, a document and a
// calendar feed, and for each role a user and an API token.
type matrixWorld struct {
	app       *testApp
	users     map[auth.Role]*auth.User
	passwords map[auth.Role]string
	tokens    map[auth.Role]string
	params    map[string]string // path parameter → value, for reads
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	t.Helper()
	app := newTestApp(t, func(c *Config) { c.APIRate = -1 })
	ctx := context.Background()
	accounts, err := demo.Load(ctx, app.db, app.today())
	if err != nil {
		t.Fatal(err)
	}
	w := &matrixWorld{app: app, users: map[auth.Role]*auth.User{}, passwords: map[auth.Role]string{},
		tokens: map[auth.Role]string{}}
	for _, a := range accounts {
		u, err := app.db.UserByEmail(ctx, a.Email)
		if err != nil {
			t.Fatal(err)
		}
		w.users[a.Role], w.passwords[a.Role] = u, a.Password
		if w.tokens[a.Role], _, err = app.db.CreateAPIToken(ctx, sqlite.SystemActor(), u.ID, "matrix"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.db.AddDocument(ctx, sqlite.SystemActor(), 1, "signed.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n")); err != nil {
		t.Fatal(err)
	}
	secret, _, err := app.db.CreateCalendarFeed(ctx, sqlite.SystemActor(), w.users[auth.RoleViewer].ID, "matrix", 7)
	if err != nil {
		t.Fatal(err)
	}
	patent, err := app.db.Patent(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.params = map[string]string{
		"id":     "1", // the first company, patent, agreement, grant, document, user …
		"ref":    "1",
		"key":    url.PathEscape(patent.Family),
		"entity": "company",
		"token":  "no-such-link", // invitations and the setup link; an admin's token revocation
		"secret": secret + calendarSuffix,
		"handle": strings.Repeat("0", 64), // a session's handle is the SHA-256 of its id; this one is nobody's
	}
	return w
}

// routes lists every registered route, sorted.
func (w *matrixWorld) routes() []*routeKey {
	var list []*routeKey
	for _, r := range w.app.srv.Echo().Routes() {
		list = append(list, &routeKey{method: r.Method, path: r.Path})
	}
	slices.SortFunc(list, func(a, b *routeKey) int { return strings.Compare(a.String(), b.String()) })
	return slices.CompactFunc(list, func(a, b *routeKey) bool { return a.String() == b.String() })
}

// routeKey is a route as the matrix names it.
type routeKey struct{ method, path string }

func (r *routeKey) String() string { return r.method + " " + r.path }

func (r *routeKey) isAPI() bool { return isAPI(r.path) }

// reads reports whether the route only reads: GET or HEAD.
func (r *routeKey) reads() bool { return r.method == http.MethodGet || r.method == http.MethodHead }

// url fills the route's parameters: real ids for reads, ids that exist
// nowhere for writes, an asset for the static files.
func (w *matrixWorld) url(t *testing.T, r *routeKey) string {
	t.Helper()
	segs := strings.Split(r.path, "/")
	for i, s := range segs {
		switch {
		case s == "*":
			segs[i] = strings.TrimPrefix(w.app.srv.assets.Path("css/app.css"), "/static/")
		case strings.HasPrefix(s, ":"):
			name := s[1:]
			v, ok := w.params[name]
			if !ok {
				t.Fatalf("%s: no value for path parameter %q; add one to newMatrixWorld", r, name)
			}
			if !r.reads() && (name == "id" || name == "ref") {
				v = missingID
			}
			segs[i] = v
		}
	}
	path := strings.Join(segs, "/")
	// The filled path must lead to the route itself, not to a neighbour
	// such as /agreements/:id for /agreements/new.
	e := w.app.srv.Echo()
	c := e.NewContext(httptest.NewRequest(r.method, path, nil), nil)
	e.Router().Find(r.method, path, c)
	if c.Path() != r.path {
		t.Fatalf("%s: the filled path %s leads to %q", r, path, c.Path())
	}
	return path
}

// cookie signs role in with a session of its own, so that a request that
// ends it (signing out) leaves the others alone. Sessions are made here
// rather than through the sign-in form: argon2id per request would make
// the matrix slow, and sign-in has tests of its own.
func (w *matrixWorld) cookie(t *testing.T, role auth.Role) *http.Cookie {
	t.Helper()
	sess := w.app.srv.sessions.Fresh()
	auth.SetSessionUser(sess, w.users[role].ID)
	rec := httptest.NewRecorder()
	if err := sess.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec); err != nil {
		t.Fatal(err)
	}
	return rec.Result().Cookies()[0]
}

// credentials says how a request presents its caller.
type credentials int

const (
	asRouteExpects credentials = iota // cookie for pages, token for the API
	withCookie                        // a session cookie, whatever the route
	withToken                         // a bearer token, whatever the route
)

// request sends one request to the route as role ("" for anonymous).
func (w *matrixWorld) request(t *testing.T, r *routeKey, role auth.Role, how credentials) *http.Response {
	t.Helper()
	var body io.Reader
	contentType := ""
	switch {
	case r.reads():
	case r.isAPI():
		body, contentType = strings.NewReader("{}"), "application/json"
	default:
		form := url.Values{}
		if r.String() == "POST /login" {
			// A wrong password is answered 401 by the handler itself; sign
			// in for real so that the answer speaks of the route alone.
			form = url.Values{"email": {string(auth.RoleViewer) + "@example.com"}, "password": {w.passwords[auth.RoleViewer]}}
		}
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.method, w.app.http.URL+w.url(t, r), body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if role != "" {
		if how == asRouteExpects {
			how = withCookie
			if r.isAPI() {
				how = withToken
			}
		}
		if how == withToken {
			req.Header.Set("Authorization", "Bearer "+w.tokens[role])
		} else {
			req.AddCookie(w.cookie(t, role))
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// lastAuditID is the id of the newest audit row.
func (w *matrixWorld) lastAuditID(t *testing.T) int64 {
	t.Helper()
	list, err := w.app.db.RecentAudit(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		return 0
	}
	return list[0].ID
}

// checkOutcome fails t unless res is what want says.
func checkOutcome(t *testing.T, r *routeKey, who string, res *http.Response, want outcome) {
	t.Helper()
	loc := res.Header.Get("Location")
	sentToLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/login?next=")
	got := fmt.Sprintf("status %d (Location %q)", res.StatusCode, loc)
	switch want {
	case public, allowed:
		if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden || sentToLogin || res.StatusCode >= 500 {
			t.Errorf("%s as %s: %s, want the handler to answer (%s)", r, who, got, want)
		}
	case login:
		if r.method == http.MethodGet && !r.isAPI() {
			if !sentToLogin {
				t.Errorf("%s as %s: %s, want 303 to /login?next=…", r, who, got)
			}
		} else if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s as %s: %s, want 401", r, who, got)
		}
	case forbidden:
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s as %s: %s, want 403", r, who, got)
		}
	}
	if r.isAPI() && (want == login || want == forbidden) {
		var e apiErrorBody
		b, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(b, &e); err != nil || e.Error.Code == "" {
			t.Errorf("%s as %s: refusal is not the API's JSON error: %q", r, who, b)
		}
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	registered := map[string]bool{}
	for _, r := range w.routes() {
		registered[r.String()] = true
		want, ok := routeAccess[r.String()]
		if !ok {
			t.Errorf("route %s has no line in routeAccess (web/authz_matrix_test.go): add one saying who may reach it", r)
			continue
		}
		t.Run(r.String(), func(t *testing.T) {
			for i, role := range callers {
				before := w.lastAuditID(t)
				res := w.request(t, r, role, asRouteExpects)
				checkOutcome(t, r, callerName(role), res, want[i])
				if want[i] == forbidden || want[i] == login {
					if after := w.lastAuditID(t); after != before {
						t.Errorf("%s as %s was refused, yet the audit trail grew (%d → %d)", r, callerName(role), before, after)
					}
				}
			}
			// Session cookies do not open the API, and tokens do not open
			// pages: presented to the wrong kind of route, an admin's
			// credential counts for nothing.
			how, what := withToken, "admin with a token"
			if r.isAPI() {
				how, what = withCookie, "admin with a session cookie"
			}
			checkOutcome(t, r, what, w.request(t, r, auth.RoleAdmin, how), want[0])
		})
	}
	for key := range routeAccess {
		if !registered[key] {
			t.Errorf("routeAccess has a line for %s, which is not registered: remove it", key)
		}
	}
}
