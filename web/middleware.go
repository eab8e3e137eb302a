package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/static"
)

// contentSecurityPolicy allows nothing inline: scripts and styles come only
// from our own static files. Pico draws its form icons as data: images.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

// localeCookie keeps the language chosen by someone not signed in.
const localeCookie = "patentdesk_lang"

type stateKey struct{}

// requestState is what the middleware learns about a request: who is signed
// in, through which session, and in which language to answer.
type requestState struct {
	user    *auth.User
	session *sessions.Session
	token   *auth.APIToken // the API token the request came with; nil on pages
	locale  *i18n.Locale
}

func state(c echo.Context) *requestState {
	if st, ok := c.Request().Context().Value(stateKey{}).(*requestState); ok {
		return st
	}
	return &requestState{locale: i18n.Match("", c.Request().Header.Get("Accept-Language"))}
}

func currentUser(c echo.Context) *auth.User { return state(c).user }

// recoverAndLog turns panics into 500s and writes one log line per request.
func (s *Server) recoverAndLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		start := time.Now()
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
			if err != nil {
				c.Error(err)
				err = nil
			}
			req, res := c.Request(), c.Response()
			var userID int64
			if u := currentUser(c); u != nil {
				userID = u.ID
			}
			s.log.Info("request", "method", req.Method, "path", loggedPath(req.URL.Path), "status", res.Status,
				"bytes", res.Size, "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"user", userID, "address", auth.ClientAddress(req.Context()))
		}()
		return next(c)
	}
}

// loggedPath keeps secrets that travel in a path (the one-time setup
// token, a calendar feed's link, an invitation or reset link) out of the logs.
func loggedPath(path string) string {
	for _, secret := range []string{"/setup/", "/calendar/", "/invite/"} {
		if strings.HasPrefix(path, secret) {
			return secret + "…"
		}
	}
	return path
}

// clientAddress records who is calling: the peer's address, or the address
// a trusted proxy reports in X-Forwarded-For.
func (s *Server) clientAddress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		addr := clientIP(req, s.cfg.TrustedProxies)
		c.SetRequest(req.WithContext(auth.WithClientAddress(req.Context(), addr)))
		return next(c)
	}
}

// clientIP believes X-Forwarded-For only from a trusted proxy, and then takes
// the right-most address that is not itself a trusted proxy: entries further
// left were written by the client and can be forged.
func clientIP(req *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(req.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !isTrusted(a, trusted) {
			return a.String()
		}
	}
	return host
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// securityHeaders sets the headers every response carries. Pages are never
// cached; the static handler overrides this for fingerprinted assets.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cache-Control", "no-store")
		if s.cfg.Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// crossOrigin refuses non-safe requests that a browser sent from another
// origin (cross-site request forgery), using Go's CrossOriginProtection.
func (s *Server) crossOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.cop.Check(c.Request()); err != nil {
			s.log.Warn("cross-origin request refused", "method", c.Request().Method, "path", loggedPath(c.Request().URL.Path),
				"origin", c.Request().Header.Get("Origin"), "address", auth.ClientAddress(c.Request().Context()))
			return &licensing.Error{Code: licensing.Forbidden, Message: "cross-origin", Err: err}
		}
		return next(c)
	}
}

// limitBody caps request bodies, so a large upload cannot exhaust memory.
// URL-encoded forms are parsed here, because FormValue would silently drop
// what does not fit instead of refusing the request.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := s.cfg.MaxBodyBytes
		if req.Method == http.MethodPost && req.URL.Path == "/import" {
			limit = s.cfg.MaxUploadBytes + 64<<10 // the file and the form around it
		}
		if req.Method == http.MethodPost && isDocumentUpload(req.URL.Path) {
			limit = s.documentUploadLimit()
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && !isAPI(req.URL.Path) {
			if err := req.ParseForm(); err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					return err
				}
				return &licensing.Error{Code: licensing.Invalid, Message: "malformed form", Err: err}
			}
		}
		return next(c)
	}
}

// loadSession finds the signed-in user, if any, and the language to answer in.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.URL.Path == "/healthz" || strings.HasPrefix(req.URL.Path, static.Prefix) {
			return next(c)
		}
		if isAPI(req.URL.Path) {
			// The API knows callers by their bearer token only: a session
			// cookie a browser sends along opens nothing here.
			st := &requestState{locale: i18n.Match("", req.Header.Get("Accept-Language"))}
			c.SetRequest(req.WithContext(context.WithValue(req.Context(), stateKey{}, st)))
			return next(c)
		}
		st := &requestState{}
		sess, err := s.sessions.Get(req, s.sessions.CookieName())
		if err != nil {
			return err
		}
		st.session = sess
		if uid := auth.SessionUserID(sess); uid != 0 {
			u, err := s.db.UserByID(req.Context(), uid)
			switch {
			case errors.Is(err, sqlite.ErrNotFound) || (err == nil && u.Disabled()):
				if err := s.endSession(c, sess); err != nil {
					return err
				}
			case err != nil:
				return err
			default:
				st.user = u
			}
		}
		choice := ""
		if st.user != nil {
			choice = st.user.Locale
		} else if ck, err := req.Cookie(localeCookie); err == nil && auth.ValidLocale(ck.Value) {
			choice = ck.Value
		}
		st.locale = i18n.Match(choice, req.Header.Get("Accept-Language"))
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), stateKey{}, st)))
		return next(c)
	}
}

// public marks a route that anyone may reach; it checks nothing, but makes
// the choice visible in the route table.
func (s *Server) public(next echo.HandlerFunc) echo.HandlerFunc { return next }

// requireRole lets through only users holding at least min. Someone not
// signed in is sent to the sign-in page (pages) or refused (other requests).
func (s *Server) requireRole(min auth.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				req := c.Request()
				if req.Method == http.MethodGet {
					return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(safeNext(req.URL.RequestURI())))
				}
				return licensing.Errorf(licensing.Unauthorized, "sign in first")
			}
			if mustChoosePassword(c) {
				return c.Redirect(http.StatusSeeOther, "/account")
			}
			if !u.Role.AtLeast(min) {
				return licensing.Errorf(licensing.Forbidden, "role %s may not do this", u.Role)
			}
			return next(c)
		}
	}
}

// safeNext keeps a return-to path only when it stays on this site. It
// refuses every control character, not only line breaks: browsers drop
// tabs and line breaks from a Location, so "/<tab>/evil.example" would
// lead to //evil.example, another site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "/"
	}
	return next
}
