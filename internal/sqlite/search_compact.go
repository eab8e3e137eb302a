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
}

// DefaultSearchPolicy is what serve runs: a look every five seconds (a
// count over some thousands of index rows at a million patents), a merge
// once there are more than two segments, 256 pages a step (some tens of
// milliseconds), a pause of 20 ms between steps.
var DefaultSearchPolicy = SearchPolicy{Every: 5 * time.Second, Segments: 2, Pages: 256, Pause: 20 * time.Millisecond}

// SearchSegments is how many segments the full-text index of the patents
// has now.
func (db *DB) SearchSegments(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM patents_fts_idx`).Scan(&n)
	return n, err
}

// KeepSearchCompact runs until ctx ends, merging the segments of the
// full-text index whenever it has more than p.Segments.
func (db *DB) KeepSearchCompact(ctx context.Context, p SearchPolicy, log *slog.Logger) error {
	if p.Every <= 0 || p.Segments <= 0 || p.Pages <= 0 || p.Pause < 0 {
		// A programming error, not a message for users.
		return errors.New("every value of the search policy must be positive")
	}
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
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
		if segments <= p.Segments {
			continue
		}
		start := time.Now()
		steps, err := db.CompactSearch(ctx, p.Pages, p.Pause)
		if err != nil {
			return ignoreEnd(ctx, err)
		}
		if steps > 1 { // the first step found something to merge
			log.Info("search index merged", "segments_before", segments, "steps", steps, "took", time.Since(start).Round(time.Millisecond))
		}
	}
}

// CompactSearch merges the segments of the full-text index that share a
// level, pages pages a step, pausing between steps, until no level holds
// two, and reports the steps taken. The index answers every search the same
// before, during and after.
func (db *DB) CompactSearch(ctx context.Context, pages int, pause time.Duration) (int, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// A step that changes fewer than two rows found nothing left to merge
	// (FTS5's documented signal, read from total_changes).
	for steps := 1; ; steps++ {
		select {
		case db.writer <- struct{}{}:
		case <-ctx.Done():
			return steps - 1, ctx.Err()
		}
		var before, after int64
		err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before)
		if err == nil {
			_, err = conn.ExecContext(ctx, `INSERT INTO patents_fts (patents_fts, rank) VALUES ('merge', ?)`, pages)
		}
		if err == nil {
			err = conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after)
		}
		<-db.writer
		if err != nil {
			return steps, err
		}
		if after-before < 2 {
			return steps, nil
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return steps, ctx.Err()
		}
	}
}
