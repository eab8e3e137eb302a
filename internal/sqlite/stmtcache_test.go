package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// openOneConn opens a database of the caching driver on one connection,
// so that every statement meets the same cache.
func openOneConn(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(driverName, dsn(filepath.Join(t.TempDir(), "cache.db"), busyTimeout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func sum(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) int {
	t.Helper()
	rows, err := q.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		total += v
	}
	return total
}

func TestStatementCache(t *testing.T) {
	const query = `SELECT v FROM n WHERE v >= ? ORDER BY v`
	t.Run("ReusedStatementAnswersWithNewArguments", func(t *testing.T) {
		db := openOneConn(t)
		for from, want := range map[int]int{1: 6, 2: 5, 3: 3, 4: 0} {
			if got := sum(t, db, query, from); got != want {
				t.Errorf("sum from %d = %d, want %d", from, got, want)
			}
		}
	})
	t.Run("SameTextWhileItsRowsAreOpen", func(t *testing.T) {
		// The same query inside the loop over its own rows, on the same
		// connection: the open rows must not be reset under the loop.
		db := openOneConn(t)
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rows, err := tx.Query(query, 1)
		if err != nil {
			t.Fatal(err)
		}
		var outer, inner []int
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			outer = append(outer, v)
			inner = append(inner, sum(t, tx, query, v))
		}
		rows.Close()
		if fmt.Sprint(outer, inner) != "[1 2 3] [6 5 3]" {
			t.Errorf("outer %v, inner %v; want [1 2 3] [6 5 3]", outer, inner)
		}
	})
	t.Run("EvictedWhileInUse", func(t *testing.T) {
		db := openOneConn(t)
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rows, err := tx.Query(query, 2)
		if err != nil {
			t.Fatal(err)
		}
		// More distinct texts than the cache holds push the open one out.
		for i := range stmtCacheSize + 10 {
			if got := sum(t, tx, fmt.Sprintf(`SELECT v + %d FROM n WHERE v = 1`, i)); got != i+1 {
				t.Fatalf("query %d = %d", i, got)
			}
		}
		total := 0
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			total += v
		}
		if err := rows.Close(); err != nil || total != 5 {
			t.Errorf("rows of the evicted statement summed to %d (%v), want 5", total, err)
		}
		if got := sum(t, tx, query, 3); got != 3 {
			t.Errorf("the query again after eviction = %d, want 3", got)
		}
	})
	t.Run("ScriptsOfSeveralStatements", func(t *testing.T) {
		db := openOneConn(t)
		for range 2 {
			if _, err := db.Exec(`INSERT INTO n VALUES (10); INSERT INTO n VALUES (20)`); err != nil {
				t.Fatal(err)
			}
		}
		if got := sum(t, db, query, 10); got != 60 {
			t.Errorf("after two scripts: %d, want 60", got)
		}
	})
}
