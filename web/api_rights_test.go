package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The rights endpoints of the API over the worlds of the rights pages'
// tests (coverage_test.go, conflicts_find_test.go): the API must give the
// answers the pages give. The clock stands at 2026-11-21.

// apiRightsViewer is a viewer's client: every rights endpoint only reads.
func apiRightsViewer(app *testApp) *apiClient { return app.apiClient("v@example.com", auth.RoleViewer) }

// rightsQuery builds a query string from name, value pairs.
func rightsQuery(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func TestAPIRightsCheck(t *testing.T) {
	w := newCoverageWorld(t)
	api := apiRightsViewer(w.app)
	cross, excl, option := w.cross.Grants[0].ID, w.exclusive.Grants[0].ID, w.option.Grants[0].ID
	type basis struct {
		kind, agreement string
		grant           int64
		until, through  string
	}
	cases := []struct {
		name              string
		query             string
		verdict, on, terr string
		bases             []basis
		nearMisses        []string // "grant:condition"
		shutOut           []int64
		company, patent   string
		hypotheticalBasis bool
	}{
		{name: "LicenceWithItsBasis", query: rightsQuery("company", "Xiaomi Corporation", "patent", "EP 3 000 001 B1", "territory", "de",
			"field", "mobile devices", "activity", "sell", "on", "2020-06-01"),
			verdict: "covered", on: "2020-06-01", terr: "DE", company: "Xiaomi Corporation", patent: "EP3000001B1",
			bases: []basis{{"license", "NOK-XIA-2020", cross, "2030-12-31", ""}}},
		{name: "DefaultsTodayAndThePatentsCountry", query: rightsQuery("company", fmt.Sprint(w.hmd.ID), "patent", "DE102016000009B4"),
			verdict: "covered", on: "2026-11-21", terr: "DE", company: "HMD Global Oy", patent: "DE102016000009B4",
			bases: []basis{{"license", "NOK-HMD-2018", w.hmdLicence.Grants[0].ID, "2028-06-30", ""}}},
		{name: "AffiliateCoveredThroughTheLicensee", query: rightsQuery("company", "Xiaomi Inc.", "patent", "US9000002B2", "field", "mobile devices"),
			verdict: "covered", on: "2026-11-21", terr: "US", company: "Xiaomi Inc.", patent: "US9000002B2",
			bases: []basis{{"license", "NOK-XIA-2020", cross, "2030-12-31", "Xiaomi Corporation"}}},
		{name: "OwnerShutOutByAnExclusiveLicence", query: rightsQuery("company", "Xiaomi Corporation", "patent", "CN 100000004 B"),
			verdict: "not_covered", on: "2026-11-21", terr: "CN", company: "Xiaomi Corporation", patent: "CN100000004B", shutOut: []int64{excl}},
		{name: "ExclusiveLicensee", query: rightsQuery("company", "Apple Inc.", "patent", "CN100000004B"),
			verdict: "covered", on: "2026-11-21", terr: "CN", company: "Apple Inc.", patent: "CN100000004B",
			bases: []basis{{"license", "XIA-APL-2021", excl, "2031-12-31", ""}}},
		{name: "TerritoryOutsideTheGrantIsANearMiss", query: rightsQuery("company", "HMD Global Oy", "patent", "US 9,000,002 B2"),
			verdict: "not_covered", on: "2026-11-21", terr: "US", company: "HMD Global Oy", patent: "US9000002B2",
			nearMisses: []string{fmt.Sprintf("%d:territory", w.hmdLicence.Grants[0].ID)}},
		{name: "LapsedPatentNeedsNoLicence", query: rightsQuery("company", "HMD Global Oy", "patent", "DE102015000006B4"),
			verdict: "not_required", on: "2026-11-21", terr: "DE", company: "HMD Global Oy", patent: "DE102015000006B4"},
		{name: "NegotiationDoesNotCount", query: rightsQuery("company", "Xiaomi Corporation", "patent", "US9000010B2", "field", "IoT devices"),
			verdict: "not_covered", on: "2026-11-21", terr: "US", company: "Xiaomi Corporation", patent: "US9000010B2",
			nearMisses: []string{fmt.Sprintf("%d:status", option)}},
		{name: "WhatIfCountsTheNegotiation", query: rightsQuery("company", "Xiaomi Corporation", "patent", "US9000010B2", "field", "IoT devices", "what_if", "true"),
			verdict: "covered", on: "2026-11-21", terr: "US", company: "Xiaomi Corporation", patent: "US9000010B2",
			bases: []basis{{"license", "NOK-XIA-IOT", option, "2036-05-01", ""}}, hypotheticalBasis: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := api.in(t)
			var v apiVerdict
			api.get("/api/v1/rights/check?"+tc.query, http.StatusOK, &v)
			if v.Verdict != tc.verdict || v.On != tc.on || v.Territory != tc.terr || v.Company != tc.company || v.Patent != tc.patent {
				t.Errorf("verdict %s on %s in %s for %s, %s; want %s on %s in %s for %s, %s (reasons %v)",
					v.Verdict, v.On, v.Territory, v.Company, v.Patent, tc.verdict, tc.on, tc.terr, tc.company, tc.patent, v.Reasons)
			}
			if v.CompanyID == 0 || v.PatentID == 0 {
				t.Errorf("ids: company %d, patent %d", v.CompanyID, v.PatentID)
			}
			var bases []basis
			for _, b := range v.Bases {
				until := ""
				if b.Until != nil {
					until = *b.Until
				}
				bases = append(bases, basis{b.Kind, b.Agreement, b.Grant, until, b.Through})
				if b.Reason == "" {
					t.Errorf("basis %+v without a reason", b)
				}
			}
			if !slices.Equal(bases, tc.bases) {
				t.Errorf("bases %+v, want %+v", bases, tc.bases)
			}
			if tc.hypotheticalBasis != (len(v.Bases) > 0 && v.Bases[0].Hypothetical) || v.WhatIf != tc.hypotheticalBasis {
				t.Errorf("hypothetical: basis %+v, what_if %v", v.Bases, v.WhatIf)
			}
			var misses []string
			for _, n := range v.NearMisses {
				misses = append(misses, fmt.Sprintf("%d:%s", n.Grant, n.Failed))
			}
			for _, want := range tc.nearMisses {
				if !slices.Contains(misses, want) {
					t.Errorf("near misses %v, want %s among them", misses, want)
				}
			}
			var shut []int64
			for _, b := range v.ShutOut {
				shut = append(shut, b.Grant)
			}
			if !slices.Equal(shut, tc.shutOut) {
				t.Errorf("shut out by %v, want %v", shut, tc.shutOut)
			}
			if len(v.Reasons) == 0 {
				t.Error("no reasons")
			}
		})
	}
	t.Run("ListsAreNeverNull", func(t *testing.T) {
		api := api.in(t)
		res := api.get("/api/v1/rights/check?"+rightsQuery("company", "HMD Global Oy", "patent", "DE102015000006B4"), http.StatusOK, nil)
		for _, key := range []string{`"bases":[]`, `"near_misses":[]`} {
			if !strings.Contains(string(res.Body), key) {
				t.Errorf("answer lacks %s: %s", key, res.Body)
			}
		}
	})
	t.Run("SameAsTheCommandLine", func(t *testing.T) {
		api := api.in(t)
		ans, err := CheckRights(context.Background(), w.app.db, RightsRequest{Company: "Xiaomi Corporation", Patent: "US9000002B2", On: "2020-06-01"},
			licensing.MustDate("2026-11-21"))
		if err != nil {
			t.Fatal(err)
		}
		var v apiVerdict
		api.get("/api/v1/rights/check?"+rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "on", "2020-06-01"), http.StatusOK, &v)
		got, _ := json.Marshal(v.VerdictJSON)
		want, _ := json.Marshal(NewVerdictJSON(ans))
		if string(got) != string(want) {
			t.Errorf("API\n %s\ncommand line\n %s", got, want)
		}
	})

	w.company(&licensing.Company{Name: "Nokia Solutions and Networks Oy", ShortName: "nokia"})
	if err := w.app.db.CreatePatent(context.Background(), sqlite.SystemActor(), &licensing.Patent{Number: "US 9,000,002 B1", Title: "Earlier grant",
		FiledOn: licensing.MustDate("2015-03-01"), Status: licensing.StatusGranted, OriginalOwnerID: w.nokia.ID}); err != nil {
		t.Fatal(err)
	}
	errCases := []struct {
		name   string
		query  string
		fields []string
		says   string // in the field's message
	}{
		{"NothingAsked", "", []string{"company", "patent"}, ""},
		{"UnknownCompanyAndPatent", rightsQuery("company", "Nokla", "patent", "US 1,111,111 B2"), []string{"company", "patent"}, "Nokla"},
		{"AmbiguousCompanyListsTheCandidates", rightsQuery("company", "Nokia", "patent", "US9000002B2"), []string{"company"}, "Nokia Solutions and Networks Oy"},
		{"AmbiguousPatentNumber", rightsQuery("company", "Xiaomi Corporation", "patent", "US 9,000,002"), []string{"patent"}, ""},
		{"EPPatentNeedsACountry", rightsQuery("company", "Xiaomi Corporation", "patent", "EP3000001B1"), []string{"territory"}, "DE"},
		{"TerritoryNotACountry", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "territory", "EU"), []string{"territory"}, ""},
		{"UnknownActivity", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "activity", "steal"), []string{"activity"}, "make"},
		{"ImpossibleDate", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "on", "2020-02-30"), []string{"on"}, "YYYY-MM-DD"},
		{"GermanDateRefused", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "on", "01.03.2020"), []string{"on"}, "YYYY-MM-DD"},
		{"WhatIfNotAFlag", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "what_if", "perhaps"), []string{"what_if"}, ""},
		{"EveryProblemAtOnce", rightsQuery("company", "Nokla", "patent", "EP3000001B1", "activity", "steal", "on", "x", "territory", "XX"),
			[]string{"company", "activity", "on", "territory"}, ""},
		{"UnknownParameter", rightsQuery("company", "Xiaomi Corporation", "patent", "US9000002B2", "country", "DE"), []string{"country"}, "territory"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			api := api.in(t)
			e := api.wantError(http.MethodGet, "/api/v1/rights/check?"+tc.query, nil, http.StatusUnprocessableEntity, "invalid", tc.fields...)
			if len(e.Error.Fields) != len(tc.fields) {
				t.Errorf("fields %v, want only %v", e.Error.Fields, tc.fields)
			}
			if msg := e.Error.Fields[tc.fields[0]]; !strings.Contains(msg, tc.says) {
				t.Errorf("%s: %q does not say %q", tc.fields[0], msg, tc.says)
			}
		})
	}
}

// TestAPIRightsUnauthenticated: every rights endpoint needs a token, and
// a viewer's token reads them all.
func TestAPIRightsUnauthenticated(t *testing.T) {
	w := newCoverageWorld(t)
	viewer := apiRightsViewer(w.app)
	anon := &apiClient{t: t, app: w.app}
	bad := &apiClient{t: t, app: w.app, token: "pd_not_a_token"}
	for _, path := range []string{
		"/api/v1/rights/check?" + rightsQuery("company", "Apple Inc.", "patent", "CN100000004B"),
		"/api/v1/rights/coverage?" + rightsQuery("company", "Apple Inc."),
		"/api/v1/rights/matrix",
		"/api/v1/conflicts",
	} {
		t.Run(strings.Split(path, "?")[0], func(t *testing.T) {
			viewer := viewer.in(t)
			anon := anon.in(t)
			bad := bad.in(t)
			anon.wantError(http.MethodGet, path, nil, http.StatusUnauthorized, "unauthorized")
			bad.wantError(http.MethodGet, path, nil, http.StatusUnauthorized, "unauthorized")
			viewer.get(path, http.StatusOK, nil)
		})
	}
}

// coverageLinesOf reads an API coverage page as coverage lines.
func (w *coverageWorld) coverageLinesOf(page listPage[apiCoverageItem]) []coverageLine {
	var out []coverageLine
	for _, it := range page.Items {
		grant, until := "", ""
		if it.Grant != 0 {
			grant = fmt.Sprint(it.Grant)
		}
		if it.Until != nil {
			until = *it.Until
		}
		out = append(out, coverageLine{w.label(fmt.Sprint(it.PatentID)), it.Basis, grant, until})
	}
	return out
}

func TestAPIRightsCoverage(t *testing.T) {
	w := newCoverageWorld(t)
	api := apiRightsViewer(w.app)
	cross, hmd, excl, option := grantOf(w.cross), grantOf(w.hmdLicence), grantOf(w.exclusive), grantOf(w.option)
	licensed := []coverageLine{{"P1", "license", cross, "2030-12-31"}, {"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"}}
	// The cases of the coverage page (TestCoverage), asked of the API.
	cases := []struct {
		name  string
		query string
		want  []coverageLine
	}{
		{"EveryBasisWithItsLastDay", rightsQuery("company", "Xiaomi Corporation"), []coverageLine{
			{"P1", "license", cross, "2030-12-31"}, {"P2", "license", cross, "2030-12-31"}, {"P5", "owner", "", "2036-02-01"},
			{"P7", "license", cross, "2030-12-31"}, {"P7", "owner", "", "2035-06-01"}, {"P8", "affiliate_owner", "", "2036-03-01"},
		}},
		{"CompanyById", rightsQuery("company", fmt.Sprint(w.hmd.ID)), []coverageLine{{"P1", "license", hmd, "2028-06-30"}, {"P9", "license", hmd, "2028-06-30"}}},
		{"LicenseeAffiliate", rightsQuery("company", "Xiaomi Inc.", "kind", "license"), licensed},
		{"LicensorFilterTakesTheLicensorsGroup", rightsQuery("company", "Xiaomi Corporation", "licensor", "Nokia Technologies Oy"), licensed},
		{"LicensorWithoutGrants", rightsQuery("company", "Xiaomi Corporation", "licensor", "Apple Inc."), nil},
		{"TerritoryDesignatedEPState", rightsQuery("company", "HMD Global Oy", "territory", "fr"), []coverageLine{{"P1", "license", hmd, "2028-06-30"}}},
		{"TerritoryOutsideTheGrant", rightsQuery("company", "HMD Global Oy", "territory", "US"), nil},
		{"ExclusiveLicenseeCovered", rightsQuery("company", "Apple Inc."), []coverageLine{{"P4", "license", excl, "2031-12-31"}}},
		{"FieldOutsideTheLicence", rightsQuery("company", "Xiaomi Corporation", "field", "smart home", "kind", "license"), nil},
		{"ActivityOutsideTheLicence", rightsQuery("company", "Xiaomi Corporation", "activity", "have_made", "kind", "license"), nil},
		{"OwnerFilterIsAMatrixCell", rightsQuery("company", "Xiaomi Corporation", "owner", "Nokia Technologies Oy"), []coverageLine{{"P1", "license", cross, "2030-12-31"}}},
		{"NegotiationIgnored", rightsQuery("company", "Xiaomi Corporation", "kind", "license", "field", "IoT devices"), nil},
		{"WhatIfCountsTheNegotiation", rightsQuery("company", "Xiaomi Corporation", "kind", "license", "field", "IoT devices", "what_if", "1"),
			[]coverageLine{{"P10", "license", option, "2036-05-01"}}},
		{"BeforeTheLicence", rightsQuery("company", "Xiaomi Corporation", "on", "2019-12-31", "kind", "license"), nil},
		{"OnTheLicencesFirstDay", rightsQuery("company", "Xiaomi Corporation", "on", "2020-01-01", "kind", "license"), licensed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := api.in(t)
			var page listPage[apiCoverageItem]
			res := api.get("/api/v1/rights/coverage?"+tc.query, http.StatusOK, &page)
			if got := sortedLines(w.coverageLinesOf(page)); !slices.Equal(got, sortedLines(tc.want)) {
				t.Errorf("items\n got %v\nwant %v", got, tc.want)
			}
			if page.Next != nil {
				t.Errorf("next %q on the only page", *page.Next)
			}
			if !strings.Contains(string(res.Body), `"items":[`) || !strings.Contains(string(res.Body), `"next":null`) {
				t.Errorf("not the list shape: %s", res.Body)
			}
		})
	}
	t.Run("ItemsNameTheirBasis", func(t *testing.T) {
		api := api.in(t)
		var page listPage[apiCoverageItem]
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", "Xiaomi Inc."), http.StatusOK, &page)
		var licence, affiliate *apiCoverageItem
		for i, it := range page.Items {
			switch {
			case it.Basis == "license" && licence == nil:
				licence = &page.Items[i]
			case it.Basis == "affiliate_owner" && affiliate == nil:
				affiliate = &page.Items[i]
			}
		}
		if licence == nil || affiliate == nil {
			t.Fatalf("items %+v", page.Items)
		}
		if licence.Agreement != "NOK-XIA-2020" || licence.AgreementID != w.cross.ID || licence.Licensor != "Nokia Corporation" ||
			licence.Licensee != "Xiaomi Corporation" || licence.Through != "Xiaomi Corporation" ||
			!slices.Equal(licence.Fields, []string{"mobile devices"}) || !slices.Equal(licence.Territories, []string{"WORLD"}) ||
			!slices.Equal(licence.Activities, []string{"make", "use", "sell", "offer_to_sell", "import"}) || licence.Title == "" || licence.Office == "" {
			t.Errorf("licence item %+v", *licence)
		}
		// Xiaomi Inc.'s parent owns P5 and P7.
		if affiliate.Holder != "Xiaomi Corporation" || affiliate.Through != "Xiaomi Corporation" || affiliate.Agreement != "" ||
			affiliate.Fields == nil || len(affiliate.Fields) != 0 || affiliate.Until == nil {
			t.Errorf("affiliate item %+v", *affiliate)
		}
	})
	t.Run("WhatIfMarked", func(t *testing.T) {
		api := api.in(t)
		var page listPage[apiCoverageItem]
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", "Xiaomi Corporation", "what_if", "true"), http.StatusOK, &page)
		var marked []string
		for _, it := range page.Items {
			if it.Hypothetical {
				marked = append(marked, fmt.Sprint(it.Grant))
			}
		}
		if !slices.Equal(marked, []string{option}) {
			t.Errorf("hypothetical items of grants %v, want only the option's %s", marked, option)
		}
	})
	errCases := []struct {
		name   string
		query  string
		fields []string
	}{
		{"NoCompany", "", []string{"company"}},
		{"UnknownCompanies", rightsQuery("company", "Nokla", "licensor", "Appel", "owner", "Nobody"), []string{"company", "licensor", "owner"}},
		{"BadFilters", rightsQuery("company", "Xiaomi Corporation", "territory", "EU", "activity", "steal", "kind", "bought", "on", "2026-02-30", "what_if", "x"),
			[]string{"territory", "activity", "kind", "on", "what_if"}},
		{"UnknownParameter", rightsQuery("company", "Xiaomi Corporation", "after", "x"), []string{"after"}},
		{"LimitTooLarge", rightsQuery("company", "Xiaomi Corporation", "limit", "1001"), []string{"limit"}},
		{"LimitZero", rightsQuery("company", "Xiaomi Corporation", "limit", "0"), []string{"limit"}},
		{"CursorOfAnotherList", rightsQuery("company", "Xiaomi Corporation", "cursor", encodeAPICursor("patents", "12")), []string{"cursor"}},
		{"CursorNotACursor", rightsQuery("company", "Xiaomi Corporation", "cursor", "garbage"), []string{"cursor"}},
		{"CursorWithABadPosition", rightsQuery("company", "Xiaomi Corporation", "cursor", coverageCursorOf(rightsQuery("company", "Xiaomi Corporation"), "7.1.2")), []string{"cursor"}},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			api := api.in(t)
			e := api.wantError(http.MethodGet, "/api/v1/rights/coverage?"+tc.query, nil, http.StatusUnprocessableEntity, "invalid", tc.fields...)
			if len(e.Error.Fields) != len(tc.fields) {
				t.Errorf("fields %v, want only %v", e.Error.Fields, tc.fields)
			}
		})
	}
}

// coverageCursorOf is the cursor of a position in the coverage asked by
// query, as the API would issue it.
func coverageCursorOf(query, position string) string {
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/?"+query, nil), nil)
	return encodeAPICursor(filteredList(c, "coverage"), position)
}

func TestAPIRightsCoveragePages(t *testing.T) {
	w := newCoverageWorld(t)
	api := apiRightsViewer(w.app)
	cross := grantOf(w.cross)
	pages := func(t *testing.T, limit string) (out [][]coverageLine) {
		t.Helper()
		api := api.in(t)
		path := "/api/v1/rights/coverage?" + rightsQuery("company", "Xiaomi Corporation", "limit", limit)
		for i := 0; path != "" && i < 10; i++ {
			var page listPage[apiCoverageItem]
			api.get(path, http.StatusOK, &page)
			out = append(out, w.coverageLinesOf(page))
			path = ""
			if page.Next != nil {
				path = "/api/v1/rights/coverage?" + rightsQuery("company", "Xiaomi Corporation", "limit", limit, "cursor", *page.Next)
			}
		}
		return out
	}
	// Routes in order (ownership, the affiliate's, the licence), patents by
	// id within each: the second page starts in one route and ends in the next.
	want := [][]coverageLine{
		{{"P5", "owner", "", "2036-02-01"}, {"P7", "owner", "", "2035-06-01"}},
		{{"P8", "affiliate_owner", "", "2036-03-01"}, {"P1", "license", cross, "2030-12-31"}},
		{{"P2", "license", cross, "2030-12-31"}, {"P7", "license", cross, "2030-12-31"}},
	}
	first := "/api/v1/rights/coverage?" + rightsQuery("company", "Xiaomi Corporation", "limit", "2")
	if got := pages(t, "2"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("pages\n got %v\nwant %v", got, want)
	}
	t.Run("PageEndingWithARoute", func(t *testing.T) {
		got := pages(t, "3")
		if len(got) != 2 || len(got[0]) != 3 || len(got[1]) != 3 {
			t.Errorf("pages of 3: %v", got)
		}
	})
	t.Run("StableWhenRowsAreAddedBeforeTheCursor", func(t *testing.T) {
		api := api.in(t)
		var page listPage[apiCoverageItem]
		api.get(first, http.StatusOK, &page)
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", "Xiaomi Corporation", "limit", "2", "cursor", *page.Next), http.StatusOK, &page)
		cursor := *page.Next
		// A new subsidiary with a patent: a route before the licence's, and
		// a patent Xiaomi owns before the cursor's place.
		comms := &licensing.Company{Name: "Xiaomi Communications Co., Ltd.", ParentID: w.xiaomi.ID}
		if err := w.app.db.CreateCompany(context.Background(), sqlite.SystemActor(), comms); err != nil {
			t.Fatal(err)
		}
		for _, p := range []*licensing.Patent{
			{Number: "CN 100000011 B", Title: "Added", FiledOn: licensing.MustDate("2017-01-01"), Status: licensing.StatusGranted, OriginalOwnerID: comms.ID},
			{Number: "CN 100000012 B", Title: "Added", FiledOn: licensing.MustDate("2017-01-01"), Status: licensing.StatusGranted, OriginalOwnerID: w.xiaomi.ID},
		} {
			if err := w.app.db.CreatePatent(context.Background(), sqlite.SystemActor(), p); err != nil {
				t.Fatal(err)
			}
		}
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", "Xiaomi Corporation", "limit", "2", "cursor", cursor), http.StatusOK, &page)
		if got := w.coverageLinesOf(page); fmt.Sprint(got) != fmt.Sprint(want[2]) || page.Next != nil {
			t.Errorf("the last page after inserts: %v (next %v), want %v", got, page.Next, want[2])
		}
	})
	t.Run("CursorOfOtherFiltersRefused", func(t *testing.T) {
		api := api.in(t)
		// A place in Xiaomi's coverage means nothing in another question:
		// continuing from it would skip rows of the other list.
		var page listPage[apiCoverageItem]
		api.get(first, http.StatusOK, &page)
		for _, q := range []string{rightsQuery("company", "HMD Global Oy", "limit", "2", "cursor", *page.Next),
			rightsQuery("company", "Xiaomi Corporation", "kind", "license", "limit", "2", "cursor", *page.Next)} {
			api.wantError(http.MethodGet, "/api/v1/rights/coverage?"+q, nil, http.StatusUnprocessableEntity, "invalid", "cursor")
		}
	})
}

func TestAPIRightsMatrix(t *testing.T) {
	w := newCoverageWorld(t)
	api := apiRightsViewer(w.app)
	var m apiMatrix
	api.get("/api/v1/rights/matrix", http.StatusOK, &m)
	order := []*licensing.Company{w.ap, w.hmd, w.nokia, w.tech, w.xiaomi, w.xiaomiInc}
	var names []string
	var ids []int64
	for _, c := range order {
		names, ids = append(names, c.Name), append(ids, c.ID)
	}
	if m.On != "2026-11-21" || !slices.Equal(m.Companies, names) || !slices.Equal(m.CompanyIDs, ids) {
		t.Fatalf("matrix on %s of %v (%v), want today, %v", m.On, m.Companies, m.CompanyIDs, names)
	}
	if len(m.Cells) != len(names) || !slices.Equal(m.Owned, []int{0, 0, 1, 4, 3, 1}) {
		t.Fatalf("%d rows, owned %v", len(m.Cells), m.Owned)
	}
	at := func(owner, user *licensing.Company) int {
		return m.Cells[slices.Index(ids, owner.ID)][slices.Index(ids, user.ID)]
	}
	// The cases of the matrix page (TestRightsMatrix): rows own, columns may practise.
	cases := []struct {
		name        string
		owner, user *licensing.Company
		want        int
	}{
		{"OwnPatents", w.nokia, w.nokia, 1},
		{"AffiliatesPatents", w.tech, w.nokia, 4},
		{"LicensedPortfolio", w.tech, w.xiaomi, 1},
		{"LicensedToTheLicenseesAffiliate", w.nokia, w.xiaomiInc, 1},
		{"PatentOfTwoRoutesCountedOnce", w.xiaomi, w.xiaomi, 2},
		{"ExclusiveLicensee", w.xiaomi, w.ap, 1},
		{"LicenceLimitedToTheEU", w.tech, w.hmd, 2},
		{"NothingLicensed", w.xiaomi, w.nokia, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := at(tc.owner, tc.user); got != tc.want {
				t.Errorf("%s may practise %d patents of %s, want %d", tc.user.Name, got, tc.owner.Name, tc.want)
			}
		})
	}
	t.Run("CellIsTheCoverageFilteredToTheOwner", func(t *testing.T) {
		api := api.in(t)
		var page listPage[apiCoverageItem]
		api.get("/api/v1/rights/coverage?"+rightsQuery("company", fmt.Sprint(w.xiaomi.ID), "owner", fmt.Sprint(w.tech.ID)), http.StatusOK, &page)
		distinct := map[int64]bool{}
		for _, it := range page.Items {
			distinct[it.PatentID] = true
		}
		if len(distinct) != at(w.tech, w.xiaomi) {
			t.Errorf("coverage behind the cell: %d patents, the cell %d", len(distinct), at(w.tech, w.xiaomi))
		}
	})
	t.Run("EarlierDay", func(t *testing.T) {
		api := api.in(t)
		var old apiMatrix
		api.get("/api/v1/rights/matrix?on=2019-12-31", http.StatusOK, &old)
		i, j := slices.Index(old.CompanyIDs, w.nokia.ID), slices.Index(old.CompanyIDs, w.xiaomi.ID)
		if old.On != "2019-12-31" || i < 0 || j < 0 || old.Cells[i][j] != 0 {
			t.Errorf("on 2019-12-31: %+v", old)
		}
	})
	t.Run("BadDate", func(t *testing.T) {
		api := api.in(t)
		api.wantError(http.MethodGet, "/api/v1/rights/matrix?on=31.02.2020", nil, http.StatusUnprocessableEntity, "invalid", "on")
	})
	t.Run("UnknownParameter", func(t *testing.T) {
		api := api.in(t)
		api.wantError(http.MethodGet, "/api/v1/rights/matrix?day=2020-01-01", nil, http.StatusUnprocessableEntity, "invalid", "day")
	})
	t.Run("EmptyRecord", func(t *testing.T) {
		app := newTestApp(t)
		res := apiRightsViewer(app).get("/api/v1/rights/matrix", http.StatusOK, nil)
		if !strings.Contains(string(res.Body), `"companies":[]`) || !strings.Contains(string(res.Body), `"cells":[]`) {
			t.Errorf("empty matrix %s", res.Body)
		}
	})
}

func TestAPIConflicts(t *testing.T) {
	cw := newConflictWorld(t)
	api := apiRightsViewer(cw.app)
	list := func(t *testing.T, q string) []apiConflict {
		t.Helper()
		api := api.in(t)
		var page struct{ Items []apiConflict }
		api.get("/api/v1/conflicts?"+q, http.StatusOK, &page)
		return page.Items
	}
	counts := func(items []apiConflict) map[string]int {
		out := map[string]int{}
		for _, c := range items {
			out[c.Kind]++
		}
		return out
	}
	all := list(t, "")
	t.Run("ListsAreNeverNull", func(t *testing.T) {
		api := api.in(t)
		res := api.get("/api/v1/conflicts?kind=stale_status", http.StatusOK, nil)
		if strings.Contains(string(res.Body), "null") || !strings.Contains(string(res.Body), `"grants":[]`) {
			t.Errorf("a stale status, which names no grant or patent: %s", res.Body)
		}
	})
	// The counts of the conflicts page (TestConflicts), kinds as CONTRACT.md spells them.
	want := map[string]int{"exclusive_overlap": 2, "licensor_not_owner": 1, "title_break": 1, "sublicense_outside_parent": 2,
		"stale_status": 1, "royalty_after_expiry": 1}
	if got := counts(all); !maps.Equal(got, want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	cases := []struct {
		name       string
		query      string
		kind       string
		agreements []string
		patents    []string
		grants     []int64
		says       string
	}{
		{"TitleBreak", rightsQuery("kind", "title_break"), "title_break", []string{"BAD-2019"}, []string{"US8000003B2"}, []int64{},
			"Xiaomi Corporation assigned US8000003B2 under BAD-2019"},
		{"Royalty", rightsQuery("agreement", "ROY-2020"), "royalty_after_expiry", []string{"ROY-2020"}, []string{"US8000004B2"},
			[]int64{cw.roy.Grants[0].ID}, "expires on 2027-01-01"},
		{"StaleStatusByAgreementID", rightsQuery("agreement", fmt.Sprint(cw.stale.ID)), "stale_status", []string{"OLD-2015"}, []string{}, []int64{}, "2024-12-31"},
		{"LicensorNotOwner", rightsQuery("kind", "LICENSOR_NOT_OWNER"), "licensor_not_owner", []string{"NONEX-2021"}, []string{"US8000002B2"},
			[]int64{cw.nonex.Grants[0].ID}, "never held it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := list(t, tc.query)
			if len(items) != 1 {
				t.Fatalf("%d conflicts, want one: %+v", len(items), items)
			}
			c := items[0]
			if c.Kind != tc.kind || !slices.Equal(c.Agreements, tc.agreements) || !slices.Equal(c.Patents, tc.patents) ||
				!slices.Equal(c.Grants, tc.grants) || !strings.Contains(c.Message, tc.says) {
				t.Errorf("conflict %+v", c)
			}
			if len(c.AgreementIDs) != len(c.Agreements) || len(c.PatentIDs) != len(c.Patents) {
				t.Errorf("ids beside the names: %+v", c)
			}
		})
	}
	t.Run("OverlapNamesBothAgreementsAndTheCommonPatent", func(t *testing.T) {
		items := list(t, rightsQuery("kind", "exclusive_overlap", "agreement", "NONEX-2021"))
		if len(items) != 1 || !slices.Equal(items[0].Agreements, []string{"EXCL-2020", "NONEX-2021"}) ||
			!slices.Equal(items[0].Patents, []string{"US8000001B2"}) || items[0].MorePatents != 0 ||
			!slices.Equal(items[0].PatentIDs, []int64{cw.q["Q1"].ID}) {
			t.Errorf("overlap %+v", items)
		}
	})
	t.Run("SameAsTheExport", func(t *testing.T) {
		res := cw.browse().get("/conflicts.csv")
		wantStatus(t, res, http.StatusOK)
		records, err := csv.NewReader(res.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var exported []string
		for _, r := range records[1:] {
			exported = append(exported, r[1])
		}
		var msgs []string
		for _, c := range all {
			msgs = append(msgs, c.Message)
		}
		if !slices.Equal(msgs, exported) {
			t.Errorf("messages\n API %v\n CSV %v", msgs, exported)
		}
	})
	t.Run("FilterByCompany", func(t *testing.T) {
		got := counts(list(t, rightsQuery("company", "Inter IKEA Systems B.V.")))
		if got["exclusive_overlap"] != 1 || got["sublicense_outside_parent"] != 2 || got["royalty_after_expiry"] != 0 {
			t.Errorf("IKEA's conflicts %v", got)
		}
		if withAffiliates := counts(list(t, rightsQuery("company", "Inter IKEA Systems B.V.", "affiliates", "true"))); !maps.Equal(withAffiliates, got) {
			t.Errorf("IKEA has no affiliates, yet %v", withAffiliates)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		api := api.in(t)
		api.wantError(http.MethodGet, "/api/v1/conflicts?"+rightsQuery("agreement", "NOPE", "kind", "odd", "company", "Nobody", "affiliates", "perhaps"), nil,
			http.StatusUnprocessableEntity, "invalid", "agreement", "kind", "company", "affiliates")
		api.wantError(http.MethodGet, "/api/v1/conflicts?status=open", nil, http.StatusUnprocessableEntity, "invalid", "status")
	})
	t.Run("CleanRecord", func(t *testing.T) {
		w := newCoverageWorld(t)
		res := apiRightsViewer(w.app).get("/api/v1/conflicts", http.StatusOK, nil)
		if strings.TrimSpace(string(res.Body)) != `{"items":[]}` {
			t.Errorf("a clean record: %s", res.Body)
		}
	})
}
