package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// agreementRoutes registers the agreement pages: reading needs a viewer,
// changing an editor. Grants, assignments, obligations and documents inside
// an agreement have routes of their own.
func (s *Server) agreementRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/agreements", s.agreementList, viewer)
	e.GET("/agreements.csv", s.agreementExport, viewer)
	e.GET("/agreements/new", s.agreementNew, editor)
	e.POST("/agreements", s.agreementCreate, editor)
	e.GET("/agreements/:id", s.agreementShow, viewer)
	e.GET("/agreements/:id/edit", s.agreementEdit, editor)
	e.POST("/agreements/:id", s.agreementUpdate, editor)
	e.POST("/agreements/:id/status", s.agreementStatus, editor)
	e.GET("/agreements/:id/delete", s.agreementConfirmDelete, editor)
	e.POST("/agreements/:id/delete", s.agreementDelete, editor)
}

// agreementsPerPage is one screen of the agreements list.
const agreementsPerPage = 50

func agreementDay(s *Server) licensing.Date { return licensing.DateOf(s.now()) }

// ---- The list ----

// agreementQuery is the agreements list's state as its URL carries it.
// Links of the list (pager, reset, export) are built from it, so that each
// keeps what the others set.
type agreementQuery struct {
	templates.AgreementFilterForm
	after string
}

func readAgreementQuery(c echo.Context) agreementQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return agreementQuery{AgreementFilterForm: templates.AgreementFilterForm{
		Query: get("q"), Kind: strings.ToLower(get("kind")), Status: strings.ToLower(get("status")), Party: get("party"),
		Affiliates: get("affiliates") == "1", InForceOn: get("in_force_on"), ExpiresFrom: get("expires_from"), ExpiresBefore: get("expires_before"),
		EndingFrom: get("ending_from"), EndingBy: get("ending_by"),
	}, after: get("after")}
}

// filtered reports whether any filter is set.
func (q agreementQuery) filtered() bool {
	f := q.AgreementFilterForm
	return f.Query != "" || f.Kind != "" || f.Status != "" || f.Party != "" || f.InForceOn != "" || f.ExpiresFrom != "" || f.ExpiresBefore != "" ||
		f.EndingFrom != "" || f.EndingBy != ""
}

// filterValues are the filters as URL parameters, without empty ones.
func (q agreementQuery) filterValues() listParams {
	v := newListParams()
	f := q.AgreementFilterForm
	v.set("q", f.Query)
	v.set("kind", f.Kind)
	v.set("status", f.Status)
	v.set("party", f.Party)
	v.flag("affiliates", f.Affiliates)
	v.set("in_force_on", f.InForceOn)
	v.set("expires_from", f.ExpiresFrom)
	v.set("expires_before", f.ExpiresBefore)
	v.set("ending_from", f.EndingFrom)
	v.set("ending_by", f.EndingBy)
	return v
}

// href links to the list with these filters from the given cursor on.
func (q agreementQuery) href(after string) string {
	v := q.filterValues()
	v.set("after", after)
	return v.href("/agreements")
}

// exportParams carries the filters into the export form.
func (q agreementQuery) exportParams() []templates.Param { return q.filterValues().exportParams() }

// agreementListFilter is what a list query asks the store for, once the
// party is found and the dates are read.
type agreementListFilter struct {
	filter sqlite.AgreementFilter
	party  *licensing.Company
	errs   templates.FieldErrors
	notes  []string
}

// resolveAgreementQuery turns the query into a store filter. Filters that
// cannot be applied (an unknown party, a date that is no date) are
// reported by field.
func (s *Server) resolveAgreementQuery(ctx context.Context, l *i18n.Locale, q agreementQuery) (*agreementListFilter, error) {
	r := &agreementListFilter{errs: templates.FieldErrors{}}
	f := &r.filter
	if q.Query != "" {
		query := q.Query
		f.Query = &query
	}
	if q.Kind != "" {
		k, err := licensing.ParseAgreementKind(q.Kind)
		if err != nil {
			r.errs["kind"] = domainMessage(l, err)
		} else {
			f.Kind = &k
		}
	}
	if q.Status != "" {
		st, err := licensing.ParseAgreementStatus(q.Status)
		if err != nil {
			r.errs["status"] = domainMessage(l, err)
		} else {
			f.Status = &st
		}
	}
	for _, d := range []struct {
		name, value string
		dst         **licensing.Date
	}{{"in_force_on", q.InForceOn, &f.InForceOn}, {"expires_from", q.ExpiresFrom, &f.ExpiresFrom},
		{"expires_before", q.ExpiresBefore, &f.ExpiresBefore}} {
		if d.value == "" {
			continue
		}
		date, err := parseFormDate(d.value)
		if err != nil {
			r.errs[d.name] = domainMessage(l, err)
			continue
		}
		*d.dst = &date
	}
	if q.EndingFrom != "" || q.EndingBy != "" {
		resolveEndingFilter(l, q, r)
	}
	if q.Party != "" {
		if err := s.resolvePartyFilter(ctx, l, q, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// resolvePartyFilter finds the party filter's company, by id or by name or
// alias, and with "include affiliates" its corporate group today.
func (s *Server) resolvePartyFilter(ctx context.Context, l *i18n.Locale, q agreementQuery, r *agreementListFilter) error {
	g, err := s.resolveCompanyGroup(ctx, l, q.Party, q.Affiliates, agreementDay(s), "agreements.filter.no_affiliates", "agreements.filter.affiliates_included")
	if errors.Is(err, sqlite.ErrNotFound) {
		r.errs["party"] = l.T("agreements.filter.party_unknown", q.Party)
		return nil
	}
	if err != nil {
		return err
	}
	r.party, r.filter.Parties = g.company, g.ids
	if g.note != "" {
		r.notes = append(r.notes, g.note)
	}
	return nil
}

func (s *Server) agreementList(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "agreements.title", "agreements")
	if err != nil {
		return err
	}
	q := readAgreementQuery(c)
	r, err := s.resolveAgreementQuery(ctx, l, q)
	if err != nil {
		return err
	}
	v := templates.AgreementListView{
		Filter: q.AgreementFilterForm, FilterErrors: r.errs, Notes: r.notes,
		Kinds:     agreementChoices(l, "agreement_kind", licensing.AgreementKinds),
		Statuses:  agreementChoices(l, "agreement_status", licensing.AgreementStatuses),
		ResetHref: "/agreements", ExportParams: q.exportParams(), ExportWhat: agreementExportChoices(l), Filtered: q.filtered(), CanEdit: canEdit(c),
	}
	if r.party != nil {
		v.Filter.Party = r.party.Name // an id or an alias shows as the legal name
	}
	if len(r.errs) == 0 {
		r.filter.Limit = agreementsPerPage
		if q.after != "" {
			r.filter.After = &q.after
		}
		list, next, err := s.db.Agreements(ctx, r.filter)
		if licensing.ErrorCode(err) == licensing.Invalid && q.after != "" {
			// A cursor this list did not hand out: start again from the top.
			v.FilterErrors["after"] = l.T("agreements.filter.bad_cursor")
			r.filter.After, q.after = nil, ""
			list, next, err = s.db.Agreements(ctx, r.filter)
		}
		if err != nil {
			return err
		}
		today := agreementDay(s)
		for _, a := range list {
			v.Rows = append(v.Rows, agreementRow(l, a, today))
		}
		if q.after != "" {
			v.FirstHref = q.href("")
		}
		if next != "" {
			v.NextHref = q.href(next)
		}
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Agreements(p, v))
}

// agreementExport streams the list, with the list's filters, as native CSV.
func (s *Server) agreementExport(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	r, err := s.resolveAgreementQuery(ctx, l, readAgreementQuery(c))
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	what := c.QueryParam("what")
	if what == "" {
		what = "agreements"
	}
	export, ok := agreementExports[what]
	if !ok {
		return &licensing.Error{Code: licensing.Invalid, Message: "the export cannot be made",
			Fields: map[string]string{"what": l.T("agreements.export.unknown", what)}}
	}
	return s.streamCSV(c, what, export.header(), func(write func([]string) error) error {
		return export.each(ctx, s.db, r.filter, write)
	})
}

// agreementExportChoices offers the four exports of the agreements list.
func agreementExportChoices(l *i18n.Locale) []templates.Param {
	out := make([]templates.Param, 0, len(agreementExportOrder))
	for _, what := range agreementExportOrder {
		out = append(out, templates.Param{Name: what, Value: l.T("agreements.export." + what)})
	}
	return out
}

// ---- One agreement ----

// agreementOf reads the agreement named by the :id parameter, in full.
func (s *Server) agreementOf(c echo.Context) (*licensing.Agreement, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no agreement with id %q", c.Param("id"))
	}
	a, err := s.db.Agreement(c.Request().Context(), id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no agreement with id %d", id)
	}
	return a, err
}

func (s *Server) agreementShow(c echo.Context) error {
	if _, err := strconv.ParseInt(c.Param("id"), 10, 64); err != nil {
		// /agreements/NOK-XIA-2017 works as a link too.
		return s.redirectToAgreementReference(c)
	}
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	return s.renderAgreement(c, http.StatusOK, a, templates.AgreementStatusForm{})
}

// redirectToAgreementReference leads from an agreement's reference to its page.
func (s *Server) redirectToAgreementReference(c echo.Context) error {
	ref, err := url.PathUnescape(c.Param("id"))
	if err != nil {
		ref = c.Param("id")
	}
	a, err := s.db.AgreementByReference(c.Request().Context(), ref)
	if errors.Is(err, sqlite.ErrNotFound) {
		return licensing.Errorf(licensing.NotFound, "no agreement with reference %q", ref)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.AgreementHref(a.ID))
}

// renderAgreement shows the term sheet; sf carries a refused status change.
func (s *Server) renderAgreement(c echo.Context, status int, a *licensing.Agreement, sf templates.AgreementStatusForm) error {
	ctx, l := c.Request().Context(), state(c).locale
	v, err := s.agreementPageView(ctx, l, a, agreementDay(s), c.QueryParam("occurrences") == "all")
	if err != nil {
		return err
	}
	v.CanEdit = canEdit(c)
	v.CanDelete = v.CanDelete && v.CanEdit
	v.StatusForm = sf
	p, err := s.page(c, "agreements.title", "agreements")
	if err != nil {
		return err
	}
	p.Title = a.Reference
	return render(c, status, templates.AgreementPage(p, v))
}

// agreementStatus moves an agreement to another status. Terminating asks
// for the date; the lifecycle (licensing.CanMove) decides which moves are
// allowed, and the store checks the rest.
func (s *Server) agreementStatus(c echo.Context) error {
	l := state(c).locale
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	sf := templates.AgreementStatusForm{Status: strings.TrimSpace(c.FormValue("status")),
		TerminatedOn: strings.TrimSpace(c.FormValue("terminated_on")), Errors: templates.FieldErrors{}}
	to, err := licensing.ParseAgreementStatus(sf.Status)
	if err != nil {
		sf.Errors["status"] = domainMessage(l, err)
		return s.renderAgreement(c, http.StatusUnprocessableEntity, a, sf)
	}
	if err := licensing.CanMove(a.Status, to); err != nil {
		sf.Errors["status"] = domainMessage(l, err)
	}
	var terminatedOn licensing.Date
	if to == licensing.AgreementTerminated {
		terminatedOn, err = parseFormDate(sf.TerminatedOn)
		switch {
		case err != nil:
			sf.Errors["terminated_on"] = domainMessage(l, err)
		case terminatedOn.IsZero():
			sf.Errors["terminated_on"] = l.T("agreement.error.terminated_on_required")
		}
	}
	if len(sf.Errors) > 0 {
		return s.renderAgreement(c, http.StatusUnprocessableEntity, a, sf)
	}
	stored := *a
	a.Status, a.TerminatedOn = to, terminatedOn
	err = s.db.UpdateAgreement(c.Request().Context(), s.actor(c), a)
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict) {
		sf.Errors, sf.Message = storeFieldErrors(l, de)
		if len(sf.Errors) > 0 && sf.Message == "" {
			sf.Message = l.T("agreement.status.refused")
		}
		return s.renderAgreement(c, statusOf[de.Code], &stored, sf)
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "agreements.flash.status", a.Reference, agreementEnum(l, "agreement_status", to)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.AgreementHref(a.ID))
}

// ---- Deleting ----

func (s *Server) agreementConfirmDelete(c echo.Context) error {
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	return s.renderAgreementDelete(c, http.StatusOK, a, "")
}

func (s *Server) renderAgreementDelete(c echo.Context, status int, a *licensing.Agreement, refusal string) error {
	p, err := s.page(c, "agreement.delete.title", "agreements")
	if err != nil {
		return err
	}
	p.Title = p.L.T("agreement.delete.title_of", a.Reference)
	return render(c, status, templates.AgreementDelete(p, templates.AgreementDeleteView{
		ID: a.ID, Reference: a.Reference, Title: a.Title, Refusal: refusal}))
}

// agreementDelete deletes a draft. The store refuses anything else (signed
// agreements are terminated or expire, never erased); the refusal is shown.
func (s *Server) agreementDelete(c echo.Context) error {
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	err = s.db.DeleteAgreement(c.Request().Context(), s.actor(c), a.ID)
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Conflict || de.Code == licensing.Invalid) {
		return s.renderAgreementDelete(c, statusOf[de.Code], a, state(c).locale.Domain(de.Message))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "agreements.flash.deleted", a.Reference); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/agreements")
}

// agreementRedirect is the page of a saved agreement.
func agreementRedirect(c echo.Context, id int64) error {
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/agreements/%d", id))
}
