package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPatentPageWhoMayPractise reads the patent page's answer to "who may
// practise this patent today" in the rights world, on 2026-11-21.
func TestPatentPageWhoMayPractise(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	page := func(t *testing.T, id int64) *goquery.Document {
		t.Helper()
		res := b.get(fmt.Sprintf("/patents/%d", id))
		wantStatus(t, res, http.StatusOK)
		return parseHTML(t, res)
	}
	type licence struct{ licensee, grant, territories, fields, until string }
	licences := func(doc *goquery.Document) []licence {
		var out []licence
		testid(doc, "practise-licence").Each(func(_ int, s *goquery.Selection) {
			out = append(out, licence{s.AttrOr("data-licensee", ""), s.AttrOr("data-grant", ""),
				squash(s.Find(`[data-testid="practise-territories"]`).Text()), squash(s.Find(`[data-testid="practise-fields"]`).Text()),
				squash(s.Find(`[data-testid="practise-until"]`).Text())})
		})
		return out
	}
	conflicts := func(doc *goquery.Document) []string {
		var out []string
		testid(doc, "patent-conflict").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-kind", "")) })
		return out
	}

	t.Run("OwnerAndLicensees", func(t *testing.T) {
		doc := page(t, w.nr.ID)
		if got := testid(doc, "practise-owner-name").Text(); got != "Nokia Corporation" {
			t.Errorf("owner %q", got)
		}
		want := []licence{
			{"Apple Inc.", fmt.Sprint(w.appleDeal.Grants[0].ID), "United States", "all fields", "2029-12-31"},
			{"HMD Global Oy", fmt.Sprint(w.hmdDeal.Grants[0].ID), "Worldwide", "mobile devices", "2030-11-30"},
		}
		if got := licences(doc); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("licences\n got %v\nwant %v", got, want)
		}
		// The cross-licence ended in 2024 and the option is unsigned: neither licenses anyone today.
		for _, l := range licences(doc) {
			if l.licensee == "Xiaomi Corporation" {
				t.Errorf("Xiaomi listed as a licensee today: %v", l)
			}
		}
		grant := doc.Find(fmt.Sprintf(`[data-testid="practise-licence"][data-grant="%d"] [data-testid="practise-grant"]`, w.hmdDeal.Grants[0].ID))
		if href := grant.AttrOr("href", ""); href != fmt.Sprintf("/agreements/%d#grant-%d", w.hmdDeal.ID, w.hmdDeal.Grants[0].ID) {
			t.Errorf("grant link %q", href)
		}
		if href := testid(doc, "ask-about-patent").AttrOr("href", ""); href != "/rights?patent=US9123456B2" {
			t.Errorf("ask link %q", href)
		}
	})
	t.Run("ExclusiveOverlapIsAConflict", func(t *testing.T) {
		doc := page(t, w.nr.ID)
		if got := conflicts(doc); !slices.Contains(got, "exclusive_overlap") {
			t.Fatalf("conflicts %v, want an exclusive overlap", got)
		}
		c := doc.Find(`[data-testid="patent-conflict"][data-kind="exclusive_overlap"]`)
		text := squash(c.Text())
		for _, want := range []string{"NOK-APL-2025", "Apple Inc.", "HMD Global Oy"} {
			if !strings.Contains(text, want) {
				t.Errorf("conflict %q does not name %s", text, want)
			}
		}
		if c.Find(fmt.Sprintf(`a[href="/agreements/%d"]`, w.hmdDeal.ID)).Length() != 1 {
			t.Error("the conflict does not link the HMD licence")
		}
	})
	t.Run("ExpiredPatentNeedsNoLicence", func(t *testing.T) {
		doc := page(t, w.lte.ID)
		if testid(doc, "practise-not-in-force").Length() != 1 || testid(doc, "practise-licence").Length() != 0 {
			t.Error("an expired patent lists who may practise it")
		}
		// The cross-licence is still marked active although its term ended in 2024.
		if got := conflicts(doc); !slices.Contains(got, "stale_status") {
			t.Errorf("conflicts %v, want a stale status", got)
		}
	})
	t.Run("CleanPatent", func(t *testing.T) {
		doc := page(t, w.iot.ID)
		if testid(doc, "patent-no-conflicts").Length() != 1 || testid(doc, "patent-conflict").Length() != 0 {
			t.Errorf("conflicts on a patent no grant touches: %v", conflicts(doc))
		}
	})
	t.Run("German", func(t *testing.T) {
		de := w.as(w.viewer)
		de.lang = "de"
		res := de.get(fmt.Sprintf("/patents/%d", w.nr.ID))
		doc := parseHTML(t, res)
		if got := squash(doc.Find("#practise-heading").Text()); got != "Wer dieses Patent heute benutzen darf" {
			t.Errorf("heading %q", got)
		}
		want := []licence{
			{"Apple Inc.", fmt.Sprint(w.appleDeal.Grants[0].ID), "Vereinigte Staaten", "alle Anwendungsgebiete", "31.12.2029"},
			{"HMD Global Oy", fmt.Sprint(w.hmdDeal.Grants[0].ID), "Weltweit", "mobile devices", "30.11.2030"},
		}
		if got := licences(doc); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("licences\n got %v\nwant %v", got, want)
		}
		c := squash(doc.Find(`[data-testid="patent-conflict"][data-kind="exclusive_overlap"]`).Text())
		if !strings.Contains(c, "ausschließliche Lizenz") {
			t.Errorf("conflict not in German: %q", c)
		}
	})
}
