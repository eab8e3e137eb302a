package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// historyRows is what one history entry shows: each changed field's value
// before and after, and each fact the change concerned.
type historyRows struct {
	head    string
	changes map[string][2]string
	facts   map[string]string
}

func readHistoryEntry(s *goquery.Selection) historyRows {
	r := historyRows{head: strings.Join(strings.Fields(s.Find(".history-head").Text()), " "),
		changes: map[string][2]string{}, facts: map[string]string{}}
	s.Find(`[data-testid="history-change"]`).Each(func(_ int, c *goquery.Selection) {
		r.changes[strings.TrimSpace(c.Find("th").Text())] = [2]string{c.Find(".before").Text(), c.Find(".after").Text()}
	})
	s.Find(`[data-testid="history-fact"]`).Each(func(_ int, c *goquery.Selection) {
		r.facts[strings.TrimSpace(c.Find("th").Text())] = strings.TrimSpace(c.Find("td").Text())
	})
	return r
}

// reportObligation adds a quarterly report to the world's deal.
func (w *partWorld) reportObligation(recurrence licensing.Recurrence) *licensing.Obligation {
	w.app.t.Helper()
	o := &licensing.Obligation{Kind: licensing.ObligationReport, Title: "Sales report", DueOn: licensing.MustDate("2018-01-31"),
		Recurrence: recurrence, PayerID: w.xiaomi.ID, PayeeID: w.nokia.ID, Status: licensing.ObligationOpen}
	if err := w.app.db.AddObligation(context.Background(), sqlite.SystemActor(), w.deal.ID, o); err != nil {
		w.app.t.Fatal(err)
	}
	return o
}

// markOccurrences marks the first n occurrences of o done, as PatentDesk.
func (w *partWorld) markOccurrences(o *licensing.Obligation, n int) {
	w.app.t.Helper()
	ctx := context.Background()
	deal := w.reload(w.deal)
	var stored *licensing.Obligation
	for i := range deal.Obligations {
		if deal.Obligations[i].ID == o.ID {
			stored = &deal.Obligations[i]
		}
	}
	dates := stored.DueDates(deal, licensing.Date{})
	if len(dates) < n {
		w.app.t.Fatalf("the obligation falls due %d times, want %d", len(dates), n)
	}
	for _, due := range dates[:n] {
		if err := w.app.db.MarkOccurrence(ctx, sqlite.SystemActor(), o.ID, due, licensing.ObligationDone, licensing.MustDate("2018-02-05")); err != nil {
			w.app.t.Fatal(err)
		}
	}
}

func TestHistoryInGerman(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	b.lang = "de"
	form := w.grantPost("EP 1 234 567 B1")
	form["activities"] = []string{"make", "offer_to_sell"}
	wantRedirect(t, b.post(w.path("/agreements/%d/grants", w.deal.ID), form), w.path("/agreements/%d", w.deal.ID))
	o := w.reportObligation(licensing.Quarterly)
	w.markOccurrences(o, 1)

	entries := testid(parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID))), "history-entry")
	if entries.Length() != 4 {
		t.Fatalf("history has %d entries, want the occurrence, the obligation, the grant and the agreement", entries.Length())
	}
	var got []historyRows
	entries.Each(func(_ int, s *goquery.Selection) { got = append(got, readHistoryEntry(s)) })
	mark, obligation, grant, deal := got[0], got[1], got[2], got[3]

	t.Run("SystemActorIsPatentDesk", func(t *testing.T) {
		if !strings.Contains(mark.head, "Verpflichtung markiert") || !strings.Contains(mark.head, "von PatentDesk (automatisch)") {
			t.Errorf("head %q, want the marking by PatentDesk (automatisch)", mark.head)
		}
		if strings.Contains(mark.head, "system") {
			t.Errorf("head %q still names the raw actor", mark.head)
		}
		if !strings.Contains(grant.head, w.editor.Email+" (Web)") {
			t.Errorf("head %q, want the editor through the web", grant.head)
		}
	})
	t.Run("OccurrenceDetailsAreFacts", func(t *testing.T) {
		want := map[string]string{"Verpflichtung": "Sales report", "Fällig am": "31.01.2018"}
		for field, v := range want {
			if mark.facts[field] != v {
				t.Errorf("fact %s = %q, want %q (facts %v)", field, mark.facts[field], v, mark.facts)
			}
		}
		if _, ok := mark.facts["Vertrag"]; ok {
			t.Errorf("the agreement's own history names the agreement: %v", mark.facts)
		}
		for field, ch := range mark.changes {
			if ch[0] == ch[1] {
				t.Errorf("%s is shown as changed from %q to the same value", field, ch[0])
			}
		}
		wantChanges := map[string][2]string{"Status": {"Offen", "Erledigt"}, "Erledigt am": {"", "05.02.2018"},
			"Erledigt von": {"", "PatentDesk (automatisch)"}}
		for field, w := range wantChanges {
			if mark.changes[field] != w {
				t.Errorf("change of %s = %q, want %q (changes %v)", field, mark.changes[field], w, mark.changes)
			}
		}
		if len(mark.changes) != len(wantChanges) {
			t.Errorf("changes %v, want only %v", mark.changes, wantChanges)
		}
	})
	t.Run("FieldNamesAndValues", func(t *testing.T) {
		cases := []struct {
			name    string
			entry   historyRows
			field   string
			after   string
			partial bool
		}{
			{"ObligationKind", obligation, "Art", "Bericht", false},
			{"Recurrence", obligation, "Wiederholung", "Vierteljährlich", false},
			{"DueDate", obligation, "Fällig am", "31.01.2018", false},
			{"Payer", obligation, "Zahlungspflichtiger", "Xiaomi Corporation", false},
			{"Exclusivity", grant, "Ausschließlichkeit", "Nicht ausschließlich", false},
			{"Activities", grant, "Handlungen", "Herstellen, Anbieten", false},
			{"Scope", grant, "Umfang", "Aufgeführte Patente", false},
			{"Boolean", grant, "Unterlizenzierbar", "nein", false},
			{"RoyaltyBearing", grant, "Lizenzgebührenpflichtig", "ja", false},
			{"Licensee", grant, "Lizenznehmer", "Xiaomi Corporation", false},
			{"AgreementKind", deal, "Art", "Kreuzlizenz", false},
			{"AgreementStatus", deal, "Status", "Aktiv", false},
			{"SignedOn", deal, "Unterzeichnet", "05.07.2017", false},
			{"PartyRole", deal, "Vertragsparteien", "Nokia Corporation (Vertragspartei)", true},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ch, ok := tc.entry.changes[tc.field]
				if !ok {
					t.Fatalf("no change of %q in %v", tc.field, tc.entry.changes)
				}
				if tc.partial && !strings.Contains(ch[1], tc.after) || !tc.partial && ch[1] != tc.after {
					t.Errorf("%s after = %q, want %q", tc.field, ch[1], tc.after)
				}
			})
		}
		raw := []string{"agreement", "kind", "status", "due_on", "licensee_affiliates", "sublicensable", "recurrence", "exclusivity"}
		for _, e := range got {
			for field := range e.changes {
				for _, r := range raw {
					if field == r {
						t.Errorf("field %q is shown as stored in %q", field, e.head)
					}
				}
			}
		}
	})
}

func TestHistoryShortened(t *testing.T) {
	w := newPartWorld(t)
	o := w.reportObligation(licensing.Monthly)
	w.markOccurrences(o, 55) // with the agreement and the obligation: 57 entries
	b := w.as(w.viewer)
	doc := parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID)))
	if n := testid(doc, "history-entry").Length(); n != historyShown {
		t.Errorf("the agreement page shows %d history entries, want %d", n, historyShown)
	}
	more := testid(doc, "history-more")
	full := w.path("/history/agreement/%d", w.deal.ID)
	if href := more.AttrOr("href", ""); href != full {
		t.Fatalf("link to the full history %q, want %s", href, full)
	}
	if text := more.Text(); text != "Show the full history (57 entries)" {
		t.Errorf("link reads %q", text)
	}

	t.Run("FullHistoryPages", func(t *testing.T) {
		doc := parseHTML(t, b.get(full))
		if title := testid(doc, "history-title").Text(); title != "History of NOK-XIA-2017" {
			t.Errorf("title %q", title)
		}
		if got := testid(doc, "history-record").AttrOr("href", ""); got != w.path("/agreements/%d", w.deal.ID) {
			t.Errorf("the way back leads to %q", got)
		}
		if got := testid(doc, "history-total").Text(); got != "57 entries" {
			t.Errorf("total %q", got)
		}
		first := testid(doc, "history-entry")
		if first.Length() != historyPerPage {
			t.Fatalf("first page has %d entries, want %d", first.Length(), historyPerPage)
		}
		if testid(doc, "first-page").Length() != 0 {
			t.Error("the first page links to itself")
		}
		next := testid(doc, "next-page").AttrOr("href", "")
		if !strings.HasPrefix(next, full+"?after=") {
			t.Fatalf("next page link %q", next)
		}
		doc = parseHTML(t, b.get(next))
		rest := testid(doc, "history-entry")
		if rest.Length() != 57-historyPerPage {
			t.Errorf("second page has %d entries, want %d", rest.Length(), 57-historyPerPage)
		}
		if head := readHistoryEntry(rest.Last()).head; !strings.Contains(head, "Agreement created") {
			t.Errorf("the oldest entry is %q, want the agreement's creation", head)
		}
		if testid(doc, "next-page").Length() != 0 {
			t.Error("the last page links to a next one")
		}
		if got := testid(doc, "first-page").AttrOr("href", ""); got != full {
			t.Errorf("first page link %q", got)
		}
	})
	t.Run("BadCursorStartsAgain", func(t *testing.T) {
		wantRedirect(t, b.get(full+"?after=nonsense"), full)
	})
}

func TestRecordHistoryAccess(t *testing.T) {
	w := newPartWorld(t)
	agreement := w.path("/history/agreement/%d", w.deal.ID)
	t.Run("AnonymousSignsInFirst", func(t *testing.T) {
		wantRedirect(t, w.app.browser().get(agreement), "/login")
	})
	b := w.as(w.viewer)
	cases := []struct {
		name, path string
		want       int
		title      string
	}{
		{"Agreement", agreement, http.StatusOK, "History of NOK-XIA-2017"},
		{"Company", w.path("/history/company/%d", w.nokia.ID), http.StatusOK, "History of Nokia Corporation"},
		{"Patent", w.path("/history/patent/%d", w.lte.ID), http.StatusOK, "History of EP 1234567 B1"},
		{"NoSuchAgreement", "/history/agreement/99999", http.StatusNotFound, ""},
		{"UsersHaveNoPage", fmt.Sprintf("/history/user/%d", w.viewer.ID), http.StatusNotFound, ""},
		{"NotAnID", "/history/company/abc", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.get(tc.path)
			wantStatus(t, res, tc.want)
			if tc.want != http.StatusOK {
				return
			}
			doc := parseHTML(t, res)
			if got := testid(doc, "history-title").Text(); got != tc.title {
				t.Errorf("title %q, want %q", got, tc.title)
			}
			head := readHistoryEntry(testid(doc, "history-entry").Last()).head
			if !strings.Contains(head, "by PatentDesk (automatic)") {
				t.Errorf("the creation reads %q, want it made by PatentDesk (automatic)", head)
			}
			if testid(doc, "history-more").Length() != 0 {
				t.Error("the full history links to itself")
			}
		})
	}
}
