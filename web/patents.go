package web

import "github.com/labstack/echo/v4"

// patentRoutes registers the patent pages: reading needs a viewer, changing an editor.
func (s *Server) patentRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/patents", s.notYet("patents"), viewer)
	_ = editor
}
