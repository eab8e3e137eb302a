package web

import "github.com/labstack/echo/v4"

// deadlineRoutes registers the deadlines page, its CSV export and the
// calendar feeds a user manages from it.
func (s *Server) deadlineRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {}
