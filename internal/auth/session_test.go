package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/sessions"
)

// memRepo is an in-memory SessionRepo.
type memRepo struct {
	mu   sync.Mutex
	rows map[string]Session
}

func newMemRepo() *memRepo { return &memRepo{rows: map[string]Session{}} }

func copyData(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (r *memRepo) InsertSession(_ context.Context, s *Session) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	row := *s
	row.Data = copyData(s.Data)
	r.rows[s.IDHash] = row
	return nil
}

func (r *memRepo) SessionByHash(_ context.Context, idHash string) (*Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	row, ok := r.rows[idHash]
	if !ok {
		return nil, ErrNoSession
	}
	row.Data = copyData(row.Data)
	return &row, nil
}

func (r *memRepo) UpdateSession(_ context.Context, idHash string, lastSeen time.Time, data map[string]string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if row, ok := r.rows[idHash]; ok {
		row.LastSeenAt = lastSeen
		row.Data = copyData(data)
		r.rows[idHash] = row
	}
	return nil
}

func (r *memRepo) DeleteSession(_ context.Context, idHash string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.rows, idHash)
	return nil
}

func (r *memRepo) hashes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for h := range r.rows {
		out = append(out, h)
	}
	return out
}

// sessionClock is a settable clock for the session store.
type sessionClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *sessionClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *sessionClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sessionFixture is a store over a fresh repo and clock.
type sessionFixture struct {
	repo  *memRepo
	clock *sessionClock
	store *SessionStore
	cfg   SessionConfig
}

func newSessionFixture(t *testing.T, cfg SessionConfig, keys ...[]byte) *sessionFixture {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{NewSessionKey()}
	}
	f := &sessionFixture{repo: newMemRepo(), clock: &sessionClock{t: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}, cfg: cfg}
	f.store = NewSessionStore(f.repo, cfg, f.clock.Now, keys...)
	return f
}

// signIn saves a new session for userID and returns its cookie and id.
func (f *sessionFixture) signIn(t *testing.T, userID int64, values map[string]string) (*http.Cookie, string) {
	t.Helper()
	sess := f.store.Fresh()
	SetSessionUser(sess, userID)
	for k, v := range values {
		sess.Values[k] = v
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/login", nil)
	req.Header.Set("User-Agent", "TestBrowser/1.0")
	req = req.WithContext(WithClientAddress(req.Context(), "192.0.2.10"))
	if err := sess.Save(req, rec); err != nil {
		t.Fatalf("Save: %v", err)
	}
	c := findCookie(rec.Result().Cookies(), f.store.CookieName())
	if c == nil {
		t.Fatalf("Save set no %s cookie; headers %v", f.store.CookieName(), rec.Header())
	}
	return c, sess.ID
}

// load runs New for a request carrying c (nil: no cookie).
func (f *sessionFixture) load(t *testing.T, c *http.Cookie) *sessions.Session {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if c != nil {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	sess, err := f.store.New(req, f.store.CookieName())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return sess
}

func findCookie(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var testSessionConfig = SessionConfig{IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 8 * time.Hour}

func TestSessionStore(t *testing.T) {
	const user = int64(42)
	tests := []struct {
		name string
		run  func(t *testing.T, f *sessionFixture)
	}{
		{name: "NewSessionStoresOnlyHashOfID", run: func(t *testing.T, f *sessionFixture) {
			c, id := f.signIn(t, user, nil)
			if id == "" {
				t.Fatal("saved session has no id")
			}
			if strings.Contains(c.Value, id) {
				t.Errorf("cookie value %q carries the raw id %q", c.Value, id)
			}
			hashes := f.repo.hashes()
			if len(hashes) != 1 || hashes[0] != sha256Hex(id) {
				t.Fatalf("repo keys = %v, want only the SHA-256 of the id", hashes)
			}
			row, _ := f.repo.SessionByHash(context.Background(), hashes[0])
			for _, field := range []string{row.IDHash, row.UserAgent, row.Address} {
				if strings.Contains(field, id) {
					t.Errorf("stored row contains the raw id: %+v", row)
				}
			}
			if row.UserID != user || row.UserAgent != "TestBrowser/1.0" || row.Address != "192.0.2.10" ||
				!row.CreatedAt.Equal(f.clock.Now()) || !row.LastSeenAt.Equal(f.clock.Now()) {
				t.Errorf("stored row = %+v, want user %d, agent, address and times of now", row, user)
			}
		}},
		{name: "CookieRestoresUser", run: func(t *testing.T, f *sessionFixture) {
			c, id := f.signIn(t, user, map[string]string{"flash": "account.password.changed"})
			sess := f.load(t, c)
			if sess.IsNew || SessionUserID(sess) != user || sess.ID != id {
				t.Fatalf("loaded session IsNew=%v user=%d id=%q; want the saved one for user %d", sess.IsNew, SessionUserID(sess), sess.ID, user)
			}
			if sess.Values["flash"] != "account.password.changed" {
				t.Errorf("flash value = %v, want it kept on the server", sess.Values["flash"])
			}
		}},
		{name: "EachSignInGetsNewID", run: func(t *testing.T, f *sessionFixture) {
			_, id1 := f.signIn(t, user, nil)
			_, id2 := f.signIn(t, user, nil)
			if id1 == id2 || len(f.repo.hashes()) != 2 {
				t.Errorf("two sign-ins gave ids %q and %q with %d rows; want distinct ids and rows", id1, id2, len(f.repo.hashes()))
			}
		}},
		{name: "NoCookieIsNewEmptySession", run: func(t *testing.T, f *sessionFixture) {
			sess := f.load(t, nil)
			if !sess.IsNew || SessionUserID(sess) != 0 {
				t.Errorf("IsNew=%v user=%d; want a new empty session", sess.IsNew, SessionUserID(sess))
			}
		}},
		{name: "TamperedCookieIsNewEmptySession", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			b := []byte(c.Value)
			i := len(b) / 2
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			sess := f.load(t, &http.Cookie{Name: c.Name, Value: string(b)})
			if !sess.IsNew || SessionUserID(sess) != 0 {
				t.Errorf("tampered cookie gave IsNew=%v user=%d; want a new empty session", sess.IsNew, SessionUserID(sess))
			}
		}},
		{name: "CookieFromOtherKeyRejected", run: func(t *testing.T, f *sessionFixture) {
			other := NewSessionStore(f.repo, f.cfg, f.clock.Now, NewSessionKey())
			sess := other.Fresh()
			SetSessionUser(sess, user)
			rec := httptest.NewRecorder()
			if err := sess.Save(httptest.NewRequest(http.MethodPost, "/", nil), rec); err != nil {
				t.Fatal(err)
			}
			// The row exists in the shared repo, but the signature is foreign.
			loaded := f.load(t, findCookie(rec.Result().Cookies(), other.CookieName()))
			if !loaded.IsNew || SessionUserID(loaded) != 0 {
				t.Errorf("cookie signed with an unknown key accepted for user %d", SessionUserID(loaded))
			}
		}},
		{name: "DeletedRowEndsSession", run: func(t *testing.T, f *sessionFixture) {
			c, id := f.signIn(t, user, nil)
			_ = f.repo.DeleteSession(context.Background(), HashSessionID(id))
			if sess := f.load(t, c); !sess.IsNew || SessionUserID(sess) != 0 {
				t.Errorf("session without its row still signed in as %d", SessionUserID(sess))
			}
		}},
		{name: "IdleJustBeforeTimeoutKept", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			f.clock.Advance(f.cfg.IdleTimeout - time.Second)
			if sess := f.load(t, c); sess.IsNew || SessionUserID(sess) != user {
				t.Errorf("session ended after %v idle, before the %v timeout", f.cfg.IdleTimeout-time.Second, f.cfg.IdleTimeout)
			}
		}},
		{name: "IdleTimeoutEndsSession", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			f.clock.Advance(f.cfg.IdleTimeout)
			if sess := f.load(t, c); !sess.IsNew || SessionUserID(sess) != 0 {
				t.Errorf("session still signed in as %d after %v idle", SessionUserID(sess), f.cfg.IdleTimeout)
			}
			if n := len(f.repo.hashes()); n != 0 {
				t.Errorf("%d rows left after the idle timeout; want the row deleted", n)
			}
		}},
		{name: "ActivityPostponesIdleTimeout", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			for range 3 {
				f.clock.Advance(f.cfg.IdleTimeout * 2 / 3)
				if sess := f.load(t, c); sess.IsNew {
					t.Fatal("active session ended by the idle timeout")
				}
			}
		}},
		{name: "AbsoluteTimeoutEndsActiveSession", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			const step = 5 * time.Minute
			elapsed := time.Duration(0)
			for elapsed+step < f.cfg.AbsoluteTimeout {
				f.clock.Advance(step)
				elapsed += step
				if sess := f.load(t, c); sess.IsNew {
					t.Fatalf("session active every %v ended after %v, before the absolute timeout %v", step, elapsed, f.cfg.AbsoluteTimeout)
				}
			}
			f.clock.Advance(f.cfg.AbsoluteTimeout - elapsed)
			if sess := f.load(t, c); !sess.IsNew || SessionUserID(sess) != 0 {
				t.Errorf("session still signed in after %v despite the absolute timeout", f.cfg.AbsoluteTimeout)
			}
			if n := len(f.repo.hashes()); n != 0 {
				t.Errorf("%d rows left after the absolute timeout; want the row deleted", n)
			}
		}},
		{name: "NegativeMaxAgeDeletesRowAndCookie", run: func(t *testing.T, f *sessionFixture) {
			c, _ := f.signIn(t, user, nil)
			sess := f.load(t, c)
			sess.Options.MaxAge = -1
			rec := httptest.NewRecorder()
			if err := f.store.Save(httptest.NewRequest(http.MethodPost, "/logout", nil), rec, sess); err != nil {
				t.Fatalf("Save: %v", err)
			}
			if n := len(f.repo.hashes()); n != 0 {
				t.Errorf("%d rows left after sign-out, want 0", n)
			}
			gone := findCookie(rec.Result().Cookies(), f.store.CookieName())
			if gone == nil || gone.MaxAge >= 0 || gone.Value != "" {
				t.Errorf("sign-out cookie = %+v, want an empty, expiring cookie", gone)
			}
			if again := f.load(t, c); !again.IsNew {
				t.Error("old cookie still signs in after sign-out")
			}
		}},
		{name: "SaveWithoutUserRefused", run: func(t *testing.T, f *sessionFixture) {
			sess := f.store.Fresh()
			rec := httptest.NewRecorder()
			if err := sess.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec); err == nil {
				t.Error("Save of a session without a user succeeded")
			}
			if n := len(f.repo.hashes()); n != 0 || len(rec.Result().Cookies()) != 0 {
				t.Errorf("refused Save left %d rows and %d cookies", n, len(rec.Result().Cookies()))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newSessionFixture(t, testSessionConfig)) })
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	tests := []struct {
		name       string
		secure     bool
		wantPrefix string
	}{
		{name: "HTTPSUsesHostPrefixAndSecure", secure: true, wantPrefix: "__Host-"},
		{name: "PlainHTTPWithoutSecure", secure: false, wantPrefix: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testSessionConfig
			cfg.Secure = tc.secure
			f := newSessionFixture(t, cfg)
			c, _ := f.signIn(t, 1, nil)
			if tc.wantPrefix != "" && !strings.HasPrefix(c.Name, tc.wantPrefix) {
				t.Errorf("cookie name %q lacks prefix %q", c.Name, tc.wantPrefix)
			}
			if tc.wantPrefix == "" && strings.HasPrefix(c.Name, "__Host-") {
				t.Errorf("cookie name %q has __Host- without Secure: browsers would drop it", c.Name)
			}
			if c.Secure != tc.secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie = %+v; want Secure=%v, Path=/, no Domain, HttpOnly, SameSite=Lax", c, tc.secure)
			}
			if sess := f.load(t, c); sess.IsNew {
				t.Error("cookie does not load its own session")
			}
		})
	}
}

func TestSessionKeyRotation(t *testing.T) {
	oldKey, newKey := NewSessionKey(), NewSessionKey()
	tests := []struct {
		name     string
		verifier [][]byte
		wantUser bool
	}{
		{name: "OldKeySecondStillVerifies", verifier: [][]byte{newKey, oldKey}, wantUser: true},
		{name: "OldKeyRetiredRejected", verifier: [][]byte{newKey}, wantUser: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newSessionFixture(t, testSessionConfig, oldKey)
			c, _ := f.signIn(t, 7, nil)
			rotated := NewSessionStore(f.repo, testSessionConfig, f.clock.Now, tc.verifier...)
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			sess, err := rotated.New(req, rotated.CookieName())
			if err != nil {
				t.Fatal(err)
			}
			if got := SessionUserID(sess) == 7; got != tc.wantUser {
				t.Errorf("cookie signed with the old key restored user: %v, want %v", got, tc.wantUser)
			}
		})
	}
	t.Run("NewCookiesSignedWithFirstKey", func(t *testing.T) {
		f := newSessionFixture(t, testSessionConfig, newKey, oldKey)
		c, _ := f.signIn(t, 7, nil)
		onlyNew := NewSessionStore(f.repo, testSessionConfig, f.clock.Now, newKey)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		sess, err := onlyNew.New(req, onlyNew.CookieName())
		if err != nil || SessionUserID(sess) != 7 {
			t.Errorf("cookie not signed with the first key: user %d, %v", SessionUserID(sess), err)
		}
	})
}
