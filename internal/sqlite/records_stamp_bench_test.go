package sqlite_test

import (
	"context"
	"os"
	"testing"

	"patentdesk/internal/sqlite"
)

// BenchmarkRecordsStamps reads the start page's stamps (five sets, as
// web/dashboard_memo.go asks for them) and the one that leaves out nothing, on
// the data set PATENTDESK_SCALE_DATA names (skipped without it).
func BenchmarkRecordsStamps(b *testing.B) {
	dir := os.Getenv("PATENTDESK_SCALE_DATA")
	if dir == "" {
		b.Skip("PATENTDESK_SCALE_DATA names no data directory made by patentdesk demo --scale")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fewer := sqlite.ObligationChanges | sqlite.DocumentChanges
	sets := []sqlite.ChangeKinds{fewer | sqlite.GrantChanges, sqlite.DocumentChanges | sqlite.GrantChanges, sqlite.DocumentChanges, fewer,
		fewer | sqlite.GrantChanges}
	b.Run("Stamps", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.RecordsStamps(ctx, sets...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Stamp", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.RecordsStamps(ctx, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
