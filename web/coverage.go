package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// coverageRoutes registers coverage, out-licensing, the rights matrix and
// the conflicts pages. They only read, so a viewer may see them all.
func (s *Server) coverageRoutes(e *echo.Echo, viewer echo.MiddlewareFunc) {
	e.GET("/companies/:id/coverage", s.coverage, viewer)
	e.GET("/companies/:id/coverage.csv", s.coverageExport, viewer)
	e.GET("/companies/:id/out-licensing", s.outLicensing, viewer)
	e.GET("/companies/:id/out-licensing.csv", s.outLicensingExport, viewer)
	e.GET("/companies/:id/rights", s.companyRights, viewer)
	e.GET("/rights/matrix", s.rightsMatrix, viewer)
	e.GET("/conflicts", s.conflictList, viewer)
	e.GET("/conflicts.csv", s.conflictExport, viewer)
}

// coveragePerPage is one screen of a coverage: a row per patent and basis
// (a variable, so that tests can page a small world).
var coveragePerPage = 100

// coverageQuery is the coverage page's state as its URL carries it.
type coverageQuery struct {
	templates.CoverageFilterForm
	after string
}

func readCoverageQuery(c echo.Context) coverageQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return coverageQuery{CoverageFilterForm: templates.CoverageFilterForm{
		On: get("on"), Licensor: get("licensor"), Owner: get("owner"), Field: get("field"),
		Territory: strings.ToUpper(get("territory")), Activity: strings.ToLower(get("activity")),
		Kind: strings.ToLower(get("kind")), WhatIf: get("what_if") == "1",
	}, after: get("after")}
}

// filtered reports whether any filter but the day is set.
func (q coverageQuery) filtered() bool {
	f := q.CoverageFilterForm
	return f.Licensor != "" || f.Owner != "" || f.Field != "" || f.Territory != "" || f.Activity != "" || f.Kind != "" || f.WhatIf
}

func (q coverageQuery) filterValues() listParams {
	v := newListParams()
	f := q.CoverageFilterForm
	v.set("on", f.On)
	v.set("licensor", f.Licensor)
	v.set("owner", f.Owner)
	v.set("field", f.Field)
	v.set("territory", f.Territory)
	v.set("activity", f.Activity)
	v.set("kind", f.Kind)
	v.flag("what_if", f.WhatIf)
	return v
}

// href is the coverage of company id with these filters, from a cursor on.
func (q coverageQuery) href(id int64, after string) string {
	v := q.filterValues()
	v.set("after", after)
	return v.href(coveragePath(id))
}

func coveragePath(id int64) string { return "/companies/" + strconv.FormatInt(id, 10) + "/coverage" }

// coverageRequest is a coverage question once its companies are found and
// its values read; errs says, by filter, what could not be read.
type coverageRequest struct {
	company  *licensing.Company
	question rights.CoverageQuestion
	kind     rights.BasisKind // "": every kind
	owner    *licensing.Company
	errs     templates.FieldErrors
	notes    []string
}

// coverageKinds are the basis kinds the kind filter offers.
var coverageKinds = []rights.BasisKind{rights.Owner, rights.AffiliateOwner, rights.License}

// resolveCoverageQuery reads the filters; the day defaults to today.
func (s *Server) resolveCoverageQuery(ctx context.Context, l *i18n.Locale, co *licensing.Company, q *coverageQuery) (*coverageRequest, error) {
	r := &coverageRequest{company: co, errs: templates.FieldErrors{}}
	cq := rights.CoverageQuestion{Company: co.ID, On: licensing.DateOf(s.now()), Field: q.Field, WhatIf: q.WhatIf}
	if q.On != "" {
		d, err := parseFormDate(q.On)
		if err != nil {
			r.errs["on"] = domainMessage(l, err)
		} else {
			cq.On, q.On = d, d.String()
		}
	}
	if q.Territory != "" {
		if !licensing.ValidCountry(q.Territory) {
			r.errs["territory"] = l.T("coverage.filter.territory_invalid")
		}
		cq.Territory = q.Territory
	}
	if q.Activity != "" {
		if !slices.Contains(licensing.Activities, licensing.Activity(q.Activity)) {
			r.errs["activity"] = l.T("coverage.filter.activity_invalid")
		}
		cq.Activity = licensing.Activity(q.Activity)
	}
	if q.Kind != "" {
		if !slices.Contains(coverageKinds, rights.BasisKind(q.Kind)) {
			r.errs["kind"] = l.T("coverage.filter.kind_invalid")
		}
		r.kind = rights.BasisKind(q.Kind)
	}
	if q.Licensor != "" {
		g, err := s.resolveCompanyGroup(ctx, l, q.Licensor, true, cq.On, "coverage.filter.licensor_alone", "coverage.filter.licensor_group")
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			r.errs["licensor"] = l.T("coverage.filter.company_unknown", q.Licensor)
		case err != nil:
			return nil, err
		default:
			cq.Licensor, q.Licensor = g.company.ID, g.company.Name
			r.notes = append(r.notes, g.note)
		}
	}
	if q.Owner != "" {
		owner, err := s.patentCompanyRef(ctx, q.Owner)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			r.errs["owner"] = l.T("coverage.filter.company_unknown", q.Owner)
		case err != nil:
			return nil, err
		default:
			r.owner, q.Owner = owner, owner.Name
			r.notes = append(r.notes, l.T("coverage.filter.owner_note", owner.Name, l.Date(cq.On.Time())))
		}
	}
	r.question = cq
	return r, nil
}

// coverageRoute is one way the company may practise patents, with the query
// that streams them and how many there are.
type coverageRoute struct {
	rights.Route
	query sqlite.PatentSetQuery
	count int
}

// coverageRoutesOf asks the engine for the company's routes on the day and
// counts the patents of each, in force that day (and in the territory
// asked). grants are the grants behind the routes, by id.
func (s *Server) coverageRoutesOf(ctx context.Context, r *coverageRequest) ([]coverageRoute, map[int64]*licensing.Grant, error) {
	facts, links, names, err := s.db.CoverageGrants(ctx, r.company.ID)
	if err != nil {
		return nil, nil, err
	}
	grants := make(map[int64]*licensing.Grant, len(facts))
	for i := range facts {
		grants[facts[i].Grant.ID] = &facts[i].Grant
	}
	var out []coverageRoute
	for _, rt := range rights.Routes(r.question, links, names, engineGrants(facts)) {
		if r.kind != "" && rt.Basis.Kind != r.kind {
			continue
		}
		sets := rt.Sets
		if r.owner != nil {
			sets = slices.Concat(sets, []licensing.PatentSet{ownedOn(r.owner.ID, r.question.On)})
		}
		q := sqlite.PatentSetQuery{Sets: sets, Except: rt.Except, InForceOn: r.question.On, Territory: r.question.Territory}
		n, err := s.db.CountPatentsIn(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, coverageRoute{Route: rt, query: q, count: n})
	}
	return out, grants, nil
}

// ownedOn is the set of patents company owns on day on.
func ownedOn(company int64, on licensing.Date) licensing.PatentSet {
	return licensing.PatentSet{HeldBy: []licensing.GroupSpan{{Owner: company, From: on, To: on}}}
}

// coverageCursor is where a page of the coverage starts: after patent
// after of route route.
type coverageCursor struct {
	route int
	after int64
}

// encode makes the cursor opaque, so that nobody builds one by hand and
// its form can change.
func (c coverageCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%d", c.route, c.after)))
}

func decodeCoverageCursor(s string, routes int) (coverageCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return coverageCursor{}, false
	}
	var c coverageCursor
	if _, err := fmt.Sscanf(string(b), "%d.%d", &c.route, &c.after); err != nil || c.route < 0 || c.route >= routes || c.after < 0 {
		return coverageCursor{}, false
	}
	return c, true
}

// coverageHit is one patent of one route.
type coverageHit struct {
	route int
	rec   *sqlite.PatentRecord
}

// eachCoverageHit streams the patents of the routes in order, from the
// cursor on, at most limit of them (0: all), route by route and by id
// within each. more is where the next page starts when patents remain.
func (s *Server) eachCoverageHit(ctx context.Context, routes []coverageRoute, from coverageCursor, limit int, fn func(coverageHit) error) (more *coverageCursor, err error) {
	n := 0
	var last coverageCursor
	for i := from.route; i < len(routes) && more == nil; i++ {
		if routes[i].count == 0 {
			continue
		}
		q := routes[i].query
		if i == from.route {
			q.After = from.after
		}
		if limit > 0 {
			q.Limit = limit + 1 - n // one more than the page: is there a next page?
		}
		err := s.db.EachPatentIn(ctx, q, func(rec *sqlite.PatentRecord) error {
			if limit > 0 && n == limit {
				more = &last
				return nil
			}
			n++
			last = coverageCursor{route: i, after: rec.ID}
			return fn(coverageHit{route: i, rec: rec})
		})
		if err != nil {
			return nil, err
		}
	}
	return more, nil
}

// holdingEnds returns, for the patents of ownership hits, the last day of
// the holding that contains day on (zero: held on without end): an owner
// that sells a patent may practise it until the sale.
func (s *Server) holdingEnds(ctx context.Context, routes []coverageRoute, hits []coverageHit, on licensing.Date) (map[int64]licensing.Date, error) {
	var ids []int64
	for _, h := range hits {
		if routes[h.route].Basis.Kind != rights.License {
			ids = append(ids, h.rec.ID)
		}
	}
	ends := map[int64]licensing.Date{}
	if len(ids) == 0 {
		return ends, nil
	}
	chains, err := s.db.Chains(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, chain := range chains {
		for _, h := range chain {
			if on.Within(h.From, h.To) {
				ends[id] = h.To
			}
		}
	}
	return ends, nil
}

// hitUntil is a hit's last day: the earlier of the route's end (or the
// holding's, for ownership) and the patent's expiry.
func hitUntil(routes []coverageRoute, h coverageHit, ends map[int64]licensing.Date) licensing.Date {
	until := routes[h.route].Basis.Until
	if routes[h.route].Basis.Kind != rights.License {
		until = rights.Until(until, ends[h.rec.ID])
	}
	expiry, _ := h.rec.Expiry()
	return rights.Until(until, expiry)
}

func (s *Server) coverage(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), state(c).locale
	q := readCoverageQuery(c)
	r, err := s.resolveCoverageQuery(ctx, l, co, &q)
	if err != nil {
		return err
	}
	p, err := s.page(c, "coverage.title", "companies")
	if err != nil {
		return err
	}
	p.Title = l.T("coverage.title_of", co.Name)
	v := templates.CoverageView{Company: templates.CompanyRef{ID: co.ID, Name: co.Name}, Filter: q.CoverageFilterForm,
		FilterErrors: r.errs, Notes: r.notes, On: r.question.On.Time(), ResetHref: coveragePath(co.ID),
		ExportParams: q.filterValues().exportParams(), Filtered: q.filtered(),
		OutHref: outLicensingPath(co.ID), Activities: activityChoices(l), Kinds: coverageKindChoices(l)}
	if len(r.errs) == 0 {
		if err := s.fillCoverage(ctx, l, r, q, &v); err != nil {
			return err
		}
	}
	if v.Filter.On == "" {
		v.Filter.On = r.question.On.String() // the date input shows the day the page is about
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	if v.FieldsOfUse, err = s.db.FieldsOfUse(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Coverage(p, v))
}

// fillCoverage puts the routes, their counts and one page of rows into v.
func (s *Server) fillCoverage(ctx context.Context, l *i18n.Locale, r *coverageRequest, q coverageQuery, v *templates.CoverageView) error {
	routes, grants, err := s.coverageRoutesOf(ctx, r)
	if err != nil {
		return err
	}
	queries := make([]sqlite.PatentSetQuery, len(routes))
	for i, rt := range routes {
		queries[i] = rt.query
		if rt.count == 0 && (rt.Basis.Kind != rights.License || r.owner != nil) {
			continue // owning nothing, or reaching none of the owner's patents: no news
		}
		row := templates.CoverageRoute{CoverageBasis: coverageBasis(l, rt.Basis, grants), Reason: sentence(l, rt.Basis.Reason),
			Until: rt.Basis.Until.Time(), Count: rt.count}
		v.Routes = append(v.Routes, row)
		if rt.Basis.Kind == rights.Owner && len(rt.Except) > 0 {
			all := rt.query
			all.Except = nil
			n, err := s.db.CountPatentsIn(ctx, all)
			if err != nil {
				return err
			}
			v.ShutOut = n - rt.count
		}
	}
	if v.Total, err = s.countDistinct(ctx, queries); err != nil {
		return err
	}
	var from coverageCursor
	if q.after != "" {
		cur, ok := decodeCoverageCursor(q.after, len(routes))
		if ok {
			from = cur
		} else {
			v.FilterErrors["after"] = l.T("coverage.filter.bad_cursor")
			q.after = ""
		}
	}
	var hits []coverageHit
	more, err := s.eachCoverageHit(ctx, routes, from, coveragePerPage, func(h coverageHit) error {
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return err
	}
	ends, err := s.holdingEnds(ctx, routes, hits, r.question.On)
	if err != nil {
		return err
	}
	for _, h := range hits {
		v.Rows = append(v.Rows, coverageRow(l, routes, h, grants, ends))
	}
	if q.after != "" {
		v.FirstHref = q.href(r.company.ID, "")
	}
	if more != nil {
		v.NextHref = q.href(r.company.ID, more.encode())
	}
	return nil
}

// coverageRow is one hit as the page shows it.
func coverageRow(l *i18n.Locale, routes []coverageRoute, h coverageHit, grants map[int64]*licensing.Grant, ends map[int64]licensing.Date) templates.CoverageRow {
	return templates.CoverageRow{CoverageBasis: coverageBasis(l, routes[h.route].Basis, grants),
		Patent: templates.PatentRef{ID: h.rec.ID, Number: patentDisplayNumber(h.rec.Normalized)}, Title: h.rec.Title, Office: h.rec.Office,
		Until: hitUntil(routes, h, ends).Time()}
}

// coverageBasis names a basis for a page: its kind, agreement and grant,
// the companies, and the grant's own limits (fields, territories,
// activities) in the reader's words.
func coverageBasis(l *i18n.Locale, b rights.Basis, grants map[int64]*licensing.Grant) templates.CoverageBasis {
	v := templates.CoverageBasis{Kind: l.T("rights.basis.kind." + string(b.Kind)), KindValue: string(b.Kind),
		Agreement: templates.TitleAgreement{ID: b.Agreement.ID, Reference: b.Agreement.Reference, Title: b.Agreement.Title},
		GrantID:   b.Grant, Licensor: companyRefOf(b.Licensor), Licensee: companyRefOf(b.Licensee),
		Through: companyRefOf(b.Through), Holder: companyRefOf(b.Holder), Hypothetical: b.Hypothetical}
	if b.Kind == rights.License {
		fields, territories, activities := basisLimits(b, grants)
		v.Fields = strings.Join(plainTexts(fields), ", ")
		v.Territories = territoryNames(l, territories)
		words := make([]string, len(activities))
		for i, a := range activities {
			words[i] = activityWord(l, a)
		}
		v.Activities = strings.Join(words, ", ")
	}
	return v
}

// basisLimits are the fields of use, territories and activities of a
// licence basis: its grant's own, which the basis reports only in part
// (its fields only where no field was asked).
func basisLimits(b rights.Basis, grants map[int64]*licensing.Grant) (fields, territories []string, activities []licensing.Activity) {
	if g := grants[b.Grant]; g != nil {
		return g.Fields, g.Territories, g.Activities
	}
	return b.Fields, b.Territories, b.Activities
}

// territoryNames names a grant's territories for a table cell, "" for
// worldwide: EU and EPC in words, countries by their names in the
// reader's language (as a heading names them, without the articles a
// sentence needs), an unknown code as it is.
func territoryNames(l *i18n.Locale, codes []string) string {
	if slices.Contains(codes, licensing.TerritoryWorld) {
		return ""
	}
	regions := display.English.Regions()
	if l.Code() == "de" {
		regions = display.German.Regions()
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = code
		switch region, err := language.ParseRegion(code); {
		case code == licensing.TerritoryEU || code == licensing.TerritoryEPC:
			names[i] = l.T("coverage.territory." + strings.ToLower(code))
		case err == nil && licensing.ValidCountry(code) && regions.Name(region) != "":
			names[i] = regions.Name(region)
		}
	}
	return strings.Join(names, ", ")
}

func companyRefOf(p rights.Party) templates.CompanyRef {
	return templates.CompanyRef{ID: p.ID, Name: p.Name}
}

// activityChoices offers the activities of DESIGN.md by their labels.
func activityChoices(l *i18n.Locale) []templates.PatentChoice {
	out := make([]templates.PatentChoice, len(licensing.Activities))
	for i, a := range licensing.Activities {
		out[i] = templates.PatentChoice{Value: string(a), Label: l.T("enum.activity." + string(a))}
	}
	return out
}

// coverageKindChoices offers the basis kinds.
func coverageKindChoices(l *i18n.Locale) []templates.PatentChoice {
	out := make([]templates.PatentChoice, len(coverageKinds))
	for i, k := range coverageKinds {
		out[i] = templates.PatentChoice{Value: string(k), Label: l.T("rights.basis.kind." + string(k))}
	}
	return out
}

// coverageHeader is the coverage export's columns.
var coverageHeader = []string{"patent", "title", "office", "basis", "agreement", "grant", "licensor", "licensee", "through",
	"fields", "territories", "activities", "until", "hypothetical"}

// coverageExportBatch is how many rows the export gathers before it looks
// up, in one query, when the owners of their patents sell them.
const coverageExportBatch = 500

// coverageExport streams every row of the coverage, with the page's
// filters, as CSV.
func (s *Server) coverageExport(c echo.Context) error {
	co, err := s.loadCompany(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), state(c).locale
	q := readCoverageQuery(c)
	r, err := s.resolveCoverageQuery(ctx, l, co, &q)
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	routes, grants, err := s.coverageRoutesOf(ctx, r)
	if err != nil {
		return err
	}
	return s.streamCSV(c, "coverage", coverageHeader, func(write func([]string) error) error {
		var batch []coverageHit
		flush := func() error {
			ends, err := s.holdingEnds(ctx, routes, batch, r.question.On)
			if err != nil {
				return err
			}
			for _, h := range batch {
				if err := write(coverageRecord(routes, h, grants, ends)); err != nil {
					return err
				}
			}
			batch = batch[:0]
			return nil
		}
		_, err := s.eachCoverageHit(ctx, routes, coverageCursor{}, 0, func(h coverageHit) error {
			if batch = append(batch, h); len(batch) == coverageExportBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
}

// coverageRecord is one hit as a CSV record: codes and ISO dates, lists
// joined with "|" as the native formats join them.
func coverageRecord(routes []coverageRoute, h coverageHit, grants map[int64]*licensing.Grant, ends map[int64]licensing.Date) []string {
	b := routes[h.route].Basis
	grant := ""
	if b.Grant != 0 {
		grant = strconv.FormatInt(b.Grant, 10)
	}
	fields, territories, acts := basisLimits(b, grants)
	activities := make([]string, len(acts))
	for i, a := range acts {
		activities[i] = string(a)
	}
	hypothetical := ""
	if b.Hypothetical {
		hypothetical = "yes"
	}
	return []string{h.rec.Normalized, h.rec.Title, h.rec.Office, string(b.Kind), b.Agreement.Reference, grant,
		b.Licensor.Name, b.Licensee.Name, b.Through.Name, strings.Join(fields, "|"), strings.Join(territories, "|"),
		strings.Join(activities, "|"), hitUntil(routes, h, ends).String(), hypothetical}
}
