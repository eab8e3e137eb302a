package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRunTimes(t *testing.T) {
	tests := []struct {
		name      string
		out       string
		want      []runTime
		wantError string
	}{
		{"TimerLinesInOrder", "Run Time: real 0.012 user 0.010000 sys 0.001000\nRun Time: real 0.000 user 0.000041 sys 0.000000\n",
			[]runTime{{12 * time.Millisecond, 10 * time.Millisecond, time.Millisecond}, {0, 41 * time.Microsecond, 0}}, ""},
		{"ResultLinesBetweenAreSkipped", "2\nRun Time: real 0.003 user 0.002000 sys 0.000500\nEP1|x\n",
			[]runTime{{3 * time.Millisecond, 2 * time.Millisecond, 500 * time.Microsecond}}, ""},
		{"NothingTimed", "1\n2\n", nil, ""},
		{"GarbledTimerLine", "Run Time: real fast user 0.1 sys 0.1\n", nil, "unexpected timer line"},
		{"TimerLineOfAnotherShape", "Run Time: 0.012\n", nil, "unexpected timer line"},
		{"NegativeTime", "Run Time: real -0.001 user 0.000000 sys 0.000000\n", nil, "unexpected timer line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRunTimes(strings.NewReader(tc.out))
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d timings, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("timing %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestNamedSQL(t *testing.T) {
	tests := []struct {
		name, in  string
		want      namedSQL
		wantError string
	}{
		{"SemicolonAdded", "count=SELECT count(*) FROM patents", namedSQL{"count", "SELECT count(*) FROM patents;"}, ""},
		{"SemicolonKept", "one = SELECT 1; ", namedSQL{"one", "SELECT 1;"}, ""},
		{"EqualsInTheSQLStays", "eq=SELECT 1 WHERE 1=1", namedSQL{"eq", "SELECT 1 WHERE 1=1;"}, ""},
		{"NoSQL", "empty=", namedSQL{}, "write name=SQL"},
		{"DotCommand", "x=.tables", namedSQL{}, "dot-command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseNamedSQL(tc.in)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseNamedSQL(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
	t.Run("FileSkipsCommentsAndNamesTheBadLine", func(t *testing.T) {
		list, err := readSQLFile(strings.NewReader("-- floor queries\n# also a comment\na=SELECT 1\n\nb=SELECT 2\n"), "q.sql")
		if err != nil || len(list) != 2 || list[1].name != "b" {
			t.Fatalf("readSQLFile = %+v, %v", list, err)
		}
		if _, err := readSQLFile(strings.NewReader("a=SELECT 1\nnonsense\n"), "q.sql"); err == nil || !strings.Contains(err.Error(), "q.sql:2:") {
			t.Errorf("error = %v, want it to name q.sql:2", err)
		}
	})
}

func TestSQLiteScript(t *testing.T) {
	list := []namedSQL{{"a", "SELECT 1;"}, {"b", "SELECT 2;"}}
	got := sqliteScript(list, 2, 1, false)
	want := ".timer on\n.output /dev/null\nSELECT 1;\nSELECT 1;\nSELECT 1;\nSELECT 2;\nSELECT 2;\nSELECT 2;\n"
	if got != want {
		t.Errorf("script =\n%s\nwant\n%s", got, want)
	}
	t.Run("AnErrorNamesItsStatement", func(t *testing.T) {
		// Line 6 of the script above is the first run of b.
		err := withStatementName(errors.New("sqlite3: Parse error near line 6: no such table: x"), list, 3, false)
		if !strings.Contains(err.Error(), `(statement "b")`) {
			t.Errorf("error = %v", err)
		}
	})
}

// TestReferenceSQLite3 runs the subcommand with the real sqlite3 program,
// which CI does not install; it is skipped where sqlite3 is missing.
func TestReferenceSQLite3(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("sqlite3 is not installed")
	}
	db := filepath.Join(t.TempDir(), "t.db")
	if out, err := exec.Command("sqlite3", db, "CREATE TABLE p(n TEXT); INSERT INTO p VALUES ('EP1'),('EP2');").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Run("OneRowPerStatement", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"reference-sqlite3", "--db", db, "-n", "5", "--warmup", "1",
			"--sql", "count=SELECT count(*) FROM p", "--sql", "all=SELECT * FROM p"}, stdio{out: &out, err: os.Stderr})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"| count | 5 |", "| all | 5 |", "CPU (user+sys) p50"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		if strings.Contains(out.String(), "EP1") {
			t.Errorf("query results reached the report:\n%s", out.String())
		}
	})
	t.Run("AFailingStatementIsAnError", func(t *testing.T) {
		err := run(context.Background(), []string{"reference-sqlite3", "--db", db, "--sql", "bad=SELECT * FROM nosuch"},
			stdio{out: &bytes.Buffer{}, err: os.Stderr})
		if err == nil || !strings.Contains(err.Error(), "no such table") || !strings.Contains(err.Error(), `"bad"`) {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("ReadOnly", func(t *testing.T) {
		err := run(context.Background(), []string{"reference-sqlite3", "--db", db, "--sql", "w=DELETE FROM p"},
			stdio{out: &bytes.Buffer{}, err: os.Stderr})
		if err == nil || !strings.Contains(err.Error(), "readonly") {
			t.Errorf("error = %v, want a read-only refusal", err)
		}
	})
}

// TestReferenceInGo times statements with the app's own SQLite, which opens
// what Debian's sqlite3 3.40 cannot: an FTS5 table with contentless_delete.
func TestReferenceInGo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t.db")
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"CREATE VIRTUAL TABLE f USING fts5 (title, content = '', contentless_delete = 1)",
		"INSERT INTO f (rowid, title) VALUES (1, 'buffer status reporting'), (2, 'antenna array')",
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"reference-sqlite3", "--engine", "go", "--db", file, "-n", "5",
		"--sql", "search=SELECT rowid FROM f WHERE f MATCH 'buff*'"}, stdio{out: &out, err: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| search | 5 |") || !strings.Contains(out.String(), "modernc.org/sqlite (SQLite 3.") {
		t.Errorf("output:\n%s", out.String())
	}
	t.Run("ReadOnly", func(t *testing.T) {
		err := run(context.Background(), []string{"reference-sqlite3", "--engine", "go", "--db", file, "--sql", "w=DELETE FROM f"},
			stdio{out: &bytes.Buffer{}, err: os.Stderr})
		if err == nil || !strings.Contains(err.Error(), "readonly") {
			t.Errorf("err = %v, want a read-only refusal", err)
		}
	})
}
