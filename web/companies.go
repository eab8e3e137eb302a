package web

import "github.com/labstack/echo/v4"

// companyRoutes registers the company pages: reading needs a viewer, changing an editor.
func (s *Server) companyRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/companies", s.notYet("companies"), viewer)
	_ = editor
}
