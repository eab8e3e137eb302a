package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// icalComponent is a parsed iCalendar component: its properties in order
// (name with parameters → values) and the components inside it.
type icalComponent struct {
	name  string
	props map[string][]string
	subs  []*icalComponent
}

func (c *icalComponent) prop(name string) string {
	if v := c.props[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c *icalComponent) all(name string) []*icalComponent {
	var out []*icalComponent
	for _, s := range c.subs {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

// parseICS reads an iCalendar object as a calendar program would, checking
// on the way what RFC 5545 demands of its lines: CRLF endings, at most 75
// octets a line, folds that split no UTF-8 sequence.
func parseICS(t *testing.T, body []byte) *icalComponent {
	t.Helper()
	if !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Fatal("the feed does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
	var lines []string
	for i, l := range physical {
		switch {
		case strings.ContainsAny(l, "\r\n"):
			t.Fatalf("line %d holds a bare CR or LF: %q", i+1, l)
		case len(l) > 75:
			t.Fatalf("line %d has %d octets: %q", i+1, len(l), l)
		case !utf8.ValidString(l):
			t.Fatalf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			if len(lines) == 0 {
				t.Fatal("the feed begins with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var stack []*icalComponent
	var root *icalComponent
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		switch name {
		case "BEGIN":
			c := &icalComponent{name: value, props: map[string][]string{}}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.subs = append(top.subs, c)
			} else if root == nil {
				root = c
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].name != value {
				t.Fatalf("END:%s does not close the open component", value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				t.Fatalf("property outside a component: %q", l)
			}
			top := stack[len(stack)-1]
			top.props[name] = append(top.props[name], value)
		}
	}
	if root == nil || root.name != "VCALENDAR" || len(stack) != 0 {
		t.Fatal("the feed is not one closed VCALENDAR")
	}
	return root
}

// icalUnescape reads a TEXT value back.
func icalUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fetchFeed gets a feed's URL without any credential.
func fetchFeed(t *testing.T, feedURL string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// newFeed creates a calendar feed through the API and returns its URL.
func newFeed(t *testing.T, api *apiClient, body any) apiCalendarFeed {
	t.Helper()
	var feed apiCalendarFeed
	api.in(t).call(http.MethodPost, "/api/v1/calendar-feeds", body, http.StatusCreated, &feed)
	return feed
}

func TestCalendarFeed(t *testing.T) {
	w := newDeadlineWorld(t)
	api := w.app.apiClient("legal@example.com", auth.RoleViewer)
	feed := newFeed(t, api, map[string]any{"name": "Outlook, work; desk"})
	res, body := fetchFeed(t, feed.URL)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	cal := parseICS(t, body)
	events := cal.all("VEVENT")
	// The feed's window: 90 days back, two years ahead; before it, every
	// occurrence still overdue.
	var want, before, window deadlineList
	api.get("/api/v1/deadlines?from=2016-08-23&to=2026-08-22&kind=obligation", http.StatusOK, &before)
	for _, d := range before.Items {
		if d.Status == "overdue" {
			want.Items = append(want.Items, d)
		}
	}
	if len(want.Items) == 0 {
		t.Fatal("the world has no overdue occurrence before the feed's window")
	}
	api.get("/api/v1/deadlines?from=2026-08-23&to=2028-11-21", http.StatusOK, &window)
	want.Items = append(want.Items, window.Items...)

	t.Run("Headers", func(t *testing.T) {
		if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
	})
	t.Run("Calendar", func(t *testing.T) {
		for name, value := range map[string]string{"VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH"} {
			if cal.prop(name) != value {
				t.Errorf("%s:%s, want %s", name, cal.prop(name), value)
			}
		}
		if cal.prop("PRODID") == "" {
			t.Error("no PRODID")
		}
		if got := icalUnescape(cal.prop("X-WR-CALNAME")); got != "PatentDesk: Outlook, work; desk" {
			t.Errorf("calendar name %q", got)
		}
	})
	t.Run("OneEventPerDeadline", func(t *testing.T) {
		if len(want.Items) < 8 || len(events) != len(want.Items) {
			t.Fatalf("%d events for %d deadlines", len(events), len(want.Items))
		}
		for i, d := range want.Items {
			e := events[i]
			if e.prop("DTSTART;VALUE=DATE") != strings.ReplaceAll(d.Date, "-", "") {
				t.Errorf("event %d starts %s, deadline %s", i, e.prop("DTSTART;VALUE=DATE"), d.Date)
			}
			summary := icalUnescape(e.prop("SUMMARY"))
			if summary != d.Title && !strings.HasSuffix(summary, "] "+d.Title) {
				t.Errorf("summary %q, want the title %q", summary, d.Title)
			}
		}
	})
	t.Run("EscapingRoundTrips", func(t *testing.T) {
		found := false
		for _, e := range events {
			summary := icalUnescape(e.prop("SUMMARY"))
			if strings.Contains(summary, reportTitle) && strings.Contains(summary, renewingTitle) {
				found = true
				if !strings.Contains(e.prop("SUMMARY"), `Bericht\; Q-Zahlen\, Überblick\nmit Anhang`) {
					t.Errorf("raw summary %q: want ; , and the line break escaped", e.prop("SUMMARY"))
				}
				if !strings.Contains(icalUnescape(e.prop("DESCRIPTION")), "Agreement: TECH-HMD-2025 "+renewingTitle) {
					t.Errorf("description %q", icalUnescape(e.prop("DESCRIPTION")))
				}
			}
		}
		if !found {
			t.Error("no event of the quarterly report")
		}
	})
	t.Run("AllDayEvents", func(t *testing.T) {
		for _, e := range events {
			start, err1 := time.Parse("20060102", e.prop("DTSTART;VALUE=DATE"))
			end, err2 := time.Parse("20060102", e.prop("DTEND;VALUE=DATE"))
			if err1 != nil || err2 != nil || !end.Equal(start.AddDate(0, 0, 1)) {
				t.Errorf("event %s: %s … %s", e.prop("UID"), e.prop("DTSTART;VALUE=DATE"), e.prop("DTEND;VALUE=DATE"))
			}
			if e.prop("DTSTAMP") != "20261121T090000Z" {
				t.Errorf("DTSTAMP %q", e.prop("DTSTAMP"))
			}
		}
	})
	t.Run("LinksBackToTheAgreement", func(t *testing.T) {
		link := w.app.http.URL + agreementPath(w.renewal)
		e := events[len(events)-1]
		if e.prop("URL") != link || !strings.Contains(icalUnescape(e.prop("DESCRIPTION")), link) {
			t.Errorf("URL %q, description %q; want %s", e.prop("URL"), e.prop("DESCRIPTION"), link)
		}
	})
	t.Run("StableUIDs", func(t *testing.T) {
		_, again := fetchFeed(t, feed.URL)
		var first, second []string
		for _, e := range events {
			first = append(first, e.prop("UID"))
		}
		for _, e := range parseICS(t, again).all("VEVENT") {
			second = append(second, e.prop("UID"))
		}
		if !slices.Equal(first, second) {
			t.Errorf("UIDs changed between fetches:\n%v\n%v", first, second)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(first)))) != len(first) {
			t.Errorf("UIDs repeat: %v", first)
		}
		if !slices.Contains(first, "notice-"+itoa(w.renewal.ID)+"-2026-12-31@patentdesk") {
			t.Errorf("UIDs %v: want the notice deadline's", first)
		}
	})
	t.Run("RemindersForDeadlinesToMeet", func(t *testing.T) {
		overdue := 0
		for i, e := range events {
			alarms := e.all("VALARM")
			d := want.Items[i]
			wantAlarms := map[string]int{"open": 1, "overdue": 2}[d.Status]
			if len(alarms) != wantAlarms {
				t.Errorf("%s (%s): %d alarms, want %d", e.prop("UID"), d.Status, len(alarms), wantAlarms)
				continue
			}
			if wantAlarms == 0 {
				continue
			}
			// The reminder a week ahead speaks of the deadline as it was
			// then: no "[Overdue]" in a reminder that fired before it was due.
			before := alarms[0]
			if before.prop("TRIGGER") != "-P7D" || before.prop("ACTION") != "DISPLAY" || icalUnescape(before.prop("DESCRIPTION")) != "In 7 days: "+d.Title {
				t.Errorf("%s: alarm %+v, want \"In 7 days: %s\"", e.prop("UID"), before.props, d.Title)
			}
			if d.Status != "overdue" {
				continue
			}
			// An overdue one reminds again on the day of the feed, at 08:00 UTC.
			overdue++
			again := alarms[1]
			if again.prop("TRIGGER;VALUE=DATE-TIME") != "20261121T080000Z" || again.prop("ACTION") != "DISPLAY" ||
				icalUnescape(again.prop("DESCRIPTION")) != "Overdue since "+d.Date+": "+d.Title {
				t.Errorf("%s: overdue alarm %+v", e.prop("UID"), again.props)
			}
		}
		if overdue == 0 {
			t.Error("no overdue occurrence in the feed")
		}
	})
	t.Run("DoneAndWaivedMarked", func(t *testing.T) {
		var marks []string
		for _, e := range events {
			if s := icalUnescape(e.prop("SUMMARY")); strings.HasPrefix(s, "[") {
				if mark := s[:strings.Index(s, "]")+1] + " " + e.prop("STATUS"); mark != "[Overdue] CONFIRMED" && mark != "[If renewed] CONFIRMED" {
					marks = append(marks, mark)
				}
			}
		}
		if !slices.Equal(marks, []string{"[Done] CONFIRMED"}) {
			t.Errorf("marked events %v", marks)
		}
	})
	t.Run("LastUsedAtMostOnceAMinute", func(t *testing.T) {
		lastUsed := func() time.Time {
			feeds, err := w.app.db.CalendarFeeds(context.Background(), mustUserID(t, w.app, "legal@example.com"))
			if err != nil || len(feeds) != 1 || feeds[0].LastUsedAt == nil {
				t.Fatalf("feeds %v %+v", err, feeds)
			}
			return *feeds[0].LastUsedAt
		}
		first := lastUsed()
		w.app.clock.Advance(30 * time.Second)
		fetchFeed(t, feed.URL)
		if !lastUsed().Equal(first) {
			t.Error("recorded again within a minute")
		}
		w.app.clock.Advance(time.Minute)
		fetchFeed(t, feed.URL)
		if !lastUsed().After(first) {
			t.Error("not recorded after a minute")
		}
	})
}

func TestCalendarFeedInTheOwnersLanguage(t *testing.T) {
	w := newDeadlineWorld(t)
	api := w.app.apiClient("recht@example.com", auth.RoleViewer)
	u, err := w.app.db.UserByEmail(context.Background(), "recht@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.app.db.SetLocale(context.Background(), sqlite.SystemActor(), u.ID, "de"); err != nil {
		t.Fatal(err)
	}
	feed := newFeed(t, api, map[string]any{"alarm_days": 0})
	_, body := fetchFeed(t, feed.URL)
	events := parseICS(t, body).all("VEVENT")
	var summaries []string
	for _, e := range events {
		summaries = append(summaries, icalUnescape(e.prop("SUMMARY")))
		if len(e.all("VALARM")) != 0 {
			t.Errorf("%s: a reminder although the feed asks for none", e.prop("UID"))
		}
	}
	for _, want := range []string{"Letzter Kündigungstag: TECH-HMD-2025 " + renewingTitle, "Automatische Verlängerung: TECH-HMD-2025 " + renewingTitle,
		"[Erledigt] Bericht fällig: " + reportTitle + " (TECH-HMD-2025 " + renewingTitle + ")"} {
		if !slices.Contains(summaries, want) {
			t.Errorf("no event %q among\n  %s", want, strings.Join(summaries, "\n  "))
		}
	}
	for _, e := range events {
		if strings.HasPrefix(icalUnescape(e.prop("SUMMARY")), "Zahlung") {
			if d := icalUnescape(e.prop("DESCRIPTION")); !strings.Contains(d, "Betrag: 250.000,00 EUR") || !strings.Contains(d, "Zahlungspflichtig: HMD Global Oy") {
				t.Errorf("description %q: want the amount and payer in German", d)
			}
		}
	}
}

func TestCalendarFeedSecrecy(t *testing.T) {
	w := newDeadlineWorld(t)
	api := w.app.apiClient("legal@example.com", auth.RoleViewer)
	feed := newFeed(t, api, nil)
	secret := strings.TrimSuffix(feed.URL[strings.LastIndex(feed.URL, "/")+1:], ".ics")
	notFound := func(t *testing.T, path string) {
		t.Helper()
		res, body := fetchFeed(t, w.app.http.URL+path)
		if res.StatusCode != http.StatusNotFound || strings.Contains(string(body), "BEGIN:VCALENDAR") {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
	}
	t.Run("URLIsAbsolute", func(t *testing.T) {
		if !strings.HasPrefix(feed.URL, w.app.http.URL+"/calendar/"+auth.FeedPrefix) || !strings.HasSuffix(feed.URL, ".ics") {
			t.Fatalf("url %q", feed.URL)
		}
	})
	t.Run("UnknownSecret", func(t *testing.T) { notFound(t, "/calendar/"+auth.FeedPrefix+"nothing.ics") })
	t.Run("WithoutTheSuffix", func(t *testing.T) { notFound(t, "/calendar/"+secret) })
	t.Run("ATokenIsNoFeed", func(t *testing.T) { notFound(t, "/calendar/"+api.token+".ics") })
	t.Run("TheSecretOpensNothingElse", func(t *testing.T) {
		asToken := &apiClient{t: t, app: w.app, token: secret}
		asToken.wantError(http.MethodGet, "/api/v1/deadlines", nil, http.StatusUnauthorized, "unauthorized")
		res, _ := fetchFeed(t, w.app.http.URL+"/agreements?secret="+secret)
		if res.Request.URL.Path != "/login" {
			t.Errorf("a page opened with the feed's secret: %s", res.Request.URL)
		}
	})
	t.Run("RevokedFeed", func(t *testing.T) {
		revokeFeed(t, api, feed.ID)
		notFound(t, "/calendar/"+secret+".ics")
	})
	t.Run("DisabledUser", func(t *testing.T) {
		other := newFeed(t, api, nil)
		u, err := w.app.db.UserByEmail(context.Background(), "legal@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.app.db.SetUserDisabled(context.Background(), sqlite.SystemActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		notFound(t, other.URL[len(w.app.http.URL):])
	})
}

// TestCalendarFeedFailureLogsNoSecret: a feed that cannot be read is a
// 500 whose log line names the error but not the link, which is the
// feed's only credential.
func TestCalendarFeedFailureLogsNoSecret(t *testing.T) {
	var logs syncBuffer
	app := newTestApp(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	feed := newFeed(t, app.apiClient("legal@example.com", auth.RoleViewer), nil)
	secret := strings.TrimSuffix(feed.URL[strings.LastIndex(feed.URL, "/")+1:], calendarSuffix)
	if err := app.db.Close(); err != nil {
		t.Fatal(err)
	}
	if res, _ := fetchFeed(t, feed.URL); res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.StatusCode)
	}
	out := logs.String()
	for deadline := time.Now().Add(2 * time.Second); strings.Count(out, "msg=request") < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		out = logs.String()
	}
	if !strings.Contains(out, `msg="internal error"`) || strings.Contains(out, secret) {
		t.Errorf("log without the error, or with the feed's secret:\n%s", out)
	}
}

func TestICalWriter(t *testing.T) {
	cases := []struct {
		name, value string
	}{
		{"ASCII", strings.Repeat("abcdefghij", 30)},
		{"TwoOctetRunes", strings.Repeat("ä", 120)},
		{"ThreeOctetRunes", "x" + strings.Repeat("€", 90)},
		{"FourOctetRunes", "xy" + strings.Repeat("𝄞", 70)},
		{"Escapes", "a\\b; c, d\nnew line\r\nand another; " + strings.Repeat("Straße, ", 20)},
		{"ControlCharacters", "bell\a and nul\x00 and tab\t"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var w icalWriter
			w.raw("BEGIN", "VCALENDAR")
			w.text("SUMMARY", tc.value)
			w.raw("END", "VCALENDAR")
			got := icalUnescape(parseICS(t, w.b.Bytes()).prop("SUMMARY"))
			want := strings.NewReplacer("\r\n", "\n", "\a", " ", "\x00", " ").Replace(tc.value)
			if got != want {
				t.Errorf("round trip\n got %q\nwant %q", got, want)
			}
		})
	}
}

// revokeFeed deletes a feed through the API: 204 with no body.
func revokeFeed(t *testing.T, api *apiClient, id int64) {
	t.Helper()
	api.in(t).call(http.MethodDelete, "/api/v1/calendar-feeds/"+itoa(id), nil, http.StatusNoContent, nil)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustUserID(t *testing.T, app *testApp, email string) int64 {
	t.Helper()
	u, err := app.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestCalendarFeedUnderTheBaseURL: behind a proxy the address a request
// arrives at is not the one a calendar program can reach; with serve
// --base-url the feed's link, shown once at creation, and the links back
// inside the feed use the configured public URL.
func TestCalendarFeedUnderTheBaseURL(t *testing.T) {
	const base = "https://patents.example.com"
	app := newTestApp(t, func(c *Config) { c.BaseURL = base + "/" })
	b := app.browser()
	b.mustSignIn(app.addUser("legal@example.com", auth.RoleViewer))
	res := b.post("/deadlines/feeds", url.Values{"name": {"Outlook"}, "alarm_days": {"7"}})
	wantStatus(t, res, http.StatusOK)
	link := testid(parseHTML(t, res), "new-feed-url").AttrOr("value", "")
	if !strings.HasPrefix(link, base+"/calendar/"+auth.FeedPrefix) {
		t.Fatalf("feed link %q, want it under %s", link, base)
	}
	api := newFeed(t, app.apiClient("api@example.com", auth.RoleViewer), nil)
	if !strings.HasPrefix(api.URL, base+"/calendar/") {
		t.Errorf("feed link from the API %q, want it under %s", api.URL, base)
	}
	// The calendar program fetches it where the server really listens.
	a := &licensing.Agreement{Reference: "NOK-SIG-2014", Title: "Lighting patent licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, EffectiveOn: licensing.MustDate("2014-01-01"), ExpiresOn: licensing.MustDate("2027-06-30")}
	if err := app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), a); err != nil {
		t.Fatal(err)
	}
	_, body := fetchFeed(t, app.http.URL+strings.TrimPrefix(link, base))
	events := parseICS(t, body).all("VEVENT")
	if len(events) == 0 {
		t.Fatal("no event in the feed")
	}
	for _, e := range events {
		want := base + "/agreements/" + itoa(a.ID)
		if e.prop("URL") != want || !strings.Contains(icalUnescape(e.prop("DESCRIPTION")), want) {
			t.Errorf("URL %q, description %q; want %s", e.prop("URL"), e.prop("DESCRIPTION"), want)
		}
	}
}

// TestCalendarFeedWaivedOccurrence: an occurrence waived within the feed's
// window stays in the calendar, marked [Waived] and cancelled, with no
// reminder: nothing is to be done.
func TestCalendarFeedWaivedOccurrence(t *testing.T) {
	w := newDeadlineWorld(t)
	if err := w.app.db.MarkOccurrence(context.Background(), sqlite.SystemActor(), w.report.ID, licensing.MustDate("2026-12-31"),
		licensing.ObligationWaived, licensing.MustDate("2026-11-20")); err != nil {
		t.Fatal(err)
	}
	feed := newFeed(t, w.app.apiClient("legal@example.com", auth.RoleViewer), nil)
	_, body := fetchFeed(t, feed.URL)
	var waived []*icalComponent
	for _, e := range parseICS(t, body).all("VEVENT") {
		if e.prop("UID") == "obligation-"+itoa(w.report.ID)+"-2026-12-31@patentdesk" {
			waived = append(waived, e)
		}
	}
	if len(waived) != 1 {
		t.Fatalf("%d events of the waived report", len(waived))
	}
	e := waived[0]
	summary := icalUnescape(e.prop("SUMMARY"))
	if e.prop("STATUS") != "CANCELLED" || !strings.HasPrefix(summary, "[Waived] Report due: "+reportTitle) || len(e.all("VALARM")) != 0 {
		t.Errorf("status %s, summary %q, %d alarms; want CANCELLED, [Waived], none", e.prop("STATUS"), summary, len(e.all("VALARM")))
	}
	if d := icalUnescape(e.prop("DESCRIPTION")); !strings.Contains(d, "Status: Waived") {
		t.Errorf("description %q", d)
	}
}
