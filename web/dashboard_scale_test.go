package web

import (
	"cmp"
	"context"
	"syscall"
	"testing"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// BenchmarkScaleDashboard times the start page's figures and the
// deadlines page's reading on a data set made by "patentdesk demo --scale
// N" in the directory PATENTDESK_SCALE_DATA names (skipped without it),
// each part alone and then as the page counts them, with the CPU time
// each takes besides (wall time says little on a shared machine).
// docs/perf.md has the figures and the command.
func BenchmarkScaleDashboard(b *testing.B) {
	db := scaleDB(b)
	s := &Server{db: db, now: time.Now}
	ctx := context.Background()
	today := licensing.DateOf(time.Now())
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	run("Agreements", func() error { return s.countAgreements(ctx, today, &dashboardFigures{}) })
	run("Overdue", func() error {
		return s.countDueSoon(ctx, today, &dashboardFigures{})
	})
	run("Next", func() error { return s.nextDeadlines(ctx, today, &dashboardFigures{}) })
	run("PatentExpiries", func() error { return s.countPatentExpiries(ctx, today, &dashboardFigures{}) })
	run("Deadlines", func() error { return s.countDeadlines(ctx, today, &dashboardFigures{}) })
	run("Groups", func() error { return s.countGroups(ctx, today, &dashboardFigures{}) })
	// The start page's first visit after a change, the conflicts aside
	// (kept apart, conflicts_cache.go): the deadline figures and the
	// groups, counted at once as dashboardFigures counts them.
	run("Page", func() error {
		f, groups := &dashboardFigures{}, make(chan error, 1)
		go func() { groups <- s.countGroups(ctx, today, &dashboardFigures{}) }()
		err := s.countAgreements(ctx, today, f)
		if err == nil {
			err = s.countDeadlines(ctx, today, f)
		}
		return cmp.Or(err, <-groups)
	})
	run("DeadlinesPage", func() error {
		f := sqlite.DeadlineFilter{From: today, To: today.AddDays(deadlineDefaultDays), Today: today, Overdue: true,
			Portfolios: true, PatentLimit: deadlinePatentLimit}
		_, _, err := s.readDeadlines(ctx, f, deadlinesPerPage+1)
		return err
	})
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
