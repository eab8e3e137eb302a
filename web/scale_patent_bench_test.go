package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/static"
	"patentdesk/templates"
)

// BenchmarkScalePatentPage builds the pages of 200 patents spread over
// the whole file of a data set made by "patentdesk demo --scale N" in the
// directory PATENTDESK_SCALE_DATA names (skipped without it), the way
// patentShow does, HTTP and the session aside: the patent read, every
// panel read and the page rendered. It reports the median and 95th
// percentile besides the mean; docs/perf.md has the figures and the
// command.
func BenchmarkScalePatentPage(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	assets, err := static.Load()
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{db: db, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil)), assets: assets}
	n, err := db.CountPatents(ctx, sqlite.PatentFilter{})
	if err != nil || n == 0 {
		b.Fatalf("%d patents, %v", n, err)
	}
	var spread []int64
	for k := range 200 {
		spread = append(spread, int64(1+k*(n/200)))
	}
	l := i18n.For("en")
	today := licensing.DateOf(time.Now())
	var took []time.Duration
	var buf bytes.Buffer
	i := 0
	for b.Loop() {
		start := time.Now()
		r, err := db.Patent(ctx, spread[i%len(spread)])
		if err != nil {
			b.Fatal(err)
		}
		v, err := s.patentDetailView(ctx, l, r, today)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		p := templates.Page{L: l, Title: v.Row.Number, Section: "patents", Asset: assets.Path, Path: "/patents", Today: time.Now()}
		if err := templates.PatentDetail(p, v).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
