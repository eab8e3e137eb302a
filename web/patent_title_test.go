package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPatentPageShowsTitleAndBurdens reads the patent pages of the
// agreement world: the sold NR patent shows Nokia, then Xiaomi since the
// sale; the LTE patent, which Nokia assigned without owning it (its
// subsidiary did), stays with Nokia Technologies and shows the break; the
// cross-licence's portfolio grant burdens the LTE patent.
func TestPatentPageShowsTitleAndBurdens(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	holdings := func(doc *goquery.Document) []string {
		var out []string
		testid(doc, "title-holding").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-owner", "")) })
		return out
	}

	res := b.get(fmt.Sprintf("/patents/%d", w.nr.ID))
	wantStatus(t, res, http.StatusOK)
	doc := parseHTML(t, res)
	if got := holdings(doc); !slices.Equal(got, []string{"Nokia Corporation", "Xiaomi Corporation"}) {
		t.Errorf("chain of the sold patent %v", got)
	}
	if got := strings.TrimSpace(testid(doc, "fact-owner").Text()); got != "Xiaomi Corporation" {
		t.Errorf("owner today %q", got)
	}
	if dates := strings.Join(strings.Fields(testid(doc, "holding-dates").Last().Text()), " "); !strings.Contains(dates, "2017") {
		t.Errorf("the buyer's holding says %q", dates)
	}
	if href := testid(doc, "holding-agreement").AttrOr("href", ""); href != agreementPath(w.crossLicence) {
		t.Errorf("the sale links to %q", href)
	}

	doc = parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.lte.ID)))
	if got := holdings(doc); !slices.Equal(got, []string{"Nokia Technologies Oy"}) {
		t.Errorf("chain of the patent with a break %v", got)
	}
	if breaks := testid(doc, "title-break"); breaks.Length() != 1 || !strings.Contains(breaks.Text(), "Nokia Corporation") {
		t.Errorf("title breaks %q", breaks.Text())
	}
	grants := testid(doc, "patent-grant")
	if grants.Length() != 1 || grants.AttrOr("data-licensee", "") != "Xiaomi Corporation" || !strings.Contains(grants.Text(), refCross) {
		t.Errorf("grants on the LTE patent: %d %q", grants.Length(), grants.Text())
	}
	// The cross-licence expired on 2024-07-04: its grant is shown as ended.
	if grants.Find(`[data-testid="grant-ended"]`).Length() != 1 {
		t.Error("the expired cross-licence's grant is not marked as ended")
	}
	doc = parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.iot.ID)))
	if testid(doc, "patent-grant").Length() != 0 || len(testid(doc, "patent-grants").Text()) == 0 {
		t.Error("a patent no grant reaches should say so")
	}
}

// TestPatentListByOwnerOnADay filters the patents list by the owner on a
// chosen day, before and on the day of the sale, and by the scope of a
// grant and the transfers of an agreement.
func TestPatentListByOwnerOnADay(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	list := func(query url.Values) []string {
		t.Helper()
		res := b.get("/patents?" + query.Encode())
		wantStatus(t, res, http.StatusOK)
		return rowNumbers(parseHTML(t, res))
	}
	for _, c := range []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"BuyerToday", url.Values{"owner": {"Xiaomi Corporation"}}, []string{iotNo, nrNo}},
		{"BuyerTheDayBeforeTheSale", url.Values{"owner": {"Xiaomi Corporation"}, "owner_on": {"2017-07-04"}}, []string{iotNo}},
		{"BuyerOnTheDayOfTheSale", url.Values{"owner": {"Xiaomi Corporation"}, "owner_on": {"2017-07-05"}}, []string{iotNo, nrNo}},
		{"SellerTheDayBefore", url.Values{"owner": {"Nokia Corporation"}, "owner_on": {"2017-07-04"}}, []string{nrNo}},
		{"SellerGroupTheDayBefore", url.Values{"owner": {"Nokia Corporation"}, "affiliates": {"1"}, "owner_on": {"2017-07-04"}},
			[]string{lapsedNo, lteNo, nrNo}},
		{"TransferredByTheAgreement", url.Values{"agreement": {fmt.Sprint(w.crossLicence.ID)}}, []string{lteNo, nrNo}},
		{"InTheGrantScope", url.Values{"grant": {fmt.Sprint(w.crossLicence.Grants[0].ID)}}, []string{lteNo}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := list(c.query); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.query.Encode(), got, c.want)
			}
		})
	}
	t.Run("OwnerColumnOnTheDay", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?owner_on=2017-07-04&q=beam"))
		if got := strings.TrimSpace(testid(doc, "patent-owner").First().Text()); got != "Nokia Corporation" {
			t.Errorf("owner on 2017-07-04 shown as %q", got)
		}
	})
	t.Run("UnknownGrant", func(t *testing.T) {
		res := b.get("/patents?grant=999999")
		wantStatus(t, res, http.StatusOK)
		doc := parseHTML(t, res)
		if !strings.Contains(doc.Text(), "999999") || len(rowNumbers(doc)) != 0 {
			t.Error("an unknown grant should be named and list nothing")
		}
	})
}

// TestTitleBreakReport lists the chain-of-title break of the agreement world
// on the report page and in its CSV export.
func TestTitleBreakReport(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get("/reports"))
	if testid(doc, "report-title-breaks").AttrOr("href", "") != "/reports/title-breaks" {
		t.Error("the reports page does not link the title-break report")
	}
	if testid(doc, "report-conflicts").AttrOr("href", "") != "/conflicts" || testid(doc, "report-rights-matrix").AttrOr("href", "") != "/rights/matrix" {
		t.Error("the reports page does not link the conflicts and the rights matrix")
	}
	res := b.get("/reports/title-breaks")
	wantStatus(t, res, http.StatusOK)
	rows := testid(parseHTML(t, res), "title-break-row")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), lteNo) || !strings.Contains(rows.Text(), refCross) {
		t.Errorf("report rows %d: %q", rows.Length(), rows.Text())
	}
	res = b.get("/reports/title-breaks.csv")
	wantStatus(t, res, http.StatusOK)
	body, _ := io.ReadAll(res.Body)
	lines := strings.Split(strings.TrimSpace(string(body)), "\r\n")
	if len(lines) != 2 || lines[0] != strings.Join(titleBreakHeader, ",") ||
		lines[1] != "EP1234567B1,2017-07-05,Nokia Corporation,Xiaomi Corporation,Nokia Technologies Oy,"+refCross {
		t.Errorf("CSV:\n%s", body)
	}
}
