package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

// historyPerPage is one page of a record's full history.
const historyPerPage = 50

// historyRecord is a record whose history has a page of its own: how the
// record is named, where its page is and which section it belongs to.
type historyRecord struct {
	entity  string
	id      int64
	name    string
	href    string
	section string
}

// recordHistory is the whole history of one company, patent or agreement,
// a page at a time, for the link under the newest entries on its page.
func (s *Server) recordHistory(c echo.Context) error {
	rec, err := s.historyRecordOf(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), state(c).locale
	first := historyHref(rec.entity, rec.id)
	f := historyFilter(rec.entity, rec.id)
	f.Cursor, f.Limit = c.QueryParam("after"), historyPerPage
	rows, next, err := s.db.AuditTrail(ctx, f)
	if licensing.ErrorCode(err) == licensing.Invalid {
		// A cursor of another list or a mangled link: start again.
		return c.Redirect(http.StatusSeeOther, first)
	}
	if err != nil {
		return err
	}
	total, err := s.historyCount(ctx, rec.entity, rec.id)
	if err != nil {
		return err
	}
	v := templates.RecordHistoryView{Name: rec.name, Href: rec.href, Total: total}
	for _, r := range rows {
		v.Entries = append(v.Entries, recordEntry(l, r))
	}
	if f.Cursor != "" {
		v.FirstHref = first
	}
	if next != "" {
		v.NextHref = first + "?after=" + url.QueryEscape(next)
	}
	p, err := s.page(c, "history.title", rec.section)
	if err != nil {
		return err
	}
	p.Title = l.T("history.page.title", rec.name)
	return render(c, http.StatusOK, templates.RecordHistory(p, v))
}

// historyRecordOf reads the record named by :entity and :id; entities
// without a page of their own (users, sessions) are not found.
func (s *Server) historyRecordOf(c echo.Context) (historyRecord, error) {
	rec := historyRecord{entity: c.Param("entity")}
	switch rec.entity {
	case "company":
		co, err := s.loadCompany(c)
		if err != nil {
			return rec, err
		}
		rec.id, rec.name, rec.href = co.ID, co.Name, templates.CompanyRef{ID: co.ID}.Href()
		rec.section = "companies"
	case "patent":
		r, err := s.patentOf(c)
		if err != nil {
			return rec, err
		}
		rec.id, rec.name, rec.href = r.ID, patentDisplayNumber(r.Normalized), "/patents/"+strconv.FormatInt(r.ID, 10)
		rec.section = "patents"
	case "agreement":
		a, err := s.agreementOf(c)
		if err != nil {
			return rec, err
		}
		rec.id, rec.name, rec.href = a.ID, a.Reference, templates.AgreementHref(a.ID)
		rec.section = "agreements"
	default:
		return rec, licensing.Errorf(licensing.NotFound, "no history of %q records", rec.entity)
	}
	return rec, nil
}
