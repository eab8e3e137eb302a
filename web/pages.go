package web

import (
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/static"
	"patentdesk/templates"
)

// notYet serves a section that is not built yet with an honest page.
func (s *Server) notYet(section string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.page(c, "nav."+section, section)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, templates.NotYet(p, section))
	}
}

// healthz answers "ok" while the database answers.
func (s *Server) healthz(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

// staticFile serves an embedded asset. The current fingerprint may be cached
// for a year; an old one is still served, but must be revalidated.
func (s *Server) staticFile(c echo.Context) error {
	rest := strings.TrimPrefix(c.Request().URL.Path, static.Prefix)
	name, current, ok := s.assets.Resolve(rest)
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if current {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if path.Ext(name) == ".svg" {
		h.Set("Content-Type", "image/svg+xml")
	}
	http.ServeFileFS(c.Response(), c.Request(), s.assets.FS(), name)
	return nil
}
