package web

import (
	"context"
	"sync"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// At a million patents the conflicts report takes some 20 s of CPU, and it
// stays the same until a record it reads changes or the day turns
// (statuses go stale with the date). So the server keeps the last report
// it counted, under the day and the records stamp it was counted for
// (conflictsStamp: marking an obligation's occurrence done does not move
// it), and counts a new one only when asked for a day or stamp it does not
// cover: one count at a time, on the server's lifetime, so that a start
// page that cannot wait for it leaves it running for the next visit.

// conflictKey is what a conflicts report was counted for: the day, and
// the newest audited record change it reads (conflictsStamp) then.
type conflictKey struct {
	today licensing.Date
	stamp int64
}

// conflictsChangesIgnored are the kinds of record change the conflicts
// do not read (conflicts_find.go): they judge grants, their agreements'
// terms and statuses, patents, owners and chains of title, and companies
// with their control links, and read no obligation and no document. So
// marking an occurrence done keeps the count.
const conflictsChangesIgnored = sqlite.ObligationChanges | sqlite.DocumentChanges

// conflictsStamp is the records stamp the conflicts are kept under: the
// newest audited change of a record they read.
func conflictsStamp(db *sqlite.DB) func(context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		stamps, err := db.RecordsStamps(ctx, conflictsChangesIgnored)
		if err != nil {
			return 0, err
		}
		return stamps[0], nil
	}
}

// covers reports whether a report counted for k answers for want: the same
// day, and no record changed after k's stamp that had changed by want's.
func (k conflictKey) covers(want conflictKey) bool {
	return k.today == want.today && k.stamp >= want.stamp
}

// countedConflicts is a finished conflicts report and when it was counted.
type countedConflicts struct {
	key    conflictKey
	report *conflictReport
	at     time.Time
}

// conflictCount is a count under way; done closes when it ends, err set.
type conflictCount struct {
	key  conflictKey
	done chan struct{}
	err  error
}

// conflictCache holds the last conflicts report counted and the count
// running, if any.
type conflictCache struct {
	find  func(ctx context.Context, today licensing.Date) (*conflictReport, error)
	stamp func(ctx context.Context) (int64, error)
	now   func() time.Time
	life  context.Context // ends with the server: a count stops with it
	stop  context.CancelFunc
	runs  sync.WaitGroup
	// counted runs after each count: the server gives back the memory a
	// count at a million patents took (some hundred megabytes).
	counted func()

	mu      sync.Mutex
	last    *countedConflicts
	running *conflictCount
	wanted  conflictKey // the key the next count is for
}

func newConflictCache(find func(context.Context, licensing.Date) (*conflictReport, error),
	stamp func(context.Context) (int64, error), now func() time.Time) *conflictCache {
	life, stop := context.WithCancel(context.Background())
	return &conflictCache{find: find, stamp: stamp, now: now, life: life, stop: stop}
}

// report returns the conflicts report of today as the records stand now:
// the cached one if no record changed since it was counted, else the one
// a count started (or joined) here finishes while ctx lasts. When ctx ends
// first, fresh is nil and the count goes on; last is the latest report
// counted, for an earlier day or stamp, or nil if none was ever counted.
// The stamp is read even when ctx has ended, so that a report in the cache
// is found however little time is left.
func (c *conflictCache) report(ctx context.Context, today licensing.Date) (fresh, last *countedConflicts, err error) {
	stamp, err := c.stamp(context.WithoutCancel(ctx))
	if err != nil {
		return nil, nil, err
	}
	key := conflictKey{today: today, stamp: stamp}
	for {
		c.mu.Lock()
		if c.last != nil && c.last.key.covers(key) {
			l := c.last
			c.mu.Unlock()
			return l, l, nil
		}
		if !c.wanted.covers(key) {
			c.wanted = key
		}
		if c.running == nil {
			c.start()
		}
		run, last := c.running, c.last
		c.mu.Unlock()
		if run == nil {
			return nil, last, nil // the server is shutting down
		}
		select {
		case <-run.done:
			if run.err != nil && run.key.covers(key) {
				if c.life.Err() != nil {
					return nil, last, nil
				}
				return nil, last, run.err
			}
		case <-ctx.Done():
			return nil, last, ctx.Err()
		}
	}
}

// start begins a count for c.wanted, unless the server is shutting down.
// When it ends and a later key is wanted by then (a record changed while it
// ran), the next count begins. c.mu is held.
func (c *conflictCache) start() {
	if c.life.Err() != nil {
		return
	}
	run := &conflictCount{key: c.wanted, done: make(chan struct{})}
	c.running = run
	c.runs.Add(1)
	go func() {
		defer c.runs.Done()
		report, err := c.find(c.life, run.key.today)
		c.mu.Lock()
		if err == nil {
			c.last = &countedConflicts{key: run.key, report: report, at: c.now()}
		}
		run.err, c.running = err, nil
		if !run.key.covers(c.wanted) {
			c.start()
		}
		c.mu.Unlock()
		close(run.done)
		if c.counted != nil {
			c.counted()
		}
	}()
}

// close stops the count running, if any, and waits for it to end.
func (c *conflictCache) close() {
	c.stop()
	c.runs.Wait()
}

// Close stops the server's work in the background (a conflicts count
// under way) and waits for it, so that the database can be closed after.
func (s *Server) Close() { s.conflicts.close() }

// currentConflicts is the conflicts report of today, from the cache when
// no record changed since it was counted, else counted now (or joined to
// the count running), waiting as long as ctx lets it.
func (s *Server) currentConflicts(ctx context.Context, today licensing.Date) (*conflictReport, error) {
	fresh, _, err := s.conflicts.report(ctx, today)
	switch {
	case err != nil:
		return nil, err
	case fresh == nil:
		return nil, context.Canceled // the server is shutting down
	}
	return fresh.report, nil
}
