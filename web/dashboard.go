package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"patentdesk/templates"
)

// dashboard is the start page.
func (s *Server) dashboard(c echo.Context) error {
	p, err := s.page(c, "dashboard.title", "dashboard")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Dashboard(p, templates.DashboardView{Sections: templates.Nav[1:]}))
}
