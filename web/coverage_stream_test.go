package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"patentdesk/internal/csvio"
	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
)

// scaleCoverage is a generated data set and the coverage routes of its
// broadest licensee today, with the grants behind them.
func scaleCoverage(t *testing.T) (*Server, []coverageRoute, map[int64]*licensing.Grant) {
	t.Helper()
	ctx := context.Background()
	db, rep := demotest.World(t, 3000, 7)
	co, err := db.CompanyByName(ctx, rep.LargestLicensee)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{db: db, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := &coverageRequest{company: co, question: rights.CoverageQuestion{Company: co.ID, On: licensing.DateOf(time.Now())}}
	routes, grants, err := s.coverageRoutesOf(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	return s, routes, grants
}

// coverageCSV is the coverage download of the routes as bytes.
func coverageCSV(t *testing.T, rows func(write func([]string) error) error) []byte {
	t.Helper()
	var out bytes.Buffer
	if _, err := writeCSV(&out, csvio.WriterOptions{}, coverageHeader, rows, func() {}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The coverage download of a generated data set's broadest licensee (one
// data set for both tests, which takes a few seconds to generate).
func TestCoverageDownload(t *testing.T) {
	s, routes, grants := scaleCoverage(t)
	t.Run("IsThePagesRows", func(t *testing.T) { testCoverageDownloadIsThePagesRows(t, s, routes, grants) })
	t.Run("StopsWhenTheClientGoes", func(t *testing.T) { testCoverageDownloadStops(t, s, routes, grants) })
}

// The coverage download reads its routes on several connections at once,
// yet writes the rows the pages show, in their order, byte for byte the
// file one reader wrote before: with the settings it runs with, and with
// small chunks and no patience, so that readers run ahead, wait, end
// their statements while the writer is busy and read on after the last
// patent they handed over.
func testCoverageDownloadIsThePagesRows(t *testing.T, s *Server, routes []coverageRoute, grants map[int64]*licensing.Grant) {
	ctx := context.Background()
	want := coverageCSV(t, func(write func([]string) error) error {
		_, err := s.eachCoverageHit(ctx, routes, coverageCursor{}, 0, func(h coverageHit) error {
			return write(coverageRecord(routes, h, grants))
		})
		return err
	})
	if rows := bytes.Count(want, []byte("\r\n")) - 1; rows < 300 || len(routes) < 5 {
		t.Fatalf("the world is too small to tell: %d rows of %d routes", rows, len(routes))
	}
	defer func(readers, feeds, chunks, chunk int, hold time.Duration) {
		coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold = readers, feeds, chunks, chunk, hold
	}(coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold)
	for _, c := range []struct {
		name                         string
		readers, feeds, chunks, size int
		hold                         time.Duration
		slow                         bool
	}{
		{"AsConfigured", coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold, false},
		{"OneReader", 1, 1, 1, 100, coverageHold, false},
		{"ReadersPausedByASlowWriter", 3, 1, 1, 7, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold = c.readers, c.feeds, c.chunks, c.size, c.hold
			n := 0
			got := coverageCSV(t, func(write func([]string) error) error {
				return s.coverageRecords(ctx, routes, grants, func(record []string) error {
					if n++; c.slow && n%20 == 0 {
						time.Sleep(time.Millisecond)
					}
					return write(record)
				})
			})
			if !bytes.Equal(got, want) {
				t.Errorf("%d bytes, want %d; first difference at byte %d", len(got), len(want), firstDifference(got, want))
			}
		})
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A client that goes away in the middle of the download, or a request
// whose context ends, stops every reader: no goroutine is left behind and
// the database answers at once afterwards.
func testCoverageDownloadStops(t *testing.T, s *Server, routes []coverageRoute, grants map[int64]*licensing.Grant) {
	defer func(readers, feeds, chunks, chunk int, hold time.Duration) {
		coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold = readers, feeds, chunks, chunk, hold
	}(coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold)
	// Small chunks and no patience, so that readers are waiting to hand
	// chunks over, some with their statements open, some paused.
	coverageReaders, coverageFeedsAhead, coverageChunksAhead, coverageChunk, coverageHold = 3, 1, 1, 7, 0
	before := runtime.NumGoroutine()
	errGone := errors.New("client gone")
	total := 0
	if err := s.coverageRecords(context.Background(), routes, grants, func([]string) error { total++; return nil }); err != nil {
		t.Fatal(err)
	}
	// Cut off at every few rows: in each route, at the edges of chunks.
	for cut := 1; cut < total; cut += 3 {
		n := 0
		err := s.coverageRecords(context.Background(), routes, grants, func([]string) error {
			if n++; n == cut {
				return errGone
			}
			return nil
		})
		if !errors.Is(err, errGone) || n != cut {
			t.Fatalf("client gone after %d rows: %d rows, %v", cut, n, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		n = 0
		err = s.coverageRecords(ctx, routes, grants, func([]string) error {
			if n++; n == cut {
				cancel()
			}
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("context ended after %d rows: %d rows, %v", cut, n, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := s.db.CountPatentsIn(ctx, routes[0].query); err != nil {
		t.Errorf("the database after the download: %v", err)
	}
}
