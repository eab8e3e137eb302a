package sqlite

import (
	"context"
	"database/sql"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// residentBytes is the process's resident memory, from /proc.
func residentBytes(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	pages, err := strconv.ParseInt(strings.Fields(string(b))[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * int64(os.Getpagesize())
}

// TestReleaseMemoryEmptiesIdleCaches: after a burst of reads on several
// connections, each keeps its pages (up to 2 MB) while it waits in the
// pool; ReleaseMemory empties the idle ones, and the process's resident
// memory falls by most of what they held. A connection in use is left
// alone, and the emptied ones read as before.
func TestReleaseMemoryEmptiesIdleCaches(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	// A table of some 6 MB: more than one connection's cache.
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE filler (id INTEGER PRIMARY KEY, pad BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24000)
		INSERT INTO filler SELECT i, randomblob(200) FROM n`); err != nil {
		t.Fatal(err)
	}
	const readers = 8
	busy, err := db.sql.Conn(ctx) // in use throughout: not to be touched
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	fill := func() {
		t.Helper()
		conns := make([]*sql.Conn, 0, readers)
		for range readers {
			c, err := db.sql.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			var n, total int64
			if err := c.QueryRowContext(ctx, `SELECT count(*), sum(length(pad)) FROM filler`).Scan(&n, &total); err != nil {
				t.Fatal(err)
			}
			if n != 24000 || total != 24000*200 {
				t.Fatalf("read %d rows of %d bytes, want 24000 of 4800000", n, total)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
	fill()
	debug.FreeOSMemory()
	held := residentBytes(t)
	n, err := db.ReleaseMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < readers {
		t.Fatalf("%d idle connections emptied, want at least the %d readers", n, readers)
	}
	debug.FreeOSMemory()
	after := residentBytes(t)
	// Eight caches of 2 MB each; at least half of it must be given back.
	if freed := held - after; freed < readers*1<<20 {
		t.Fatalf("resident memory %d → %d bytes: %d freed, want at least %d", held, after, freed, readers*1<<20)
	}
	var ok int
	if err := busy.QueryRowContext(ctx, `SELECT count(*) FROM filler`).Scan(&ok); err != nil || ok != 24000 {
		t.Fatalf("the connection in use: %d rows, %v", ok, err)
	}
	fill() // the emptied connections read as before
}
