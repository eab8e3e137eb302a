package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// chartFixture adds to the patent fixture a Nokia Technologies portfolio
// whose terms end in known years around the test's today, 2026-11-21.
type chartFixture struct {
	*patentFixture
	today licensing.Date
}

func newChartFixture(t *testing.T) *chartFixture {
	t.Helper()
	f := &chartFixture{patentFixture: newPatentFixture(t), today: dd("2026-11-21")}
	f.db.SetClock(f.today.Time)
	granted := func(number, filed string, tags ...string) *licensing.Patent {
		return &licensing.Patent{Number: number, Title: "Chart patent " + number, FiledOn: dd(filed), GrantedOn: dd("2012-01-01"),
			Status: licensing.StatusGranted, OriginalOwnerID: f.tech.ID, Tags: tags}
	}
	// Terms end 20 years after filing: 2026-12-01, 2030-02-01 twice, 2031-07-01.
	f.create(t, granted("EP 3 000 001 B1", "2006-12-01", "cellular"))
	f.create(t, granted("EP 3 000 002 B1", "2010-02-01", "5G"))
	f.create(t, granted("FI 3 000 003 B", "2010-02-01", "cellular", "iot"))
	f.create(t, granted("EP 3 000 004 B1", "2011-07-01"))
	// Ended already this year: not among the expiries to come.
	f.create(t, granted("EP 3 000 005 B1", "2006-03-01", "cellular"))
	// Lapses in 2027, before its term would end in 2030: not counted.
	lapsing := granted("EP 3 000 006 B1", "2010-05-01")
	lapsing.Status, lapsing.StatusOn = licensing.StatusLapsed, dd("2027-05-01")
	f.create(t, lapsing)
	// A pending application and a PCT application are in force nowhere.
	f.create(t, &licensing.Patent{Number: "EP 3 000 007 A1", Title: "Pending", FiledOn: dd("2012-01-01"),
		Status: licensing.StatusPending, OriginalOwnerID: f.tech.ID})
	f.create(t, &licensing.Patent{Number: "WO 2012/000008 A1", Title: "PCT", FiledOn: dd("2012-01-01"),
		Status: licensing.StatusPending, OriginalOwnerID: f.tech.ID})
	// Xiaomi's patent ending in 2030 is not Nokia's.
	f.create(t, &licensing.Patent{Number: "CN 3000009 B", Title: "Xiaomi", FiledOn: dd("2010-03-01"), GrantedOn: dd("2013-01-01"),
		Status: licensing.StatusGranted, OriginalOwnerID: f.xiaomi.ID, Tags: []string{"cellular"}})
	return f
}

func countsString(list []PortfolioCount) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = fmt.Sprintf("%s=%d", c.Value, c.Count)
	}
	return strings.Join(out, " ")
}

func TestPortfolioCharts(t *testing.T) {
	ctx := context.Background()
	f := newChartFixture(t)
	group := []int64{f.nokia.ID, f.tech.ID}
	tests := []struct {
		name string
		read func() ([]PortfolioCount, error)
		want string
	}{
		{"ByOfficeLargestFirst", func() ([]PortfolioCount, error) { return f.db.PortfolioByOffice(ctx, group) },
			"EP=7 DE=1 FI=1 US=1 WO=1"},
		{"ByOfficeOneCompany", func() ([]PortfolioCount, error) { return f.db.PortfolioByOffice(ctx, []int64{f.nokia.ID}) },
			"US=1"},
		{"ByTagCaseFolded", func() ([]PortfolioCount, error) { return f.db.PortfolioByTag(ctx, group) },
			"cellular=5 5g=2 iot=1"},
		{"ExpiriesInForceByYear", func() ([]PortfolioCount, error) { return f.db.PatentExpiriesByYear(ctx, group, f.today, 20) },
			"2026=1 2030=2 2031=1 2034=1"},
		{"ExpiriesWithinYears", func() ([]PortfolioCount, error) { return f.db.PatentExpiriesByYear(ctx, group, f.today, 5) },
			"2026=1 2030=2"},
		{"NoOwners", func() ([]PortfolioCount, error) { return f.db.PortfolioByOffice(ctx, nil) }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read()
			if err != nil {
				t.Fatal(err)
			}
			if s := countsString(got); s != tc.want {
				t.Errorf("counts %q, want %q", s, tc.want)
			}
		})
	}
}

// TestPortfolioChartsMatchPatentList checks each bar against the patents
// list that the bar links to: the same filters find as many patents.
func TestPortfolioChartsMatchPatentList(t *testing.T) {
	ctx := context.Background()
	f := newChartFixture(t)
	group := []int64{f.nokia.ID, f.tech.ID}
	listed := func(t *testing.T, pf PatentFilter) int {
		t.Helper()
		pf.OwnerIDs, pf.Limit = group, 1000
		list, _, err := f.db.Patents(ctx, pf)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	offices, err := f.db.PortfolioByOffice(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range offices {
		if n := listed(t, PatentFilter{Office: &c.Value}); n != c.Count {
			t.Errorf("office %s: chart %d, list %d", c.Value, c.Count, n)
		}
	}
	tags, err := f.db.PortfolioByTag(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tags {
		if n := listed(t, PatentFilter{Tag: &c.Value}); n != c.Count {
			t.Errorf("tag %s: chart %d, list %d", c.Value, c.Count, n)
		}
	}
	years, err := f.db.PatentExpiriesByYear(ctx, group, f.today, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range years {
		var y int
		fmt.Sscan(c.Value, &y)
		on := licensing.NewDate(y, 1, 1)
		if on.Before(f.today) {
			on = f.today
		}
		before := licensing.NewDate(y+1, 1, 1)
		if n := listed(t, PatentFilter{InForceOn: &on, ExpiresBefore: &before}); n != c.Count {
			t.Errorf("year %s: chart %d, list %d", c.Value, c.Count, n)
		}
	}
}

// TestPortfolioChartsUseOwnerIndex (queryPlan is in scope_test.go) checks that each chart query reads the
// patents of the owners asked about through the owner index, and the
// tags through the labels' patent index, never scanning a table.
func TestPortfolioChartsUseOwnerIndex(t *testing.T) {
	f := newChartFixture(t)
	owners := []int64{f.nokia.ID, f.tech.ID}
	today := f.today.String()
	for name, q := range map[string]struct {
		query         string
		before, after []any
	}{
		"office": {portfolioByOfficeSQL, nil, nil},
		"tag":    {portfolioByTagSQL, nil, nil},
		"expiry": {expiriesByYearSQL, []any{today}, []any{today, "2045-12-31"}},
	} {
		t.Run(name, func(t *testing.T) {
			query, args := portfolioQuery(q.query, owners, q.before, q.after)
			plan := queryPlan(t, f.db, query, args...)
			if !strings.Contains(plan, "USING INDEX patents_owner") && !strings.Contains(plan, "USING COVERING INDEX patents_owner") {
				t.Errorf("plan does not use the owner index: %s", plan)
			}
			for _, step := range strings.Split(plan, "\n") {
				if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "INDEX") && !strings.HasPrefix(step, "SCAN (subquery") {
					t.Errorf("plan scans a table: %s", plan)
				}
			}
			if name == "tag" && !strings.Contains(plan, "patent_labels_patent") {
				t.Errorf("tags are not read through the labels' patent index: %s", plan)
			}
		})
	}
}
