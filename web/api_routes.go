package web

import (
	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
)

// apiRoutes registers the JSON API of CONTRACT.md: reads with any token,
// writes with an editor's or an admin's.
func (s *Server) apiRoutes(e *echo.Echo) {
	read, write := s.apiRole(auth.RoleViewer), s.apiRole(auth.RoleEditor)
	s.apiPortfolioRoutes(e, read, write)
	s.apiAgreementRoutes(e, read, write)
	s.apiRightsRoutes(e, read)
	s.apiDeadlineRoutes(e, read, write, s.public)
}
