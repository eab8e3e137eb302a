package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
)

// statusOf maps a domain error code to its HTTP status.
var statusOf = map[licensing.Code]int{
	licensing.Invalid:      http.StatusUnprocessableEntity,
	licensing.NotFound:     http.StatusNotFound,
	licensing.Conflict:     http.StatusConflict,
	licensing.Unauthorized: http.StatusUnauthorized,
	licensing.Forbidden:    http.StatusForbidden,
	licensing.Internal:     http.StatusInternalServerError,
}

// codeOf maps router errors (unknown path, wrong method, too large) back to
// domain codes.
func codeOf(status int) licensing.Code {
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return licensing.NotFound
	case http.StatusUnauthorized:
		return licensing.Unauthorized
	case http.StatusForbidden:
		return licensing.Forbidden
	case http.StatusConflict:
		return licensing.Conflict
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		return licensing.Invalid
	}
	return licensing.Internal
}

// handleError is the one place where errors become responses: an error page
// for people, the contract's JSON error shape for the API. Only internal
// errors are logged with their detail; users never see it.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, status := licensing.ErrorCode(err), 0
	var he *echo.HTTPError
	var tooLarge *http.MaxBytesError
	var se *statusError
	switch {
	case errors.As(err, &se):
		status = se.status
	case errors.As(err, &tooLarge):
		code, status = licensing.Invalid, http.StatusRequestEntityTooLarge
	case errors.As(err, &he):
		status = he.Code
		code = codeOf(he.Code)
	default:
		status = statusOf[code]
	}
	if code == licensing.Internal {
		s.log.Error("internal error", "method", c.Request().Method, "path", loggedPath(c.Request().URL.Path), "err", err)
	}
	var de *licensing.Error
	message, fields := "", map[string]string(nil)
	if errors.As(err, &de) && code != licensing.Internal {
		message, fields = de.Message, de.Fields
	}
	if tooLarge != nil && message == "" {
		message = fmt.Sprintf("the body is larger than %d bytes", tooLarge.Limit)
	}
	if isAPI(c.Request().URL.Path) {
		if message == "" {
			message = http.StatusText(status)
		}
		body := map[string]any{"code": code, "message": message}
		if len(fields) > 0 {
			body["fields"] = fields
		}
		_ = c.JSON(status, map[string]any{"error": body})
		return
	}
	if rerr := s.renderError(c, status, code); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
