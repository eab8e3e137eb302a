package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// The rights engine through the JSON API: the rights check, a company's
// coverage, the rights matrix and the conflicts. Each reuses the machinery
// of its page (CheckRights, the coverage routes and their row stream,
// matrixOn, findConflicts), so that the API, the pages, the CSV exports
// and the command line give the same answers; the API's sentences are
// English.

// apiRightsRoutes registers this part of the JSON API.
func (s *Server) apiRightsRoutes(e *echo.Echo, read echo.MiddlewareFunc) {
	e.GET(apiPrefix+"/rights/check", s.apiRightsCheck, read)
	e.GET(apiPrefix+"/rights/coverage", s.apiCoverage, read)
	e.GET(apiPrefix+"/rights/matrix", s.apiRightsMatrix, read)
	e.GET(apiPrefix+"/conflicts", s.apiConflicts, read)
}

// apiVerdict is the contract's verdict, with the ids of the company and
// the patent and the exclusive grants that shut an owner out as additions.
type apiVerdict struct {
	VerdictJSON
	CompanyID int64       `json:"company_id"`
	PatentID  int64       `json:"patent_id"`
	ShutOut   []BasisJSON `json:"shut_out,omitempty"`
}

func (s *Server) apiRightsCheck(c echo.Context) error {
	if err := rejectUnknownParams(c, "company", "patent", "on", "territory", "activity", "field", "what_if"); err != nil {
		return err
	}
	errs := map[string]string{}
	// The API's resolvers name ambiguous references' candidates; the
	// question then names the company and the patent by id.
	req := RightsRequest{Activity: c.QueryParam("activity"), Territory: c.QueryParam("territory"), Field: c.QueryParam("field"),
		WhatIf: queryFlag(c, errs, "what_if")}
	if co := s.apiCompany(c, errs, "company", c.QueryParam("company")); co != nil {
		req.Company = strconv.FormatInt(co.ID, 10)
	}
	if p := s.apiPatent(c, errs, "patent", c.QueryParam("patent")); p != nil {
		req.Patent = strconv.FormatInt(p.ID, 10)
	}
	if on := queryDate(c, errs, "on"); !on.IsZero() {
		req.On = on.String()
	}
	ans, err := CheckRights(c.Request().Context(), s.db, req, s.apiToday())
	if err := mergeFieldErrors(errs, err); err != nil {
		return err
	}
	if err := fieldErrors("the rights question cannot be answered", errs); err != nil {
		return err
	}
	v := apiVerdict{VerdictJSON: NewVerdictJSON(ans), CompanyID: ans.Company.ID, PatentID: ans.PatentID}
	if len(ans.ShutOut) > 0 {
		v.ShutOut = NewVerdictJSON(rights.Answer{Bases: ans.ShutOut}).Bases // the bases' JSON, as the verdict's
	}
	return c.JSON(http.StatusOK, v)
}

// mergeFieldErrors adds the field messages of an Invalid error to errs,
// keeping those errs already has; any other error is returned.
func mergeFieldErrors(errs map[string]string, err error) error {
	var de *licensing.Error
	if err == nil || !errors.As(err, &de) || de.Code != licensing.Invalid || len(de.Fields) == 0 {
		return err
	}
	for field, msg := range de.Fields {
		if _, ok := errs[field]; !ok {
			errs[field] = msg
		}
	}
	return nil
}

// queryFlag reads a yes/no parameter that is no when absent.
func queryFlag(c echo.Context, errs map[string]string, name string) bool {
	b := apiQueryBool(c, errs, name)
	return b != nil && *b
}

// apiCoverageItem is one patent a company may practise by one basis: a
// row of the coverage page and export. A patent reached by two bases has
// two items.
type apiCoverageItem struct {
	Patent      string   `json:"patent"`
	PatentID    int64    `json:"patent_id"`
	Title       string   `json:"title"`
	Office      string   `json:"office"`
	Basis       string   `json:"basis"`
	Agreement   string   `json:"agreement,omitempty"`
	AgreementID int64    `json:"agreement_id,omitempty"`
	Grant       int64    `json:"grant,omitempty"`
	Licensor    string   `json:"licensor,omitempty"`
	Licensee    string   `json:"licensee,omitempty"`
	Holder      string   `json:"holder,omitempty"`
	Through     string   `json:"through,omitempty"`
	Fields      []string `json:"fields"`
	Territories []string `json:"territories"`
	Activities  []string `json:"activities"`
	Until       *string  `json:"until"`
	RenewalJSON
	Hypothetical bool `json:"hypothetical,omitempty"`
}

// coverageParams are the coverage's query parameters.
var coverageParams = []string{"company", "on", "licensor", "owner", "field", "territory", "activity", "kind", "what_if", "limit", "cursor"}

func (s *Server) apiCoverage(c echo.Context) error {
	if err := rejectUnknownParams(c, coverageParams...); err != nil {
		return err
	}
	errs := map[string]string{}
	limit, err := pageLimit(c)
	if err := mergeFieldErrors(errs, err); err != nil {
		return err
	}
	r := s.apiCoverageRequest(c, errs)
	from, err := decodeCoveragePosition(c)
	if err := mergeFieldErrors(errs, err); err != nil {
		return err
	}
	if err := fieldErrors("the coverage question cannot be answered", errs); err != nil {
		return err
	}
	ctx := c.Request().Context()
	routes, grants, err := s.coverageRoutesOf(ctx, r)
	if err != nil {
		return err
	}
	slices.SortStableFunc(routes, func(a, b coverageRoute) int { return routePlaceOf(&a).compare(routePlaceOf(&b)) })
	items := make([]apiCoverageItem, 0, min(limit, 100))
	more, err := s.eachCoverageHit(ctx, routes, from.cursorIn(routes), limit, func(h coverageHit) error {
		items = append(items, apiCoverageItemOf(routes, h, grants))
		return nil
	})
	if err != nil {
		return err
	}
	next := ""
	if more != nil {
		next = encodeAPICursor(filteredList(c, "coverage"), coveragePosition{routePlaceOf(&routes[more.route]), more.after}.String())
	}
	return c.JSON(http.StatusOK, newListPage(items, next))
}

// apiCoverageRequest reads the coverage question of the query, as the
// coverage page reads its filters, with the API's messages in errs.
func (s *Server) apiCoverageRequest(c echo.Context, errs map[string]string) *coverageRequest {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	r := &coverageRequest{company: s.apiCompany(c, errs, "company", get("company"))}
	q := rights.CoverageQuestion{On: s.apiToday(), Field: get("field"), WhatIf: queryFlag(c, errs, "what_if")}
	if r.company != nil {
		q.Company = r.company.ID
	}
	if on := queryDate(c, errs, "on"); !on.IsZero() {
		q.On = on
	}
	if q.Territory = strings.ToUpper(get("territory")); q.Territory != "" && !licensing.ValidCountry(q.Territory) {
		errs["territory"] = "name one country by its two-letter code, such as DE"
	}
	if q.Activity = licensing.Activity(strings.ToLower(get("activity"))); q.Activity != "" && !slices.Contains(licensing.Activities, q.Activity) {
		errs["activity"] = "must be one of make, use, sell, offer_to_sell, import, have_made"
	}
	if r.kind = rights.BasisKind(strings.ToLower(get("kind"))); r.kind != "" && !slices.Contains(coverageKinds, r.kind) {
		errs["kind"] = "must be one of owner, affiliate_owner, license"
	}
	if ref := get("licensor"); ref != "" {
		if co := s.apiCompany(c, errs, "licensor", ref); co != nil {
			q.Licensor = co.ID
		}
	}
	if ref := get("owner"); ref != "" {
		r.owner = s.apiCompany(c, errs, "owner", ref)
	}
	r.question = q
	return r
}

// apiCoverageItemOf is one hit as the API lists it.
func apiCoverageItemOf(routes []coverageRoute, h coverageHit, grants map[int64]*licensing.Grant) apiCoverageItem {
	b := routes[h.route].Basis
	fields, territories, acts := []string{}, []string{}, []string{}
	if b.Kind == rights.License {
		f, t, a := basisLimits(b, grants)
		fields, territories = append(fields, f...), append(territories, t...)
		for _, act := range a {
			acts = append(acts, string(act))
		}
	}
	item := apiCoverageItem{Patent: h.rec.Normalized, PatentID: h.rec.ID, Title: h.rec.Title, Office: h.rec.Office,
		Basis: string(b.Kind), Agreement: b.Agreement.Reference, AgreementID: b.Agreement.ID, Grant: b.Grant,
		Licensor: b.Licensor.Name, Licensee: b.Licensee.Name, Holder: basisHolder(b), Through: b.Through.Name,
		Fields: fields, Territories: territories, Activities: acts, Until: jsonDate(h.until), Hypothetical: b.Hypothetical,
		RenewalJSON: newRenewalJSON(b.Renewal.For(h.until))}
	return item
}

// basisHolder is who owns the patents of an ownership basis; a licence's
// holder varies by patent, and the route does not know it.
func basisHolder(b rights.Basis) string {
	if b.Kind == rights.License {
		return ""
	}
	return b.Holder.Name
}

// routePlace orders a company's coverage routes for the API's pages by
// what each route is, not by where it stands in the engine's answer: the
// owner's own title, then each affiliate's by company id, then each grant
// by id. A cursor names a place in that order, so that a page stays where
// it was when agreements or companies are added before it.
type routePlace struct {
	rank int   // 0 owner, 1 affiliate owner, 2 licence
	id   int64 // the affiliate or the grant; 0 for the owner
}

func routePlaceOf(rt *coverageRoute) routePlace {
	switch rt.Basis.Kind {
	case rights.Owner:
		return routePlace{0, 0}
	case rights.AffiliateOwner:
		return routePlace{1, rt.Basis.Holder.ID}
	}
	return routePlace{2, rt.Basis.Grant}
}

func (p routePlace) compare(o routePlace) int {
	return cmp.Or(cmp.Compare(p.rank, o.rank), cmp.Compare(p.id, o.id))
}

// coveragePosition is where a page of the coverage starts: after patent
// after of the route at place.
type coveragePosition struct {
	place routePlace
	after int64
}

// String is the position as its cursor carries it: rank.id.after.
func (p coveragePosition) String() string {
	return fmt.Sprintf("%d.%d.%d", p.place.rank, p.place.id, p.after)
}

// decodeCoveragePosition reads the cursor parameter of the coverage: the
// start when there is none. A cursor serves only the question it was
// issued for: a place in one company's coverage means nothing in another's.
func decodeCoveragePosition(c echo.Context) (coveragePosition, error) {
	v, err := decodeAPICursor(c, filteredList(c, "coverage"))
	if err != nil || v == "" {
		return coveragePosition{}, err
	}
	var p coveragePosition
	if _, err := fmt.Sscanf(v, "%d.%d.%d", &p.place.rank, &p.place.id, &p.after); err != nil ||
		p.place.rank < 0 || p.place.rank > 2 || p.place.id < 0 || p.after < 0 {
		return coveragePosition{}, fieldError("cursor", "is not a cursor of this list; start again without one")
	}
	return p, nil
}

// cursorIn finds the position among routes sorted by place: the first
// route at or after the place, after the patent only in the route of that
// very place (a later one starts at its beginning).
func (p coveragePosition) cursorIn(routes []coverageRoute) coverageCursor {
	i, found := slices.BinarySearchFunc(routes, p.place, func(rt coverageRoute, place routePlace) int {
		return routePlaceOf(&rt).compare(place)
	})
	if !found {
		return coverageCursor{route: i}
	}
	return coverageCursor{route: i, after: p.after}
}

// apiMatrix is the rights matrix of a day: companies[i] owns the patents
// counted in row i, companies[j] may practise those of column j; cells[i][j]
// counts the in-force patents companies[i] owns that day that companies[j]
// may practise, each once. owned[i] is all that companies[i] owns in force.
type apiMatrix struct {
	On         string   `json:"on"`
	Companies  []string `json:"companies"`
	CompanyIDs []int64  `json:"company_ids"`
	Owned      []int    `json:"owned"`
	Cells      [][]int  `json:"cells"`
}

func (s *Server) apiRightsMatrix(c echo.Context) error {
	if err := rejectUnknownParams(c, "on"); err != nil {
		return err
	}
	errs := map[string]string{}
	on := queryDate(c, errs, "on")
	if err := fieldErrors("the matrix cannot be drawn", errs); err != nil {
		return err
	}
	if on.IsZero() {
		on = s.apiToday()
	}
	companies, rows, err := s.matrixOn(c.Request().Context(), on)
	if err != nil {
		return err
	}
	m := apiMatrix{On: on.String(), Companies: make([]string, len(companies)), CompanyIDs: make([]int64, len(companies)),
		Owned: make([]int, len(rows)), Cells: make([][]int, len(rows))}
	for i, co := range companies {
		m.Companies[i], m.CompanyIDs[i] = co.Name, co.ID
	}
	for i, row := range rows {
		m.Owned[i] = row.Owned
		m.Cells[i] = make([]int, len(row.Cells))
		for j, cell := range row.Cells {
			m.Cells[i][j] = cell.Count
		}
	}
	return c.JSON(http.StatusOK, m)
}

// apiConflict is one conflict: what is wrong in an English sentence, the
// agreements and grants concerned, and the patents (an overlap or a
// royalty conflict lists the first few and counts the others in
// more_patents).
type apiConflict struct {
	Kind         string   `json:"kind"`
	Message      string   `json:"message"`
	Agreements   []string `json:"agreements"`
	AgreementIDs []int64  `json:"agreement_ids"`
	Grants       []int64  `json:"grants"`
	Patents      []string `json:"patents"`
	PatentIDs    []int64  `json:"patent_ids"`
	MorePatents  int      `json:"more_patents"`
}

func (s *Server) apiConflicts(c echo.Context) error {
	if err := rejectUnknownParams(c, "kind", "agreement", "company", "affiliates"); err != nil {
		return err
	}
	ctx, today := c.Request().Context(), s.apiToday()
	f, err := s.apiConflictFilter(c)
	if err != nil {
		return err
	}
	report, err := s.currentConflicts(ctx, today)
	if err != nil {
		return err
	}
	items := []apiConflict{}
	for i := range report.items {
		fc := &report.items[i]
		if f.kind != "" && fc.Kind != f.kind || !f.keeps(fc) {
			continue
		}
		items = append(items, apiConflictOf(fc))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiConflictFilter reads the conflicts page's filters from the query.
func (s *Server) apiConflictFilter(c echo.Context) (*conflictFilter, error) {
	ctx, errs := c.Request().Context(), map[string]string{}
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	f := &conflictFilter{kind: rights.ConflictKind(strings.ToLower(get("kind")))}
	if f.kind != "" && !slices.Contains(rights.ConflictKinds, f.kind) {
		kinds := make([]string, len(rights.ConflictKinds))
		for i, k := range rights.ConflictKinds {
			kinds[i] = string(k)
		}
		errs["kind"] = "must be one of " + strings.Join(kinds, ", ")
	}
	if ref := get("agreement"); ref != "" {
		a, err := s.conflictAgreement(ctx, ref)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			errs["agreement"] = fmt.Sprintf("no agreement with the reference or id %q is recorded", ref)
		case err != nil:
			return nil, err
		default:
			f.agreement = a.ID
		}
	}
	affiliates := queryFlag(c, errs, "affiliates")
	if ref := get("company"); ref != "" {
		if co := s.apiCompany(c, errs, "company", ref); co != nil {
			var err error
			if f.companies, err = s.ownerGroup(ctx, co, affiliates); err != nil {
				return nil, err
			}
		}
	}
	return f, fieldErrors("the conflicts cannot be filtered", errs)
}

// apiConflictOf is a conflict as the API lists it.
func apiConflictOf(fc *foundConflict) apiConflict {
	v := apiConflict{Kind: string(fc.Kind), Message: fc.english(), Agreements: []string{}, AgreementIDs: []int64{},
		Grants: append([]int64{}, fc.Grants...), Patents: []string{}, PatentIDs: []int64{}, MorePatents: fc.More}
	for _, a := range fc.Agreements {
		v.Agreements, v.AgreementIDs = append(v.Agreements, a.Reference), append(v.AgreementIDs, a.ID)
	}
	for _, p := range fc.Patents {
		v.Patents, v.PatentIDs = append(v.Patents, p.Number), append(v.PatentIDs, p.ID)
	}
	return v
}
