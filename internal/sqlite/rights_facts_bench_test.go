package sqlite

import (
	"context"
	"testing"
	"time"
)

// BenchmarkScalePatentFacts reads the rights facts of 200 patents spread
// over the ids of a demo --scale data set, one after another, and reports
// the median and 95th percentile of a read and the grants it found.
func BenchmarkScalePatentFacts(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	n, err := db.CountPatents(ctx, PatentFilter{})
	if err != nil || n == 0 {
		b.Fatalf("%d patents, %v", n, err)
	}
	var took []time.Duration
	grants, i := 0, 0
	for b.Loop() {
		start := time.Now()
		f, err := db.PatentFacts(ctx, int64(1+(i%200)*(n/200)))
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		grants += len(f.Grants)
		i++
	}
	reportPercentiles(b, took)
	b.ReportMetric(float64(grants)/float64(i), "grants/op")
}

// BenchmarkScalePatentFactsFor reads, as a rights check does, a patent and
// the facts of a question of Aurora Telecom Oyj (the broadest licensee of
// demo --scale) about it, for the same 200 patents as
// BenchmarkScalePatentFacts.
func BenchmarkScalePatentFactsFor(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	n, err := db.CountPatents(ctx, PatentFilter{})
	if err != nil || n == 0 {
		b.Fatalf("%d patents, %v", n, err)
	}
	c, err := db.CompanyByName(ctx, "Aurora Telecom Oyj")
	if err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	grants, i := 0, 0
	for b.Loop() {
		start := time.Now()
		rec, err := db.Patent(ctx, int64(1+(i%200)*(n/200)))
		if err != nil {
			b.Fatal(err)
		}
		f, err := db.PatentFactsFor(ctx, rec, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		grants += len(f.Grants)
		i++
	}
	reportPercentiles(b, took)
	b.ReportMetric(float64(grants)/float64(i), "grants/op")
}
