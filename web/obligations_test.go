package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
)

// royaltyPost is a valid obligation form: Xiaomi pays Nokia a yearly royalty.
func (w *partWorld) royaltyPost(amount string) url.Values {
	return url.Values{"kind": {"payment"}, "title": {"Annual royalty"}, "due_on": {"2018-01-31"}, "recurrence": {"yearly"},
		"until": {"2024-01-31"}, "amount": {amount}, "currency": {"eur"}, "payer": {fmt.Sprint(w.xiaomi.ID)},
		"payee": {fmt.Sprint(w.nokia.ID)}, "status": {"open"}}
}

func TestObligationWithGermanAmount(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	b.lang = "de"
	res := b.post(w.path("/agreements/%d/obligations", w.deal.ID), w.royaltyPost("1.000.000,00"))
	wantRedirect(t, res, w.path("/agreements/%d#obligations", w.deal.ID))
	o := w.reload(w.deal).Obligations[0]
	if o.Amount.String() != "1000000.00" || o.Currency != "EUR" || o.PayerID != w.xiaomi.ID || o.Recurrence != licensing.Yearly {
		t.Fatalf("stored %s %s payer %d recurrence %q", o.Amount, o.Currency, o.PayerID, o.Recurrence)
	}
	doc := parseHTML(t, b.get(w.path("/obligations/%d/edit", o.ID)))
	if got := testid(doc, "input-amount").AttrOr("value", ""); got != "1.000.000,00" {
		t.Errorf("German edit form shows the amount as %q", got)
	}
	if got := doc.Find(`label[for="due_on"]`).Text(); !strings.Contains(got, "Fällig am") {
		t.Errorf("German label %q", got)
	}
	b.lang = "en"
	doc = parseHTML(t, b.get(w.path("/obligations/%d/edit", o.ID)))
	if got := testid(doc, "input-amount").AttrOr("value", ""); got != "1,000,000.00" {
		t.Errorf("English edit form shows the amount as %q", got)
	}
	form := w.royaltyPost("2,500,000.50")
	form.Set("title", "Annual royalty (amended)")
	wantRedirect(t, b.post(w.path("/obligations/%d", o.ID), form), w.path("/agreements/%d#obligations", w.deal.ID))
	if got := w.reload(w.deal).Obligations[0]; got.Amount.String() != "2500000.50" || got.Title != "Annual royalty (amended)" {
		t.Errorf("after edit: %s %q", got.Amount, got.Title)
	}
	wantRedirect(t, b.post(w.path("/obligations/%d/delete", o.ID), nil), w.path("/agreements/%d#obligations", w.deal.ID))
	if n := len(w.reload(w.deal).Obligations); n != 0 {
		t.Errorf("%d obligations after removal", n)
	}
}

func TestObligationFormRefusals(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	tests := []struct {
		name  string
		edit  func(url.Values)
		field string
		want  string
	}{
		{"AmountNotANumber", func(f url.Values) { f.Set("amount", "1,2,3") }, "amount", "1,2,3"},
		{"AmountWithoutCurrency", func(f url.Values) { f.Del("currency") }, "currency", "EUR"},
		{"PayerNotAParty", func(f url.Values) { f.Set("payer", fmt.Sprint(w.tech.ID)) }, "payer", "parties"},
		{"PayerPaysItself", func(f url.Values) { f.Set("payee", fmt.Sprint(w.xiaomi.ID)) }, "payee", "another company"},
		{"UntilBeforeDue", func(f url.Values) { f.Set("until", "31.01.2017") }, "until", "2017-01-31"},
		{"NoTitle", func(f url.Values) { f.Set("title", "") }, "title", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := w.royaltyPost("1000000")
			tt.edit(form)
			res := b.post(w.path("/agreements/%d/obligations", w.deal.ID), form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := parseHTML(t, res)
			if msg := testid(doc, "error-"+tt.field).Text(); !strings.Contains(msg, tt.want) {
				t.Errorf("error beside %s: %q, want it to mention %q", tt.field, msg, tt.want)
			}
			if got := testid(doc, "input-amount").AttrOr("value", ""); got != form.Get("amount") {
				t.Errorf("the typed amount was not kept: %q", got)
			}
		})
	}
}

func TestMarkOccurrenceDone(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	wantRedirect(t, b.post(w.path("/agreements/%d/obligations", w.deal.ID), w.royaltyPost("1000000.00")), "/agreements/")
	o := w.reload(w.deal).Obligations[0]
	mark := w.path("/obligations/%d/occurrences", o.ID)

	res := b.post(mark, url.Values{"due_on": {"2019-01-31"}, "status": {"done"}})
	wantRedirect(t, res, w.path("/agreements/%d#obligations", w.deal.ID))
	doc := parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID)))
	if !strings.Contains(testid(doc, "flash").Text(), "Annual royalty") {
		t.Errorf("flash %q", testid(doc, "flash").Text())
	}
	row := doc.Find(`[data-testid="occurrence"][data-due="2019-01-31"]`)
	if row.AttrOr("data-status", "") != "done" {
		t.Fatalf("occurrence 2019-01-31 is %q", row.AttrOr("data-status", ""))
	}
	today := i18n.For("en").Date(w.app.clock.Now())
	if text := row.Text(); !strings.Contains(text, w.editor.Email) || !strings.Contains(text, today) {
		t.Errorf("the occurrence does not say who and when (%s, %s): %q", w.editor.Email, today, text)
	}

	// Opened again, it is open; a date that is no due date is refused.
	wantRedirect(t, b.post(mark, url.Values{"due_on": {"2019-01-31"}, "status": {"open"}}), "/agreements/")
	if oc := w.reload(w.deal).Obligations[0].OccurrenceOn(licensing.MustDate("2019-01-31")); oc.Status != licensing.ObligationOpen {
		t.Errorf("after reopening: %q", oc.Status)
	}
	wantStatus(t, b.post(mark, url.Values{"due_on": {"2019-02-01"}, "status": {"done"}}), http.StatusUnprocessableEntity)
	wantStatus(t, b.post(mark, url.Values{"due_on": {"2019-01-31"}, "status": {"finished"}}), http.StatusUnprocessableEntity)
}
