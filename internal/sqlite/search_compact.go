package sqlite

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Every write of a search row leaves, at its commit, a small segment of the
// full-text index beside the large one; FTS5 merges them only once four
// share a level, so a server taking steady writes carries a dozen or two. A
// search that walks the patents in their sort order looks each one up in
// every segment: at a million patents with nineteen segments that is some
// 190 µs a patent, with one 15 µs. The compactor below merges the segments
// of each level as soon as there are two (the index's 'usermerge', set to 2
// by migration 00010), a few hundred pages at a time, each step a short
// write of its own in this process's write queue. The small segments merge
// among themselves, and into the large one only once they have grown to a
// size of its order, so the work stays in proportion to what was written.
// Segments left each on a level of its own (five or so after a burst of
// writes) are merged into one once the writes have stopped for a while:
// that rewrites the whole index (some 90 MB and 5 s of CPU at a million
// patents, in steps), which is worth it only when it will last.

// SearchPolicy says when the segments of the full-text index are merged.
type SearchPolicy struct {
	// Every is how often the number of segments is looked at.
	Every time.Duration
	// Segments is the number of segments above which they are merged.
	Segments int
	// Pages is how many pages of the index one step of the merge writes.
	Pages int
	// Pause is the time between two steps, left to the other writers.
	Pause time.Duration
	// Settled is how long the number of segments must stay the same (no
	// write, no merge) before the segments left are merged into one.
	Settled time.Duration
}

// DefaultSearchPolicy is what serve runs: a look every five seconds (a
// count over some thousands of index rows at a million patents), a merge
// once there are more than two segments, 256 pages a step (some tens of
// milliseconds), a pause of 20 ms between steps, and one segment after a
// minute without writes.
var DefaultSearchPolicy = SearchPolicy{Every: 5 * time.Second, Segments: 2, Pages: 256, Pause: 20 * time.Millisecond,
	Settled: time.Minute}

// SearchSegments is how many segments the full-text index of the patents
// has now. The search's planner takes the number into account from then
// on: each segment is one more place a patent is looked up.
func (db *DB) SearchSegments(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM patents_fts_idx`).Scan(&n)
	if err == nil {
		db.segments.Store(int64(n))
	}
	return n, err
}

// KeepSearchCompact runs until ctx ends, merging the segments of the
// full-text index whenever it has more than p.Segments.
func (db *DB) KeepSearchCompact(ctx context.Context, p SearchPolicy, log *slog.Logger) error {
	if p.Every <= 0 || p.Segments <= 0 || p.Pages <= 0 || p.Pause < 0 || p.Settled <= 0 {
		// A programming error, not a message for users.
		return errors.New("every value of the search policy must be positive")
	}
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	seen, since := 0, time.Now() // the number of segments last seen, and since when
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		segments, err := db.SearchSegments(ctx)
		if err != nil {
			return ignoreEnd(ctx, err)
		}
		if segments != seen {
			seen, since = segments, time.Now()
		}
		whole := segments > 1 && time.Since(since) >= p.Settled
		if segments <= p.Segments && !whole {
			continue
		}
		start := time.Now()
		steps, err := db.CompactSearch(ctx, p.Pages, p.Pause, whole)
		if err != nil {
			return ignoreEnd(ctx, err)
		}
		if steps > 1 { // the first step found something to merge
			log.Info("search index merged", "segments_before", segments, "into_one", whole, "steps", steps,
				"took", time.Since(start).Round(time.Millisecond))
		}
	}
}

// CompactSearch merges the segments of the full-text index that share a
// level, or with whole every segment into one, pages pages a step, pausing
// between steps, until nothing is left to merge, and reports the steps
// taken. The index answers every search the same before, during and after.
func (db *DB) CompactSearch(ctx context.Context, pages int, pause time.Duration, whole bool) (int, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// A negative number of pages starts merging every segment, whatever
	// its level; a positive one goes on with a merge begun, or merges the
	// segments of a level. A step that changes fewer than two rows found
	// nothing left to merge (FTS5's documented signal, read from
	// total_changes).
	arg := pages
	if whole {
		arg = -pages
	}
	for steps := 1; ; steps++ {
		if err := db.takeWriter(ctx); err != nil {
			return steps - 1, err
		}
		var before, after int64
		err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before)
		if err == nil {
			_, err = conn.ExecContext(ctx, `INSERT INTO patents_fts (patents_fts, rank) VALUES ('merge', ?)`, arg)
		}
		if err == nil {
			err = conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after)
		}
		db.releaseWriter()
		if err != nil {
			return steps, err
		}
		if after-before < 2 {
			return steps, nil
		}
		arg = pages
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return steps, ctx.Err()
		}
	}
}
