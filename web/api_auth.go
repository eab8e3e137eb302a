package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// Who may call the JSON API: a personal access token sent as a bearer
// token, its user's role read afresh on every request, and a rate limit
// per token.

// apiRole authenticates the bearer token and lets through only tokens whose
// user holds at least min; the user's role is read afresh on every request,
// so a change of role takes effect at once.
func (s *Server) apiRole(min auth.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := s.authenticateToken(c); err != nil {
				return err
			}
			if u := currentUser(c); !u.Role.AtLeast(min) {
				return licensing.Errorf(licensing.Forbidden, "a %s's token may read but not change records", u.Role)
			}
			return next(c)
		}
	}
}

// authenticateToken finds the token's user, applies the token's rate limit
// and records the caller for the handlers and the audit trail.
func (s *Server) authenticateToken(c echo.Context) error {
	req := c.Request()
	secret, ok := auth.BearerToken(req.Header.Get("Authorization"))
	if !ok {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="patentdesk"`)
		return licensing.Errorf(licensing.Unauthorized, "send a personal access token as Authorization: Bearer <token>")
	}
	u, tok, err := s.db.UserByAPIToken(req.Context(), secret)
	if errors.Is(err, auth.ErrNoToken) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="patentdesk", error="invalid_token"`)
		return licensing.Errorf(licensing.Unauthorized, "the token is unknown, revoked, or its user is disabled")
	}
	if err != nil {
		return err
	}
	if wait := s.apiLimits.wait(tok.ID, s.now()); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return &statusError{status: http.StatusTooManyRequests,
			err: &licensing.Error{Code: codeRateLimited, Message: fmt.Sprintf("too many requests with this token; try again in %d s", secs)}}
	}
	now := s.now()
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= tokenTouchInterval {
		// "Last used" is bookkeeping: a request that reads must not fail
		// because it could not be written (the database busy with a long
		// import), so the failure is logged and the request goes on.
		if err := s.db.TouchAPIToken(req.Context(), tok.ID, now); err != nil {
			s.log.Warn("record token use", "token", tok.ID, "err", err)
		}
	}
	st := state(c)
	st.user, st.token = u, tok
	return nil
}

// codeRateLimited is the error code of a 429 answer. The contract lists the
// codes of the statuses it names; 429 is an addition, with a code of its own
// so that no script mistakes it for a refusal.
const codeRateLimited licensing.Code = "rate_limited"

// tokenTouchInterval is how stale a token's "last used" may get: recording
// every request would turn each read into a write.
const tokenTouchInterval = time.Minute

// apiLimiter keeps a token bucket per API token, in memory.
type apiLimiter struct {
	every rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[int64]*rate.Limiter
}

func newAPILimiter(perSecond float64, burst int) *apiLimiter {
	return &apiLimiter{every: rate.Limit(perSecond), burst: burst, buckets: map[int64]*rate.Limiter{}}
}

// wait takes one request from the token's bucket and says how long the
// caller must wait when the bucket is empty (0: go ahead).
func (l *apiLimiter) wait(tokenID int64, now time.Time) time.Duration {
	if l.every <= 0 {
		return 0
	}
	l.mu.Lock()
	b := l.buckets[tokenID]
	if b == nil {
		if len(l.buckets) >= 100_000 { // tokens are few; this only bounds a bug
			clear(l.buckets)
		}
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[tokenID] = b
	}
	l.mu.Unlock()
	r := b.ReserveN(now, 1)
	if !r.OK() {
		return time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}
