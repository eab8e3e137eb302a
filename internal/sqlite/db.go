// Package sqlite is PatentDesk's storage: it opens the database with the
// pragmas every connection needs, applies the embedded migrations, and holds
// the hand-written queries. Every change is written together with its audit
// row in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database file's name inside the data directory.
const FileName = "patentdesk.db"

// timeLayout is how times are stored: UTC, millisecond precision, sortable as text.
const timeLayout = "2006-01-02T15:04:05.000Z"

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// DB is the open PatentDesk database.
type DB struct {
	sql    *sql.DB
	path   string
	now    func() time.Time
	writer chan struct{} // its one slot is held by the write transaction or checkpoint of this process now running
	plans  planCache     // which list queries SQLite answers by sorting every match (patents_window.go)
	// search holds the full-text search's constants; zero values mean
	// the package's (tests set others).
	search searchKnobs
	// segments is how many segments the full-text index had when last
	// counted (SearchSegments; the server's compactor counts them every
	// few seconds), 0 before that.
	segments atomic.Int64
}

// idleConns is how many connections stay open while idle; database/sql's
// default of two would close and reopen them under every concurrent burst.
const idleConns = 16

// busyTimeout is how long a connection waits for another's lock before it
// answers "database is locked".
const busyTimeout = 5 * time.Second

// walJournalLimit is the size the write-ahead log file is cut back to
// whenever SQLite starts it again from the beginning; without it the file
// keeps the size of its largest burst for good (checkpoint.go).
const walJournalLimit = 16 << 20

// dsn puts the pragmas into the connection string so that every pooled
// connection gets them, not only the first one. synchronous(NORMAL) in WAL
// mode syncs at checkpoints, not at each commit: a commit survives the death
// of the process (the log is in the operating system's hands once written),
// though the last commits before a power loss or kernel crash may be lost.
func dsn(path string, busy time.Duration) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")", "foreign_keys(1)",
		"synchronous(NORMAL)", "journal_size_limit(" + strconv.Itoa(walJournalLimit) + ")"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database in dataDir and brings its
// schema up to date.
func Open(ctx context.Context, dataDir string) (*DB, error) {
	db, err := OpenUnmigrated(dataDir)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, explainDamage(err)
	}
	return db, nil
}

// OpenUnmigrated opens the database without touching its schema, for
// inspecting a copy that must not be changed, such as a restored backup.
func OpenUnmigrated(dataDir string) (*DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, FileName)
	// The database holds confidential legal data and password hashes. Create
	// the file private before SQLite does, because its -wal and -shm files
	// copy the main file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	f.Close()
	sqlDB, err := sql.Open(driverName, dsn(path, busyTimeout))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Keep connections open between bursts: each holds its prepared
	// statements (stmtcache.go) and its page cache, lost when closed.
	sqlDB.SetMaxIdleConns(idleConns)
	return &DB{sql: sqlDB, path: path, now: time.Now, writer: make(chan struct{}, 1)}, nil
}

// explainDamage turns SQLite's report of a corrupt file into advice.
func explainDamage(err error) error {
	if err != nil && (strings.Contains(err.Error(), "malformed") || strings.Contains(err.Error(), "not a database")) {
		return fmt.Errorf("the database file is damaged (%v); restore a backup", err)
	}
	return err
}

func (db *DB) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db.sql, fsys)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Close closes the database; in WAL mode the last connection to close
// checkpoints the log into the main file.
func (db *DB) Close() error { return db.sql.Close() }

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// SetClock replaces the clock, for tests of time-dependent behaviour.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Ping reports whether the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.sql.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// inTx runs fn in one transaction, committing when fn succeeds. The
// process's writers queue for the write lock here, in order of arrival:
// SQLite's busy handler polls with growing sleeps instead, so under many
// concurrent writers a late one could wait past the busy timeout and fail
// with "database is locked".
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := db.takeWriter(ctx); err != nil {
		return err
	}
	defer db.releaseWriter()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// takeWriter waits for the process's write slot, in order of arrival,
// until ctx ends; releaseWriter gives it back.
func (db *DB) takeWriter(ctx context.Context) error {
	select {
	case db.writer <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// releaseWriter gives back the write slot takeWriter took.
func (db *DB) releaseWriter() { <-db.writer }

// exec runs one write statement outside a transaction (a session's last
// use, a token's), in the same queue as every transaction of this process
// (inTx), so that it waits its turn rather than polling for the lock.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := db.takeWriter(ctx); err != nil {
		return nil, err
	}
	defer db.releaseWriter()
	return db.sql.ExecContext(ctx, query, args...)
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

func parseNullTime(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := parseTime(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
