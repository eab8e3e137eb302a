package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// dd reads a date written in a test.
var dd = licensing.MustDate

// agreementFixture is the patent fixture (Nokia, Nokia Technologies,
// Xiaomi and four patents) with the other companies of the demo deals.
type agreementFixture struct {
	*patentFixture
	xiaomiInc, hmd, apple, ikea *licensing.Company
}

func newAgreementFixture(t *testing.T) *agreementFixture {
	t.Helper()
	f := &agreementFixture{patentFixture: newPatentFixture(t)}
	f.xiaomiInc = mustCreateCompany(t, f.db, &licensing.Company{Name: "Xiaomi Inc.", ParentID: f.xiaomi.ID, ControlFrom: dd("2010-04-06")})
	f.hmd = mustCreateCompany(t, f.db, &licensing.Company{Name: "HMD Global Oy"})
	f.apple = mustCreateCompany(t, f.db, &licensing.Company{Name: "Apple Inc."})
	f.ikea = mustCreateCompany(t, f.db, &licensing.Company{Name: "Inter IKEA Systems B.V."})
	return f
}

// crossLicence is the July 2017 Nokia–Xiaomi cross-licence: a portfolio
// grant one way, a grant of listed patents (numbers in mixed notation) the
// other, a families grant, and a yearly royalty.
func (f *agreementFixture) crossLicence() *licensing.Agreement {
	return &licensing.Agreement{
		Reference: "NOK-XIA-2017", Title: "Patent cross-licence Nokia and Xiaomi", Kind: licensing.KindCrossLicense,
		Status: licensing.AgreementActive, SignedOn: dd("2017-07-05"), EffectiveOn: dd("2017-07-05"), ExpiresOn: dd("2024-07-04"),
		NoticeDays: 180, GoverningLaw: "English law", Summary: "Multi-year cellular cross-licence of standard-essential patents.",
		Parties: []licensing.Party{{CompanyID: f.nokia.ID, Role: licensing.RoleParty}, {CompanyID: f.xiaomi.ID, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID, LicenseeAffiliates: true, LicensorAffiliates: true,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: dd("2000-01-01"), CaptureTo: dd("2017-07-05"),
					Standards: []string{"3GPP LTE"}},
				Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive, RoyaltyBearing: true},
			{LicensorID: f.xiaomi.ID, LicenseeID: f.nokia.ID, LicenseeAffiliates: true,
				Scope:      licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "cn 105123456 a"}}},
				Activities: []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse}, Exclusivity: licensing.NonExclusive},
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID,
				Scope:       licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP 1 234 567 B1"}, {Number: "US-9123456-B2"}}},
				Territories: []string{"de", "FR"}, Exclusivity: licensing.Sole, EndsOn: dd("2020-12-31")},
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID,
				Scope: licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}}, Exclusivity: licensing.NonExclusive},
		},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Annual royalty", DueOn: dd("2018-01-31"),
			Recurrence: licensing.Yearly, Until: dd("2024-01-31"), Amount: licensing.MustAmount("1000000.00"), Currency: "eur",
			PayerID: f.xiaomi.ID, PayeeID: f.nokia.ID}},
	}
}

func (f *agreementFixture) mustCreate(t *testing.T, a *licensing.Agreement) *licensing.Agreement {
	t.Helper()
	if err := f.db.CreateAgreement(context.Background(), CLIActor(), a); err != nil {
		t.Fatalf("create %s: %v", a.Reference, err)
	}
	return a
}

// rowsIn returns the number of rows of a table.
func rowsIn(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// invalidFieldsOf returns the field messages of an Invalid error, failing
// the test for any other outcome.
func invalidFieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var de *licensing.Error
	if !errors.As(err, &de) || de.Code != licensing.Invalid {
		t.Fatalf("error %v, want an invalid error", err)
	}
	return de.Fields
}

func TestCreateAgreement(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, f *agreementFixture)
	}{
		{"CrossLicenceReadsBackWhole", func(t *testing.T, f *agreementFixture) {
			a := f.mustCreate(t, f.crossLicence())
			if a.ID == 0 || a.Grants[1].ID == 0 || a.Obligations[0].ID == 0 {
				t.Fatalf("ids not set: %+v", a)
			}
			got, err := f.db.AgreementByReference(ctx, "nok-xia-2017")
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != a.ID || got.Status != licensing.AgreementActive || got.ExpiresOn != dd("2024-07-04") || got.NoticeDays != 180 ||
				len(got.Parties) != 2 || got.Parties[0].Company != "Nokia Corporation" || got.Parties[1].Company != "Xiaomi Corporation" {
				t.Errorf("agreement read back as %+v", got)
			}
			if len(got.Grants) != 4 {
				t.Fatalf("%d grants read back, want 4", len(got.Grants))
			}
			g := got.Grants[0]
			if g.Licensor != "Nokia Corporation" || g.Licensee != "Xiaomi Corporation" || !g.LicenseeAffiliates || !g.LicensorAffiliates ||
				g.Scope.Kind != licensing.ScopePortfolio || g.Scope.CaptureFrom != dd("2000-01-01") || g.Scope.CaptureTo != dd("2017-07-05") ||
				strings.Join(g.Scope.Standards, "|") != "3GPP LTE" || strings.Join(g.Territories, "|") != "WORLD" ||
				strings.Join(g.Fields, "|") != "mobile devices" || !g.RoyaltyBearing {
				t.Errorf("portfolio grant read back as %+v", g)
			}
			if back := got.Grants[1]; back.Licensor != "Xiaomi Corporation" || back.Licensee != "Nokia Corporation" ||
				refNumbers(back.Scope.Patents) != "CN105123456A" || len(back.Activities) != 2 {
				t.Errorf("grant the other way read back as %+v", back)
			}
			if listed := got.Grants[2]; refNumbers(listed.Scope.Patents) != "EP1234567B1,US9123456B2" ||
				strings.Join(listed.Territories, "|") != "DE|FR" || listed.Exclusivity != licensing.Sole || listed.EndsOn != dd("2020-12-31") {
				t.Errorf("listed-patents grant read back as %+v", listed)
			}
			if fam := got.Grants[3]; strings.Join(fam.Scope.Families, "|") != "F1" {
				t.Errorf("families grant read back as %+v", fam)
			}
			o := got.Obligations[0]
			if o.Amount.String() != "1000000.00" || o.Currency != "EUR" || o.Payer != "Xiaomi Corporation" || o.Payee != "Nokia Corporation" ||
				o.Recurrence != licensing.Yearly || o.Status != licensing.ObligationOpen {
				t.Errorf("obligation read back as %+v", o)
			}
		}},
		{"AuditNamesCompaniesAndCounts", func(t *testing.T, f *agreementFixture) {
			f.mustCreate(t, f.crossLicence())
			// The parts of an agreement are recorded under the agreement, so
			// that its history on its page tells the whole deal.
			kind := "agreement"
			all, _, err := f.db.AuditTrail(ctx, AuditFilter{Entity: &kind})
			if err != nil || len(all) != 6 {
				t.Fatalf("agreement audit rows %v, %v", all, err)
			}
			var rows, grants []AuditEntry
			for _, r := range all {
				switch r.Action {
				case "agreement.create":
					rows = append(rows, r)
				case "grant.create":
					grants = append(grants, r)
				}
			}
			if len(rows) != 1 {
				t.Fatalf("agreement.create rows %v", rows)
			}
			var details struct{ After map[string]any }
			json.Unmarshal([]byte(rows[0].Details), &details)
			if rows[0].Action != "agreement.create" || details.After["parties"] != "Nokia Corporation (party)|Xiaomi Corporation (party)" ||
				details.After["grants"] != float64(4) || details.After["obligations"] != float64(1) {
				t.Errorf("audit row %s %s", rows[0].Action, rows[0].Details)
			}
			if len(grants) != 4 || !strings.Contains(grants[0].Details, "NOK-XIA-2017") || !strings.Contains(grants[1].Details, "EP1234567B1|US9123456B2") {
				t.Errorf("grant audit rows: %+v", grants)
			}
		}},
		{"OneBadGrantCreatesNothing", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Grants[1].LicenseeID = f.hmd.ID
			err := f.db.CreateAgreement(ctx, CLIActor(), a)
			if fields := invalidFieldsOf(t, err); fields["grants.1.licensee"] == "" || len(fields) != 1 {
				t.Errorf("fields %v, want grants.1.licensee alone", fields)
			}
			for _, table := range []string{"agreements", "agreement_parties", "grants", "grant_terms", "grant_patents", "obligations", "agreements_fts"} {
				if n := rowsIn(t, f.db, table); n != 0 {
					t.Errorf("%d rows in %s after a refused create", n, table)
				}
			}
		}},
		{"UnknownNumbersListedByLine", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Grants[2].Scope.Patents = []licensing.PatentRef{{Number: "EP1234567B1"}, {Number: "EP 9 999 999 B1"}, {Number: "US 1,111,111 B2"}}
			msg := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), a))["grants.2.patents"]
			if !strings.Contains(msg, "Line 2: no patent EP9999999B1.") || !strings.Contains(msg, "Line 3: no patent US1111111B2.") ||
				strings.Contains(msg, "Line 1") {
				t.Errorf("grants.2.patents = %q", msg)
			}
		}},
		{"UnknownFamiliesListedByLine", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Grants[3].Scope.Families = []string{"F1", "NO-SUCH-FAMILY"}
			msg := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), a))["grants.3.families"]
			if msg != "Line 2: no patent of the family NO-SUCH-FAMILY." {
				t.Errorf("grants.3.families = %q", msg)
			}
		}},
		{"EveryItemsErrorsTogether", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Title = " "
			a.Grants[0].Exclusivity = "total"
			a.Obligations[0].Currency = ""
			a.Assignments = []licensing.Assignment{{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: dd("2017-07-05"),
				Patents: []licensing.PatentRef{{Number: "EP 9 999 999 B1"}}}}
			fields := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), a))
			for _, k := range []string{"title", "grants.0.exclusivity", "obligations.0.currency", "assignments.0.patents"} {
				if fields[k] == "" {
					t.Errorf("no message for %s in %v", k, fields)
				}
			}
			if n := rowsIn(t, f.db, "assignments"); n != 0 {
				t.Errorf("%d assignments stored", n)
			}
		}},
		{"ReferenceTakenInAnyCase", func(t *testing.T, f *agreementFixture) {
			f.mustCreate(t, f.crossLicence())
			a := f.crossLicence()
			a.Reference = "nok-xia-2017"
			wantCode(t, f.db.CreateAgreement(ctx, CLIActor(), a), licensing.Conflict, "reference")
			if n := rowsIn(t, f.db, "grants"); n != 4 {
				t.Errorf("%d grants after the refused duplicate, want 4", n)
			}
		}},
		{"UnknownPartyAndParent", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Parties = append(a.Parties, licensing.Party{CompanyID: 4242, Role: licensing.RoleGuarantor})
			a.ParentID = 4242
			fields := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), a))
			if fields["parties"] != "The party in position 3 is not a recorded company." || fields["parent"] == "" {
				t.Errorf("fields %v", fields)
			}
		}},
		{"AmendmentListedUnderItsParent", func(t *testing.T, f *agreementFixture) {
			parent := f.mustCreate(t, f.crossLicence())
			for _, am := range []struct{ ref, on string }{{"NOK-XIA-2017-A2", "2020-01-01"}, {"NOK-XIA-2017-A1", "2019-01-01"}} {
				f.mustCreate(t, &licensing.Agreement{Reference: am.ref, Title: "Amendment", Kind: licensing.KindCrossLicense,
					Status: licensing.AgreementActive, EffectiveOn: dd(am.on), ParentID: parent.ID})
			}
			list, err := f.db.Amendments(ctx, parent.ID)
			if err != nil || len(list) != 2 || list[0].Reference != "NOK-XIA-2017-A1" || list[1].Parent != "NOK-XIA-2017" {
				t.Errorf("amendments %v, %v", list, err)
			}
		}},
		{"SaleWithLicenceBackMovesTitle", func(t *testing.T, f *agreementFixture) {
			sale := f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-SALE", Title: "Patent purchase", Kind: licensing.KindAssignment,
				Status: licensing.AgreementActive, SignedOn: dd("2017-07-05"), EffectiveOn: dd("2017-07-05"),
				Parties: []licensing.Party{{CompanyID: f.tech.ID, Role: licensing.RoleAssignor}, {CompanyID: f.xiaomi.ID, Role: licensing.RoleAssignee}},
				Assignments: []licensing.Assignment{{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: dd("2017-07-05"),
					Patents: []licensing.PatentRef{{Number: "EP1234567B1"}, {Number: "DE 10 2015 000 001 B4"}}}},
				Grants: []licensing.Grant{{LicensorID: f.xiaomi.ID, LicenseeID: f.tech.ID, LicenseeAffiliates: true, Exclusivity: licensing.NonExclusive,
					Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP1234567B1"}}}}}})
			if sale.Assignments[0].ID == 0 {
				t.Fatal("assignment id not set")
			}
			p, err := f.db.Patent(ctx, f.lte.ID)
			if err != nil || p.Owner != "Xiaomi Corporation" {
				t.Errorf("owner of the sold patent = %s, %v; want the buyer", p.Owner, err)
			}
			got, _ := f.db.Agreement(ctx, sale.ID)
			if len(got.Assignments) != 1 || refNumbers(got.Assignments[0].Patents) != "EP1234567B1,DE102015000001B4" || len(got.Grants) != 1 {
				t.Errorf("sale read back as %+v", got)
			}
		}},
		{"CompanyInAnAgreementCannotBeDeleted", func(t *testing.T, f *agreementFixture) {
			f.mustCreate(t, &licensing.Agreement{Reference: "NOK-APL-2017", Title: "Licence", Kind: licensing.KindLicense,
				Status: licensing.AgreementDraft, Parties: []licensing.Party{{CompanyID: f.apple.ID, Role: licensing.RoleLicensee}}})
			err := f.db.DeleteCompany(ctx, CLIActor(), f.apple.ID)
			if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "1 agreement") {
				t.Errorf("delete of a party: %v", err)
			}
			f.mustCreate(t, f.crossLicence())
			err = f.db.DeleteCompany(ctx, CLIActor(), f.xiaomi.ID)
			for _, want := range []string{"1 agreement", "4 grants", "1 obligation"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("delete of Xiaomi: %v; want it to name %s", err, want)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newAgreementFixture(t)) })
	}
}

func refNumbers(refs []licensing.PatentRef) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Number
	}
	return strings.Join(out, ",")
}

func TestAgreementLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-OPT", Title: "Option for IoT, AR, VR and AI", Kind: licensing.KindOption,
		Status: licensing.AgreementDraft, Parties: []licensing.Party{{CompanyID: f.nokia.ID, Role: licensing.RoleParty},
			{CompanyID: f.xiaomi.ID, Role: licensing.RoleParty}, {CompanyID: f.hmd.ID, Role: licensing.RoleGuarantor}},
		Grants: []licensing.Grant{{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID, Exclusivity: licensing.NonExclusive,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}}})
	steps := []struct {
		name   string
		change func(a *licensing.Agreement)
		field  string // the refused field; "" when the change is accepted
	}{
		{"DraftToNegotiation", func(a *licensing.Agreement) { a.Status = licensing.AgreementNegotiation }, ""},
		{"ActiveNeedsEffectiveDate", func(a *licensing.Agreement) { a.Status = licensing.AgreementActive }, "effective_on"},
		{"NegotiationToActive", func(a *licensing.Agreement) {
			a.Status, a.SignedOn, a.EffectiveOn, a.ExpiresOn = licensing.AgreementActive, dd("2018-03-01"), dd("2018-03-01"), dd("2023-02-28")
		}, ""},
		{"ActiveBackToDraftRefused", func(a *licensing.Agreement) { a.Status = licensing.AgreementDraft }, "status"},
		{"PartyNamedByGrantStays", func(a *licensing.Agreement) { a.Parties = a.Parties[:1] }, "parties"},
		{"GuarantorMayLeave", func(a *licensing.Agreement) { a.Parties = a.Parties[:2] }, ""},
		{"TerminationNeedsDate", func(a *licensing.Agreement) { a.Status = licensing.AgreementTerminated }, "terminated_on"},
		{"TerminatedAfterExpiryRefused", func(a *licensing.Agreement) {
			a.Status, a.TerminatedOn = licensing.AgreementTerminated, dd("2023-03-01")
		}, "terminated_on"},
		{"Terminated", func(a *licensing.Agreement) {
			a.Status, a.TerminatedOn = licensing.AgreementTerminated, dd("2020-06-30")
		}, ""},
		{"TerminationIsFinal", func(a *licensing.Agreement) { a.Status, a.TerminatedOn = licensing.AgreementActive, licensing.Date{} }, "status"},
		{"CannotAmendItsOwnAmendment", func(a *licensing.Agreement) {
			amendment := f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-OPT-A1", Title: "Amendment", Kind: licensing.KindOption,
				Status: licensing.AgreementDraft, ParentID: a.ID})
			a.ParentID = amendment.ID
		}, "parent"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before, err := f.db.Agreement(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			next := *before
			next.Parties = append([]licensing.Party(nil), before.Parties...)
			s.change(&next)
			err = f.db.UpdateAgreement(ctx, CLIActor(), &next)
			after, _ := f.db.Agreement(ctx, a.ID)
			if s.field != "" {
				if fields := invalidFieldsOf(t, err); fields[s.field] == "" {
					t.Errorf("fields %v, want a message for %s", fields, s.field)
				}
				if after.Status != before.Status || len(after.Parties) != len(before.Parties) || after.ParentID != before.ParentID {
					t.Errorf("a refused update changed the agreement: %+v", after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if after.Status != next.Status || len(after.Parties) != len(next.Parties) {
				t.Errorf("stored %s with %d parties, want %s with %d", after.Status, len(after.Parties), next.Status, len(next.Parties))
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			var details struct{ Before, After map[string]any }
			json.Unmarshal([]byte(e[0].Details), &details)
			if e[0].Action != "agreement.update" || details.After["title"] != nil || details.Before["reference"] != nil {
				t.Errorf("audit %s %s: want only the changed fields", e[0].Action, e[0].Details)
			}
		})
	}
	t.Run("SigningMovesTitle", func(t *testing.T) {
		sale := f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-SALE", Title: "Patent purchase", Kind: licensing.KindAssignment,
			Status: licensing.AgreementNegotiation, Parties: []licensing.Party{{CompanyID: f.tech.ID, Role: licensing.RoleAssignor},
				{CompanyID: f.xiaomi.ID, Role: licensing.RoleAssignee}},
			Assignments: []licensing.Assignment{{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: dd("2017-07-05"),
				Patents: []licensing.PatentRef{{Number: "EP 1234567 B1"}}}}})
		owner := func() string {
			p, err := f.db.Patent(ctx, f.lte.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p.Owner
		}
		if got := owner(); got != "Nokia Technologies Oy" {
			t.Fatalf("owner under negotiation = %s, want the seller", got)
		}
		sale.Status, sale.SignedOn, sale.EffectiveOn = licensing.AgreementActive, dd("2017-07-05"), dd("2017-07-05")
		if err := f.db.UpdateAgreement(ctx, CLIActor(), sale); err != nil {
			t.Fatal(err)
		}
		if got := owner(); got != "Xiaomi Corporation" {
			t.Errorf("owner after signing = %s, want the buyer", got)
		}
	})
}

func TestDeleteAgreement(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, f *agreementFixture)
	}{
		{"SignedAgreementStays", func(t *testing.T, f *agreementFixture) {
			a := f.mustCreate(t, f.crossLicence())
			err := f.db.DeleteAgreement(ctx, CLIActor(), a.ID)
			if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "only a draft agreement can be deleted") {
				t.Errorf("delete of an active agreement: %v", err)
			}
		}},
		{"DraftGoesWithEverythingInside", func(t *testing.T, f *agreementFixture) {
			a := f.crossLicence()
			a.Status, a.SignedOn = licensing.AgreementDraft, licensing.Date{}
			f.mustCreate(t, a)
			// A sublicence inside the same draft goes with it.
			sub := licensing.Grant{LicensorID: f.xiaomi.ID, LicenseeID: f.hmd.ID, ParentGrantID: a.Grants[0].ID,
				Exclusivity: licensing.NonExclusive, Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}
			if err := f.db.UpdateGrant(ctx, CLIActor(), &licensing.Grant{ID: a.Grants[0].ID, LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID,
				LicenseeAffiliates: true, Sublicensable: true, Exclusivity: licensing.NonExclusive,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}); err != nil {
				t.Fatal(err)
			}
			if err := f.db.AddGrant(ctx, CLIActor(), a.ID, &sub); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.AddDocument(ctx, CLIActor(), a.ID, "draft.pdf", strings.NewReader("%PDF-1.7 draft")); err != nil {
				t.Fatal(err)
			}
			if err := f.db.DeleteAgreement(ctx, CLIActor(), a.ID); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"agreements", "agreement_parties", "grants", "grant_terms", "grant_patents", "obligations",
				"documents", "document_chunks"} {
				if n := rowsIn(t, f.db, table); n != 0 {
					t.Errorf("%d rows left in %s", n, table)
				}
			}
			q := "cross-licence"
			if list, _, _ := f.db.Agreements(ctx, AgreementFilter{Query: &q}); len(list) != 0 {
				t.Errorf("deleted agreement still found by search")
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			if e[0].Action != "agreement.delete" || !strings.Contains(e[0].Details, `"before"`) || !strings.Contains(e[0].Details, "Xiaomi Corporation (party)") {
				t.Errorf("audit %s %s", e[0].Action, e[0].Details)
			}
		}},
		{"AmendedDraftStays", func(t *testing.T, f *agreementFixture) {
			parent := f.mustCreate(t, &licensing.Agreement{Reference: "DRAFT-1", Title: "Draft", Kind: licensing.KindLicense, Status: licensing.AgreementDraft})
			f.mustCreate(t, &licensing.Agreement{Reference: "DRAFT-1-A1", Title: "Draft amendment", Kind: licensing.KindLicense,
				Status: licensing.AgreementDraft, ParentID: parent.ID})
			err := f.db.DeleteAgreement(ctx, CLIActor(), parent.ID)
			if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "DRAFT-1-A1") {
				t.Errorf("delete of an amended draft: %v", err)
			}
		}},
		{"UnknownAgreementNotFound", func(t *testing.T, f *agreementFixture) {
			if err := f.db.DeleteAgreement(ctx, CLIActor(), 4242); licensing.ErrorCode(err) != licensing.NotFound {
				t.Errorf("delete of nothing: %v", err)
			}
			if _, err := f.db.Agreement(ctx, 4242); !errors.Is(err, ErrNotFound) {
				t.Errorf("read of nothing: %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newAgreementFixture(t)) })
	}
}

// listFixture holds five agreements with different kinds, statuses, terms
// and parties, for the list's filters.
func newListFixture(t *testing.T) *agreementFixture {
	t.Helper()
	f := newAgreementFixture(t)
	party := func(ids ...int64) []licensing.Party {
		var out []licensing.Party
		for _, id := range ids {
			out = append(out, licensing.Party{CompanyID: id, Role: licensing.RoleParty})
		}
		return out
	}
	for _, a := range []*licensing.Agreement{
		{Reference: "NOK-XIA-2017", Title: "Cellular cross-licence", Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive,
			EffectiveOn: dd("2017-07-05"), ExpiresOn: dd("2024-07-04"), Parties: party(f.nokia.ID, f.xiaomi.ID)},
		{Reference: "nok-hmd-2016", Title: "Brand and patent licence", Kind: licensing.KindLicense, Status: licensing.AgreementActive,
			EffectiveOn: dd("2016-12-01"), Parties: party(f.nokia.ID, f.hmd.ID)},
		{Reference: "NOK-XIA-OPT", Title: "Option for IoT, AR, VR and AI", Kind: licensing.KindOption, Status: licensing.AgreementNegotiation,
			EffectiveOn: dd("2018-01-01"), Parties: party(f.nokia.ID, f.xiaomi.ID)},
		{Reference: "XIA-IKEA-2018", Title: "Collaboration", Summary: "Smart home products sold in IKEA stores.",
			Kind: licensing.KindCollaboration, Status: licensing.AgreementTerminated, EffectiveOn: dd("2018-03-01"),
			ExpiresOn: dd("2023-02-28"), TerminatedOn: dd("2020-06-30"), Parties: party(f.xiaomiInc.ID, f.ikea.ID)},
		{Reference: "NOK-APL-2017", Title: "Patent licence", Kind: licensing.KindLicense, Status: licensing.AgreementExpired,
			EffectiveOn: dd("2017-05-23"), ExpiresOn: dd("2022-05-22"), Parties: party(f.nokia.ID, f.apple.ID)},
	} {
		f.mustCreate(t, a)
	}
	return f
}

func references(list []*licensing.Agreement) string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Reference
	}
	return strings.Join(out, ",")
}

func TestAgreementFilters(t *testing.T) {
	ctx := context.Background()
	f := newListFixture(t)
	kind, status := licensing.KindLicense, licensing.AgreementActive
	on := func(s string) *licensing.Date { v := dd(s); return &v }
	text := func(s string) *string { return &s }
	tests := []struct {
		name   string
		filter AgreementFilter
		want   string
	}{
		{"AllByReferenceIgnoringCase", AgreementFilter{}, "NOK-APL-2017,nok-hmd-2016,NOK-XIA-2017,NOK-XIA-OPT,XIA-IKEA-2018"},
		{"Kind", AgreementFilter{Kind: &kind}, "NOK-APL-2017,nok-hmd-2016"},
		{"Status", AgreementFilter{Status: &status}, "nok-hmd-2016,NOK-XIA-2017"},
		{"Party", AgreementFilter{Parties: []int64{f.xiaomi.ID}}, "NOK-XIA-2017,NOK-XIA-OPT"},
		{"PartyWithAffiliates", AgreementFilter{Parties: []int64{f.xiaomi.ID, f.xiaomiInc.ID}}, "NOK-XIA-2017,NOK-XIA-OPT,XIA-IKEA-2018"},
		{"InForceOnFirstDay", AgreementFilter{InForceOn: on("2017-07-05")}, "NOK-APL-2017,nok-hmd-2016,NOK-XIA-2017"},
		{"InForceOnDayBefore", AgreementFilter{InForceOn: on("2017-07-04")}, "NOK-APL-2017,nok-hmd-2016"},
		{"InForceOnLastDay", AgreementFilter{InForceOn: on("2024-07-04")}, "nok-hmd-2016,NOK-XIA-2017"},
		{"InForceOnDayAfter", AgreementFilter{InForceOn: on("2024-07-05")}, "nok-hmd-2016"},
		{"InForceOnTerminationDay", AgreementFilter{InForceOn: on("2020-06-30")}, "NOK-APL-2017,nok-hmd-2016,NOK-XIA-2017,XIA-IKEA-2018"},
		{"NotInForceAfterTermination", AgreementFilter{InForceOn: on("2020-07-01")}, "NOK-APL-2017,nok-hmd-2016,NOK-XIA-2017"},
		{"NegotiationNeverInForce", AgreementFilter{InForceOn: on("2019-01-01"), Parties: []int64{f.xiaomi.ID}}, "NOK-XIA-2017"},
		{"ExpiresBefore", AgreementFilter{ExpiresBefore: on("2023-02-28")}, "NOK-APL-2017"},
		{"ExpiresBeforeIncludesDayBefore", AgreementFilter{ExpiresBefore: on("2023-03-01")}, "NOK-APL-2017,XIA-IKEA-2018"},
		{"ExpiresFromIncludesTheDay", AgreementFilter{ExpiresFrom: on("2023-02-28")}, "NOK-XIA-2017,XIA-IKEA-2018"},
		{"ExpiresWithinAPeriod", AgreementFilter{ExpiresFrom: on("2022-05-22"), ExpiresBefore: on("2023-03-01")}, "NOK-APL-2017,XIA-IKEA-2018"},
		{"TextInSummary", AgreementFilter{Query: text("smart hom")}, "XIA-IKEA-2018"},
		{"TextInReference", AgreementFilter{Query: text("nok-xia")}, "NOK-XIA-2017,NOK-XIA-OPT"},
		{"TextInTitleWithFTSSyntax", AgreementFilter{Query: text(`licence" *`)}, "nok-hmd-2016,NOK-XIA-2017,NOK-APL-2017"},
		{"FiltersCombine", AgreementFilter{Kind: &kind, InForceOn: on("2023-01-01")}, "nok-hmd-2016"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, next, err := f.db.Agreements(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			got := references(list)
			if tc.name == "TextInTitleWithFTSSyntax" {
				// Whatever the order, the quote and star must be inert.
				if len(list) != 3 {
					t.Errorf("got %s, want %s", got, tc.want)
				}
				return
			}
			if got != tc.want || next != "" {
				t.Errorf("got %s (next %q), want %s", got, next, tc.want)
			}
		})
	}
	t.Run("PartiesReadWithTheList", func(t *testing.T) {
		list, _, _ := f.db.Agreements(ctx, AgreementFilter{Kind: &kind})
		if len(list) != 2 || len(list[0].Parties) != 2 || list[0].Parties[1].Company != "Apple Inc." {
			t.Errorf("parties of %s: %+v", references(list), list)
		}
	})
}

func TestAgreementPaging(t *testing.T) {
	ctx := context.Background()
	f := newListFixture(t)
	var paged []string
	var after *string
	for pages := 0; ; pages++ {
		list, next, err := f.db.Agreements(ctx, AgreementFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 2 || pages > 3 {
			t.Fatalf("page %d holds %d agreements", pages, len(list))
		}
		paged = append(paged, references(list))
		if next == "" {
			break
		}
		after = &next
		// An agreement created on an earlier page must not shift the rest.
		if pages == 0 {
			f.mustCreate(t, &licensing.Agreement{Reference: "ABC-0001", Title: "Later", Kind: licensing.KindLicense, Status: licensing.AgreementDraft})
		}
	}
	want := "NOK-APL-2017,nok-hmd-2016|NOK-XIA-2017,NOK-XIA-OPT|XIA-IKEA-2018"
	if got := strings.Join(paged, "|"); got != want {
		t.Errorf("pages %s, want %s", got, want)
	}
	var each []string
	status := licensing.AgreementActive
	if err := f.db.EachAgreement(ctx, AgreementFilter{Status: &status}, func(a *licensing.Agreement) error {
		each = append(each, a.Reference)
		return nil
	}); err != nil || strings.Join(each, ",") != "nok-hmd-2016,NOK-XIA-2017" {
		t.Errorf("EachAgreement: %v, %v", each, err)
	}
	bad := "not-a-cursor!"
	if _, _, err := f.db.Agreements(ctx, AgreementFilter{After: &bad}); licensing.ErrorCode(err) != licensing.Invalid {
		t.Errorf("bad cursor: %v", err)
	}
}

// TestInForceFilterFollowsTheDomainRule asks the list for the agreements
// in force on each of a run of days and compares the answer with
// licensing's InForce, for agreements of every shape that decides it: a
// licence that renews itself (in force after its recorded expiry), one
// that expired, one terminated during a later renewal term, one
// terminated before its expiry, and an open-ended one.
func TestInForceFilterFollowsTheDomainRule(t *testing.T) {
	ctx := context.Background()
	f := newListFixture(t)
	shapes := []*licensing.Agreement{
		{Reference: "RENEWS", Status: licensing.AgreementActive, EffectiveOn: dd("2016-12-01"), ExpiresOn: dd("2021-11-30"), RenewalMonths: 24, NoticeDays: 90},
		{Reference: "RENEWED-THEN-EXPIRED", Status: licensing.AgreementExpired, EffectiveOn: dd("2016-12-01"), ExpiresOn: dd("2021-11-30"), RenewalMonths: 24},
		{Reference: "RENEWS-TERMINATED", Status: licensing.AgreementTerminated, EffectiveOn: dd("2016-12-01"), ExpiresOn: dd("2021-11-30"),
			RenewalMonths: 24, TerminatedOn: dd("2023-03-31")},
		{Reference: "TERMINATED-EARLY", Status: licensing.AgreementTerminated, EffectiveOn: dd("2017-01-01"), ExpiresOn: dd("2022-12-31"),
			TerminatedOn: dd("2022-06-30")},
		{Reference: "OPEN-ENDED", Status: licensing.AgreementActive, EffectiveOn: dd("2018-01-01")},
	}
	for _, a := range shapes {
		a.Title, a.Kind, a.Parties = "Licence "+a.Reference, licensing.KindLicense, []licensing.Party{
			{CompanyID: f.nokia.ID, Role: licensing.RoleLicensor}, {CompanyID: f.hmd.ID, Role: licensing.RoleLicensee}}
		f.mustCreate(t, a)
	}
	for _, day := range []string{"2016-11-30", "2016-12-01", "2020-12-31", "2021-01-01", "2021-11-30", "2021-12-01",
		"2022-06-30", "2022-07-01", "2023-03-31", "2023-04-01", "2030-01-01"} {
		t.Run(day, func(t *testing.T) {
			d := dd(day)
			var want []string
			for _, a := range shapes {
				if a.InForce(d) {
					want = append(want, a.Reference)
				}
			}
			list, _, err := f.db.Agreements(ctx, AgreementFilter{InForceOn: &d, Parties: []int64{f.hmd.ID}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, a := range list {
				got[a.Reference] = true
			}
			for _, a := range shapes {
				if got[a.Reference] != slices.Contains(want, a.Reference) {
					t.Errorf("%s in force on %s: list says %v, the domain rule %v", a.Reference, day, got[a.Reference], !got[a.Reference])
				}
			}
		})
	}
}
