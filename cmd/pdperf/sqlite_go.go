package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the same pure-Go SQLite the app uses
)

// goRows times the statements with the app's SQLite driver, a row each.
func goRows(ctx context.Context, file string, list []namedSQL, n, warmup int) ([]row, error) {
	times, version, err := timeInGo(ctx, file, list, n, warmup)
	if err != nil {
		return nil, err
	}
	var rows []row
	for i, ns := range list {
		s := newSample(ns.name)
		for _, d := range times[i] {
			s.ok(d, 0)
		}
		rows = append(rows, latencyRow(s, 0, "", "modernc.org/sqlite (SQLite "+version+") through database/sql, read-only, every row read"))
	}
	return rows, nil
}

// timeInGo runs each statement warmup+n times through database/sql and the
// modernc.org/sqlite driver on a read-only connection, reading every row,
// and returns the measured times per statement and the SQLite version.
//
// It exists because Debian 12's sqlite3 command line (3.40) cannot open the
// app's full-text tables (FTS5 contentless_delete needs 3.43): for those,
// this is the floor of the query itself, with the SQLite the app links.
func timeInGo(ctx context.Context, file string, list []namedSQL, n, warmup int) ([][]time.Duration, string, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var version string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version); err != nil {
		return nil, "", fmt.Errorf("opening %s: %w", file, err)
	}
	out := make([][]time.Duration, len(list))
	for i, ns := range list {
		for run := range warmup + n {
			d, err := timeQuery(ctx, db, ns.sql)
			if err != nil {
				return nil, "", fmt.Errorf("statement %q: %w", ns.name, err)
			}
			if run >= warmup {
				out[i] = append(out[i], d)
			}
		}
	}
	return out, version, nil
}

// timeQuery runs one statement and reads all its rows, as the command line
// does when it prints them.
func timeQuery(ctx context.Context, db *sql.DB, query string) (time.Duration, error) {
	start := time.Now()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	cells := make([]any, len(cols))
	for i := range cells {
		cells[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(cells...); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
