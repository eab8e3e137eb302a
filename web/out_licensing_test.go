package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/licensing"
)

// outLicenceRows lists the grants of an out-licensing page as "grant:count".
func outLicenceRows(doc *goquery.Document) []string {
	var out []string
	testid(doc, "out-licence").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-grant", "")+":"+s.AttrOr("data-count", ""))
	})
	return out
}

func TestOutLicensing(t *testing.T) {
	w := newCoverageWorld(t)
	b := w.browse()
	cross, hmd, excl, option := grantOf(w.cross), grantOf(w.hmdLicence), grantOf(w.exclusive), grantOf(w.option)
	path := func(c *licensing.Company, q url.Values) string {
		return fmt.Sprintf("/companies/%d/out-licensing?%s", c.ID, q.Encode())
	}
	cases := []struct {
		name    string
		company *licensing.Company
		query   url.Values
		want    []string // grant:patents in force that day, by agreement reference
	}{
		// P1, P2, P7 (LTE, Nokia's within the capture window, P7 since sold);
		// P1, P2, P3, P7, P9 (cellular; the lapsed P6 not in force).
		{"GroupsGrantsInForce", w.nokia, url.Values{}, []string{hmd + ":5", cross + ":3"}},
		{"SubsidiaryAnswersForItsGroup", w.tech, url.Values{}, []string{hmd + ":5", cross + ":3"}},
		{"AllTakesInTheNegotiation", w.nokia, url.Values{"all": {"1"}}, []string{hmd + ":5", cross + ":3", option + ":1"}},
		{"LicenseeByAffiliate", w.nokia, url.Values{"licensee": {"Xiaomi Inc."}}, []string{cross + ":3"}},
		{"LicenseeNotLicensed", w.nokia, url.Values{"licensee": {"Apple Inc."}}, nil},
		{"FieldKeepsGrantsForEveryField", w.nokia, url.Values{"field": {"smart home"}}, []string{hmd + ":5"}},
		{"FieldNamed", w.nokia, url.Values{"field": {"Mobile Devices"}}, []string{hmd + ":5", cross + ":3"}},
		{"ExclusiveGrant", w.xiaomi, url.Values{}, []string{excl + ":1"}},
		{"BeforeAnyGrant", w.nokia, url.Values{"on": {"2017-12-31"}}, nil},
		{"AfterTheHMDGrantEnds", w.nokia, url.Values{"on": {"2028-07-01"}}, []string{cross + ":3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(path(tc.company, tc.query))
			wantStatus(t, res, http.StatusOK)
			if got := outLicenceRows(parseHTML(t, res)); !slices.Equal(got, tc.want) {
				t.Errorf("grants %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("RowSaysWhoWhereAndUntilWhen", func(t *testing.T) {
		doc := parseHTML(t, b.get(path(w.nokia, url.Values{"licensee": {"HMD Global Oy"}})))
		row := testid(doc, "out-licence")
		if got := row.Find(`[data-testid="out-patents"]`).AttrOr("href", ""); got != "/patents?grant="+hmd {
			t.Errorf("patents link %q", got)
		}
		if got := row.Find(`[data-testid="out-grant"]`).AttrOr("href", ""); got != fmt.Sprintf("/agreements/%d#grant-%s", w.hmdLicence.ID, hmd) {
			t.Errorf("grant link %q", got)
		}
		if got := agreementText(row.Find("td.date").Text()); got != "2028-06-30" {
			t.Errorf("ends %q", got)
		}
		if got := agreementText(row.Find(".grant-words").Text()); got != "under all their patents tagged cellular owned at any time" {
			t.Errorf("scope %q", got)
		}
		var limits []string
		row.Find("td").Eq(3).Find("div").Each(func(_ int, s *goquery.Selection) { limits = append(limits, agreementText(s.Text())) })
		if !slices.Equal(limits, []string{"Territories: European Union", "All fields of use"}) {
			t.Errorf("limits %q", limits)
		}
	})
	t.Run("NegotiationMarkedNotInForce", func(t *testing.T) {
		doc := parseHTML(t, b.get(path(w.nokia, url.Values{"all": {"1"}})))
		marked := testid(doc, "out-licence").Has(`[data-testid="out-not-in-force"]`)
		if marked.Length() != 1 || marked.AttrOr("data-grant", "") != option {
			t.Errorf("%d grants marked not in force", marked.Length())
		}
	})
	t.Run("Export", func(t *testing.T) {
		res := b.get(fmt.Sprintf("/companies/%d/out-licensing.csv?all=1", w.nokia.ID))
		wantStatus(t, res, http.StatusOK)
		records, err := csv.NewReader(res.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 4 || !slices.Equal(records[0], outLicensingHeader) {
			t.Fatalf("export %v", records)
		}
		hmdRow := records[1]
		if hmdRow[0] != "NOK-HMD-2018" || hmdRow[4] != "HMD Global Oy" || hmdRow[8] != "EU" || hmdRow[11] != "2028-06-30" ||
			hmdRow[12] != "yes" || hmdRow[13] != "5" {
			t.Errorf("HMD row %v", hmdRow)
		}
		if option := records[3]; option[2] != "negotiation" || option[12] != "no" {
			t.Errorf("option row %v", option)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		defer func(n int) { outLicensingPerPage = n }(outLicensingPerPage)
		outLicensingPerPage = 2
		doc := parseHTML(t, b.get(path(w.nokia, url.Values{"all": {"1"}})))
		first := outLicenceRows(doc)
		next := testid(doc, "next-page").AttrOr("href", "")
		if len(first) != 2 || next == "" {
			t.Fatalf("first page %v, next %q", first, next)
		}
		doc = parseHTML(t, b.get(next))
		if got := outLicenceRows(doc); !slices.Equal(got, []string{option + ":1"}) || testid(doc, "next-page").Length() != 0 {
			t.Errorf("second page %v", got)
		}
	})
	t.Run("German", func(t *testing.T) {
		g := w.browse()
		g.lang = "de"
		doc := parseHTML(t, g.get(path(w.xiaomi, url.Values{})))
		if got := agreementText(testid(doc, "out-exclusivity").Text()); got != "Ausschließlich" {
			t.Errorf("exclusivity %q", got)
		}
		if got := agreementText(testid(doc, "out-licensing-count").Text()); got != "1 Rechteeinräumung" {
			t.Errorf("count %q", got)
		}
	})
}
