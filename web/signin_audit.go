package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// A throttled sign-in costs no password hashing, so one client can send
// hundreds a second. Recording each would let it fill the disk and bury
// real events, so a lockout is recorded once, at the first attempt it
// refuses; later refusals are counted in memory (the throttle's Verdict),
// and the count is written into the next sign-in row of that account or
// address once the lockout is over, or into the row of an administrator
// lifting it. The log does the same, with a line at every tenfold of
// refusals in between, so a long attack still shows while it lasts.

// signinAttempt is one POST /login as the throttles saw it.
type signinAttempt struct {
	email, addr     string
	byAddr, byEmail auth.Verdict
}

// event is the audit row of the attempt: about the account when the typed
// address belongs to one (so the account's page lists it), else about no
// record. The client is told nothing of which it was.
func (a signinAttempt) event(action string, user *auth.User) sqlite.Change {
	c := sqlite.Change{Action: action, Entity: "session", Details: map[string]any{"email": a.email}}
	if user != nil {
		c.Entity, c.EntityID = "user", auth.FormatUserID(user.ID)
	}
	if n := a.byEmail.EndedRefused; n > 0 {
		c.Details["refused_while_account_locked"] = n
	}
	if n := a.byAddr.EndedRefused; n > 0 {
		c.Details["refused_while_address_locked"] = n
	}
	return c
}

// logEndedLockouts says in the log how many attempts a lockout that is now
// over refused, as the attempt's audit row will.
func (s *Server) logEndedLockouts(a signinAttempt) {
	if a.byEmail.EndedRefused > 0 || a.byAddr.EndedRefused > 0 {
		s.log.Info("sign-in lockout over", "email", a.email, "address", a.addr,
			"refused_while_account_locked", a.byEmail.EndedRefused, "refused_while_address_locked", a.byAddr.EndedRefused)
	}
}

// loginThrottled refuses an attempt while its account or address is locked
// out, recording only the first refusal of each lockout.
func (s *Server) loginThrottled(c echo.Context, actor sqlite.Actor, a signinAttempt, next string) error {
	ctx := c.Request().Context()
	wait := max(a.byAddr.RetryAfter, a.byEmail.RetryAfter)
	if a.byEmail.First || a.byAddr.First {
		s.log.Warn("sign-in throttled", "email", a.email, "address", a.addr, "retry_after", wait.String())
		// Looked up for every first refusal, known account or not, so the
		// answer takes the same time either way.
		user, err := s.db.UserByEmail(ctx, a.email)
		if err != nil && !errors.Is(err, sqlite.ErrNotFound) {
			return err
		}
		change := a.event("session.signin_throttled", user)
		if a.byEmail.First {
			change.Details["account_locked_until"] = a.byEmail.LockedUntil.UTC().Format(time.RFC3339)
		}
		if a.byAddr.First {
			change.Details["address_locked_until"] = a.byAddr.LockedUntil.UTC().Format(time.RFC3339)
		}
		if err := s.db.RecordEvent(ctx, actor, change); err != nil {
			return err
		}
	} else if n := max(a.byEmail.Refused, a.byAddr.Refused); tenfold(n) {
		s.log.Warn("sign-in still throttled", "email", a.email, "address", a.addr,
			"refused_while_account_locked", a.byEmail.Refused, "refused_while_address_locked", a.byAddr.Refused,
			"retry_after", wait.String())
	}
	setRetryAfter(c, wait)
	return s.loginFailed(c, http.StatusTooManyRequests, a.email, next, "login.throttled")
}

// setRetryAfter tells a throttled client in whole seconds, rounded up, when
// to try again.
func setRetryAfter(c echo.Context, wait time.Duration) {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
}

// tenfold reports whether n is 10, 100, 1000 …: the counts at which a
// running lockout is logged again.
func tenfold(n int) bool {
	if n < 10 {
		return false
	}
	for n%10 == 0 {
		n /= 10
	}
	return n == 1
}
