package licensing

import "testing"

// TestAutomaticRenewal covers agreements that renew themselves: they run on
// until terminated, the notice deadline to watch is that of the running
// term, and an active one past its first expiry is no contradiction.
func TestAutomaticRenewal(t *testing.T) {
	hmd := &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2016-12-01"), ExpiresOn: MustDate("2027-09-30"),
		RenewalMonths: 24, NoticeDays: 90}
	terminated := *hmd
	terminated.Status, terminated.TerminatedOn = AgreementTerminated, MustDate("2029-09-30")
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"RunsOnPastTheFirstExpiry", hmd.End(), ""},
		{"TerminationEndsIt", terminated.End(), "2029-09-30"},
		{"TermEndBeforeExpiry", hmd.TermEndOn(MustDate("2026-11-21")), "2027-09-30"},
		{"TermEndOnTheExpiryDay", hmd.TermEndOn(MustDate("2027-09-30")), "2027-09-30"},
		{"TermEndTheDayAfter", hmd.TermEndOn(MustDate("2027-10-01")), "2029-09-30"},
		{"FirstNoticeDeadline", hmd.NoticeDeadline(), "2027-07-02"},
		{"NextNoticeDeadline", hmd.NoticeDeadlineOn(MustDate("2028-01-01")), "2029-07-02"},
		{"NoNoticeOnceTerminated", terminated.NoticeDeadlineOn(MustDate("2028-01-01")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("NoWarningPastTheFirstExpiry", func(t *testing.T) {
		if w := hmd.StatusWarnings(MustDate("2028-01-01")); len(w) != 0 {
			t.Errorf("warnings %q", w)
		}
	})
	t.Run("InForceInTheSecondTerm", func(t *testing.T) {
		if !hmd.InForce(MustDate("2028-01-01")) || terminated.InForce(MustDate("2029-10-01")) {
			t.Error("in force wrongly")
		}
	})
}

// TestTerminationEndsRecurringObligations checks that a termination cuts a
// payment schedule short even where the schedule names a later end.
func TestTerminationEndsRecurringObligations(t *testing.T) {
	a := &Agreement{Status: AgreementTerminated, EffectiveOn: MustDate("2017-10-01"), ExpiresOn: MustDate("2023-06-30"),
		TerminatedOn: MustDate("2019-12-31")}
	o := &Obligation{DueOn: MustDate("2018-03-31"), Recurrence: Quarterly, Until: MustDate("2023-06-30")}
	dates := o.DueDates(a, Date{})
	if len(dates) != 8 || dates[len(dates)-1].String() != "2019-12-31" {
		t.Errorf("due dates %v, want the eight quarters up to 2019-12-31", dates)
	}
}

// TestObligationStanding derives an obligation's standing from its
// occurrences where the schedule has an end.
func TestObligationStanding(t *testing.T) {
	a := &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2017-07-05"), ExpiresOn: MustDate("2019-12-31")}
	renewing := &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2017-07-05"), ExpiresOn: MustDate("2019-12-31"), RenewalMonths: 12}
	done := func(dates ...string) []Occurrence {
		var out []Occurrence
		for _, d := range dates {
			out = append(out, Occurrence{DueOn: MustDate(d), Status: ObligationDone})
		}
		return out
	}
	price := Obligation{DueOn: MustDate("2017-07-31"), Status: ObligationOpen}
	royalty := Obligation{DueOn: MustDate("2018-01-31"), Recurrence: Yearly, Status: ObligationOpen}
	tests := []struct {
		name string
		o    Obligation
		a    *Agreement
		want ObligationStatus
	}{
		{"OncePaid", withOccurrences(price, done("2017-07-31")), a, ObligationDone},
		{"OnceUnpaid", price, a, ObligationOpen},
		{"RecurringAllMet", withOccurrences(royalty, done("2018-01-31", "2019-01-31")), a, ObligationDone},
		{"RecurringOneOpen", withOccurrences(royalty, done("2018-01-31")), a, ObligationOpen},
		{"OpenEndedStaysOpen", withOccurrences(royalty, done("2018-01-31", "2019-01-31")), renewing, ObligationOpen},
		{"WaivedAsRecorded", Obligation{DueOn: MustDate("2017-07-31"), Status: ObligationWaived}, a, ObligationWaived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Standing(tt.a); got != tt.want {
				t.Errorf("standing %s, want %s", got, tt.want)
			}
		})
	}
}

func withOccurrences(o Obligation, oc []Occurrence) Obligation {
	o.Occurrences = oc
	return o
}
