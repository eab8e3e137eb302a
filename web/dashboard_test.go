package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The start page as the head of licensing sees it on the morning of the
// issue's "Done means", over the demo data loaded that day. The issue speaks
// of a Monday; the test clock stands at Saturday 2026-11-21, the day the
// issue's dates were counted from. The demo places its running licence from
// the day it is loaded, so a Monday shows the same (see
// TestDemoDoneMeansOnALaterDay).

// newDashboardDemo is a test app holding the demo data set.
func newDashboardDemo(t *testing.T) *testApp {
	t.Helper()
	app := newTestApp(t)
	app.loadDemo(t)
	return app
}

// dashboardRow is a deadline row of the start page, as read back.
type dashboardRow struct {
	kind, date, when, title, href, status string
	overdue, soon                         bool
}

func dashboardRows(doc *goquery.Document) []dashboardRow {
	var out []dashboardRow
	testid(doc, "next-deadlines").Find(`[data-testid="deadline-row"]`).Each(func(_ int, tr *goquery.Selection) {
		title := tr.Find(`[data-testid="deadline-title"]`)
		href, _ := title.Attr("href")
		kind, _ := tr.Attr("data-kind")
		out = append(out, dashboardRow{kind: kind, date: strings.TrimSpace(tr.Find("td.date").Text()),
			when: tr.Find(`[data-testid="deadline-when"]`).Text(), title: title.Text(), href: href,
			status:  strings.TrimSpace(tr.Find(`[data-testid="deadline-status"]`).Text()),
			overdue: tr.HasClass("deadline-overdue"), soon: tr.HasClass("deadline-soon")})
	})
	return out
}

// readFigure reads a figure of the start page: its number as shown and its link.
func readFigure(t *testing.T, doc *goquery.Document, id string) (value, href string) {
	t.Helper()
	a := testid(doc, id)
	if a.Length() != 1 {
		t.Fatalf("figure %s: %d elements, want 1", id, a.Length())
	}
	href, _ = a.Attr("href")
	return strings.TrimSpace(a.Find(`[data-testid="figure-value"]`).Text()), href
}

// TestDashboardDoneMeans is the "Done means": opening PatentDesk
// in the morning, the head of licensing sees without searching that the
// notice period of the Nokia–HMD Global licence ends in 45 days and that a
// royalty report to Nokia is overdue; both figures lead to lists showing
// the same items. In English and in German.
func TestDashboardDoneMeans(t *testing.T) {
	app := newDashboardDemo(t)
	hmd, err := app.db.AgreementByReference(context.Background(), "NOK-HMD-2016")
	if err != nil {
		t.Fatal(err)
	}
	hmdPage := "/agreements/" + strconv.FormatInt(hmd.ID, 10)
	u := app.addUser("head@example.com", auth.RoleViewer)
	tests := []struct {
		name, lang                  string
		noticeWhen, noticeDate      string
		overdueWhen, overdueStatus  string
		noticeTitle, reportTitle    string
		noticeFigure, overdueFigure string
	}{
		{name: "English", lang: "en", noticeWhen: "in 45 days", noticeDate: "2027-01-05", overdueWhen: "21 days overdue",
			overdueStatus: "Overdue", noticeTitle: "Notice deadline: NOK-HMD-2016", reportTitle: "Quarterly royalty report",
			noticeFigure: "Notice deadlines within 60 days", overdueFigure: "Obligations overdue"},
		{name: "German", lang: "de", noticeWhen: "in 45 Tagen", noticeDate: "05.01.2027", overdueWhen: "seit 21 Tagen überfällig",
			overdueStatus: "Überfällig", noticeTitle: "Letzter Kündigungstag: NOK-HMD-2016", reportTitle: "Quarterly royalty report",
			noticeFigure: "Letzte Kündigungstage binnen 60 Tagen", overdueFigure: "Überfällige Verpflichtungen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := app.browser()
			b.lang = tc.lang
			b.mustSignIn(u)
			res := b.get("/")
			wantStatus(t, res, 200)
			doc := parseHTML(t, res)
			if testid(doc, "demo-banner").Length() != 1 {
				t.Error("the demo banner is gone from the start page")
			}
			rows := dashboardRows(doc)
			notice, report := -1, -1
			for i, r := range rows {
				if r.kind == "notice" && strings.HasPrefix(r.title, tc.noticeTitle) && notice < 0 {
					notice = i
				}
				if r.kind == "obligation" && strings.Contains(r.title, tc.reportTitle) && r.overdue && report < 0 {
					report = i
				}
			}
			if notice < 0 || report < 0 {
				t.Fatalf("next deadlines %+v: want the HMD notice deadline and the overdue royalty report", rows)
			}
			if r := rows[notice]; r.when != tc.noticeWhen || r.date != tc.noticeDate || r.href != hmdPage {
				t.Errorf("notice deadline %+v: want %q on %s, linking to %s", r, tc.noticeWhen, tc.noticeDate, hmdPage)
			}
			if r := rows[report]; r.when != tc.overdueWhen || r.status != tc.overdueStatus || r.href != hmdPage {
				t.Errorf("royalty report %+v: want %q, marked %q, linking to %s", r, tc.overdueWhen, tc.overdueStatus, hmdPage)
			}
			if report > notice {
				t.Errorf("the overdue report is row %d, after the upcoming notice deadline (row %d): overdue come first", report, notice)
			}
			for _, f := range []struct{ id, label string }{{"figure-notices", tc.noticeFigure}, {"figure-overdue", tc.overdueFigure}} {
				card := testid(doc, f.id).Closest("li")
				if got := card.Find(".figure-label").Text(); got != f.label {
					t.Errorf("%s labelled %q, want %q", f.id, got, f.label)
				}
				if card.Find(`[data-testid="figure-attention"]`).Length() != 1 {
					t.Errorf("%s is not marked as needing attention", f.id)
				}
			}
		})
	}

	// Each figure leads to a list that shows the same items.
	b := app.browser()
	b.mustSignIn(u)
	doc := parseHTML(t, b.get("/"))
	t.Run("NoticeFigureListsTheHMDNotice", func(t *testing.T) {
		value, href := readFigure(t, doc, "figure-notices")
		if href != "/deadlines?from=2026-11-21&kind=notice&to=2027-01-20" {
			t.Errorf("notice figure links to %q", href)
		}
		list := parseHTML(t, b.get(href))
		rows := testid(list, "deadline-row")
		if strconv.Itoa(rows.Length()) != value {
			t.Errorf("figure %s, list of %d rows", value, rows.Length())
		}
		if rows.Filter(`[data-agreement="NOK-HMD-2016"][data-date="2027-01-05"][data-kind="notice"]`).Length() != 1 {
			t.Errorf("the list behind the figure lacks the HMD notice deadline of 2027-01-05")
		}
	})
	t.Run("OverdueFigureListsTheRoyaltyReport", func(t *testing.T) {
		value, href := readFigure(t, doc, "figure-overdue")
		if href != "/deadlines?kind=obligation&status=overdue" {
			t.Errorf("overdue figure links to %q", href)
		}
		if value != "1" {
			t.Errorf("overdue figure %q, want 1: the HMD report due 2026-10-31", value)
		}
		list := parseHTML(t, b.get(href))
		rows := testid(list, "deadline-row")
		if strconv.Itoa(rows.Length()) != value ||
			rows.Filter(`[data-agreement="NOK-HMD-2016"][data-date="2026-10-31"][data-status="overdue"]`).Length() != 1 {
			t.Errorf("the list behind the figure has %d rows; want the HMD report due 2026-10-31, overdue, alone", rows.Length())
		}
	})
}

// TestDashboardFiguresMatchTheirLists follows every figure of the demo's
// start page to its list and counts what the list shows there.
func TestDashboardFiguresMatchTheirLists(t *testing.T) {
	app := newDashboardDemo(t)
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.org", auth.RoleViewer))
	doc := parseHTML(t, b.get("/"))
	tests := []struct {
		name, figure, row string // the list's rows, by data-testid
		wantHref          string
		wantValue         string // "" when any
	}{
		{"AgreementsActive", "figure-active", "agreement-row", "/agreements?status=active", "5"},
		{"AgreementsEndingWithin90Days", "figure-ending-90", "agreement-row",
			"/agreements?ending_by=2027-02-19&ending_from=2026-11-21", "0"},
		{"AgreementsEndingWithin180Days", "figure-ending-180", "agreement-row",
			"/agreements?ending_by=2027-05-20&ending_from=2026-11-21", "1"}, // the licence, not its amendment restating its term
		{"NoticeDeadlines", "figure-notices", "deadline-row", "/deadlines?from=2026-11-21&kind=notice&to=2027-01-20", "1"}, // the amendment restates the licence's term: one notice
		{"ObligationsOverdue", "figure-overdue", "deadline-row", "/deadlines?kind=obligation&status=overdue", "1"},
		{"ObligationsDueWithin30Days", "figure-due", "deadline-row",
			"/deadlines?from=2026-11-21&kind=obligation&status=open&to=2026-12-21", "1"},
		{"LicensedPatentsExpiringThisYear", "figure-patents-expiring", "", "/deadlines?from=2026-11-21&kind=patent_expiry&to=2026-12-31", ""},
		{"Conflicts", "figure-conflicts", "conflict", "/conflicts", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			value, href := readFigure(t, doc, tc.figure)
			if href != tc.wantHref {
				t.Errorf("links to %q, want %q", href, tc.wantHref)
			}
			if tc.wantValue != "" && value != tc.wantValue {
				t.Errorf("figure %q, want %s", value, tc.wantValue)
			}
			res := b.get(href)
			wantStatus(t, res, 200)
			list := parseHTML(t, res)
			var n int
			switch tc.row {
			case "":
				// Patent expiries: count the distinct patents of the list.
				seen := map[string]bool{}
				testid(list, "deadline-row").Each(func(_ int, s *goquery.Selection) {
					seen[s.Find(`[data-testid="deadline-patent"]`).Text()] = true
				})
				n = len(seen)
			default:
				n = testid(list, tc.row).Length()
			}
			if strconv.Itoa(n) != value {
				t.Errorf("figure %s, but the list behind it shows %d", value, n)
			}
		})
	}
}

// TestDashboardLicensedPatentExpiries counts the patents under licence
// whose term ends this year: in 2029, a Nokia patent that HMD's portfolio
// licence takes in.
func TestDashboardLicensedPatentExpiries(t *testing.T) {
	app := newDashboardDemo(t)
	app.clock.Advance(time.Duration(daysBetween(licensing.MustDate("2026-11-21"), licensing.MustDate("2029-01-02"))) * 24 * time.Hour)
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.org", auth.RoleViewer))
	value, href := readFigure(t, parseHTML(t, b.get("/")), "figure-patents-expiring")
	if value != "1" || href != "/deadlines?from=2029-01-02&kind=patent_expiry&to=2029-12-31" {
		t.Errorf("figure %q linking to %q; want 1, the deadlines of 2029 from today", value, href)
	}
	rows := testid(parseHTML(t, b.get(href)), "deadline-row")
	if rows.Length() != 1 || rows.Filter(`[data-agreement="NOK-HMD-2016"][data-date="2029-03-19"]`).Length() != 1 {
		t.Errorf("the list behind it has %d rows; want EP 2 266 243 B1 expiring 2029-03-19 under NOK-HMD-2016", rows.Length())
	}
}

// TestDashboardGroups counts the patents in force of each corporate group
// and links each count to the patents list that shows them.
func TestDashboardGroups(t *testing.T) {
	app := newDashboardDemo(t)
	ctx := context.Background()
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.org", auth.RoleViewer))
	doc := parseHTML(t, b.get("/"))
	groups := testid(doc, "groups").Find(`tbody tr`)
	if groups.Length() < 2 {
		t.Fatalf("%d groups shown, want Nokia's and Xiaomi's at least", groups.Length())
	}
	for _, name := range []string{"Nokia Corporation", "Xiaomi Corporation"} {
		t.Run(strings.Fields(name)[0], func(t *testing.T) {
			c, err := app.db.CompanyByName(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			row := testid(doc, "group-"+strconv.FormatInt(c.ID, 10))
			if got := row.Find("th").Text(); got != name {
				t.Fatalf("group row of %s names %q", name, got)
			}
			a := row.Find(`[data-testid="group-count"]`)
			href, _ := a.Attr("href")
			want := "/patents?affiliates=1&in_force_on=2026-11-21&owner=" + strconv.FormatInt(c.ID, 10)
			if href != want {
				t.Errorf("count links to %q, want %q", href, want)
			}
			list := parseHTML(t, b.get(href+"&limit=500"))
			if n := testid(list, "patent-row").Length(); strconv.Itoa(n) != a.Text() || n == 0 {
				t.Errorf("count %s, the list behind it shows %d patents", a.Text(), n)
			}
		})
	}
	t.Run("MostInForceFirst", func(t *testing.T) {
		var counts []int
		groups.Each(func(_ int, s *goquery.Selection) {
			n, err := strconv.Atoi(strings.ReplaceAll(s.Find(`[data-testid="group-count"]`).Text(), ",", ""))
			if err != nil {
				t.Fatalf("count %q", s.Find(`[data-testid="group-count"]`).Text())
			}
			counts = append(counts, n)
		})
		if !slices.IsSortedFunc(counts, func(a, b int) int { return b - a }) {
			t.Errorf("patents in force by group %v, want the most first", counts)
		}
	})
	t.Run("SubsidiaryCountsWithItsGroup", func(t *testing.T) {
		tech, err := app.db.CompanyByName(ctx, "Nokia Technologies Oy")
		if err != nil {
			t.Fatal(err)
		}
		if testid(doc, "group-"+strconv.FormatInt(tech.ID, 10)).Length() != 0 {
			t.Error("Nokia Technologies has a row of its own; it belongs to Nokia's group")
		}
	})
}

// TestDashboardMarksWhatIsNear advances the clock to a week before the
// HMD notice deadline: the row is marked "Soon" in words and by its class.
func TestDashboardMarksWhatIsNear(t *testing.T) {
	app := newDashboardDemo(t)
	app.clock.Advance(38 * 24 * time.Hour) // 2026-12-29
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.org", auth.RoleViewer))
	rows := dashboardRows(parseHTML(t, b.get("/")))
	var found bool
	for _, r := range rows {
		if r.kind == "notice" && strings.Contains(r.title, "NOK-HMD-2016 ") {
			found = true
			if r.when != "in 7 days" || r.status != "Soon" || !r.soon {
				t.Errorf("notice deadline a week ahead: %+v, want \"in 7 days\", marked Soon", r)
			}
		}
		if r.kind == "renewal" && (r.soon || r.status == "Soon") {
			t.Errorf("a deadline months ahead is marked as near: %+v", r)
		}
	}
	if !found {
		t.Fatalf("the HMD notice deadline is not among %+v", rows)
	}
}

// TestDashboardEmpty shows a database without records: what to record
// first, linking editors to the forms and readers to the lists.
func TestDashboardEmpty(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name      string
		role      auth.Role
		wantLinks []string
		viewer    bool
	}{
		{"Editor", auth.RoleEditor, []string{"/companies/new", "/import", "/agreements/new"}, false},
		{"Viewer", auth.RoleViewer, []string{"/companies", "/patents", "/agreements"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := app.browser()
			b.mustSignIn(app.addUser(string(tc.role)+"@example.com", tc.role))
			doc := parseHTML(t, b.get("/"))
			if testid(doc, "dashboard-empty").Length() != 1 || testid(doc, "figures").Length() != 0 {
				t.Fatal("an empty database shows figures instead of first steps")
			}
			var links []string
			testid(doc, "first-steps").Find("a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				links = append(links, href)
			})
			if strings.Join(links, " ") != strings.Join(tc.wantLinks, " ") {
				t.Errorf("first steps link to %v, want %v", links, tc.wantLinks)
			}
			if got := testid(doc, "viewer-note").Length() == 1; got != tc.viewer {
				t.Errorf("note that an editor records the data shown: %v, want %v", got, tc.viewer)
			}
		})
	}
	t.Run("OneCompanyEndsTheEmptyState", func(t *testing.T) {
		if err := app.db.CreateCompany(context.Background(), sqlite.SystemActor(), &licensing.Company{Name: "Nokia Corporation"}); err != nil {
			t.Fatal(err)
		}
		b := app.browser()
		b.mustSignIn(app.addUser("reader@example.com", auth.RoleViewer))
		doc := parseHTML(t, b.get("/"))
		if testid(doc, "dashboard-empty").Length() != 0 {
			t.Fatal("still the empty state with a company recorded")
		}
		if v, _ := readFigure(t, doc, "figure-active"); v != "0" {
			t.Errorf("active agreements %q, want 0", v)
		}
		if testid(doc, "no-deadlines").Length() != 1 {
			t.Error("no word that nothing falls due")
		}
	})
}

// TestDashboardOverBudget leaves the figures that grow with the whole
// record uncounted when the page cannot wait for them, and says so: the
// patents in force of the groups and the conflicts.
func TestDashboardOverBudget(t *testing.T) {
	app := newDashboardDemo(t)
	ctx := context.Background()
	today := licensing.MustDate("2026-11-21")
	in := func(t *testing.T, budget time.Duration) templates.DashboardView {
		t.Helper()
		f, err := app.srv.dashboardFigures(ctx, today, budget)
		if err != nil {
			t.Fatalf("budget %v: %v", budget, err)
		}
		var v templates.DashboardView
		f.fill(i18n.For("en"), today, &v)
		return v
	}
	conflicts := func(v templates.DashboardView) templates.DashboardFigure {
		for _, f := range v.Figures {
			if f.TestID == "figure-conflicts" {
				return f
			}
		}
		t.Fatal("no conflicts figure")
		return templates.DashboardFigure{}
	}
	t.Run("TimeEnough", func(t *testing.T) {
		v := in(t, time.Minute)
		if c := conflicts(v); c.Value != "1" || !c.Attention {
			t.Errorf("conflicts %+v, want the demo's one conflict (the Apple licence's stale status), marked", c)
		}
		if !v.GroupsRanked || len(v.Groups) == 0 || v.Groups[0].Count == "Not counted" {
			t.Errorf("groups %+v, want them counted", v.Groups)
		}
	})
	t.Run("NoTime", func(t *testing.T) {
		app = newDashboardDemo(t) // nothing counted before: the cache has no count to show
		watchConflictCounts(t, app).shut()
		v := in(t, 0)
		if c := conflicts(v); c.Value != "Not counted" || c.Attention || c.Href != "/conflicts" {
			t.Errorf("uncounted conflicts shown as %+v, want \"Not counted\" linking to /conflicts", c)
		}
		if v.GroupsRanked || len(v.Groups) != 0 {
			t.Errorf("groups %+v, ranked %v; want them left out as not counted", v.Groups, v.GroupsRanked)
		}
		if len(v.Upcoming) == 0 || len(v.Overdue) != 1 {
			t.Errorf("deadlines %d upcoming, %d overdue: the budget must not touch them", len(v.Upcoming), len(v.Overdue))
		}
	})
}

// TestDashboardNumbersInTheUsersLocale writes the figures as the user's
// language writes numbers, and a count cut short as "at least".
func TestDashboardNumbersInTheUsersLocale(t *testing.T) {
	f := &dashboardFigures{active: 1234, patentsEnding: 2000, patentsCut: true, conflictsCounted: true}
	today := licensing.MustDate("2026-11-21")
	tests := []struct{ lang, active, patents string }{
		{"en", "1,234", "2,000+"},
		{"de", "1.234", "2.000+"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			got := map[string]string{}
			for _, fig := range f.numbers(i18n.For(tc.lang), today) {
				got[fig.TestID] = fig.Value
			}
			if got["figure-active"] != tc.active || got["figure-patents-expiring"] != tc.patents {
				t.Errorf("active %q, patents expiring %q; want %q and %q", got["figure-active"], got["figure-patents-expiring"], tc.active, tc.patents)
			}
		})
	}
}

func TestTopOfGroup(t *testing.T) {
	d := licensing.MustDate
	links := []licensing.Control{
		{Company: 2, Parent: 1},                          // 1 ─ 2 ─ 3
		{Company: 3, Parent: 2, From: d("2020-01-01")},   //
		{Company: 5, Parent: 4, To: d("2019-12-31")},     // 4 sold 5 in 2019
		{Company: 6, Parent: 7}, {Company: 7, Parent: 6}, // a loop in bad data
	}
	on := d("2026-11-21")
	tests := []struct {
		name    string
		company int64
		on      licensing.Date
		want    int64
	}{
		{"TopItself", 1, on, 1},
		{"Child", 2, on, 1},
		{"Grandchild", 3, on, 1},
		{"GrandchildBeforeItJoined", 3, d("2019-06-30"), 3},
		{"SoldSubsidiaryStandsAlone", 5, on, 5},
		{"SubsidiaryBeforeTheSale", 5, d("2019-06-30"), 4},
		{"LoopEnds", 6, on, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := topOfGroup(links, tc.company, tc.on); got != tc.want {
				t.Errorf("top of %d on %s = %d, want %d", tc.company, tc.on, got, tc.want)
			}
		})
	}
}

// TestAgreementsEndingByTheirCurrentTerm records two licences that renew
// themselves, their recorded expiry years back: one whose current term
// ends on 2026-12-31 is ending within 90 days, the other, whose term runs
// to 2027-06-30, is not even within 180. The demo's amendment of the HMD
// licence restates its parent's term and is counted with it, not apart.
func TestAgreementsEndingByTheirCurrentTerm(t *testing.T) {
	app := newDashboardDemo(t)
	ctx := context.Background()
	tech, err := app.db.CompanyByName(ctx, "Nokia Technologies Oy")
	if err != nil {
		t.Fatal(err)
	}
	signify, err := app.db.CompanyByName(ctx, "Signify N.V.")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*licensing.Agreement{
		{Reference: "NOK-SIG-2014", Title: "Lighting patent licence", ExpiresOn: licensing.MustDate("2018-12-31")},
		{Reference: "NOK-SIG-2015", Title: "Lighting patent licence II", ExpiresOn: licensing.MustDate("2019-06-30")},
	} {
		a.Kind, a.Status, a.EffectiveOn, a.RenewalMonths = licensing.KindLicense, licensing.AgreementActive, licensing.MustDate("2014-01-01"), 12
		a.Parties = []licensing.Party{{CompanyID: tech.ID, Role: licensing.RoleLicensor}, {CompanyID: signify.ID, Role: licensing.RoleLicensee}}
		if err := app.db.CreateAgreement(ctx, sqlite.SystemActor(), a); err != nil {
			t.Fatal(err)
		}
	}
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.org", auth.RoleViewer))
	doc := parseHTML(t, b.get("/"))
	for _, tc := range []struct {
		figure, value string
		want          []string // the references the list behind the figure shows
	}{
		{"figure-ending-90", "1", []string{"NOK-SIG-2014"}},
		{"figure-ending-180", "2", []string{"NOK-HMD-2016", "NOK-SIG-2014"}},
	} {
		value, href := readFigure(t, doc, tc.figure)
		var listed []string
		list := parseHTML(t, b.get(href))
		testid(list, "agreement-row").Each(func(_ int, s *goquery.Selection) { listed = append(listed, s.AttrOr("data-reference", "")) })
		if value != tc.value || !slices.Equal(listed, tc.want) {
			t.Errorf("%s: %s, its list %v; want %s, %v", tc.figure, value, listed, tc.value, tc.want)
		}
		if testid(list, "filter-note").Length() == 0 {
			t.Errorf("%s: the list does not say what it holds", tc.figure)
		}
	}
}
