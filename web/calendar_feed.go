package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The calendar feed: a user's deadlines as an iCalendar (RFC 5545)
// subscription, reached by a secret link that opens nothing else. It
// holds the deadlines from calendarDaysBack days ago to calendarYearsAhead
// years ahead, and every occurrence still overdue however old, in the
// language of the feed's owner. The patents of portfolio grants are left
// out: a portfolio can take in thousands, too many for a calendar; the
// deadlines page lists them.

// calendarSuffix ends every feed link, for calendar programs that go by it.
const calendarSuffix = ".ics"

// The feed's window around today.
const (
	calendarDaysBack   = 90
	calendarYearsAhead = 2
)

// calendarFeed answers GET /calendar/<secret>.ics. An unknown or revoked
// secret, or one of a disabled user, is a plain 404, the same as for any
// unknown address. A failure is logged and answered here: handleError
// would log the path, and the path is the secret.
func (s *Server) calendarFeed(c echo.Context) error {
	secret, ok := strings.CutSuffix(c.Param("secret"), calendarSuffix)
	if !ok || !strings.HasPrefix(secret, auth.FeedPrefix) {
		return echo.ErrNotFound
	}
	body, err := s.renderFeed(c, secret)
	if errors.Is(err, sqlite.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		s.log.Error("internal error", "method", c.Request().Method, "path", loggedPath(c.Request().URL.Path), "err", err)
		return c.String(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError))
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
}

// renderFeed finds the feed of a secret, records its use and renders its
// deadlines; ErrNotFound when the secret opens no feed.
func (s *Server) renderFeed(c echo.Context, secret string) ([]byte, error) {
	ctx := c.Request().Context()
	u, feed, err := s.db.CalendarFeedBySecret(ctx, secret)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if feed.LastUsedAt == nil || now.Sub(*feed.LastUsedAt) >= tokenTouchInterval {
		if err := s.db.TouchCalendarFeed(ctx, feed.ID, now); err != nil {
			s.log.Warn("record calendar feed use", "feed", feed.ID, "err", err) // bookkeeping, as for tokens
		}
	}
	today := licensing.DateOf(now)
	list, err := s.db.Deadlines(ctx, sqlite.DeadlineFilter{From: today.AddDays(-calendarDaysBack),
		To: today.AddYears(calendarYearsAhead), Today: today, Overdue: true})
	if err != nil {
		return nil, err
	}
	cal := &deadlineCalendar{l: i18n.For(u.Locale), feed: feed, stamp: now, today: today, site: s.absoluteURL(c, "")}
	return cal.render(list), nil
}

// deadlineCalendar renders deadlines as one VCALENDAR.
type deadlineCalendar struct {
	l     *i18n.Locale
	feed  *sqlite.CalendarFeed
	stamp time.Time      // when the feed was made: every event's DTSTAMP
	today licensing.Date // the feed's day, as TZ sets it: what is overdue, when the overdue remind
	site  string         // scheme and host, for links back
}

func (cal *deadlineCalendar) render(list []licensing.Deadline) []byte {
	var w icalWriter
	w.raw("BEGIN", "VCALENDAR")
	w.raw("VERSION", "2.0")
	w.raw("PRODID", "-//PatentDesk//Deadlines//EN")
	w.raw("CALSCALE", "GREGORIAN")
	w.raw("METHOD", "PUBLISH")
	w.text("X-WR-CALNAME", cal.l.T("calendar.name", cal.feed.Name))
	w.text("X-WR-CALDESC", cal.l.T("calendar.description"))
	w.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
	w.raw("X-PUBLISHED-TTL", "PT1H")
	for _, d := range list {
		cal.event(&w, d)
	}
	w.raw("END", "VCALENDAR")
	return w.b.Bytes()
}

// event writes one deadline as an all-day VEVENT, with a reminder
// alarm_days before it while it is still to be met: open, or overdue (the
// reminder a calendar showed before it fell due stays with it, and an
// overdue one gets a second that fires on the day of the feed).
func (cal *deadlineCalendar) event(w *icalWriter, d licensing.Deadline) {
	l := cal.l
	title := deadlineTitle(l, d)
	summary := title
	switch d.Status {
	case licensing.DeadlineOverdue, licensing.DeadlineDone, licensing.DeadlineWaived:
		summary = l.T("calendar.marked", l.T("calendar.status."+string(d.Status)), summary)
	case licensing.DeadlineOpen:
		if d.IfRenewed(cal.today) {
			summary = l.T("calendar.marked", l.T("calendar.if_renewed"), summary)
		}
	}
	link := cal.site + "/agreements/" + strconv.FormatInt(d.Agreement.ID, 10)
	w.raw("BEGIN", "VEVENT")
	w.raw("UID", deadlineUID(d))
	w.raw("DTSTAMP", cal.stamp.UTC().Format(icalUTC))
	w.raw("DTSTART;VALUE=DATE", icalDate(d.Date))
	w.raw("DTEND;VALUE=DATE", icalDate(d.Date.AddDays(1)))
	w.text("SUMMARY", summary)
	w.text("DESCRIPTION", strings.Join(append(cal.details(d), l.T("calendar.detail.link", link)), "\n"))
	w.raw("URL", link)
	status := "CONFIRMED"
	if d.Status == licensing.DeadlineWaived {
		status = "CANCELLED"
	}
	w.raw("STATUS", status)
	w.raw("TRANSP", "TRANSPARENT")
	if cal.feed.AlarmDays > 0 && (d.Status == licensing.DeadlineOpen || d.Status == licensing.DeadlineOverdue) {
		// The reminder speaks of the item as it was when it fired, before
		// it fell due: without the status marker.
		w.raw("BEGIN", "VALARM")
		w.raw("ACTION", "DISPLAY")
		w.raw("TRIGGER", fmt.Sprintf("-P%dD", cal.feed.AlarmDays))
		w.text("DESCRIPTION", l.T("calendar.alarm", l.T("calendar.alarm.in", cal.feed.AlarmDays), title))
		w.raw("END", "VALARM")
	}
	if cal.feed.AlarmDays > 0 && d.Status == licensing.DeadlineOverdue {
		cal.overdueAlarm(w, d, title)
	}
	w.raw("END", "VEVENT")
}

// icalUTC is an RFC 5545 DATE-TIME in UTC ("form #2").
const icalUTC = "20060102T150405Z"

// overdueAlarmHour is the hour (UTC) of the feed's day at which an overdue
// occurrence reminds again.
const overdueAlarmHour = 8

// overdueAlarm writes the reminder of an occurrence still overdue: one at
// a fixed time of the day the feed is fetched (an absolute trigger, which
// RFC 5545 §3.8.6.3 wants in UTC), so that each refresh of the
// subscription reminds again until the occurrence is marked done. The
// reminder before its due date fired long ago and does not fire again.
func (cal *deadlineCalendar) overdueAlarm(w *icalWriter, d licensing.Deadline, title string) {
	l := cal.l
	at := cal.today.Time().Add(overdueAlarmHour * time.Hour) // the feed's day, as TZ sets today
	w.raw("BEGIN", "VALARM")
	w.raw("ACTION", "DISPLAY")
	w.raw("TRIGGER;VALUE=DATE-TIME", at.Format(icalUTC))
	w.text("DESCRIPTION", l.T("calendar.alarm.overdue", l.Date(d.Date.Time()), title))
	w.raw("END", "VALARM")
}

// details are the lines of an event's description: what falls due, the
// agreement, and where the deadline stands.
func (cal *deadlineCalendar) details(d licensing.Deadline) []string {
	l, a := cal.l, d.Agreement
	var lines []string
	switch d.Kind {
	case licensing.DeadlineExpiry:
		switch {
		case a.Status == licensing.AgreementTerminated:
			lines = append(lines, l.T("calendar.detail.expiry_terminated"))
		case a.RenewsItself():
			lines = append(lines, l.T("calendar.detail.expiry_term", a.RenewalMonths))
		default:
			lines = append(lines, l.T("calendar.detail.expiry"))
		}
	case licensing.DeadlineNotice:
		lines = append(lines, l.T("calendar.detail.notice", l.T("calendar.detail.notice_days", a.NoticeDays), l.Date(d.TermEndsOn.Time())))
	case licensing.DeadlineRenewal:
		lines = append(lines, l.T("calendar.detail.renewal", l.Date(d.TermEndsOn.Time())))
	case licensing.DeadlinePatentExpiry:
		lines = append(lines, l.T("calendar.detail.patent_expiry", d.Patent))
	case licensing.DeadlineObligation:
		o := d.Obligation
		lines = append(lines, l.T("calendar.detail.obligation", o.Title, agreementEnum(l, "obligation_kind", o.Kind)))
		if !o.Amount.IsZero() {
			lines = append(lines, l.T("calendar.detail.amount", agreementAmount(l, o.Amount, o.Currency)))
		}
		if o.Payer != "" {
			lines = append(lines, l.T("calendar.detail.payer", o.Payer))
		}
		if o.Payee != "" {
			lines = append(lines, l.T("calendar.detail.payee", o.Payee))
		}
	}
	if d.IfRenewed(cal.today) {
		lines = append(lines, l.T("calendar.detail.if_renewed", l.Date(a.TermEndOn(cal.today).Time())))
	}
	return append(lines, l.T("calendar.detail.agreement", a.Reference, a.Title),
		l.T("calendar.detail.status", l.T("calendar.status."+string(d.Status))))
}

// deadlineUID names a deadline the same way on every fetch, so that a
// calendar updates its entry rather than adding another: the kind, the
// ids of what falls due and the date, e.g. notice-12-2027-06-03@patentdesk.
func deadlineUID(d licensing.Deadline) string {
	ids := strconv.FormatInt(d.Agreement.ID, 10)
	switch {
	case d.Obligation != nil:
		ids = strconv.FormatInt(d.Obligation.ID, 10)
	case d.PatentID != 0:
		ids += "-" + strconv.FormatInt(d.PatentID, 10)
	}
	return strings.ReplaceAll(string(d.Kind), "_", "-") + "-" + ids + "-" + d.Date.String() + "@patentdesk"
}

// icalDate writes a date as an iCalendar DATE value: 20270603.
func icalDate(d licensing.Date) string { return d.Time().Format("20060102") }

// icalWriter writes the content lines of an iCalendar object: CRLF line
// ends, and lines longer than 75 octets folded onto continuation lines
// that begin with a space, never inside a UTF-8 sequence.
type icalWriter struct{ b bytes.Buffer }

// raw writes a property whose value needs no escaping (dates, codes, URIs).
func (w *icalWriter) raw(name, value string) {
	line := name + ":" + value
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.b.WriteString(line[:cut])
		w.b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the space that begins a continuation line counts
	}
	w.b.WriteString(line)
	w.b.WriteString("\r\n")
}

// text writes a property of value type TEXT, escaped.
func (w *icalWriter) text(name, value string) { w.raw(name, icalText(value)) }

// icalText escapes a TEXT value: backslash, semicolon and comma with a
// backslash, line breaks as \n; other control characters, which TEXT may
// not hold, become spaces.
func icalText(s string) string {
	var b strings.Builder
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t', r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
