package csvio

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// nokiaXiaomi is the July 2017 deal as the store reads it back: names
// filled, patents as entered by the user.
func nokiaXiaomi() *licensing.Agreement {
	d := licensing.MustDate
	return &licensing.Agreement{
		ID: 4, Reference: "NOK-XIA-2017", Title: "Patent cross-licence, cellular",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive,
		SignedOn: d("2017-07-05"), EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04"),
		NoticeDays: 180, GoverningLaw: "English law", Parent: "",
		Summary: "=Multi-year cross-licence\ncovering cellular SEPs",
		Parties: []licensing.Party{
			{CompanyID: 1, Company: "Nokia Corporation", Role: licensing.RoleParty},
			{CompanyID: 2, Company: "Xiaomi Corporation", Role: licensing.RoleParty},
		},
	}
}

// exported writes header and row through a Writer and reads them back as
// a spreadsheet would see the cells.
func exported(t *testing.T, header, row []string) map[string]string {
	t.Helper()
	if len(header) != len(row) {
		t.Fatalf("header has %d columns, the row %d", len(header), len(row))
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{})
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("the export does not read back as two CSV records: %v, %v", records, err)
	}
	cells := map[string]string{}
	for i, name := range records[0] {
		cells[name] = records[1][i]
	}
	return cells
}

// checkCells compares the named cells.
func checkCells(t *testing.T, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("no column %q", name)
		} else if g != w {
			t.Errorf("%s = %q, want %q", name, g, w)
		}
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   string
	}{
		{"Agreements", AgreementHeader(), "reference,title,kind,status,signed_on,effective_on,expires_on,terminated_on," +
			"renewal_months,notice_days,notice_deadline,governing_law,parent,parties,summary"},
		{"Grants", GrantHeader(), "agreement,grant,licensor,licensee,licensee_affiliates,licensor_affiliates,scope,patents," +
			"families,capture_from,capture_to,tags,standards,offices,activities,territories,fields,exclusivity," +
			"sublicensable,parent_grant,starts_on,ends_on,royalty_bearing,past_release"},
		{"Assignments", AssignmentHeader(), "agreement,assignor,assignee,effective_on,recorded_on,office_ref,patents"},
		{"Obligations", ObligationHeader(), "agreement,kind,title,due_on,recurrence,until,amount,currency,payer,payee,status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(tc.header, ","); got != tc.want {
				t.Errorf("header\n got %s\nwant %s", got, tc.want)
			}
			tc.header[0] = "changed"
		})
	}
	if AgreementHeader()[0] != "reference" {
		t.Error("changing a returned header changed the next one")
	}
}

func TestAgreementRecordOf(t *testing.T) {
	tests := []struct {
		name   string
		change func(*licensing.Agreement)
		want   map[string]string
	}{
		{"ActiveCrossLicence", nil, map[string]string{
			"reference": "NOK-XIA-2017", "title": "Patent cross-licence, cellular", "kind": "cross_license",
			"status": "active", "signed_on": "2017-07-05", "effective_on": "2017-07-05", "expires_on": "2024-07-04",
			"terminated_on": "", "renewal_months": "0", "notice_days": "180", "notice_deadline": "2024-01-06",
			"governing_law": "English law", "parent": "",
			"parties": "Nokia Corporation (party)|Xiaomi Corporation (party)",
			// A formula character is neutralized; the line break survives.
			"summary": "'=Multi-year cross-licence\ncovering cellular SEPs",
		}},
		{"TerminatedAmendment", func(a *licensing.Agreement) {
			a.Reference, a.Parent, a.Status, a.TerminatedOn = "NOK-XIA-2017-A1", "NOK-XIA-2017", licensing.AgreementTerminated,
				licensing.MustDate("2020-01-31")
			a.RenewalMonths, a.NoticeDays = 12, 0
		}, map[string]string{
			"reference": "NOK-XIA-2017-A1", "parent": "NOK-XIA-2017", "status": "terminated",
			"terminated_on": "2020-01-31", "renewal_months": "12", "notice_days": "0", "notice_deadline": "",
		}},
		{"DraftWithoutDatesOrParties", func(a *licensing.Agreement) {
			*a = licensing.Agreement{Reference: "DRAFT-1", Title: "Option", Kind: licensing.KindOption, Status: licensing.AgreementDraft}
		}, map[string]string{
			"signed_on": "", "effective_on": "", "expires_on": "", "notice_deadline": "", "parties": "", "summary": "",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := nokiaXiaomi()
			if tc.change != nil {
				tc.change(a)
			}
			checkCells(t, exported(t, AgreementHeader(), AgreementRecordOf(a)), tc.want)
		})
	}
}

func TestGrantRecordOf(t *testing.T) {
	d := licensing.MustDate
	portfolio := licensing.Grant{
		ID: 12, LicensorID: 1, Licensor: "Nokia Corporation", LicenseeID: 2, Licensee: "Xiaomi Corporation",
		LicenseeAffiliates: true, LicensorAffiliates: true,
		Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2017-07-05"),
			Tags: []string{"cellular"}, Standards: []string{"3GPP LTE", "3GPP NR"}, Offices: []string{"EP", "US"}},
		Territories: []string{"WORLD"}, Fields: []string{"mobile devices"},
		Exclusivity: licensing.NonExclusive, RoyaltyBearing: true,
	}
	tests := []struct {
		name   string
		change func(*licensing.Grant)
		want   map[string]string
	}{
		{"Portfolio", nil, map[string]string{
			"agreement": "NOK-XIA-2017", "grant": "12", "licensor": "Nokia Corporation", "licensee": "Xiaomi Corporation",
			"licensee_affiliates": "true", "licensor_affiliates": "true", "scope": "portfolio", "patents": "", "families": "",
			"capture_from": "2000-01-01", "capture_to": "2017-07-05", "tags": "cellular", "standards": "3GPP LTE|3GPP NR",
			"offices": "EP|US", "activities": "", "territories": "WORLD", "fields": "mobile devices",
			"exclusivity": "non_exclusive", "sublicensable": "false", "parent_grant": "", "starts_on": "", "ends_on": "",
			"royalty_bearing": "true", "past_release": "false",
		}},
		{"PatentListNormalized", func(g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{
				{ID: 3, Number: "US 9,668,203 B2"}, {ID: 4, Number: "EP3100511B1"}, {ID: 5, Number: "US-9491678-B2"}}}
		}, map[string]string{
			"scope": "patents", "patents": "US9668203B2|EP3100511B1|US9491678B2", "capture_from": "", "capture_to": "",
			"standards": "", "offices": "",
		}},
		{"FamiliesSublicenceWithOwnTerm", func(g *licensing.Grant) {
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"FAM-NOK-0001", "FAM-NOK-0002"}}
			g.Activities = []licensing.Activity{licensing.ActivityMake, licensing.ActivityHaveMade}
			g.ParentGrantID, g.Sublicensable, g.PastRelease = 9, true, true
			g.StartsOn, g.EndsOn = d("2018-01-01"), d("2020-12-31")
			g.Exclusivity, g.LicenseeAffiliates = licensing.Exclusive, false
		}, map[string]string{
			"scope": "families", "families": "FAM-NOK-0001|FAM-NOK-0002", "activities": "make|have_made",
			"parent_grant": "9", "sublicensable": "true", "past_release": "true", "starts_on": "2018-01-01",
			"ends_on": "2020-12-31", "exclusivity": "exclusive", "licensee_affiliates": "false",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := portfolio
			g.Scope.Tags = append([]string(nil), portfolio.Scope.Tags...)
			if tc.change != nil {
				tc.change(&g)
			}
			checkCells(t, exported(t, GrantHeader(), GrantRecordOf("NOK-XIA-2017", &g)), tc.want)
		})
	}
}

func TestAssignmentRecordOf(t *testing.T) {
	as := &licensing.Assignment{
		ID: 3, Assignor: "Nokia Technologies Oy", Assignee: "Xiaomi Corporation",
		EffectiveOn: licensing.MustDate("2017-07-05"), RecordedOn: licensing.MustDate("2017-08-14"),
		OfficeRef: "USPTO reel/frame 043210/0001",
		Patents:   []licensing.PatentRef{{ID: 1, Number: "US 9,668,203 B2"}, {ID: 2, Number: "CN 106465298 B"}},
	}
	checkCells(t, exported(t, AssignmentHeader(), AssignmentRecordOf("NOK-XIA-PSA-2017", as)), map[string]string{
		"agreement": "NOK-XIA-PSA-2017", "assignor": "Nokia Technologies Oy", "assignee": "Xiaomi Corporation",
		"effective_on": "2017-07-05", "recorded_on": "2017-08-14", "office_ref": "USPTO reel/frame 043210/0001",
		"patents": "US9668203B2|CN106465298B",
	})
	t.Run("Unrecorded", func(t *testing.T) {
		as.RecordedOn, as.OfficeRef = licensing.Date{}, ""
		checkCells(t, exported(t, AssignmentHeader(), AssignmentRecordOf("X", as)), map[string]string{
			"recorded_on": "", "office_ref": "",
		})
	})
}

func TestObligationRecordOf(t *testing.T) {
	tests := []struct {
		name string
		o    licensing.Obligation
		want map[string]string
	}{
		{"YearlyRoyalty", licensing.Obligation{
			Kind: licensing.ObligationPayment, Title: "Running royalty", DueOn: licensing.MustDate("2018-01-31"),
			Recurrence: licensing.Yearly, Until: licensing.MustDate("2024-01-31"),
			Amount: licensing.MustAmount("12.500.000,50"), Currency: "EUR",
			Payer: "Xiaomi Corporation", Payee: "Nokia Corporation", Status: licensing.ObligationOpen,
		}, map[string]string{
			"agreement": "NOK-XIA-2017", "kind": "payment", "title": "Running royalty", "due_on": "2018-01-31",
			"recurrence": "yearly", "until": "2024-01-31", "amount": "12500000.50", "currency": "EUR",
			"payer": "Xiaomi Corporation", "payee": "Nokia Corporation", "status": "open",
		}},
		{"OnceWithoutAmountOrParties", licensing.Obligation{
			Kind: licensing.ObligationNotice, Title: "-Notice of non-renewal", DueOn: licensing.MustDate("2024-01-06"),
			Status: licensing.ObligationDone,
		}, map[string]string{
			"kind": "notice", "title": "'-Notice of non-renewal", "recurrence": "", "until": "", "amount": "",
			"currency": "", "payer": "", "payee": "", "status": "done",
		}},
		// The status is the obligation's standing, as the agreement page
		// shows it: a payment due once and marked paid is done, though
		// nobody set the obligation's own status.
		{"OnceMarkedDone", licensing.Obligation{
			Kind: licensing.ObligationPayment, Title: "Settlement payment", DueOn: licensing.MustDate("2017-06-30"),
			Status:      licensing.ObligationOpen,
			Occurrences: []licensing.Occurrence{{DueOn: licensing.MustDate("2017-06-30"), Status: licensing.ObligationDone}},
		}, map[string]string{"status": "done"}},
		{"ScheduleWithAnEndAllMet", licensing.Obligation{
			Kind: licensing.ObligationReport, Title: "Royalty report", DueOn: licensing.MustDate("2022-03-31"),
			Recurrence: licensing.Yearly, Until: licensing.MustDate("2023-03-31"), Status: licensing.ObligationOpen,
			Occurrences: []licensing.Occurrence{{DueOn: licensing.MustDate("2022-03-31"), Status: licensing.ObligationDone},
				{DueOn: licensing.MustDate("2023-03-31"), Status: licensing.ObligationWaived}},
		}, map[string]string{"status": "done"}},
		{"ScheduleWithAnEndOneOpen", licensing.Obligation{
			Kind: licensing.ObligationReport, Title: "Royalty report", DueOn: licensing.MustDate("2022-03-31"),
			Recurrence: licensing.Yearly, Until: licensing.MustDate("2023-03-31"), Status: licensing.ObligationOpen,
			Occurrences: []licensing.Occurrence{{DueOn: licensing.MustDate("2022-03-31"), Status: licensing.ObligationDone}},
		}, map[string]string{"status": "open"}},
	}
	agreement := &licensing.Agreement{Reference: "NOK-XIA-2017", Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive,
		EffectiveOn: licensing.MustDate("2017-07-05"), ExpiresOn: licensing.MustDate("2024-07-04")}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkCells(t, exported(t, ObligationHeader(), ObligationRecordOf(agreement, &tc.o)), tc.want)
		})
	}
}
