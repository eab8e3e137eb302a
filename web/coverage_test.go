package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// coverageWorld is a licensing world small enough to count by hand, on the
// test clock's day (2026-11-21):
//
//   - Nokia Corporation (N) with Nokia Technologies Oy (NT); Xiaomi
//     Corporation (X) with Xiaomi Inc. (XI); HMD Global; Apple.
//   - P1 EP (NT, LTE, cellular; DE FR GB), P2 US (N, LTE, cellular), P3 US
//     (NT, NR, cellular), P4 CN (X), P5 US (X, LTE), P6 DE (NT, cellular,
//     lapsed 2020), P7 US (N, LTE, cellular; sold to X in 2019), P8 CN (XI),
//     P9 DE (NT, cellular), P10 US (NT, iot).
//   - NOK-XIA-2020: N and its affiliates license X and its affiliates
//     their 3GPP LTE portfolio captured 2000–2020, worldwide, for mobile
//     devices, until 2030-12-31: P1, P2, P7.
//   - NOK-HMD-2018: NT and its affiliates license HMD their cellular
//     portfolio in the EU until 2028-06-30: in force there P1 and P9.
//   - XIA-APL-2021: X licenses P4 exclusively to Apple, worldwide: X is
//     shut out of P4.
//   - NOK-XIA-IOT: NT would license X its iot portfolio (P10); under
//     negotiation.
type coverageWorld struct {
	app                                     *testApp
	viewer                                  *auth.User
	nokia, tech, xiaomi, xiaomiInc, hmd, ap *licensing.Company
	p                                       map[string]*licensing.Patent
	cross, hmdLicence, exclusive, option    *licensing.Agreement
}

func newCoverageWorld(t *testing.T) *coverageWorld {
	t.Helper()
	app := newTestApp(t)
	w := &coverageWorld{app: app, viewer: app.addUser("viewer@example.com", auth.RoleViewer), p: map[string]*licensing.Patent{}}
	d := licensing.MustDate
	w.nokia = w.company(&licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia"})
	w.tech = w.company(&licensing.Company{Name: "Nokia Technologies Oy", ParentID: w.nokia.ID})
	w.xiaomi = w.company(&licensing.Company{Name: "Xiaomi Corporation", ShortName: "Xiaomi"})
	w.xiaomiInc = w.company(&licensing.Company{Name: "Xiaomi Inc.", ParentID: w.xiaomi.ID})
	w.hmd = w.company(&licensing.Company{Name: "HMD Global Oy"})
	w.ap = w.company(&licensing.Company{Name: "Apple Inc."})
	patent := func(label, number string, owner *licensing.Company, filed string, tags, standards []string) *licensing.Patent {
		p := &licensing.Patent{Number: number, Title: "Invention " + label, FiledOn: d(filed), GrantedOn: d(filed).AddYears(2),
			Status: licensing.StatusGranted, OriginalOwnerID: owner.ID, Tags: tags, Standards: standards}
		w.p[label] = p
		return p
	}
	lte, cellular := []string{"3GPP LTE"}, []string{"cellular"}
	p1 := patent("P1", "EP 3 000 001 B1", w.tech, "2015-02-01", cellular, lte)
	p1.DesignatedStates = []string{"DE", "FR", "GB"}
	patent("P2", "US 9,000,002 B2", w.nokia, "2015-03-01", cellular, lte)
	patent("P3", "US 9,000,003 B2", w.tech, "2015-04-01", cellular, []string{"3GPP NR"})
	patent("P4", "CN 100000004 B", w.xiaomi, "2016-01-01", []string{"smart-home"}, nil)
	patent("P5", "US 9,000,005 B2", w.xiaomi, "2016-02-01", nil, lte)
	p6 := patent("P6", "DE 10 2015 000 006 B4", w.tech, "2015-05-01", cellular, nil)
	p6.Status, p6.StatusOn = licensing.StatusLapsed, d("2020-03-01")
	patent("P7", "US 9,000,007 B2", w.nokia, "2015-06-01", cellular, lte)
	patent("P8", "CN 100000008 B", w.xiaomiInc, "2016-03-01", nil, nil)
	patent("P9", "DE 10 2016 000 009 B4", w.tech, "2016-04-01", cellular, nil)
	patent("P10", "US 9,000,010 B2", w.tech, "2016-05-01", []string{"iot"}, nil)
	for _, label := range []string{"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10"} {
		if err := app.db.CreatePatent(context.Background(), sqlite.SystemActor(), w.p[label]); err != nil {
			t.Fatalf("create %s: %v", label, err)
		}
	}
	party := func(c *licensing.Company) licensing.Party {
		return licensing.Party{CompanyID: c.ID, Role: licensing.RoleParty}
	}
	w.agreement(&licensing.Agreement{Reference: "NOK-XIA-PSA-2019", Title: "Sale of P7", Kind: licensing.KindAssignment,
		Status: licensing.AgreementActive, SignedOn: d("2019-06-01"), EffectiveOn: d("2019-06-01"),
		Parties:     []licensing.Party{party(w.nokia), party(w.xiaomi)},
		Assignments: []licensing.Assignment{{AssignorID: w.nokia.ID, AssigneeID: w.xiaomi.ID, EffectiveOn: d("2019-06-01"), Patents: []licensing.PatentRef{{ID: w.p["P7"].ID}}}}})
	w.cross = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-2020", Title: "Cellular licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2020-01-01"), EffectiveOn: d("2020-01-01"), ExpiresOn: d("2030-12-31"),
		Parties: []licensing.Party{party(w.nokia), party(w.xiaomi)},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.xiaomi.ID, LicensorAffiliates: true, LicenseeAffiliates: true,
			Scope:       licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2020-12-31"), Standards: lte},
			Activities:  []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell, licensing.ActivityOfferToSell, licensing.ActivityImport},
			Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}}})
	w.hmdLicence = w.agreement(&licensing.Agreement{Reference: "NOK-HMD-2018", Title: "Brand and patent licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2018-01-01"), EffectiveOn: d("2018-01-01"), ExpiresOn: d("2030-12-31"),
		Parties: []licensing.Party{party(w.tech), party(w.hmd)},
		Grants: []licensing.Grant{{LicensorID: w.tech.ID, LicenseeID: w.hmd.ID, LicensorAffiliates: true,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: cellular}, Territories: []string{"EU"},
			Exclusivity: licensing.NonExclusive, EndsOn: d("2028-06-30")}}})
	w.exclusive = w.agreement(&licensing.Agreement{Reference: "XIA-APL-2021", Title: "Exclusive smart-home licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2021-01-01"), EffectiveOn: d("2021-01-01"), ExpiresOn: d("2031-12-31"),
		Parties: []licensing.Party{party(w.xiaomi), party(w.ap)},
		Grants: []licensing.Grant{{LicensorID: w.xiaomi.ID, LicenseeID: w.ap.ID,
			Scope:       licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{ID: w.p["P4"].ID}}},
			Territories: []string{"WORLD"}, Exclusivity: licensing.Exclusive}}})
	w.option = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-IOT", Title: "IoT option", Kind: licensing.KindOption,
		Status: licensing.AgreementNegotiation, Parties: []licensing.Party{party(w.tech), party(w.xiaomi)},
		Grants: []licensing.Grant{{LicensorID: w.tech.ID, LicenseeID: w.xiaomi.ID, LicenseeAffiliates: true,
			Scope:  licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"iot"}},
			Fields: []string{"IoT devices"}, Exclusivity: licensing.NonExclusive}}})
	return w
}

func (w *coverageWorld) company(c *licensing.Company) *licensing.Company {
	w.app.t.Helper()
	if err := w.app.db.CreateCompany(context.Background(), sqlite.SystemActor(), c); err != nil {
		w.app.t.Fatal(err)
	}
	return c
}

func (w *coverageWorld) agreement(a *licensing.Agreement) *licensing.Agreement {
	w.app.t.Helper()
	if err := w.app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), a); err != nil {
		w.app.t.Fatalf("create %s: %v", a.Reference, err)
	}
	return a
}

func (w *coverageWorld) browse() *browser {
	b := w.app.browser()
	b.mustSignIn(w.viewer)
	return b
}

// label names a patent of the world by its id, "P1" … "P10".
func (w *coverageWorld) label(id string) string {
	for label, p := range w.p {
		if fmt.Sprint(p.ID) == id {
			return label
		}
	}
	return "patent " + id
}

// coverageLine is one row of a coverage page: patent, basis kind, grant
// and last day.
type coverageLine struct{ patent, kind, grant, until string }

func (w *coverageWorld) coverageLines(doc *goquery.Document) []coverageLine {
	var out []coverageLine
	testid(doc, "coverage-row").Each(func(_ int, s *goquery.Selection) {
		grant := s.AttrOr("data-grant", "")
		if grant == "0" {
			grant = ""
		}
		out = append(out, coverageLine{w.label(s.AttrOr("data-patent", "")), s.AttrOr("data-kind", ""), grant, s.AttrOr("data-until", "")})
	})
	return out
}

func grantOf(a *licensing.Agreement) string { return fmt.Sprint(a.Grants[0].ID) }

func (w *coverageWorld) coveragePath(c *licensing.Company, query url.Values) string {
	return fmt.Sprintf("/companies/%d/coverage?%s", c.ID, query.Encode())
}

// sortedLines orders lines by patent label and kind, for comparing sets.
func sortedLines(lines []coverageLine) []coverageLine {
	slices.SortFunc(lines, func(a, b coverageLine) int {
		return strings.Compare(a.patent+"/"+a.kind+"/"+a.grant, b.patent+"/"+b.kind+"/"+b.grant)
	})
	return lines
}

func TestCoverage(t *testing.T) {
	w := newCoverageWorld(t)
	b := w.browse()
	cross, hmd, excl, option := grantOf(w.cross), grantOf(w.hmdLicence), grantOf(w.exclusive), grantOf(w.option)
	cases := []struct {
		name    string
		company *licensing.Company
		query   url.Values
		want    []coverageLine
		total   int
	}{
		{"EveryBasisWithItsLastDay", w.xiaomi, url.Values{}, []coverageLine{
			{"P1", "license", cross, "2030-12-31"},
			{"P2", "license", cross, "2030-12-31"},
			{"P5", "owner", "", "2036-02-01"},
			// Bought from Nokia in 2019, and still licensed: two bases, one patent.
			{"P7", "license", cross, "2030-12-31"},
			{"P7", "owner", "", "2035-06-01"},
			{"P8", "affiliate_owner", "", "2036-03-01"},
		}, 5},
		{"LicenseeAffiliateCoveredThroughTheLicensee", w.xiaomiInc, url.Values{"kind": {"license"}}, []coverageLine{
			{"P1", "license", cross, "2030-12-31"}, {"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"},
		}, 3},
		{"LicensorFilterTakesTheLicensorsGroup", w.xiaomi, url.Values{"licensor": {"Nokia Technologies Oy"}}, []coverageLine{
			{"P1", "license", cross, "2030-12-31"}, {"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"},
		}, 3},
		{"LicensorWithoutGrants", w.xiaomi, url.Values{"licensor": {"Apple Inc."}}, nil, 0},
		{"GrantEndsBeforeThePatents", w.hmd, url.Values{}, []coverageLine{
			{"P1", "license", hmd, "2028-06-30"}, {"P9", "license", hmd, "2028-06-30"},
		}, 2},
		{"TerritoryDesignatedEPState", w.hmd, url.Values{"territory": {"fr"}}, []coverageLine{{"P1", "license", hmd, "2028-06-30"}}, 1},
		{"TerritoryOutsideTheGrant", w.hmd, url.Values{"territory": {"US"}}, nil, 0},
		{"ExclusiveLicenseeCovered", w.ap, url.Values{}, []coverageLine{{"P4", "license", excl, "2031-12-31"}}, 1},
		{"FieldOutsideTheLicence", w.xiaomi, url.Values{"field": {"smart home"}, "kind": {"license"}}, nil, 0},
		{"ActivityOutsideTheLicence", w.xiaomi, url.Values{"activity": {"have_made"}, "kind": {"license"}}, nil, 0},
		{"OwnerFilterIsAMatrixCell", w.xiaomi, url.Values{"owner": {fmt.Sprint(w.tech.ID)}}, []coverageLine{{"P1", "license", cross, "2030-12-31"}}, 1},
		{"NegotiationIgnored", w.xiaomi, url.Values{"kind": {"license"}, "field": {"IoT devices"}}, nil, 0},
		{"WhatIfCountsTheNegotiation", w.xiaomi, url.Values{"kind": {"license"}, "field": {"IoT devices"}, "what_if": {"1"}},
			[]coverageLine{{"P10", "license", option, "2036-05-01"}}, 1},
		{"BeforeTheLicence", w.xiaomi, url.Values{"on": {"2019-12-31"}, "kind": {"license"}}, nil, 0},
		{"OnTheLicencesFirstDayInGerman", w.xiaomi, url.Values{"on": {"01.01.2020"}, "kind": {"license"}}, []coverageLine{
			{"P1", "license", cross, "2030-12-31"}, {"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"},
		}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(w.coveragePath(tc.company, tc.query))
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			if errs := doc.Find(".field-error").Text(); errs != "" {
				t.Fatalf("filter errors: %s", errs)
			}
			if got := sortedLines(w.coverageLines(doc)); !slices.Equal(got, sortedLines(tc.want)) {
				t.Errorf("rows\n got %v\nwant %v", got, tc.want)
			}
			total := testid(doc, "coverage-total").AttrOr("data-count", "0")
			if total != fmt.Sprint(tc.total) {
				t.Errorf("total %s, want %d", total, tc.total)
			}
		})
	}
	t.Run("ExclusiveGrantShutsTheOwnerOut", func(t *testing.T) {
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomi, url.Values{})))
		if got := testid(doc, "coverage-shut-out").AttrOr("data-count", ""); got != "1" {
			t.Errorf("shut out %q, want 1 (P4, licensed exclusively to Apple)", got)
		}
		for _, l := range w.coverageLines(doc) {
			if l.patent == "P4" {
				t.Errorf("Xiaomi listed as practising P4: %v", l)
			}
		}
		owner := testid(doc, "coverage-route").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("data-kind", "") == "owner" })
		if owner.AttrOr("data-count", "") != "2" {
			t.Errorf("owner route counts %q, want 2 (P5, P7)", owner.AttrOr("data-count", ""))
		}
	})
	t.Run("ShutOutOfEveryOwnPatentInTheCountry", func(t *testing.T) {
		// In China Xiaomi owns only P4, licensed exclusively to Apple.
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomi, url.Values{"territory": {"CN"}})))
		if got := testid(doc, "coverage-shut-out").AttrOr("data-count", ""); got != "1" {
			t.Errorf("shut out %q, want 1 (P4)", got)
		}
	})
	t.Run("AffiliateNamedAsTheWayThrough", func(t *testing.T) {
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomiInc, url.Values{"kind": {"license"}})))
		row := testid(doc, "coverage-row").First()
		if through := agreementText(row.Find("td").Eq(6).Text()); through != "Xiaomi Corporation" {
			t.Errorf("covered through %q, want Xiaomi Corporation", through)
		}
		if href := row.Find(`[data-testid="basis-grant"]`).AttrOr("href", ""); href != fmt.Sprintf("/agreements/%d#grant-%s", w.cross.ID, cross) {
			t.Errorf("grant link %q", href)
		}
		if fields := agreementText(row.Find(`[data-testid="basis-fields"]`).Text()); fields != "Fields of use: mobile devices" {
			t.Errorf("limits %q", fields)
		}
	})
	t.Run("WhatIfMarked", func(t *testing.T) {
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomi, url.Values{"what_if": {"1"}})))
		if testid(doc, "what-if-banner").Length() != 1 {
			t.Error("no what-if banner")
		}
		marked := testid(doc, "coverage-row").Has(`[data-testid="hypothetical"]`)
		if marked.Length() != 1 || marked.AttrOr("data-grant", "") != option {
			t.Errorf("%d rows marked hypothetical, want only the option's", marked.Length())
		}
	})
	t.Run("BadFiltersExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomi, url.Values{"territory": {"EU"}, "licensor": {"Nokla"}, "on": {"2026-02-30"}})))
		for _, field := range []string{"territory", "licensor", "on"} {
			if testid(doc, "error-"+field).Length() != 1 {
				t.Errorf("no error beside %s", field)
			}
		}
		if testid(doc, "coverage-row").Length() != 0 {
			t.Error("rows shown despite filters that cannot be applied")
		}
	})
	t.Run("German", func(t *testing.T) {
		g := w.browse()
		g.lang = "de"
		doc := parseHTML(t, g.get(w.coveragePath(w.hmd, url.Values{})))
		if got := agreementText(testid(doc, "coverage-until").First().Text()); got != "30.06.2028" {
			t.Errorf("last day %q, want 30.06.2028", got)
		}
		if got := agreementText(testid(doc, "coverage-row").First().Find(`[data-testid="basis-kind"]`).Text()); got != "Lizenz" {
			t.Errorf("basis %q, want Lizenz", got)
		}
		if got := agreementText(testid(doc, "basis-territories").First().Text()); got != "Gebiete: Europäische Union" {
			t.Errorf("territories %q", got)
		}
	})
	t.Run("UnknownCompany", func(t *testing.T) {
		wantStatus(t, b.get("/companies/999/coverage"), http.StatusNotFound)
	})
}

func TestCoveragePagingAcrossRoutes(t *testing.T) {
	w := newCoverageWorld(t)
	b := w.browse()
	defer func(n int) { coveragePerPage = n }(coveragePerPage)
	coveragePerPage = 2
	var pages [][]coverageLine
	path := w.coveragePath(w.xiaomi, url.Values{})
	for i := 0; path != "" && i < 10; i++ {
		doc := parseHTML(t, b.get(path))
		pages = append(pages, w.coverageLines(doc))
		path = testid(doc, "next-page").AttrOr("href", "")
	}
	cross := grantOf(w.cross)
	// Routes in order (ownership, the affiliate's, the licence), patents by
	// id within each: the second page starts in one route and ends in the next.
	want := [][]coverageLine{
		{{"P5", "owner", "", "2036-02-01"}, {"P7", "owner", "", "2035-06-01"}},
		{{"P8", "affiliate_owner", "", "2036-03-01"}, {"P1", "license", cross, "2030-12-31"}},
		{{"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"}},
	}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Fatalf("pages\n got %v\nwant %v", pages, want)
	}
	t.Run("ExportHasEveryRowOfThePages", func(t *testing.T) {
		res := b.get(fmt.Sprintf("/companies/%d/coverage.csv", w.xiaomi.ID))
		wantStatus(t, res, http.StatusOK)
		records, err := csv.NewReader(res.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(records[0], coverageHeader) {
			t.Errorf("header %v", records[0])
		}
		var got []string
		for _, r := range records[1:] {
			got = append(got, r[0]+" "+r[3]+" "+r[5]+" "+r[12])
		}
		var fromPages []string
		for _, page := range pages {
			for _, l := range page {
				fromPages = append(fromPages, patentNumberOf(w, l.patent)+" "+l.kind+" "+l.grant+" "+l.until)
			}
		}
		if !slices.Equal(got, fromPages) {
			t.Errorf("export rows\n got %v\nwant %v", got, fromPages)
		}
		licence := records[len(records)-1]
		if licence[6] != "Nokia Corporation" || licence[7] != "Xiaomi Corporation" || licence[9] != "mobile devices" || licence[10] != "WORLD" ||
			licence[11] != "make|use|sell|offer_to_sell|import" {
			t.Errorf("licence row %v", licence)
		}
	})
	t.Run("CursorFromElsewhereStartsAgain", func(t *testing.T) {
		doc := parseHTML(t, b.get(w.coveragePath(w.xiaomi, url.Values{"after": {"garbage"}})))
		if testid(doc, "error-after").Length() != 1 || len(w.coverageLines(doc)) != 2 {
			t.Errorf("bad cursor: error %d, rows %d", testid(doc, "error-after").Length(), len(w.coverageLines(doc)))
		}
	})
}

// patentNumberOf is a world patent's normalized number.
func patentNumberOf(w *coverageWorld, label string) string {
	p, err := w.app.db.Patent(context.Background(), w.p[label].ID)
	if err != nil {
		w.app.t.Fatal(err)
	}
	return p.Normalized
}

func TestCompanyRightsBox(t *testing.T) {
	w := newCoverageWorld(t)
	b := w.browse()
	doc := parseHTML(t, b.get(fmt.Sprintf("/companies/%d", w.xiaomi.ID)))
	box := testid(doc, "company-rights")
	if box.AttrOr("hx-get", "") != fmt.Sprintf("/companies/%d/rights", w.xiaomi.ID) {
		t.Errorf("the company page's rights box does not load its counts: %q", box.AttrOr("hx-get", ""))
	}
	if href := testid(doc, "company-coverage-link").AttrOr("href", ""); href != fmt.Sprintf("/companies/%d/coverage", w.xiaomi.ID) {
		t.Errorf("coverage link %q", href)
	}
	res := b.get(fmt.Sprintf("/companies/%d/rights", w.xiaomi.ID))
	wantStatus(t, res, http.StatusOK)
	doc = parseHTML(t, res)
	if got := testid(doc, "company-coverage-count").AttrOr("data-count", ""); got != "5" {
		t.Errorf("patents it may practise today: %s, want 5", got)
	}
	if got := agreementText(testid(doc, "company-coverage-count").Text()); got != "5 patents today, 1 licence" {
		t.Errorf("counts read %q", got)
	}
	if got := testid(doc, "company-out-count").AttrOr("data-count", ""); got != "1" {
		t.Errorf("grants to others: %s, want 1 (the exclusive licence to Apple)", got)
	}
}
