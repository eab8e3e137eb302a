package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// namedSQL is one statement to time in the sqlite3 command line.
type namedSQL struct {
	name, sql string
}

// parseNamedSQL reads "name=SQL": one statement on one line; the closing
// ";" is added when missing.
func parseNamedSQL(s string) (namedSQL, error) {
	name, sql, ok := strings.Cut(strings.TrimSpace(s), "=")
	name, sql = strings.TrimSpace(name), strings.TrimSpace(sql)
	switch {
	case !ok || name == "" || sql == "":
		return namedSQL{}, fmt.Errorf("%q: write name=SQL, e.g. count=SELECT count(*) FROM patents", s)
	case strings.HasPrefix(sql, "."):
		return namedSQL{}, fmt.Errorf("%q: a dot-command is not a statement to time", s)
	case strings.ContainsAny(name, "|`"):
		return namedSQL{}, fmt.Errorf("%q: the name may not hold | or `", s)
	}
	if !strings.HasSuffix(sql, ";") {
		sql += ";"
	}
	return namedSQL{name: name, sql: sql}, nil
}

// sqlFlag collects repeated --sql name=SQL flags.
type sqlFlag []namedSQL

func (f *sqlFlag) String() string { return "" }

func (f *sqlFlag) Set(s string) error {
	ns, err := parseNamedSQL(s)
	if err != nil {
		return err
	}
	*f = append(*f, ns)
	return nil
}

// readSQLFile reads name=SQL lines; blank lines and lines starting with #
// or -- are skipped.
func readSQLFile(r io.Reader, file string) ([]namedSQL, error) {
	var list []namedSQL
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "--") {
			continue
		}
		ns, err := parseNamedSQL(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		list = append(list, ns)
	}
	return list, sc.Err()
}

// runTime is one "Run Time:" line of sqlite3's .timer: wall-clock time
// (printed to the millisecond) and CPU time of the shell process (to the
// microsecond).
type runTime struct {
	real, user, sys time.Duration
}

// parseRunTimes reads sqlite3's standard output and returns its timings in
// order; other lines (results, if any) are skipped.
func parseRunTimes(r io.Reader) ([]runTime, error) {
	var out []runTime
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "Run Time:") {
			continue
		}
		rt, err := parseRunTime(line)
		if err != nil {
			return nil, err
		}
		out = append(out, rt)
	}
	return out, sc.Err()
}

// parseRunTime reads "Run Time: real 0.012 user 0.010000 sys 0.001000".
func parseRunTime(line string) (runTime, error) {
	f := strings.Fields(line)
	if len(f) != 8 || f[0] != "Run" || f[1] != "Time:" || f[2] != "real" || f[4] != "user" || f[6] != "sys" {
		return runTime{}, fmt.Errorf("unexpected timer line from sqlite3: %q", line)
	}
	var d [3]time.Duration
	for i, s := range []string{f[3], f[5], f[7]} {
		sec, err := strconv.ParseFloat(s, 64)
		if err != nil || sec < 0 || math.IsInf(sec, 0) {
			return runTime{}, fmt.Errorf("unexpected timer line from sqlite3: %q", line)
		}
		d[i] = time.Duration(math.Round(sec * 1e9))
	}
	return runTime{real: d[0], user: d[1], sys: d[2]}, nil
}

// sqliteScript is what sqlite3 reads: the timer on, results thrown away
// unless kept, and each statement warmup+n times in a row.
func sqliteScript(list []namedSQL, n, warmup int, keepOutput bool) string {
	var b strings.Builder
	b.WriteString(".timer on\n")
	if !keepOutput {
		b.WriteString(".output /dev/null\n")
	}
	for _, ns := range list {
		for range warmup + n {
			b.WriteString(ns.sql + "\n")
		}
	}
	return b.String()
}

// cmdReferenceSQLite3 times statements in one read-only sqlite3 process on
// the same database file: the floor of the query without Go, HTTP or the
// app.
func cmdReferenceSQLite3(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("reference-sqlite3", std)
	db := fs.String("db", "", "the database file, e.g. ./data/patentdesk.db (opened read-only)")
	var stmts sqlFlag
	fs.Var(&stmts, "sql", "a statement to time, name=SQL (repeatable)")
	file := fs.String("sql-file", "", "a file of name=SQL lines, timed after the --sql ones")
	n := fs.Int("n", 100, "measured runs per statement")
	warmup := fs.Int("warmup", 5, "runs per statement first, not counted")
	bin := fs.String("sqlite3", "sqlite3", "the sqlite3 program")
	keep := fs.Bool("keep-output", false, "let results reach the pipe (for a sqlite3 that prints its timer to .output)")
	clock := fs.String("clock", "real", "what the columns show: real (wall clock, whole ms) or cpu (user+sys, µs)")
	engine := fs.String("engine", "cli", "cli: the sqlite3 command line; go: the app's SQLite driver in this process (for what the CLI cannot open)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	list := slices.Clone([]namedSQL(stmts))
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		more, err := readSQLFile(f, *file)
		f.Close()
		if err != nil {
			return err
		}
		list = append(list, more...)
	}
	switch {
	case *db == "":
		return errors.New("reference-sqlite3 needs --db FILE")
	case len(list) == 0:
		return errors.New("reference-sqlite3 needs a statement: --sql name=SQL or --sql-file FILE")
	case *n < 1 || *warmup < 0:
		return errors.New("-n must be at least 1, --warmup at least 0")
	case *clock != "real" && *clock != "cpu":
		return errors.New("--clock is real or cpu")
	case *engine != "cli" && *engine != "go":
		return errors.New("--engine is cli or go")
	}
	if _, err := os.Stat(*db); err != nil {
		return err
	}
	var rows []row
	var err error
	if *engine == "go" {
		rows, err = goRows(ctx, *db, list, *n, *warmup)
	} else {
		rows, err = cliRows(ctx, *bin, *db, list, *n, *warmup, *keep, *clock == "cpu")
	}
	if err != nil {
		return err
	}
	report(std.out, append([]string{"reference-sqlite3"}, args...), rows)
	return nil
}

// cliRows times the statements in the sqlite3 command line, a row each.
func cliRows(ctx context.Context, bin, db string, list []namedSQL, n, warmup int, keep, cpu bool) ([]row, error) {
	times, err := runSQLite3(ctx, bin, db, sqliteScript(list, n, warmup, keep))
	if err != nil {
		return nil, withStatementName(err, list, n+warmup, keep)
	}
	if want := len(list) * (n + warmup); len(times) != want {
		hint := "is each --sql exactly one statement?"
		if len(times) == 0 && !keep {
			hint = "does this sqlite3 print its timer to .output? try --keep-output"
		}
		return nil, fmt.Errorf("sqlite3 printed %d timings for %d statements run: %s", len(times), want, hint)
	}
	var rows []row
	for i, ns := range list {
		rows = append(rows, sqliteRow(ns.name, times[i*(n+warmup)+warmup:(i+1)*(n+warmup)], cpu))
	}
	return rows, nil
}

// sqliteRow summarizes one statement's times: the wall clock, which .timer
// prints in whole milliseconds, or the CPU time (user+sys) of the shell,
// which it prints to the microsecond; the notes give the other.
func sqliteRow(name string, runs []runTime, cpu bool) row {
	wall, used := newSample(name), newSample(name)
	for _, rt := range runs {
		wall.ok(rt.real, 0)
		used.ok(rt.user+rt.sys, 0)
	}
	r, other := latencyRow(wall, 0, ""), latencyRow(used, 0, "")
	r.resolution = time.Millisecond
	note := fmt.Sprintf("sqlite3 CLI, wall clock in whole ms; CPU (user+sys) p50 %s, p95 %s", durationText(other.p50), durationText(other.p95))
	if cpu {
		r, other = other, r
		note = fmt.Sprintf("sqlite3 CLI, CPU time (user+sys); wall clock (whole ms) p50 %s, p95 %s", other.cell(other.p50), other.cell(other.p95))
	}
	r.notes = note
	return r
}

// runSQLite3 feeds script to one "sqlite3 -readonly" process and returns
// the timings it printed; a statement that fails stops it (-bail) and its
// message becomes the error.
func runSQLite3(ctx context.Context, bin, db, script string) ([]runTime, error) {
	cmd := exec.CommandContext(ctx, bin, "-readonly", "-batch", "-bail", db)
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	times, perr := parseRunTimes(out)
	_, _ = io.Copy(io.Discard, out) // let sqlite3 finish writing if parsing stopped early
	werr := cmd.Wait()
	if msg := firstLine(stderr.String()); msg != "" {
		return nil, fmt.Errorf("sqlite3: %s", msg)
	}
	if werr != nil {
		return nil, fmt.Errorf("sqlite3: %w", werr)
	}
	return times, perr
}

// withStatementName adds to sqlite3's message, which names a line of the
// script, the name of the statement on that line.
func withStatementName(err error, list []namedSQL, runs int, keepOutput bool) error {
	m := scriptLine.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[1])
	header := 2 // .timer on, .output /dev/null
	if keepOutput {
		header = 1
	}
	if i := (line - header - 1) / runs; line > header && i < len(list) {
		return fmt.Errorf("%w (statement %q)", err, list[i].name)
	}
	return err
}

var scriptLine = regexp.MustCompile(`line (\d+)`)

// firstLine is the first non-blank line of s.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}
