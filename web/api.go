package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The JSON API under /api/v1: what every endpoint shares. Callers present
// a personal access token as a bearer token (api_auth.go); session cookies
// open nothing here, and tokens open no page. Bodies are read as
// api_body.go says. Errors take the contract's shape through handleError.

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// isAPI reports whether a request is for the JSON API.
func isAPI(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// statusError is a domain error answered with a status other than its
// code's usual one: 400 for a body that is not JSON, 429 for too many
// requests.
type statusError struct {
	status int
	err    *licensing.Error
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

// jsonText is a string for an answer: null when empty.
func jsonText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// jsonList is a list for an answer: [] rather than null.
func jsonList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// queryDate reads an optional date parameter of the query string.
func queryDate(c echo.Context, errs map[string]string, name string) licensing.Date {
	v := c.QueryParam(name)
	return apiDate(errs, name, &v)
}

// apiQueryBool reads an optional true/false parameter; nil when absent.
func apiQueryBool(c echo.Context, errs map[string]string, name string) *bool {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		errs[name] = "must be true or false"
		return nil
	}
	return &b
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

// filteredList names a list together with its filters, for its cursors:
// a cursor then works only with the filters it was issued under (the page
// size may change), and any other use is refused instead of continuing a
// different list from a position that means nothing there.
func filteredList(c echo.Context, list string) string {
	params := c.QueryParams()
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "cursor" && name != "limit" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		for _, v := range params[name] {
			fmt.Fprintf(h, "%q=%q&", name, strings.TrimSpace(v))
		}
	}
	return list + ":" + hex.EncodeToString(h.Sum(nil)[:8])
}

// rejectUnknownParams refuses query parameters an endpoint does not know,
// so that a misspelt filter does not silently return everything.
func rejectUnknownParams(c echo.Context, known ...string) error {
	errs := map[string]string{}
	for name := range c.QueryParams() {
		if !slices.Contains(known, name) {
			errs[name] = "is not a parameter of this endpoint; it takes " + strings.Join(known, ", ")
		}
	}
	return fieldErrors("unknown query parameters", errs)
}

// apiToday is the day the API answers for when none is given.
func (s *Server) apiToday() licensing.Date { return licensing.DateOf(s.now()) }

// ownerGroup is the company, and with affiliates every company of its
// corporate group today.
func (s *Server) ownerGroup(ctx context.Context, co *licensing.Company, affiliates bool) ([]int64, error) {
	if !affiliates {
		return []int64{co.ID}, nil
	}
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return nil, err
	}
	return licensing.Group(links, co.ID, s.apiToday()), nil
}

// companyRef finds the company a request names by id, legal name, alias
// or a short name that only one company bears. A reference that names none
// is a NotFound error, one that names several a Conflict that lists the
// candidates; any other error is a fault of the store.
func (s *Server) companyRef(ctx context.Context, ref string) (*licensing.Company, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, licensing.Errorf(licensing.NotFound, "name a company by its id or legal name")
	}
	found, err := s.db.CompanyCandidates(ctx, ref)
	switch {
	case err != nil:
		return nil, err
	case len(found) == 0:
		return nil, licensing.Errorf(licensing.NotFound, "no company with the id or name %q is recorded", ref)
	case len(found) > 1:
		names := make([]string, len(found))
		for i, co := range found {
			names[i] = fmt.Sprintf("%s (id %d)", co.Name, co.ID)
		}
		return nil, licensing.Errorf(licensing.Conflict, "%q names several companies: %s; give the legal name or the id",
			ref, strings.Join(names, ", "))
	}
	return found[0], nil
}

// patentRef finds the patent a request names by id or by number in any
// notation. A reference that names none, or is no patent number, is a
// NotFound error; a number without kind code that several patents bear is
// a Conflict that lists them; any other error is a fault of the store.
func (s *Server) patentRef(ctx context.Context, ref string) (*sqlite.PatentRecord, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, licensing.Errorf(licensing.NotFound, "name a patent by its id or its number, in any notation")
	}
	id, idErr := strconv.ParseInt(ref, 10, 64)
	if idErr == nil {
		if p, err := s.db.Patent(ctx, id); !errors.Is(err, sqlite.ErrNotFound) {
			return p, err
		}
	}
	p, err := s.db.PatentByNumber(ctx, ref)
	switch {
	case errors.Is(err, sqlite.ErrNotFound), idErr == nil && licensing.ErrorCode(err) == licensing.Invalid:
		return nil, licensing.Errorf(licensing.NotFound, "no patent with the id or number %q is recorded", ref)
	case licensing.ErrorCode(err) == licensing.Invalid:
		return nil, licensing.Errorf(licensing.NotFound, "%s", errorText(err))
	}
	return p, err
}

// refProblem puts the message of a reference that names no record, or
// several, under field in errs, and reports whether err was such; any
// other error is a fault of the store for the caller to return.
func refProblem(errs map[string]string, field string, err error) bool {
	if code := licensing.ErrorCode(err); code == licensing.NotFound || code == licensing.Conflict {
		errs[field] = errorText(err)
		return true
	}
	return false
}

// apiCompany is companyRef for a field of a request: a reference that
// names no company, or several, is a message under field in errs (and
// nil). Having no error to return, it also turns a fault of the store into
// such a message, without its detail, which goes to the log; callers that
// can return an error use companyRef and refProblem.
func (s *Server) apiCompany(c echo.Context, errs map[string]string, field, ref string) *licensing.Company {
	co, err := s.companyRef(c.Request().Context(), ref)
	s.fieldProblem(errs, field, err)
	return co
}

// apiPatent is patentRef for a field of a request, as apiCompany is
// companyRef.
func (s *Server) apiPatent(c echo.Context, errs map[string]string, field, ref string) *sqlite.PatentRecord {
	p, err := s.patentRef(c.Request().Context(), ref)
	s.fieldProblem(errs, field, err)
	return p
}

// fieldProblem is refProblem for callers that cannot return a fault.
func (s *Server) fieldProblem(errs map[string]string, field string, err error) {
	if err != nil && !refProblem(errs, field, err) {
		s.log.Error("reference lookup", "field", field, "err", err)
		errs[field] = "cannot be looked up just now, for a fault of the server; try again"
	}
}

// pathRef reads a reference from the path, unescaped. Echo matches the raw
// path when a request escapes a slash (a legal name such as "Foo A/S", a
// number such as "WO 2017/123456 A1") and then hands the parameter out
// still escaped; otherwise it is unescaped already.
func pathRef(c echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath != "" {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
	}
	return strings.TrimSpace(v)
}
