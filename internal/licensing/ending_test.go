package licensing

import "testing"

func TestAgreementEndsWithin(t *testing.T) {
	today, last := MustDate("2026-11-21"), MustDate("2027-02-19")
	parent := &Agreement{ID: 1, Status: AgreementActive, EffectiveOn: MustDate("2016-12-01"), ExpiresOn: MustDate("2027-01-31"), NoticeDays: 30}
	restating := *parent
	restating.ID, restating.ParentID = 2, 1
	longer := restating
	longer.ID, longer.ExpiresOn = 3, MustDate("2029-01-31")
	shorter := restating
	shorter.ID, shorter.ExpiresOn = 4, MustDate("2027-01-15")
	all := map[int64]*Agreement{1: parent, 2: &restating, 3: &longer, 4: &shorter}
	cases := []struct {
		name string
		a    *Agreement
		want bool
	}{
		{"ExpiryWithin", parent, true},
		{"AmendmentRestatingItsParentsTermEndsWithIt", &restating, false},
		{"AmendmentWithATermOfItsOwnEndingLater", &longer, false},
		{"AmendmentWithATermOfItsOwnEndingWithin", &shorter, true},
		{"RenewingInALaterTermWhoseTermEndsWithin", &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2014-01-01"),
			ExpiresOn: MustDate("2018-12-31"), RenewalMonths: 12}, true},
		{"RenewingWhoseTermEndsLater", &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2014-01-01"),
			ExpiresOn: MustDate("2018-06-30"), RenewalMonths: 12}, false},
		{"TerminatedWithin", &Agreement{Status: AgreementTerminated, EffectiveOn: MustDate("2014-01-01"),
			ExpiresOn: MustDate("2030-12-31"), TerminatedOn: MustDate("2027-01-15")}, true},
		{"ExpiryOnTheLastDay", &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2014-01-01"), ExpiresOn: last}, true},
		{"ExpiryTheDayAfter", &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2014-01-01"), ExpiresOn: last.AddDays(1)}, false},
		{"OpenEnded", &Agreement{Status: AgreementActive, EffectiveOn: MustDate("2014-01-01")}, false},
		{"NotYetSigned", &Agreement{Status: AgreementDraft, EffectiveOn: MustDate("2014-01-01"), ExpiresOn: MustDate("2027-01-31")}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.EndsWithin(today, last, all); got != tc.want {
				t.Errorf("EndsWithin = %v, want %v", got, tc.want)
			}
		})
	}
}
