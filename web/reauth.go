package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// "Sudo mode" (OWASP ASVS 5.0, re-authentication before highly sensitive
// operations): a stolen session cookie must not be enough to create a
// backdoor account, raise a role or take away an API token. A sensitive
// action passes only if the session's user confirmed their password within
// reauthWindow; signing in counts as a confirmation. Otherwise the answer
// is a page asking for the password that carries the form's values and
// posts them back to the same address, so that after the password the
// action happens as the user sent it, in one step. The routes it guards
// are chosen in routes.go (and docs/security.md says why).

// reauthWindow is how long a confirmed password opens sensitive actions.
const reauthWindow = 15 * time.Minute

// reauthField and reauthBackField are the confirmation page's own fields:
// the password, and where "Cancel" leads (kept from the first answer, whose
// Referer is the form's page). No other form of the application uses the
// names, so the original form's values never collide with them; both are
// removed before the action's handler runs.
const (
	reauthField     = "reauth_password"
	reauthBackField = "reauth_back"
)

// reauthActions says on the confirmation page what is about to happen, by
// the route's pattern. Those taking %s name the account concerned.
var reauthActions = map[string]string{
	"/account/tokens":                       "reauth.doing.token_create",
	"/deadlines/feeds":                      "reauth.doing.feed_create",
	"/admin/users":                          "reauth.doing.user_create",
	"/admin/users/:id/role":                 "reauth.doing.user_role",
	"/admin/users/:id/disable":              "reauth.doing.user_disable",
	"/admin/users/:id/enable":               "reauth.doing.user_enable",
	"/admin/users/:id/reset":                "reauth.doing.user_reset",
	"/admin/users/:id/tokens/:token/revoke": "reauth.doing.token_revoke",
	"/admin/users/:id/sessions/:handle/end": "reauth.doing.session_end",
	"/admin/users/:id/unlock":               "reauth.doing.user_unlock",
}

// withRecentPassword is role followed by recentPassword: the role is checked
// first, so someone lacking it is refused as before, without being asked
// for a password.
func (s *Server) withRecentPassword(role echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return role(s.recentPassword(next)) }
}

// recentPassword lets a sensitive action (any request that is not a GET or
// HEAD) through only within reauthWindow of the session's last password
// confirmation, and otherwise asks for the password first.
func (s *Server) recentPassword(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodGet || req.Method == http.MethodHead {
			return next(c)
		}
		st := state(c)
		if st.user == nil || st.session == nil || st.session.ID == "" || st.token != nil {
			return licensing.Errorf(licensing.Unauthorized, "sign in first")
		}
		if _, err := c.FormParams(); err != nil {
			return &licensing.Error{Code: licensing.Invalid, Message: "malformed form", Err: err}
		}
		idHash := auth.HashSessionID(st.session.ID)
		at, err := s.db.SessionConfirmedAt(req.Context(), idHash)
		if errors.Is(err, auth.ErrNoSession) {
			return licensing.Errorf(licensing.Unauthorized, "sign in first")
		}
		if err != nil {
			return err
		}
		switch _, confirming := req.PostForm[reauthField]; {
		case s.now().Sub(at) < reauthWindow:
		case !confirming:
			return s.renderReauth(c, http.StatusUnauthorized, "")
		default:
			if done, err := s.confirmPassword(c, idHash); !done || err != nil {
				return err
			}
		}
		dropReauthFields(req)
		return next(c)
	}
}

// confirmPassword checks the password posted on the confirmation page,
// with the sign-in's throttles, and stamps the session when it is right.
// When it is not (done false), it has answered with the page again.
func (s *Server) confirmPassword(c echo.Context, idHash string) (done bool, err error) {
	ctx := c.Request().Context()
	u, l := currentUser(c), state(c).locale
	email, addr, actor := accountThrottleKey(u), auth.ClientAddress(ctx), s.actor(c)
	event := func(action string) error {
		return s.db.RecordEvent(ctx, actor, sqlite.Change{Action: action, Entity: "user", EntityID: auth.FormatUserID(u.ID),
			Details: map[string]any{"path": c.Request().URL.Path}})
	}
	okAddr, waitAddr := s.byAddr.Allow(addr)
	okEmail, waitEmail := s.byEmail.Allow(email)
	if !okAddr || !okEmail {
		wait := max(waitAddr, waitEmail)
		s.log.Warn("password confirmation throttled", "user", u.ID, "address", addr, "retry_after", wait.String())
		if err := event("session.reauth_throttled"); err != nil {
			return false, err
		}
		setRetryAfter(c, wait)
		return false, s.renderReauth(c, http.StatusTooManyRequests, l.T("reauth.throttled"))
	}
	password := c.Request().PostForm.Get(reauthField)
	good, rehash, err := s.verifyPassword(u.PasswordHash, password)
	if err != nil {
		s.log.Error("stored password hash unreadable", "user", u.ID, "err", err)
		good = false
	}
	if !good {
		s.byAddr.Fail(addr)
		s.byEmail.Fail(email)
		s.log.Warn("password confirmation failed", "user", u.ID, "address", addr)
		if err := event("session.reauth_failed"); err != nil {
			return false, err
		}
		return false, s.renderReauth(c, http.StatusUnauthorized, l.T("reauth.wrong"))
	}
	s.byEmail.Succeed(email)
	if rehash {
		if h, err := s.hashPassword(password); err == nil {
			_ = s.db.RehashPassword(ctx, u.ID, h)
		}
	}
	if err := s.db.ConfirmSession(ctx, actor, u.ID, idHash); errors.Is(err, sqlite.ErrNotFound) {
		return false, licensing.Errorf(licensing.Unauthorized, "sign in first")
	} else if err != nil {
		return false, err
	}
	s.log.Info("password confirmed", "user", u.ID, "address", addr)
	return true, nil
}

// renderReauth answers with the confirmation page. Its status is 401 (429
// when throttled), not 200: nothing was done, and a script, a log or a
// monitor counting answers must not take the page for success. Browsers
// show a 401's page like any other when it asks for no HTTP
// authentication, so it works without JavaScript.
func (s *Server) renderReauth(c echo.Context, status int, problem string) error {
	req := c.Request()
	f := templates.ReauthForm{Action: req.URL.RequestURI(), Email: currentUser(c).Email, Back: reauthBack(req),
		Errors: templates.FieldErrors{}}
	f.Fields, f.Withheld = carriedFields(req.PostForm)
	if problem != "" {
		f.Errors[reauthField] = problem
	}
	doing, err := s.reauthDoing(c)
	if err != nil {
		return err
	}
	f.Doing = doing
	p, err := s.page(c, "reauth.title", "")
	if err != nil {
		return err
	}
	return render(c, status, templates.Reauth(p, f))
}

// reauthDoing says what the confirmed action will do, naming the account
// it concerns; "" for a route without a description.
func (s *Server) reauthDoing(c echo.Context) (string, error) {
	key, ok := reauthActions[c.Path()]
	if !ok {
		return "", nil
	}
	l := state(c).locale
	if c.Param("id") == "" {
		return l.T(key), nil
	}
	u, err := s.userParam(c)
	if err != nil {
		return "", err
	}
	return l.T(key, u.Email), nil
}

// isPasswordField reports whether a form field holds a password: the
// current, new or repeated password of the application's forms. Their
// values are never written into the confirmation page, where they would sit
// in the page's source; the user types them again afterwards.
func isPasswordField(name string) bool {
	n := strings.ToLower(name)
	return n == "current" || n == "confirm" || strings.Contains(n, "password")
}

// carriedFields is the posted form as hidden fields, in a stable order,
// less its password fields (withheld reports whether one had a value) and
// less the confirmation's own field.
func carriedFields(form url.Values) (fields []templates.ReauthField, withheld bool) {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == reauthField || name == reauthBackField {
			continue
		}
		if isPasswordField(name) {
			withheld = withheld || slices.ContainsFunc(form[name], func(v string) bool { return v != "" })
			continue
		}
		for _, v := range form[name] {
			fields = append(fields, templates.ReauthField{Name: name, Value: v})
		}
	}
	return fields, withheld
}

// dropReauthFields removes the confirmation's own fields from the request,
// so that the action's handler sees the original form only.
func dropReauthFields(req *http.Request) {
	for _, name := range []string{reauthField, reauthBackField} {
		req.PostForm.Del(name)
		req.Form.Del(name)
		if req.MultipartForm != nil {
			delete(req.MultipartForm.Value, name)
		}
	}
}

// reauthBack is where cancelling the confirmation leads: the page the form
// was on, when the browser says so and it is this site's, else the start.
// The action's own address is no such page: it may answer POST only.
func reauthBack(req *http.Request) string {
	if back, ok := req.PostForm[reauthBackField]; ok {
		return safeNext(back[0])
	}
	ref, err := url.Parse(req.Referer())
	if err != nil || ref.Host != req.Host || ref.Path == "" || ref.Path == req.URL.Path {
		return "/"
	}
	return safeNext(ref.RequestURI())
}
