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
	t.Run("LaterWritesStillCheckReferences", func(t *testing.T) {
		// The load writes on a connection that does not enforce foreign
		// keys; none of the pool's connections may do so afterwards.
		var conns []*sql.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for i := range 4 {
			c, err := db.sql.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			_, err = c.ExecContext(ctx, `INSERT INTO patent_labels (kind, value, patent_id, position) VALUES ('tag', 'x', 999999, 0)`)
			if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
				t.Errorf("connection %d: a label of no patent: %v; want a foreign key refusal", i, err)
			}
		}
	})
	t.Run("UnknownOwnerIsRefused", func(t *testing.T) {
		_, err := db.LoadPatents(ctx, SystemActor(), "test", func(yield func(*licensing.Patent) bool) {
			yield(&licensing.Patent{Number: "EP1000011B1", Title: "Orphan", Status: licensing.StatusGranted,
				FiledOn: licensing.MustDate("2015-03-01"), OriginalOwnerID: owner.ID + 1000})
		})
		if err == nil || !strings.Contains(err.Error(), "patent 1") {
			t.Errorf("a patent of no company: %v; want a refusal naming patent 1", err)
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

// rowValues runs query and returns every row's values as the driver gives
// them.
func rowValues(t *testing.T, db *DB, query string) [][]any {
	t.Helper()
	rows, err := db.sql.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// storedRows reads what the store holds of its patents, in a form that
// does not depend on ids or times: each patent's row, labels, chain of
// title and full-text terms (every term of every column at its place),
// keyed by number.
func storedRows(t *testing.T, db *DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT normalized, number, doc_number, office, kind, application_number, title, family,
			COALESCE(priority_on, ''), COALESCE(filed_on, ''), COALESCE(published_on, ''), COALESCE(granted_on, ''),
			COALESCE(expires_on, ''), COALESCE(expiry, ''), status, COALESCE(status_on, ''), sep, sep_reference,
			original_owner_id, owner_id FROM patents`,
		`SELECT p.normalized, l.kind, l.value, l.position FROM patent_labels l JOIN patents p ON p.id = l.patent_id`,
		`SELECT p.normalized, o.position, o.owner_id, o.from_on, o.to_on, COALESCE(o.assignment_id, 0)
			FROM patent_owners o JOIN patents p ON p.id = o.patent_id`,
		`SELECT p.normalized, v.term, v.col, v.offset FROM temp.search_terms v JOIN patents p ON p.id = v.doc`,
	} {
		if _, err := db.sql.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, patents_fts, 'instance')`); err != nil {
			t.Fatal(err)
		}
		for _, vals := range rowValues(t, db, q) {
			out = append(out, fmt.Sprint(vals...))
		}
	}
	slices.Sort(out)
	return out
}

// TestLoadPatentsStoresWhatCreatePatentStores: patents written by the bulk
// loader, into an empty table and then into one that holds patents, in
// batches and one by one, are stored exactly as CreatePatent stores them —
// the same row, labels (a value repeated in another case kept once), first
// holding and search terms.
func TestLoadPatentsStoresWhatCreatePatentStores(t *testing.T) {
	ctx := context.Background()
	var owners []int64
	bulk, single := openTestDB(t), openTestDB(t)
	for _, db := range []*DB{bulk, single} {
		owners = owners[:0]
		for _, c := range []*licensing.Company{
			{Name: "Nokia Technologies Oy", ShortName: "Nokia", Aliases: []string{"NOKIA TECH"}},
			{Name: "Xiaomi Inc.", ShortName: "Xiaomi"},
		} {
			if err := db.CreateCompany(ctx, SystemActor(), c); err != nil {
				t.Fatal(err)
			}
			owners = append(owners, c.ID)
		}
	}
	// More patents than one batch writes, some with lists of labels and
	// dates left out, numbers typed as people type them.
	patent := func(i int) *licensing.Patent {
		p := &licensing.Patent{Number: fmt.Sprintf("EP %d %03d %03d B1", 1+i/1_000_000, i/1000%1000, i%1000),
			Title: fmt.Sprintf("Beam management method %d", i), Status: licensing.StatusGranted,
			FiledOn: licensing.MustDate("2015-03-01").AddDays(i), OriginalOwnerID: owners[i%2], Family: fmt.Sprintf("F%04d", i/3)}
		switch i % 4 {
		case 0:
			p.Number, p.ApplicationNumber = fmt.Sprintf("US %d,%03d,%03d B2", 9, i/1000%1000, i%1000), fmt.Sprintf("US 15/%06d", i)
			p.Tags, p.CPC = []string{"5g", "cellular", "5G"}, []string{"H04W 72/04"}
		case 1:
			p.Tags, p.Standards, p.SEP, p.SEPReference = []string{"cellular"}, []string{"3GPP NR"}, true, "ISLD-2019-0001"
			p.DesignatedStates = []string{"DE", "FR", "FI"}
		case 2:
			p.FiledOn, p.Status, p.Number = licensing.Date{}, licensing.StatusPending, fmt.Sprintf("WO2019%06dA1", i)
		}
		return p
	}
	const n = 700
	first, second := func(yield func(*licensing.Patent) bool) {
		for i := range 400 {
			if !yield(patent(i)) {
				return
			}
		}
	}, func(yield func(*licensing.Patent) bool) {
		for i := 400; i < n; i++ {
			if !yield(patent(i)) {
				return
			}
		}
	}
	for _, part := range []func(func(*licensing.Patent) bool){first, second} {
		if _, err := bulk.LoadPatents(ctx, SystemActor(), "test", part); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if err := single.CreatePatent(ctx, SystemActor(), patent(i)); err != nil {
			t.Fatal(err)
		}
	}
	got, want := storedRows(t, bulk), storedRows(t, single)
	if len(want) < n*5 {
		t.Fatalf("only %d rows stored by CreatePatent", len(want))
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("bulk load stored %d rows, CreatePatent %d; first difference:\n%s\nwant\n%s", len(got), len(want), got[i], want[i])
			}
		}
		t.Fatalf("bulk load stored %d rows, CreatePatent %d", len(got), len(want))
	}
}

// TestLoadPatentsNamesTheFirstFaultyPatent: a load is refused at the first
// patent that cannot be written, as if each were written as it came, even
// when the patents before it wait in a batch: here the duplicate of an
// earlier number, not the unreadable number after it.
func TestLoadPatentsNamesTheFirstFaultyPatent(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	owner := &licensing.Company{Name: "Nokia Technologies Oy"}
	if err := db.CreateCompany(ctx, SystemActor(), owner); err != nil {
		t.Fatal(err)
	}
	numbers := []string{"EP1000001B1", "EP1000002B1", "EP1000003B1", "EP1000002B1", "not a number", "EP1000005B1"}
	_, err := db.LoadPatents(ctx, SystemActor(), "test", func(yield func(*licensing.Patent) bool) {
		for _, n := range numbers {
			if !yield(&licensing.Patent{Number: n, Title: "Handover", OriginalOwnerID: owner.ID}) {
				return
			}
		}
	})
	if err == nil || !strings.Contains(err.Error(), "patent 4 (EP1000002B1)") || !strings.Contains(err.Error(), "already recorded") {
		t.Errorf("load with a repeated number, then an unreadable one: %v; want patent 4 named as already recorded", err)
	}
	if list, _, _ := db.Patents(ctx, PatentFilter{}); len(list) != 0 {
		t.Errorf("%d patents kept from a refused load", len(list))
	}
}
