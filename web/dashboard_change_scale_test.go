package web

import (
	"context"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// BenchmarkScaleFirstVisitAfterChange times what the start page counts
// again on its first visit after a change of each kind (the parts whose
// stamps the change moves, dashboard_memo.go), on the data set of
// PATENTDESK_SCALE_DATA (skipped without it), with the CPU time besides.
// The conflicts, counted in the background, are apart: a mark done keeps
// them, a grant or a patent counts them again.
func BenchmarkScaleFirstVisitAfterChange(b *testing.B) {
	db := scaleDB(b)
	s := &Server{db: db, now: time.Now}
	ctx := context.Background()
	today := licensing.DateOf(time.Now())
	for _, c := range []struct {
		name  string
		parts []dashboardPart
	}{
		{"MarkDone", []dashboardPart{partDueSoon, partNext}},
		{"Grant", []dashboardPart{partNext, partExpiries}},
		{"Patent", []dashboardPart{partAgreements, partDueSoon, partNext, partExpiries, partGroups}},
	} {
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := s.countParts(ctx, today, &dashboardFigures{}, c.parts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
