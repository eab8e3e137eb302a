package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/csvio"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// companyRoutes registers the company pages: reading needs a viewer, changing an editor.
func (s *Server) companyRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/companies", s.companyList, viewer)
	e.GET("/companies.csv", s.companyExport, viewer)
	e.GET("/companies/new", s.companyNew, editor)
	e.POST("/companies", s.companyCreate, editor)
	e.GET("/companies/:id", s.companyShow, viewer)
	e.GET("/companies/:id/edit", s.companyEdit, editor)
	e.POST("/companies/:id", s.companyUpdate, editor)
	e.GET("/companies/:id/delete", s.companyConfirmDelete, editor)
	e.POST("/companies/:id/delete", s.companyDelete, editor)
}

const (
	// companiesPerPage is one screen of the companies list.
	companiesPerPage = 50
	// companyPatentsShown is how many of its patents a company page lists;
	// the patents list filtered to the owner shows all of them.
	companyPatentsShown = 20
)

func (s *Server) companyList(c echo.Context) error {
	ctx := c.Request().Context()
	q, after := strings.TrimSpace(c.QueryParam("q")), c.QueryParam("after")
	f := sqlite.CompanyFilter{Limit: companiesPerPage}
	if q != "" {
		f.Query = &q
	}
	if after != "" {
		f.After = &after
	}
	list, next, err := s.db.Companies(ctx, f)
	if err != nil {
		return err
	}
	names, err := s.companyNames(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, co := range list {
		ids[i] = co.ID
	}
	counts, err := s.patentCounts(ctx, ids)
	if err != nil {
		return err
	}
	p, err := s.page(c, "companies.title", "companies")
	if err != nil {
		return err
	}
	v := templates.CompaniesView{Query: q, CanEdit: canEdit(c), FirstPage: after == "", AnyCompanies: len(names) > 0}
	if after != "" {
		v.FirstHref = companiesHref(q, "")
	}
	if next != "" {
		v.NextHref = companiesHref(q, next)
	}
	if q != "" {
		v.Export = []templates.Param{{Name: "q", Value: q}}
	}
	for _, co := range list {
		v.Items = append(v.Items, templates.CompanyListItem{ID: co.ID, Name: co.Name, ShortName: co.ShortName,
			Country: co.Country, ParentID: co.ParentID, Parent: names[co.ParentID], Patents: counts[co.ID]})
	}
	return render(c, http.StatusOK, templates.Companies(p, v))
}

// companiesHref is the list's address for a search and a page.
func companiesHref(q, after string) string {
	v := newListParams()
	v.set("q", q)
	v.set("after", after)
	return v.href("/companies")
}

// companyNames maps every company's id to its legal name. Companies are a
// few hundred, so one read serves a whole page or export instead of a query
// per row.
func (s *Server) companyNames(ctx context.Context) (map[int64]string, error) {
	names := map[int64]string{}
	err := s.db.EachCompany(ctx, sqlite.CompanyFilter{}, func(co *licensing.Company) error {
		names[co.ID] = co.Name
		return nil
	})
	return names, err
}

// patentCounts counts the patents each of ids owns today.
func (s *Server) patentCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	return s.db.PatentCounts(ctx, ids)
}

// companyExport streams the companies list, as searched, in the native CSV
// format, which the companies import reads back unchanged.
func (s *Server) companyExport(c echo.Context) error {
	ctx := c.Request().Context()
	names, err := s.companyNames(ctx)
	if err != nil {
		return err
	}
	f := sqlite.CompanyFilter{}
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		f.Query = &q
	}
	return s.streamCSV(c, "companies", csvio.NativeHeader(csvio.KindCompanies), func(write func([]string) error) error {
		return s.db.EachCompany(ctx, f, func(co *licensing.Company) error {
			return write(csvio.CompanyRow(csvio.CompanyRecordOf(co, names[co.ParentID])))
		})
	})
}

// loadCompany reads the company named by the :id in the path.
func (s *Server) loadCompany(c echo.Context) (*licensing.Company, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no company %q", c.Param("id"))
	}
	co, err := s.db.Company(c.Request().Context(), id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no company with id %d", id)
	}
	return co, err
}

func (s *Server) companyShow(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	return s.renderCompany(c, http.StatusOK, co, nil)
}

// renderCompany shows a company with its corporate tree, patents and
// history; refusal, when set, says why it could not be deleted.
func (s *Server) renderCompany(c echo.Context, status int, co *licensing.Company, refusal *templates.CompanyDeleteRefusal) error {
	ctx := c.Request().Context()
	l := state(c).locale
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return err
	}
	names, err := s.companyNames(ctx)
	if err != nil {
		return err
	}
	today := licensing.DateOf(s.now())
	tree := corporateView{links: links, names: names, today: today}
	v := templates.CompanyView{ID: co.ID, Name: co.Name, ShortName: co.ShortName, Country: co.Country,
		Aliases: co.Aliases, CanEdit: canEdit(c), Parents: tree.parentChain(co.ID),
		Subsidiaries: tree.subsidiaries(co.ID, map[int64]bool{co.ID: true}),
		Affiliates:   tree.refs(licensing.Affiliates(links, co.ID, today)),
		PatentsHref:  "/patents?owner=" + strconv.FormatInt(co.ID, 10), Refusal: refusal}
	patents, next, err := s.db.Patents(ctx, sqlite.PatentFilter{OwnerIDs: []int64{co.ID}, Limit: companyPatentsShown})
	if err != nil {
		return err
	}
	v.PatentCount = len(patents)
	if next != "" {
		counts, err := s.patentCounts(ctx, []int64{co.ID})
		if err != nil {
			return err
		}
		v.PatentCount = counts[co.ID]
	}
	for _, r := range patents {
		expiry, _ := r.Expiry()
		v.Patents = append(v.Patents, templates.CompanyPatent{ID: r.ID, Number: r.Normalized, Title: r.Title,
			Office: r.Office, Expires: expiry.Time()})
	}
	if refusal != nil {
		refusal.Subsidiaries = len(tree.children()[co.ID])
		refusal.Patents = v.PatentCount
	}
	if v.History, err = s.history(ctx, l, "company", co.ID); err != nil {
		return err
	}
	if v.Charts, err = s.companyCharts(ctx, l, co, links, today); err != nil {
		return err
	}
	p, err := s.page(c, "companies.title", "companies")
	if err != nil {
		return err
	}
	p.Title = co.Name
	return render(c, status, templates.Company(p, v))
}

// corporateView draws the corporate tree around one company from every
// parent link, naming each company and judging each link against today.
type corporateView struct {
	links []licensing.Control
	names map[int64]string
	today licensing.Date
}

func (t corporateView) ref(id int64) templates.CompanyRef {
	return templates.CompanyRef{ID: id, Name: t.names[id]}
}

// refs names companies, sorted by name.
func (t corporateView) refs(ids []int64) []templates.CompanyRef {
	out := make([]templates.CompanyRef, 0, len(ids))
	for _, id := range ids {
		out = append(out, t.ref(id))
	}
	slices.SortFunc(out, func(a, b templates.CompanyRef) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// link shows one parent link from the side of the company at its other end.
func (t corporateView) link(other int64, l licensing.Control) templates.ControlLink {
	state := templates.ControlCurrent
	switch {
	case !l.From.IsZero() && t.today.Before(l.From):
		state = templates.ControlFuture
	case !l.To.IsZero() && t.today.After(l.To):
		state = templates.ControlEnded
	}
	return templates.ControlLink{Company: t.ref(other), From: l.From.Time(), To: l.To.Time(), State: state}
}

// parentChain lists the parent, its parent and so on up to the top. A loop
// in bad data ends the chain where it would repeat.
func (t corporateView) parentChain(id int64) []templates.ControlLink {
	up := map[int64]licensing.Control{}
	for _, l := range t.links {
		up[l.Company] = l
	}
	var chain []templates.ControlLink
	seen := map[int64]bool{id: true}
	for {
		l, ok := up[id]
		if !ok || seen[l.Parent] {
			return chain
		}
		chain = append(chain, t.link(l.Parent, l))
		seen[l.Parent] = true
		id = l.Parent
	}
}

// children maps each parent to its links to its subsidiaries.
func (t corporateView) children() map[int64][]licensing.Control {
	down := map[int64][]licensing.Control{}
	for _, l := range t.links {
		down[l.Parent] = append(down[l.Parent], l)
	}
	return down
}

// subsidiaries lists the companies under id, each with its own, sorted by
// name; seen keeps a loop in bad data from recursing forever.
func (t corporateView) subsidiaries(id int64, seen map[int64]bool) []templates.Subsidiary {
	var out []templates.Subsidiary
	for _, l := range t.children()[id] {
		if seen[l.Company] {
			continue
		}
		seen[l.Company] = true
		out = append(out, templates.Subsidiary{ControlLink: t.link(l.Company, l), Subsidiaries: t.subsidiaries(l.Company, seen)})
	}
	slices.SortFunc(out, func(a, b templates.Subsidiary) int { return strings.Compare(a.Company.Name, b.Company.Name) })
	return out
}

// companyForm is the company form as submitted, kept as typed so that an
// invalid form comes back as the user left it.
type companyForm struct {
	Name, ShortName, Country, Parent, ControlFrom, ControlTo, Aliases string

	parentID      int64 // Parent resolved to a company
	parentUnknown bool  // Parent names no company
}

// readCompanyForm reads the submitted form and finds the parent it names:
// by id, as the form's list sends it, or by legal name or alias.
func (s *Server) readCompanyForm(c echo.Context) (companyForm, error) {
	f := companyForm{Name: c.FormValue("name"), ShortName: c.FormValue("short_name"), Country: c.FormValue("country"),
		Parent: strings.TrimSpace(c.FormValue("parent")), ControlFrom: c.FormValue("control_from"),
		ControlTo: c.FormValue("control_to"), Aliases: c.FormValue("aliases")}
	if f.Parent == "" {
		return f, nil
	}
	if id, err := strconv.ParseInt(f.Parent, 10, 64); err == nil {
		f.parentID = id // the store says so if it does not exist
		return f, nil
	}
	parent, err := s.db.CompanyByName(c.Request().Context(), f.Parent)
	switch {
	case errors.Is(err, sqlite.ErrNotFound):
		f.parentUnknown = true
	case err != nil:
		return f, err
	default:
		f.parentID = parent.ID
	}
	return f, nil
}

// companyFormOf fills the form with a stored company, for editing.
func companyFormOf(co *licensing.Company) companyForm {
	f := companyForm{Name: co.Name, ShortName: co.ShortName, Country: co.Country, ControlFrom: co.ControlFrom.String(),
		ControlTo: co.ControlTo.String(), Aliases: strings.Join(co.Aliases, "\n"), parentID: co.ParentID}
	if co.ParentID != 0 {
		f.Parent = strconv.FormatInt(co.ParentID, 10)
	}
	return f
}

// Validate turns the form into the company with the given id and checks
// it: dates that can be read, a parent that exists, then the domain's rules.
// The messages, keyed by form field, are in l's language.
func (f companyForm) Validate(l *i18n.Locale, id int64) (*licensing.Company, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	co := &licensing.Company{ID: id, Name: strings.TrimSpace(f.Name), ShortName: strings.TrimSpace(f.ShortName),
		Country: strings.ToUpper(strings.TrimSpace(f.Country)), ParentID: f.parentID, Aliases: splitLines(f.Aliases)}
	for _, d := range []struct {
		field, value string
		dst          *licensing.Date
	}{{"control_from", f.ControlFrom, &co.ControlFrom}, {"control_to", f.ControlTo, &co.ControlTo}} {
		date, err := parseFormDate(d.value)
		if err != nil {
			errs[d.field] = l.T("companies.error.date", strings.TrimSpace(d.value))
			continue
		}
		*d.dst = date
	}
	if f.parentUnknown {
		errs["parent"] = l.T("companies.error.parent_unknown", f.Parent)
	}
	for field, msg := range co.Validate() {
		if _, taken := errs[formField(field)]; !taken {
			errs[formField(field)] = l.Domain(msg)
		}
	}
	return co, errs
}

func (s *Server) companyNew(c echo.Context) error {
	return s.renderCompanyForm(c, http.StatusOK, nil, companyForm{}, nil, "")
}

func (s *Server) companyEdit(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	return s.renderCompanyForm(c, http.StatusOK, co, companyFormOf(co), nil, "")
}

func (s *Server) companyCreate(c echo.Context) error {
	return s.saveCompany(c, nil)
}

func (s *Server) companyUpdate(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	return s.saveCompany(c, co)
}

// saveCompany creates (stored nil) or updates a company from the submitted
// form. What the form or the store refuses comes back on the form.
func (s *Server) saveCompany(c echo.Context, stored *licensing.Company) error {
	l := state(c).locale
	f, err := s.readCompanyForm(c)
	if err != nil {
		return err
	}
	var id int64
	if stored != nil {
		id = stored.ID
	}
	co, errs := f.Validate(l, id)
	if len(errs) > 0 {
		return s.renderCompanyForm(c, http.StatusUnprocessableEntity, stored, f, errs, "")
	}
	ctx, flash := c.Request().Context(), "companies.flash.updated"
	if stored == nil {
		err, flash = s.db.CreateCompany(ctx, s.actor(c), co), "companies.flash.created"
	} else {
		err = s.db.UpdateCompany(ctx, s.actor(c), co)
	}
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict) {
		errs, message := storeFieldErrors(l, de)
		return s.renderCompanyForm(c, statusOf[de.Code], stored, f, errs, message)
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, flash, co.Name); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/companies/"+strconv.FormatInt(co.ID, 10))
}

// renderCompanyForm shows the form for a new company (stored nil) or for
// editing one. The parent list leaves out the company itself and everything
// under it, which could not be its parent.
func (s *Server) renderCompanyForm(c echo.Context, status int, stored *licensing.Company, f companyForm, errs templates.FieldErrors, message string) error {
	ctx := c.Request().Context()
	exclude := map[int64]bool{}
	if stored != nil {
		links, err := s.db.ControlLinks(ctx)
		if err != nil {
			return err
		}
		exclude[stored.ID] = true
		tree := corporateView{links: links}
		var mark func([]templates.Subsidiary)
		mark = func(subs []templates.Subsidiary) {
			for _, sub := range subs {
				exclude[sub.Company.ID] = true
				mark(sub.Subsidiaries)
			}
		}
		mark(tree.subsidiaries(stored.ID, map[int64]bool{stored.ID: true}))
	}
	v := templates.CompanyFormView{Name: f.Name, ShortName: f.ShortName, Country: f.Country, Parent: f.Parent,
		ControlFrom: f.ControlFrom, ControlTo: f.ControlTo, Aliases: f.Aliases, Errors: errs, Message: message,
		Action: "/companies", Cancel: "/companies"}
	if f.parentID != 0 {
		v.Parent = strconv.FormatInt(f.parentID, 10)
	}
	if stored != nil {
		v.ID = stored.ID
		v.Action = "/companies/" + strconv.FormatInt(stored.ID, 10)
		v.Cancel = v.Action
		v.Stored = stored.Name
	}
	err := s.db.EachCompany(ctx, sqlite.CompanyFilter{}, func(co *licensing.Company) error {
		if !exclude[co.ID] {
			v.Parents = append(v.Parents, templates.CompanyRef{ID: co.ID, Name: co.Name})
		}
		return nil
	})
	if err != nil {
		return err
	}
	title := "companies.new.title"
	if stored != nil {
		title = "companies.edit.title"
	}
	p, err := s.page(c, title, "companies")
	if err != nil {
		return err
	}
	if stored != nil {
		p.Title = p.L.T("companies.edit.title_of", stored.Name)
	}
	return render(c, status, templates.CompanyForm(p, v))
}

func (s *Server) companyConfirmDelete(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	p, err := s.page(c, "companies.delete.title", "companies")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.CompanyDelete(p, templates.CompanyRef{ID: co.ID, Name: co.Name}))
}

// companyDelete deletes a company that nothing refers to. A refusal shows
// the company page with what still refers to it, since that is where the
// user can see and follow those references.
func (s *Server) companyDelete(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	err = s.db.DeleteCompany(c.Request().Context(), s.actor(c), co.ID)
	var de *licensing.Error
	if errors.As(err, &de) && de.Code == licensing.Conflict {
		return s.renderCompany(c, http.StatusConflict, co, &templates.CompanyDeleteRefusal{Detail: state(c).locale.Domain(de.Message)})
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "companies.flash.deleted", co.Name); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/companies")
}
