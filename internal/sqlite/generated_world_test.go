package sqlite_test

import (
	"context"
	"testing"

	"patentdesk/internal/demo"
	"patentdesk/internal/sqlite"
)

// generatedWorld is a fresh database holding what patentdesk demo --scale
// generates for patents and seed, and the generator's report.
func generatedWorld(t *testing.T, patents int, seed uint64) (*sqlite.DB, *demo.ScaleReport) {
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
