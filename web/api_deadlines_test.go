package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// deadlineWorld adds to the agreement world (the clock at 2026-11-21) a
// licence from Nokia Technologies to HMD that renews itself every year,
// with a notice period, a quarterly report, a one-off payment and a listed
// patent that expires next year. Its title and the report's carry the
// characters an iCalendar writer must escape, and umlauts.
type deadlineWorld struct {
	*agreementWorld
	ep      *licensing.Patent
	renewal *licensing.Agreement
	report  *licensing.Obligation
	payment *licensing.Obligation
}

const (
	refRenewing   = "TECH-HMD-2025"
	renewingTitle = "Lizenz, Wartung; Übergabe — Straße"
	reportTitle   = "Bericht; Q-Zahlen, Überblick\nmit Anhang: Prüfungsergebnis für Straßenbahnen, Größenordnung äöü ÄÖÜ ß"
)

func newDeadlineWorld(t *testing.T) *deadlineWorld {
	t.Helper()
	ctx := context.Background()
	w := &deadlineWorld{agreementWorld: newAgreementWorld(t)}
	d := licensing.MustDate
	w.ep = w.patent(&licensing.Patent{Number: "EP 3 100 511 B1", Title: "Power headroom reporting", FiledOn: d("2007-05-31"),
		GrantedOn: d("2012-02-01"), Status: licensing.StatusGranted, OriginalOwnerID: w.tech.ID})
	w.renewal = w.agreement(&licensing.Agreement{Reference: refRenewing, Title: renewingTitle, Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2024-12-01"), EffectiveOn: d("2025-01-01"), ExpiresOn: d("2027-03-31"),
		RenewalMonths: 12, NoticeDays: 90,
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleLicensor}, {CompanyID: w.hmd.ID, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{{LicensorID: w.tech.ID, LicenseeID: w.hmd.ID, Exclusivity: licensing.NonExclusive,
			Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP3100511B1"}}}}},
		Obligations: []licensing.Obligation{
			{Kind: licensing.ObligationReport, Title: reportTitle, DueOn: d("2025-03-31"), Recurrence: licensing.Quarterly},
			{Kind: licensing.ObligationPayment, Title: "Signing fee", DueOn: d("2026-12-15"), Amount: licensing.MustAmount("250000.00"),
				Currency: "EUR", PayerID: w.hmd.ID, PayeeID: w.tech.ID},
		}})
	w.report, w.payment = &w.renewal.Obligations[0], &w.renewal.Obligations[1]
	if err := w.app.db.MarkOccurrence(ctx, sqlite.SystemActor(), w.report.ID, d("2026-09-30"), licensing.ObligationDone, d("2026-10-02")); err != nil {
		t.Fatal(err)
	}
	if err := w.app.db.MarkOccurrence(ctx, sqlite.SystemActor(), w.report.ID, d("2026-03-31"), licensing.ObligationWaived, d("2026-04-02")); err != nil {
		t.Fatal(err)
	}
	return w
}

// deadlineList is the answer of GET /api/v1/deadlines.
type deadlineList struct {
	Items []apiDeadline `json:"items"`
}

// line writes an item as "date kind reference status" for comparing lists.
func (d apiDeadline) line() string {
	return strings.Join([]string{d.Date, d.Kind, d.Agreement, d.Status}, " ")
}

func deadlineItemLines(items []apiDeadline) []string {
	out := []string{}
	for _, d := range items {
		out = append(out, d.line())
	}
	return out
}

func TestAPIDeadlines(t *testing.T) {
	w := newDeadlineWorld(t)
	viewer := w.app.apiClient("v@example.com", auth.RoleViewer)
	var got deadlineList
	viewer.get("/api/v1/deadlines", http.StatusOK, &got)
	t.Run("TheComingYearByDefault", func(t *testing.T) {
		want := []string{
			"2026-12-15 obligation TECH-HMD-2025 open",
			"2026-12-31 notice TECH-HMD-2025 open",
			"2026-12-31 obligation TECH-HMD-2025 open",
			"2027-03-31 expiry TECH-HMD-2025 open",
			"2027-03-31 obligation TECH-HMD-2025 open",
			"2027-04-01 renewal TECH-HMD-2025 open",
			"2027-05-31 patent_expiry TECH-HMD-2025 open",
			"2027-06-30 obligation TECH-HMD-2025 open",
			"2027-09-30 obligation TECH-HMD-2025 open",
		}
		if lines := deadlineItemLines(got.Items); !slices.Equal(lines, want) {
			t.Fatalf("items\n  %s\nwant\n  %s", strings.Join(lines, "\n  "), strings.Join(want, "\n  "))
		}
	})
	byKind := map[string]apiDeadline{}
	for _, d := range got.Items {
		byKind[d.Kind] = d
	}
	t.Run("TitlesNameAgreementAndKind", func(t *testing.T) {
		want := map[string]string{
			"notice":        "Notice deadline: TECH-HMD-2025 " + renewingTitle,
			"expiry":        "End of the current term: TECH-HMD-2025 " + renewingTitle,
			"renewal":       "Automatic renewal: TECH-HMD-2025 " + renewingTitle,
			"patent_expiry": "Patent expiry: EP3100511B1 under TECH-HMD-2025 " + renewingTitle,
			"obligation":    "Report due: " + reportTitle + " (TECH-HMD-2025 " + renewingTitle + ")",
		}
		for kind, title := range want {
			if byKind[kind].Title != title {
				t.Errorf("%s: title %q, want %q", kind, byKind[kind].Title, title)
			}
		}
	})
	t.Run("FieldsOfEachKind", func(t *testing.T) {
		for _, d := range got.Items {
			if d.AgreementID != w.renewal.ID || d.AgreementTitle != renewingTitle {
				t.Errorf("%s: agreement %d %q", d.line(), d.AgreementID, d.AgreementTitle)
			}
		}
		if p := byKind["patent_expiry"]; p.Patent != "EP3100511B1" || p.PatentID != w.ep.ID || p.ObligationID != 0 {
			t.Errorf("patent expiry %+v", p)
		}
		if n := byKind["notice"]; n.TermEndsOn == nil || *n.TermEndsOn != "2027-03-31" || n.Patent != "" {
			t.Errorf("notice %+v: want the term it ends", n)
		}
		if r := byKind["renewal"]; r.TermEndsOn == nil || *r.TermEndsOn != "2028-03-31" {
			t.Errorf("renewal %+v: want the end of the new term", r)
		}
		pay := got.Items[0]
		if pay.ObligationID != w.payment.ID || pay.Obligation != "Signing fee" || pay.Amount != "250000.00" || pay.Currency != "EUR" {
			t.Errorf("payment %+v", pay)
		}
	})
	t.Run("JSONKeysOfTheContract", func(t *testing.T) {
		viewer := viewer.in(t)
		res := viewer.get("/api/v1/deadlines?kind=patent_expiry", http.StatusOK, nil)
		for _, key := range []string{`"date":"2027-05-31"`, `"kind":"patent_expiry"`, `"agreement":"TECH-HMD-2025"`, `"patent":"EP3100511B1"`,
			`"title":"Patent expiry: EP3100511B1 under`, `"status":"open"`} {
			if !strings.Contains(string(res.Body), key) {
				t.Errorf("answer %s lacks %s", res.Body, key)
			}
		}
		if strings.Contains(string(res.Body), `"obligation_id"`) {
			t.Errorf("a patent expiry with an obligation id: %s", res.Body)
		}
	})

	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"OneKind", url.Values{"kind": {"renewal"}}, []string{"2027-04-01 renewal TECH-HMD-2025 open"}},
		{"OccurrencesOfThePastWithTheirStatus", url.Values{"from": {"2026-01-01"}, "to": {"2026-12-31"}, "kind": {"obligation"}}, []string{
			"2026-03-31 obligation TECH-HMD-2025 waived",
			"2026-06-30 obligation TECH-HMD-2025 overdue",
			"2026-09-30 obligation TECH-HMD-2025 done",
			"2026-12-15 obligation TECH-HMD-2025 open",
			"2026-12-31 obligation TECH-HMD-2025 open",
		}},
		{"PassedTermDeadlines", url.Values{"from": {"2024-01-01"}, "to": {"2024-12-31"}, "kind": {"notice"}}, []string{
			"2024-01-06 notice NOK-XIA-2017 passed",
		}},
		{"TerminatedAgreementEndsOnItsTermination", url.Values{"from": {"2020-01-01"}, "to": {"2020-12-31"}, "kind": {"expiry"}}, []string{
			"2020-01-31 expiry NOK-APL-2017 passed",
		}},
		{"CompanyByName", url.Values{"company": {"HMD Global Oy"}, "kind": {"renewal"}}, []string{"2027-04-01 renewal TECH-HMD-2025 open"}},
		{"CompanyWithItsAffiliates", url.Values{"company": {"Nokia Corporation"}, "kind": {"renewal"}}, []string{"2027-04-01 renewal TECH-HMD-2025 open"}},
		{"CompanyAlone", url.Values{"company": {"Nokia Corporation"}, "affiliates": {"false"}}, []string{}},
		{"CompanyByID", url.Values{"company": {fmt.Sprint(w.tech.ID)}, "kind": {"expiry"}, "affiliates": {"0"}}, []string{"2027-03-31 expiry TECH-HMD-2025 open"}},
		{"NothingFarAhead", url.Values{"from": {"2040-01-01"}, "to": {"2040-12-31"}, "kind": {"expiry"}}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			viewer := viewer.in(t)
			var page deadlineList
			res := viewer.get("/api/v1/deadlines?"+tc.query.Encode(), http.StatusOK, &page)
			if lines := deadlineItemLines(page.Items); !slices.Equal(lines, tc.want) {
				t.Errorf("items\n  %s\nwant\n  %s", strings.Join(lines, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if len(tc.want) == 0 && !strings.Contains(string(res.Body), `"items":[]`) {
				t.Errorf("an empty list must be [], not null: %s", res.Body)
			}
		})
	}
}

func TestAPIDeadlinesOfOneAgreementAndStatus(t *testing.T) {
	w := newDeadlineWorld(t)
	viewer := w.app.apiClient("v@example.com", auth.RoleViewer)
	other := &licensing.Agreement{Reference: "TECH-OTHER-2026", Title: "Another licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: licensing.MustDate("2026-01-01"), EffectiveOn: licensing.MustDate("2026-01-01"),
		ExpiresOn: licensing.MustDate("2027-02-28"), Parties: w.renewal.Parties}
	if err := w.app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), other); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, query string
		want        []string
	}{
		{"OneAgreementByReference", "agreement=TECH-OTHER-2026", []string{"2027-02-28 expiry TECH-OTHER-2026 open"}},
		{"OneAgreementById", "agreement=" + strconv.FormatInt(w.renewal.ID, 10) + "&kind=expiry",
			[]string{"2027-03-31 expiry TECH-HMD-2025 open"}},
		{"OverdueHoweverOld", "status=overdue&agreement=TECH-HMD-2025", []string{
			"2025-03-31 obligation TECH-HMD-2025 overdue", "2025-06-30 obligation TECH-HMD-2025 overdue",
			"2025-09-30 obligation TECH-HMD-2025 overdue", "2025-12-31 obligation TECH-HMD-2025 overdue",
			"2026-06-30 obligation TECH-HMD-2025 overdue"}},
		{"OverdueWithinAGivenPeriod", "status=overdue&agreement=TECH-HMD-2025&from=2026-01-01&to=2026-12-31",
			[]string{"2026-06-30 obligation TECH-HMD-2025 overdue"}},
		{"DoneTakesInWaived", "status=done&agreement=TECH-HMD-2025&from=2025-01-01&to=2026-12-31", []string{
			"2026-03-31 obligation TECH-HMD-2025 waived", "2026-09-30 obligation TECH-HMD-2025 done"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got deadlineList
			viewer.in(t).get("/api/v1/deadlines?"+tc.query, http.StatusOK, &got)
			if lines := deadlineItemLines(got.Items); !slices.Equal(lines, tc.want) {
				t.Errorf("items\n  %s\nwant\n  %s", strings.Join(lines, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestAPIDeadlinesRefusals(t *testing.T) {
	w := newDeadlineWorld(t)
	viewer := w.app.apiClient("v@example.com", auth.RoleViewer)
	cases := []struct {
		name, query, field string
	}{
		{"UnknownKind", "kind=deadline", "kind"},
		{"FromNotADate", "from=21.11.2026", "from"},
		{"ToNotADate", "to=2026-02-30", "to"},
		{"ToBeforeFrom", "from=2027-01-01&to=2026-12-31", "to"},
		{"DefaultToBeforeAGivenFrom", "from=2030-01-01", "to"},
		{"MoreThanTenYears", "from=2020-01-01&to=2030-01-02", "to"},
		{"UnknownCompany", "company=Acme", "company"},
		{"AffiliatesNotABoolean", "company=Nokia+Corporation&affiliates=maybe", "affiliates"},
		{"UnknownParameter", "kinds=expiry", "kinds"},
		{"UnknownAgreement", "agreement=NO-SUCH-1", "agreement"},
		{"UnknownStatus", "status=pending", "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			viewer := viewer.in(t)
			viewer.wantError(http.MethodGet, "/api/v1/deadlines?"+tc.query, nil, http.StatusUnprocessableEntity, "invalid", tc.field)
		})
	}
	t.Run("AmbiguousCompanyListsCandidates", func(t *testing.T) {
		viewer := viewer.in(t)
		// "Nokia" is the short name of Nokia Corporation and the start of
		// Nokia Technologies Oy's name; only the former bears it.
		nsn := &licensing.Company{Name: "Nokia Solutions and Networks Oy", ShortName: "Nokia"}
		if err := w.app.db.CreateCompany(context.Background(), sqlite.SystemActor(), nsn); err != nil {
			t.Fatal(err)
		}
		e := viewer.wantError(http.MethodGet, "/api/v1/deadlines?company=Nokia", nil, http.StatusUnprocessableEntity, "invalid", "company")
		if !strings.Contains(e.Error.Fields["company"], "Nokia Corporation") || !strings.Contains(e.Error.Fields["company"], "Nokia Solutions") {
			t.Errorf("message %q should list the candidates", e.Error.Fields["company"])
		}
	})
	t.Run("NoToken", func(t *testing.T) {
		anonymous := &apiClient{t: t, app: w.app}
		anonymous.wantError(http.MethodGet, "/api/v1/deadlines", nil, http.StatusUnauthorized, "unauthorized")
	})
}

// feedList is the answer of GET /api/v1/calendar-feeds.
type feedList struct {
	Items []apiCalendarFeed `json:"items"`
}

func TestAPICalendarFeeds(t *testing.T) {
	app := newTestApp(t)
	viewer := app.apiClient("v@example.com", auth.RoleViewer)
	editor := app.apiClient("ed@example.com", auth.RoleEditor)
	ctx := context.Background()
	t.Run("CreateWithDefaults", func(t *testing.T) {
		for _, body := range []any{nil, map[string]any{}} {
			feed := newFeed(t, viewer, body)
			if feed.ID == 0 || feed.Name != "Deadlines" || feed.AlarmDays != 7 || feed.CreatedAt != "2026-11-21T09:00:00Z" ||
				feed.LastUsedAt != nil || feed.RevokedAt != nil || !strings.HasPrefix(feed.URL, app.http.URL+"/calendar/pdc_") {
				t.Errorf("feed %+v", feed)
			}
		}
	})
	t.Run("CreateNamedWithItsReminder", func(t *testing.T) {
		feed := newFeed(t, editor, map[string]any{"name": "  Outlook  ", "alarm_days": 0})
		if feed.Name != "Outlook" || feed.AlarmDays != 0 {
			t.Errorf("feed %+v", feed)
		}
		rows, err := app.db.RecentAudit(ctx, 1)
		if err != nil || len(rows) != 1 {
			t.Fatal(err)
		}
		if r := rows[0]; r.Action != "calendar_feed.create" || r.Via != sqlite.ViaAPI || r.Actor != "ed@example.com" || r.Entity != "user" ||
			strings.Contains(r.Details, feed.URL[strings.LastIndex(feed.URL, "/")+1:]) {
			t.Errorf("audit row %+v", r)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		viewer := viewer.in(t)
		before, _ := app.db.CalendarFeeds(ctx, mustUserID(t, app, "v@example.com"))
		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"AlarmTooFarAhead", map[string]any{"alarm_days": 366}, http.StatusUnprocessableEntity, "alarm_days"},
			{"AlarmNegative", map[string]any{"alarm_days": -1}, http.StatusUnprocessableEntity, "alarm_days"},
			{"AlarmNotANumber", map[string]any{"alarm_days": "seven"}, http.StatusUnprocessableEntity, "alarm_days"},
			{"NameTooLong", map[string]any{"name": strings.Repeat("n", 101)}, http.StatusUnprocessableEntity, "name"},
			{"UnknownField", map[string]any{"url": "x"}, http.StatusUnprocessableEntity, "url"},
			{"NotJSON", `{"name": `, http.StatusBadRequest, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				viewer := viewer.in(t)
				var fields []string
				if tc.field != "" {
					fields = append(fields, tc.field)
				}
				viewer.wantError(http.MethodPost, "/api/v1/calendar-feeds", tc.body, tc.status, "invalid", fields...)
			})
		}
		after, _ := app.db.CalendarFeeds(ctx, mustUserID(t, app, "v@example.com"))
		if len(after) != len(before) {
			t.Errorf("%d feeds after refusals, %d before", len(after), len(before))
		}
	})
	t.Run("ListsOnlyOwnFeedsWithoutSecrets", func(t *testing.T) {
		viewer := viewer.in(t)
		var list feedList
		res := viewer.get("/api/v1/calendar-feeds", http.StatusOK, &list)
		if len(list.Items) != 2 || strings.Contains(string(res.Body), "pdc_") || strings.Contains(string(res.Body), `"url"`) {
			t.Errorf("list %s", res.Body)
		}
		for _, f := range list.Items {
			if f.Name != "Deadlines" {
				t.Errorf("another user's feed listed: %+v", f)
			}
		}
		viewer.wantError(http.MethodGet, "/api/v1/calendar-feeds?all=1", nil, http.StatusUnprocessableEntity, "invalid", "all")
	})
	t.Run("Revoke", func(t *testing.T) {
		viewer := viewer.in(t)
		editor := editor.in(t)
		var mine, theirs feedList
		viewer.get("/api/v1/calendar-feeds", http.StatusOK, &mine)
		editor.get("/api/v1/calendar-feeds", http.StatusOK, &theirs)
		id := mine.Items[0].ID
		viewer.wantError(http.MethodDelete, "/api/v1/calendar-feeds/"+itoa(theirs.Items[0].ID), nil, http.StatusNotFound, "not_found")
		viewer.wantError(http.MethodDelete, "/api/v1/calendar-feeds/first", nil, http.StatusNotFound, "not_found")
		viewer.wantError(http.MethodDelete, "/api/v1/calendar-feeds/99999999999999999999", nil, http.StatusNotFound, "not_found")
		revokeFeed(t, viewer, id)
		viewer.wantError(http.MethodDelete, "/api/v1/calendar-feeds/"+itoa(id), nil, http.StatusNotFound, "not_found")
		rows, _ := app.db.RecentAudit(ctx, 1)
		if r := rows[0]; r.Action != "calendar_feed.revoke" || r.Via != sqlite.ViaAPI || r.Actor != "v@example.com" {
			t.Errorf("audit row %+v", r)
		}
		var after feedList
		viewer.get("/api/v1/calendar-feeds", http.StatusOK, &after)
		if last := after.Items[len(after.Items)-1]; last.ID != id || last.RevokedAt == nil || after.Items[0].RevokedAt != nil {
			t.Errorf("list after revoking %+v: want the revoked feed last, with its time", after.Items)
		}
		editor.get("/api/v1/calendar-feeds", http.StatusOK, &theirs)
		if theirs.Items[0].RevokedAt != nil {
			t.Error("another user's feed was revoked")
		}
	})
	t.Run("NoToken", func(t *testing.T) {
		anonymous := &apiClient{t: t, app: app}
		anonymous.wantError(http.MethodPost, "/api/v1/calendar-feeds", map[string]any{}, http.StatusUnauthorized, "unauthorized")
		anonymous.wantError(http.MethodGet, "/api/v1/calendar-feeds", nil, http.StatusUnauthorized, "unauthorized")
		anonymous.wantError(http.MethodDelete, "/api/v1/calendar-feeds/1", nil, http.StatusUnauthorized, "unauthorized")
	})
}
