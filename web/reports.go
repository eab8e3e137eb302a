package web

import (
	"github.com/labstack/echo/v4"

	"patentdesk/internal/sqlite"
)

// titleBreakHeader is the title-break report's CSV columns.
var titleBreakHeader = []string{"patent", "effective_on", "assignor", "assignee", "owner_that_day", "agreement"}

// titleBreakExport streams the whole title-break report as CSV.
func (s *Server) titleBreakExport(c echo.Context) error {
	ctx := c.Request().Context()
	return s.streamCSV(c, "title-breaks", titleBreakHeader, func(write func([]string) error) error {
		f := sqlite.TitleBreakFilter{Limit: 1000}
		for {
			rows, next, err := s.db.TitleBreaks(ctx, f)
			if err != nil {
				return err
			}
			for _, b := range rows {
				if err := write([]string{b.Patent, b.EffectiveOn.String(), b.Assignor, b.Assignee, b.Owner, b.Agreement}); err != nil {
					return err
				}
			}
			if next == "" {
				return nil
			}
			f.After = &next
		}
	})
}
