package demo

import (
	"context"
	"os"
	"strconv"
	"testing"

	"patentdesk/internal/sqlite"
)

// BenchmarkScale generates a synthetic data set of 20,000 patents, or as
// many as PATENTDESK_BENCH_PATENTS says.
func BenchmarkScale(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("PATENTDESK_BENCH_PATENTS")); err == nil && v > 0 {
		n = v
	}
	for b.Loop() {
		db, err := sqlite.Open(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Scale(context.Background(), db, ScaleOptions{Patents: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
