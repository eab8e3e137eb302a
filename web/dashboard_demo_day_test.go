package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// TestDemoDoneMeansOnALaterDay is the "Done means" on a day other
// than the issue's: the demo is started on Monday 2027-06-14, when the
// dates of 2026 have long passed. Its running HMD licence is placed from
// that day, so the head of licensing still sees, among what needs
// attention on the start page, the notice period ending in 45 days
// (2027-07-29) and the quarterly royalty report to Nokia due last
// (2027-04-30) overdue, and finds both in the calendar feed with a
// reminder.
func TestDemoDoneMeansOnALaterDay(t *testing.T) {
	app := newTestApp(t)
	monday := licensing.MustDate("2027-06-14")
	app.clock.Advance(time.Duration(daysBetween(app.today(), monday)) * 24 * time.Hour)
	if app.today() != monday || app.clock.Now().Weekday() != time.Monday {
		t.Fatalf("the clock stands at %s, want Monday %s", app.clock.Now(), monday)
	}
	app.loadDemo(t)
	hmd, err := app.db.AgreementByReference(context.Background(), "NOK-HMD-2016")
	if err != nil {
		t.Fatal(err)
	}
	hmdPage := "/agreements/" + strconv.FormatInt(hmd.ID, 10)
	u := app.addUser("head@example.com", auth.RoleEditor)
	b := app.browser()
	b.mustSignIn(u)

	doc := parseHTML(t, b.get("/"))
	var notice, report *dashboardRow
	reports := 0 // overdue: only the last one due
	rows := dashboardRows(doc)
	for i, r := range rows {
		switch {
		case r.kind == "notice" && strings.HasPrefix(r.title, "Notice deadline: NOK-HMD-2016"):
			notice = &rows[i]
		case r.kind == "obligation" && strings.Contains(r.title, "Quarterly royalty report") && r.overdue:
			report = &rows[i]
			reports++
		}
	}
	if notice == nil || reports != 1 {
		t.Fatalf("next deadlines %+v: want the HMD notice deadline and one overdue royalty report", rows)
	}
	if notice.when != "in 45 days" || notice.date != "2027-07-29" || notice.href != hmdPage {
		t.Errorf("notice deadline %+v: want in 45 days on 2027-07-29, linking to %s", *notice, hmdPage)
	}
	if report.when != "45 days overdue" || report.date != "2027-04-30" || report.href != hmdPage {
		t.Errorf("royalty report %+v: want due 2027-04-30, 45 days overdue, linking to %s", *report, hmdPage)
	}
	for _, id := range []string{"figure-notices", "figure-overdue"} {
		if testid(doc, id).Closest("li").Find(`[data-testid="figure-attention"]`).Length() != 1 {
			t.Errorf("%s is not marked as needing attention", id)
		}
	}
	if got := testid(doc, "demo-banner").Length(); got != 1 {
		t.Errorf("%d demo banners, want 1", got)
	}

	res := b.post("/deadlines/feeds", url.Values{"name": {"Outlook"}, "alarm_days": {"7"}})
	wantStatus(t, res, http.StatusOK)
	_, body := fetchFeed(t, testid(parseHTML(t, res), "new-feed-url").AttrOr("value", ""))
	found := map[string]bool{}
	for _, e := range parseICS(t, body).all("VEVENT") {
		summary := icalUnescape(e.prop("SUMMARY"))
		alarms := e.all("VALARM")
		weekAhead := len(alarms) > 0 && alarms[0].prop("TRIGGER") == "-P7D"
		switch {
		case e.prop("DTSTART;VALUE=DATE") == "20270729" && strings.HasPrefix(summary, "Notice deadline: NOK-HMD-2016 "):
			found["notice"] = weekAhead && len(alarms) == 1
		case e.prop("DTSTART;VALUE=DATE") == "20270430" && strings.HasPrefix(summary, "[Overdue] Report due: Quarterly royalty report"):
			// Overdue: besides the reminder a week ahead, one this morning.
			found["report"] = weekAhead && len(alarms) == 2 && alarms[1].prop("TRIGGER;VALUE=DATE-TIME") == "20270614T080000Z"
		}
	}
	if !found["notice"] || !found["report"] {
		t.Errorf("in the feed with a reminder: %v", found)
	}
}
