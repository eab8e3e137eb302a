package sqlite

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"
)

// scaleDB opens the data directory PATENTDESK_SCALE_DATA names, a data set
// made by "patentdesk demo --scale N", for benchmarks of the real shapes
// at scale; without it the benchmark is skipped. The benchmarks only read.
func scaleDB(b *testing.B) *DB {
	b.Helper()
	dir := os.Getenv("PATENTDESK_SCALE_DATA")
	if dir == "" {
		b.Skip("PATENTDESK_SCALE_DATA names no data directory made by patentdesk demo --scale")
	}
	db, err := Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// reportPercentiles reports the median and 95th percentile of the
// durations a scale benchmark took, in milliseconds.
func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
}

// BenchmarkScaleExport reads every patent as the CSV export does and
// reports rows per second.
func BenchmarkScaleExport(b *testing.B) {
	db := scaleDB(b)
	rows := 0
	for b.Loop() {
		rows = 0
		if err := db.EachPatent(context.Background(), PatentFilter{}, func(*PatentRecord) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
