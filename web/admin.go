package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// adminRoutes registers the administration of user accounts, and the
// public page behind the invitation and reset links administrators hand
// out: the person who opens one is not signed in.
func (s *Server) adminRoutes(e *echo.Echo, admin echo.MiddlewareFunc) {
	e.GET("/admin", s.adminUsers, admin)
	e.GET("/admin/users/new", s.adminNewUserForm, admin)
	e.POST("/admin/users", s.adminCreateUser, admin)
	e.GET("/admin/users/:id", s.adminUserPage, admin)
	e.POST("/admin/users/:id/role", s.adminSetRole, admin)
	e.POST("/admin/users/:id/disable", s.adminDisable, admin)
	e.POST("/admin/users/:id/enable", s.adminEnable, admin)
	e.POST("/admin/users/:id/reset", s.adminReset, admin)
	e.POST("/admin/users/:id/tokens/:token/revoke", s.adminRevokeToken, admin)
	e.POST("/admin/users/:id/unlock", s.adminUnlock, admin)
	e.GET("/invite/:token", s.inviteForm, s.public)
	e.POST("/invite/:token", s.acceptInvite, s.public)
}

// adminUsers lists every account for administrators.
func (s *Server) adminUsers(c echo.Context) error {
	p, err := s.page(c, "admin.title", "admin")
	if err != nil {
		return err
	}
	users, err := s.db.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	rows := make([]templates.UserRow, 0, len(users))
	for _, u := range users {
		rows = append(rows, templates.UserRow{ID: u.ID, Email: u.Email, Name: u.Name, Role: "role." + string(u.Role),
			Status: userStatus(u), CreatedAt: u.CreatedAt})
	}
	return render(c, http.StatusOK, templates.AdminUsers(p, rows))
}

// userStatus names an account's state for the lists: disabled, invited
// (no password chosen yet), must_change (signs in with a password an
// administrator set) or active.
func userStatus(u *auth.User) string {
	switch {
	case u.Disabled():
		return "disabled"
	case u.Invited():
		return "invited"
	case u.MustChangePassword:
		return "must_change"
	}
	return "active"
}

// userParam reads the account named by the path's :id.
func (s *Server) userParam(c echo.Context) (*auth.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no such user")
	}
	u, err := s.db.UserByID(c.Request().Context(), id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no such user")
	}
	return u, err
}

// adminUserHref is the address of an account's administration page.
func adminUserHref(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }
