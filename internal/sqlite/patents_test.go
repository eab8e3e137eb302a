package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

type patentFixture struct {
	db                   *DB
	nokia, tech, xiaomi  *licensing.Company
	lte, nr, iot, lapsed *licensing.Patent
}

func newPatentFixture(t *testing.T) *patentFixture {
	t.Helper()
	db := openTestDB(t)
	f := &patentFixture{db: db}
	f.nokia = mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia"})
	f.tech = mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Technologies Oy", ParentID: f.nokia.ID, Aliases: []string{"NOKIA TECHNOLOGIES OY [FI]"}})
	f.xiaomi = mustCreateCompany(t, db, &licensing.Company{Name: "Xiaomi Corporation", Aliases: []string{"Beijing Xiaomi Mobile Software"}})
	d := licensing.MustDate
	f.lte = f.create(t, &licensing.Patent{Number: "EP 1 234 567 B1", Title: "Handover in LTE radio networks", Family: "F1",
		FiledOn: d("2005-03-01"), GrantedOn: d("2009-06-10"), Status: licensing.StatusGranted, OriginalOwnerID: f.tech.ID,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: true, DesignatedStates: []string{"DE", "FR", "GB"}})
	f.nr = f.create(t, &licensing.Patent{Number: "US 9,123,456 B2", Title: "Beam management for NR", Family: "F1",
		FiledOn: d("2014-01-15"), GrantedOn: d("2015-09-01"), ExpiresOn: d("2034-06-30"), Status: licensing.StatusGranted,
		OriginalOwnerID: f.nokia.ID, Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: true})
	f.iot = f.create(t, &licensing.Patent{Number: "CN 105123456 A", Title: "Smart-home hub pairing", FiledOn: d("2016-05-05"),
		Status: licensing.StatusPending, OriginalOwnerID: f.xiaomi.ID, Tags: []string{"iot", "smart-home"}})
	f.lapsed = f.create(t, &licensing.Patent{Number: "DE 10 2015 000 001 B4", Title: "Antenna array with lapsed fees", FiledOn: d("2015-01-02"),
		GrantedOn: d("2017-01-01"), Status: licensing.StatusLapsed, StatusOn: d("2020-03-01"), OriginalOwnerID: f.tech.ID})
	return f
}

func (f *patentFixture) create(t *testing.T, p *licensing.Patent) *licensing.Patent {
	t.Helper()
	if err := f.db.CreatePatent(context.Background(), CLIActor(), p); err != nil {
		t.Fatalf("create %s: %v", p.Number, err)
	}
	return p
}

func numbers(list []*PatentRecord) string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.Normalized
	}
	return strings.Join(out, ",")
}

func TestPatentStore(t *testing.T) {
	ctx := context.Background()
	f := newPatentFixture(t)
	db := f.db

	t.Run("StoredNormalizedWithEveryField", func(t *testing.T) {
		r, err := db.Patent(ctx, f.lte.ID)
		if err != nil {
			t.Fatal(err)
		}
		exp, overridden := r.Expiry()
		got := fmt.Sprintf("%s %s %s %s %s %v %v %v %v %s %s", r.Normalized, r.Office, r.Kind, r.Number, exp, overridden,
			r.Tags, r.Standards, r.DesignatedStates, r.Owner, r.OriginalOwner)
		want := "EP1234567B1 EP B1 EP 1 234 567 B1 2025-03-01 false [cellular] [3GPP LTE] [DE FR GB] Nokia Technologies Oy Nokia Technologies Oy"
		if got != want || !r.SEP || r.FiledOn.String() != "2005-03-01" {
			t.Errorf("read back\n got %s\nwant %s", got, want)
		}
		nr, _ := db.Patent(ctx, f.nr.ID)
		if exp, overridden := nr.Expiry(); exp.String() != "2034-06-30" || !overridden {
			t.Errorf("override lost: %s %v", exp, overridden)
		}
	})
	t.Run("FoundInAnyNotation", func(t *testing.T) {
		for _, n := range []string{"EP1234567B1", "ep 1234567 b1", "EP 1 234 567", "US-9123456-B2", "9,123,456"} {
			if _, err := db.PatentByNumber(ctx, n); err != nil {
				t.Errorf("%q: %v", n, err)
			}
		}
	})
	t.Run("KindlessLookupOfTwoKindsIsAmbiguous", func(t *testing.T) {
		f.create(t, &licensing.Patent{Number: "EP1234567A1", Title: "Handover (application)", Status: licensing.StatusPending, OriginalOwnerID: f.tech.ID})
		_, err := db.PatentByNumber(ctx, "EP 1234567")
		if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "EP1234567A1, EP1234567B1") {
			t.Errorf("ambiguous lookup: %v", err)
		}
	})
	t.Run("DuplicateInOtherNotationRefused", func(t *testing.T) {
		err := db.CreatePatent(ctx, CLIActor(), &licensing.Patent{Number: "US9123456B2", Title: "dup", Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID})
		wantCode(t, err, licensing.Conflict, "number")
	})
	t.Run("InvalidFieldsNamed", func(t *testing.T) {
		err := db.CreatePatent(ctx, CLIActor(), &licensing.Patent{Number: "XX12", Title: "", OriginalOwnerID: f.nokia.ID})
		wantCode(t, err, licensing.Invalid, "number")
		err = db.CreatePatent(ctx, CLIActor(), &licensing.Patent{Number: "EP7654321B1", Status: licensing.StatusRevoked, OriginalOwnerID: 0})
		for _, field := range []string{"title", "status_on", "owner"} {
			wantCode(t, err, licensing.Invalid, field)
		}
	})
	t.Run("UpdateAuditsOnlyWhatChanged", func(t *testing.T) {
		r, _ := db.Patent(ctx, f.iot.ID)
		p := r.Patent
		p.FiledOn = licensing.MustDate("2016-05-06")
		if err := db.UpdatePatent(ctx, CLIActor(), &p); err != nil {
			t.Fatal(err)
		}
		e, _ := db.RecentAudit(ctx, 1)
		var d struct{ Before, After map[string]any }
		json.Unmarshal([]byte(e[0].Details), &d)
		if e[0].Action != "patent.update" || d.Before["filed_on"] != "2016-05-05" || d.After["filed_on"] != "2016-05-06" ||
			d.After["expires_on"] != "2036-05-06" || len(d.After) != 2 {
			t.Errorf("audit %s %s", e[0].Action, e[0].Details)
		}
	})
	t.Run("CompanyWithPatentsCannotBeDeleted", func(t *testing.T) {
		err := db.DeleteCompany(ctx, CLIActor(), f.xiaomi.ID)
		if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "1 patent") {
			t.Errorf("delete refused for the wrong reason: %v", err)
		}
	})
	t.Run("DeleteRemovesFromSearch", func(t *testing.T) {
		p := f.create(t, &licensing.Patent{Number: "JP 6123456 B2", Title: "Zeppelin docking", Status: licensing.StatusGranted, OriginalOwnerID: f.xiaomi.ID})
		if err := db.DeletePatent(ctx, CLIActor(), p.ID); err != nil {
			t.Fatal(err)
		}
		q := "zeppelin"
		if list, _, _ := db.Patents(ctx, PatentFilter{Query: &q}); len(list) != 0 {
			t.Errorf("deleted patent still found")
		}
		if _, err := db.Patent(ctx, p.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("still readable: %v", err)
		}
	})
}

func TestPatentFilters(t *testing.T) {
	ctx := context.Background()
	f := newPatentFixture(t)
	s := func(v string) *string { return &v }
	yes := true
	d := func(v string) *licensing.Date { x := licensing.MustDate(v); return &x }
	cases := []struct {
		name   string
		filter PatentFilter
		want   string
	}{
		{"All", PatentFilter{}, "CN105123456A,DE102015000001B4,EP1234567B1,US9123456B2"},
		{"Office", PatentFilter{Office: s("EP")}, "EP1234567B1"},
		{"Status", PatentFilter{Status: s("pending")}, "CN105123456A"},
		{"Tag", PatentFilter{Tag: s("CELLULAR")}, "EP1234567B1,US9123456B2"},
		{"Standard", PatentFilter{Standard: s("3GPP NR")}, "US9123456B2"},
		{"SEP", PatentFilter{SEP: &yes}, "EP1234567B1,US9123456B2"},
		{"Owner", PatentFilter{OwnerIDs: []int64{f.tech.ID}}, "DE102015000001B4,EP1234567B1"},
		{"OwnerWithAffiliates", PatentFilter{OwnerIDs: []int64{f.tech.ID, f.nokia.ID}}, "DE102015000001B4,EP1234567B1,US9123456B2"},
		{"Family", PatentFilter{Family: s("F1")}, "EP1234567B1,US9123456B2"},
		{"ExpiresBefore", PatentFilter{ExpiresBefore: d("2026-01-01")}, "EP1234567B1"},
		{"InForceBeforeLapse", PatentFilter{InForceOn: d("2020-02-29")}, "DE102015000001B4,EP1234567B1,US9123456B2"},
		{"InForceOnLapseDay", PatentFilter{InForceOn: d("2020-03-01")}, "EP1234567B1,US9123456B2"},
		{"InForceOnExpiryDay", PatentFilter{InForceOn: d("2025-03-01")}, "EP1234567B1,US9123456B2"},
		{"InForceAfterExpiry", PatentFilter{InForceOn: d("2025-03-02")}, "US9123456B2"},
		{"SearchTitleWord", PatentFilter{Query: s("handover")}, "EP1234567B1"},
		{"SearchTitlePrefixAndOwner", PatentFilter{Query: s("beam nok")}, "US9123456B2"},
		{"SearchAlias", PatentFilter{Query: s("Beijing Xiaomi")}, "CN105123456A"},
		{"SearchNumberPrefix", PatentFilter{Query: s("EP12345")}, "EP1234567B1"},
		{"SearchNumberInOtherNotation", PatentFilter{Query: s("US 9,123,456 B2")}, "US9123456B2"},
		{"SearchDigitsOnly", PatentFilter{Query: s("9123456")}, "US9123456B2"},
		{"SearchFTSSyntaxIsInert", PatentFilter{Query: s(`title:"x" OR NEAR(`)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list, _, err := f.db.Patents(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(list); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("InForceFilterAgreesWithTheDomainRule", func(t *testing.T) {
		all, _, _ := f.db.Patents(ctx, PatentFilter{})
		for _, day := range []string{"2009-06-09", "2009-06-10", "2017-01-01", "2020-02-29", "2020-03-01", "2025-03-01", "2025-03-02", "2034-06-30", "2034-07-01"} {
			var want []string
			for _, r := range all {
				if r.InForce(licensing.MustDate(day)) {
					want = append(want, r.Normalized)
				}
			}
			list, _, _ := f.db.Patents(ctx, PatentFilter{InForceOn: d(day)})
			if got := numbers(list); got != strings.Join(want, ",") {
				t.Errorf("%s: SQL says %s, licensing.InForce says %s", day, got, strings.Join(want, ","))
			}
		}
	})
}

func TestPatentPaging(t *testing.T) {
	ctx := context.Background()
	f := newPatentFixture(t)
	for i := 0; i < 23; i++ {
		filed := licensing.MustDate("2001-01-01").AddDays(i * 37 % 400)
		f.create(t, &licensing.Patent{Number: fmt.Sprintf("EP%07dB1", 2000000+i*7919%1000), Title: fmt.Sprintf("Invention %c%d", 'A'+rune(i*5%26), i),
			FiledOn: filed, Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID})
	}
	for _, sort := range []PatentSort{SortNumber, SortTitle, SortOffice, SortStatus, SortFiled, SortExpiry} {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/desc=%v", sort, desc), func(t *testing.T) {
				whole, _, err := f.db.Patents(ctx, PatentFilter{Sort: sort, Desc: desc, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				var paged []*PatentRecord
				cur, inserted := "", 0
				for {
					page, next, err := f.db.Patents(ctx, PatentFilter{Sort: sort, Desc: desc, Cursor: cur, Limit: 4})
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, page...)
					if next == "" {
						break
					}
					cur = next
					// Inserting elsewhere in the order must not repeat or skip rows.
					p := f.create(t, &licensing.Patent{Number: fmt.Sprintf("WO2099%06d", inserted), Title: "Later", Status: licensing.StatusPending, OriginalOwnerID: f.xiaomi.ID})
					defer f.db.DeletePatent(ctx, CLIActor(), p.ID)
					inserted++
				}
				var got []string
				for _, r := range paged {
					if !strings.HasPrefix(r.Normalized, "WO2099") {
						got = append(got, r.Normalized)
					}
				}
				want := strings.Split(numbers(whole), ",")
				if !slices.Equal(got, want) {
					t.Errorf("paged order differs from the whole list\n got %v\nwant %v", got, want)
				}
			})
		}
	}
	t.Run("BadCursorIsAClearError", func(t *testing.T) {
		_, _, err := f.db.Patents(ctx, PatentFilter{Cursor: "not-a-cursor"})
		wantCode(t, err, licensing.Invalid, "cursor")
	})
}
