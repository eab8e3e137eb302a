package sqlite

import (
	"context"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// The start page's counts must agree with the lists they link to, and go
// through indexes.

func TestCountAgreementsAgreesWithTheList(t *testing.T) {
	ctx := context.Background()
	f := newListFixture(t)
	active := licensing.AgreementActive
	on := func(s string) *licensing.Date { v := dd(s); return &v }
	tests := []struct {
		name   string
		filter AgreementFilter
		want   int
	}{
		{"All", AgreementFilter{}, 5},
		{"Active", AgreementFilter{Status: &active}, 2},
		{"InForceAndExpiringBefore", AgreementFilter{InForceOn: on("2022-01-01"), ExpiresBefore: on("2022-05-23")}, 1},
		{"InForceAndExpiringBeforeItsExpiry", AgreementFilter{InForceOn: on("2022-01-01"), ExpiresBefore: on("2022-05-22")}, 0},
		{"Party", AgreementFilter{Parties: []int64{f.xiaomi.ID, f.xiaomiInc.ID}}, 3},
		{"PageLimitIgnored", AgreementFilter{Limit: 1}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := f.db.CountAgreements(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			tc.filter.Limit = 500
			list, _, err := f.db.Agreements(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || n != len(list) {
				t.Errorf("count %d, list of %d (%s), want %d", n, len(list), references(list), tc.want)
			}
		})
	}
}

func TestCountPatentsAgreesWithTheList(t *testing.T) {
	ctx := context.Background()
	f := newPatentFixture(t)
	on := func(s string) *licensing.Date { v := dd(s); return &v }
	tests := []struct {
		name   string
		filter PatentFilter
		want   int
	}{
		{"All", PatentFilter{}, 4},
		{"GroupInForceBeforeTheLapse", PatentFilter{OwnerIDs: []int64{f.nokia.ID, f.tech.ID}, InForceOn: on("2020-02-29")}, 3},
		{"GroupInForceAfterTheLapse", PatentFilter{OwnerIDs: []int64{f.nokia.ID, f.tech.ID}, InForceOn: on("2020-03-01")}, 2},
		{"PendingIsNotInForce", PatentFilter{OwnerIDs: []int64{f.xiaomi.ID}, InForceOn: on("2020-03-01")}, 0},
		{"OwnerToday", PatentFilter{OwnerIDs: []int64{f.xiaomi.ID}, OwnerOn: on(licensing.DateOf(f.db.now()).String())}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := f.db.CountPatents(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			tc.filter.Limit = 500
			list, _, err := f.db.Patents(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || n != len(list) {
				t.Errorf("count %d, list of %d (%s), want %d", n, len(list), numbers(list), tc.want)
			}
		})
	}
}

func TestPatentOwnersAndHasRecords(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	if some, err := db.HasRecords(ctx); err != nil || some {
		t.Fatalf("an empty database has records: %v, %v", some, err)
	}
	f := newPatentFixture(t)
	if some, err := f.db.HasRecords(ctx); err != nil || !some {
		t.Fatalf("a database with companies and patents has none: %v, %v", some, err)
	}
	owners, err := f.db.PatentOwners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]int{f.nokia.ID: 1, f.tech.ID: 2, f.xiaomi.ID: 1}
	if len(owners) != len(want) {
		t.Errorf("owners %v, want %v", owners, want)
	}
	for id, n := range want {
		if owners[id] != n {
			t.Errorf("owner %d: %d patents, want %d", id, owners[id], n)
		}
	}
}

// TestDashboardCountsUseIndexes checks the plans of the counts that can
// grow with the portfolio: none scans the patents or the agreements.
func TestDashboardCountsUseIndexes(t *testing.T) {
	f := newPatentFixture(t)
	on := dd("2026-11-21")
	active := licensing.AgreementActive
	before := on.AddDays(91)
	patentQuery := func(pf PatentFilter) (string, []any) {
		where, args := patentWhere(pf)
		return patentCountSQL(where), args
	}
	agreementQuery := func(af AgreementFilter) (string, []any) {
		where, args, err := agreementWhere(af)
		if err != nil {
			t.Fatal(err)
		}
		return agreementCountSQL(where), args
	}
	tests := []struct {
		name  string
		query func() (string, []any)
		want  string // the plan must use this index
	}{
		{"PatentsInForceOfAGroup", func() (string, []any) {
			return patentQuery(PatentFilter{OwnerIDs: []int64{f.nokia.ID, f.tech.ID}, InForceOn: &on})
		}, "patents_owner"}, // or a covering index on (owner_id, …), read by owner_id=?
		{"PatentsPerOwner", func() (string, []any) { return patentOwnersSQL, nil }, "USING COVERING INDEX patents_owner"},
		{"AgreementsActive", func() (string, []any) { return agreementQuery(AgreementFilter{Status: &active}) },
			"USING COVERING INDEX agreements_status (status=?)"},
		{"AgreementsEnding", func() (string, []any) {
			return agreementQuery(AgreementFilter{InForceOn: &on, ExpiresBefore: &before})
		}, "USING INDEX agreements_"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			query, args := tc.query()
			plan := queryPlan(t, f.db, query, args...)
			if !strings.Contains(plan, tc.want) || (strings.HasPrefix(tc.name, "PatentsInForce") && !strings.Contains(plan, "(owner_id=?)")) || strings.Contains(plan, "SCAN p\n") || strings.HasSuffix(plan, "SCAN p") ||
				strings.Contains(plan, "SCAN a") {
				t.Errorf("plan %q, want %q and no scan of the table", plan, tc.want)
			}
		})
	}
}
