package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The deadlines page: every date to watch under the agreements in one
// list — expiries, notice deadlines, automatic renewals, obligations
// falling due and the expiry of licensed patents — filtered by kind,
// company, agreement, period and status, exported as CSV, with the
// obligations marked done from the list and the user's calendar feeds.

// deadlineRoutes registers the deadlines page, its CSV export and the
// calendar feeds a user manages from it. Marking an obligation done from
// the list posts to the agreement part's own route, which needs an
// editor; a feed is personal, like a token, so a viewer may make one.
func (s *Server) deadlineRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/deadlines", s.deadlineList, viewer)
	e.GET("/deadlines.csv", s.deadlineExport, viewer)
	e.POST("/deadlines/feeds", s.deadlineFeedCreate, viewer, s.recentPassword)
	e.POST("/deadlines/feeds/:id/revoke", s.deadlineFeedRevoke, viewer)
}

const (
	// deadlinesPerPage is one screen of the list.
	deadlinesPerPage = 200
	// deadlineDefaultDays is how far ahead the list looks unless told.
	deadlineDefaultDays = 365
	// deadlineMaxPage is the highest page number read.
	deadlineMaxPage = 1 << 20
)

// deadlinePatentLimit bounds the patent expiries one request reads: a
// portfolio can take in hundreds of thousands of patents, and the list
// then goes as far as they reach and continues from there. A variable
// only so that a test can make it small.
var deadlinePatentLimit = 2000

// deadlineStatuses maps the status filter's values to the statuses they
// take in: "done" is settled either way, done or waived.
var deadlineStatuses = map[string][]licensing.DeadlineStatus{
	"open":    {licensing.DeadlineOpen},
	"overdue": {licensing.DeadlineOverdue},
	"done":    {licensing.DeadlineDone, licensing.DeadlineWaived},
}

// deadlineStatusOrder is the order the status filter offers them in.
var deadlineStatusOrder = []string{"open", "overdue", "done"}

// ---- The period and the kinds, shared with the API ----

// periodFault is what is wrong with a period of deadlines asked for.
type periodFault int

const (
	periodFine      periodFault = iota
	periodBackwards             // it ends before it begins
	periodTooLong               // longer than maxDeadlineYears
)

// checkDeadlinePeriod checks a period of deadlines, both ends known.
func checkDeadlinePeriod(from, to licensing.Date) periodFault {
	switch {
	case to.Before(from):
		return periodBackwards
	case from.AddYears(maxDeadlineYears).Before(to):
		return periodTooLong
	}
	return periodFine
}

// parseDeadlineKind reads a kind of deadline as CONTRACT.md names them.
func parseDeadlineKind(v string) (licensing.DeadlineKind, bool) {
	k := licensing.DeadlineKind(v)
	return k, slices.Contains(licensing.DeadlineKinds, k)
}

// ---- The list's query ----

// deadlineQuery is the list's state as its URL carries it: the filters
// and the page.
type deadlineQuery struct {
	templates.DeadlineFilterForm
	page int
}

func readDeadlineQuery(c echo.Context) deadlineQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	q := deadlineQuery{DeadlineFilterForm: templates.DeadlineFilterForm{
		Status: strings.ToLower(get("status")), Company: get("company"), Affiliates: get("affiliates") == "1",
		Agreement: get("agreement"), From: get("from"), To: get("to"),
	}, page: 1}
	for _, k := range c.QueryParams()["kind"] {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" && !slices.Contains(q.Kinds, k) {
			q.Kinds = append(q.Kinds, k)
		}
	}
	if n, err := strconv.Atoi(get("page")); err == nil && n > 1 {
		// Far past any list's end, and small enough that the page's
		// offset cannot overflow.
		q.page = min(n, deadlineMaxPage)
	}
	return q
}

// filtered reports whether any filter is set.
func (q deadlineQuery) filtered() bool {
	f := q.DeadlineFilterForm
	return len(f.Kinds) > 0 || f.Status != "" || f.Company != "" || f.Agreement != "" || f.From != "" || f.To != ""
}

// values are the filters as URL parameters, without empty ones.
func (q deadlineQuery) values() listParams {
	v := newListParams()
	f := q.DeadlineFilterForm
	for _, k := range f.Kinds {
		v.Add("kind", k)
	}
	v.set("status", f.Status)
	v.set("company", f.Company)
	v.set("agreement", f.Agreement)
	v.set("from", f.From)
	v.set("to", f.To)
	v.flag("affiliates", f.Affiliates && f.Company != "")
	return v
}

// href links to page n of the list with these filters.
func (q deadlineQuery) href(n int) string {
	v := q.values()
	if n > 1 {
		v.set("page", strconv.Itoa(n))
	}
	return v.href("/deadlines")
}

// exportParams carries the filters into the export form, every kind asked
// for included.
func (q deadlineQuery) exportParams() []templates.Param { return q.values().exportParams() }

// deadlineListFilter is what a query asks the store for, once the company
// and the agreement are found and the dates read.
type deadlineListFilter struct {
	filter    sqlite.DeadlineFilter
	errs      templates.FieldErrors
	company   *licensing.Company
	agreement *licensing.Agreement
	// fromToday is set when the period starts today because no start was
	// given: the overdue occurrences of before then come first.
	fromToday bool
}

// resolveDeadlineQuery turns the query into a store filter. Filters that
// cannot be applied are reported by field, in the user's language.
func (s *Server) resolveDeadlineQuery(ctx context.Context, l *i18n.Locale, q deadlineQuery) (*deadlineListFilter, error) {
	today := licensing.DateOf(s.now())
	r := &deadlineListFilter{errs: templates.FieldErrors{}}
	f := &r.filter
	f.Today, f.Portfolios, f.PatentLimit = today, true, deadlinePatentLimit
	for _, v := range q.Kinds {
		k, ok := parseDeadlineKind(v)
		if !ok {
			r.errs["kind"] = l.T("deadlines.error.kind", v)
			continue
		}
		f.Kinds = append(f.Kinds, k)
	}
	if q.Status != "" {
		st, ok := deadlineStatuses[q.Status]
		if !ok {
			r.errs["status"] = l.T("deadlines.error.status", q.Status)
		}
		f.Statuses = st
	}
	for _, d := range []struct {
		name, value string
		dst         *licensing.Date
	}{{"from", q.From, &f.From}, {"to", q.To, &f.To}} {
		if d.value == "" {
			continue
		}
		date, err := parseFormDate(d.value)
		if err != nil {
			r.errs[d.name] = domainMessage(l, err)
			continue
		}
		*d.dst = date
	}
	if q.From == "" {
		f.From, f.Overdue, r.fromToday = today, true, true
	}
	if q.To == "" && r.errs["from"] == "" {
		f.To = f.From.AddDays(deadlineDefaultDays)
	}
	if r.errs["from"] == "" && r.errs["to"] == "" {
		switch checkDeadlinePeriod(f.From, f.To) {
		case periodBackwards:
			r.errs["to"] = l.T("deadlines.error.backwards", l.Date(f.To.Time()), l.Date(f.From.Time()))
		case periodTooLong:
			r.errs["to"] = l.T("deadlines.error.too_long", maxDeadlineYears)
		}
	}
	if err := s.resolveDeadlineParties(ctx, l, q, r); err != nil {
		return nil, err
	}
	return r, nil
}

// resolveDeadlineParties finds the company filter's company (by id, legal
// name or alias) and the agreement filter's agreement (by id or
// reference).
func (s *Server) resolveDeadlineParties(ctx context.Context, l *i18n.Locale, q deadlineQuery, r *deadlineListFilter) error {
	if q.Company != "" {
		co, err := companyByRef(ctx, s.db, q.Company)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			r.errs["company"] = l.T("deadlines.error.company", q.Company)
		case err != nil:
			return err
		default:
			r.company, r.filter.Company, r.filter.Affiliates = co, co.ID, q.Affiliates
		}
	}
	if q.Agreement != "" {
		a, err := s.agreementByRef(ctx, q.Agreement)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			r.errs["agreement"] = l.T("deadlines.error.agreement", q.Agreement)
		case err != nil:
			return err
		default:
			r.agreement, r.filter.Agreement = a, a.ID
		}
	}
	return nil
}

// agreementByRef finds an agreement by id or by reference.
func (s *Server) agreementByRef(ctx context.Context, ref string) (*licensing.Agreement, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		a, err := s.db.Agreement(ctx, id)
		if !errors.Is(err, sqlite.ErrNotFound) {
			return a, err
		}
	}
	return s.db.AgreementByReference(ctx, ref)
}

// ---- The list ----

func (s *Server) deadlineList(c echo.Context) error {
	return s.renderDeadlines(c, http.StatusOK, nil)
}

// renderDeadlines renders the page for the request's query, after fill
// (if any) has added what the request at hand has to show: a feed just
// made, or the feed form refused.
func (s *Server) renderDeadlines(c echo.Context, status int, fill func(*templates.DeadlinesView)) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "deadlines.title", "deadlines")
	if err != nil {
		return err
	}
	q := readDeadlineQuery(c)
	r, err := s.resolveDeadlineQuery(ctx, l, q)
	if err != nil {
		return err
	}
	v := templates.DeadlinesView{
		Filter: q.DeadlineFilterForm, FilterErrors: r.errs, Filtered: q.filtered(), CanEdit: canEdit(c),
		Kinds:    catalogChoices(l, "deadlines.kind.", licensing.DeadlineKinds),
		Statuses: catalogChoices(l, "deadlines.filter.status.", deadlineStatusOrder),
		Feeds:    templates.DeadlineFeedsView{AlarmDays: strconv.Itoa(defaultAlarmDays), Action: feedAction(c)},
	}
	if r.company != nil {
		v.Filter.Company = r.company.Name // an id or an alias shows as the legal name
	}
	if r.agreement != nil {
		v.Filter.Agreement = r.agreement.Reference
	}
	if len(r.errs) == 0 {
		if err := s.fillDeadlineRows(c, l, q, r, &v); err != nil {
			return err
		}
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	if v.Feeds.List, err = s.feedRows(c); err != nil {
		return err
	}
	if fill != nil {
		fill(&v)
	}
	return render(c, status, templates.Deadlines(p, v))
}

// fillDeadlineRows reads the deadlines of the query and puts one page of
// them, with the notes that explain the list, into the view.
func (s *Server) fillDeadlineRows(c echo.Context, l *i18n.Locale, q deadlineQuery, r *deadlineListFilter, v *templates.DeadlinesView) error {
	f := r.filter
	list, through, err := s.readDeadlinesKept(c.Request().Context(), f, q.page*deadlinesPerPage+1)
	if err != nil {
		return err
	}
	v.Period = l.T("deadlines.period", l.Date(f.From.Time()), l.Date(f.To.Time()))
	if r.fromToday {
		v.Period = l.T("deadlines.period_from_today", l.Date(f.To.Time()))
	}
	if r.company != nil {
		key := "deadlines.note.company"
		if f.Affiliates {
			key = "deadlines.note.company_group"
		}
		v.Notes = append(v.Notes, l.T(key, r.company.Name))
	}
	start := (q.page - 1) * deadlinesPerPage
	end := min(start+deadlinesPerPage, len(list))
	if q.page > 1 {
		v.FirstHref = q.href(1)
	}
	switch {
	case end < len(list):
		v.NextHref = q.href(q.page + 1)
	case through.Before(f.To):
		// The patent expiries were too many to read at once: the list
		// goes on from the day after the last one read in full.
		next := q
		next.From, next.page = through.AddDays(1).String(), 1
		v.NextHref = next.href(1)
		v.Truncated = l.T("deadlines.note.truncated", l.Date(through.Time()))
	}
	for _, d := range list[min(start, len(list)):end] {
		v.Rows = append(v.Rows, deadlineRow(l, d, f.Today, v.CanEdit))
	}
	v.Total, v.ExportParams, v.ReturnTo = len(list), q.exportParams(), q.href(q.page)
	return nil
}

// deadlineRounds bounds how many times one page reads on past the patent
// expiries read at once, to fill itself.
const deadlineRounds = 5

// readDeadlines reads the deadlines of f until it has want of them or the
// period is read in full, in at most deadlineRounds parts (see
// deadlineParts): a part of the period whose patents make no deadline
// leaves no empty page. It returns the last day read in full.
func (s *Server) readDeadlines(ctx context.Context, f sqlite.DeadlineFilter, want int) ([]licensing.Deadline, licensing.Date, error) {
	var list []licensing.Deadline
	rounds := 0
	through, err := s.deadlineParts(ctx, f, func(part []licensing.Deadline) (bool, error) {
		list, rounds = append(list, part...), rounds+1
		return len(list) < want && rounds < deadlineRounds, nil
	})
	return list, through, err
}

// deadlineParts reads the deadlines of f part by part while the patent
// expiries are too many to read at once, each part from the day after the
// last one read in full, handing each to each until the period is read or
// each says to stop. It returns the last day read in full.
func (s *Server) deadlineParts(ctx context.Context, f sqlite.DeadlineFilter, each func([]licensing.Deadline) (bool, error)) (licensing.Date, error) {
	for {
		part, through, err := s.db.DeadlinesThrough(ctx, f)
		if err != nil {
			return through, err
		}
		more, err := each(part)
		if err != nil || !more || !through.Before(f.To) {
			return through, err
		}
		f.From, f.Overdue = through.AddDays(1), false
	}
}

// ---- The CSV export ----

// deadlineCSVHeader are the export's columns, docs/deadlines.md describes
// them.
var deadlineCSVHeader = []string{"date", "kind", "status", "agreement", "agreement_title", "title",
	"obligation", "obligation_kind", "amount", "currency", "payer", "payee", "patent", "term_ends_on", "if_renewed"}

// deadlineExport streams the list, with the list's filters and every page
// of it, as CSV. Patent expiries are read a bounded number at a time: each
// round continues from the day after the last one read in full.
func (s *Server) deadlineExport(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	r, err := s.resolveDeadlineQuery(ctx, l, readDeadlineQuery(c))
	if err != nil {
		return err
	}
	if len(r.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: r.errs}
	}
	return s.streamCSV(c, "deadlines", deadlineCSVHeader, func(write func([]string) error) error {
		_, err := s.deadlineParts(ctx, r.filter, func(part []licensing.Deadline) (bool, error) {
			for _, d := range part {
				if err := write(deadlineRecord(l, d, r.filter.Today)); err != nil {
					return false, err
				}
			}
			return true, nil
		})
		return err
	})
}

// deadlineRecord is one deadline as a CSV row: codes for kind and status
// (the status as of the export's day), the title in the user's language,
// and whether it falls due only if the agreement renews.
func deadlineRecord(l *i18n.Locale, d licensing.Deadline, today licensing.Date) []string {
	a := d.Agreement
	rec := []string{d.Date.String(), string(d.Kind), string(d.Status), a.Reference, a.Title, deadlineTitle(l, d),
		"", "", "", "", "", "", d.Patent, d.TermEndsOn.String(), strconv.FormatBool(d.IfRenewed(today))}
	if o := d.Obligation; o != nil {
		rec[6], rec[7], rec[8], rec[9], rec[10], rec[11] = o.Title, string(o.Kind), o.Amount.String(), o.Currency, o.Payer, o.Payee
	}
	return rec
}

// daysBetween counts the days from one date to another, negative when the
// second lies before the first.
func daysBetween(from, to licensing.Date) int {
	return int(to.Time().Sub(from.Time()).Hours() / 24)
}
