// Package demotest gives tests of other packages a database filled by the
// generator of patentdesk demo --scale.
package demotest

import (
	"context"
	"testing"

	"patentdesk/internal/demo"
	"patentdesk/internal/sqlite"
)

// World is a fresh database, closed when the test ends, holding what
// patentdesk demo --scale generates for patents and seed, and the
// generator's report.
func World(t testing.TB, patents int, seed uint64) (*sqlite.DB, *demo.ScaleReport) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rep, err := demo.Scale(ctx, db, demo.ScaleOptions{Patents: patents, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return db, rep
}
