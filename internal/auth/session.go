package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// Session is a signed-in browser's server-side state. The random id lives
// only in the cookie; the database keeps its SHA-256.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	UserAgent  string
	Address    string
	Data       map[string]string
}

// ErrNoSession is returned by a SessionRepo for an unknown session.
var ErrNoSession = errors.New("no such session")

// SessionRepo persists sessions; the SQLite storage implements it.
type SessionRepo interface {
	InsertSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, idHash string) (*Session, error)
	UpdateSession(ctx context.Context, idHash string, lastSeen time.Time, data map[string]string) error
	DeleteSession(ctx context.Context, idHash string) error
}

// SessionConfig sets the cookie and the timeouts enforced on the server.
type SessionConfig struct {
	Secure          bool          // served over HTTPS: Secure cookie with the __Host- prefix
	IdleTimeout     time.Duration // a session unused this long ends
	AbsoluteTimeout time.Duration // a session this old ends, however active
}

// DefaultSessionConfig holds the defaults: 60 minutes idle, 12 hours absolute.
var DefaultSessionConfig = SessionConfig{IdleTimeout: 60 * time.Minute, AbsoluteTimeout: 12 * time.Hour}

// Keys in a gorilla session's Values that the store maps to columns.
const (
	sessionUserID = "user_id"
	// touchEvery limits how often last-seen is written: idle timeouts are
	// measured in minutes, so a write per request would be wasted work.
	touchEvery = time.Minute
)

// SessionStore is a gorilla/sessions Store whose cookie carries only a
// signed random id; everything else stays on the server, so deleting the row
// really ends the session.
type SessionStore struct {
	repo   SessionRepo
	codecs []securecookie.Codec
	cfg    SessionConfig
	now    func() time.Time
}

// NewSessionStore returns a store signing cookies with the first of keys
// (later keys still verify, for rotation). now may be nil for time.Now.
func NewSessionStore(repo SessionRepo, cfg SessionConfig, now func() time.Time, keys ...[]byte) *SessionStore {
	if now == nil {
		now = time.Now
	}
	pairs := make([][]byte, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, nil) // signed, not encrypted: the id itself is the secret
	}
	codecs := securecookie.CodecsFromPairs(pairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(int(cfg.AbsoluteTimeout.Seconds()))
		}
	}
	return &SessionStore{repo: repo, codecs: codecs, cfg: cfg, now: now}
}

// CookieName is the session cookie's name; on HTTPS it carries the
// __Host- prefix so that it is bound to this host and path /.
func (s *SessionStore) CookieName() string {
	if s.cfg.Secure {
		return "__Host-patentdesk_session"
	}
	return "patentdesk_session"
}

func (s *SessionStore) options() *sessions.Options {
	return &sessions.Options{Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode}
}

// Get returns the request's session, cached per request.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or returns a new,
// empty one when there is none or it has ended.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := securecookie.DecodeMulti(name, c.Value, &id, s.codecs...); err != nil {
		return sess, nil // forged, expired or signed with a retired key
	}
	row, err := s.repo.SessionByHash(r.Context(), HashSessionID(id))
	if errors.Is(err, ErrNoSession) {
		return sess, nil
	}
	if err != nil {
		return sess, err
	}
	now := s.now()
	if s.Expired(row, now) {
		if err := s.repo.DeleteSession(r.Context(), row.IDHash); err != nil {
			return sess, err
		}
		return sess, nil
	}
	sess.ID = id
	sess.IsNew = false
	sess.Values[sessionUserID] = row.UserID
	for k, v := range row.Data {
		sess.Values[k] = v
	}
	if now.Sub(row.LastSeenAt) >= touchEvery {
		if err := s.repo.UpdateSession(r.Context(), row.IDHash, now, row.Data); err != nil {
			return sess, err
		}
	}
	return sess, nil
}

// Expired reports whether a session has passed its idle or absolute timeout.
func (s *SessionStore) Expired(row *Session, now time.Time) bool {
	return now.Sub(row.LastSeenAt) >= s.cfg.IdleTimeout || now.Sub(row.CreatedAt) >= s.cfg.AbsoluteTimeout
}

// Save writes the session: a new one gets a fresh random id and a row; one
// with a negative MaxAge is deleted on the server and in the browser.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.repo.DeleteSession(ctx, HashSessionID(sess.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	userID, _ := sess.Values[sessionUserID].(int64)
	if userID == 0 {
		return errors.New("session: refusing to store a session without a user")
	}
	data := map[string]string{}
	for k, v := range sess.Values {
		ks, kok := k.(string)
		vs, vok := v.(string)
		if kok && vok && ks != sessionUserID {
			data[ks] = vs
		}
	}
	if sess.ID == "" {
		id, err := newSessionID()
		if err != nil {
			return err
		}
		now := s.now()
		row := &Session{IDHash: HashSessionID(id), UserID: userID, CreatedAt: now, LastSeenAt: now,
			UserAgent: truncate(r.UserAgent(), 300), Address: ClientAddress(ctx), Data: data}
		if err := s.repo.InsertSession(ctx, row); err != nil {
			return err
		}
		sess.ID = id
	} else if err := s.repo.UpdateSession(ctx, HashSessionID(sess.ID), s.now(), data); err != nil {
		return err
	}
	encoded, err := securecookie.EncodeMulti(sess.Name(), sess.ID, s.codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), encoded, sess.Options))
	return nil
}

// SessionUserID returns the user a loaded session belongs to, or 0.
func SessionUserID(sess *sessions.Session) int64 {
	id, _ := sess.Values[sessionUserID].(int64)
	return id
}

// SetSessionUser binds a new session to a user before it is saved.
func SetSessionUser(sess *sessions.Session, userID int64) { sess.Values[sessionUserID] = userID }

// HashSessionID is how a session id is stored: its SHA-256 in hex.
func HashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func newSessionID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewSessionKey returns a fresh 64-byte key for signing session cookies.
func NewSessionKey() []byte { return securecookie.GenerateRandomKey(64) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

type addressKey struct{}

// WithClientAddress records the client's address in ctx, so that sessions
// and the audit trail can name it.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addressKey{}, addr)
}

// ClientAddress returns the address stored by WithClientAddress, or "".
func ClientAddress(ctx context.Context) string {
	s, _ := ctx.Value(addressKey{}).(string)
	return s
}

// FormatUserID renders a user id as the audit trail's entity id.
func FormatUserID(id int64) string { return strconv.FormatInt(id, 10) }

// Fresh returns a new, empty session that will get a new id when saved.
func (s *SessionStore) Fresh() *sessions.Session {
	sess := sessions.NewSession(s, s.CookieName())
	sess.Options = s.options()
	sess.IsNew = true
	return sess
}
