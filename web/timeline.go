package web

import "github.com/labstack/echo/v4"

// timelineRoutes registers the agreement timeline.
func (s *Server) timelineRoutes(e *echo.Echo, viewer echo.MiddlewareFunc) {}
