package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The JSON API under /api/v1: what every endpoint shares. Callers present
// a personal access token as a bearer token; session cookies open nothing
// here, and tokens open no page. Errors take the contract's shape through
// handleError.

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// isAPI reports whether a request is for the JSON API.
func isAPI(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// codeRateLimited is the error code of a 429 answer. The contract lists the
// codes of the statuses it names; 429 is an addition, with a code of its own
// so that no script mistakes it for a refusal.
const codeRateLimited licensing.Code = "rate_limited"

// statusError is a domain error answered with a status other than its
// code's usual one: 400 for a body that is not JSON, 429 for too many
// requests (with the seconds to wait).
type statusError struct {
	status     int
	retryAfter int
	err        *licensing.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// badRequest is a 400: the request could not be read at all.
func badRequest(format string, args ...any) error {
	return &statusError{status: http.StatusBadRequest, err: licensing.Errorf(licensing.Invalid, format, args...)}
}

// fieldError is a 422 with one message for one field.
func fieldError(field, message string) error {
	return &licensing.Error{Code: licensing.Invalid, Message: field + ": " + message, Fields: map[string]string{field: message}}
}

// fieldErrors is a 422 with a message per field, or nil when there is none.
func fieldErrors(message string, fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &licensing.Error{Code: licensing.Invalid, Message: message, Fields: fields}
}

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
		return &statusError{status: http.StatusTooManyRequests, retryAfter: secs,
			err: &licensing.Error{Code: codeRateLimited, Message: fmt.Sprintf("too many requests with this token; try again in %d s", secs)}}
	}
	now := s.now()
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= tokenTouchInterval {
		if err := s.db.TouchAPIToken(req.Context(), tok.ID, now); err != nil {
			return err
		}
	}
	st := state(c)
	st.user, st.token = u, tok
	return nil
}

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

// decodeJSON reads a request body into v, strictly: the body must be one
// JSON value of the expected shape, without unknown fields. A body that is
// not JSON is a 400; a field of the wrong type or an unknown one is a 422
// that names the field.
func decodeJSON(c echo.Context, v any) error {
	req := c.Request()
	if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return badRequest("send the body as JSON, with Content-Type: application/json")
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err // too large: handleError answers 413
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the body ends in the middle of the JSON")
	case errors.As(err, &syntax):
		return badRequest("the body is not valid JSON: %s (at byte %d)", syntax.Error(), syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fieldError("body", "must be "+jsonKind(typ.Type.Kind().String())+" in JSON")
		}
		return fieldError(field, "must be "+jsonKind(typ.Type.Kind().String())+", not "+typ.Value)
	case err != nil && strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return fieldError(name, "is not a field of this resource")
	case err != nil:
		return badRequest("the body cannot be read as JSON: %v", err)
	}
	if dec.More() {
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}

// jsonKind names a Go kind as JSON calls it.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "slice", kind == "array":
		return "a list"
	case kind == "struct", kind == "map":
		return "an object"
	}
	return "of another type"
}

// apiDate reads an optional date field: nil or "" is no date; anything
// else must be YYYY-MM-DD, or errs gets a message under field.
func apiDate(errs map[string]string, field string, s *string) licensing.Date {
	if s == nil || strings.TrimSpace(*s) == "" {
		return licensing.Date{}
	}
	d, err := licensing.ParseDate(strings.TrimSpace(*s))
	if err != nil {
		errs[field] = "is not a date of the form YYYY-MM-DD: " + errorText(err)
	}
	return d
}

// jsonDate is a date for an answer: null when there is none.
func jsonDate(d licensing.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// queryDate reads an optional date parameter of the query string.
func queryDate(c echo.Context, errs map[string]string, name string) licensing.Date {
	v := c.QueryParam(name)
	return apiDate(errs, name, &v)
}

// Lists hand out at most maxPageSize items a page, defaultPageSize unless
// the caller asks for another number with limit.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// pageLimit reads the limit parameter of a list.
func pageLimit(c echo.Context) (int, error) {
	v := strings.TrimSpace(c.QueryParam("limit"))
	if v == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageSize {
		return 0, fieldError("limit", fmt.Sprintf("must be a whole number from 1 to %d", maxPageSize))
	}
	return n, nil
}

// listPage is the contract's answer to a list: the items and, when more
// follow, the cursor of the next page.
type listPage[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// newListPage makes a page; an empty next means the last page.
func newListPage[T any](items []T, next string) listPage[T] {
	if items == nil {
		items = []T{}
	}
	p := listPage[T]{Items: items}
	if next != "" {
		p.Next = &next
	}
	return p
}

// Cursors are opaque to callers: the storage's keyset position, wrapped with
// the list it belongs to, so that a cursor of one list is refused by another.
func encodeAPICursor(list, position string) string {
	if position == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\x00" + position))
}

// decodeAPICursor unwraps the cursor parameter of a list ("" without one).
func decodeAPICursor(c echo.Context, list string) (string, error) {
	v := strings.TrimSpace(c.QueryParam("cursor"))
	if v == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	name, position, ok := strings.Cut(string(b), "\x00")
	if err != nil || !ok || name != list || position == "" {
		return "", fieldError("cursor", "is not a cursor of this list; start again without one")
	}
	return position, nil
}

// rejectUnknownParams refuses query parameters an endpoint does not know,
// so that a misspelt filter does not silently return everything.
func rejectUnknownParams(c echo.Context, known ...string) error {
	errs := map[string]string{}
	for name := range c.QueryParams() {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			errs[name] = "is not a parameter of this endpoint; it takes " + strings.Join(known, ", ")
		}
	}
	return fieldErrors("unknown query parameters", errs)
}

// apiToday is the day the API answers for when none is given.
func (s *Server) apiToday() licensing.Date { return licensing.DateOf(s.now()) }

// apiCompany finds the company a request names by id, legal name, alias or
// a short name that only one company bears. A reference that names none,
// or several, is a field message (listing the candidates) in errs.
func (s *Server) apiCompany(c echo.Context, errs map[string]string, field, ref string) *licensing.Company {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		errs[field] = "name a company by its id or legal name"
		return nil
	}
	found, err := s.db.CompanyCandidates(c.Request().Context(), ref)
	switch {
	case err != nil:
		errs[field] = "cannot be looked up: " + errorText(err)
		return nil
	case len(found) == 0:
		errs[field] = fmt.Sprintf("no company with the id or name %q is recorded", ref)
		return nil
	case len(found) > 1:
		names := make([]string, len(found))
		for i, co := range found {
			names[i] = fmt.Sprintf("%s (id %d)", co.Name, co.ID)
		}
		errs[field] = fmt.Sprintf("%q names several companies: %s; give the legal name or the id", ref, strings.Join(names, ", "))
		return nil
	}
	return found[0]
}

// apiPatent finds the patent a request names by id or number in any
// notation; a reference that names none, or several, is a field message
// (listing the candidates) in errs.
func (s *Server) apiPatent(c echo.Context, errs map[string]string, field, ref string) *sqlite.PatentRecord {
	p, problem, err := patentByRef(c.Request().Context(), s.db, ref)
	if err != nil {
		errs[field] = "cannot be looked up: " + errorText(err)
		return nil
	}
	if problem != "" {
		errs[field] = problem
		return nil
	}
	return p
}

// pathError turns the field message of a reference in the path into the
// answer: 404 when it names nothing, 409 when it names several.
func pathError(errs map[string]string, field string) error {
	msg := errs[field]
	if strings.Contains(msg, "several") {
		return licensing.Errorf(licensing.Conflict, "%s", msg)
	}
	return licensing.Errorf(licensing.NotFound, "%s", msg)
}
