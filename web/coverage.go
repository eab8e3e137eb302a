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
	return v.href(templates.CompanyRef{ID: id}.CoverageHref())
}

// filtersBesides reports whether the parameters set a filter other than
// those named, so that the form offers to reset them.
func filtersBesides(v listParams, names ...string) bool {
	for name := range v.Values {
		if !slices.Contains(names, name) {
			return true
		}
	}
	return false
}

// filterDay reads the day a page is about, as typed into its date filter
// (as date inputs send it or the German way); today when none is typed. A
// date that is no date is explained beside the filter, and today used.
func (s *Server) filterDay(l *i18n.Locale, typed *string, errs templates.FieldErrors) licensing.Date {
	if *typed == "" {
		return licensing.DateOf(s.now())
	}
	d, err := parseFormDate(*typed)
	if err != nil {
		errs["on"] = domainMessage(l, err)
		return licensing.DateOf(s.now())
	}
	*typed = d.String()
	return d
}

// filterCompany finds the company a filter names by id, legal name or
// alias; a name no company goes by is explained beside the filter, and
// nil returned.
func (s *Server) filterCompany(ctx context.Context, l *i18n.Locale, errs templates.FieldErrors, field, ref string) (*licensing.Company, error) {
	co, err := s.patentCompanyRef(ctx, ref)
	if errors.Is(err, sqlite.ErrNotFound) {
		errs[field] = l.T("coverage.filter.company_unknown", ref)
		return nil, nil
	}
	return co, err
}

// filterChoices are the suggestions of the rights pages' filters: the
// companies, and the fields of use grants name.
func (s *Server) filterChoices(ctx context.Context) (companies, fields []string, err error) {
	if companies, err = s.patentOwnerChoices(ctx); err != nil {
		return nil, nil, err
	}
	fields, err = s.db.FieldsOfUse(ctx)
	return companies, fields, err
}

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

// coverageRequestOf reads the coverage question of a request: the
// company of the path, the filters of the query; the day defaults to
// today.
func (s *Server) coverageRequestOf(c echo.Context) (coverageQuery, *coverageRequest, error) {
	q := readCoverageQuery(c)
	co, err := s.loadCompany(c)
	if err != nil {
		return q, nil, err
	}
	ctx, l := c.Request().Context(), state(c).locale
	r := &coverageRequest{company: co, errs: templates.FieldErrors{}}
	cq := rights.CoverageQuestion{Company: co.ID, On: s.filterDay(l, &q.On, r.errs), Field: q.Field, WhatIf: q.WhatIf}
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
			return q, nil, err
		default:
			cq.Licensor, q.Licensor = g.company.ID, g.company.Name
			r.notes = append(r.notes, g.note)
		}
	}
	if q.Owner != "" {
		if r.owner, err = s.filterCompany(ctx, l, r.errs, "owner", q.Owner); err != nil {
			return q, nil, err
		}
		if r.owner != nil {
			q.Owner = r.owner.Name
			r.notes = append(r.notes, l.T("coverage.filter.owner_note", r.owner.Name, l.Date(cq.On.Time())))
		}
	}
	r.question = cq
	return q, r, nil
}

// coverageRoute is one way the company may practise patents, with the
// query that streams them (in force that day, in the territory asked).
type coverageRoute struct {
	rights.Route
	query sqlite.PatentSetQuery
}

// coverageRoutesOf asks the engine for the company's routes on the day.
// grants are the grants behind the routes, by id.
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
		out = append(out, coverageRoute{Route: rt, query: sqlite.PatentSetQuery{Sets: sets, Except: rt.Except, InForceOn: r.question.On, Territory: r.question.Territory}})
	}
	return out, grants, nil
}

// routeQueries are the queries of the routes.
func routeQueries(routes []coverageRoute) []sqlite.PatentSetQuery {
	qs := make([]sqlite.PatentSetQuery, len(routes))
	for i, rt := range routes {
		qs[i] = rt.query
	}
	return qs
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

// coverageHit is one patent of one route, with the last day the route
// gives rights to it. rec holds only the patent's head: what a coverage
// row shows and its expiry follows from (sqlite.EachPatentHeadIn).
type coverageHit struct {
	route int
	rec   *sqlite.PatentRecord
	until licensing.Date
}

// coverageHitBatch is how many hits are gathered before one query looks up
// when the owners of their patents sell them.
const coverageHitBatch = 500

// eachCoverageHit streams the patents of the routes in order, from the
// cursor on, at most limit of them (0: all), route by route and by id
// within each. more is where the next page starts when patents remain.
func (s *Server) eachCoverageHit(ctx context.Context, routes []coverageRoute, from coverageCursor, limit int, fn func(coverageHit) error) (more *coverageCursor, err error) {
	var batch []coverageHit
	flush := func() error {
		if err := s.setUntil(ctx, routes, batch); err != nil {
			return err
		}
		for _, h := range batch {
			if err := fn(h); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	n := 0
	var last coverageCursor
	for i := from.route; i < len(routes) && more == nil; i++ {
		q := routes[i].query
		if i == from.route {
			q.After = from.after
		}
		if limit > 0 {
			q.Limit = limit + 1 - n // one more than the page: is there a next page?
		}
		err := s.db.EachPatentHeadIn(ctx, q, func(rec *sqlite.PatentRecord) error {
			if limit > 0 && n == limit {
				more = &last
				return nil
			}
			n++
			last = coverageCursor{route: i, after: rec.ID}
			if batch = append(batch, coverageHit{route: i, rec: rec}); len(batch) == coverageHitBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return more, flush()
}

// setUntil sets each hit's last day: the earlier of the route's end and
// the patent's expiry and, for ownership, of the end of the holding that
// contains the day asked: an owner that sells a patent may practise it
// until the sale.
func (s *Server) setUntil(ctx context.Context, routes []coverageRoute, hits []coverageHit) error {
	var owned []int64
	for _, h := range hits {
		if routes[h.route].Basis.Kind != rights.License {
			owned = append(owned, h.rec.ID)
		}
	}
	chains, err := s.db.Chains(ctx, owned)
	if err != nil {
		return err
	}
	for i := range hits {
		h, rt := &hits[i], &routes[hits[i].route]
		until := rt.Basis.Until
		for _, held := range chains[h.rec.ID] {
			if rt.Basis.Kind != rights.License && rt.query.InForceOn.Within(held.From, held.To) {
				until = rights.Until(until, held.To)
			}
		}
		expiry, _ := h.rec.Expiry()
		h.until = rights.Until(until, expiry)
	}
	return nil
}

func (s *Server) coverage(c echo.Context) error {
	q, r, err := s.coverageRequestOf(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "coverage.title", "companies")
	if err != nil {
		return err
	}
	p.Title = l.T("coverage.title_of", r.company.Name)
	params := q.filterValues()
	v := templates.CoverageView{Company: templates.CompanyRef{ID: r.company.ID, Name: r.company.Name}, Filter: q.CoverageFilterForm,
		FilterErrors: r.errs, Notes: r.notes, On: r.question.On.Time(), ExportParams: params.exportParams(),
		Filtered: filtersBesides(params, "on"), Activities: catalogChoices(l, "enum.activity.", licensing.Activities),
		Kinds: catalogChoices(l, "rights.basis.kind.", coverageKinds)}
	if len(r.errs) == 0 {
		if err := s.fillCoverage(ctx, l, r, q, &v); err != nil {
			return err
		}
	}
	if v.Filter.On == "" {
		v.Filter.On = r.question.On.String() // the date input shows the day the page is about
	}
	if v.Companies, v.FieldsOfUse, err = s.filterChoices(ctx); err != nil {
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
	for _, rt := range routes {
		n, err := s.db.CountPatentsIn(ctx, rt.query)
		if err != nil {
			return err
		}
		if rt.Basis.Kind == rights.Owner && len(rt.Except) > 0 {
			all := rt.query
			all.Except = nil
			owned, err := s.db.CountPatentsIn(ctx, all)
			if err != nil {
				return err
			}
			v.ShutOut = owned - n
		}
		if n == 0 && (rt.Basis.Kind != rights.License || r.owner != nil) {
			continue // owning nothing, or reaching none of the owner's patents: no news
		}
		v.Routes = append(v.Routes, templates.CoverageRoute{CoverageBasis: coverageBasis(l, rt.Basis, grants),
			Reason: sentence(l, rt.Basis.Reason), Until: rt.Basis.Until.Time(), Renewal: renewalNote(l, rt.Basis.Renewal, r.question.On), Count: n})
	}
	if v.Total, err = s.countDistinct(ctx, routeQueries(routes)); err != nil {
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
	more, err := s.eachCoverageHit(ctx, routes, from, coveragePerPage, func(h coverageHit) error {
		v.Rows = append(v.Rows, coverageRow(l, routes, h, grants, r.question.On))
		return nil
	})
	if err != nil {
		return err
	}
	if q.after != "" {
		v.FirstHref = q.href(r.company.ID, "")
	}
	if more != nil {
		v.NextHref = q.href(r.company.ID, more.encode())
	}
	return nil
}

// coverageRow is one hit as the page shows it, on day on.
func coverageRow(l *i18n.Locale, routes []coverageRoute, h coverageHit, grants map[int64]*licensing.Grant, on licensing.Date) templates.CoverageRow {
	b := routes[h.route].Basis
	return templates.CoverageRow{CoverageBasis: coverageBasis(l, b, grants),
		Patent: templates.PatentRef{ID: h.rec.ID, Number: patentDisplayNumber(h.rec.Normalized)}, Title: h.rec.Title, Office: h.rec.Office,
		Until: h.until.Time(), Renewal: renewalNote(l, b.Renewal.For(h.until), on)}
}

// coverageBasis names a basis for a page: its kind, agreement and grant,
// the companies, and the grant's own limits (fields, territories,
// activities) in the reader's words.
func coverageBasis(l *i18n.Locale, b rights.Basis, grants map[int64]*licensing.Grant) templates.CoverageBasis {
	v := templates.CoverageBasis{Kind: l.T("rights.basis.kind." + string(b.Kind)), KindValue: string(b.Kind),
		Agreement: titleAgreement(b.Agreement), GrantID: b.Grant, Licensor: companyRef(b.Licensor), Through: companyRef(b.Through),
		Hypothetical: b.Hypothetical}
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

// territoryNames names a grant's territories for a table cell as the
// rights page does, but "" for worldwide: the cell says that in its own
// words, or counts it among no limits.
func territoryNames(l *i18n.Locale, codes []string) string {
	if len(codes) == 0 || slices.Contains(codes, licensing.TerritoryWorld) {
		return ""
	}
	return rightsTerritories(l, codes)
}

// catalogChoices offers values by their labels, the catalog's prefix+value.
func catalogChoices[T ~string](l *i18n.Locale, prefix string, values []T) []templates.PatentChoice {
	out := make([]templates.PatentChoice, len(values))
	for i, v := range values {
		out[i] = templates.PatentChoice{Value: string(v), Label: l.T(prefix + string(v))}
	}
	return out
}

// coverageHeader is the coverage export's columns; the last three are the
// running term of a renewing agreement the row's until rests on.
var coverageHeader = []string{"patent", "title", "office", "basis", "agreement", "grant", "licensor", "licensee", "through",
	"fields", "territories", "activities", "until", "hypothetical", "term_ends_on", "renews_every_months", "notice_by"}

// coverageExport streams every row of the coverage, with the page's
// filters, as CSV.
func (s *Server) coverageExport(c echo.Context) error {
	_, r, err := s.coverageRequestOf(c)
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	ctx := c.Request().Context()
	routes, grants, err := s.coverageRoutesOf(ctx, r)
	if err != nil {
		return err
	}
	return s.streamCSV(c, "coverage", coverageHeader, func(write func([]string) error) error {
		return s.coverageRecords(ctx, routes, grants, write)
	})
}

// coverageRecords writes every hit of the routes as a CSV record, the
// routes read concurrently (streamCoverageHits). One record is filled again
// for each hit: the cells of a route's basis are the same on each of its
// rows and are joined once; the patent's cells, its last day and the
// renewal cells (which hang on that day) are set per hit.
func (s *Server) coverageRecords(ctx context.Context, routes []coverageRoute, grants map[int64]*licensing.Grant, write func([]string) error) error {
	cells := make([][]string, len(routes))
	for i := range routes {
		cells[i] = coverageRecord(routes, coverageHit{route: i, rec: &sqlite.PatentRecord{}}, grants)
	}
	record := make([]string, len(coverageHeader))
	return s.streamCoverageHits(ctx, routes, func(h coverageHit) error {
		copy(record, cells[h.route])
		record[0], record[1], record[2], record[12] = h.rec.Normalized, h.rec.Title, h.rec.Office, h.until.String()
		renewalCells(record[14:17], routes[h.route].Basis.Renewal.For(h.until))
		return write(record)
	})
}

// coverageRecord is one hit as a CSV record: codes and ISO dates, lists
// joined with "|" as the native formats join them. Only the patent's
// cells (0–2), the last day (12) and the renewal cells (14–16) differ
// between the hits of a route.
func coverageRecord(routes []coverageRoute, h coverageHit, grants map[int64]*licensing.Grant) []string {
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
	record := []string{h.rec.Normalized, h.rec.Title, h.rec.Office, string(b.Kind), b.Agreement.Reference, grant,
		b.Licensor.Name, b.Licensee.Name, b.Through.Name, strings.Join(fields, "|"), strings.Join(territories, "|"),
		strings.Join(activities, "|"), h.until.String(), hypothetical, "", "", ""}
	renewalCells(record[14:17], b.Renewal.For(h.until))
	return record
}

// renewalCells fills the export's three renewal cells of a row: the
// running term's end, its length in months and the notice deadline of
// that term, or empty cells where the row rests on no renewal (r zero, as
// Renewal.For leaves it).
func renewalCells(cells []string, r rights.Renewal) {
	cells[0], cells[1], cells[2] = "", "", ""
	if !r.IsZero() {
		cells[0], cells[1], cells[2] = r.TermEndsOn.String(), strconv.Itoa(r.Months), r.NoticeBy.String()
	}
}
