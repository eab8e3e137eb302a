package sqlite

import (
	"context"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// timelineFixture holds agreements whose terms lie before, across and
// after the period 2016–2031 that the tests draw.
func timelineFixture(t *testing.T) *agreementFixture {
	t.Helper()
	f := newAgreementFixture(t)
	nokia, xiaomi, hmd, apple := f.nokia, f.xiaomi, f.hmd, f.apple
	add := func(ref string, kind licensing.AgreementKind, status licensing.AgreementStatus, effective, expires, terminated string, renewal int, parties ...*licensing.Company) {
		a := &licensing.Agreement{Reference: ref, Title: ref, Kind: kind, Status: status, EffectiveOn: dd(effective),
			ExpiresOn: dd(expires), TerminatedOn: dd(terminated), RenewalMonths: renewal}
		for _, c := range parties {
			a.Parties = append(a.Parties, licensing.Party{CompanyID: c.ID, Role: licensing.RoleParty})
		}
		f.mustCreate(t, a)
	}
	add("OLD-2005", licensing.KindLicense, licensing.AgreementExpired, "2005-01-01", "2015-12-31", "", 0, nokia, apple)
	add("CUT-2010", licensing.KindLicense, licensing.AgreementExpired, "2010-01-01", "2016-01-01", "", 0, nokia, hmd)
	add("ENDED-EARLY", licensing.KindLicense, licensing.AgreementTerminated, "2012-01-01", "2030-12-31", "2015-06-30", 0, nokia, xiaomi)
	add("RENEWS-2008", licensing.KindLicense, licensing.AgreementActive, "2008-01-01", "2010-12-31", "", 12, nokia, hmd)
	add("OPEN-2012", licensing.KindCrossLicense, licensing.AgreementActive, "2012-01-01", "", "", 0, nokia, xiaomi)
	add("XIA-2020", licensing.KindCrossLicense, licensing.AgreementActive, "2020-01-01", "2025-12-31", "", 0, nokia, xiaomi)
	add("DRAFT-2027", licensing.KindOption, licensing.AgreementDraft, "2027-01-01", "2029-12-31", "", 0, nokia, xiaomi)
	add("LATE-2032", licensing.KindLicense, licensing.AgreementDraft, "2032-01-01", "2035-12-31", "", 0, nokia, apple)
	add("UNDATED", licensing.KindOption, licensing.AgreementNegotiation, "", "", "", 0, nokia, xiaomi)
	return f
}

func TestAgreementTimeline(t *testing.T) {
	ctx := context.Background()
	f := timelineFixture(t)
	cross, option := licensing.KindCrossLicense, licensing.KindOption
	period := TimelineFilter{From: dd("2016-01-01"), To: dd("2031-12-31")}
	with := func(change func(*TimelineFilter)) TimelineFilter {
		g := period
		change(&g)
		return g
	}
	tests := []struct {
		name        string
		filter      TimelineFilter
		want        string
		more        bool
		undated     int
		wantParties bool
	}{
		{"OverlappingThePeriodByEffectiveDate", period,
			"RENEWS-2008,CUT-2010,OPEN-2012,XIA-2020,DRAFT-2027", false, 1, true},
		{"OfOneParty", with(func(g *TimelineFilter) { g.Parties = []int64{f.hmd.ID} }),
			"RENEWS-2008,CUT-2010", false, 0, false},
		{"OfAnyOfAGroup", with(func(g *TimelineFilter) { g.Parties = []int64{f.hmd.ID, f.apple.ID} }),
			"RENEWS-2008,CUT-2010", false, 0, false},
		{"OfOneKind", with(func(g *TimelineFilter) { g.Kind = &cross }), "OPEN-2012,XIA-2020", false, 0, false},
		{"UndatedCountedByFilter", with(func(g *TimelineFilter) { g.Kind = &option }), "DRAFT-2027", false, 1, false},
		{"TerminatedCountsUpToItsEnd", with(func(g *TimelineFilter) { g.From, g.To = dd("2015-01-01"), dd("2015-12-31") }),
			"OLD-2005,RENEWS-2008,CUT-2010,ENDED-EARLY,OPEN-2012", false, 1, false},
		{"Capped", with(func(g *TimelineFilter) { g.Limit = 2 }), "RENEWS-2008,CUT-2010", true, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.db.AgreementTimeline(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if s := references(got.Agreements); s != tc.want {
				t.Errorf("agreements %q, want %q", s, tc.want)
			}
			if got.More != tc.more || got.Undated != tc.undated {
				t.Errorf("more %v, undated %d; want %v, %d", got.More, got.Undated, tc.more, tc.undated)
			}
			if tc.wantParties && len(got.Agreements) > 0 && len(got.Agreements[0].Parties) != 2 {
				t.Errorf("parties not read: %+v", got.Agreements[0])
			}
		})
	}
}

// TestAgreementTimelineUsesIndexes checks that the timeline reads the
// agreements through the index on effective dates (bounded by the
// period's end) and a party through the parties' company index.
func TestAgreementTimelineUsesIndexes(t *testing.T) {
	f := timelineFixture(t)
	query, args := timelineQuery(TimelineFilter{From: dd("2016-01-01"), To: dd("2031-12-31"), Parties: []int64{f.nokia.ID}, Limit: 300})
	plan := queryPlan(t, f.db, query, args...)
	if !strings.Contains(plan, "agreements_effective (effective_on>? AND effective_on<?)") {
		t.Errorf("agreements are not read as a range of their effective dates: %s", plan)
	}
	if !strings.Contains(plan, "SEARCH ap EXISTS USING PRIMARY KEY") && !strings.Contains(plan, "agreement_parties_company") {
		t.Errorf("parties are not read through an index: %s", plan)
	}
}
