package web

import (
	"errors"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

func (s *Server) accountPage(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, nil)
}

func (s *Server) renderAccount(c echo.Context, status int, errs templates.FieldErrors) error {
	return s.renderAccountWith(c, status, func(v *templates.AccountView) { v.PasswordErrors = errs })
}

// renderAccountWith renders the account page, after fill has added what
// the request at hand has to show.
func (s *Server) renderAccountWith(c echo.Context, status int, fill func(*templates.AccountView)) error {
	p, err := s.page(c, "account.title", "account")
	if err != nil {
		return err
	}
	u := currentUser(c)
	tokens, err := s.tokenRows(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	sessions, err := s.sessionRows(c, u.ID, "/account/sessions/")
	if err != nil {
		return err
	}
	v := templates.AccountView{Email: u.Email, Name: u.Name, Role: "role." + string(u.Role), Locale: u.Locale,
		MemberSince: u.CreatedAt, Tokens: tokens, APIBase: s.absoluteURL(c, ""),
		Sessions: sessions, MustChange: u.MustChangePassword}
	fill(&v)
	return render(c, status, templates.Account(p, v))
}

// changePassword replaces the user's password after checking the current
// one. Every other session of the user ends; this one goes on. The user's
// API tokens and calendar feed links go on too, unless they ticked the box
// to revoke them as well.
//
// The current password is what someone at an unattended browser would have
// to guess, so wrong ones count against the account like failed sign-ins
// (the same throttle, keyed by the email address, so the two routes share
// one budget of guesses) and each refusal is in the audit trail.
func (s *Server) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	l := state(c).locale
	current, password, confirm := c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm")
	revoke := c.FormValue("revoke") == "yes"
	errs := templates.FieldErrors{}
	key := accountThrottleKey(u)
	if ok, wait := s.byEmail.Allow(key); !ok {
		s.log.Warn("password change throttled", "user", u.ID, "retry_after", wait.String())
		if err := s.db.RecordEvent(ctx, s.actor(c), sqlite.Change{Action: sqlite.ActionPasswordCheckThrottled,
			Entity: "user", EntityID: auth.FormatUserID(u.ID)}); err != nil {
			return err
		}
		setRetryAfter(c, wait)
		errs["current"] = l.T("account.password.throttled", int(math.Ceil(wait.Minutes())))
		return s.renderPasswordErrors(c, http.StatusTooManyRequests, errs, revoke)
	}
	if ok, _, _ := s.verifyPassword(u.PasswordHash, current); !ok {
		s.byEmail.Fail(key)
		s.log.Warn("current password wrong at password change", "user", u.ID)
		if err := s.db.RecordEvent(ctx, s.actor(c), sqlite.Change{Action: sqlite.ActionPasswordCheckFailed,
			Entity: "user", EntityID: auth.FormatUserID(u.ID)}); err != nil {
			return err
		}
		errs["current"] = l.T("error.field.current_password")
	} else {
		s.byEmail.Succeed(key)
	}
	validateNewPassword(l, errs, u.Email, password, confirm)
	if _, bad := errs["password"]; !bad && u.MustChangePassword && password == current {
		errs["password"] = l.T("error.field.password_same")
	}
	if len(errs) > 0 {
		return s.renderPasswordErrors(c, http.StatusUnprocessableEntity, errs, revoke)
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	keep := auth.HashSessionID(state(c).session.ID)
	set, done := s.db.SetPassword, "account.password.changed"
	if revoke {
		set, done = s.db.SetPasswordRevokingAccess, "account.password.changed_revoked"
	}
	if err := set(ctx, s.actor(c), u.ID, hash, keep); err != nil {
		return err
	}
	if err := s.flash(c, done); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account")
}

// renderPasswordErrors shows the account page with the password form's
// errors, the box to revoke tokens and feeds as the user left it.
func (s *Server) renderPasswordErrors(c echo.Context, status int, errs templates.FieldErrors, revoke bool) error {
	return s.renderAccountWith(c, status, func(v *templates.AccountView) {
		v.PasswordErrors, v.RevokeAccess = errs, revoke
	})
}

// validateNewPassword puts the password policy's verdict on a new password
// of the account with the given email address into errs, in the user's
// language.
func validateNewPassword(l *i18n.Locale, errs templates.FieldErrors, email, password, confirm string) {
	switch err := auth.ValidatePasswordFor(password, email); {
	case errors.Is(err, auth.ErrPasswordTooShort):
		errs["password"] = l.T("error.field.password_short", auth.MinPasswordLength)
	case errors.Is(err, auth.ErrPasswordTooLong):
		errs["password"] = l.T("error.field.password_long", auth.MaxPasswordLength)
	case errors.Is(err, auth.ErrPasswordCommon):
		errs["password"] = l.T("error.field.password_common")
	case errors.Is(err, auth.ErrPasswordContext):
		errs["password"] = l.T("error.field.password_context")
	case err != nil:
		errs["password"] = l.T("error.field.password_invalid")
	}
	if _, bad := errs["password"]; !bad && password != confirm {
		errs["confirm"] = l.T("error.field.confirm")
	}
}
