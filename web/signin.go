package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// loginNotices are the messages the sign-in page shows for ?notice=….
var loginNotices = map[string]string{
	"signed_out":   "login.notice.signed_out",
	"setup_done":   "login.notice.setup_done",
	"password_set": "login.notice.password_set",
}

func (s *Server) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	p, err := s.page(c, "login.title", "")
	if err != nil {
		return err
	}
	f := templates.LoginForm{Next: safeNext(c.QueryParam("next"))}
	if key, ok := loginNotices[c.QueryParam("notice")]; ok {
		f.Notice = p.L.T(key)
	}
	return render(c, http.StatusOK, templates.Login(p, f))
}

// login signs a user in. Unknown accounts, wrong passwords and disabled
// accounts get one and the same answer, in the same time, so the page tells
// an attacker nothing about which accounts exist.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	if len(email) > auth.MaxEmailLength {
		email = email[:auth.MaxEmailLength] // no real account is longer; keeps audit rows bounded
	}
	password := c.FormValue("password")
	addr := auth.ClientAddress(ctx)
	actor := sqlite.Actor{Email: email, Via: sqlite.ViaWeb, Address: addr}
	next := safeNext(c.FormValue("next"))

	a := signinAttempt{email: email, addr: addr, byAddr: s.byAddr.Check(addr), byEmail: s.byEmail.Check(email)}
	s.logEndedLockouts(a)
	if !a.byAddr.OK || !a.byEmail.OK {
		return s.loginThrottled(c, actor, a, next)
	}

	user, err := s.db.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, sqlite.ErrNotFound) {
		return err
	}
	good, rehash, reason := false, false, ""
	switch {
	case user == nil:
		s.dummyVerify(password)
		reason = "unknown_account"
	case user.Invited(): // an invited account has no password until its link is used
		s.dummyVerify(password)
		reason = "invited"
	default:
		good, rehash, err = s.verifyPassword(user.PasswordHash, password)
		switch {
		case err != nil:
			s.log.Error("stored password hash unreadable", "user", user.ID, "err", err)
			good, reason = false, "unreadable_hash"
		case !good:
			reason = "wrong_password"
		case user.Disabled():
			good, reason = false, "disabled"
		}
	}
	if !good {
		s.byAddr.Fail(addr)
		s.byEmail.Fail(email)
		s.log.Warn("sign-in failed", "email", email, "address", addr)
		change := a.event("session.signin_failed", user)
		change.Details["signin_reason"] = reason
		if err := s.db.RecordEvent(ctx, actor, change); err != nil {
			return err
		}
		return s.loginFailed(c, http.StatusUnauthorized, email, next, "login.failed")
	}
	s.byEmail.Succeed(email)
	if rehash {
		if h, err := s.hashPassword(password); err == nil {
			_ = s.db.RehashPassword(ctx, user.ID, h)
		}
	}
	if err := s.startSession(c, user); err != nil {
		return err
	}
	actor.UserID = user.ID
	s.log.Info("signed in", "user", user.ID, "email", email, "address", addr)
	change := a.event("session.signin", user)
	delete(change.Details, "email") // the row's actor and record already say who
	if err := s.db.RecordEvent(ctx, actor, change); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) loginFailed(c echo.Context, status int, email, next, msgKey string) error {
	p, err := s.page(c, "login.title", "")
	if err != nil {
		return err
	}
	return render(c, status, templates.Login(p, templates.LoginForm{Email: email, Next: next, Error: p.L.T(msgKey)}))
}

// startSession ends whatever session the browser brought and starts a new
// one with a fresh id, so an id planted before sign-in is worthless after it.
func (s *Server) startSession(c echo.Context, user *auth.User) error {
	st := state(c)
	if st.session != nil && !st.session.IsNew {
		if err := s.endSession(c, st.session); err != nil {
			return err
		}
	}
	sess := s.sessions.Fresh()
	auth.SetSessionUser(sess, user.ID)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	st.session, st.user = sess, user
	return nil
}

// endSession deletes the session on the server and its cookie in the browser.
func (s *Server) endSession(c echo.Context, sess *sessions.Session) error {
	sess.Options.MaxAge = -1
	return s.sessions.Save(c.Request(), c.Response(), sess)
}

func (s *Server) logout(c echo.Context) error {
	st := state(c)
	if st.user != nil {
		if err := s.endSession(c, st.session); err != nil {
			return err
		}
		if st.user.Locale != "" {
			s.rememberLocale(c, st.user.Locale)
		}
		actor := s.actor(c)
		s.log.Info("signed out", "user", st.user.ID, "address", actor.Address)
		if err := s.db.RecordEvent(c.Request().Context(), actor, sqlite.Change{Action: "session.signout", Entity: "user",
			EntityID: auth.FormatUserID(st.user.ID)}); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/login?notice=signed_out")
}

// actor names the signed-in user, or the API token's, as the author of a change.
func (s *Server) actor(c echo.Context) sqlite.Actor {
	a := sqlite.Actor{Via: sqlite.ViaWeb, Address: auth.ClientAddress(c.Request().Context())}
	if state(c).token != nil {
		a.Via = sqlite.ViaAPI
	}
	if u := currentUser(c); u != nil {
		a.UserID, a.Email = u.ID, u.Email
	}
	return a
}

// setLocale switches the language: stored with the account when signed in,
// in a cookie otherwise.
func (s *Server) setLocale(c echo.Context) error {
	locale := c.FormValue("locale")
	if !auth.ValidLocale(locale) {
		return &licensing.Error{Code: licensing.Invalid, Message: "unsupported language",
			Fields: map[string]string{"locale": "must be en, de or empty"}}
	}
	if u := currentUser(c); u != nil {
		if err := s.db.SetLocale(c.Request().Context(), s.actor(c), u.ID, locale); err != nil {
			return err
		}
	}
	s.rememberLocale(c, locale)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// rememberLocale keeps a language choice in the browser too, so that the
// sign-in page speaks it after signing out.
func (s *Server) rememberLocale(c echo.Context, locale string) {
	maxAge := 365 * 24 * 3600
	if locale == "" {
		maxAge = -1
	}
	c.SetCookie(&http.Cookie{Name: localeCookie, Value: locale, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// setupAllowed reports whether the one-time setup link is still valid: it
// matches and no account exists yet.
func (s *Server) setupAllowed(c echo.Context) error {
	token := c.Param("token")
	if s.cfg.SetupToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.SetupToken)) != 1 {
		return licensing.Errorf(licensing.NotFound, "no such setup link")
	}
	n, err := s.db.CountUsers(c.Request().Context())
	if err != nil {
		return err
	}
	if n > 0 {
		return licensing.Errorf(licensing.NotFound, "setup already done")
	}
	return nil
}

func (s *Server) setupForm(c echo.Context) error {
	if err := s.setupAllowed(c); err != nil {
		return err
	}
	p, err := s.page(c, "setup.title", "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Setup(p, c.Param("token"), templates.SetupForm{}))
}

func (s *Server) setup(c echo.Context) error {
	if err := s.setupAllowed(c); err != nil {
		return err
	}
	l := state(c).locale
	f := templates.SetupForm{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")),
		Errors: templates.FieldErrors{}}
	password, confirm := c.FormValue("password"), c.FormValue("confirm")
	validateNewPassword(l, f.Errors, f.Email, password, confirm)
	if _, err := auth.NormalizeEmail(f.Email); err != nil {
		f.Errors["email"] = l.T("error.field.email")
	}
	if len(f.Name) > 200 {
		f.Errors["name"] = l.T("error.field.too_long", 200)
	}
	if len(f.Errors) == 0 {
		u, err := auth.NewUser(f.Email, f.Name, auth.RoleAdmin, password)
		if err != nil {
			return err
		}
		err = s.db.CreateFirstAdmin(c.Request().Context(), sqlite.Actor{Email: u.Email, Via: sqlite.ViaWeb,
			Address: auth.ClientAddress(c.Request().Context())}, u)
		if errors.Is(err, sqlite.ErrSetupDone) {
			return licensing.Errorf(licensing.NotFound, "setup already done")
		}
		if err != nil {
			return err
		}
		s.log.Info("first administrator created", "email", u.Email)
		return c.Redirect(http.StatusSeeOther, "/login?notice=setup_done")
	}
	p, err := s.page(c, "setup.title", "")
	if err != nil {
		return err
	}
	return render(c, http.StatusUnprocessableEntity, templates.Setup(p, c.Param("token"), f))
}

// mustChoosePassword reports whether a request is to be sent to the
// account page instead: its user signed in with a password an
// administrator set, and has not chosen their own yet. Only the account
// page and its password form stay open (signing out and the language
// switch need no role). The API is not held up: its tokens were made by
// the person, not handed out.
func mustChoosePassword(c echo.Context) bool {
	u := currentUser(c)
	if u == nil || !u.MustChangePassword || state(c).token != nil {
		return false
	}
	switch c.Request().Method + " " + c.Path() {
	case "GET /account", "POST /account/password":
		return false
	}
	return true
}

// inviteForm is the page behind an invitation or password reset link.
func (s *Server) inviteForm(c echo.Context) error {
	link, u, err := s.db.PasswordLinkBySecret(c.Request().Context(), c.Param("token"))
	if errors.Is(err, sqlite.ErrNotFound) {
		return s.inviteGone(c)
	}
	if err != nil {
		return err
	}
	return s.renderInvite(c, http.StatusOK, templates.InviteForm{Kind: string(link.Kind), Email: u.Email, Name: u.Name})
}

func (s *Server) renderInvite(c echo.Context, status int, f templates.InviteForm) error {
	p, err := s.page(c, "invite.title."+f.Kind, "")
	if err != nil {
		return err
	}
	return render(c, status, templates.Invite(p, c.Param("token"), f))
}

// inviteGone answers a link that is unknown, used, replaced or expired,
// all alike, and says what to do.
func (s *Server) inviteGone(c echo.Context) error {
	p, err := s.page(c, "invite.gone.title", "")
	if err != nil {
		return err
	}
	return render(c, http.StatusNotFound, templates.InviteGone(p))
}

// acceptInvite sets the password chosen through a link (and an invited
// person's name), spends the link and sends the person to sign in. A
// browser signed in as anyone is signed out first: the person signing in
// next is the one the link was for.
func (s *Server) acceptInvite(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	link, u, err := s.db.PasswordLinkBySecret(ctx, token)
	if errors.Is(err, sqlite.ErrNotFound) {
		return s.inviteGone(c)
	}
	if err != nil {
		return err
	}
	l := state(c).locale
	f := templates.InviteForm{Kind: string(link.Kind), Email: u.Email, Name: u.Name, Errors: templates.FieldErrors{}}
	if link.Kind == auth.LinkInvite {
		f.Name = strings.TrimSpace(c.FormValue("name"))
		if len([]rune(f.Name)) > 200 {
			f.Errors["name"] = l.T("error.field.too_long", 200)
		}
	}
	password := c.FormValue("password")
	validateNewPassword(l, f.Errors, u.Email, password, c.FormValue("confirm"))
	if len(f.Errors) > 0 {
		return s.renderInvite(c, http.StatusUnprocessableEntity, f)
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	actor := sqlite.Actor{UserID: u.ID, Email: u.Email, Via: sqlite.ViaWeb, Address: auth.ClientAddress(ctx)}
	if _, err := s.db.UsePasswordLink(ctx, actor, token, f.Name, hash); errors.Is(err, sqlite.ErrNotFound) {
		return s.inviteGone(c)
	} else if err != nil {
		return err
	}
	if st := state(c); st.user != nil {
		if err := s.endSession(c, st.session); err != nil {
			return err
		}
	}
	s.log.Info("password chosen through a link", "user", u.ID, "kind", string(link.Kind))
	return c.Redirect(http.StatusSeeOther, "/login?notice=password_set")
}
