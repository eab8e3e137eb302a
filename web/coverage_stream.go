package web

import (
	"context"
	"errors"
	"sync"
	"time"

	"patentdesk/internal/sqlite"
)

// The coverage download reads its routes on coverageReaders connections at
// once while the handler's goroutine builds and writes the records: at a
// million patents SQLite's work on the routes (gathering each route's
// candidates, reading and testing each in force) is two thirds of the
// time, and on one goroutine it waited for the CSV and the client and they
// for it. The rows still go out in the page's order, route by route and by
// id within each, and memory stays bounded: a reader runs at most
// coverageFeedsAhead routes ahead of the one being written, and holds at
// most coverageChunksAhead chunks of a route.
var (
	coverageReaders     = 2
	coverageFeedsAhead  = 2
	coverageChunksAhead = 16
	coverageChunk       = 512
	// coverageHold is how long a reader may wait, its statement open, for
	// room to hand a chunk over; then it ends the statement and later reads
	// on from the chunk's last patent in a new one, so that a slow client
	// never holds a read transaction open against the checkpointer. About
	// as long as a large route's statement runs anyway; a new statement
	// gathers the route's candidates again, which is why it is not zero.
	coverageHold = 250 * time.Millisecond
)

// coverageFeed is one route's patents, in id order, in chunks; chunks is
// closed at the route's end, after err is set if reading failed.
type coverageFeed struct {
	route  int
	chunks chan []*sqlite.PatentRecord
	err    error
}

// errCoveragePaused ends a route's statement while the writer is busy.
var errCoveragePaused = errors.New("coverage reader paused")

// streamCoverageHits calls fn for every patent of the routes in the order
// eachCoverageHit gives them, reading the routes concurrently. When fn
// fails or ctx ends, every reader stops and has given its connection back
// before it returns.
func (s *Server) streamCoverageHits(ctx context.Context, routes []coverageRoute, fn func(coverageHit) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	feeds := make(chan *coverageFeed, coverageFeedsAhead)
	var mu sync.Mutex
	next := 0
	// take hands out the next route and queues its feed for the writer:
	// under one lock, so that the feeds queue in the routes' order.
	take := func() *coverageFeed {
		mu.Lock()
		defer mu.Unlock()
		if next == len(routes) {
			return nil
		}
		f := &coverageFeed{route: next, chunks: make(chan []*sqlite.PatentRecord, coverageChunksAhead)}
		select {
		case feeds <- f:
			next++
			return f
		case <-ctx.Done():
			return nil
		}
	}
	var readers sync.WaitGroup
	for range max(coverageReaders, 1) {
		wg.Add(1)
		readers.Add(1)
		go func() {
			defer wg.Done()
			defer readers.Done()
			for f := take(); f != nil; f = take() {
				f.err = s.readCoverageRoute(ctx, routes[f.route].query, f.chunks)
				close(f.chunks)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		readers.Wait()
		close(feeds)
	}()
	hits := make([]coverageHit, 0, coverageChunk)
	for f := range feeds {
		for chunk := range f.chunks {
			hits = hits[:0]
			for _, rec := range chunk {
				hits = append(hits, coverageHit{route: f.route, rec: rec})
			}
			if err := s.setUntil(ctx, routes, hits); err != nil {
				return err
			}
			for _, h := range hits {
				if err := fn(h); err != nil {
					return err
				}
			}
		}
		if f.err != nil {
			return f.err
		}
	}
	return ctx.Err()
}

// readCoverageRoute reads the patents of q in id order into chunks on out.
// Where out has no room for coverageHold, it ends its statement before it
// waits, and reads on after the last patent handed over.
func (s *Server) readCoverageRoute(ctx context.Context, q sqlite.PatentSetQuery, out chan<- []*sqlite.PatentRecord) error {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	// handOver sends chunk if out has room within coverageHold.
	handOver := func(chunk []*sqlite.PatentRecord) (bool, error) {
		select {
		case out <- chunk:
			return true, nil
		default:
		}
		if timer == nil {
			timer = time.NewTimer(coverageHold)
		} else {
			timer.Reset(coverageHold)
		}
		select {
		case out <- chunk:
			timer.Stop()
			return true, nil
		case <-timer.C:
			return false, nil
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	send := func(chunk []*sqlite.PatentRecord) error {
		select {
		case out <- chunk:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		chunk := make([]*sqlite.PatentRecord, 0, coverageChunk)
		err := s.db.EachPatentHeadIn(ctx, q, func(rec *sqlite.PatentRecord) error {
			if chunk = append(chunk, rec); len(chunk) < coverageChunk {
				return nil
			}
			sent, err := handOver(chunk)
			switch {
			case err != nil:
				return err
			case !sent:
				return errCoveragePaused
			}
			chunk = make([]*sqlite.PatentRecord, 0, coverageChunk)
			return nil
		})
		if errors.Is(err, errCoveragePaused) {
			// The statement has ended; wait without it, then read on.
			q.After = chunk[len(chunk)-1].ID
			if err := send(chunk); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if len(chunk) > 0 {
			return send(chunk)
		}
		return nil
	}
}
