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
	benchSpreadFacts(b, db, func(ctx context.Context, id int64) (*PatentFacts, error) {
		return db.PatentFacts(ctx, id)
	})
}

// BenchmarkScalePatentFactsFor reads, as a rights check does, a patent and
// the facts of a question of Aurora Telecom Oyj (the broadest licensee of
// demo --scale) about it, for the same 200 patents as
// BenchmarkScalePatentFacts.
func BenchmarkScalePatentFactsFor(b *testing.B) {
	db := scaleDB(b)
	c, err := db.CompanyByName(context.Background(), "Aurora Telecom Oyj")
	if err != nil {
		b.Fatal(err)
	}
	benchSpreadFacts(b, db, func(ctx context.Context, id int64) (*PatentFacts, error) {
		rec, err := db.Patent(ctx, id)
		if err != nil {
			return nil, err
		}
		return db.PatentFactsFor(ctx, rec, c.ID)
	})
}

// benchSpreadFacts times read over 200 patents spread over the ids of the
// scale data set and reports the percentiles and the grants found.
func benchSpreadFacts(b *testing.B, db *DB, read func(ctx context.Context, id int64) (*PatentFacts, error)) {
	ctx := context.Background()
	n, err := db.CountPatents(ctx, PatentFilter{})
	if err != nil || n == 0 {
		b.Fatalf("%d patents, %v", n, err)
	}
	var took []time.Duration
	grants, i := 0, 0
	for b.Loop() {
		start := time.Now()
		f, err := read(ctx, int64(1+(i%200)*(n/200)))
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
