package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

func indexNames(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.sql.Query(`SELECT name || ':' || COALESCE(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestLoadPatents: a bulk load writes patents as the audited path does —
// searchable by number and owner alias, in the owner's holdings, with
// labels — leaves the schema as it was, and refuses the whole load for
// one bad patent.
func TestLoadPatents(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	owner := &licensing.Company{Name: "Nokia Technologies Oy", Aliases: []string{"NOKIA TECH"}}
	if err := db.CreateCompany(ctx, SystemActor(), owner); err != nil {
		t.Fatal(err)
	}
	schema := indexNames(t, db)
	patents := func(numbers ...string) func(func(*licensing.Patent) bool) {
		return func(yield func(*licensing.Patent) bool) {
			for _, n := range numbers {
				p := &licensing.Patent{Number: n, Title: "Beam management " + n, Status: licensing.StatusGranted,
					FiledOn: licensing.MustDate("2015-03-01"), OriginalOwnerID: owner.ID, Tags: []string{"5g", "cellular"}}
				if !yield(p) {
					return
				}
			}
		}
	}

	t.Run("BadPatentRefusesTheWholeLoad", func(t *testing.T) {
		_, err := db.LoadPatents(ctx, SystemActor(), "test", patents("EP1000001B1", "not a number", "EP1000002B1"))
		if err == nil || !strings.Contains(err.Error(), "patent 2") {
			t.Fatalf("load with a bad number: %v; want an error naming patent 2", err)
		}
		if list, _, _ := db.Patents(ctx, PatentFilter{}); len(list) != 0 {
			t.Errorf("%d patents kept from a refused load", len(list))
		}
		if got := indexNames(t, db); !slices.Equal(got, schema) {
			t.Errorf("indexes after a refused load:\n%v\nwant\n%v", got, schema)
		}
	})
	t.Run("LoadedPatentsAreFoundEverywhere", func(t *testing.T) {
		n, err := db.LoadPatents(ctx, SystemActor(), "test", patents("EP1000001B1", "US 9,100,001 B2", "EP 1 000 003 B1"))
		if err != nil || n != 3 {
			t.Fatalf("load: %d, %v", n, err)
		}
		if got := indexNames(t, db); !slices.Equal(got, schema) {
			t.Errorf("indexes after a load:\n%v\nwant\n%v", got, schema)
		}
		for _, q := range []string{"US9100001", "NOKIA TECH", "beam"} {
			if list, _, err := db.Patents(ctx, PatentFilter{Query: &q}); err != nil || len(list) == 0 {
				t.Errorf("search %q: %d patents, %v", q, len(list), err)
			}
		}
		tag := "5g"
		if list, _, _ := db.Patents(ctx, PatentFilter{OwnerIDs: []int64{owner.ID}, Tag: &tag}); len(list) != 3 {
			t.Errorf("owner's 5g patents: %d, want 3", len(list))
		}
		p, err := db.PatentByNumber(ctx, "EP1000003B1")
		if err != nil || p.Owner != owner.Name || !slices.Equal(p.Tags, []string{"5g", "cellular"}) {
			t.Errorf("EP1000003B1: %+v, %v", p, err)
		}
		title, err := db.ChainOfTitle(ctx, p.ID)
		if err != nil || len(title.Chain) != 1 || title.Chain[0].OwnerID != owner.ID {
			t.Errorf("chain of title %+v, %v; want the owner since filing", title, err)
		}
		if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
			t.Errorf("check: %v %v", problems, err)
		}
	})
	t.Run("DuplicateNumberIsRefused", func(t *testing.T) {
		_, err := db.LoadPatents(ctx, SystemActor(), "test", patents("EP1000009B1", "EP1000001B1"))
		if err == nil || !strings.Contains(err.Error(), "already recorded") {
			t.Errorf("load of a recorded number: %v", err)
		}
	})
}
