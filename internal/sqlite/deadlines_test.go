package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// deadlineFixture adds to the agreement fixture deals whose dates fall
// around the test's today, 2026-11-21: a licence that renews itself, a
// cross-licence with listed patents and a royalty, a terminated licence,
// a draft, an old expired deal, and a licence of IKEA's, which Xiaomi
// controls from 2027-06-01 (invented for the test).
type deadlineFixture struct {
	*agreementFixture
	signify                                 *licensing.Company
	epF2, us8                               *licensing.Patent
	hmdLicence, cross, appleLicence, ikeaSi *licensing.Agreement
	royalty                                 *licensing.Obligation
}

var deadlineToday = dd("2026-11-21")

func newDeadlineFixture(t *testing.T) *deadlineFixture {
	t.Helper()
	ctx := context.Background()
	f := &deadlineFixture{agreementFixture: newAgreementFixture(t)}
	f.signify = mustCreateCompany(t, f.db, &licensing.Company{Name: "Signify N.V."})
	f.ikea.ParentID, f.ikea.ControlFrom = f.xiaomi.ID, dd("2027-06-01")
	if err := f.db.UpdateCompany(ctx, CLIActor(), f.ikea); err != nil {
		t.Fatal(err)
	}
	f.epF2 = f.create(t, &licensing.Patent{Number: "EP 2 000 000 B1", Title: "Carrier aggregation", Family: "F2",
		FiledOn: dd("2007-03-15"), GrantedOn: dd("2011-01-05"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID})
	f.us8 = f.create(t, &licensing.Patent{Number: "US 8,000,000 B2", Title: "Display power saving", FiledOn: dd("2007-01-10"),
		GrantedOn: dd("2011-08-16"), ExpiresOn: dd("2027-06-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.tech.ID})
	party := func(c *licensing.Company, role licensing.PartyRole) licensing.Party {
		return licensing.Party{CompanyID: c.ID, Role: role}
	}
	f.hmdLicence = f.mustCreate(t, &licensing.Agreement{Reference: "NOK-HMD-2016", Title: "Brand and patent licence",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive, EffectiveOn: dd("2016-12-01"), ExpiresOn: dd("2027-09-30"),
		RenewalMonths: 24, NoticeDays: 90,
		Parties: []licensing.Party{party(f.tech, licensing.RoleLicensor), party(f.hmd, licensing.RoleLicensee)},
		Grants: []licensing.Grant{{LicensorID: f.tech.ID, LicenseeID: f.hmd.ID, Exclusivity: licensing.NonExclusive,
			Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "US8000000B2"}}}}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationReport, Title: "Quarterly royalty report",
			DueOn: dd("2017-01-31"), Recurrence: licensing.Quarterly}}})
	f.cross = f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-2025", Title: "Patent cross-licence",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive, EffectiveOn: dd("2025-01-01"), ExpiresOn: dd("2030-12-31"),
		NoticeDays: 180, Parties: []licensing.Party{party(f.nokia, licensing.RoleParty), party(f.xiaomi, licensing.RoleParty)},
		Grants: []licensing.Grant{
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID, Exclusivity: licensing.NonExclusive,
				Scope: licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F2"}}},
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID, Exclusivity: licensing.NonExclusive,
				Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP2000000B1"}}}},
			{LicensorID: f.nokia.ID, LicenseeID: f.xiaomi.ID, LicensorAffiliates: true, Exclusivity: licensing.NonExclusive,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}, // US8000000B2 too, but portfolios are left out
		},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Annual royalty", DueOn: dd("2026-01-31"),
			Recurrence: licensing.Yearly, Until: dd("2030-01-31"), Amount: licensing.MustAmount("1000000.00"), Currency: "EUR",
			PayerID: f.xiaomi.ID, PayeeID: f.nokia.ID}}})
	f.royalty = &f.cross.Obligations[0]
	if err := f.db.MarkOccurrence(ctx, CLIActor(), f.royalty.ID, dd("2026-01-31"), licensing.ObligationDone, dd("2026-01-30")); err != nil {
		t.Fatal(err)
	}
	f.appleLicence = f.mustCreate(t, &licensing.Agreement{Reference: "NOK-APL-2017", Title: "Patent licence and settlement",
		Kind: licensing.KindLicense, Status: licensing.AgreementTerminated, EffectiveOn: dd("2017-05-23"), ExpiresOn: dd("2028-05-22"),
		TerminatedOn: dd("2026-12-31"), NoticeDays: 30,
		Parties: []licensing.Party{party(f.nokia, licensing.RoleLicensor), party(f.apple, licensing.RoleLicensee)},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Annual licence fee", DueOn: dd("2017-06-30"),
			Recurrence: licensing.Yearly}}})
	f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-IOT", Title: "Option", Kind: licensing.KindOption,
		Status: licensing.AgreementNegotiation, EffectiveOn: dd("2026-01-01"), ExpiresOn: dd("2027-01-01"), NoticeDays: 10,
		Parties: []licensing.Party{party(f.nokia, licensing.RoleParty), party(f.xiaomi, licensing.RoleParty)}})
	f.mustCreate(t, &licensing.Agreement{Reference: "NOK-OLD-2010", Title: "Old licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementExpired, EffectiveOn: dd("2010-01-01"), ExpiresOn: dd("2020-12-31"), NoticeDays: 60,
		Parties: []licensing.Party{party(f.nokia, licensing.RoleLicensor), party(f.hmd, licensing.RoleLicensee)}})
	f.ikeaSi = f.mustCreate(t, &licensing.Agreement{Reference: "IKEA-SIG-2020", Title: "Lighting licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementActive, EffectiveOn: dd("2020-01-01"), ExpiresOn: dd("2027-09-30"), NoticeDays: 30,
		Parties:     []licensing.Party{party(f.signify, licensing.RoleLicensor), party(f.ikea, licensing.RoleLicensee)},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Licence fee", DueOn: dd("2027-02-28")}}})
	return f
}

func (f *deadlineFixture) lines(t *testing.T, filter DeadlineFilter) []string {
	t.Helper()
	if filter.From.IsZero() {
		filter.From, filter.To = deadlineToday, dd("2027-12-31")
	}
	filter.Today = deadlineToday
	list, err := f.db.Deadlines(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, d := range list {
		s := fmt.Sprintf("%s %s %s", d.Date, d.Kind, d.Agreement.Reference)
		if d.Obligation != nil {
			s += " " + d.Obligation.Title
		}
		if d.Patent != "" {
			s += " " + d.Patent
		}
		out[i] = s + " " + string(d.Status)
	}
	return out
}

func TestDeadlinesFromTheRecords(t *testing.T) {
	f := newDeadlineFixture(t)
	kind := func(k licensing.DeadlineKind) *licensing.DeadlineKind { return &k }
	all := []string{
		"2026-12-31 expiry NOK-APL-2017 open",
		"2027-01-31 obligation NOK-HMD-2016 Quarterly royalty report open",
		"2027-01-31 obligation NOK-XIA-2025 Annual royalty open",
		"2027-02-28 obligation IKEA-SIG-2020 Licence fee open",
		"2027-03-15 patent_expiry NOK-XIA-2025 EP2000000B1 open",
		"2027-04-30 obligation NOK-HMD-2016 Quarterly royalty report open",
		"2027-06-01 patent_expiry NOK-HMD-2016 US8000000B2 open",
		"2027-07-02 notice NOK-HMD-2016 open",
		"2027-07-31 obligation NOK-HMD-2016 Quarterly royalty report open",
		"2027-08-31 notice IKEA-SIG-2020 open",
		"2027-09-30 expiry IKEA-SIG-2020 open",
		"2027-09-30 expiry NOK-HMD-2016 open",
		"2027-10-01 renewal NOK-HMD-2016 open",
		"2027-10-31 obligation NOK-HMD-2016 Quarterly royalty report open",
	}
	tests := []struct {
		name   string
		filter DeadlineFilter
		want   []string
	}{
		{"EveryKindOfEveryAgreement", DeadlineFilter{}, all},
		{"OneKind", DeadlineFilter{Kind: kind(licensing.DeadlineNotice)}, []string{
			"2027-07-02 notice NOK-HMD-2016 open",
			"2027-08-31 notice IKEA-SIG-2020 open",
		}},
		{"PastOccurrencesDoneAndOverdue", DeadlineFilter{From: dd("2026-01-01"), To: dd("2026-11-21"), Kind: kind(licensing.DeadlineObligation)}, []string{
			"2026-01-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
			"2026-01-31 obligation NOK-XIA-2025 Annual royalty done",
			"2026-04-30 obligation NOK-HMD-2016 Quarterly royalty report overdue",
			"2026-06-30 obligation NOK-APL-2017 Annual licence fee overdue",
			"2026-07-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
			"2026-10-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
		}},
		{"ExpiredLongAgo", DeadlineFilter{From: dd("2020-01-01"), To: dd("2020-12-31"), Kind: kind(licensing.DeadlineExpiry)}, []string{
			"2020-12-31 expiry NOK-OLD-2010 passed",
		}},
		{"NoticeFarBeforeTheExpiry", DeadlineFilter{From: dd("2030-01-01"), To: dd("2030-12-31"), Kind: kind(licensing.DeadlineNotice)}, []string{
			"2030-07-04 notice NOK-XIA-2025 open",
		}},
		{"CompanyAlone", DeadlineFilter{Company: f.tech.ID}, filterLines(all, "NOK-HMD-2016")},
		{"CompanyWithoutAffiliates", DeadlineFilter{Company: f.nokia.ID}, filterLines(all, "NOK-APL-2017", "NOK-XIA-2025")},
		{"CompanyWithAffiliates", DeadlineFilter{Company: f.nokia.ID, Affiliates: true}, filterLines(all, "NOK-APL-2017", "NOK-XIA-2025", "NOK-HMD-2016")},
		{"OneAgreement", DeadlineFilter{Agreement: f.ikeaSi.ID}, filterLines(all, "IKEA-SIG-2020")},
		{"OneAgreementOfTheCompanyAsked", DeadlineFilter{Agreement: f.ikeaSi.ID, Company: f.nokia.ID, Affiliates: true}, nil},
		{"SeveralKinds", DeadlineFilter{Kinds: []licensing.DeadlineKind{licensing.DeadlineNotice, licensing.DeadlineRenewal}}, []string{
			"2027-07-02 notice NOK-HMD-2016 open",
			"2027-08-31 notice IKEA-SIG-2020 open",
			"2027-10-01 renewal NOK-HMD-2016 open",
		}},
		{"DoneAndWaived", DeadlineFilter{From: dd("2026-01-01"), To: dd("2026-12-31"),
			Statuses: []licensing.DeadlineStatus{licensing.DeadlineDone, licensing.DeadlineWaived}}, []string{
			"2026-01-31 obligation NOK-XIA-2025 Annual royalty done",
		}},
		{"GroupAsItStandsOnEachDay", DeadlineFilter{Company: f.xiaomiInc.ID, Affiliates: true}, []string{
			"2027-01-31 obligation NOK-XIA-2025 Annual royalty open",
			"2027-03-15 patent_expiry NOK-XIA-2025 EP2000000B1 open",
			"2027-08-31 notice IKEA-SIG-2020 open",
			"2027-09-30 expiry IKEA-SIG-2020 open",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.lines(t, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestOverdueHoweverOld: a list that starts today still shows every
// occurrence missed, from the first one on, and nothing else from before.
func TestOverdueHoweverOld(t *testing.T) {
	f := newDeadlineFixture(t)
	obligation := licensing.DeadlineObligation
	got := f.lines(t, DeadlineFilter{From: deadlineToday, To: dd("2026-12-31"), Kind: &obligation, Overdue: true})
	if len(got) != 40+10 {
		t.Fatalf("%d lines, want 40 quarterly reports and 10 licence fees since 2017:\n  %s", len(got), strings.Join(got, "\n  "))
	}
	for _, want := range []string{
		"2017-01-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
		"2017-06-30 obligation NOK-APL-2017 Annual licence fee overdue",
		"2026-10-31 obligation NOK-HMD-2016 Quarterly royalty report overdue",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no %q", want)
		}
	}
	for _, l := range got {
		if !strings.HasSuffix(l, " overdue") {
			t.Errorf("%q: only overdue occurrences come from before the period", l)
		}
	}
	// A company's, and its group's, from the first one on.
	for _, c := range []struct {
		filter DeadlineFilter
		refs   []string
		want   int
	}{
		{DeadlineFilter{Company: f.hmd.ID}, []string{"NOK-HMD-2016"}, 40},
		{DeadlineFilter{Company: f.nokia.ID}, []string{"NOK-APL-2017"}, 10},
		{DeadlineFilter{Company: f.nokia.ID, Affiliates: true}, []string{"NOK-HMD-2016", "NOK-APL-2017"}, 50},
	} {
		c.filter.From, c.filter.To, c.filter.Kind, c.filter.Overdue = deadlineToday, dd("2026-12-31"), &obligation, true
		if got := f.lines(t, c.filter); len(got) != c.want || !slices.Equal(got, filterLines(got, c.refs...)) {
			t.Errorf("company %d, affiliates %v: %d lines, want %d of %v", c.filter.Company, c.filter.Affiliates, len(got), c.want, c.refs)
		}
	}
	if len(f.lines(t, DeadlineFilter{From: deadlineToday, To: dd("2026-12-31"), Kind: &obligation})) != 0 {
		t.Error("without Overdue, nothing from before the period")
	}
}

// TestPortfolioPatentExpiries: the patents a portfolio takes in end their
// term as deadlines too, read a bounded number at a time.
func TestPortfolioPatentExpiries(t *testing.T) {
	f := newDeadlineFixture(t)
	expiry := licensing.DeadlinePatentExpiry
	filter := DeadlineFilter{Kind: &expiry, Agreement: f.cross.ID, Portfolios: true}
	got := f.lines(t, filter)
	want := []string{
		"2027-03-15 patent_expiry NOK-XIA-2025 EP2000000B1 open",
		"2027-06-01 patent_expiry NOK-XIA-2025 US8000000B2 open", // held by Nokia Technologies, of Nokia's group
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	filter.From, filter.To, filter.Today = deadlineToday, dd("2027-12-31"), deadlineToday
	for _, tt := range []struct {
		name    string
		limit   int
		through string
		lines   int
	}{
		// EP2000000B1 comes three times, listed, in a family and in the
		// portfolio; US8000000B2 once, in the portfolio.
		{"NoLimit", 0, "2027-12-31", 2},
		{"LimitNotReached", 4, "2027-12-31", 2},
		{"CutShortOnTheDayBefore", 3, "2027-05-31", 1},
		{"TheFirstDayInFullWhateverTheLimit", 1, "2027-03-15", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			filter.PatentLimit = tt.limit
			list, through, err := f.db.DeadlinesThrough(context.Background(), filter)
			if err != nil {
				t.Fatal(err)
			}
			if through.String() != tt.through || len(list) != tt.lines {
				t.Errorf("%d deadlines through %s, want %d through %s", len(list), through, tt.lines, tt.through)
			}
		})
	}
}

// filterLines keeps the lines of the named agreements.
func filterLines(lines []string, refs ...string) []string {
	var out []string
	for _, l := range lines {
		if slices.Contains(refs, strings.Fields(l)[2]) {
			out = append(out, l)
		}
	}
	return out
}

// explainer is a querier that records the plan of every query it runs.
type explainer struct {
	db    *DB
	plans []string
}

func (e *explainer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := e.db.sql.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		return nil, err
	}
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			rows.Close()
			return nil, err
		}
		plan = append(plan, detail)
	}
	rows.Close()
	e.plans = append(e.plans, strings.Join(plan, "; "))
	return e.db.sql.QueryContext(ctx, query, args...)
}

// TestDeadlineQueriesUseIndexes checks that the reads behind Deadlines go
// through indexes: no agreement, obligation, grant or patent is scanned.
func TestDeadlineQueriesUseIndexes(t *testing.T) {
	f := newDeadlineFixture(t)
	w := licensing.DeadlineWindow{From: deadlineToday.AddDays(-90), To: deadlineToday.AddYears(2), Today: deadlineToday, Overdue: true}
	links, err := f.db.ControlLinks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []deadlineScope{
		{},
		{party: " AND a.id IN (SELECT ap.agreement_id FROM agreement_parties ap WHERE ap.company_id IN (?))", args: []any{f.nokia.ID}},
		{party: " AND a.id = ?", args: []any{f.cross.ID}, portfolios: true, links: links, limit: 100},
		{portfolios: true, links: links, limit: 1},
	} {
		e := &explainer{db: f.db}
		facts, _, err := deadlineFacts(context.Background(), e, w, sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(facts.Agreements) == 0 || len(facts.Obligations) == 0 || len(facts.Listed) == 0 {
			t.Fatalf("facts %+v: want agreements, obligations and listed patents", facts)
		}
		for _, plan := range e.plans {
			t.Log(plan)
			for _, step := range strings.Split(plan, "; ") {
				// The grants are read whole, each joined to its agreement
				// (grantsOfAgreements): nearly all of them are wanted, and
				// one pass over a few thousand rows is cheaper than a
				// lookup of each agreement's grants.
				if step == "SCAN g" && strings.Contains(plan, "SEARCH a USING INTEGER PRIMARY KEY") {
					continue
				}
				if strings.HasPrefix(step, "SCAN ") && !strings.HasSuffix(step, "VALUES CLAUSE") {
					t.Errorf("a table is scanned (%s) in %s", step, plan)
				}
				// A portfolio's patents come in expiry order off the index,
				// so that the limit stops the statement: never sorted.
				if strings.Contains(plan, "patents_expiry") && strings.Contains(step, "TEMP B-TREE") {
					t.Errorf("a portfolio's patents are sorted (%s) in %s", step, plan)
				}
			}
		}
	}
}

// TestPortfolioExpiriesMatchTheSetRule: matching expiring patents against
// all portfolio grants at once, in memory, finds for each grant exactly the
// patents the SQL rule of its patent set (patentSetCond) finds — through a
// capture window, a corporate group, a sale, and a narrowing to a standard
// and an office.
func TestPortfolioExpiriesMatchTheSetRule(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	// In Nokia's group portfolio but not its NR one, which is narrowed to
	// US patents; and the other way round for one filed after the group
	// portfolio's window, whose label differs in case (as NOCASE allows).
	f.patent(t, &licensing.Patent{Number: "EP 3 000 001 B1", Title: "NR paging", FiledOn: day("2014-02-01"),
		GrantedOn: day("2016-02-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID, Standards: []string{"3GPP NR"}})
	f.patent(t, &licensing.Patent{Number: "US 10,000,001 B2", Title: "NR beam recovery", FiledOn: day("2019-05-01"),
		GrantedOn: day("2021-02-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID, Standards: []string{"3gpp nr"}})
	grants, err := loadGrants(ctx, f.db.sql, `g.scope = 'portfolio'`)
	if err != nil {
		t.Fatal(err)
	}
	links, err := f.db.ControlLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, to := day("1990-01-01"), day("2100-12-31")
	list, err := portfolioPatentsEnding(ctx, f.db.sql, grants, links, from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, lp := range list {
		got = append(got, f.name(lp.Grant.ID)+" "+lp.Patent.Normalized)
	}
	for _, g := range grants {
		s := &g.Scope
		cond, args := patentSetCond(&licensing.PatentSet{HeldBy: portfolioSpans(links, &g.Grant), Tags: s.Tags, Standards: s.Standards, Offices: s.Offices})
		rows, err := f.db.sql.Query(`SELECT p.normalized FROM patents p WHERE p.expiry BETWEEN ? AND ? AND `+cond,
			append([]any{from.String(), to.String()}, args...)...)
		numbers, err := scanAll(rows, err, func(r rowScanner) (string, error) {
			var n string
			return n, r.Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range numbers {
			want = append(want, f.name(g.ID)+" "+n)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("in memory:\n  %s\nby SQL:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// The fixture's cases must be there for the comparison to mean anything.
	for _, entry := range []string{"nokia-group EP3000001B1", "nokia-nr US10000001B2", "nokia-group EP1234567B1", "xiaomi EP1234567B1"} {
		if !slices.Contains(want, entry) {
			t.Errorf("SQL finds no %q; the fixture does not test what it says", entry)
		}
	}
	for _, entry := range []string{"nokia-nr EP3000001B1", "nokia-group US10000001B2"} {
		if slices.Contains(want, entry) {
			t.Errorf("SQL finds %q; the fixture does not test what it says", entry)
		}
	}
}
