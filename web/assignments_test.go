package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/licensing"
)

// assignmentPost is a valid assignment form: Nokia Technologies sells
// patents to Xiaomi on the day the cross-licence was signed.
func assignmentPost(patents string) url.Values {
	return url.Values{"assignor": {"Nokia Technologies Oy"}, "assignee": {"Xiaomi Corporation"},
		"effective_on": {"2017-07-05"}, "recorded_on": {"2017-08-01"}, "office_ref": {"043210/0001"}, "patents": {patents}}
}

func ownerShown(t *testing.T, b *browser, patentID int64) string {
	t.Helper()
	return strings.TrimSpace(testid(parseHTML(t, b.get(fmt.Sprintf("/patents/%d", patentID))), "fact-owner").Text())
}

func TestAssignmentMovesTitleOfASignedAgreement(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	if got := ownerShown(t, b, w.lte.ID); got != "Nokia Technologies Oy" {
		t.Fatalf("owner before the sale: %q", got)
	}
	res := b.post(w.path("/agreements/%d/assignments", w.deal.ID), assignmentPost("EP-1234567-B1"))
	wantRedirect(t, res, w.path("/agreements/%d#assignments", w.deal.ID))
	if got := ownerShown(t, b, w.lte.ID); got != "Xiaomi Corporation" {
		t.Errorf("owner after the sale: %q", got)
	}
	doc := parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID)))
	if got := testid(doc, "assignment-patent").Text(); !strings.Contains(got, "1234567") {
		t.Errorf("the agreement page lists %q as transferred", got)
	}

	// Editing keeps the list; removing the assignment gives the title back.
	as := w.reload(w.deal).Assignments[0]
	doc = parseHTML(t, b.get(w.path("/assignments/%d/edit", as.ID)))
	if got := testid(doc, "input-assignor").AttrOr("value", ""); got != "Nokia Technologies Oy" {
		t.Errorf("edit form assignor %q", got)
	}
	wantRedirect(t, b.post(w.path("/assignments/%d/delete", as.ID), nil), w.path("/agreements/%d#assignments", w.deal.ID))
	if got := ownerShown(t, b, w.lte.ID); got != "Nokia Technologies Oy" {
		t.Errorf("owner after the assignment was removed: %q", got)
	}
}

func TestAssignmentInADraftMovesNoTitle(t *testing.T) {
	w := newPartWorld(t)
	draft := w.agreement(&licensing.Agreement{Reference: "NOK-XIA-SALE", Title: "Patent purchase", Kind: licensing.KindAssignment,
		Status: licensing.AgreementDraft, Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleAssignor},
			{CompanyID: w.xiaomi.ID, Role: licensing.RoleAssignee}}})
	b := w.as(w.editor)
	doc := parseHTML(t, b.get(w.path("/agreements/%d/assignments/new", draft.ID)))
	if !strings.Contains(doc.Find(".page-head p").Text(), "not signed") {
		t.Errorf("the form does not say that a draft moves no title: %q", doc.Find(".page-head p").Text())
	}
	wantRedirect(t, b.post(w.path("/agreements/%d/assignments", draft.ID), assignmentPost("EP1234567B1")), "/agreements/")
	if got := ownerShown(t, b, w.lte.ID); got != "Nokia Technologies Oy" {
		t.Errorf("a draft moved title to %q", got)
	}
}

func pickerNumbers(doc *goquery.Document) []string {
	var out []string
	testid(doc, "picker-row").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-number", "")) })
	return out
}

func TestAssignmentPicker(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	base := w.path("/agreements/%d/assignments/new?", w.deal.ID)

	// Opened for the first time, the picker lists the assignor's patents.
	q := assignmentPost("US 9,123,456 B2")
	q.Set("picking", "1")
	doc := parseHTML(t, b.get(base+q.Encode()))
	if got, want := pickerNumbers(doc), []string{"DE102015000001B4", "EP1234567B1"}; !slices.Equal(got, want) {
		t.Errorf("picker lists %v, want the assignor's %v", got, want)
	}
	if got := testid(doc, "input-pick_owner").AttrOr("value", ""); got != "Nokia Technologies Oy" {
		t.Errorf("owner filter %q, want the assignor", got)
	}
	if got := testid(doc, "input-patents").Text(); got != "US 9,123,456 B2" {
		t.Errorf("the typed list was lost: %q", got)
	}

	// Filtered further by office; the owner filter as the user left it.
	q.Set("pick_seen", "1")
	q.Set("pick_owner", "Nokia Technologies Oy")
	q.Set("pick_office", "ep")
	doc = parseHTML(t, b.get(base+q.Encode()))
	if got := pickerNumbers(doc); !slices.Equal(got, []string{"EP1234567B1"}) {
		t.Errorf("filtered by office: %v", got)
	}
	// Emptied, the owner filter takes every owner.
	q.Set("pick_owner", "")
	q.Del("pick_office")
	doc = parseHTML(t, b.get(base+q.Encode()))
	if got := pickerNumbers(doc); len(got) != 4 {
		t.Errorf("without an owner the picker lists %v", got)
	}
	if testid(doc, "pick-listed").Length() != 1 {
		t.Error("the patent already in the list is not marked as listed")
	}

	// Ticked patents join the typed ones when the form is saved.
	form := assignmentPost("US 9,123,456 B2")
	form.Set("assignor", "Nokia Corporation")
	form["pick"] = []string{"EP1234567B1", "US9123456B2"}
	wantRedirect(t, b.post(w.path("/agreements/%d/assignments", w.deal.ID), form), "/agreements/")
	as := w.reload(w.deal).Assignments[0]
	if got, want := storedNumbers(as.Patents), []string{"EP1234567B1", "US9123456B2"}; !slices.Equal(got, want) {
		t.Errorf("transferred %v, want %v", got, want)
	}
}

func TestAssignmentFormRefusals(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	tests := []struct {
		name  string
		edit  func(url.Values)
		field string
		want  string
	}{
		{"UnknownNumberByLine", func(f url.Values) { f.Set("patents", "EP1234567B1\nWO 2099/999999 A1") }, "patents", "Line 2"},
		{"NoPatents", func(f url.Values) { f.Set("patents", " ") }, "patents", "at least one patent"},
		{"UnknownCompany", func(f url.Values) { f.Set("assignee", "Nobody GmbH") }, "assignee", "Nobody GmbH"},
		{"NoEffectiveDate", func(f url.Values) { f.Del("effective_on") }, "effective_on", "required"},
		{"RecordedBeforeExecuted", func(f url.Values) { f.Set("recorded_on", "01.07.2017") }, "recorded_on", "2017-07-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := assignmentPost("EP1234567B1")
			tt.edit(form)
			res := b.post(w.path("/agreements/%d/assignments", w.deal.ID), form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if msg := testid(parseHTML(t, res), "error-"+tt.field).Text(); !strings.Contains(msg, tt.want) {
				t.Errorf("error beside %s: %q, want it to mention %q", tt.field, msg, tt.want)
			}
		})
	}
}
