package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// Five wrong passwords lock an account's sign-in for 15 minutes, doubling
// up to a day, and the right password is refused too while it lasts. So
// anyone who knows a colleague's address can lock them out; an
// administrator sees the lockout on the account's page and lifts it here.
// Lockouts live in memory (internal/auth.Throttle), like the lifting.

// accountThrottleKey is the key the sign-in throttles an account's address
// under: as typed on the sign-in page, trimmed and in lower case.
func accountThrottleKey(u *auth.User) string { return strings.ToLower(strings.TrimSpace(u.Email)) }

// lockoutView is the account's running sign-in lockout, or nil.
func (s *Server) lockoutView(u *auth.User) *templates.LockoutView {
	until, refused, locked := s.byEmail.Lockout(accountThrottleKey(u))
	if !locked {
		return nil
	}
	return &templates.LockoutView{Until: until, Refused: refused}
}

// adminUnlock lifts an account's sign-in lockout and forgets its failed
// attempts, so the doubling starts afresh. A lockout of the client address
// the attempts came from is not the account's and stays.
func (s *Server) adminUnlock(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	key := accountThrottleKey(u)
	until, refused, locked := s.byEmail.Lockout(key)
	if !locked {
		if err := s.flash(c, "lockout.not_locked", u.Email); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
	}
	// Recorded before it is lifted: a lockout lifted without its row would
	// be worse than a row whose lockout ran out a moment earlier by itself.
	if err := s.db.RecordEvent(c.Request().Context(), s.actor(c), sqlite.Change{Action: "session.signin_unlocked", Entity: "user",
		EntityID: auth.FormatUserID(u.ID), Details: map[string]any{"email": u.Email,
			"account_locked_until": until.UTC().Format(time.RFC3339), "refused_while_account_locked": refused}}); err != nil {
		return err
	}
	s.byEmail.Reset(key)
	s.log.Info("sign-in lockout lifted", "user", u.ID, "email", u.Email, "by", currentUser(c).ID,
		"refused_while_account_locked", refused)
	if err := s.flash(c, "lockout.unlocked", u.Email); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
}
