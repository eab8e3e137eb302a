package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"patentdesk/templates"
)

// adminRoutes registers the administration of user accounts.
func (s *Server) adminRoutes(e *echo.Echo, admin echo.MiddlewareFunc) {
	e.GET("/admin", s.adminUsers, admin)
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
		rows = append(rows, templates.UserRow{Email: u.Email, Name: u.Name, Role: "role." + string(u.Role),
			Disabled: u.Disabled(), CreatedAt: u.CreatedAt})
	}
	return render(c, http.StatusOK, templates.AdminUsers(p, rows))
}
