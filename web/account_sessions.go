package web

import "github.com/labstack/echo/v4"

// sessionRoutes registers the lists of active sessions and ending them.
func (s *Server) sessionRoutes(e *echo.Echo, viewer, admin echo.MiddlewareFunc) {}
