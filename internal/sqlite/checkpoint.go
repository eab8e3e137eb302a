package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"time"
)

// SQLite checkpoints the write-ahead log by itself after a commit that takes
// it past 1000 pages, but only passively: frames a reader's snapshot still
// needs stay in the log, and the log starts again from its beginning only
// when a writer finds it fully copied back and no reader inside it. Under a
// steady mix of overlapping reads and writes that moment may never come, and
// the file grows without bound. The checkpointer below makes the moment: it
// holds this process's writers back, waits for the readers that are still
// inside the log to finish, copies the log into the database and empties it.

// WALPolicy says when the write-ahead log is forced back to empty.
type WALPolicy struct {
	// Every is how often the log's size and the database's activity are looked at.
	Every time.Duration
	// Limit is the log size in bytes above which a forced checkpoint runs
	// even while the database is busy.
	Limit int64
	// Quiet is how long nothing must have been committed before the log of
	// an idle database is emptied, however small it is.
	Quiet time.Duration
	// Wait is the longest a forced checkpoint waits for readers that are
	// still inside the log, holding writers back meanwhile. It stays well
	// below the five-second busy timeout of writes that do not queue in this
	// process (sessions, a token's "last used"), and a failed checkpoint is
	// tried again only after four times as long, so that a reader longer
	// than any wait (a backup of a large database) stalls writers for at
	// most a fifth of its time.
	Wait time.Duration
}

// DefaultWALPolicy is what serve runs: a look four times a second, a forced
// checkpoint past 16 MiB or after a second without commits, waiting at most
// three seconds for readers.
var DefaultWALPolicy = WALPolicy{Every: 250 * time.Millisecond, Limit: 16 << 20, Quiet: time.Second, Wait: 3 * time.Second}

// WALPath is the write-ahead log file beside the database, which a
// measuring program may watch with stat.
func (db *DB) WALPath() string { return db.path + "-wal" }

// WALSize is the write-ahead log's size in bytes, 0 when there is none.
func (db *DB) WALSize() (int64, error) {
	fi, err := os.Stat(db.WALPath())
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// KeepWALBounded runs until ctx ends. Each p.Every it truncates the log to
// zero bytes when it is larger than p.Limit, or when nothing has been
// committed for p.Quiet (an idle server leaves no log behind).
func (db *DB) KeepWALBounded(ctx context.Context, p WALPolicy, log *slog.Logger) error {
	if p.Every <= 0 || p.Limit <= 0 || p.Quiet <= 0 || p.Wait <= 0 {
		// A programming error, not a message for users.
		return errors.New("every value of the WAL policy must be positive")
	}
	// A connection of its own: its busy timeout is the wait for readers, and
	// data_version is only meaningful on one connection.
	handle, err := sql.Open("sqlite", dsn(db.path, p.Wait))
	if err != nil {
		return err
	}
	defer handle.Close()
	conn, err := handle.Conn(ctx)
	if err != nil {
		return ignoreEnd(ctx, err)
	}
	defer conn.Close()
	k := &walKeeper{db: db, conn: conn, policy: p, log: log, lastCommit: time.Now()}
	if k.version, err = dataVersion(ctx, conn); err != nil {
		return ignoreEnd(ctx, err)
	}
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := k.look(ctx); err != nil {
			return ignoreEnd(ctx, err)
		}
	}
}

// walKeeper is the checkpointer's memory between two looks.
type walKeeper struct {
	db         *DB
	conn       *sql.Conn
	policy     WALPolicy
	log        *slog.Logger
	version    int64     // data_version at the last look
	lastCommit time.Time // when a change of data_version was last seen
	notBefore  time.Time // after a failure: no forced checkpoint before this
	failures   int       // forced checkpoints in a row that readers kept from finishing
	warned     bool      // the log over its limit could not be emptied, as logged
}

// look checkpoints when the log is too large or the database quiet.
func (k *walKeeper) look(ctx context.Context) error {
	size, err := k.db.WALSize()
	if err != nil {
		return err
	}
	now, err := dataVersion(ctx, k.conn)
	if err != nil {
		return err
	}
	if now != k.version {
		k.version, k.lastCommit = now, time.Now()
	}
	p := k.policy
	if size == 0 || (size <= p.Limit && time.Since(k.lastCommit) < p.Quiet) || time.Now().Before(k.notBefore) {
		return nil
	}
	done, err := k.truncate(ctx)
	switch {
	case err != nil:
		return err
	case done:
		if k.warned {
			k.log.Info("write-ahead log emptied again", "bytes_before", size, "tries", k.failures+1)
		}
		k.failures, k.warned = 0, false
	default:
		k.failures++
		k.notBefore = time.Now().Add(4 * p.Wait)
		if size > p.Limit && !k.warned {
			k.warned = true
			k.log.Warn("write-ahead log not emptied: a reader holds its snapshot longer than the checkpointer waits; trying again later",
				"bytes", size, "wait", p.Wait)
		}
	}
	return nil
}

// truncate copies the whole log into the database and empties the file,
// reporting false when readers were still inside the log after the wait. The
// process's writers queue behind it meanwhile, as behind any write, so
// none of them runs into its busy timeout.
func (k *walKeeper) truncate(ctx context.Context) (bool, error) {
	if err := k.db.takeWriter(ctx); err != nil {
		return false, err
	}
	defer k.db.releaseWriter()
	// Another checkpoint (SQLite's own, run by a writer of another process)
	// makes this one fail at once without its busy handler: try again
	// until the wait is over.
	for deadline := time.Now().Add(k.policy.Wait); ; {
		var busy, logFrames, copied int
		if err := k.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &copied); err != nil {
			return false, err
		}
		if busy == 0 {
			return true, nil
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// dataVersion changes whenever another connection commits.
func dataVersion(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}

// ignoreEnd drops the error of a query cut short by the end of ctx.
func ignoreEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
