package licensing

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// deadlineWorld is a handful of agreements of every shape that makes
// deadlines: one that renews itself, one with a fixed term and a notice
// period, a terminated one, a draft, with obligations and listed patents.
type deadlineWorld struct {
	renewing, fixed, terminated, draft *Agreement
	facts                              *DeadlineFacts
}

func newDeadlineWorld() *deadlineWorld {
	d := MustDate
	w := &deadlineWorld{
		renewing: &Agreement{ID: 1, Reference: "NOK-HMD-2016", Title: "Brand and patent licence", Status: AgreementActive,
			EffectiveOn: d("2016-12-01"), ExpiresOn: d("2027-09-30"), RenewalMonths: 24, NoticeDays: 90,
			Parties: []Party{{CompanyID: 10, Role: RoleLicensor}, {CompanyID: 20, Role: RoleLicensee}}},
		fixed: &Agreement{ID: 2, Reference: "NOK-XIA-2017", Title: "Patent cross-licence", Status: AgreementActive,
			EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04"), NoticeDays: 180,
			Parties: []Party{{CompanyID: 11, Role: RoleParty}, {CompanyID: 30, Role: RoleParty}}},
		terminated: &Agreement{ID: 3, Reference: "NOK-APL-2017", Title: "Patent licence and settlement", Status: AgreementTerminated,
			EffectiveOn: d("2017-05-23"), ExpiresOn: d("2027-05-22"), TerminatedOn: d("2020-01-31"), NoticeDays: 30,
			Parties: []Party{{CompanyID: 11, Role: RoleLicensor}, {CompanyID: 40, Role: RoleLicensee}}},
		draft: &Agreement{ID: 4, Reference: "NOK-XIA-IOT", Title: "Option", Status: AgreementNegotiation,
			EffectiveOn: d("2025-01-01"), ExpiresOn: d("2027-01-01"), NoticeDays: 10},
	}
	w.facts = &DeadlineFacts{
		Agreements: map[int64]*Agreement{1: w.renewing, 2: w.fixed, 3: w.terminated, 4: w.draft},
		Obligations: []Obligation{
			{ID: 100, AgreementID: 2, Kind: ObligationPayment, Title: "Running royalty", DueOn: d("2018-01-31"), Recurrence: Yearly,
				Until: d("2024-01-31"), Status: ObligationOpen, Occurrences: []Occurrence{
					{DueOn: d("2022-01-31"), Status: ObligationDone}, {DueOn: d("2023-01-31"), Status: ObligationWaived}}},
			{ID: 101, AgreementID: 3, Kind: ObligationPayment, Title: "Annual licence fee", DueOn: d("2018-06-30"),
				Recurrence: Yearly, Status: ObligationOpen},
			{ID: 102, AgreementID: 3, Kind: ObligationReport, Title: "Final report", DueOn: d("2020-03-31"), Status: ObligationOpen},
			{ID: 103, AgreementID: 4, Kind: ObligationPayment, Title: "Option fee", DueOn: d("2025-02-01"), Status: ObligationOpen},
			{ID: 104, AgreementID: 1, Kind: ObligationReport, Title: "Quarterly royalty report", DueOn: d("2017-01-31"),
				Recurrence: Quarterly, Status: ObligationOpen},
		},
		Listed: []ListedPatent{
			listed(2, 200, 7, "EP1234567B1", "2023-03-01", StatusGranted, ""),
			listed(2, 201, 7, "EP1234567B1", "2023-03-01", StatusGranted, ""), // the other grant of the cross-licence
			listed(2, 200, 8, "DE102015000001B4", "2023-05-01", StatusLapsed, "2020-03-01"),
			listed(2, 200, 9, "US9123456B2", "2025-01-15", StatusGranted, ""), // after the cross-licence expired
			listed(3, 300, 7, "EP1234567B1", "2023-03-01", StatusGranted, ""), // terminated before
			listed(4, 400, 10, "CN105123456A", "2026-05-05", StatusGranted, ""),
			{Grant: Grant{ID: 202, AgreementID: 2, EndsOn: d("2021-12-31")}, // the grant ended first
				Patent: Patent{ID: 11, Normalized: "EP2000000B1", Office: "EP", Status: StatusGranted, ExpiresOn: d("2022-06-01")}},
		},
	}
	return w
}

func listed(agreement, grant, patent int64, number, expires string, status PatentStatus, statusOn string) ListedPatent {
	return ListedPatent{Grant: Grant{ID: grant, AgreementID: agreement},
		Patent: Patent{ID: patent, Normalized: number, Office: number[:2], Status: status, StatusOn: MustDate(statusOn), ExpiresOn: MustDate(expires)}}
}

// deadlineLine writes a deadline as "date kind reference subject status"
// for comparing lists.
func deadlineLine(d Deadline) string {
	s := fmt.Sprintf("%s %s %s", d.Date, d.Kind, d.Agreement.Reference)
	if d.Obligation != nil {
		s += " " + d.Obligation.Title
	}
	if d.Patent != "" {
		s += " " + d.Patent
	}
	if !d.TermEndsOn.IsZero() {
		s += " term " + d.TermEndsOn.String()
	}
	return s + " " + string(d.Status)
}

func deadlineLines(list []Deadline) []string {
	out := make([]string, len(list))
	for i, d := range list {
		out[i] = deadlineLine(d)
	}
	return out
}

func TestDeadlines(t *testing.T) {
	w := newDeadlineWorld()
	d := MustDate
	terms := []DeadlineKind{DeadlineExpiry, DeadlineNotice, DeadlineRenewal}
	tests := []struct {
		name   string
		window DeadlineWindow
		of     string // only the deadlines of this agreement; "": all
		want   []string
	}{
		{"RenewingAgreementTermAfterTerm", DeadlineWindow{From: d("2026-11-21"), To: d("2029-12-31"), Today: d("2026-11-21"), Kinds: terms}, "", []string{
			"2027-07-02 notice NOK-HMD-2016 term 2027-09-30 open",
			"2027-09-30 expiry NOK-HMD-2016 open",
			"2027-10-01 renewal NOK-HMD-2016 term 2029-09-30 open",
			"2029-07-02 notice NOK-HMD-2016 term 2029-09-30 open",
			"2029-10-01 renewal NOK-HMD-2016 term 2031-09-30 open",
		}},
		{"ExpiryIsTheEndOfTheTermRunningToday", DeadlineWindow{From: d("2028-01-01"), To: d("2030-12-31"), Today: d("2028-01-01"),
			Kinds: []DeadlineKind{DeadlineExpiry}}, "", []string{
			"2029-09-30 expiry NOK-HMD-2016 open",
		}},
		{"FixedTermPassed", DeadlineWindow{From: d("2024-01-01"), To: d("2024-12-31"), Today: d("2026-11-21"), Kinds: terms}, "", []string{
			"2024-01-06 notice NOK-XIA-2017 term 2024-07-04 passed",
			"2024-07-04 expiry NOK-XIA-2017 passed",
		}},
		{"TerminatedEndsOnItsTerminationWithoutNotice", DeadlineWindow{From: d("2019-01-01"), To: d("2027-12-31"), Today: d("2019-01-01"), Kinds: terms}, "", []string{
			"2020-01-31 expiry NOK-APL-2017 open",
			"2024-01-06 notice NOK-XIA-2017 term 2024-07-04 open",
			"2024-07-04 expiry NOK-XIA-2017 open",
			"2027-07-02 notice NOK-HMD-2016 term 2027-09-30 open",
			"2027-09-30 expiry NOK-HMD-2016 open",
			"2027-10-01 renewal NOK-HMD-2016 term 2029-09-30 open",
		}},
		{"OccurrencesEachWithItsStatus", DeadlineWindow{From: d("2020-01-01"), To: d("2024-12-31"), Today: d("2023-06-01"),
			Kinds: []DeadlineKind{DeadlineObligation}}, "NOK-XIA-2017", []string{
			"2020-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2021-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2022-01-31 obligation NOK-XIA-2017 Running royalty done",
			"2023-01-31 obligation NOK-XIA-2017 Running royalty waived",
			"2024-01-31 obligation NOK-XIA-2017 Running royalty open",
		}},
		{"NoObligationAfterTheTermination", DeadlineWindow{From: d("2019-01-01"), To: d("2024-12-31"), Today: d("2019-01-01"),
			Kinds: []DeadlineKind{DeadlineObligation}}, "NOK-APL-2017", []string{
			"2019-06-30 obligation NOK-APL-2017 Annual licence fee open",
		}},
		{"RecurrenceOfARenewingAgreementRunsToTheWindowsEnd", DeadlineWindow{From: d("2026-10-01"), To: d("2027-05-01"), Today: d("2026-11-21"),
			Kinds: []DeadlineKind{DeadlineObligation}}, "NOK-HMD-2016", []string{
			"2026-10-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
			"2027-01-31 obligation NOK-HMD-2016 Quarterly royalty report open",
			"2027-04-30 obligation NOK-HMD-2016 Quarterly royalty report open",
		}},
		{"PatentExpiriesWhileAGrantRuns", DeadlineWindow{From: d("2020-01-01"), To: d("2026-12-31"), Today: d("2023-04-01"),
			Kinds: []DeadlineKind{DeadlinePatentExpiry}}, "", []string{
			"2023-03-01 patent_expiry NOK-XIA-2017 EP1234567B1 passed",
		}},
		{"OverdueFromBeforeTheWindowComeFirst", DeadlineWindow{From: d("2024-01-01"), To: d("2024-01-31"), Today: d("2024-01-15"), Overdue: true}, "NOK-XIA-2017", []string{
			"2018-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2019-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2020-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2021-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2024-01-06 notice NOK-XIA-2017 term 2024-07-04 passed",
			"2024-01-31 obligation NOK-XIA-2017 Running royalty open",
		}},
		{"OverdueOnlyBeforeToday", DeadlineWindow{From: d("2024-03-01"), To: d("2024-03-31"), Today: d("2019-06-01"), Overdue: true,
			Kinds: []DeadlineKind{DeadlineObligation}}, "NOK-XIA-2017", []string{
			"2018-01-31 obligation NOK-XIA-2017 Running royalty overdue",
			"2019-01-31 obligation NOK-XIA-2017 Running royalty overdue",
		}},
		{"StatusesAsked", DeadlineWindow{From: d("2020-01-01"), To: d("2024-12-31"), Today: d("2023-06-01"),
			Statuses: []DeadlineStatus{DeadlineDone, DeadlineWaived}}, "", []string{
			"2022-01-31 obligation NOK-XIA-2017 Running royalty done",
			"2023-01-31 obligation NOK-XIA-2017 Running royalty waived",
		}},
		{"PassedIsNoObligationStatus", DeadlineWindow{From: d("2024-01-01"), To: d("2024-01-31"), Today: d("2024-02-15"),
			Statuses: []DeadlineStatus{DeadlinePassed}}, "", []string{
			"2024-01-06 notice NOK-XIA-2017 term 2024-07-04 passed",
		}},
		{"DraftsMakeNone", DeadlineWindow{From: d("2000-01-01"), To: d("2039-12-31"), Today: d("2026-11-21")}, "NOK-XIA-IOT", nil},
		{"NothingOutsideTheWindow", DeadlineWindow{From: d("2040-01-01"), To: d("2040-01-31"), Today: d("2026-11-21")}, "NOK-XIA-2017", nil},
		{"SortedByDateThenKind", DeadlineWindow{From: d("2024-01-01"), To: d("2024-01-31"), Today: d("2024-01-15")}, "", []string{
			"2024-01-06 notice NOK-XIA-2017 term 2024-07-04 passed",
			"2024-01-31 obligation NOK-HMD-2016 Quarterly royalty report open",
			"2024-01-31 obligation NOK-XIA-2017 Running royalty open",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, dl := range Deadlines(w.facts, tt.window) {
				if tt.of == "" || dl.Agreement.Reference == tt.of {
					got = append(got, deadlineLine(dl))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestDeadlinesOfGroup keeps the deadlines of a company's agreements only
// while the company belongs to the group asked about.
func TestDeadlinesOfGroup(t *testing.T) {
	w := newDeadlineWorld()
	d := MustDate
	all := Deadlines(w.facts, DeadlineWindow{From: d("2019-01-01"), To: d("2027-12-31"), Today: d("2019-01-01")})
	got := deadlineLines(DeadlinesOfGroup(all, []GroupSpan{{Owner: 11, From: d("2019-01-01"), To: d("2021-12-31")}, {Owner: 99, From: d("2019-01-01"), To: d("2027-12-31")}}))
	want := []string{
		"2019-01-31 obligation NOK-XIA-2017 Running royalty open",
		"2019-06-30 obligation NOK-APL-2017 Annual licence fee open",
		"2020-01-31 expiry NOK-APL-2017 open",
		"2020-01-31 obligation NOK-XIA-2017 Running royalty open",
		"2021-01-31 obligation NOK-XIA-2017 Running royalty open",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if len(DeadlinesOfGroup(all, nil)) != 0 {
		t.Error("no spans must keep nothing")
	}
}

// TestDeadlineWindowWants: a status asked for rules out the kinds that
// never have it, so that the store need not read them.
func TestDeadlineWindowWants(t *testing.T) {
	tests := []struct {
		name string
		w    DeadlineWindow
		want []DeadlineKind
	}{
		{"Everything", DeadlineWindow{}, DeadlineKinds},
		{"KindsAsked", DeadlineWindow{Kinds: []DeadlineKind{DeadlineNotice, DeadlineExpiry}}, []DeadlineKind{DeadlineExpiry, DeadlineNotice}},
		{"OverdueIsObligationsOnly", DeadlineWindow{Statuses: []DeadlineStatus{DeadlineOverdue}}, []DeadlineKind{DeadlineObligation}},
		{"PassedIsNoObligation", DeadlineWindow{Statuses: []DeadlineStatus{DeadlinePassed}},
			[]DeadlineKind{DeadlineExpiry, DeadlineNotice, DeadlineRenewal, DeadlinePatentExpiry}},
		{"OpenIsEveryKind", DeadlineWindow{Statuses: []DeadlineStatus{DeadlineOpen}}, DeadlineKinds},
		{"KindAndStatusDisagree", DeadlineWindow{Kinds: []DeadlineKind{DeadlineNotice}, Statuses: []DeadlineStatus{DeadlineDone}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []DeadlineKind
			for _, k := range DeadlineKinds {
				if tt.w.Wants(k) {
					got = append(got, k)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("wants %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAmendmentRestatingItsParentsTermAddsNoSecondNotice(t *testing.T) {
	d := MustDate
	parent := &Agreement{ID: 1, Reference: "NOK-HMD-2016", Status: AgreementActive, EffectiveOn: d("2016-12-01"),
		ExpiresOn: d("2027-04-05"), RenewalMonths: 24, NoticeDays: 90}
	window := DeadlineWindow{From: d("2026-11-21"), To: d("2027-12-31"), Today: d("2026-11-21"),
		Kinds: []DeadlineKind{DeadlineNotice, DeadlineExpiry}}
	cases := []struct {
		name      string
		amendment Agreement
		want      []string // references with a notice deadline, in order
	}{
		{"SameTermListedOnce", Agreement{ID: 2, Reference: "NOK-HMD-2016-A1", ParentID: 1, Status: AgreementActive,
			EffectiveOn: d("2021-06-01"), ExpiresOn: d("2027-04-05"), RenewalMonths: 24, NoticeDays: 90},
			[]string{"NOK-HMD-2016"}},
		{"OwnTermKeepsItsDeadlines", Agreement{ID: 2, Reference: "NOK-HMD-2016-A1", ParentID: 1, Status: AgreementActive,
			EffectiveOn: d("2021-06-01"), ExpiresOn: d("2027-06-30"), NoticeDays: 90},
			[]string{"NOK-HMD-2016", "NOK-HMD-2016-A1"}},
		{"ParentNotAmongTheFactsKeepsThem", Agreement{ID: 2, Reference: "NOK-HMD-2016-A1", ParentID: 9, Status: AgreementActive,
			EffectiveOn: d("2021-06-01"), ExpiresOn: d("2027-04-05"), RenewalMonths: 24, NoticeDays: 90},
			[]string{"NOK-HMD-2016", "NOK-HMD-2016-A1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.amendment
			facts := &DeadlineFacts{Agreements: map[int64]*Agreement{1: parent, 2: &a}}
			var got []string
			for _, dl := range Deadlines(facts, window) {
				if dl.Kind == DeadlineNotice {
					got = append(got, dl.Agreement.Reference)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("notice deadlines of %v, want %v", got, tc.want)
			}
		})
	}
}
