package web

import (
	"context"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// BenchmarkScaleConflicts finds every conflict of a data set made by
// "patentdesk demo --scale N" in the directory PATENTDESK_SCALE_DATA
// names (skipped without it), as the conflicts page and the start page
// do. docs/perf.md has the figures and the command.
func BenchmarkScaleConflicts(b *testing.B) {
	s := &Server{db: scaleDB(b)}
	today := licensing.DateOf(time.Now())
	for b.Loop() {
		report, err := s.findConflicts(context.Background(), today)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(report.items)), "conflicts")
	}
}
