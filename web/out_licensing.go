package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// Out-licensing: who may practise a company's patents, under which grants
// of the company or its group; and the rights box of the company page.

// outLicensingPerPage is one screen of grants (a variable, so that tests
// can page a small world).
var outLicensingPerPage = 50

// outLicensingQuery is the out-licensing page's state as its URL carries it.
type outLicensingQuery struct {
	templates.OutLicensingFilterForm
	after string
}

func readOutLicensingQuery(c echo.Context) outLicensingQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return outLicensingQuery{OutLicensingFilterForm: templates.OutLicensingFilterForm{
		On: get("on"), All: get("all") == "1", Licensee: get("licensee"), Field: get("field"),
	}, after: get("after")}
}

func (q outLicensingQuery) filterValues() listParams {
	v := newListParams()
	v.set("on", q.On)
	v.flag("all", q.All)
	v.set("licensee", q.Licensee)
	v.set("field", q.Field)
	return v
}

func (q outLicensingQuery) href(id int64, after string) string {
	v := q.filterValues()
	v.set("after", after)
	return v.href(templates.CompanyRef{ID: id}.OutLicensingHref())
}

// outLicensingRequest is an out-licensing question once read.
type outLicensingRequest struct {
	company  *licensing.Company
	on       licensing.Date
	all      bool
	licensee *licensing.Company
	field    string
	errs     templates.FieldErrors
}

// outLicensingRequestOf reads the out-licensing question of a request:
// the company of the path, the filters of the query; the day defaults to
// today.
func (s *Server) outLicensingRequestOf(c echo.Context) (outLicensingQuery, *outLicensingRequest, error) {
	q := readOutLicensingQuery(c)
	co, err := s.loadCompany(c)
	if err != nil {
		return q, nil, err
	}
	ctx, l := c.Request().Context(), state(c).locale
	r := &outLicensingRequest{company: co, all: q.All, field: q.Field, errs: templates.FieldErrors{}}
	r.on = s.filterDay(l, &q.On, r.errs)
	if q.Licensee != "" {
		if r.licensee, err = s.filterCompany(ctx, l, r.errs, "licensee", q.Licensee); err != nil {
			return q, nil, err
		}
		if r.licensee != nil {
			q.Licensee = r.licensee.Name
		}
	}
	return q, r, nil
}

// outLicence is one grant of the company's group with what the page says
// of it.
type outLicence struct {
	fact    rights.GrantFact
	parent  *rights.GrantFact
	inForce bool
}

// outLicences returns the grants of the request, by agreement reference
// and grant: those whose licensor is in the company's group on the day (or
// ever was, with all) and the sublicences under them; unless all is asked,
// only those in force that day.
func (s *Server) outLicences(ctx context.Context, r *outLicensingRequest) ([]outLicence, []licensing.Control, error) {
	facts, err := s.db.OutLicensingGrants(ctx, r.company.ID)
	if err != nil {
		return nil, nil, err
	}
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]*rights.GrantFact, len(facts))
	for i := range facts {
		byID[facts[i].Grant.ID] = (*rights.GrantFact)(&facts[i])
	}
	group := licensing.Group(links, r.company.ID, r.on)
	// ofGroup: the grant's licensor, or that of the grant it sublicenses
	// (at any depth), is in the group on the day.
	ofGroup := func(g *rights.GrantFact) bool {
		for depth := 0; g != nil && depth <= len(facts); depth++ {
			if slices.Contains(group, g.Grant.LicensorID) {
				return true
			}
			g = byID[g.Grant.ParentGrantID]
		}
		return false
	}
	var out []outLicence
	for i := range facts {
		g := (*rights.GrantFact)(&facts[i])
		o := outLicence{fact: *g, parent: byID[g.Grant.ParentGrantID], inForce: grantInForce(g.Agreement, &g.Grant, r.on)}
		if !r.all && (!o.inForce || !ofGroup(g)) {
			continue
		}
		if r.licensee != nil && !reachesLicensee(&g.Grant, links, r.licensee.ID, r.on) {
			continue
		}
		if r.field != "" && len(g.Grant.Fields) > 0 && !slices.ContainsFunc(g.Grant.Fields, func(f string) bool {
			return strings.EqualFold(strings.TrimSpace(f), r.field)
		}) {
			continue
		}
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b outLicence) int {
		return cmp.Or(cmp.Compare(a.fact.Agreement.Reference, b.fact.Agreement.Reference), cmp.Compare(a.fact.Grant.ID, b.fact.Grant.ID))
	})
	return out, links, nil
}

// reachesLicensee reports whether the grant licenses company: as its
// licensee, or as the licensee's affiliate on the day where the grant
// takes affiliates in.
func reachesLicensee(g *licensing.Grant, links []licensing.Control, company int64, on licensing.Date) bool {
	return g.LicenseeID == company || g.LicenseeAffiliates && slices.Contains(licensing.Affiliates(links, g.LicenseeID, on), company)
}

// scopeCount counts the patents of a grant's scope in force on the day.
func (s *Server) scopeCount(ctx context.Context, o outLicence, links []licensing.Control, on licensing.Date) (int, error) {
	return s.db.CountPatentsIn(ctx, sqlite.PatentSetQuery{Sets: rights.ScopeSets(o.fact, o.parent, links), InForceOn: on})
}

func (s *Server) outLicensing(c echo.Context) error {
	q, r, err := s.outLicensingRequestOf(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "coverage.out.title", "companies")
	if err != nil {
		return err
	}
	p.Title = l.T("coverage.out.title_of", r.company.Name)
	params := q.filterValues()
	v := templates.OutLicensingView{Company: templates.CompanyRef{ID: r.company.ID, Name: r.company.Name}, Filter: q.OutLicensingFilterForm,
		FilterErrors: r.errs, On: r.on.Time(), ExportParams: params.exportParams(), Filtered: filtersBesides(params, "on")}
	if len(r.errs) == 0 {
		if err := s.fillOutLicensing(ctx, l, r, q, &v); err != nil {
			return err
		}
	}
	if v.Filter.On == "" {
		v.Filter.On = r.on.String() // the date input shows the day the page is about
	}
	if v.Companies, v.FieldsOfUse, err = s.filterChoices(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.OutLicensing(p, v))
}

// fillOutLicensing puts one page of grants, from the cursor on, into v.
func (s *Server) fillOutLicensing(ctx context.Context, l *i18n.Locale, r *outLicensingRequest, q outLicensingQuery, v *templates.OutLicensingView) error {
	list, links, err := s.outLicences(ctx, r)
	if err != nil {
		return err
	}
	v.Total = len(list)
	start := 0
	if q.after != "" {
		id, err := strconv.ParseInt(q.after, 10, 64)
		i := slices.IndexFunc(list, func(o outLicence) bool { return o.fact.Grant.ID == id })
		if err != nil || i < 0 {
			v.FilterErrors["after"] = l.T("coverage.filter.bad_cursor")
		} else {
			start = i + 1
			v.FirstHref = q.href(r.company.ID, "")
		}
	}
	end := min(start+outLicensingPerPage, len(list))
	for _, o := range list[start:end] {
		n, err := s.scopeCount(ctx, o, links, r.on)
		if err != nil {
			return err
		}
		v.Rows = append(v.Rows, outLicensingRow(l, o, n))
	}
	if end < len(list) {
		v.NextHref = q.href(r.company.ID, strconv.FormatInt(list[end-1].fact.Grant.ID, 10))
	}
	return nil
}

// outLicensingRow is one grant as the page shows it.
func outLicensingRow(l *i18n.Locale, o outLicence, patents int) templates.OutLicensingRow {
	a, g := o.fact.Agreement, &o.fact.Grant
	return templates.OutLicensingRow{
		Agreement: templates.TitleAgreement{ID: a.ID, Reference: a.Reference, Title: a.Title},
		Status:    agreementEnum(l, "agreement_status", a.Status), StatusValue: string(a.Status), GrantID: g.ID,
		Licensor: templates.CompanyRef{ID: g.LicensorID, Name: g.Licensor}, Licensee: templates.CompanyRef{ID: g.LicenseeID, Name: g.Licensee},
		LicenseeAffiliates: g.LicenseeAffiliates, ParentGrant: g.ParentGrantID,
		Scope:       plainWords(outScope(l, g)),
		Territories: territoryNames(l, g.Territories), Fields: strings.Join(plainTexts(g.Fields), ", "),
		Exclusivity: agreementEnum(l, "exclusivity", g.Exclusivity),
		Ends:        g.Finish(a).Time(), InForce: o.inForce, Patents: patents, PatentsHref: "/patents?grant=" + strconv.FormatInt(g.ID, 10),
	}
}

// outScope says under which patents a grant licenses, in l's words with
// their marks.
func outScope(l *i18n.Locale, g *licensing.Grant) string {
	return plainScope(l, &g.Scope, g.LicensorAffiliates && g.Scope.Kind == licensing.ScopePortfolio)
}

// outLicensingHeader is the out-licensing export's columns.
var outLicensingHeader = []string{"agreement", "grant", "status", "licensor", "licensee", "licensee_affiliates", "parent_grant",
	"scope", "territories", "fields", "exclusivity", "ends_on", "in_force", "patents"}

// outLicensingExport streams every grant of the page's filters as CSV, the
// scope in English words.
func (s *Server) outLicensingExport(c echo.Context) error {
	_, r, err := s.outLicensingRequestOf(c)
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	ctx := c.Request().Context()
	list, links, err := s.outLicences(ctx, r)
	if err != nil {
		return err
	}
	en := i18n.For("en")
	return s.streamCSV(c, "out-licensing", outLicensingHeader, func(write func([]string) error) error {
		for _, o := range list {
			n, err := s.scopeCount(ctx, o, links, r.on)
			if err != nil {
				return err
			}
			a, g := o.fact.Agreement, &o.fact.Grant
			parent := ""
			if g.ParentGrantID != 0 {
				parent = strconv.FormatInt(g.ParentGrantID, 10)
			}
			err = write([]string{a.Reference, strconv.FormatInt(g.ID, 10), string(a.Status), g.Licensor, g.Licensee,
				yesNo(g.LicenseeAffiliates), parent, plainText(outScope(en, g)), strings.Join(g.Territories, "|"), strings.Join(g.Fields, "|"),
				string(g.Exclusivity), g.Finish(a).String(), yesNo(o.inForce), strconv.Itoa(n)})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// companyRights is the company page's rights box with its counts: an
// htmx fragment the page loads after it is shown, since the counts take a
// query per route.
func (s *Server) companyRights(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	today := licensing.DateOf(s.now())
	v := templates.CompanyRightsView{Company: templates.CompanyRef{ID: co.ID, Name: co.Name}, Loaded: true}
	routes, _, err := s.coverageRoutesOf(ctx, &coverageRequest{company: co, question: rights.CoverageQuestion{Company: co.ID, On: today}})
	if err != nil {
		return err
	}
	for _, rt := range routes {
		if rt.Basis.Kind == rights.License {
			v.Licences++
		}
	}
	if v.Patents, err = s.countDistinct(ctx, routeQueries(routes)); err != nil {
		return err
	}
	out, _, err := s.outLicences(ctx, &outLicensingRequest{company: co, on: today})
	if err != nil {
		return err
	}
	v.Grants = len(out)
	// Only the locale: the page this box sits in has shown any flash.
	return render(c, http.StatusOK, templates.CompanyRights(templates.Page{L: state(c).locale}, v))
}
