package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// patentWorld is a small portfolio: the Nokia group (parent and
// subsidiary) and Xiaomi, with patents in every state the list tells apart.
// The test clock stands at 2026-11-21.
type patentWorld struct {
	app                  *testApp
	nokia, tech, xiaomi  *licensing.Company
	lte, nr, iot, lapsed *licensing.Patent
	editor, viewer       *auth.User
}

// Display forms of the world's patents, as rows show them.
const (
	lteNo    = "EP 1234567 B1"
	nrNo     = "US 9123456 B2"
	iotNo    = "CN 105123456 A"
	lapsedNo = "DE 102015000001 B4"
)

func newPatentWorld(t *testing.T) *patentWorld {
	t.Helper()
	app := newTestApp(t)
	w := &patentWorld{app: app}
	w.nokia = w.company(&licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia"})
	w.tech = w.company(&licensing.Company{Name: "Nokia Technologies Oy", ParentID: w.nokia.ID})
	w.xiaomi = w.company(&licensing.Company{Name: "Xiaomi Corporation", Aliases: []string{"Beijing Xiaomi Mobile Software"}})
	d := licensing.MustDate
	w.lte = w.patent(&licensing.Patent{Number: "EP 1 234 567 B1", Title: "Handover in LTE radio networks", Family: "F1",
		FiledOn: d("2005-03-01"), GrantedOn: d("2009-06-10"), Status: licensing.StatusGranted, OriginalOwnerID: w.tech.ID,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: true, DesignatedStates: []string{"DE", "FR", "GB"}})
	w.nr = w.patent(&licensing.Patent{Number: "US 9,123,456 B2", Title: "Beam management for NR", Family: "F1",
		FiledOn: d("2014-01-15"), GrantedOn: d("2015-09-01"), ExpiresOn: d("2034-06-30"), Status: licensing.StatusGranted,
		OriginalOwnerID: w.nokia.ID, Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: true, SEPReference: "ETSI ISLD-201701"})
	w.iot = w.patent(&licensing.Patent{Number: "CN 105123456 A", Title: "Smart-home hub pairing", FiledOn: d("2016-05-05"),
		Status: licensing.StatusPending, OriginalOwnerID: w.xiaomi.ID, Tags: []string{"iot", "smart-home"}})
	w.lapsed = w.patent(&licensing.Patent{Number: "DE 10 2015 000 001 B4", Title: "Antenna array with lapsed fees", FiledOn: d("2015-01-02"),
		GrantedOn: d("2017-01-01"), Status: licensing.StatusLapsed, StatusOn: d("2020-03-01"), OriginalOwnerID: w.tech.ID})
	w.editor = app.addUser("editor@example.com", auth.RoleEditor)
	w.viewer = app.addUser("viewer@example.com", auth.RoleViewer)
	return w
}

func (w *patentWorld) company(c *licensing.Company) *licensing.Company {
	w.app.t.Helper()
	if err := w.app.db.CreateCompany(context.Background(), sqlite.SystemActor(), c); err != nil {
		w.app.t.Fatal(err)
	}
	return c
}

func (w *patentWorld) patent(p *licensing.Patent) *licensing.Patent {
	w.app.t.Helper()
	if err := w.app.db.CreatePatent(context.Background(), sqlite.SystemActor(), p); err != nil {
		w.app.t.Fatalf("create %s: %v", p.Number, err)
	}
	return p
}

func (w *patentWorld) as(u *auth.User) *browser {
	b := w.app.browser()
	b.mustSignIn(u)
	return b
}

// rowNumbers lists the patents of a list page in the order shown.
func rowNumbers(doc *goquery.Document) []string {
	var out []string
	testid(doc, "patent-row").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-number", ""))
	})
	return out
}

func TestPatentListFilters(t *testing.T) {
	w := newPatentWorld(t)
	b := w.as(w.viewer)
	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"NoFilterByNumber", url.Values{}, []string{iotNo, lapsedNo, lteNo, nrNo}},
		{"OwnerAlone", url.Values{"owner": {"Nokia Corporation"}}, []string{nrNo}},
		{"OwnerWithAffiliates", url.Values{"owner": {"Nokia Corporation"}, "affiliates": {"1"}}, []string{lapsedNo, lteNo, nrNo}},
		{"SubsidiaryByIDWithAffiliates", url.Values{"owner": {fmt.Sprint(w.tech.ID)}, "affiliates": {"1"}}, []string{lapsedNo, lteNo, nrNo}},
		{"SubsidiaryByIDAlone", url.Values{"owner": {fmt.Sprint(w.tech.ID)}}, []string{lapsedNo, lteNo}},
		{"OwnerByAlias", url.Values{"owner": {"Beijing Xiaomi Mobile Software"}}, []string{iotNo}},
		{"Office", url.Values{"office": {"ep"}}, []string{lteNo}},
		{"Status", url.Values{"status": {"lapsed"}}, []string{lapsedNo}},
		{"Tag", url.Values{"tag": {"5g"}}, []string{nrNo}},
		{"TagShared", url.Values{"tag": {"cellular"}}, []string{lteNo, nrNo}},
		{"Standard", url.Values{"standard": {"3GPP LTE"}}, []string{lteNo}},
		{"SEPYes", url.Values{"sep": {"yes"}}, []string{lteNo, nrNo}},
		{"SEPNo", url.Values{"sep": {"no"}}, []string{iotNo, lapsedNo}},
		{"InForceIn2019", url.Values{"in_force_on": {"2019-01-01"}}, []string{lapsedNo, lteNo, nrNo}},
		{"InForceToday", url.Values{"in_force_on": {"2026-11-21"}}, []string{nrNo}},
		{"ExpiresBefore", url.Values{"expires_before": {"2030-01-01"}}, []string{lteNo}},
		{"Combined", url.Values{"owner": {"Nokia Corporation"}, "affiliates": {"1"}, "sep": {"yes"}, "in_force_on": {"2026-11-21"}}, []string{nrNo}},
		{"SearchNumberWithoutKind", url.Values{"q": {"EP1234567"}}, []string{lteNo}},
		{"SearchNumberGoogleStyle", url.Values{"q": {"US-9123456-B2"}}, []string{nrNo}},
		{"SearchNumberWithCommas", url.Values{"q": {"US 9,123,456"}}, []string{nrNo}},
		{"SearchTitleWord", url.Values{"q": {"beam"}}, []string{nrNo}},
		{"SearchOwnerAlias", url.Values{"q": {"Beijing"}}, []string{iotNo}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get("/patents?" + tc.query.Encode())
			wantStatus(t, res, http.StatusOK)
			doc := parseHTML(t, res)
			if got := rowNumbers(doc); !slices.Equal(got, tc.want) {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("AffiliatesNamed", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?owner=Nokia+Corporation&affiliates=1"))
		if note := testid(doc, "filter-note").Text(); !strings.Contains(note, "Nokia Technologies Oy") {
			t.Errorf("note %q does not name the affiliate", note)
		}
		if v, _ := testid(doc, "filter-owner").Attr("value"); v != "Nokia Corporation" {
			t.Errorf("owner filter shows %q", v)
		}
	})
	t.Run("UnknownOwnerExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?owner=Nokla"))
		if testid(doc, "error-owner").Length() != 1 || len(rowNumbers(doc)) != 0 {
			t.Errorf("unknown owner: error shown %d, rows %v", testid(doc, "error-owner").Length(), rowNumbers(doc))
		}
	})
	t.Run("BadDateExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?in_force_on=2026-02-30"))
		if testid(doc, "error-in_force_on").Length() != 1 {
			t.Error("an impossible date is not pointed out")
		}
	})
	t.Run("InForceMarked", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents"))
		marks := map[string]string{}
		testid(doc, "patent-row").Each(func(_ int, s *goquery.Selection) {
			marks[s.AttrOr("data-number", "")] = s.Find(`[data-testid="patent-status"]`).AttrOr("data-in-force", "")
		})
		want := map[string]string{nrNo: "true", lteNo: "false", iotNo: "false", lapsedNo: "false"}
		for n, v := range want {
			if marks[n] != v {
				t.Errorf("%s in force marked %q, want %q", n, marks[n], v)
			}
		}
	})
}

func TestPatentListSortAndPaging(t *testing.T) {
	w := newPatentWorld(t)
	b := w.as(w.viewer)
	t.Run("ExpiryDescending", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?sort=expiry&dir=desc"))
		if got, want := rowNumbers(doc), []string{iotNo, lapsedNo, nrNo, lteNo}; !slices.Equal(got, want) {
			t.Errorf("rows %v, want %v", got, want)
		}
		head := testid(doc, "sort-expiry")
		if head.AttrOr("aria-sort", "") != "descending" {
			t.Errorf("expiry header aria-sort %q", head.AttrOr("aria-sort", ""))
		}
		if href := head.Find("a").AttrOr("href", ""); strings.Contains(href, "dir=desc") || !strings.Contains(href, "sort=expiry") {
			t.Errorf("a second click should sort ascending: %s", href)
		}
		if testid(doc, "sort-number").AttrOr("aria-sort", "") != "" {
			t.Error("number header claims to be sorted")
		}
	})
	t.Run("HeaderLinksKeepFilters", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?tag=cellular"))
		href := testid(doc, "sort-expiry").Find("a").AttrOr("href", "")
		if !strings.Contains(href, "tag=cellular") {
			t.Fatalf("sort link %q drops the filter", href)
		}
		res := b.get(href)
		if got, want := rowNumbers(parseHTML(t, res)), []string{lteNo, nrNo}; !slices.Equal(got, want) {
			t.Errorf("rows %v, want %v", got, want)
		}
	})
	t.Run("EachPatentOnceAcrossPages", func(t *testing.T) {
		seen := map[string]int{}
		var order []string
		href := "/patents?sort=expiry&dir=desc&limit=3"
		pages := 0
		for href != "" {
			if pages++; pages > 5 {
				t.Fatal("the pager does not end")
			}
			doc := parseHTML(t, b.get(href))
			for _, n := range rowNumbers(doc) {
				seen[n]++
				order = append(order, n)
			}
			if pages > 1 && testid(doc, "first-page").Length() != 1 {
				t.Error("a later page has no link to the first")
			}
			href = testid(doc, "next-page").AttrOr("href", "")
		}
		if pages != 2 || len(seen) != 4 || !slices.Equal(order, []string{iotNo, lapsedNo, nrNo, lteNo}) {
			t.Errorf("%d pages, order %v", pages, order)
		}
		for n, k := range seen {
			if k != 1 {
				t.Errorf("%s shown %d times", n, k)
			}
		}
	})
	t.Run("ExpiryOverrideMarked", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents"))
		marked := map[string]bool{}
		testid(doc, "patent-row").Each(func(_ int, s *goquery.Selection) {
			marked[s.AttrOr("data-number", "")] = s.Find(`[data-testid="expiry-overridden"]`).Length() == 1
		})
		if !marked[nrNo] || marked[lteNo] {
			t.Errorf("override marks %v; want only %s", marked, nrNo)
		}
	})
}

func TestPatentExport(t *testing.T) {
	w := newPatentWorld(t)
	b := w.as(w.viewer)
	ctx := context.Background()
	t.Run("FormCarriesFiltersAndSort", func(t *testing.T) {
		doc := parseHTML(t, b.get("/patents?tag=cellular&sort=expiry&dir=desc"))
		got := map[string]string{}
		testid(doc, "export").Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
			got[s.AttrOr("name", "")] = s.AttrOr("value", "")
		})
		want := map[string]string{"tag": "cellular", "sort": "expiry", "dir": "desc"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("export form %s=%q, want %q (all: %v)", k, got[k], v, got)
			}
		}
	})
	res := b.get("/patents.csv?tag=cellular&sort=expiry&dir=desc")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	read, err := csvio.ReadPatents(res.Body, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Errors) > 0 || read.Format != csvio.FormatNative {
		t.Fatalf("export does not re-import cleanly: format %s, errors %v", read.Format, read.Errors)
	}
	var want []csvio.PatentRecord
	for _, p := range []*licensing.Patent{w.nr, w.lte} {
		r, err := w.app.db.Patent(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, csvio.PatentRecordOf(&r.Patent, r.Owner, r.OriginalOwner))
	}
	if len(read.Patents) != len(want) {
		t.Fatalf("%d rows exported, want %d", len(read.Patents), len(want))
	}
	for i, got := range read.Patents {
		got.Line = 0
		if g, w := fmt.Sprintf("%+v", normalizeRecord(got)), fmt.Sprintf("%+v", normalizeRecord(want[i])); g != w {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
	t.Run("SemicolonAndBOM", func(t *testing.T) {
		res := b.get("/patents.csv?office=EP&sep=semicolon&bom=1")
		read, err := csvio.ReadPatents(res.Body, csvio.Options{})
		if err != nil || len(read.Patents) != 1 || read.Patents[0].Number != "EP1234567B1" {
			t.Fatalf("German-dialect export: %v %+v", err, read)
		}
	})
	t.Run("UnknownOwnerRefused", func(t *testing.T) {
		wantStatus(t, b.get("/patents.csv?owner=Nobody"), http.StatusUnprocessableEntity)
	})
	t.Run("GermanExportOfTheSEPList", func(t *testing.T) {
		// The export form of a list filtered on the SEP flag, on a German
		// page, as a browser submits it: the filter's hidden field and the
		// ticked boxes. Both the filter and the dialect must hold.
		de := w.app.browser()
		de.mustSignIn(w.viewer)
		wantStatus(t, de.post("/locale", url.Values{"locale": {"de"}}), http.StatusSeeOther)
		doc := parseHTML(t, de.get("/patents?sep=yes"))
		form := url.Values{}
		testid(doc, "export").Find(`input[type="hidden"], input[type="checkbox"][checked]`).Each(func(_ int, s *goquery.Selection) {
			form.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
		})
		var want []string
		for _, n := range []string{lteNo, nrNo} {
			p, err := licensing.ParsePatentNumber(n)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, p.String())
		}
		slices.Sort(want)
		for _, query := range []string{form.Encode(), "sep=yes&sep=semicolon&bom=1", "sep=semicolon&sep=yes&bom=1"} {
			res := de.get("/patents.csv?" + query)
			wantStatus(t, res, http.StatusOK)
			body, _ := io.ReadAll(res.Body)
			if !bytes.HasPrefix(body, []byte("\uFEFF")) || !strings.HasPrefix(strings.TrimPrefix(string(body), "\uFEFF"), "number;office;") {
				t.Errorf("%s: not the German dialect: %.60q", query, body)
				continue
			}
			read, err := csvio.ReadPatents(bytes.NewReader(body), csvio.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range read.Patents {
				got = append(got, r.Number)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: exported %v, want the SEP patents %v", query, got, want)
			}
		}
	})
}

// normalizeRecord makes empty and missing lists compare equal.
func normalizeRecord(r csvio.PatentRecord) csvio.PatentRecord {
	for _, l := range []*[]string{&r.Tags, &r.Standards, &r.DesignatedStates, &r.CPC, &r.Assignees, &r.Inventors, &r.AlsoPublishedAs} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	r.Line = 0
	return r
}

func TestPatentDetail(t *testing.T) {
	w := newPatentWorld(t)
	b := w.as(w.viewer)
	t.Run("ComputedExpiry", func(t *testing.T) {
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.lte.ID)))
		if got := testid(doc, "patent-number").Text(); got != lteNo {
			t.Errorf("heading %q", got)
		}
		if note := testid(doc, "expiry-note").Text(); !strings.Contains(note, "computed: filing date + 20 years") {
			t.Errorf("expiry note %q", note)
		}
		if got := testid(doc, "fact-expiry").Find(".date").Text(); got != "2025-03-01" {
			t.Errorf("expiry %q", got)
		}
		if got := testid(doc, "fact-number").Text(); got != "EP 1 234 567 B1" {
			t.Errorf("number as entered %q", got)
		}
		if got := testid(doc, "fact-in-force").Text(); !strings.Contains(got, "no") || !strings.Contains(got, "2025-03-01") {
			t.Errorf("in force today %q", got)
		}
		if got := testid(doc, "fact-states").Text(); !strings.Contains(got, "DE") {
			t.Errorf("designated states %q", got)
		}
		if testid(doc, "chain-of-title").Length() != 1 {
			t.Error("no word on the chain of title")
		}
	})
	t.Run("OverriddenExpiry", func(t *testing.T) {
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.nr.ID)))
		note := testid(doc, "expiry-note").Text()
		if !strings.Contains(note, "overridden") || !strings.Contains(note, "2034-01-15") {
			t.Errorf("expiry note %q; want overridden with the computed date", note)
		}
		if got := testid(doc, "fact-in-force").Text(); !strings.Contains(got, "yes") {
			t.Errorf("in force today %q", got)
		}
		if got := testid(doc, "fact-owner").Find("a").AttrOr("href", ""); got != fmt.Sprintf("/companies/%d", w.nokia.ID) {
			t.Errorf("owner link %q", got)
		}
	})
	t.Run("EPWithoutStatesCoversAll", func(t *testing.T) {
		p := w.patent(&licensing.Patent{Number: "EP2000001B1", Title: "Codec", Status: licensing.StatusGranted, OriginalOwnerID: w.xiaomi.ID})
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", p.ID)))
		if got := testid(doc, "fact-states").Text(); !strings.Contains(got, "All EPC contracting states") {
			t.Errorf("designated states %q", got)
		}
		if got := testid(doc, "expiry-note").Text(); !strings.Contains(got, "unknown") {
			t.Errorf("expiry without filing date: %q", got)
		}
	})
	t.Run("FamilyMembers", func(t *testing.T) {
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.lte.ID)))
		var members []string
		testid(doc, "member-row").Each(func(_ int, s *goquery.Selection) { members = append(members, s.AttrOr("data-number", "")) })
		if !slices.Equal(members, []string{nrNo}) {
			t.Errorf("other members %v", members)
		}
		href := testid(doc, "family-link").AttrOr("href", "")
		res := b.get(href)
		wantStatus(t, res, http.StatusOK)
		fam := parseHTML(t, res)
		members = nil
		testid(fam, "member-row").Each(func(_ int, s *goquery.Selection) { members = append(members, s.AttrOr("data-number", "")) })
		if !slices.Equal(members, []string{lteNo, nrNo}) {
			t.Errorf("family page lists %v", members)
		}
		if got := fam.Find("h1").Text(); !strings.Contains(got, "F1") {
			t.Errorf("family heading %q", got)
		}
		wantStatus(t, b.get("/families/NOPE"), http.StatusNotFound)
	})
	t.Run("FamilyKeyWithSlashAndSpace", func(t *testing.T) {
		p := w.patent(&licensing.Patent{Number: "JP 2017-123456 A", Title: "Odd family key", Family: "PCT/JP2016 7",
			Status: licensing.StatusPending, OriginalOwnerID: w.xiaomi.ID})
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", p.ID)))
		res := b.get(testid(doc, "family-link").AttrOr("href", ""))
		wantStatus(t, res, http.StatusOK)
		if n := testid(parseHTML(t, res), "member-row").Length(); n != 1 {
			t.Errorf("family page lists %d members, want 1", n)
		}
	})
	t.Run("LookupByNumber", func(t *testing.T) {
		wantRedirect(t, b.get("/patents/lookup?number="+url.QueryEscape("US-9123456-B2")), fmt.Sprintf("/patents/%d", w.nr.ID))
		wantRedirect(t, b.get("/patents/EP1234567B1"), fmt.Sprintf("/patents/%d", w.lte.ID))
		wantStatus(t, b.get("/patents/lookup?number=EP9999999B1"), http.StatusNotFound)
		wantStatus(t, b.get("/patents/999999"), http.StatusNotFound)
	})
	t.Run("NoButtonsForViewers", func(t *testing.T) {
		doc := parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.lte.ID)))
		if testid(doc, "edit-patent").Length()+testid(doc, "delete-patent").Length() != 0 {
			t.Error("a viewer is offered edit or delete")
		}
		if testid(parseHTML(t, b.get("/patents")), "new-patent").Length() != 0 {
			t.Error("a viewer is offered a new patent")
		}
	})
}

// patentFormValues is a complete, valid form for a new patent.
func patentFormValues(owner string) url.Values {
	return url.Values{
		"number": {"WO 2017/123456 A1"}, "title": {"Pairing of IoT devices"}, "office": {""}, "kind": {""},
		"application_number": {"PCT/CN2016/000123"}, "family": {"F9"}, "priority_on": {"2016-01-10"},
		"filed_on": {"2016-12-20"}, "published_on": {"2017-07-20"}, "granted_on": {""}, "expires_on": {""},
		"status": {"pending"}, "status_on": {""}, "owner": {owner}, "tags": {"iot, smart-home"},
		"standards": {"Zigbee"}, "cpc": {"H04W 4/80\nH04L 12/28"}, "designated_states": {""}, "sep_reference": {""},
	}
}

func TestPatentForms(t *testing.T) {
	w := newPatentWorld(t)
	b := w.as(w.editor)
	ctx := context.Background()
	t.Run("CreateWithBadDateAndNumber", func(t *testing.T) {
		form := patentFormValues("Xiaomi Corporation")
		form.Set("number", "EP ABC")
		form.Set("filed_on", "2016-02-30")
		res := b.post("/patents", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		for _, field := range []string{"number", "filed_on"} {
			if testid(doc, "error-"+field).Length() != 1 {
				t.Errorf("no error beside %s", field)
			}
			if v, _ := testid(doc, "input-"+field).Attr("aria-invalid"); v != "true" {
				t.Errorf("%s not marked invalid", field)
			}
		}
		if v, _ := testid(doc, "input-filed_on").Attr("value"); v != "2016-02-30" {
			t.Errorf("filing date input not kept: %q", v)
		}
		if v, _ := testid(doc, "input-title").Attr("value"); v != "Pairing of IoT devices" {
			t.Errorf("title input not kept: %q", v)
		}
		if got := testid(doc, "input-cpc").Text(); got != "H04W 4/80\nH04L 12/28" {
			t.Errorf("CPC input not kept: %q", got)
		}
	})
	t.Run("UnknownOwner", func(t *testing.T) {
		res := b.post("/patents", patentFormValues("Xiaomy Corp"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if msg := testid(parseHTML(t, res), "error-owner").Text(); !strings.Contains(msg, "Xiaomy Corp") {
			t.Errorf("owner error %q", msg)
		}
	})
	t.Run("LapseNeedsItsDate", func(t *testing.T) {
		form := patentFormValues("Xiaomi Corporation")
		form.Set("status", "lapsed")
		res := b.post("/patents", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-status_on").Length() != 1 {
			t.Error("a lapse without a date is accepted")
		}
	})
	t.Run("DuplicateNumber", func(t *testing.T) {
		form := patentFormValues("Xiaomi Corporation")
		form.Set("number", "EP1234567B1")
		form.Set("office", "")
		res := b.post("/patents", form)
		wantStatus(t, res, http.StatusConflict)
		if testid(parseHTML(t, res), "error-number").Length() != 1 {
			t.Error("the taken number is not pointed out")
		}
	})
	var created *sqlite.PatentRecord
	t.Run("Create", func(t *testing.T) {
		res := b.post("/patents", patentFormValues("Beijing Xiaomi Mobile Software"))
		wantRedirect(t, res, "/patents/")
		var err error
		if created, err = w.app.db.PatentByNumber(ctx, "WO2017123456A1"); err != nil {
			t.Fatal(err)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/patents/%d", created.ID) {
			t.Errorf("redirect to %s", loc)
		}
		if created.OriginalOwnerID != w.xiaomi.ID || created.Office != "WO" || created.Kind != "A1" ||
			!slices.Equal(created.CPC, []string{"H04W 4/80", "H04L 12/28"}) || !slices.Equal(created.Tags, []string{"iot", "smart-home"}) {
			t.Errorf("stored %+v", created)
		}
		doc := parseHTML(t, b.get(res.Header.Get("Location")))
		if flash := testid(doc, "flash").Text(); !strings.Contains(flash, "WO 2017123456 A1") {
			t.Errorf("flash %q", flash)
		}
		if got := testid(doc, "fact-in-force").Text(); !strings.Contains(got, "PCT") {
			t.Errorf("a WO application's in-force reason: %q", got)
		}
	})
	t.Run("EditChangesDateAndHistoryShowsIt", func(t *testing.T) {
		path := fmt.Sprintf("/patents/%d", w.lte.ID)
		doc := parseHTML(t, b.get(path+"/edit"))
		if v, _ := testid(doc, "input-filed_on").Attr("value"); v != "2005-03-01" {
			t.Fatalf("edit form shows filing date %q", v)
		}
		if v, _ := testid(doc, "input-expires_on").Attr("value"); v != "" {
			t.Errorf("a computed expiry is shown as an override: %q", v)
		}
		form := url.Values{}
		doc.Find(`[data-testid="patent-form"] input, [data-testid="patent-form"] textarea`).Each(func(_ int, s *goquery.Selection) {
			name := s.AttrOr("name", "")
			switch {
			case s.Is("textarea"):
				form.Set(name, s.Text())
			case s.AttrOr("type", "") == "checkbox":
				if _, on := s.Attr("checked"); on {
					form.Set(name, s.AttrOr("value", ""))
				}
			default:
				form.Set(name, s.AttrOr("value", ""))
			}
		})
		form.Set("status", doc.Find(`#status option[selected]`).AttrOr("value", ""))
		form.Set("filed_on", "2005-04-01")
		wantRedirect(t, b.post(path, form), path)
		stored, err := w.app.db.Patent(ctx, w.lte.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.FiledOn.String() != "2005-04-01" || !stored.SEP || !slices.Equal(stored.DesignatedStates, []string{"DE", "FR", "GB"}) ||
			!slices.Equal(stored.Standards, []string{"3GPP LTE"}) || stored.Status != licensing.StatusGranted {
			t.Errorf("after edit: %+v", stored)
		}
		doc = parseHTML(t, b.get(path))
		entry := testid(doc, "history-entry").First()
		if head := entry.Find(".history-head").Text(); !strings.Contains(head, w.editor.Email) {
			t.Errorf("history does not say who: %q", head)
		}
		found := false
		entry.Find(`[data-testid="history-change"]`).Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Find("th").Text()) == "Filing date" {
				found = true
				if s.Find(".before").Text() != "2005-03-01" || s.Find(".after").Text() != "2005-04-01" {
					t.Errorf("filing date change %q → %q", s.Find(".before").Text(), s.Find(".after").Text())
				}
			}
		})
		if !found {
			t.Errorf("history lacks the filing date change: %q", entry.Text())
		}
		if got := testid(doc, "fact-expiry").Find(".date").Text(); got != "2025-04-01" {
			t.Errorf("expiry follows the new filing date: %q", got)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		path := fmt.Sprintf("/patents/%d", w.iot.ID)
		wantStatus(t, b.get(path+"/delete"), http.StatusOK)
		res := b.post(path+"/delete", url.Values{})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-confirm").Length() != 1 {
			t.Error("an unconfirmed delete is not explained")
		}
		wantRedirect(t, b.post(path+"/delete", url.Values{"confirm": {"yes"}}), "/patents")
		wantStatus(t, b.get(path), http.StatusNotFound)
	})
}

func TestPatentRoles(t *testing.T) {
	w := newPatentWorld(t)
	viewer := w.as(w.viewer)
	path := fmt.Sprintf("/patents/%d", w.lte.ID)
	for _, req := range []struct{ method, path string }{
		{http.MethodGet, "/patents/new"},
		{http.MethodPost, "/patents"},
		{http.MethodGet, path + "/edit"},
		{http.MethodPost, path},
		{http.MethodGet, path + "/delete"},
		{http.MethodPost, path + "/delete"},
	} {
		t.Run(req.method+req.path, func(t *testing.T) {
			var res *http.Response
			if req.method == http.MethodGet {
				res = viewer.get(req.path)
			} else {
				res = viewer.post(req.path, url.Values{"confirm": {"yes"}, "number": {"EP1000001B1"}, "title": {"x"}, "owner": {"Nokia Corporation"}})
			}
			wantStatus(t, res, http.StatusForbidden)
		})
	}
	if _, err := w.app.db.Patent(context.Background(), w.lte.ID); err != nil {
		t.Errorf("the viewer's delete went through: %v", err)
	}
	editor := w.as(w.editor)
	doc := parseHTML(t, editor.get(path))
	if testid(doc, "edit-patent").Length() != 1 || testid(doc, "delete-patent").Length() != 1 {
		t.Error("an editor is not offered edit and delete")
	}
	if testid(parseHTML(t, editor.get("/patents")), "new-patent").Length() != 1 {
		t.Error("an editor is not offered a new patent")
	}
}

func TestPatentsEmptyAndGerman(t *testing.T) {
	t.Run("EmptyPointsToImport", func(t *testing.T) {
		app := newTestApp(t)
		b := app.browser()
		b.mustSignIn(app.addUser("e@example.com", auth.RoleEditor))
		doc := parseHTML(t, b.get("/patents"))
		empty := testid(doc, "patents-empty")
		if empty.Find(`a[href="/import"]`).Length() != 1 || empty.Find(`a[href="/patents/new"]`).Length() != 1 {
			t.Errorf("empty state: %q", empty.Text())
		}
	})
	t.Run("German", func(t *testing.T) {
		w := newPatentWorld(t)
		b := w.app.browser()
		b.lang = "de"
		b.mustSignIn(w.viewer)
		doc := parseHTML(t, b.get("/patents"))
		if got := doc.Find("h1").Text(); got != "Patente" {
			t.Errorf("heading %q", got)
		}
		if got := strings.TrimSpace(testid(doc, "sort-number").Text()); got != "Nummer" {
			t.Errorf("number column %q", got)
		}
		if got := testid(doc, "patent-status").First().Text(); got != "Anhängig" {
			t.Errorf("first status %q", got)
		}
		doc = parseHTML(t, b.get(fmt.Sprintf("/patents/%d", w.nr.ID)))
		if got := testid(doc, "expiry-note").Text(); !strings.Contains(got, "abweichend festgelegt") || !strings.Contains(got, "15.01.2034") {
			t.Errorf("German expiry note %q", got)
		}
		if got := testid(doc, "fact-in-force").Text(); !strings.Contains(got, "ja") || !strings.Contains(got, "30.06.2034") {
			t.Errorf("German in-force fact %q", got)
		}
		ed := w.app.browser()
		ed.lang = "de"
		ed.mustSignIn(w.editor)
		form := patentFormValues("Unbekannte GmbH")
		form.Set("filed_on", "2016-02-30")
		res := ed.post("/patents", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc = parseHTML(t, res)
		if got := testid(doc, "error-owner").Text(); !strings.Contains(got, "Es gibt kein Unternehmen namens") {
			t.Errorf("German owner error %q", got)
		}
		if got := testid(doc, "error-filed_on").Text(); got == "" || strings.Contains(got, "is not a date") {
			t.Errorf("the domain's date error is not shown in German: %q", got)
		}
	})
}
