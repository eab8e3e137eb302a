package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// apiDeadlineRoutes registers the deadlines and the calendar feeds. A feed
// is personal, like a token: a viewer may subscribe to the deadlines it may
// read, so creating, listing and revoking one takes only a reading token.
// The feed itself is public: its secret link is its only credential.
func (s *Server) apiDeadlineRoutes(e *echo.Echo, read, write, public echo.MiddlewareFunc) {
	e.GET(apiPrefix+"/deadlines", s.apiDeadlines, read)
	e.POST(apiPrefix+"/calendar-feeds", s.apiCreateCalendarFeed, read)
	e.GET(apiPrefix+"/calendar-feeds", s.apiCalendarFeeds, read)
	e.DELETE(apiPrefix+"/calendar-feeds/:id", s.apiRevokeCalendarFeed, read)
	e.GET("/calendar/:secret", s.calendarFeed, public)
	e.HEAD("/calendar/:secret", s.calendarFeed, public) // some calendar clients look before they fetch
}

// Deadlines are asked about for at most maxDeadlineYears at once: enough
// for any plan, and a bound on the answer.
const maxDeadlineYears = 10

// apiDeadline is one deadline as the API answers it. Every deadline arises
// from an agreement; the patent and obligation fields appear with the
// kinds they belong to.
type apiDeadline struct {
	Date           string  `json:"date"`
	Kind           string  `json:"kind"`
	Agreement      string  `json:"agreement"`
	AgreementID    int64   `json:"agreement_id"`
	AgreementTitle string  `json:"agreement_title"`
	Patent         string  `json:"patent,omitempty"`
	PatentID       int64   `json:"patent_id,omitempty"`
	ObligationID   int64   `json:"obligation_id,omitempty"`
	Obligation     string  `json:"obligation,omitempty"`
	Amount         string  `json:"amount,omitempty"`
	Currency       string  `json:"currency,omitempty"`
	TermEndsOn     *string `json:"term_ends_on,omitempty"`
	Title          string  `json:"title"`
	Status         string  `json:"status"`
}

// newAPIDeadline converts a deadline for the API, its title in English.
func newAPIDeadline(d licensing.Deadline) apiDeadline {
	a := d.Agreement
	out := apiDeadline{Date: d.Date.String(), Kind: string(d.Kind), Agreement: a.Reference, AgreementID: a.ID,
		AgreementTitle: a.Title, Patent: d.Patent, PatentID: d.PatentID, TermEndsOn: jsonDate(d.TermEndsOn),
		Title: deadlineTitle(i18n.For("en"), d), Status: string(d.Status)}
	if o := d.Obligation; o != nil {
		out.ObligationID, out.Obligation, out.Amount, out.Currency = o.ID, o.Title, o.Amount.String(), o.Currency
	}
	return out
}

// apiDeadlines answers GET /api/v1/deadlines: the deadlines from … to
// (today and a year later unless given), of one kind or all, of the
// agreements to which a company — with its corporate group on each
// deadline's day, unless affiliates=false — is a party, or of all; of one
// agreement (by id or reference) and in one status, if asked.
func (s *Server) apiDeadlines(c echo.Context) error {
	f, err := s.apiDeadlineFilter(c)
	if err != nil {
		return err
	}
	list, err := s.db.Deadlines(c.Request().Context(), f)
	if err != nil {
		return err
	}
	items := make([]apiDeadline, len(list))
	for i, d := range list {
		items[i] = newAPIDeadline(d)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiDeadlineFilter reads the query of GET /api/v1/deadlines, with a
// message for each parameter at fault.
func (s *Server) apiDeadlineFilter(c echo.Context) (sqlite.DeadlineFilter, error) {
	if err := rejectUnknownParams(c, "from", "to", "company", "kind", "affiliates", "agreement", "status"); err != nil {
		return sqlite.DeadlineFilter{}, err
	}
	errs := map[string]string{}
	today := s.apiToday()
	f := sqlite.DeadlineFilter{From: queryDate(c, errs, "from"), To: queryDate(c, errs, "to"), Today: today, Affiliates: true}
	if f.From.IsZero() {
		f.From = today
	}
	if f.To.IsZero() {
		f.To = today.AddDays(deadlineDefaultDays)
	}
	if errs["from"] == "" && errs["to"] == "" {
		switch checkDeadlinePeriod(f.From, f.To) {
		case periodBackwards:
			errs["to"] = fmt.Sprintf("%s lies before the start of the period, %s; without a to, the period ends a year after today", f.To, f.From)
		case periodTooLong:
			errs["to"] = fmt.Sprintf("ask for at most %d years at a time", maxDeadlineYears)
		}
	}
	if v := c.QueryParam("kind"); v != "" {
		k, ok := parseDeadlineKind(v)
		if !ok {
			errs["kind"] = fmt.Sprintf("%q is not a kind of deadline: use %s", v, deadlineKindList())
		}
		f.Kind = &k
	}
	if ref := c.QueryParam("company"); ref != "" {
		if co := s.apiCompany(c, errs, "company", ref); co != nil {
			f.Company = co.ID
		}
	}
	if b := apiQueryBool(c, errs, "affiliates"); b != nil {
		f.Affiliates = *b
	}
	if ref := c.QueryParam("agreement"); ref != "" {
		a, err := s.agreementByRef(c.Request().Context(), ref)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			errs["agreement"] = fmt.Sprintf("no agreement has the id or reference %q", ref)
		case err != nil:
			return f, err
		default:
			f.Agreement = a.ID
		}
	}
	if v := c.QueryParam("status"); v != "" {
		st, ok := deadlineStatuses[v]
		if !ok {
			errs["status"] = fmt.Sprintf("%q is not a status of deadlines: use %s (done takes in waived)", v,
				strings.Join(deadlineStatusOrder[:len(deadlineStatusOrder)-1], ", ")+" or "+deadlineStatusOrder[len(deadlineStatusOrder)-1])
		}
		f.Statuses = st
		// Overdue without a start: every one still open, however old, as
		// the deadlines page lists them.
		f.Overdue = v == "overdue" && c.QueryParam("from") == ""
	}
	return f, fieldErrors("the deadlines cannot be listed with these parameters", errs)
}

// deadlineKindList names the kinds for a message: "expiry, notice, … or
// patent_expiry".
func deadlineKindList() string {
	words := make([]string, len(licensing.DeadlineKinds))
	for i, k := range licensing.DeadlineKinds {
		words[i] = string(k)
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// deadlineTitle is a deadline in one sentence naming the agreement and
// what falls due: "Notice deadline: NOK-HMD-2016 Brand and patent
// licence". The API gives it in English, the calendar feed in its owner's
// language.
func deadlineTitle(l *i18n.Locale, d licensing.Deadline) string {
	a := d.Agreement
	switch d.Kind {
	case licensing.DeadlineExpiry:
		switch {
		case a.Status == licensing.AgreementTerminated:
			return l.T("calendar.title.expiry_terminated", a.Reference, a.Title)
		case a.RenewsItself():
			return l.T("calendar.title.expiry_term", a.Reference, a.Title)
		}
		return l.T("calendar.title.expiry", a.Reference, a.Title)
	case licensing.DeadlineNotice:
		return l.T("calendar.title.notice", a.Reference, a.Title)
	case licensing.DeadlineRenewal:
		return l.T("calendar.title.renewal", a.Reference, a.Title)
	case licensing.DeadlineObligation:
		return l.T("calendar.title.obligation", agreementEnum(l, "obligation_kind", d.Obligation.Kind), d.Obligation.Title, a.Reference, a.Title)
	case licensing.DeadlinePatentExpiry:
		return l.T("calendar.title.patent_expiry", d.Patent, a.Reference, a.Title)
	}
	return string(d.Kind) + ": " + a.Reference
}

// defaultAlarmDays is how many days before a deadline a new feed reminds,
// unless asked otherwise.
const defaultAlarmDays = 7

// calendarFeedRequest is the body of POST /api/v1/calendar-feeds; both
// fields may be left out (and so may the body).
type calendarFeedRequest struct {
	Name      *string `json:"name"`
	AlarmDays *int    `json:"alarm_days"`
}

// apiCalendarFeed is a calendar feed as the API answers it. The URL, which
// carries the secret, is given once, in the answer to its creation.
type apiCalendarFeed struct {
	ID         int64   `json:"id"`
	URL        string  `json:"url,omitempty"`
	Name       string  `json:"name"`
	AlarmDays  int     `json:"alarm_days"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
}

func newAPICalendarFeed(f *sqlite.CalendarFeed) apiCalendarFeed {
	return apiCalendarFeed{ID: f.ID, Name: f.Name, AlarmDays: f.AlarmDays, CreatedAt: apiTime(&f.CreatedAt),
		LastUsedAt: apiTimePtr(f.LastUsedAt), RevokedAt: apiTimePtr(f.RevokedAt)}
}

// apiTime writes a moment as RFC 3339 in UTC.
func apiTime(t *time.Time) string { return t.UTC().Format(time.RFC3339) }

func apiTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := apiTime(t)
	return &s
}

// apiCreateCalendarFeed answers POST /api/v1/calendar-feeds: a new secret
// feed of the caller's deadlines, with its URL, shown this once.
func (s *Server) apiCreateCalendarFeed(c echo.Context) error {
	var req calendarFeedRequest
	if r := c.Request(); r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	name, alarm := "Deadlines", defaultAlarmDays
	if req.Name != nil && strings.TrimSpace(*req.Name) != "" {
		name = *req.Name
	}
	if req.AlarmDays != nil {
		alarm = *req.AlarmDays // the store checks it
	}
	secret, feed, err := s.db.CreateCalendarFeed(c.Request().Context(), s.actor(c), currentUser(c).ID, name, alarm)
	if err != nil {
		return err
	}
	out := newAPICalendarFeed(feed)
	out.URL = s.absoluteURL(c, "/calendar/"+secret+calendarSuffix)
	return c.JSON(http.StatusCreated, out)
}

// apiCalendarFeeds answers GET /api/v1/calendar-feeds: the caller's own
// feeds, live ones first, without their secrets.
func (s *Server) apiCalendarFeeds(c echo.Context) error {
	if err := rejectUnknownParams(c); err != nil {
		return err
	}
	feeds, err := s.db.CalendarFeeds(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	items := make([]apiCalendarFeed, len(feeds))
	for i, f := range feeds {
		items[i] = newAPICalendarFeed(f)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiRevokeCalendarFeed answers DELETE /api/v1/calendar-feeds/{id}: the
// caller's feed stops at once. Another user's feed, or one already
// revoked, is not found.
func (s *Server) apiRevokeCalendarFeed(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err == nil {
		err = s.db.RevokeCalendarFeed(c.Request().Context(), s.actor(c), currentUser(c).ID, id)
	}
	if err != nil && (errors.Is(err, sqlite.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
		return licensing.Errorf(licensing.NotFound, "you have no live calendar feed with the id %q", c.Param("id"))
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
