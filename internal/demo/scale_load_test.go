package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/sqlite"
)

// TestAgreementLoadWritesWhatOneByOneWrites generates the same data set
// twice, once with the agreements written through the store's agreement
// load (one transaction) and once each agreement and each settlement in a
// transaction of its own through the ordinary audited writes, on a fixed
// clock, and compares every row of every table, the audit trail and the
// patents' full-text index's own tables among them. Only the demo
// accounts' password hashes differ (their passwords are drawn at random),
// and the agreements' full-text index is laid out in fewer segments (it
// writes out its pending rows at each commit): of it, every term of every
// agreement at its place is compared.
func TestAgreementLoadWritesWhatOneByOneWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("generates two data sets")
	}
	at := time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)
	generate := func(oneByOne bool) map[string][]string {
		db, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetClock(func() time.Time { return at })
		rep, err := scale(context.Background(), db, ScaleOptions{Patents: 6000, Seed: 3}, oneByOne)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Assignments == 0 || rep.Obligations == 0 || rep.Grants == 0 {
			t.Fatalf("report %+v: want sales, grants and obligations to compare", rep)
		}
		return dumpTables(t, db.Path())
	}
	load, single := generate(false), generate(true)
	if len(load) != len(single) || len(load) < 20 || len(single["agreement_terms"]) < 100 {
		t.Fatalf("%d tables against %d", len(load), len(single))
	}
	for table, want := range single {
		got := load[table]
		if len(got) != len(want) {
			t.Errorf("%s: %d rows through the load, %d one by one", table, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s, row %d:\nload:       %s\none by one: %s", table, i, got[i], want[i])
				break
			}
		}
	}
}

// dumpTables reads every row of every table of the database file at path,
// in key order, each row as one line; users without their password hash,
// the agreements' full-text index as its terms and their places
// (sameLayout).
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var tables []string
	rows, err := conn.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string][]string{}
	if _, err := conn.Exec(`CREATE VIRTUAL TABLE temp.agreement_terms USING fts5vocab(main, agreements_fts, 'instance')`); err != nil {
		t.Fatal(err)
	}
	tables = append(tables, "agreement_terms")
	for _, table := range tables {
		if !sameLayout(table) {
			continue
		}
		rows, err := conn.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		n := len(cols)
		order := make([]string, n)
		for i := range order {
			order[i] = fmt.Sprint(i + 1)
		}
		rows.Close()
		rows, err = conn.Query(`SELECT * FROM "` + table + `" ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var line []string
			for i, v := range vals {
				if table == "users" && cols[i] == "password_hash" || table == "agreements_fts_docsize" && cols[i] == "origin" {
					continue
				}
				if b, ok := v.([]byte); ok {
					v = fmt.Sprintf("%x", b)
				}
				line = append(line, fmt.Sprintf("%s=%v", cols[i], v))
			}
			out[table] = append(out[table], strings.Join(line, "|"))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// sameLayout is false for the tables that need not be alike: the
// agreements' full-text segments (compared as agreement_terms instead) and
// the migrations' times.
func sameLayout(table string) bool {
	return table != "agreements_fts_data" && table != "agreements_fts_idx" && table != "goose_db_version"
}
