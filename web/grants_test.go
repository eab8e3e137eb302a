package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// partWorld is the patent world with the 2017 Nokia–Xiaomi cross-licence
// between Nokia Corporation and Xiaomi Corporation: signed, in force from
// 2017-07-05 to 2024-07-04. Nokia Technologies Oy is Nokia's subsidiary but
// no party.
type partWorld struct {
	*patentWorld
	deal *licensing.Agreement
}

func newPartWorld(t *testing.T) *partWorld {
	t.Helper()
	w := &partWorld{patentWorld: newPatentWorld(t)}
	w.deal = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-2017", Title: "Patent cross-licence",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive, SignedOn: licensing.MustDate("2017-07-05"),
		EffectiveOn: licensing.MustDate("2017-07-05"), ExpiresOn: licensing.MustDate("2024-07-04"),
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}}})
	return w
}

func (w *partWorld) agreement(a *licensing.Agreement) *licensing.Agreement {
	w.app.t.Helper()
	if err := w.app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), a); err != nil {
		w.app.t.Fatalf("create agreement %s: %v", a.Reference, err)
	}
	return a
}

// reload reads an agreement back with everything inside it.
func (w *partWorld) reload(a *licensing.Agreement) *licensing.Agreement {
	w.app.t.Helper()
	got, err := w.app.db.Agreement(context.Background(), a.ID)
	if err != nil {
		w.app.t.Fatal(err)
	}
	return got
}

func (w *partWorld) path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// grantPost is a valid grant form: Nokia licenses Xiaomi the listed patents.
func (w *partWorld) grantPost(patents string) url.Values {
	return url.Values{"licensor": {fmt.Sprint(w.nokia.ID)}, "licensee": {fmt.Sprint(w.xiaomi.ID)}, "scope": {"patents"},
		"patents": {patents}, "exclusivity": {"non_exclusive"}, "territories": {"WORLD"}, "fields": {"mobile devices"},
		"royalty_bearing": {"yes"}}
}

func storedNumbers(refs []licensing.PatentRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Number
	}
	slices.Sort(out)
	return out
}

func TestGrantByNumbersInMixedNotation(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	res := b.post(w.path("/agreements/%d/grants", w.deal.ID), w.grantPost("EP 1 234 567 B1\nUS-9123456-B2, US 9,123,456 B2\n\n"))
	wantRedirect(t, res, w.path("/agreements/%d#grants", w.deal.ID))
	deal := w.reload(w.deal)
	if len(deal.Grants) != 1 {
		t.Fatalf("%d grants stored, want 1", len(deal.Grants))
	}
	if got, want := storedNumbers(deal.Grants[0].Scope.Patents), []string{"EP1234567B1", "US9123456B2"}; !slices.Equal(got, want) {
		t.Errorf("scope %v, want %v (each patent once)", got, want)
	}
	doc := parseHTML(t, b.get(w.path("/agreements/%d", w.deal.ID)))
	if !strings.Contains(testid(doc, "flash").Text(), "Nokia Corporation") {
		t.Errorf("flash %q does not name the licensor", testid(doc, "flash").Text())
	}
	grants := testid(doc, "grant")
	if grants.Length() != 1 || !strings.Contains(grants.Text(), "Xiaomi Corporation") {
		t.Errorf("agreement page shows %d grants: %q", grants.Length(), grants.Text())
	}
}

func TestGrantFormRefusals(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	tests := []struct {
		name  string
		edit  func(url.Values)
		field string
		want  string
	}{
		{"UnknownNumberByLine", func(f url.Values) { f.Set("patents", "EP 1 234 567 B1\n\nEP 7 654 321 B1") }, "patents", "Line 3: no patent EP 7 654 321 B1"},
		{"NotANumber", func(f url.Values) { f.Set("patents", "US 9,123,456 B2\nhello") }, "patents", "Line 2"},
		{"LicenseeNotAParty", func(f url.Values) { f.Set("licensee", fmt.Sprint(w.tech.ID)) }, "licensee", "parties"},
		{"LicenseeIsLicensor", func(f url.Values) { f.Set("licensee", fmt.Sprint(w.nokia.ID)) }, "licensee", "another company"},
		{"NoScope", func(f url.Values) { f.Del("scope") }, "scope", "patents, families or portfolio"},
		{"ListForAnotherScope", func(f url.Values) { f.Set("scope", "portfolio") }, "patents", "scope"},
		{"UnknownFamily", func(f url.Values) { f.Set("scope", "families"); f.Del("patents"); f.Set("families", "F1\nF9") }, "families", "Line 2"},
		{"BadTerritory", func(f url.Values) { f.Set("territories", "DE, XX") }, "territories", "XX"},
		{"StartsBeforeTheAgreement", func(f url.Values) { f.Set("starts_on", "01.01.2016") }, "starts_on", "2016-01-01"},
		{"UnknownParentGrant", func(f url.Values) { f.Set("parent_grant", "999") }, "parent_grant", "999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := w.grantPost("EP 1 234 567 B1")
			tt.edit(form)
			res := b.post(w.path("/agreements/%d/grants", w.deal.ID), form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := parseHTML(t, res)
			if msg := testid(doc, "error-"+tt.field).Text(); !strings.Contains(msg, tt.want) {
				t.Errorf("error beside %s: %q, want it to mention %q", tt.field, msg, tt.want)
			}
			if got := testid(doc, "input-patents").Text(); got != form.Get("patents") {
				t.Errorf("the typed list was not kept: %q", got)
			}
		})
	}
	if n := len(w.reload(w.deal).Grants); n != 0 {
		t.Fatalf("%d grants stored from refused forms", n)
	}
}

func TestGrantEditAndRemove(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	wantRedirect(t, b.post(w.path("/agreements/%d/grants", w.deal.ID), w.grantPost("EP1234567B1")), "/agreements/")
	g := w.reload(w.deal).Grants[0]

	doc := parseHTML(t, b.get(w.path("/grants/%d/edit", g.ID)))
	if got := testid(doc, "input-patents").Text(); got != "EP 1234567 B1" {
		t.Errorf("edit form lists %q", got)
	}
	if _, ok := testid(doc, "scope-patents").Attr("checked"); !ok {
		t.Error("the grant's scope is not chosen on the edit form")
	}
	form := w.grantPost("")
	form.Set("scope", "portfolio")
	form.Set("capture_from", "2000-01-01")
	form.Set("capture_to", "05.07.2017")
	form.Set("standards", "3GPP LTE, 3GPP NR")
	form["activities"] = []string{"make", "sell"}
	wantRedirect(t, b.post(w.path("/grants/%d", g.ID), form), w.path("/agreements/%d#grants", w.deal.ID))
	got := w.reload(w.deal).Grants[0]
	if got.Scope.Kind != licensing.ScopePortfolio || got.Scope.CaptureTo != licensing.MustDate("2017-07-05") ||
		len(got.Scope.Standards) != 2 || len(got.Activities) != 2 {
		t.Errorf("grant after edit: %+v", got)
	}

	doc = parseHTML(t, b.get(w.path("/grants/%d/delete", g.ID)))
	if !strings.Contains(testid(doc, "delete-subject").Text(), "NOK-XIA-2017") {
		t.Errorf("confirmation names %q", testid(doc, "delete-subject").Text())
	}
	wantRedirect(t, b.post(w.path("/grants/%d/delete", g.ID), nil), w.path("/agreements/%d#grants", w.deal.ID))
	if n := len(w.reload(w.deal).Grants); n != 0 {
		t.Fatalf("%d grants left after removal", n)
	}
	wantStatus(t, b.get(w.path("/grants/%d/edit", g.ID)), http.StatusNotFound)
}

func TestSublicenceShowsItsParentsAgreement(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	parent := w.grantPost("EP1234567B1")
	wantRedirect(t, b.post(w.path("/agreements/%d/grants", w.deal.ID), parent), "/agreements/")
	pg := w.reload(w.deal).Grants[0]

	hmd := w.company(&licensing.Company{Name: "HMD Global Oy"})
	sub := w.agreement(&licensing.Agreement{Reference: "XIA-HMD-2018", Title: "Sublicence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, EffectiveOn: licensing.MustDate("2018-01-01"), ExpiresOn: licensing.MustDate("2020-12-31"),
		Parties: []licensing.Party{{CompanyID: w.xiaomi.ID, Role: licensing.RoleLicensor}, {CompanyID: hmd.ID, Role: licensing.RoleLicensee}}})
	form := w.grantPost("EP1234567B1")
	form.Set("licensor", fmt.Sprint(w.xiaomi.ID))
	form.Set("licensee", fmt.Sprint(hmd.ID))
	form.Set("parent_grant", fmt.Sprint(pg.ID))
	// The store refuses a sublicence under a grant that does not allow them,
	// beside the field.
	res := b.post(w.path("/agreements/%d/grants", sub.ID), form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := testid(parseHTML(t, res), "error-parent_grant").Text(); !strings.Contains(msg, "not sublicensable") {
		t.Errorf("refusal beside the parent grant: %q", msg)
	}
	parent.Set("sublicensable", "yes")
	wantRedirect(t, b.post(w.path("/grants/%d", pg.ID), parent), "/agreements/")
	wantRedirect(t, b.post(w.path("/agreements/%d/grants", sub.ID), form), w.path("/agreements/%d#grants", sub.ID))
	g := w.reload(sub).Grants[0]
	if g.ParentGrantID != pg.ID {
		t.Fatalf("parent grant %d, want %d", g.ParentGrantID, pg.ID)
	}
	doc := parseHTML(t, b.get(w.path("/grants/%d/edit", g.ID)))
	if got := testid(doc, "parent-agreement").Text(); !strings.Contains(got, "NOK-XIA-2017") {
		t.Errorf("parent shown as %q", got)
	}
	// The parent cannot go while the sublicence stands.
	res = b.post(w.path("/grants/%d/delete", pg.ID), nil)
	wantStatus(t, res, http.StatusConflict)
	if testid(parseHTML(t, res), "delete-refused").Text() == "" {
		t.Error("the refusal is not explained")
	}
}

func TestGrantFormInGerman(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	b.lang = "de"
	doc := parseHTML(t, b.get(w.path("/agreements/%d/grants/new", w.deal.ID)))
	if got := doc.Find(`label[for="licensor"]`).Text(); !strings.Contains(got, "Lizenzgeber") {
		t.Errorf("licensor label %q", got)
	}
	if got := doc.Find("h1").Text(); !strings.Contains(got, "Rechteeinräumung") {
		t.Errorf("heading %q", got)
	}
	form := w.grantPost("EP 1234567 B1\nEP 7654321 B1")
	res := b.post(w.path("/agreements/%d/grants", w.deal.ID), form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := testid(parseHTML(t, res), "error-patents").Text(); !strings.Contains(msg, "Zeile 2") {
		t.Errorf("German line message %q", msg)
	}
}

func TestAgreementPartsNeedAnEditor(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.viewer)
	prefixes := []string{"/agreements/:id/grants", "/agreements/:id/assignments", "/agreements/:id/obligations",
		"/agreements/:id/documents", "/grants/", "/assignments/", "/obligations/", "/documents/"}
	checked := 0
	for _, r := range w.app.srv.Echo().Routes() {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(r.Path, p) }) {
			continue
		}
		path := strings.ReplaceAll(r.Path, ":id", fmt.Sprint(w.deal.ID))
		switch {
		case r.Method == http.MethodPost:
			checked++
			wantStatus(t, b.post(path, url.Values{"status": {"done"}, "due_on": {"2018-01-31"}}), http.StatusForbidden)
		case r.Method == http.MethodGet && r.Path != "/documents/:id":
			wantStatus(t, b.get(path), http.StatusForbidden)
		}
	}
	if checked < 12 {
		t.Fatalf("only %d POST routes checked", checked)
	}
}
