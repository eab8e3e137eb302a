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

	"patentdesk/internal/csvio"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// patentRoutes registers the patent pages: reading needs a viewer, changing an editor.
func (s *Server) patentRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/patents", s.patentList, viewer)
	e.GET("/patents.csv", s.patentExport, viewer)
	e.GET("/patents/lookup", s.patentLookup, viewer)
	e.GET("/patents/new", s.patentNew, editor)
	e.POST("/patents", s.patentCreate, editor)
	e.GET("/patents/:id", s.patentShow, viewer)
	e.GET("/patents/:id/edit", s.patentEdit, editor)
	e.POST("/patents/:id", s.patentUpdate, editor)
	e.GET("/patents/:id/delete", s.patentDeleteForm, editor)
	e.POST("/patents/:id/delete", s.patentDelete, editor)
	e.GET("/families/:key", s.patentFamily, viewer)
}

// Page sizes of the patents list: the default, and the most a "limit"
// parameter may ask for.
const (
	patentPageSize    = 50
	maxPatentPageSize = 500
)

// patentSorts are the list's sortable columns in the order they are shown,
// with the catalog key of each header.
var patentSorts = []struct {
	sort  sqlite.PatentSort
	label string
	class string
}{
	{sqlite.SortNumber, "field.number", ""},
	{sqlite.SortTitle, "field.title", ""},
	{"", "field.owner", ""}, // not sortable: the owner is a name in another table
	{sqlite.SortOffice, "field.office", ""},
	{sqlite.SortStatus, "field.status", ""},
	{sqlite.SortFiled, "field.filed_on", "date"},
	{sqlite.SortExpiry, "field.expires_on", "date"},
}

// patentStatusLabel names a patent status in the user's language.
func patentStatusLabel(l *i18n.Locale, st licensing.PatentStatus) string {
	switch st {
	case licensing.StatusPending:
		return l.T("patents.status.pending")
	case licensing.StatusGranted:
		return l.T("patents.status.granted")
	case licensing.StatusLapsed:
		return l.T("patents.status.lapsed")
	case licensing.StatusExpired:
		return l.T("patents.status.expired")
	case licensing.StatusAbandoned:
		return l.T("patents.status.abandoned")
	case licensing.StatusRevoked:
		return l.T("patents.status.revoked")
	}
	return string(st)
}

func patentStatusChoices(l *i18n.Locale) []templates.PatentChoice {
	out := make([]templates.PatentChoice, len(licensing.Statuses))
	for i, st := range licensing.Statuses {
		out[i] = templates.PatentChoice{Value: string(st), Label: patentStatusLabel(l, st)}
	}
	return out
}

func patentDay(s *Server) licensing.Date { return licensing.DateOf(s.now()) }

// patentDisplayNumber spaces a normalized number for reading: EP 1234567 B1.
func patentDisplayNumber(normalized string) string {
	if n, err := licensing.ParsePatentNumber(normalized); err == nil {
		return n.Display()
	}
	return normalized
}

// patentRow is a stored patent as lists show it.
func patentRow(l *i18n.Locale, r *sqlite.PatentRecord, on licensing.Date) templates.PatentRow {
	expiry, overridden := r.Expiry()
	return templates.PatentRow{
		ID: r.ID, Number: patentDisplayNumber(r.Normalized), Title: r.Title, OwnerID: r.OwnerID, Owner: r.Owner,
		Office: r.Office, Status: patentStatusLabel(l, r.Status), StatusOn: r.StatusOn.Time(), InForce: r.InForce(on),
		FiledOn: r.FiledOn.Time(), Expiry: expiry.Time(), ExpiryOverridden: overridden,
	}
}

// ---- The list ----

// patentQuery is the patents list's state as its URL carries it: filters,
// sort, page size and cursor. Links of the list (sort headers, pager, reset,
// export) are built from it, so that each keeps what the others set.
type patentQuery struct {
	templates.PatentFilterForm
	cursor string
}

func readPatentQuery(c echo.Context) patentQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	q := patentQuery{PatentFilterForm: templates.PatentFilterForm{
		Query: get("q"), Owner: get("owner"), Affiliates: get("affiliates") == "1", OwnerOn: get("owner_on"),
		Grant: get("grant"), Agreement: get("agreement"),
		Office: strings.ToUpper(get("office")), Status: strings.ToLower(get("status")),
		Tag: get("tag"), Standard: get("standard"), InForceOn: get("in_force_on"), ExpiresBefore: get("expires_before"),
		Desc: get("dir") == "desc",
	}, cursor: get("cursor")}
	// The SEP filter; a link of an older export form may also carry
	// sep=semicolon, the CSV dialect (exportDialect).
	for _, sep := range c.QueryParams()["sep"] {
		if sep = strings.TrimSpace(sep); (sep == "yes" || sep == "no") && q.SEP == "" {
			q.SEP = sep
		}
	}
	for _, col := range patentSorts {
		if col.sort != "" && string(col.sort) == get("sort") {
			q.Sort = string(col.sort)
		}
	}
	if n, err := strconv.Atoi(get("limit")); err == nil && n > 0 {
		q.Limit = min(n, maxPatentPageSize)
	}
	return q
}

// filtered reports whether any filter is set (sorting is no filter).
func (q patentQuery) filtered() bool {
	f := q.PatentFilterForm
	return f.Query != "" || f.Owner != "" || f.OwnerOn != "" || f.Grant != "" || f.Agreement != "" || f.Office != "" || f.Status != "" || f.Tag != "" || f.Standard != "" ||
		f.SEP != "" || f.InForceOn != "" || f.ExpiresBefore != ""
}

// filterValues are the filters and the sort, without defaults, as URL parameters.
func (q patentQuery) filterValues() listParams {
	v := newListParams()
	f := q.PatentFilterForm
	v.set("q", f.Query)
	v.set("owner", f.Owner)
	v.flag("affiliates", f.Affiliates)
	v.set("owner_on", f.OwnerOn)
	v.set("grant", f.Grant)
	v.set("agreement", f.Agreement)
	v.set("office", f.Office)
	v.set("status", f.Status)
	v.set("tag", f.Tag)
	v.set("standard", f.Standard)
	v.set("sep", f.SEP)
	v.set("in_force_on", f.InForceOn)
	v.set("expires_before", f.ExpiresBefore)
	v.set("sort", f.Sort)
	if f.Desc {
		v.Set("dir", "desc")
	}
	return v
}

// href links to the list with these filters, the given page size and cursor.
func (q patentQuery) href(cursor string) string {
	v := q.filterValues()
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	v.set("cursor", cursor)
	return v.href("/patents")
}

// exportParams carries the filters and sort into the export form.
func (q patentQuery) exportParams() []templates.Param { return q.filterValues().exportParams() }

// columns are the header cells: a click sorts by the column, a second click
// reverses the order; the first page is shown again.
func (q patentQuery) columns(l *i18n.Locale) []templates.PatentSortColumn {
	current := q.Sort
	if current == "" {
		current = string(sqlite.SortNumber)
	}
	out := make([]templates.PatentSortColumn, 0, len(patentSorts))
	for _, col := range patentSorts {
		sc := templates.PatentSortColumn{Key: string(col.sort), Label: l.T(col.label), Class: col.class}
		if col.sort != "" {
			next := q
			next.Sort, next.Desc = string(col.sort), false
			if string(col.sort) == current {
				next.Desc = !q.Desc
				sc.AriaSort = "ascending"
				if q.Desc {
					sc.AriaSort = "descending"
				}
			}
			if next.Sort == string(sqlite.SortNumber) {
				next.Sort = "" // the default
			}
			sc.Href = next.href("")
		}
		out = append(out, sc)
	}
	return out
}

// patentListFilter is what a list query asks the store for, once the owner
// is found and the dates are read.
type patentListFilter struct {
	filter  sqlite.PatentFilter
	owner   *licensing.Company // the owner filter's company, if any
	ownerOn licensing.Date     // the day owners are taken on: today unless chosen
	errs    templates.FieldErrors
	notes   []string
}

// resolve turns the query into a store filter. Filters that cannot be
// applied (an unknown owner, a date that is no date) are reported by field.
func (s *Server) resolvePatentQuery(ctx context.Context, l *i18n.Locale, q patentQuery) (*patentListFilter, error) {
	r := &patentListFilter{errs: templates.FieldErrors{}}
	f := &r.filter
	f.Sort, f.Desc = sqlite.PatentSort(q.Sort), q.Desc
	optional := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	f.Query, f.Office, f.Tag, f.Standard = optional(q.Query), optional(q.Office), optional(q.Tag), optional(q.Standard)
	if q.Status != "" {
		st, err := licensing.ParseStatus(q.Status)
		if err != nil {
			r.errs["status"] = domainMessage(l, err)
		} else {
			f.Status = optional(string(st))
		}
	}
	if q.SEP != "" {
		sep := q.SEP == "yes"
		f.SEP = &sep
	}
	for _, d := range []struct {
		name, value string
		dst         **licensing.Date
	}{{"in_force_on", q.InForceOn, &f.InForceOn}, {"expires_before", q.ExpiresBefore, &f.ExpiresBefore}} {
		if d.value == "" {
			continue
		}
		date, err := licensing.ParseDate(d.value)
		if err != nil {
			r.errs[d.name] = domainMessage(l, err)
			continue
		}
		*d.dst = &date
	}
	r.ownerOn = patentDay(s)
	if q.OwnerOn != "" {
		date, err := licensing.ParseDate(q.OwnerOn)
		if err != nil {
			r.errs["owner_on"] = domainMessage(l, err)
		} else {
			r.ownerOn, f.OwnerOn = date, &date
			r.notes = append(r.notes, l.T("patents.filter.owner_on_note", l.Date(date.Time())))
		}
	}
	if q.Owner != "" {
		if err := s.resolveOwnerFilter(ctx, l, q, r); err != nil {
			return nil, err
		}
	}
	if err := s.resolveAgreementFilters(ctx, l, q, r); err != nil {
		return nil, err
	}
	return r, nil
}

// resolveOwnerFilter finds the owner filter's company, by id or by name or
// alias, and with "include affiliates" its corporate group on the day owners
// are taken on.
func (s *Server) resolveOwnerFilter(ctx context.Context, l *i18n.Locale, q patentQuery, r *patentListFilter) error {
	g, err := s.resolveCompanyGroup(ctx, l, q.Owner, q.Affiliates, r.ownerOn, "patents.filter.no_affiliates", "patents.filter.affiliates_included")
	if errors.Is(err, sqlite.ErrNotFound) {
		r.errs["owner"] = l.T("patents.filter.owner_unknown", q.Owner)
		return nil
	}
	if err != nil {
		return err
	}
	r.owner, r.filter.OwnerIDs = g.company, g.ids
	if g.note != "" {
		r.notes = append(r.notes, g.note)
	}
	return nil
}

// patentCompanyRef finds a company by its id, legal name or an alias, as
// the contract lets every company reference be written.
func (s *Server) patentCompanyRef(ctx context.Context, ref string) (*licensing.Company, error) {
	return companyByRef(ctx, s.db, ref)
}

func (s *Server) patentList(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "patents.title", "patents")
	if err != nil {
		return err
	}
	q := readPatentQuery(c)
	r, err := s.resolvePatentQuery(ctx, l, q)
	if err != nil {
		return err
	}
	v := templates.PatentListView{
		Filter: q.PatentFilterForm, FilterErrors: r.errs, Notes: r.notes, Statuses: patentStatusChoices(l),
		Columns: q.columns(l), ResetHref: patentQuery{PatentFilterForm: templates.PatentFilterForm{Sort: q.Sort, Desc: q.Desc, Limit: q.Limit}}.href(""),
		ExportParams: q.exportParams(), Filtered: q.filtered(), CanEdit: canEdit(c),
	}
	if r.owner != nil {
		v.Filter.Owner = r.owner.Name // an id or an alias shows as the legal name
	}
	if len(r.errs) == 0 {
		r.filter.Cursor, r.filter.Limit = q.cursor, q.Limit
		if r.filter.Limit == 0 {
			r.filter.Limit = patentPageSize
		}
		list, next, err := s.db.Patents(ctx, r.filter)
		if err != nil {
			return err
		}
		if err := s.ownersOn(ctx, list, r.ownerOn); err != nil {
			return err
		}
		on := patentDay(s)
		for _, rec := range list {
			v.Rows = append(v.Rows, patentRow(l, rec, on))
		}
		if q.cursor != "" {
			v.FirstHref = q.href("")
		}
		if next != "" {
			v.NextHref = q.href(next)
		}
	}
	if err := s.patentChoices(ctx, &v); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Patents(p, v))
}

// patentChoices fills the suggestions of the filter form.
func (s *Server) patentChoices(ctx context.Context, v *templates.PatentListView) error {
	var err error
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	if v.Offices, err = s.db.PatentOffices(ctx); err != nil {
		return err
	}
	if v.Tags, err = s.db.PatentLabels(ctx, "tag"); err != nil {
		return err
	}
	v.Standards, err = s.db.PatentLabels(ctx, "standard")
	return err
}

// patentMaxOwnerChoices bounds the owner suggestions; companies are hundreds,
// and a name beyond the first thousand can still be typed.
const patentMaxOwnerChoices = 1000

func (s *Server) patentOwnerChoices(ctx context.Context) ([]string, error) {
	list, _, err := s.db.Companies(ctx, sqlite.CompanyFilter{Limit: patentMaxOwnerChoices})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, c := range list {
		names[i] = c.Name
	}
	return names, nil
}

// patentExport streams the list as native CSV, with the list's filters and sort.
func (s *Server) patentExport(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	q := readPatentQuery(c)
	r, err := s.resolvePatentQuery(ctx, l, q)
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	return s.streamCSV(c, "patents", csvio.NativeHeader(csvio.KindPatents), func(write func([]string) error) error {
		return s.db.EachPatent(ctx, r.filter, func(rec *sqlite.PatentRecord) error {
			return write(csvio.PatentRow(csvio.PatentRecordOf(&rec.Patent, rec.Owner, rec.OriginalOwner)))
		})
	})
}

// ---- One patent ----

// patentOf reads the patent named by the :id parameter.
func (s *Server) patentOf(c echo.Context) (*sqlite.PatentRecord, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %q", c.Param("id"))
	}
	r, err := s.db.Patent(c.Request().Context(), id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %d", id)
	}
	return r, err
}

// patentLookup finds a patent by its number in any notation and leads to
// its page, so that links can name patents as people write them.
func (s *Server) patentLookup(c echo.Context) error {
	return s.redirectToNumber(c, c.QueryParam("number"))
}

func (s *Server) redirectToNumber(c echo.Context, number string) error {
	r, err := s.db.PatentByNumber(c.Request().Context(), number)
	if errors.Is(err, sqlite.ErrNotFound) || licensing.ErrorCode(err) == licensing.Invalid {
		return licensing.Errorf(licensing.NotFound, "no patent numbered %q", number)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/patents/%d", r.ID))
}

func (s *Server) patentShow(c echo.Context) error {
	if _, err := strconv.ParseInt(c.Param("id"), 10, 64); err != nil {
		// /patents/EP1234567B1 works as a link too.
		number, uerr := url.PathUnescape(c.Param("id"))
		if uerr != nil {
			number = c.Param("id")
		}
		return s.redirectToNumber(c, number)
	}
	ctx, l := c.Request().Context(), state(c).locale
	r, err := s.patentOf(c)
	if err != nil {
		return err
	}
	p, err := s.page(c, "patents.title", "patents")
	if err != nil {
		return err
	}
	v, err := s.patentDetailView(ctx, l, r, patentDay(s))
	if err != nil {
		return err
	}
	p.Title = v.Row.Number
	v.CanEdit = canEdit(c)
	return render(c, http.StatusOK, templates.PatentDetail(p, v))
}

// patentDetailView reads everything a patent's page shows on day on: its
// facts, its family, its chain of title, the grants that take it in, who
// may practise it and its history.
func (s *Server) patentDetailView(ctx context.Context, l *i18n.Locale, r *sqlite.PatentRecord, on licensing.Date) (templates.PatentDetailView, error) {
	v := templates.PatentDetailView{
		Row: patentRow(l, r, on), Number: r.Number, Normalized: r.Normalized, Kind: r.Kind, ApplicationNumber: r.ApplicationNumber,
		Family: r.Family, FamilyHref: patentFamilyHref(r.Family), PriorityOn: r.PriorityOn.Time(), PublishedOn: r.PublishedOn.Time(),
		GrantedOn: r.GrantedOn.Time(), ComputedExpiry: r.ComputedExpiry().Time(), InForceReason: patentInForceReason(l, &r.Patent, on),
		Tags: r.Tags, Standards: r.Standards, SEP: r.SEP, SEPReference: r.SEPReference, CPC: r.CPC,
		IsEP: r.Office == "EP", DesignatedStates: r.DesignatedStates, OriginalOwnerID: r.OriginalOwnerID,
		OriginalOwner: r.OriginalOwner,
	}
	if r.Family != "" {
		members, err := s.db.FamilyMembers(ctx, r.Family)
		if err != nil {
			return v, err
		}
		for _, m := range members {
			if m.ID != r.ID {
				v.FamilyMembers = append(v.FamilyMembers, patentRow(l, m, on))
			}
		}
	}
	// The grants that take the patent in and its rights panel come from
	// one read of the grants that may bear on it.
	facts, err := s.db.PatentPageFacts(ctx, r)
	if err != nil {
		return v, err
	}
	if v.Title, err = s.patentTitleView(ctx, l, facts, on); err != nil {
		return v, err
	}
	v.Rights = patentRightsView(l, facts, on)
	v.History, err = s.history(ctx, l, "patent", r.ID)
	return v, err
}

func patentFamilyHref(family string) string {
	if family == "" {
		return ""
	}
	return "/families/" + url.PathEscape(family)
}

// patentInForceReason says why a patent is or is not in force on a day, by the
// rule of licensing.Patent.InForce.
func patentInForceReason(l *i18n.Locale, p *licensing.Patent, on licensing.Date) string {
	date := func(d licensing.Date) string { return l.Date(d.Time()) }
	expiry, _ := p.Expiry()
	switch {
	case p.Office == "WO":
		return l.T("patent.reason.wo")
	case p.Status == "" || p.Status == licensing.StatusPending:
		return l.T("patent.reason.pending")
	case !p.GrantedOn.IsZero() && on.Before(p.GrantedOn):
		return l.T("patent.reason.not_yet_granted", date(p.GrantedOn))
	case p.Status == licensing.StatusLapsed && !on.Before(p.StatusOn):
		return l.T("patent.reason.lapsed", date(p.StatusOn))
	case p.Status == licensing.StatusAbandoned && !on.Before(p.StatusOn):
		return l.T("patent.reason.abandoned", date(p.StatusOn))
	case p.Status == licensing.StatusRevoked && !on.Before(p.StatusOn):
		return l.T("patent.reason.revoked", date(p.StatusOn))
	case expiry.IsZero() && p.Status == licensing.StatusExpired && !on.Before(p.StatusOn):
		return l.T("patent.reason.expired_status", date(p.StatusOn))
	case expiry.IsZero():
		return l.T("patent.reason.in_force_unknown")
	case on.After(expiry):
		return l.T("patent.reason.expired", date(expiry))
	}
	return l.T("patent.reason.in_force", date(expiry))
}

// patentFamily lists every member of a family.
func (s *Server) patentFamily(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	key := c.Param("key")
	if c.Request().URL.RawPath != "" {
		// The router matched the escaped path; a key may hold a "/".
		if k, err := url.PathUnescape(key); err == nil {
			key = k
		}
	}
	members, err := s.db.FamilyMembers(ctx, key)
	if err != nil {
		return err
	}
	if len(members) == 0 || key == "" {
		return licensing.Errorf(licensing.NotFound, "no patent family %q", key)
	}
	p, err := s.page(c, "patents.title", "patents")
	if err != nil {
		return err
	}
	p.Title = l.T("patents.family.title", key)
	on := patentDay(s)
	v := templates.PatentFamilyView{Family: key}
	for _, m := range members {
		v.Members = append(v.Members, patentRow(l, m, on))
	}
	return render(c, http.StatusOK, templates.PatentFamily(p, v))
}
