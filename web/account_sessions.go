package web

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// A user's sessions: every signed-in browser, listed on the account page
// (and for administrators on the user's page) with a button that ends it.
// A session is named in forms by the SHA-256 of its id, which is how the
// database keys it: the id itself, the cookie's secret, never leaves the
// cookie.

// sessionRoutes registers the lists of active sessions and ending them.
func (s *Server) sessionRoutes(e *echo.Echo, viewer, admin echo.MiddlewareFunc) {
	e.POST("/account/sessions/:handle/end", s.endOwnSession, viewer)
	e.POST("/admin/users/:id/sessions/:handle/end", s.adminEndSession, admin)
}

// sessionHandle is the shape of a session's handle: a SHA-256 in hex.
var sessionHandle = regexp.MustCompile(`^[0-9a-f]{64}$`)

// handleParam reads the session handle from the path; anything else names
// no session.
func handleParam(c echo.Context) (string, error) {
	h := c.Param("handle")
	if !sessionHandle.MatchString(h) {
		return "", licensing.Errorf(licensing.NotFound, "no such session")
	}
	return h, nil
}

// currentHandle is the handle of the session the request came with, or "".
func currentHandle(c echo.Context) string {
	if sess := state(c).session; sess != nil && sess.ID != "" {
		return auth.HashSessionID(sess.ID)
	}
	return ""
}

// endOwnSession ends one of the user's own sessions; ending the one in use
// is signing out. Another user's session is not found among one's own.
func (s *Server) endOwnSession(c echo.Context) error {
	return s.endUserSession(c, currentUser(c).ID, false, "/account#sessions")
}

// adminEndSession ends a session of any user; an administrator ending
// their own current session signs out.
func (s *Server) adminEndSession(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.endUserSession(c, u.ID, true, adminUserHref(u.ID)+"#sessions")
}

// endUserSession ends the session the path's :handle names among userID's,
// and goes back to back; the session in use is ended by signing out.
func (s *Server) endUserSession(c echo.Context, userID int64, byAdmin bool, back string) error {
	handle, err := handleParam(c)
	if err != nil {
		return err
	}
	if handle == currentHandle(c) {
		return s.logout(c)
	}
	err = s.db.EndSession(c.Request().Context(), s.actor(c), userID, handle, byAdmin)
	if errors.Is(err, sqlite.ErrNotFound) {
		return licensing.Errorf(licensing.NotFound, "no such session")
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "sessions.ended"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// sessionRows lists a user's live sessions, ending each by posting to
// endPrefix + handle + "/end".
func (s *Server) sessionRows(c echo.Context, userID int64, endPrefix string) ([]templates.SessionRow, error) {
	now := s.now()
	list, err := s.db.UserSessions(c.Request().Context(), userID, now.Add(-s.cfg.Session.IdleTimeout), now.Add(-s.cfg.Session.AbsoluteTimeout))
	if err != nil {
		return nil, err
	}
	current := currentHandle(c)
	rows := make([]templates.SessionRow, len(list))
	for i, sess := range list {
		browser, system := auth.Device(sess.UserAgent)
		rows[i] = templates.SessionRow{Handle: sess.IDHash, Browser: browser, System: system, UserAgent: sess.UserAgent,
			Address: sess.Address, CreatedAt: sess.CreatedAt, LastSeenAt: sess.LastSeenAt, Current: sess.IDHash == current,
			EndAction: endPrefix + sess.IDHash + "/end"}
	}
	return rows, nil
}
