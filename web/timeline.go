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

// timelineRoutes registers the agreement timeline.
func (s *Server) timelineRoutes(e *echo.Echo, viewer echo.MiddlewareFunc) {
	e.GET("/agreements/timeline", s.agreementTimeline, viewer)
}

const (
	// timelineCap is the most agreements one timeline draws: a few hundred
	// rows still read as a picture; beyond that the filters must narrow it.
	timelineCap = 300
	// Without a choice the timeline shows the last ten years and the next five.
	timelineYearsBack, timelineYearsAhead = 10, 5
	// timelineMaxYears is the longest period one timeline spans.
	timelineMaxYears = 60
	// The years a period may start or end in.
	timelineFirstYear, timelineLastYear = 1900, 2200
)

// timelineQuery is the timeline's state as its URL carries it.
type timelineQuery struct{ templates.TimelineFilterForm }

func readTimelineQuery(c echo.Context) timelineQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return timelineQuery{templates.TimelineFilterForm{Company: get("company"), Affiliates: get("affiliates") == "1",
		Kind: strings.ToLower(get("kind")), From: get("from"), To: get("to")}}
}

// filtered reports whether any filter is set.
func (q timelineQuery) filtered() bool {
	return q.Company != "" || q.Kind != "" || q.From != "" || q.To != ""
}

// timelineRequest is what the timeline asks the store for, once the
// company is found and the years are read.
type timelineRequest struct {
	filter  sqlite.TimelineFilter
	company *licensing.Company
	group   []int64 // the company and, if asked, its affiliates today
	errs    templates.FieldErrors
	notes   []string
}

// resolveTimelineQuery turns the query into a store filter; what cannot be
// applied is reported by field.
func (s *Server) resolveTimelineQuery(ctx context.Context, l *i18n.Locale, q timelineQuery, today licensing.Date) (*timelineRequest, error) {
	r := &timelineRequest{errs: templates.FieldErrors{}, filter: sqlite.TimelineFilter{Limit: timelineCap}}
	if q.Kind != "" {
		k, err := licensing.ParseAgreementKind(q.Kind)
		if err != nil {
			r.errs["kind"] = domainMessage(l, err)
		} else {
			r.filter.Kind = &k
		}
	}
	from, to := timelineYears(l, q, today.Time().Year(), r.errs)
	r.filter.From, r.filter.To = licensing.NewDate(from, 1, 1), licensing.NewDate(to, 12, 31)
	if q.Company != "" {
		g, err := s.resolveCompanyGroup(ctx, l, q.Company, q.Affiliates, today, "agreements.filter.no_affiliates", "agreements.filter.affiliates_included")
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			r.errs["company"] = l.T("agreements.filter.party_unknown", q.Company)
		case err != nil:
			return nil, err
		default:
			r.company, r.group, r.filter.Parties = g.company, g.ids, g.ids
			if g.note != "" {
				r.notes = append(r.notes, g.note)
			}
		}
	}
	return r, nil
}

// timelineYears reads the first and last year to draw, filling in the
// default for a year not given, and puts what is wrong into errs.
func timelineYears(l *i18n.Locale, q timelineQuery, thisYear int, errs templates.FieldErrors) (from, to int) {
	from, to = thisYear-timelineYearsBack, thisYear+timelineYearsAhead
	read := func(field, value string, dst *int) bool {
		if value == "" {
			return false
		}
		y, err := strconv.Atoi(value)
		if err != nil || y < timelineFirstYear || y > timelineLastYear {
			errs[field] = l.T("timeline.error.year", strconv.Itoa(timelineFirstYear), strconv.Itoa(timelineLastYear))
			return false
		}
		*dst = y
		return true
	}
	hasFrom, hasTo := read("from", q.From, &from), read("to", q.To, &to)
	switch {
	case from <= to:
	case hasFrom && !hasTo:
		to = from + timelineYearsBack + timelineYearsAhead
	case hasTo && !hasFrom:
		from = to - timelineYearsBack - timelineYearsAhead
	default:
		errs["to"] = l.T("timeline.error.order")
	}
	if len(errs) == 0 && to-from+1 > timelineMaxYears {
		errs["to"] = l.T("timeline.error.span", timelineMaxYears)
	}
	return from, to
}

func (s *Server) agreementTimeline(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "timeline.title", "agreements")
	if err != nil {
		return err
	}
	today := agreementDay(s)
	q := readTimelineQuery(c)
	r, err := s.resolveTimelineQuery(ctx, l, q, today)
	if err != nil {
		return err
	}
	v := templates.TimelineView{
		Filter: q.TimelineFilterForm, FilterErrors: r.errs, Notes: r.notes, Today: today.Time(), Cap: timelineCap,
		From: r.filter.From.Time(), To: r.filter.To.Time(), Filtered: q.filtered(), ResetHref: "/agreements/timeline",
		Kinds: agreementChoices(l, "agreement_kind", licensing.AgreementKinds),
	}
	if r.company != nil {
		v.Filter.Company = r.company.Name // an id or an alias shows as the legal name
	}
	if len(r.errs) == 0 {
		t, err := s.db.AgreementTimeline(ctx, r.filter)
		if err != nil {
			return err
		}
		v.Groups = timelineGroups(l, t.Agreements, r.group, r.filter.From, r.filter.To, today)
		v.Count, v.More, v.Undated = len(t.Agreements), t.More, t.Undated
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Timeline(p, v))
}

// timelineGroups puts each agreement under its partner, partners by name
// and each partner's agreements in the order given (by effective date).
// group is the company filtered on with its affiliates, or nil.
func timelineGroups(l *i18n.Locale, list []*licensing.Agreement, group []int64, from, to, today licensing.Date) []templates.TimelineGroup {
	notices := timelineNotices(list, from, to, today)
	var groups []templates.TimelineGroup
	index := map[string]int{}
	for _, a := range list {
		label := timelinePartner(l, a, group)
		i, ok := index[label]
		if !ok {
			i = len(groups)
			index[label] = i
			groups = append(groups, templates.TimelineGroup{Label: label})
		}
		groups[i].Bars = append(groups[i].Bars, timelineBar(l, a, today, notices[a.ID]))
	}
	slices.SortStableFunc(groups, func(a, b templates.TimelineGroup) int {
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
	return groups
}

// timelinePartner names the group an agreement is drawn in: its parties
// other than the company filtered on (and its affiliates), or, without a
// company, all its parties.
func timelinePartner(l *i18n.Locale, a *licensing.Agreement, group []int64) string {
	var names []string
	for _, p := range a.Parties {
		if !slices.Contains(group, p.CompanyID) && !slices.Contains(names, p.Company) {
			names = append(names, p.Company)
		}
	}
	switch {
	case len(names) == 0 && group != nil:
		return l.T("timeline.group.within")
	case len(names) == 0:
		return l.T("timeline.group.no_parties")
	case group != nil:
		return strings.Join(names, ", ")
	}
	slices.Sort(names)
	return strings.Join(names, " – ")
}

// timelineBar is an agreement as its bar shows it: from its effective date
// to its end (the running term's end, for one that renews itself).
func timelineBar(l *i18n.Locale, a *licensing.Agreement, today licensing.Date, notices []licensing.Date) templates.TimelineBar {
	b := templates.TimelineBar{ID: a.ID, Reference: a.Reference, Title: a.Title,
		Kind: agreementEnum(l, "agreement_kind", a.Kind), Status: agreementEnum(l, "agreement_status", a.Status),
		StatusValue: string(a.Status), Start: a.EffectiveOn.Time(), End: a.ExpiresOn.Time(),
		OpenEnd: agreementOpenEnd(l, a, false), RenewalMonths: a.RenewalMonths}
	switch {
	case a.RenewsUntilTerminated():
		b.End, b.Renews = a.TermEndOn(today).Time(), true
	case a.Status == licensing.AgreementTerminated:
		b.End = a.End().Time()
	}
	for _, d := range notices {
		b.Notices = append(b.Notices, d.Time())
	}
	return b
}

// timelineNotices are the notice deadlines within from … to of each
// agreement, by agreement id, as licensing works them out: notice_days
// before the end of its term, and for one that renews itself before the
// end of each term up to the one running today. Each agreement is worked
// out on its own: the deadlines list leaves out an amendment that restates
// its parent's term, but the amendment's bar still has that notice day.
func timelineNotices(list []*licensing.Agreement, from, to, today licensing.Date) map[int64][]licensing.Date {
	out := map[int64][]licensing.Date{}
	w := licensing.DeadlineWindow{From: from, To: to, Today: today, Kinds: []licensing.DeadlineKind{licensing.DeadlineNotice}}
	for _, a := range list {
		facts := &licensing.DeadlineFacts{Agreements: map[int64]*licensing.Agreement{a.ID: a}}
		for _, d := range licensing.Deadlines(facts, w) {
			if a.RenewsItself() && d.TermEndsOn.After(a.TermEndOn(today)) {
				continue // a term not yet begun
			}
			out[a.ID] = append(out[a.ID], d.Date)
		}
	}
	return out
}
