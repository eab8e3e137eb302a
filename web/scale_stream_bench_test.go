package web

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// BenchmarkScaleStreams streams the two large CSV downloads of a data set
// made by "patentdesk demo --scale N" in the directory
// PATENTDESK_SCALE_DATA names (skipped without it) into io.Discard, the
// way their handlers do, HTTP aside: "Patents" is the export of every
// patent (/patents.csv), "Coverage" the coverage of Aurora Telecom Oyj,
// the broadest licensee of the data set, today (/companies/ID/coverage.csv).
// Each reports rows/s; docs/perf.md has the figures and the command.
func BenchmarkScaleStreams(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	s := &Server{db: db, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	stream := func(b *testing.B, header []string, rows func(write func([]string) error) error) {
		n := 0
		for b.Loop() {
			var err error
			if n, err = writeCSV(io.Discard, csvio.WriterOptions{}, header, rows, func() {}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("Patents", func(b *testing.B) {
		stream(b, csvio.NativeHeader(csvio.KindPatents), func(write func([]string) error) error {
			return db.EachPatent(ctx, sqlite.PatentFilter{}, func(rec *sqlite.PatentRecord) error {
				return write(csvio.PatentRow(csvio.PatentRecordOf(&rec.Patent, rec.Owner, rec.OriginalOwner)))
			})
		})
	})
	b.Run("Coverage", func(b *testing.B) {
		co, err := db.CompanyByName(ctx, "Aurora Telecom Oyj")
		if err != nil {
			b.Fatal(err)
		}
		r := &coverageRequest{company: co, question: rights.CoverageQuestion{Company: co.ID, On: licensing.DateOf(time.Now())}}
		stream(b, coverageHeader, func(write func([]string) error) error {
			routes, grants, err := s.coverageRoutesOf(ctx, r)
			if err != nil {
				return err
			}
			return s.coverageRecords(ctx, routes, grants, write)
		})
	})
}
