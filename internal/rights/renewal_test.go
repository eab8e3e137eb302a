package rights

import (
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// renewing makes an agreement renew itself every months months, notice
// due days before each term ends.
func renewing(months, days int) func(*licensing.Grant, *licensing.Agreement) {
	return func(_ *licensing.Grant, a *licensing.Agreement) { a.RenewalMonths, a.NoticeDays = months, days }
}

// TestRenewingAgreementBasis checks that a licence resting on an agreement
// that renews itself says so: the basis runs to the patent's expiry, but
// carries the term running on the day asked and its notice deadline, and
// its reason names both. NOK-HMD-2016 first runs to 2026-11-30; pLTE
// expires on 2032-03-01.
func TestRenewingAgreementBasis(t *testing.T) {
	cases := []struct {
		name   string
		grant  GrantFact
		on     string
		want   Renewal
		reason string // a part of the basis's reason; "" when it must not mention renewal
	}{
		{name: "SecondTermWithNoticeAhead", grant: grant(gHMD, renewing(24, 90)), on: "2027-06-01",
			want:   Renewal{TermEndsOn: day("2028-11-30"), Months: 24, NoticeBy: day("2028-09-01")},
			reason: "licenses EP2012345B1 from Nokia Technologies Oy to HMD Global Oy until 2032-03-01 if the agreement keeps renewing; the agreement's current term ends 2028-11-30 and renews automatically every 24 months unless notice is given by 2028-09-01."},
		{name: "FirstTermCountsToo", grant: grant(gHMD, renewing(24, 90)), on: "2020-01-01",
			want:   Renewal{TermEndsOn: day("2026-11-30"), Months: 24, NoticeBy: day("2026-09-01")},
			reason: "current term ends 2026-11-30 and renews automatically every 24 months unless notice is given by 2026-09-01."},
		{name: "NoticeDeadlinePassed", grant: grant(gHMD, renewing(24, 90)), on: "2028-10-01",
			want:   Renewal{TermEndsOn: day("2028-11-30"), Months: 24, NoticeBy: day("2028-09-01")},
			reason: "the notice deadline of this term, 2028-09-01, has passed."},
		{name: "NoNoticePeriod", grant: grant(gHMD, renewing(1, 0)), on: "2027-06-01",
			want:   Renewal{TermEndsOn: day("2027-06-30"), Months: 1},
			reason: "renews automatically every 1 month until terminated."},
		{name: "AgreementThatDoesNotRenew", grant: grant(gHMD), on: "2020-01-01"},
		{name: "PatentExpiresWithinTheTerm", grant: grant(gHMD, renewing(24, 90)), on: "2031-01-01"},
		{name: "GrantEndsWithinTheTerm", grant: grant(gHMD, renewing(24, 90), func(g *licensing.Grant, _ *licensing.Agreement) {
			g.EndsOn = day("2027-12-31")
		}), on: "2027-06-01"},
		{name: "TerminatedAgreementRenewsNoMore", grant: grant(gHMD, renewing(24, 90), terminated("2028-11-30")), on: "2027-06-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := checkCase{company: hmd, patent: patent(pLTE), on: c.on, where: "DE", grants: []GrantFact{c.grant},
				verdict: Covered, bases: []string{"license:21"}}.run(t)
			b := a.Bases[0]
			if b.Renewal != c.want {
				t.Errorf("renewal %+v, want %+v", b.Renewal, c.want)
			}
			reason := b.Reason.String()
			if c.reason == "" && strings.Contains(reason, "renew") {
				t.Errorf("reason %q speaks of renewal", reason)
			}
			if c.reason != "" && !strings.Contains(reason, c.reason) {
				t.Errorf("reason %q\nwant it to contain %q", reason, c.reason)
			}
			if c.reason != "" && !strings.Contains(strings.Join(Strings(a.Reasons), " "), c.reason) {
				t.Errorf("the answer's reasons %q leave out the renewal", Strings(a.Reasons))
			}
		})
	}
}

// TestRenewingAgreementNearMissAndRoute checks that a near miss under a
// renewing agreement carries its running term, and that a coverage route
// through it says the licence rests on renewals.
func TestRenewingAgreementNearMissAndRoute(t *testing.T) {
	g := grant(gHMD, renewing(24, 90))
	t.Run("NearMiss", func(t *testing.T) {
		a := checkCase{company: hmd, patent: patent(pLTE), on: "2027-06-01", where: "DE",
			grants: []GrantFact{grant(gHMD, renewing(24, 90), territories("FR"))}, verdict: NotCovered, misses: []string{"21:territory"}}.run(t)
		want := Renewal{TermEndsOn: day("2028-11-30"), Months: 24, NoticeBy: day("2028-09-01")}
		if got := a.NearMisses[0].Renewal; got != want {
			t.Errorf("near miss renewal %+v, want %+v", got, want)
		}
	})
	t.Run("NearMissOfSomeoneElsesLicence", func(t *testing.T) {
		a := checkCase{company: apple, patent: patent(pLTE), on: "2027-06-01", where: "DE", grants: []GrantFact{g},
			verdict: NotCovered, misses: []string{"21:licensee"}}.run(t)
		if got := a.NearMisses[0].Renewal; !got.IsZero() {
			t.Errorf("a near miss for want of the licensee carries the licensee's term %+v", got)
		}
	})
	t.Run("Route", func(t *testing.T) {
		q := CoverageQuestion{Company: hmd, On: day("2027-06-01"), Territory: "DE"}
		for _, r := range Routes(q, links, names, []GrantFact{g}) {
			if r.Basis.Kind != License {
				continue
			}
			if want := (Renewal{TermEndsOn: day("2028-11-30"), Months: 24, NoticeBy: day("2028-09-01")}); r.Basis.Renewal != want {
				t.Errorf("route renewal %+v, want %+v", r.Basis.Renewal, want)
			}
			if s := r.Basis.Reason.String(); !strings.Contains(s, "for as long as the agreement keeps renewing; the agreement's current term ends 2028-11-30") {
				t.Errorf("route reason %q leaves out the renewal", s)
			}
			return
		}
		t.Fatal("no licence route")
	})
}
