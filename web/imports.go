package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/csvio"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// pendingImportLifetime is how long an upload waits for confirmation.
const pendingImportLifetime = 24 * time.Hour

// reviewRows is how many accepted rows the dry run lists one by one; the
// counts cover the rest.
const reviewRows = 500

// importRoutes registers the CSV import pages; importing changes data, so it
// needs an editor. An upload is checked in a dry run first and applied only
// when the user confirms it.
func (s *Server) importRoutes(e *echo.Echo, editor echo.MiddlewareFunc) {
	e.GET("/import", s.importPage, editor)
	e.POST("/import", s.importUpload, editor)
	e.GET("/import/:id", s.importReview, editor)
	e.POST("/import/:id", s.importConfirm, editor)
	e.POST("/import/:id/cancel", s.importCancel, editor)
}

func (s *Server) importPage(c echo.Context) error {
	form := templates.ImportForm{Kind: c.QueryParam("kind"), MaxMB: s.cfg.MaxUploadBytes >> 20, MaxRows: s.cfg.MaxImportRows}
	if form.Kind != "companies" {
		form.Kind = "patents"
	}
	return s.renderImportForm(c, http.StatusOK, form)
}

func (s *Server) renderImportForm(c echo.Context, status int, form templates.ImportForm) error {
	p, err := s.page(c, "import.title", "import")
	if err != nil {
		return err
	}
	return render(c, status, templates.ImportPage(p, form))
}

// importUpload keeps the uploaded file and leads to its dry run. A file
// that cannot be read at all (not CSV, no known header, too large) is
// refused here, on the form, with the reason.
func (s *Server) importUpload(c echo.Context) error {
	l := state(c).locale
	form := templates.ImportForm{MaxMB: s.cfg.MaxUploadBytes >> 20, MaxRows: s.cfg.MaxImportRows, Errors: templates.FieldErrors{}}
	err := c.Request().ParseMultipartForm(8 << 20)
	if c.Request().ContentLength > s.cfg.MaxUploadBytes+64<<10 {
		err = &http.MaxBytesError{Limit: s.cfg.MaxUploadBytes}
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) || strings.Contains(err.Error(), "request body too large") {
			form.Errors["file"] = l.T("import.error.too_large", form.MaxMB)
			return s.renderImportForm(c, http.StatusRequestEntityTooLarge, form)
		}
		form.Errors["file"] = l.T("import.error.no_file")
		return s.renderImportForm(c, http.StatusUnprocessableEntity, form)
	}
	form.Kind, form.Format = c.FormValue("kind"), c.FormValue("format")
	if form.Kind != "patents" && form.Kind != "companies" {
		form.Errors["kind"] = l.T("import.error.kind")
	}
	switch form.Format {
	case "", "native", "google", "espacenet":
	default:
		form.Errors["format"] = l.T("import.error.format")
	}
	fh, err := c.FormFile("file")
	if err == nil && fh.Size > s.cfg.MaxUploadBytes {
		form.Errors["file"] = l.T("import.error.too_large", form.MaxMB)
		return s.renderImportForm(c, http.StatusRequestEntityTooLarge, form)
	}
	if err != nil || fh.Size == 0 {
		form.Errors["file"] = l.T("import.error.no_file")
	}
	if len(form.Errors) > 0 {
		return s.renderImportForm(c, http.StatusUnprocessableEntity, form)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	content, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return err
	}
	pending := &sqlite.PendingImport{UserID: currentUser(c).ID, Kind: form.Kind, Format: form.Format,
		Filename: filepath.Base(fh.Filename), Content: content}
	if _, err := s.readImport(pending); err != nil {
		form.Errors["file"] = l.Domain(err.Error())
		return s.renderImportForm(c, http.StatusUnprocessableEntity, form)
	}
	if err := s.db.SavePendingImport(c.Request().Context(), pending); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/import/"+pending.ID)
}

// readImport reads a pending upload; the error is for a file that cannot
// be read at all.
func (s *Server) readImport(p *sqlite.PendingImport) (*csvio.Proposals, error) {
	return csvio.ReadProposals(bytes.NewReader(p.Content), csvio.Kind(p.Kind),
		csvio.Options{Format: csvio.Format(p.Format), MaxRows: s.cfg.MaxImportRows})
}

// runImport imports a pending upload, or in a dry run works out what the
// import would do.
func (s *Server) runImport(ctx context.Context, actor sqlite.Actor, p *sqlite.PendingImport, dryRun bool) (*sqlite.ImportReport, csvio.Format, error) {
	read, err := s.readImport(p)
	if err != nil {
		return nil, "", err
	}
	opt := sqlite.ImportOptions{DryRun: dryRun, Source: p.Filename, Rejected: read.Rejected, Warnings: read.Warnings}
	var rep *sqlite.ImportReport
	if p.Kind == "companies" {
		rep, err = s.db.ImportCompanies(ctx, actor, read.Companies, opt)
	} else {
		rep, err = s.db.ImportPatents(ctx, actor, read.Patents, opt)
	}
	return rep, read.Format, err
}

// pendingImport finds the signed-in user's upload named in the URL.
func (s *Server) pendingImport(c echo.Context) (*sqlite.PendingImport, error) {
	p, err := s.db.PendingImportOf(c.Request().Context(), c.Param("id"), currentUser(c).ID)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no upload waiting for confirmation here; it may have been imported, cancelled or expired")
	}
	return p, err
}

// importReview shows the dry run: what would be created, updated and
// rejected. Nothing is changed: the dry run's transaction is rolled back.
func (s *Server) importReview(c echo.Context) error {
	pending, err := s.pendingImport(c)
	if err != nil {
		return err
	}
	rep, format, err := s.runImport(c.Request().Context(), s.actor(c), pending, true)
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, pending, rep, format)
}

func (s *Server) renderReview(c echo.Context, status int, pending *sqlite.PendingImport, rep *sqlite.ImportReport, format csvio.Format) error {
	p, err := s.page(c, "import.review.title", "import")
	if err != nil {
		return err
	}
	return render(c, status, templates.ImportReview(p, reviewView(p.L, pending, rep, format)))
}

// importConfirm applies a reviewed upload. Should the data have changed
// since the dry run so that rows are now rejected, nothing is applied and
// the new report is shown.
func (s *Server) importConfirm(c echo.Context) error {
	pending, err := s.pendingImport(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rep, format, err := s.runImport(ctx, s.actor(c), pending, false)
	if err != nil {
		return err
	}
	if !rep.Applied {
		return s.renderReview(c, http.StatusConflict, pending, rep, format)
	}
	if err := s.db.DeletePendingImport(ctx, pending.ID, pending.UserID); err != nil {
		return err
	}
	l := state(c).locale
	if err := s.flash(c, "import.flash.done", l.Int(int64(rep.Created)), l.Int(int64(rep.Updated)), l.Int(int64(rep.Unchanged))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/"+pending.Kind)
}

func (s *Server) importCancel(c echo.Context) error {
	pending, err := s.pendingImport(c)
	if err != nil {
		return err
	}
	if err := s.db.DeletePendingImport(c.Request().Context(), pending.ID, pending.UserID); err != nil {
		return err
	}
	if err := s.flash(c, "import.flash.cancelled"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/import?kind="+pending.Kind)
}

// reviewView puts a report into the words of the page's language.
func reviewView(l *i18n.Locale, pending *sqlite.PendingImport, rep *sqlite.ImportReport, format csvio.Format) templates.ImportReviewView {
	v := templates.ImportReviewView{
		ID: pending.ID, Kind: pending.Kind, Filename: pending.Filename, Format: formatLabel(l, format),
		Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged, NewCompanies: rep.NewCompanies,
		Rejected: issueViews(l, rep.Rejected), Warnings: issueViews(l, rep.Warnings),
		CanConfirm: len(rep.Rejected) == 0 && rep.Created+rep.Updated > 0,
	}
	for i, r := range rep.Rows {
		if r.Action == sqlite.ImportUnchanged {
			continue
		}
		if len(v.Rows) == reviewRows {
			v.MoreRows = rep.Created + rep.Updated - i
			break
		}
		row := templates.ImportRowView{Line: r.Line, Key: r.Key, Created: r.Action == sqlite.ImportCreate}
		fields := make([]string, 0, len(r.Fields))
		for _, f := range r.Fields {
			fields = append(fields, fieldLabel(l, f))
		}
		row.Fields = strings.Join(fields, ", ")
		v.Rows = append(v.Rows, row)
	}
	return v
}

// issueViews translates rejections and warnings for the page.
func issueViews(l *i18n.Locale, issues []licensing.ImportIssue) []templates.ImportIssueView {
	out := make([]templates.ImportIssueView, 0, len(issues))
	for _, i := range issues {
		out = append(out, templates.ImportIssueView{Line: i.Line, Column: i.Column, Reason: l.Domain(i.Reason)})
	}
	return out
}

// formatLabel names a file format as the page says it.
func formatLabel(l *i18n.Locale, f csvio.Format) string {
	switch f {
	case csvio.FormatGoogle:
		return l.T("import.format.google")
	case csvio.FormatEspacenet:
		return l.T("import.format.espacenet")
	case csvio.FormatNative:
		return l.T("import.format.native")
	}
	return fmt.Sprint(f)
}
