package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/licensing"
)

// The term sheet as a lawyer reads it after the screen review: renewing
// agreements with their running term, grants under their numbers, proposed
// grants of unsigned agreements, open ends by kind, occurrences that are
// left out and can be shown. The test clock stands at 2026-11-21.

// nowrapTexts lists the texts a selection keeps on one line.
func nowrapTexts(s *goquery.Selection) []string {
	var out []string
	s.Find(".nowrap").Each(func(_ int, n *goquery.Selection) { out = append(out, n.Text()) })
	return out
}

func TestRenewingAgreementRunsUntilTerminated(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	licence := w.agreement(&licensing.Agreement{Reference: "NOK-HMD-2019", Title: "Renewing licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2019-10-01"), EffectiveOn: d("2019-10-01"), ExpiresOn: d("2021-09-30"),
		RenewalMonths: 24, NoticeDays: 90,
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleLicensor}, {CompanyID: w.hmd.ID, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{{LicensorID: w.tech.ID, LicenseeID: w.hmd.ID, Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio},
			Exclusivity: licensing.NonExclusive}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Annual fee", DueOn: d("2020-12-31"),
			Recurrence: licensing.Yearly, Status: licensing.ObligationOpen}}})
	lapsing := w.agreement(&licensing.Agreement{Reference: "NOK-HMD-2020", Title: "Renewing licence past its notice date",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive, SignedOn: d("2020-01-01"), EffectiveOn: d("2020-01-01"),
		ExpiresOn: d("2020-12-31"), RenewalMonths: 12, NoticeDays: 60,
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleLicensor}, {CompanyID: w.hmd.ID, Role: licensing.RoleLicensee}}})
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get(agreementPath(licence)))
	t.Run("TermSaysTheRunningTermAndTheNoticeDeadline", func(t *testing.T) {
		term := testid(doc, "fact-expiry")
		want := "Current term ends 2027-09-30, renews automatically every 24 months unless notice is given by 2027-07-02."
		if got := agreementText(term.Text()); got != want {
			t.Errorf("term %q, want %q", got, want)
		}
		if got := term.Find("strong").Text(); got != "2027-07-02" {
			t.Errorf("the deadline in bold is %q", got)
		}
		if got := agreementText(term.Prev().Text()); got != "Term ends" {
			t.Errorf("term label %q", got)
		}
	})
	t.Run("GrantRunsForTheTermOfTheAgreement", func(t *testing.T) {
		words := agreementText(testid(doc, "grant-words").Text())
		if !strings.Contains(words, "from 2019-10-01 for the term of the agreement, renewing every 24 months (current term to 2027-09-30)") ||
			strings.Contains(words, "last licensed patent") {
			t.Errorf("grant words %q", words)
		}
	})
	t.Run("OccurrencesAfterTheTermOnlyIfRenewed", func(t *testing.T) {
		var marked []string
		testid(doc, "occurrence").Each(func(_ int, s *goquery.Selection) {
			if s.Find(`[data-testid="if-renewed"]`).Length() > 0 {
				marked = append(marked, s.AttrOr("data-due", ""))
			}
		})
		if strings.Join(marked, " ") != "2027-12-31" {
			t.Errorf("occurrences marked if renewed %v, want the one after 2027-09-30", marked)
		}
	})
	t.Run("PassedDeadlineNamesTheNextOne", func(t *testing.T) {
		term := testid(parseHTML(t, b.get(agreementPath(lapsing))), "fact-expiry")
		got := agreementText(term.Text())
		if !strings.HasPrefix(got, "Current term ends 2026-12-31") || !strings.Contains(got, "has passed") ||
			term.Find("strong").Text() != "2027-11-01" {
			t.Errorf("term %q (bold %q), want the deadline of the following term, 2027-11-01", got, term.Find("strong").Text())
		}
	})
	t.Run("ListShowsTheRunningTerm", func(t *testing.T) {
		row := parseHTML(t, b.get("/agreements?q=Renewing+licence")).Find(`[data-reference="NOK-HMD-2019"]`)
		if got := agreementText(row.Find(`[data-testid="agreement-expiry"]`).Text()); got != "2027-09-30 renews" {
			t.Errorf("list expiry %q", got)
		}
	})
}

func TestTermSheetAfterReview(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	doc := parseHTML(t, ed.get(agreementPath(w.crossLicence)))
	grantID := w.crossLicence.Grants[0].ID
	t.Run("GrantUnderItsNumber", func(t *testing.T) {
		g := testid(doc, "grant")
		if got := g.AttrOr("id", ""); got != fmt.Sprintf("grant-%d", grantID) {
			t.Errorf("anchor %q", got)
		}
		if got := agreementText(testid(doc, "grant-label").Text()); got != fmt.Sprintf("Grant %d", grantID) {
			t.Errorf("grant label %q", got)
		}
		if got := agreementText(testid(doc, "grant-scope-count").Text()); !strings.HasPrefix(got, "Covers ") {
			t.Errorf("scope count %q", got)
		}
	})
	t.Run("DatesKeptOnOneLine", func(t *testing.T) {
		kept := strings.Join(nowrapTexts(testid(doc, "grant-words")), "|")
		if kept != "3GPP LTE|2000-01-01|2017-07-05|2017-07-05|2024-07-04" {
			t.Errorf("kept together %q", kept)
		}
	})
	t.Run("PassedNoticeDeadlineNotInBold", func(t *testing.T) {
		// The cross-licence still says active, but its term ended in 2024.
		deadline := testid(doc, "notice-deadline")
		if deadline.AttrOr("data-passed", "") != "true" || goquery.NodeName(deadline) == "strong" {
			t.Errorf("a passed deadline shows as <%s> %q", goquery.NodeName(deadline), deadline.Text())
		}
		if testid(parseHTML(t, ed.get(agreementPath(w.appleLicence))), "notice-deadline").Length() != 0 {
			t.Error("a terminated agreement shows a notice deadline")
		}
	})
	t.Run("AssignmentSaysWhenTitlePasses", func(t *testing.T) {
		if got := agreementText(testid(doc, "assignment").Find("dt").First().Text()); got != "Effective date (title passes)" {
			t.Errorf("assignment label %q", got)
		}
	})
	t.Run("ObligationShowsItsOwnStatus", func(t *testing.T) {
		st := testid(doc, "obligation-status")
		if st.AttrOr("data-status", "") != "open" || agreementText(st.Text()) != "Open" {
			t.Errorf("obligation status %q (%s)", st.Text(), st.AttrOr("data-status", ""))
		}
	})
	t.Run("UploadLimitInWholeMegabytes", func(t *testing.T) {
		if got := agreementText(testid(doc, "upload-form").Text()); !strings.Contains(got, "up to 50 MB.") {
			t.Errorf("upload hint %q", got)
		}
	})
	t.Run("OpenEndByKind", func(t *testing.T) {
		collab := parseHTML(t, ed.get(agreementPath(w.collaboration)))
		if got := agreementText(testid(collab, "fact-expiry").Text()); got != "no fixed expiry" {
			t.Errorf("collaboration without expiry %q", got)
		}
		option := parseHTML(t, ed.get(agreementPath(w.option)))
		if got := agreementText(testid(option, "fact-effective").Text()); got != "not yet set" {
			t.Errorf("unset effective date %q", got)
		}
		list := parseHTML(t, ed.get("/agreements?q=Option"))
		if got := agreementText(list.Find(`[data-reference="NOK-XIA-IOT"] td.date`).First().Text()); got != "—" {
			t.Errorf("unset effective date in the list %q", got)
		}
	})
}

func TestProposedGrantsOfAnUnsignedAgreement(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	draft := w.agreement(&licensing.Agreement{Reference: "NOK-XIA-IOT-2", Title: "Option, draft", Kind: licensing.KindOption,
		Status: licensing.AgreementNegotiation, ExpiresOn: d("2030-12-31"),
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.xiaomi.ID, Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio,
			Tags: []string{"iot"}}, Exclusivity: licensing.NonExclusive}}})
	doc := parseHTML(t, w.as(w.viewer).get(agreementPath(draft)))
	if testid(doc, "agreement-grants").AttrOr("data-proposed", "") != "true" || testid(doc, "grants-proposed").Length() != 1 ||
		testid(doc, "grants-proposed-note").Length() != 1 {
		t.Error("the grants of an agreement in negotiation are not marked as proposed")
	}
	if got := agreementText(testid(doc, "grant-words").Text()); !strings.HasPrefix(got, "Nokia Corporation would grant Xiaomi Corporation") {
		t.Errorf("proposed grant reads %q", got)
	}
	signed := parseHTML(t, w.as(w.viewer).get(agreementPath(w.crossLicence)))
	if testid(signed, "grants-proposed").Length() != 0 || testid(signed, "agreement-grants").AttrOr("data-proposed", "") != "false" {
		t.Error("the grants of a signed agreement are marked as proposed")
	}
}

func TestAmendmentNamesItsParentInTheHeader(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	amendment := w.agreement(&licensing.Agreement{Reference: "NOK-XIA-2017-A1", Title: "Amendment No. 1", Kind: licensing.KindCrossLicense,
		Status: licensing.AgreementActive, EffectiveOn: d("2019-01-01"), ParentID: w.crossLicence.ID,
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}}})
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get(agreementPath(amendment)))
	parent := doc.Find(`header [data-testid="agreement-parent"]`)
	if got := agreementText(parent.Text()); got != "Amends "+refCross+" (Patent cross-licence)" {
		t.Errorf("header says %q", got)
	}
	doc = parseHTML(t, b.get(agreementPath(w.crossLicence)))
	if got := agreementText(testid(doc, "amendment").Text()); got != "NOK-XIA-2017-A1 Amendment No. 1 (Active, effective 2019-01-01)" {
		t.Errorf("amendment line %q", got)
	}
}

func TestEarlierOccurrencesCanBeShown(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	a := w.agreement(&licensing.Agreement{Reference: "NOK-HMD-REPORTS", Title: "Monthly reports", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, SignedOn: d("2020-01-01"), EffectiveOn: d("2020-01-01"), ExpiresOn: d("2030-12-31"),
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleLicensor}, {CompanyID: w.hmd.ID, Role: licensing.RoleLicensee}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationReport, Title: "Sales report", DueOn: d("2020-01-31"),
			Recurrence: licensing.Monthly, Until: d("2026-10-31"), Status: licensing.ObligationDone}}})
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get(agreementPath(a)))
	note := testid(doc, "occurrences-hidden")
	if got := agreementText(note.Text()); got != "70 earlier occurrences, all settled, not shown. Show all occurrences" {
		t.Errorf("note %q", got)
	}
	if !note.HasClass("no-print") {
		t.Error("the note prints")
	}
	href := testid(doc, "occurrences-all").AttrOr("href", "")
	if want := fmt.Sprintf("%s?occurrences=all#obligation-%d", agreementPath(a), a.Obligations[0].ID); href != want {
		t.Errorf("link %q, want %q", href, want)
	}
	all := parseHTML(t, b.get(agreementPath(a)+"?occurrences=all"))
	if got := testid(all, "occurrence").Length(); got != 82 {
		t.Errorf("%d occurrences shown on asking for all, want 82", got)
	}
	if testid(all, "occurrences-hidden").Length() != 0 || testid(all, "occurrences-recent").Length() != 1 {
		t.Error("with every occurrence shown, the page should offer the recent ones instead")
	}
}

func TestPartFormsAfterReview(t *testing.T) {
	w := newAgreementWorld(t)
	ed := w.as(w.editor)
	d := licensing.MustDate
	sale := w.agreement(&licensing.Agreement{Reference: "NOK-XIA-PSA", Title: "Patent purchase", Kind: licensing.KindAssignment,
		Status: licensing.AgreementDraft, EffectiveOn: d("2017-07-05"),
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleAssignor}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleAssignee}}})
	t.Run("ScopeListsRequiredForTheirScope", func(t *testing.T) {
		doc := parseHTML(t, ed.get(agreementPath(w.crossLicence)+"/grants/new"))
		for _, field := range []string{"patents", "families"} {
			if got := agreementText(doc.Find(`label[for="` + field + `"]`).Text()); !strings.HasSuffix(got, "(required for this scope)") {
				t.Errorf("%s label %q", field, got)
			}
		}
		for scope, field := range map[string]string{"patents": "patents", "families": "families", "portfolio": "capture_from"} {
			option := testid(doc, "scope-option-"+scope)
			if option.Find(`legend input[name="scope"][value="`+scope+`"]`).Length() != 1 || option.Find("#"+field).Length() != 1 {
				t.Errorf("the %s scope does not group its radio and its field %s", scope, field)
			}
		}
		if testid(doc, "scope-option-portfolio").Find(`[name="licensor_affiliates"]`).Length() != 1 {
			t.Error("the licensor's affiliates are not offered under the portfolio scope")
		}
	})
	t.Run("AssignmentPrefilledFromTheParties", func(t *testing.T) {
		doc := parseHTML(t, ed.get(agreementPath(sale)+"/assignments/new"))
		if got := testid(doc, "input-assignor").AttrOr("value", ""); got != "Nokia Technologies Oy" {
			t.Errorf("assignor %q", got)
		}
		if got := testid(doc, "input-assignee").AttrOr("value", ""); got != "Xiaomi Corporation" {
			t.Errorf("assignee %q", got)
		}
		if got := agreementText(doc.Find(`label[for="effective_on"]`).Text()); got != "Effective date (title passes)" {
			t.Errorf("effective date label %q", got)
		}
	})
	t.Run("ObligationHeadingNamesTheAgreement", func(t *testing.T) {
		doc := parseHTML(t, ed.get(fmt.Sprintf("/obligations/%d/edit", w.crossLicence.Obligations[0].ID)))
		if got := agreementText(doc.Find("h1").Text()); got != "Obligation “Running royalty” in "+refCross {
			t.Errorf("heading %q", got)
		}
	})
	t.Run("GrantHeadingsByNumber", func(t *testing.T) {
		id := w.crossLicence.Grants[0].ID
		doc := parseHTML(t, ed.get(fmt.Sprintf("/grants/%d/edit", id)))
		if got := agreementText(doc.Find("h1").Text()); got != fmt.Sprintf("Grant %d in %s", id, refCross) {
			t.Errorf("heading %q", got)
		}
	})
}

func TestTermSheetGermanWording(t *testing.T) {
	w := newAgreementWorld(t)
	d := licensing.MustDate
	covenant := w.agreement(&licensing.Agreement{Reference: "NOK-APL-CNS", Title: "Covenant", Kind: licensing.KindCovenantNotToSue,
		Status: licensing.AgreementActive, SignedOn: d("2017-05-23"), EffectiveOn: d("2017-05-23"),
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.apple.ID, Role: licensing.RoleParty}}})
	b := w.app.browser()
	b.lang = "de"
	b.mustSignIn(w.viewer)
	doc := parseHTML(t, b.get(agreementPath(covenant)))
	if got := agreementText(testid(doc, "agreement-kind").Text()); !strings.HasPrefix(got, "Nichtverfolgungszusage") {
		t.Errorf("kind %q", got)
	}
	if got := agreementText(testid(doc, "fact-expiry").Text()); got != "bis zum Ablauf des letzten lizenzierten Patents" {
		t.Errorf("open end of a covenant %q", got)
	}
	doc = parseHTML(t, b.get(agreementPath(w.crossLicence)))
	for id, want := range map[string]string{"grants-heading": "Rechteeinräumungen", "obligations-heading": "Verpflichtungen"} {
		if got := agreementText(doc.Find("#" + id).Text()); got != want {
			t.Errorf("%s %q, want %q", id, got, want)
		}
	}
	words := agreementText(testid(doc, "grant-words").Text())
	if !strings.Contains(words, "deren Inhaber sie zu irgendeinem Zeitpunkt zwischen dem 01.01.2000 und dem 05.07.2017 waren") {
		t.Errorf("grant words %q", words)
	}
	if got := agreementText(testid(doc, "grant-scope-count").Text()); !strings.HasPrefix(got, "Erfasst heute ") || !strings.HasSuffix(got, " in Kraft") {
		t.Errorf("scope count %q", got)
	}
	if got := agreementText(testid(doc, "assignment").Find("dt").First().Text()); got != "Wirksam ab (Rechtsübergang)" {
		t.Errorf("assignment label %q", got)
	}
	if got := agreementText(testid(doc, "fact-expiry").Prev().Text()); got != "Laufzeitende" {
		t.Errorf("term label %q", got)
	}
}
