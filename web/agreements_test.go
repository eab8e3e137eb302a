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

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// agreementWorld adds the deals of DESIGN.md to the patent world: the
// Nokia–Xiaomi cross-licence with a patent sale, Nokia's licences to HMD
// Global and Apple (the latter terminated), the IoT option under
// negotiation and Xiaomi's smart-home collaboration with IKEA. The test
// clock stands at 2026-11-21, after the cross-licence expired.
type agreementWorld struct {
	*patentWorld
	hmd, apple, ikea                       *licensing.Company
	crossLicence, hmdLicence, appleLicence *licensing.Agreement
	option, collaboration                  *licensing.Agreement
}

// The references of the world's agreements, in list order.
const (
	refApple  = "NOK-APL-2017"
	refHMD    = "NOK-HMD-2016"
	refCross  = "NOK-XIA-2017"
	refOption = "NOK-XIA-IOT"
	refIKEA   = "XIA-IKEA-2018"
)

func newAgreementWorld(t *testing.T) *agreementWorld {
	t.Helper()
	w := &agreementWorld{patentWorld: newPatentWorld(t)}
	w.hmd = w.company(&licensing.Company{Name: "HMD Global Oy"})
	w.apple = w.company(&licensing.Company{Name: "Apple Inc."})
	w.ikea = w.company(&licensing.Company{Name: "Inter IKEA Systems B.V."})
	d := licensing.MustDate
	party := func(c *licensing.Company, role licensing.PartyRole) licensing.Party {
		return licensing.Party{CompanyID: c.ID, Role: role}
	}
	w.crossLicence = w.agreement(&licensing.Agreement{Reference: refCross, Title: "Patent cross-licence",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive, SignedOn: d("2017-07-05"),
		EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04"), NoticeDays: 180, GoverningLaw: "Finland",
		Summary: "Multi-year cellular cross-licence with a sale of patents to Xiaomi.",
		Parties: []licensing.Party{party(w.nokia, licensing.RoleParty), party(w.xiaomi, licensing.RoleParty)},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.xiaomi.ID, LicensorAffiliates: true, LicenseeAffiliates: true,
			Scope:       licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2017-07-05"), Standards: []string{"3GPP LTE"}},
			Activities:  []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell, licensing.ActivityOfferToSell, licensing.ActivityImport},
			Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}},
		Assignments: []licensing.Assignment{{AssignorID: w.nokia.ID, AssigneeID: w.xiaomi.ID, EffectiveOn: d("2017-07-05"),
			OfficeRef: "EPO register 2017/31", Patents: []licensing.PatentRef{{Number: "US9123456B2"}, {Number: "EP1234567B1"}}}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Running royalty", DueOn: d("2018-01-31"),
			Recurrence: licensing.Yearly, Until: d("2024-01-31"), Amount: licensing.MustAmount("1000000.00"), Currency: "EUR",
			PayerID: w.xiaomi.ID, PayeeID: w.nokia.ID, Status: licensing.ObligationOpen}},
	})
	w.hmdLicence = w.agreement(&licensing.Agreement{Reference: refHMD, Title: "Brand and patent licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2016-12-01"), EffectiveOn: d("2016-12-01"), ExpiresOn: d("2030-11-30"),
		Parties: []licensing.Party{party(w.tech, licensing.RoleLicensor), party(w.hmd, licensing.RoleLicensee)}})
	w.appleLicence = w.agreement(&licensing.Agreement{Reference: refApple, Title: "Patent licence and settlement", Kind: licensing.KindLicense,
		Status: licensing.AgreementTerminated, SignedOn: d("2017-05-23"), EffectiveOn: d("2017-05-23"), ExpiresOn: d("2027-05-22"),
		TerminatedOn: d("2020-01-31"), Parties: []licensing.Party{party(w.nokia, licensing.RoleLicensor), party(w.apple, licensing.RoleLicensee)}})
	w.option = w.agreement(&licensing.Agreement{Reference: refOption, Title: "Option on IoT, AR, VR and AI patents", Kind: licensing.KindOption,
		Status: licensing.AgreementNegotiation, Parties: []licensing.Party{party(w.nokia, licensing.RoleParty), party(w.xiaomi, licensing.RoleParty)}})
	w.collaboration = w.agreement(&licensing.Agreement{Reference: refIKEA, Title: "Smart-home collaboration", Kind: licensing.KindCollaboration,
		Status: licensing.AgreementActive, SignedOn: d("2018-01-01"), EffectiveOn: d("2018-01-01"),
		Parties: []licensing.Party{party(w.xiaomi, licensing.RoleCollaborator), party(w.ikea, licensing.RoleCollaborator)}})
	return w
}

func (w *agreementWorld) agreement(a *licensing.Agreement) *licensing.Agreement {
	w.app.t.Helper()
	if err := w.app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), a); err != nil {
		w.app.t.Fatalf("create %s: %v", a.Reference, err)
	}
	return a
}

func agreementPath(a *licensing.Agreement) string { return fmt.Sprintf("/agreements/%d", a.ID) }

// agreementRefs lists the agreements of a list page in the order shown.
func agreementRefs(doc *goquery.Document) []string {
	var out []string
	testid(doc, "agreement-row").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-reference", ""))
	})
	return out
}

func agreementText(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestAgreementListFilters(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"NoFilterByReference", url.Values{}, []string{refApple, refHMD, refCross, refOption, refIKEA}},
		{"Kind", url.Values{"kind": {"license"}}, []string{refApple, refHMD}},
		{"Status", url.Values{"status": {"active"}}, []string{refHMD, refCross, refIKEA}},
		{"PartyByName", url.Values{"party": {"Nokia Corporation"}}, []string{refApple, refCross, refOption}},
		{"PartyWithAffiliates", url.Values{"party": {"Nokia Corporation"}, "affiliates": {"1"}}, []string{refApple, refHMD, refCross, refOption}},
		{"SubsidiaryByIDAlone", url.Values{"party": {fmt.Sprint(w.tech.ID)}}, []string{refHMD}},
		{"PartyByAlias", url.Values{"party": {"Beijing Xiaomi Mobile Software"}}, []string{refCross, refOption, refIKEA}},
		{"InForceToday", url.Values{"in_force_on": {"2026-11-21"}}, []string{refHMD, refIKEA}},
		{"InForceIn2019", url.Values{"in_force_on": {"2019-06-01"}}, []string{refApple, refHMD, refCross, refIKEA}},
		{"InForceTypedInGerman", url.Values{"in_force_on": {"01.06.2019"}}, []string{refApple, refHMD, refCross, refIKEA}},
		{"InForceUpToTheTermination", url.Values{"in_force_on": {"2020-01-31"}}, []string{refApple, refHMD, refCross, refIKEA}},
		{"NotInForceAfterTheTermination", url.Values{"in_force_on": {"2020-02-01"}}, []string{refHMD, refCross, refIKEA}},
		{"ExpiresBefore", url.Values{"expires_before": {"2028-01-01"}}, []string{refApple, refCross}},
		{"SearchTitle", url.Values{"q": {"smart"}}, []string{refIKEA}},
		{"SearchSummary", url.Values{"q": {"cellular"}}, []string{refCross}},
		{"Combined", url.Values{"party": {"Nokia Corporation"}, "affiliates": {"1"}, "status": {"active"}}, []string{refHMD, refCross}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get("/agreements?" + tc.query.Encode())
			wantStatus(t, res, http.StatusOK)
			if got := agreementRefs(parseHTML(t, res)); !slices.Equal(got, tc.want) {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("AffiliatesNamed", func(t *testing.T) {
		doc := parseHTML(t, b.get("/agreements?party=Nokia+Corporation&affiliates=1"))
		if note := testid(doc, "filter-note").Text(); !strings.Contains(note, "Nokia Technologies Oy") {
			t.Errorf("note %q does not name the affiliate", note)
		}
	})
	t.Run("UnknownPartyExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get("/agreements?party=Nokla"))
		if testid(doc, "error-party").Length() != 1 || len(agreementRefs(doc)) != 0 {
			t.Errorf("unknown party: error shown %d, rows %v", testid(doc, "error-party").Length(), agreementRefs(doc))
		}
	})
	t.Run("BadDateExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get("/agreements?expires_before=2026-02-30"))
		if testid(doc, "error-expires_before").Length() != 1 {
			t.Error("no error beside an impossible date")
		}
	})
	t.Run("RowShowsPartiesAndOpenExpiry", func(t *testing.T) {
		doc := parseHTML(t, b.get("/agreements?q=smart"))
		if got := agreementText(testid(doc, "agreement-parties").Text()); got != "Xiaomi Corporation, Inter IKEA Systems B.V." {
			t.Errorf("parties %q", got)
		}
		// A collaboration has no licensed patents to run out with.
		if got := agreementText(testid(doc, "agreement-expiry").Text()); got != "open" {
			t.Errorf("open-ended collaboration shows %q, want open", got)
		}
	})
}

func TestAgreementListPaging(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	var refs []string
	for i := range agreementsPerPage + 3 {
		ref := fmt.Sprintf("ZZ-%03d", i)
		w.agreement(&licensing.Agreement{Reference: ref, Title: "Filler", Kind: licensing.KindLicense, Status: licensing.AgreementDraft})
		refs = append(refs, ref)
	}
	doc := parseHTML(t, b.get("/agreements?kind=license&status=draft"))
	first := agreementRefs(doc)
	if !slices.Equal(first, refs[:agreementsPerPage]) {
		t.Fatalf("first page %v…", first[:3])
	}
	next, ok := testid(doc, "next-page").Attr("href")
	if !ok || !strings.Contains(next, "kind=license") {
		t.Fatalf("next link %q does not keep the filters", next)
	}
	doc = parseHTML(t, b.get(next))
	if got := agreementRefs(doc); !slices.Equal(got, refs[agreementsPerPage:]) {
		t.Errorf("second page %v", got)
	}
	if testid(doc, "first-page").Length() != 1 || testid(doc, "next-page").Length() != 0 {
		t.Error("the last page links back to the first and nowhere further")
	}
	doc = parseHTML(t, b.get("/agreements?kind=license&status=draft&after=not-a-cursor"))
	if testid(doc, "error-after").Length() != 1 || !slices.Equal(agreementRefs(doc), first) {
		t.Error("a foreign cursor does not lead back to the first page with a note")
	}
}

func TestAgreementStatusWarnings(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get("/agreements"))
	var warned []string
	testid(doc, "agreement-row").Each(func(_ int, s *goquery.Selection) {
		if s.Find(`[data-testid="agreement-warning"]`).Length() > 0 {
			warned = append(warned, s.AttrOr("data-reference", ""))
		}
	})
	if !slices.Equal(warned, []string{refCross}) {
		t.Errorf("warning marker on %v, want only the active agreement whose term ended", warned)
	}
	doc = parseHTML(t, b.get(agreementPath(w.crossLicence)))
	if got := testid(doc, "agreement-warning").Text(); !strings.Contains(got, "active, but the term ended on 2024-07-04") {
		t.Errorf("page warning %q", got)
	}
	if testid(parseHTML(t, b.get(agreementPath(w.hmdLicence))), "agreement-warnings").Length() != 0 {
		t.Error("a consistent agreement shows a warning")
	}
}

func TestAgreementTermSheet(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	doc := parseHTML(t, ed.get(agreementPath(w.crossLicence)))
	fact := func(id string) string { return agreementText(testid(doc, id).Text()) }
	if got := fact("agreement-reference"); got != refCross {
		t.Errorf("heading %q", got)
	}
	if got := fact("agreement-kind") + " / " + fact("agreement-status"); got != "Cross-licence / Active" {
		t.Errorf("kind and status %q", got)
	}
	if got := testid(doc, "party").Length(); got != 2 {
		t.Errorf("%d parties shown", got)
	}
	if href, _ := testid(doc, "party").First().Find("a").Attr("href"); href != fmt.Sprintf("/companies/%d", w.nokia.ID) {
		t.Errorf("party link %q", href)
	}
	if got := fact("fact-effective") + " / " + fact("fact-expiry"); got != "2017-07-05 / 2024-07-04" {
		t.Errorf("term %q", got)
	}
	if got := fact("notice-deadline"); !strings.Contains(got, "2024-01-06") {
		t.Errorf("notice deadline %q, want 180 days before 2024-07-04", got)
	}
	if got := fact("fact-governing-law"); got != "Finland" {
		t.Errorf("governing law %q", got)
	}
	t.Run("GrantInPlainWords", func(t *testing.T) {
		words := fact("grant-words")
		if !strings.HasPrefix(words, "Nokia Corporation and its affiliates grant Xiaomi Corporation and its affiliates a non-exclusive") ||
			!strings.HasSuffix(words, "from 2017-07-05 to 2024-07-04, royalty-bearing") {
			t.Errorf("grant words %q", words)
		}
		link := testid(doc, "grant-scope-count")
		if href, _ := link.Attr("href"); href != fmt.Sprintf("/patents?grant=%d", w.crossLicence.Grants[0].ID) {
			t.Errorf("scope link %q", href)
		}
		if !strings.Contains(link.Text(), "in force today") {
			t.Errorf("scope count %q", link.Text())
		}
	})
	t.Run("AssignmentWithBreak", func(t *testing.T) {
		if got := testid(doc, "assignment-patent").Length(); got != 2 {
			t.Errorf("%d assigned patents shown", got)
		}
		if got := fact("assignment-office-ref"); got != "EPO register 2017/31" {
			t.Errorf("office reference %q", got)
		}
		// EP 1234567 B1 belonged to Nokia Technologies Oy, not to the assignor.
		breaks := testid(doc, "title-break")
		if breaks.Length() != 1 || !strings.Contains(breaks.Text(), lteNo) || !strings.Contains(breaks.Text(), "Nokia Technologies Oy") {
			t.Errorf("title breaks %q", breaks.Text())
		}
	})
	t.Run("ObligationOccurrencesOverdue", func(t *testing.T) {
		occ := testid(doc, "occurrence")
		if occ.Length() != 7 {
			t.Fatalf("%d occurrences, want yearly 2018-01-31 … 2024-01-31", occ.Length())
		}
		if got := testid(doc, "overdue").Length(); got != 7 {
			t.Errorf("%d overdue marks, want every open occurrence before today", got)
		}
		if got := occ.First().AttrOr("data-due", ""); got != "2018-01-31" {
			t.Errorf("first due %q", got)
		}
		if got := testid(doc, "mark-done").Length(); got != 7 {
			t.Errorf("%d mark-done buttons", got)
		}
		if got := fact("obligation-amount"); got != "1,000,000.00 EUR" {
			t.Errorf("amount %q", got)
		}
	})
	t.Run("EditorActions", func(t *testing.T) {
		for _, id := range []string{"edit-agreement", "new-grant", "new-assignment", "new-obligation", "upload-form", "terminate-form", "status-form"} {
			if testid(doc, id).Length() == 0 {
				t.Errorf("editor lacks %s", id)
			}
		}
		if testid(doc, "delete-agreement").Length() != 0 {
			t.Error("an active agreement offers deletion")
		}
		var moves []string
		testid(doc, "status-select").Find("option").Each(func(_ int, s *goquery.Selection) { moves = append(moves, s.AttrOr("value", "")) })
		if !slices.Equal(moves, []string{"expired"}) {
			t.Errorf("status moves %v, want only expired (terminated has its own form)", moves)
		}
	})
	t.Run("ViewerSeesNoActions", func(t *testing.T) {
		vdoc := parseHTML(t, w.as(w.viewer).get(agreementPath(w.crossLicence)))
		for _, id := range []string{"edit-agreement", "status-forms", "mark-done", "upload-form", "new-grant"} {
			if testid(vdoc, id).Length() != 0 {
				t.Errorf("viewer sees %s", id)
			}
		}
	})
	t.Run("ByReference", func(t *testing.T) {
		wantRedirect(t, ed.get("/agreements/"+refCross), agreementPath(w.crossLicence))
	})
}

func TestAgreementAmendments(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	for _, ref := range []string{"NOK-XIA-2017-A2", "NOK-XIA-2017-A1"} {
		effective := d("2019-01-01")
		if ref == "NOK-XIA-2017-A2" {
			effective = d("2021-06-01")
		}
		w.agreement(&licensing.Agreement{Reference: ref, Title: "Amendment", Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive,
			EffectiveOn: effective, ParentID: w.crossLicence.ID,
			Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}}})
	}
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get(agreementPath(w.crossLicence)))
	var order []string
	testid(doc, "amendment").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-reference", "")) })
	if !slices.Equal(order, []string{"NOK-XIA-2017-A1", "NOK-XIA-2017-A2"}) {
		t.Errorf("amendments %v, want by effective date", order)
	}
	href, _ := testid(doc, "amendment").First().Find("a").Attr("href")
	doc = parseHTML(t, b.get(href))
	if link := testid(doc, "agreement-parent").Find("a"); link.Text() != refCross || link.AttrOr("href", "") != agreementPath(w.crossLicence) {
		t.Errorf("amendment's parent link %q → %q", link.Text(), link.AttrOr("href", ""))
	}
}

// agreementFormValues is a filled agreement form; blank party rows in
// between are ignored.
func agreementFormValues() url.Values {
	return url.Values{
		"reference": {"NOK-XIA-2017-B"}, "title": {"Cellular cross-licence"}, "kind": {"cross_license"}, "status": {"active"},
		"signed_on": {"05.07.2017"}, "effective_on": {"2017-07-05"}, "expires_on": {"2030-07-04"}, "notice_days": {"180"},
		"renewal_months": {"12"}, "governing_law": {"Finland"}, "summary": {"Each side licenses its cellular SEPs."},
		"party_company": {"Nokia Corporation", "", "Beijing Xiaomi Mobile Software", ""},
		"party_role":    {"licensor", "party", "licensee", "party"},
	}
}

func TestAgreementForms(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	t.Run("CreateShowsIt", func(t *testing.T) {
		res := ed.post("/agreements", agreementFormValues())
		wantRedirect(t, res, "/agreements/")
		doc := parseHTML(t, ed.get(res.Header.Get("Location")))
		if got := agreementText(testid(doc, "agreement-reference").Text()); got != "NOK-XIA-2017-B" {
			t.Errorf("heading %q", got)
		}
		if got := agreementText(testid(doc, "flash").Text()); got != "Agreement NOK-XIA-2017-B recorded." {
			t.Errorf("flash %q", got)
		}
		var parties []string
		testid(doc, "party").Each(func(i int, s *goquery.Selection) {
			parties = append(parties, agreementText(testid(doc, "party-role").Eq(i).Text())+": "+agreementText(s.Text()))
		})
		if !slices.Equal(parties, []string{"Licensor: Nokia Corporation", "Licensee: Xiaomi Corporation"}) {
			t.Errorf("parties %v", parties)
		}
		if got := agreementText(testid(doc, "fact-signed").Text()); got != "2017-07-05" {
			t.Errorf("signed %q (typed as 05.07.2017)", got)
		}
		if got := agreementText(testid(doc, "fact-renewal").Text()); !strings.Contains(got, "12 months") {
			t.Errorf("renewal %q", got)
		}
	})
	t.Run("InvalidKeepsInput", func(t *testing.T) {
		form := agreementFormValues()
		form.Set("reference", "NOK-XIA-2017-C")
		form.Set("title", "")
		form.Set("effective_on", "2017-02-30")
		form["party_company"] = []string{"Nokla Corporation", "Xiaomi Corporation"}
		form["party_role"] = []string{"licensor", "licensee"}
		res := ed.post("/agreements", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		for _, field := range []string{"title", "effective_on", "parties"} {
			if testid(doc, "error-"+field).Length() != 1 {
				t.Errorf("no message beside %s", field)
			}
		}
		if !strings.Contains(testid(doc, "error-parties").Text(), "Nokla Corporation") {
			t.Errorf("party message %q does not name the unknown company", testid(doc, "error-parties").Text())
		}
		if v, _ := testid(doc, "input-reference").Attr("value"); v != "NOK-XIA-2017-C" {
			t.Errorf("reference kept as %q", v)
		}
		if v, _ := testid(doc, "input-party-company-0").Attr("value"); v != "Nokla Corporation" {
			t.Errorf("party row kept as %q", v)
		}
		if v, _ := testid(doc, "input-effective_on").Attr("value"); v != "2017-02-30" {
			t.Errorf("date kept as %q", v)
		}
		if _, err := w.app.db.AgreementByReference(context.Background(), "NOK-XIA-2017-C"); err == nil {
			t.Error("the invalid agreement was stored")
		}
	})
	t.Run("DuplicateReferenceRefused", func(t *testing.T) {
		form := agreementFormValues()
		form.Set("reference", refHMD)
		res := ed.post("/agreements", form)
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
			t.Fatalf("status %d", res.StatusCode)
		}
		doc := parseHTML(t, res)
		if testid(doc, "error-reference").Length()+testid(doc, "form-error").Length() == 0 {
			t.Error("no message for a reference already taken")
		}
	})
	t.Run("EditKeepsPartiesAndOffersLifecycleMoves", func(t *testing.T) {
		doc := parseHTML(t, ed.get(agreementPath(w.option)+"/edit"))
		if v, _ := testid(doc, "input-party-company-1").Attr("value"); v != "Xiaomi Corporation" {
			t.Errorf("second party row %q", v)
		}
		if got := testid(doc, "party-row").Length(); got < agreementFormRows {
			t.Errorf("%d party rows offered", got)
		}
		var statuses []string
		testid(doc, "input-status").Find("option").Each(func(_ int, s *goquery.Selection) { statuses = append(statuses, s.AttrOr("value", "")) })
		if !slices.Equal(statuses, []string{"draft", "negotiation", "active"}) {
			t.Errorf("statuses offered %v", statuses)
		}
		form := url.Values{"reference": {refOption}, "title": {"Option on IoT, AR, VR and AI"}, "kind": {"option"}, "status": {"draft"},
			"parent": {refCross}, "party_company": {"Nokia Corporation", "Xiaomi Corporation", "Nokia Technologies Oy"},
			"party_role": {"party", "party", "guarantor"}}
		wantRedirect(t, ed.post(agreementPath(w.option), form), agreementPath(w.option))
		got, err := w.app.db.Agreement(context.Background(), w.option.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != licensing.AgreementDraft || got.ParentID != w.crossLicence.ID || len(got.Parties) != 3 {
			t.Errorf("stored status %s, parent %d, %d parties", got.Status, got.ParentID, len(got.Parties))
		}
	})
}

func TestAgreementStatusChanges(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	path := agreementPath(w.hmdLicence)
	t.Run("TerminateNeedsADate", func(t *testing.T) {
		res := ed.post(path+"/status", url.Values{"status": {"terminated"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-terminated_on").Length() != 1 {
			t.Error("no message beside the missing termination date")
		}
	})
	t.Run("MoveOutsideTheLifecycleRefused", func(t *testing.T) {
		res := ed.post(path+"/status", url.Values{"status": {"draft"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if testid(parseHTML(t, res), "error-status").Length() != 1 {
			t.Error("no message for active → draft")
		}
	})
	t.Run("TerminateWithDate", func(t *testing.T) {
		wantRedirect(t, ed.post(path+"/status", url.Values{"status": {"terminated"}, "terminated_on": {"30.06.2026"}}), path)
		doc := parseHTML(t, ed.get(path))
		if got := testid(doc, "agreement-status").AttrOr("data-status", ""); got != "terminated" {
			t.Errorf("status %q", got)
		}
		if got := agreementText(testid(doc, "fact-terminated").Text()); got != "2026-06-30" {
			t.Errorf("terminated on %q", got)
		}
		if testid(doc, "status-forms").Length() != 0 {
			t.Error("a terminated agreement still offers status changes")
		}
	})
	t.Run("ActivateDraftNeedsEffectiveDate", func(t *testing.T) {
		res := ed.post(agreementPath(w.option)+"/status", url.Values{"status": {"active"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := parseHTML(t, res)
		if testid(doc, "status-error").Length() != 1 || testid(doc, "error-effective_on").Length() != 1 {
			t.Error("no explanation why the agreement cannot become active")
		}
	})
}

func TestAgreementDelete(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	draft := w.agreement(&licensing.Agreement{Reference: "DRAFT-1", Title: "A draft", Kind: licensing.KindLicense, Status: licensing.AgreementDraft,
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleLicensor}}})
	t.Run("ActiveRefused", func(t *testing.T) {
		res := ed.post(agreementPath(w.hmdLicence)+"/delete", nil)
		wantStatus(t, res, http.StatusConflict)
		if testid(parseHTML(t, res), "delete-refusal").Length() != 1 {
			t.Error("no refusal shown")
		}
		wantStatus(t, ed.get(agreementPath(w.hmdLicence)), http.StatusOK)
	})
	t.Run("DraftDeleted", func(t *testing.T) {
		doc := parseHTML(t, ed.get(agreementPath(draft)))
		if testid(doc, "delete-agreement").Length() != 1 {
			t.Error("a draft offers no deletion")
		}
		wantStatus(t, ed.get(agreementPath(draft)+"/delete"), http.StatusOK)
		wantRedirect(t, ed.post(agreementPath(draft)+"/delete", nil), "/agreements")
		wantStatus(t, ed.get(agreementPath(draft)), http.StatusNotFound)
	})
}

func TestAgreementRoles(t *testing.T) {
	w := newAgreementWorld(t)
	viewer := w.as(w.viewer)
	path := agreementPath(w.option)
	for _, req := range []struct{ method, path string }{
		{http.MethodGet, "/agreements/new"},
		{http.MethodPost, "/agreements"},
		{http.MethodGet, path + "/edit"},
		{http.MethodPost, path},
		{http.MethodPost, path + "/status"},
		{http.MethodGet, path + "/delete"},
		{http.MethodPost, path + "/delete"},
	} {
		t.Run(req.method+req.path, func(t *testing.T) {
			var res *http.Response
			if req.method == http.MethodGet {
				res = viewer.get(req.path)
			} else {
				res = viewer.post(req.path, agreementFormValues())
			}
			wantStatus(t, res, http.StatusForbidden)
		})
	}
	if _, err := w.app.db.Agreement(context.Background(), w.option.ID); err != nil {
		t.Errorf("the viewer's delete went through: %v", err)
	}
	for _, p := range []string{"/agreements", path, "/agreements.csv"} {
		wantStatus(t, viewer.get(p), http.StatusOK)
	}
}

func TestAgreementExport(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.as(w.viewer)
	read := func(t *testing.T, path string, opts ...func(*csv.Reader)) [][]string {
		t.Helper()
		res := b.get(path)
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		r := csv.NewReader(res.Body)
		for _, o := range opts {
			o(r)
		}
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	refs := func(rows [][]string) []string {
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[0])
		}
		return out
	}
	t.Run("FilteredRows", func(t *testing.T) {
		rows := read(t, "/agreements.csv?party=Nokia+Corporation&affiliates=1&kind=license")
		if rows[0][0] != "reference" {
			t.Errorf("header %v", rows[0])
		}
		if got := refs(rows); !slices.Equal(got, []string{refApple, refHMD}) {
			t.Errorf("rows %v", got)
		}
	})
	t.Run("WholeListWithSemicolons", func(t *testing.T) {
		rows := read(t, "/agreements.csv?sep=semicolon&bom=1", func(r *csv.Reader) { r.Comma = ';' })
		rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
		if got := refs(rows); !slices.Equal(got, []string{refApple, refHMD, refCross, refOption, refIKEA}) {
			t.Errorf("rows %v", got)
		}
	})
	t.Run("ListOffersTheFilteredExport", func(t *testing.T) {
		doc := parseHTML(t, b.get("/agreements?kind=license"))
		if v, _ := testid(doc, "export").Find(`input[name="kind"]`).Attr("value"); v != "license" {
			t.Errorf("export form carries kind %q", v)
		}
	})
	t.Run("BadFilterRefused", func(t *testing.T) {
		wantStatus(t, b.get("/agreements.csv?party=Nobody"), http.StatusUnprocessableEntity)
	})
}

func TestAgreementsGerman(t *testing.T) {
	w := newAgreementWorld(t)
	b := w.app.browser()
	b.lang = "de"
	b.mustSignIn(w.viewer)
	doc := parseHTML(t, b.get("/agreements"))
	if got := agreementText(doc.Find("h1").Text()); got != "Verträge" {
		t.Errorf("heading %q", got)
	}
	if got := agreementText(testid(doc, "agreement-kind").First().Text()); got != "Lizenz" {
		t.Errorf("first kind %q", got)
	}
	doc = parseHTML(t, b.get(agreementPath(w.crossLicence)))
	if got := agreementText(doc.Find("#parties-heading").Text()); got != "Vertragsparteien" {
		t.Errorf("parties heading %q", got)
	}
	if got := agreementText(testid(doc, "fact-effective").Text()); got != "05.07.2017" {
		t.Errorf("effective %q", got)
	}
	if got := agreementText(testid(doc, "notice-deadline").Text()); !strings.Contains(got, "06.01.2024") {
		t.Errorf("notice deadline %q", got)
	}
	if got := agreementText(testid(doc, "grant-words").Text()); !strings.HasPrefix(got, "Nokia Corporation und ihre verbundenen Unternehmen gewähren") ||
		!strings.Contains(got, "vom 05.07.2017 bis zum 04.07.2024") {
		t.Errorf("grant words %q", got)
	}
	if got := agreementText(testid(doc, "agreement-warning").Text()); !strings.Contains(got, "04.07.2024") || !strings.Contains(got, "Laufzeit") {
		t.Errorf("warning %q", got)
	}
	if got := agreementText(testid(doc, "obligation-amount").Text()); got != "1.000.000,00 EUR" {
		t.Errorf("amount %q", got)
	}
}
