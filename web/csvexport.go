package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/csvio"
)

// exportDialect reads the CSV dialect a user asked for: delimiter=semicolon
// for ';' as delimiter, bom=1 for a byte-order mark (German Excel and
// LibreOffice defaults). The export forms offer both ticked when the page is
// German; the query decides, so that a shared link exports the same file.
// sep=semicolon, the parameter's older name, still counts, among any other
// values of sep (on the patents list sep=yes or no is the SEP filter, which
// is why the forms no longer use it).
func exportDialect(c echo.Context) csvio.WriterOptions {
	semicolon := c.QueryParam("delimiter") == "semicolon" || slices.Contains(c.QueryParams()["sep"], "semicolon")
	return csvio.WriterOptions{Semicolon: semicolon, BOM: c.QueryParam("bom") == "1"}
}

// streamCSV sends a CSV download named like "patents-2026-11-21.csv". rows
// writes the records one by one; they go out as they are written, so that
// an export of a million rows runs in constant memory. An error after the
// first bytes can no longer become an error page: it is logged and the
// download ends short, which the client sees as a broken transfer. After a
// large download the memory it freed goes back to the system (memory.go).
func (s *Server) streamCSV(c echo.Context, name string, header []string, rows func(write func([]string) error) error) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.csv"`, name, s.now().Format(time.DateOnly)))
	c.Response().WriteHeader(http.StatusOK)
	n, err := writeCSV(c.Response(), exportDialect(c), header, rows, c.Response().Flush)
	if err != nil && n >= 0 {
		s.log.Error("CSV export ended early", "export", name, "rows", n, "err", err)
	}
	if n >= largeStreamRows {
		s.memory.after()
	}
	return nil
}

// csvFlushRows is how many records go out to the client at a time.
const csvFlushRows = 500

// writeCSV writes header and then the records rows writes to out in the
// dialect asked, calling flush after every csvFlushRows records, so that
// the client receives them as they are read. It returns the number of
// records written after the header, -1 when not even the header could be
// written (the client has gone).
func writeCSV(out io.Writer, dialect csvio.WriterOptions, header []string, rows func(write func([]string) error) error, flush func()) (int, error) {
	w := csvio.NewWriter(out, dialect)
	if err := w.Write(header); err != nil {
		return -1, err
	}
	n := 0
	err := rows(func(record []string) error {
		if err := w.Write(record); err != nil {
			return err
		}
		if n++; n%csvFlushRows == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			flush()
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	return n, err
}
