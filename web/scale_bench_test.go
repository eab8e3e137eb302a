package web

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// scaleDB opens the data directory PATENTDESK_SCALE_DATA names, a data set
// made by "patentdesk demo --scale N", for the tests and benchmarks of the
// real shapes at scale; without it they are skipped. They only read.
func scaleDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	dir := os.Getenv("PATENTDESK_SCALE_DATA")
	if dir == "" {
		tb.Skip("PATENTDESK_SCALE_DATA names no data directory made by patentdesk demo --scale")
	}
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkScaleRightsCheck answers rights questions on a data set made by
// "patentdesk demo --scale N" in the directory PATENTDESK_SCALE_DATA
// names (skipped without it), the way the API and the command line do:
// may the broadest licensee of the data set practise each of 200 patents
// spread over the whole file, today, in the patent's country (Germany for
// an EP patent)? It reports the median and 95th percentile besides the
// mean: "Check" reads the facts from SQLite and runs the engine, "Engine"
// runs only the engine over facts read beforehand. docs/perf.md has the
// figures and the command.
func BenchmarkScaleRightsCheck(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	const company = "Aurora Telecom Oyj" // the broadest licensee of demo --scale
	n, err := db.CountPatents(ctx, sqlite.PatentFilter{})
	if err != nil || n == 0 {
		b.Fatalf("%d patents, %v", n, err)
	}
	licensee, err := db.CompanyByName(ctx, company)
	if err != nil {
		b.Fatal(err)
	}
	today := licensing.DateOf(time.Now())
	var requests []RightsRequest
	var facts []*rights.Facts
	var questions []rights.Question
	for k := range 200 {
		r, err := db.Patent(ctx, int64(1+k*(n/200)))
		if err != nil {
			b.Fatal(err)
		}
		req := RightsRequest{Company: company, Patent: strconv.FormatInt(r.ID, 10)}
		if r.Office == "EP" {
			req.Territory = "DE"
		}
		requests = append(requests, req)
		f, err := db.PatentFacts(ctx, r.ID)
		if err != nil {
			b.Fatal(err)
		}
		territory := req.Territory
		if territory == "" {
			territory = rights.DefaultTerritory(&r.Patent)
		}
		facts = append(facts, engineFacts(f))
		questions = append(questions, rights.Question{Company: licensee.ID, Territory: territory, On: today})
	}
	percentiles := func(b *testing.B, took []time.Duration) {
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	}
	b.Run("Check", func(b *testing.B) {
		var took []time.Duration
		i := 0
		for b.Loop() {
			start := time.Now()
			if _, err := CheckRights(ctx, db, requests[i%len(requests)], today); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
			i++
		}
		percentiles(b, took)
	})
	b.Run("Engine", func(b *testing.B) {
		var took []time.Duration
		i := 0
		for b.Loop() {
			start := time.Now()
			if _, err := rights.Check(questions[i%len(questions)], facts[i%len(facts)]); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
			i++
		}
		percentiles(b, took)
	})
}
