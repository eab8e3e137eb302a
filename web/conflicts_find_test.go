package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// conflictWorld holds one conflict of each kind, on the test clock's day
// (2026-11-21):
//
//   - EXCL-2020: Nokia licenses Q1 exclusively to Apple, worldwide.
//   - NONEX-2021: Nokia licenses Q1 and Q2 to Xiaomi in Germany,
//     sublicensably: it overlaps EXCL-2020 on Q1, and Q2 is Apple's.
//   - SUB-2022: Xiaomi sublicenses Q1 and Q5 to IKEA under NONEX-2021, in
//     France: beyond its parent's territory and patents (and overlapping
//     the exclusive licence on Q1 too).
//   - ROY-2020: a royalty-bearing licence of Q4 until 2035; Q4 expires in
//     2027.
//   - BAD-2019: Xiaomi assigns Q3, which Nokia owns: a title break.
//   - OLD-2015: marked active, expired on 2024-12-31.
type conflictWorld struct {
	app                          *testApp
	viewer                       *auth.User
	nokia, apple, xiaomi, ikea   *licensing.Company
	q                            map[string]*licensing.Patent
	excl, nonex, sub, roy, stale *licensing.Agreement
}

func newConflictWorld(t *testing.T) *conflictWorld {
	t.Helper()
	app := newTestApp(t)
	cw := &conflictWorld{app: app, viewer: app.addUser("viewer@example.com", auth.RoleViewer), q: map[string]*licensing.Patent{}}
	w := &coverageWorld{app: app}
	d := licensing.MustDate
	cw.nokia = w.company(&licensing.Company{Name: "Nokia Corporation"})
	cw.apple = w.company(&licensing.Company{Name: "Apple Inc."})
	cw.xiaomi = w.company(&licensing.Company{Name: "Xiaomi Corporation"})
	cw.ikea = w.company(&licensing.Company{Name: "Inter IKEA Systems B.V."})
	for _, p := range []struct {
		label, number string
		owner         *licensing.Company
		expires       string
	}{{"Q1", "US 8,000,001 B2", cw.nokia, ""}, {"Q2", "US 8,000,002 B2", cw.apple, ""}, {"Q3", "US 8,000,003 B2", cw.nokia, ""},
		{"Q4", "US 8,000,004 B2", cw.nokia, "2027-01-01"}, {"Q5", "US 8,000,005 B2", cw.nokia, ""}} {
		pt := &licensing.Patent{Number: p.number, Title: "Invention " + p.label, FiledOn: d("2012-01-01"), GrantedOn: d("2014-01-01"),
			Status: licensing.StatusGranted, OriginalOwnerID: p.owner.ID}
		if p.expires != "" {
			pt.ExpiresOn = d(p.expires)
		}
		if err := app.db.CreatePatent(context.Background(), sqlite.SystemActor(), pt); err != nil {
			t.Fatal(err)
		}
		cw.q[p.label] = pt
	}
	listed := func(labels ...string) licensing.GrantScope {
		s := licensing.GrantScope{Kind: licensing.ScopePatents}
		for _, l := range labels {
			s.Patents = append(s.Patents, licensing.PatentRef{ID: cw.q[l].ID})
		}
		return s
	}
	party := func(c *licensing.Company) licensing.Party {
		return licensing.Party{CompanyID: c.ID, Role: licensing.RoleParty}
	}
	active := func(ref string, from, to string, a, b *licensing.Company, grants ...licensing.Grant) *licensing.Agreement {
		return w.agreement(&licensing.Agreement{Reference: ref, Title: ref + " licence", Kind: licensing.KindLicense, Status: licensing.AgreementActive,
			SignedOn: d(from), EffectiveOn: d(from), ExpiresOn: d(to), Parties: []licensing.Party{party(a), party(b)}, Grants: grants})
	}
	cw.excl = active("EXCL-2020", "2020-01-01", "2030-12-31", cw.nokia, cw.apple, licensing.Grant{LicensorID: cw.nokia.ID, LicenseeID: cw.apple.ID,
		Scope: listed("Q1"), Territories: []string{"WORLD"}, Exclusivity: licensing.Exclusive})
	cw.nonex = active("NONEX-2021", "2021-01-01", "2029-12-31", cw.nokia, cw.xiaomi, licensing.Grant{LicensorID: cw.nokia.ID, LicenseeID: cw.xiaomi.ID,
		Scope: listed("Q1", "Q2"), Territories: []string{"DE"}, Exclusivity: licensing.NonExclusive, Sublicensable: true})
	cw.sub = active("SUB-2022", "2022-01-01", "2028-12-31", cw.xiaomi, cw.ikea, licensing.Grant{LicensorID: cw.xiaomi.ID, LicenseeID: cw.ikea.ID,
		Scope: listed("Q1", "Q5"), Territories: []string{"FR"}, Exclusivity: licensing.NonExclusive, ParentGrantID: cw.nonex.Grants[0].ID})
	cw.roy = active("ROY-2020", "2020-01-01", "2035-12-31", cw.nokia, cw.xiaomi, licensing.Grant{LicensorID: cw.nokia.ID, LicenseeID: cw.xiaomi.ID,
		Scope: listed("Q4"), Exclusivity: licensing.NonExclusive, RoyaltyBearing: true})
	cw.stale = active("OLD-2015", "2015-01-01", "2024-12-31", cw.nokia, cw.xiaomi)
	w.agreement(&licensing.Agreement{Reference: "BAD-2019", Title: "Assignment by a non-owner", Kind: licensing.KindAssignment,
		Status: licensing.AgreementActive, SignedOn: d("2019-01-01"), EffectiveOn: d("2019-01-01"),
		Parties: []licensing.Party{party(cw.xiaomi), party(cw.apple)},
		Assignments: []licensing.Assignment{{AssignorID: cw.xiaomi.ID, AssigneeID: cw.apple.ID, EffectiveOn: d("2019-01-01"),
			Patents: []licensing.PatentRef{{ID: cw.q["Q3"].ID}}}}})
	return cw
}

func (cw *conflictWorld) browse() *browser {
	b := cw.app.browser()
	b.mustSignIn(cw.viewer)
	return b
}

// conflictCounts reads the count of each kind from the conflicts page.
func conflictCounts(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	testid(doc, "conflict-count").Each(func(_ int, s *goquery.Selection) { out[s.AttrOr("data-kind", "")] = s.AttrOr("data-count", "") })
	return out
}

// conflictMessages lists the messages of one kind's group.
func conflictMessages(doc *goquery.Document, kind rights.ConflictKind) []string {
	var out []string
	doc.Find(`[data-testid="conflict-group"][data-kind="` + string(kind) + `"] [data-testid="conflict-message"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, agreementText(s.Text()))
	})
	return out
}

func TestConflicts(t *testing.T) {
	cw := newConflictWorld(t)
	b := cw.browse()
	res := b.get("/conflicts")
	wantStatus(t, res, http.StatusOK)
	doc := parseHTML(t, res)
	want := map[string]string{"exclusive_overlap": "2", "licensor_not_owner": "1", "title_break": "1",
		"sublicense_outside_parent": "2", "stale_status": "1", "royalty_after_expiry": "1"}
	if got := conflictCounts(doc); !maps.Equal(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	cases := []struct {
		kind     rights.ConflictKind
		contains []string // in one message each
	}{
		{rights.ExclusiveOverlap, []string{"EXCL-2020", "NONEX-2021", "Apple Inc."}},
		{rights.LicensorNotOwnerKind, []string{"US8000002B2", "never held it"}},
		{rights.TitleBreakKind, []string{"Xiaomi Corporation assigned US8000003B2 under BAD-2019", "Nokia Corporation owned it"}},
		{rights.SublicenseOutsideParent, []string{"territories beyond", "1 in all"}},
		{rights.StaleStatus, []string{"OLD-2015", "2024-12-31"}},
		{rights.RoyaltyAfterExpiry, []string{"2035-12-31", "2027-01-01"}},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			msgs := strings.Join(conflictMessages(doc, tc.kind), " / ")
			for _, part := range tc.contains {
				if !strings.Contains(msgs, part) {
					t.Errorf("no message says %q: %s", part, msgs)
				}
			}
		})
	}
	t.Run("LinksToAgreementsGrantsAndPatents", func(t *testing.T) {
		overlap := doc.Find(`[data-testid="conflict-group"][data-kind="exclusive_overlap"] [data-testid="conflict"]`).First()
		var agreements, patents []string
		overlap.Find(`[data-testid="conflict-agreement"]`).Each(func(_ int, s *goquery.Selection) { agreements = append(agreements, s.AttrOr("href", "")) })
		overlap.Find(`[data-testid="conflict-patent"]`).Each(func(_ int, s *goquery.Selection) { patents = append(patents, s.AttrOr("href", "")) })
		if !slices.Equal(agreements, []string{agreementPath(cw.excl), agreementPath(cw.nonex)}) {
			t.Errorf("agreement links %v", agreements)
		}
		if !slices.Equal(patents, []string{conflictPatentPath(cw.q["Q1"])}) {
			t.Errorf("patent links %v, want Q1 alone", patents)
		}
		if got := overlap.Find(`[data-testid="conflict-grant"]`).First().AttrOr("href", ""); got != agreementPath(cw.excl)+"#grant-"+grantOf(cw.excl) {
			t.Errorf("grant link %q", got)
		}
	})
	t.Run("FilterByKind", func(t *testing.T) {
		doc := parseHTML(t, b.get("/conflicts?kind=title_break"))
		if got := testid(doc, "conflict").Length(); got != 1 {
			t.Errorf("%d conflicts listed, want the one title break", got)
		}
	})
	t.Run("FilterByAgreement", func(t *testing.T) {
		doc := parseHTML(t, b.get("/conflicts?agreement=ROY-2020"))
		if got := testid(doc, "conflict").Length(); got != 1 || len(conflictMessages(doc, rights.RoyaltyAfterExpiry)) != 1 {
			t.Errorf("%d conflicts for ROY-2020, want its royalty conflict alone", got)
		}
	})
	t.Run("FilterByCompany", func(t *testing.T) {
		doc := parseHTML(t, b.get("/conflicts?company="+url.QueryEscape("Inter IKEA Systems B.V.")))
		counts := conflictCounts(doc)
		if counts["exclusive_overlap"] != "1" || counts["sublicense_outside_parent"] != "2" || counts["royalty_after_expiry"] != "0" {
			t.Errorf("IKEA's conflicts %v", counts)
		}
	})
	t.Run("UnknownFiltersExplained", func(t *testing.T) {
		doc := parseHTML(t, b.get("/conflicts?agreement=NOPE&kind=odd"))
		if testid(doc, "error-agreement").Length() != 1 || testid(doc, "error-kind").Length() != 1 || testid(doc, "conflict").Length() != 0 {
			t.Error("unknown agreement or kind not explained")
		}
	})
	t.Run("Export", func(t *testing.T) {
		res := b.get("/conflicts.csv")
		wantStatus(t, res, http.StatusOK)
		records, err := csv.NewReader(res.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(records[0], conflictHeader) || len(records) != 9 {
			t.Fatalf("export header %v, %d rows, want 8 conflicts", records[0], len(records)-1)
		}
		for _, r := range records[1:] {
			if r[0] == "royalty_after_expiry" && (r[2] != "ROY-2020" || r[3] != grantOf(cw.roy) || r[4] != "US8000004B2" ||
				!strings.Contains(r[1], "expires on 2027-01-01")) {
				t.Errorf("royalty row %v", r)
			}
		}
	})
	t.Run("German", func(t *testing.T) {
		g := cw.browse()
		g.lang = "de"
		doc := parseHTML(t, g.get("/conflicts?kind=sublicense_outside_parent"))
		msgs := strings.Join(conflictMessages(doc, rights.SublicenseOutsideParent), " / ")
		if !strings.Contains(msgs, "insgesamt 1") {
			t.Errorf("German messages %q", msgs)
		}
	})
}

func TestConflictsCleanWorld(t *testing.T) {
	w := newCoverageWorld(t)
	// The coverage world's grants are consistent; its one exclusive
	// licence (P4 to Apple) overlaps nothing.
	doc := parseHTML(t, w.browse().get("/conflicts"))
	for kind, n := range conflictCounts(doc) {
		if n != "0" {
			t.Errorf("%s: %s conflicts in a clean world: %v", kind, n, conflictMessages(doc, rights.ConflictKind(kind)))
		}
	}
	if len(conflictCounts(doc)) != len(rights.ConflictKinds) || testid(doc, "conflicts-none").Length() != 1 {
		t.Error("a clean world does not say so")
	}
}

// conflictPatentPath is a patent's page.
func conflictPatentPath(p *licensing.Patent) string { return fmt.Sprintf("/patents/%d", p.ID) }
