package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

const (
	firstPassword  = "correct horse battery staple"
	secondPassword = "tr0ub4dor and 3 more words"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine writing while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// hermetic clears the environment variables that would change what the
// commands do, so a developer's shell cannot change the tests' outcome.
func hermetic(t *testing.T) {
	t.Helper()
	for _, name := range []string{"PATENTDESK_DATA", "PATENTDESK_ADDR", "PATENTDESK_DEMO", "PATENTDESK_SECURE",
		"PATENTDESK_TRUSTED_PROXIES", "PATENTDESK_BASE_URL", "PATENTDESK_SESSION_IDLE", "PATENTDESK_SESSION_MAX",
		"PATENTDESK_LOG_FORMAT", "PATENTDESK_SESSION_KEY"} {
		t.Setenv(name, "")
	}
}

// runCmd runs one command in-process and returns its output.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errOut})
	return out.String(), errOut.String(), err
}

// mustRun runs a command that has to succeed.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := runCmd(t, stdin, args...)
	if err != nil {
		t.Fatalf("patentdesk %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// addUser adds an account through the command line.
func addUser(t *testing.T, dir, email, role, password string) {
	t.Helper()
	mustRun(t, password+"\n", "user", "add", "--data", dir, "--email", email, "--role", role, "--name", "Test User", "--password-stdin")
}

// openDB opens the data directory's database for inspection.
func openDB(t *testing.T, dir string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("sqlite.Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countUsers(t *testing.T, dir string) int {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); errors.Is(err, os.ErrNotExist) {
		return 0
	}
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// listLine returns the line of "user list" output that names email.
func listLine(t *testing.T, dir, email string) string {
	t.Helper()
	out := mustRun(t, "", "user", "list", "--data", dir)
	for _, line := range strings.Split(out, "\n") {
		if slices.Contains(strings.Fields(line), email) {
			return line
		}
	}
	t.Fatalf("user list does not show %s:\n%s", email, out)
	return ""
}

func TestUserAdd(t *testing.T) {
	hermetic(t)
	tests := []struct {
		name      string
		existing  []string // emails added first
		stdin     string
		args      []string // after "user add --data DIR"
		wantErr   []string // substrings of the error; nil for success
		wantIs    error
		wantUsers int
	}{
		{name: "AddsEditor", stdin: firstPassword + "\n",
			args:      []string{"--email", "Erin@Example.com", "--role", "editor", "--name", "Erin Editor", "--password-stdin"},
			wantUsers: 1},
		{name: "PasswordWithoutNewlineAccepted", stdin: firstPassword,
			args:      []string{"--email", "erin@example.com", "--role", "viewer", "--password-stdin"},
			wantUsers: 1},
		{name: "RequiresPasswordStdin", stdin: firstPassword + "\n",
			args:    []string{"--email", "erin@example.com", "--role", "editor"},
			wantErr: []string{"--password-stdin"}},
		{name: "EmptyStdinRefused", stdin: "",
			args:    []string{"--email", "erin@example.com", "--role", "editor", "--password-stdin"},
			wantErr: []string{"no password"}},
		{name: "ShortPasswordRefused", stdin: "short\n",
			args:    []string{"--email", "erin@example.com", "--role", "editor", "--password-stdin"},
			wantErr: []string{strconv.Itoa(auth.MinPasswordLength)}, wantIs: auth.ErrPasswordTooShort},
		{name: "CommonPasswordRefused", stdin: "Qwerty123456\n",
			args:    []string{"--email", "erin@example.com", "--role", "editor", "--password-stdin"},
			wantErr: []string{"commonly used"}, wantIs: auth.ErrPasswordCommon},
		{name: "PasswordWithTheEmailsLocalPartRefused", stdin: "Erin.K sagt hallo zur Welt\n",
			args:    []string{"--email", "erin.k@example.com", "--role", "editor", "--password-stdin"},
			wantErr: []string{"email address"}, wantIs: auth.ErrPasswordContext},
		{name: "DuplicateEmailRefused", existing: []string{"erin@example.com"}, stdin: secondPassword + "\n",
			args:    []string{"--email", "ERIN@example.com", "--role", "viewer", "--password-stdin"},
			wantErr: []string{"already exists"}, wantIs: auth.ErrUserExists, wantUsers: 1},
		{name: "InvalidRoleListsValidRoles", stdin: firstPassword + "\n",
			args:    []string{"--email", "erin@example.com", "--role", "boss", "--password-stdin"},
			wantErr: []string{"boss", "admin", "editor", "viewer"}},
		{name: "CapitalisedRoleRefused", stdin: firstPassword + "\n",
			args:    []string{"--email", "erin@example.com", "--role", "Admin", "--password-stdin"},
			wantErr: []string{"Admin", "admin"}},
		{name: "InvalidEmailRefused", stdin: firstPassword + "\n",
			args:    []string{"--email", "erin at example", "--role", "editor", "--password-stdin"},
			wantErr: []string{"email"}, wantIs: auth.ErrInvalidEmail},
		{name: "EmailWithDisplayNameRefused", stdin: firstPassword + "\n",
			args:    []string{"--email", "Erin <erin@example.com>", "--role", "editor", "--password-stdin"},
			wantErr: []string{"email"}, wantIs: auth.ErrInvalidEmail},
		{name: "MissingEmailRefused", stdin: firstPassword + "\n",
			args:    []string{"--role", "editor", "--password-stdin"},
			wantErr: []string{"--email"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			for _, e := range tc.existing {
				addUser(t, dir, e, "editor", firstPassword)
			}
			args := append([]string{"user", "add", "--data", dir}, tc.args...)
			out, _, err := runCmd(t, tc.stdin, args...)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("user add: %v", err)
				}
			} else {
				if err == nil {
					t.Fatalf("user add succeeded (%q); want an error mentioning %q", out, tc.wantErr)
				}
				for _, want := range tc.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not mention %q", err, want)
					}
				}
				if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
					t.Errorf("error %v is not %v", err, tc.wantIs)
				}
			}
			if n := countUsers(t, dir); n != tc.wantUsers {
				t.Errorf("%d users stored, want %d", n, tc.wantUsers)
			}
		})
	}
}

func TestUserAddThenList(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "data")
	out := mustRun(t, firstPassword+"\n", "user", "add", "--data", dir, "--email", "Erin@Example.com",
		"--role", "editor", "--name", "Erin Editor", "--password-stdin")
	if !strings.Contains(out, "erin@example.com") || !strings.Contains(out, "editor") {
		t.Errorf("user add printed %q; want the email and role", out)
	}
	line := listLine(t, dir, "erin@example.com")
	for _, want := range []string{"editor", "active", "Erin Editor", time.Now().UTC().Format("2006-01-02")} {
		if !strings.Contains(line, want) {
			t.Errorf("user list line %q lacks %q", line, want)
		}
	}
	db := openDB(t, dir)
	u, err := db.UserByEmail(context.Background(), "erin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := auth.VerifyPassword(u.PasswordHash, firstPassword); !ok || err != nil {
		t.Errorf("password given on stdin does not verify (ok %v, err %v)", ok, err)
	}
}

func TestUserListNeedsDatabase(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "typo")
	_, _, err := runCmd(t, "", "user", "list", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("user list on a missing data directory = %v; want an error naming it", err)
	}
	if _, statErr := os.Stat(dir); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("user list created %s", dir)
	}
}

func TestUserPasswd(t *testing.T) {
	hermetic(t)
	ctx := context.Background()
	t.Run("ChangesPasswordAndEndsSessions", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		addUser(t, dir, "erin@example.com", "editor", firstPassword)
		addUser(t, dir, "olaf@example.com", "viewer", firstPassword)
		db := openDB(t, dir)
		erin, err := db.UserByEmail(ctx, "erin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		olaf, err := db.UserByEmail(ctx, "olaf@example.com")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for i, uid := range []int64{erin.ID, erin.ID, olaf.ID} {
			s := &auth.Session{IDHash: auth.HashSessionID(fmt.Sprint("s", i)), UserID: uid, CreatedAt: now, LastSeenAt: now}
			if err := db.InsertSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}

		out := mustRun(t, secondPassword+"\n", "user", "passwd", "--data", dir, "--email", "ERIN@example.com", "--password-stdin")
		if !strings.Contains(out, "erin@example.com") {
			t.Errorf("user passwd printed %q; want the account named", out)
		}
		u, err := db.UserByEmail(ctx, "erin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := auth.VerifyPassword(u.PasswordHash, secondPassword); !ok {
			t.Error("new password does not verify")
		}
		if ok, _, _ := auth.VerifyPassword(u.PasswordHash, firstPassword); ok {
			t.Error("old password still verifies")
		}
		if n, _ := db.CountSessions(ctx, erin.ID); n != 0 {
			t.Errorf("%d sessions of erin survive the password change, want 0", n)
		}
		if n, _ := db.CountSessions(ctx, olaf.ID); n != 1 {
			t.Errorf("olaf has %d sessions after erin's password change, want 1", n)
		}
		entries, err := db.RecentAudit(ctx, 1)
		if err != nil || len(entries) != 1 || entries[0].Action != "user.password" || entries[0].Via != sqlite.ViaCLI {
			t.Errorf("latest audit row = %+v, %v; want user.password via cli", entries, err)
		}
	})
	failures := []struct {
		name    string
		setup   bool // create the database with one user first
		stdin   string
		args    []string
		wantErr string
	}{
		{name: "UnknownUser", setup: true, stdin: secondPassword + "\n",
			args: []string{"--email", "nobody@example.com", "--password-stdin"}, wantErr: "nobody@example.com"},
		{name: "ShortPassword", setup: true, stdin: "short\n",
			args: []string{"--email", "erin@example.com", "--password-stdin"}, wantErr: strconv.Itoa(auth.MinPasswordLength)},
		{name: "RequiresPasswordStdin", setup: true, stdin: secondPassword + "\n",
			args: []string{"--email", "erin@example.com"}, wantErr: "--password-stdin"},
		{name: "MissingDatabase", setup: false, stdin: secondPassword + "\n",
			args: []string{"--email", "erin@example.com", "--password-stdin"}, wantErr: "no PatentDesk database"},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if tc.setup {
				addUser(t, dir, "erin@example.com", "editor", firstPassword)
			}
			_, _, err := runCmd(t, tc.stdin, append([]string{"user", "passwd", "--data", dir}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("user passwd = %v; want an error mentioning %q", err, tc.wantErr)
			}
			if tc.setup {
				u, err := openDB(t, dir).UserByEmail(ctx, "erin@example.com")
				if err != nil {
					t.Fatal(err)
				}
				if ok, _, _ := auth.VerifyPassword(u.PasswordHash, firstPassword); !ok {
					t.Error("failed passwd changed the password")
				}
			}
		})
	}
}

func TestUserDisableEnable(t *testing.T) {
	hermetic(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	addUser(t, dir, "erin@example.com", "editor", firstPassword)
	db := openDB(t, dir)
	u, err := db.UserByEmail(ctx, "erin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := db.InsertSession(ctx, &auth.Session{IDHash: auth.HashSessionID("s"), UserID: u.ID, CreatedAt: now, LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "", "user", "disable", "--data", dir, "--email", "erin@example.com")
	if line := listLine(t, dir, "erin@example.com"); !strings.Contains(line, "disabled") {
		t.Errorf("user list after disable: %q; want disabled", line)
	}
	if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
		t.Errorf("%d sessions survive disabling, want 0", n)
	}
	mustRun(t, "", "user", "enable", "--data", dir, "--email", "erin@example.com")
	if line := listLine(t, dir, "erin@example.com"); !strings.Contains(line, "active") {
		t.Errorf("user list after enable: %q; want active", line)
	}
	if _, _, err := runCmd(t, "", "user", "disable", "--data", dir, "--email", "nobody@example.com"); err == nil ||
		!strings.Contains(err.Error(), "nobody@example.com") {
		t.Errorf("disable of an unknown user = %v; want an error naming it", err)
	}
}

func TestUserListStatesAndLastAdmin(t *testing.T) {
	hermetic(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	addUser(t, dir, "boss@example.com", "admin", firstPassword)
	db := openDB(t, dir)
	if _, _, err := db.InviteUser(ctx, sqlite.CLIActor(), &auth.User{Email: "ines@example.com", Role: auth.RoleViewer},
		time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if line := listLine(t, dir, "ines@example.com"); !strings.Contains(line, "invited") {
		t.Errorf("user list shows an invited user as %q", line)
	}
	if _, _, err := runCmd(t, "", "user", "disable", "--data", dir, "--email", "boss@example.com"); !errors.Is(err, auth.ErrLastAdmin) {
		t.Errorf("disabling the last administrator: %v, want %v", err, auth.ErrLastAdmin)
	}
	if line := listLine(t, dir, "boss@example.com"); !strings.Contains(line, "active") {
		t.Errorf("the last administrator was disabled: %q", line)
	}
}

func TestBackup(t *testing.T) {
	hermetic(t)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, dir, spare string)
	}{
		{name: "BackupHoldsTheUsers", run: func(t *testing.T, dir, spare string) {
			target := filepath.Join(spare, sqlite.FileName)
			out := mustRun(t, "", "backup", "--data", dir, target)
			if !strings.Contains(out, target) {
				t.Errorf("backup printed %q; want the file named", out)
			}
			copyDB := openDB(t, spare)
			users, err := copyDB.ListUsers(ctx)
			if err != nil || len(users) != 1 || users[0].Email != "erin@example.com" {
				t.Errorf("backup holds %v, %v; want erin", users, err)
			}
		}},
		{name: "BackupRefusesToOverwrite", run: func(t *testing.T, dir, spare string) {
			target := filepath.Join(spare, "last-week.db")
			if err := os.WriteFile(target, []byte("last week's backup"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, _, err := runCmd(t, "", "backup", "--data", dir, target); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Errorf("backup over an existing file = %v; want an error saying it exists", err)
			}
			if b, _ := os.ReadFile(target); string(b) != "last week's backup" {
				t.Errorf("existing file now holds %q", b)
			}
		}},
		{name: "BackupNeedsOneFile", run: func(t *testing.T, dir, spare string) {
			for _, args := range [][]string{{}, {"a.db", "b.db"}} {
				if _, _, err := runCmd(t, "", append([]string{"backup", "--data", dir}, args...)...); err == nil {
					t.Errorf("backup %v succeeded; want an error", args)
				}
			}
		}},
		{name: "BackupOfMissingDatabaseFails", run: func(t *testing.T, dir, spare string) {
			missing := filepath.Join(spare, "nothing-here")
			target := filepath.Join(spare, "out.db")
			if _, _, err := runCmd(t, "", "backup", "--data", missing, target); err == nil || !strings.Contains(err.Error(), missing) {
				t.Errorf("backup of a missing data directory = %v; want an error naming it", err)
			}
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Error("a backup file was written from nothing")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "data")
			spare := filepath.Join(root, "spare")
			if err := os.MkdirAll(spare, 0o700); err != nil {
				t.Fatal(err)
			}
			addUser(t, dir, "erin@example.com", "editor", firstPassword)
			tc.run(t, dir, spare)
		})
	}
}

// corrupt overwrites pages of a closed database file (numbered from 1, as
// SQLite counts them) with junk.
func corrupt(t *testing.T, path string, pages []int, junk func([]byte)) {
	t.Helper()
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Fatalf("%s%s still exists after close; the corruption would be masked", path, suffix)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(b[16])<<8 | int(b[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	for _, p := range pages {
		if p < 2 || p*pageSize > len(b) {
			t.Fatalf("page %d is not inside the %d-byte database", p, len(b))
		}
		junk(b[(p-1)*pageSize : p*pageSize])
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rootPage returns the first page of a table or index, read directly.
func rootPage(t *testing.T, path, name string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var page int
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = ?`, name).Scan(&page); err != nil {
		t.Fatalf("root page of %s: %v", name, err)
	}
	return page
}

func TestCheck(t *testing.T) {
	hermetic(t)
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		wantOut string // substring of stdout
		wantErr string // "" for success; "*" for any error
	}{
		{name: "SoundDatabaseOK", prepare: func(t *testing.T, dir string) {
			addUser(t, dir, "erin@example.com", "editor", firstPassword)
		}, wantOut: "ok"},
		{name: "MissingDatabaseExplained", prepare: func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}, wantErr: "no PatentDesk database"},
		{name: "ZeroedPagesDetected", prepare: func(t *testing.T, dir string) {
			// Pages 2 and 3 hold the schema's first tables: the database
			// may not even open.
			addUser(t, dir, "erin@example.com", "editor", firstPassword)
			corrupt(t, filepath.Join(dir, sqlite.FileName), []int{2, 3}, func(b []byte) { clear(b) })
		}, wantErr: "*"},
		{name: "DamagedIndexReported", prepare: func(t *testing.T, dir string) {
			// An index nobody reads at start-up: the database opens, and
			// only the integrity check can find the damage.
			addUser(t, dir, "erin@example.com", "editor", firstPassword)
			path := filepath.Join(dir, sqlite.FileName)
			page := rootPage(t, path, "audit_log_at")
			corrupt(t, path, []int{page}, func(b []byte) {
				// Change the indexed time of the audit row, so the index
				// no longer matches its table.
				year := []byte(time.Now().UTC().Format("2006-"))
				i := bytes.Index(b, year)
				if i < 0 {
					t.Fatalf("no %s timestamp on the index page", year)
				}
				copy(b[i:], "1999-")
			})
		}, wantErr: "problem", wantOut: "audit_log_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			tc.prepare(t, dir)
			out, _, err := runCmd(t, "", "check", "--data", dir)
			switch {
			case tc.wantErr == "":
				if err != nil {
					t.Fatalf("check: %v (stdout %q)", err, out)
				}
				if !strings.Contains(out, tc.wantOut) {
					t.Errorf("check printed %q; want %q", out, tc.wantOut)
				}
			case err == nil:
				t.Errorf("check succeeded (stdout %q); want an error", out)
			case tc.wantErr != "*" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("check error %q does not mention %q", err, tc.wantErr)
			case tc.wantOut != "" && !strings.Contains(out, tc.wantOut):
				t.Errorf("check printed %q; want the problem naming %q", out, tc.wantOut)
			}
			if err != nil && strings.Contains(out, "ok:") {
				t.Errorf("check failed but printed %q", out)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	hermetic(t)
	tests := []struct {
		name    string
		args    []string
		wantErr []string
		wantIs  error
		wantOut string
	}{
		{name: "NoCommandIsUsage", args: nil, wantIs: errUsage},
		{name: "HelpPrintsUsage", args: []string{"help"}, wantOut: "commands:"},
		{name: "UnknownCommand", args: []string{"frobnicate"}, wantErr: []string{"unknown command", "frobnicate"}},
		{name: "TokenNeedsSubcommand", args: []string{"token"}, wantErr: []string{"token", "create"}},
		{name: "DemoNeedsScale", args: []string{"demo"}, wantErr: []string{"--scale N"}},
		{name: "DemoScaleMustBePositive", args: []string{"demo", "--scale", "0"}, wantErr: []string{"--scale N", "at least 1"}},
		{name: "ImportNeedsKindAndFile", args: []string{"import", "file.csv"}, wantErr: []string{"patents|companies FILE"}},
		{name: "ExportNeedsWhat", args: []string{"export"}, wantErr: []string{"patents|companies|agreements|grants|assignments|obligations|audit"}},
		{name: "ExportUnknownWhat", args: []string{"export", "licences"}, wantErr: []string{"licences", "agreements, grants"}},
		{name: "UnknownUserSubcommand", args: []string{"user", "remove"}, wantErr: []string{"remove"}},
		{name: "UserWithoutSubcommand", args: []string{"user"}, wantErr: []string{"add"}},
		{name: "SubcommandHelp", args: []string{"backup", "-h"}, wantIs: flag.ErrHelp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runCmd(t, "", tc.args...)
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("run(%v) = %v, want %v", tc.args, err, tc.wantIs)
			}
			for _, want := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("run(%v) = %v; want an error mentioning %q", tc.args, err, want)
				}
			}
			if tc.wantOut != "" {
				if err != nil || !strings.Contains(out, tc.wantOut) {
					t.Errorf("run(%v) = %q, %v; want output with %q", tc.args, out, err, tc.wantOut)
				}
			}
		})
	}
}

// server is a running "patentdesk serve".
type server struct {
	base   string
	out    *syncBuffer
	errOut *syncBuffer
	stop   context.CancelFunc
	done   chan error
}

var runningRE = regexp.MustCompile(`PatentDesk is running at (http://127\.0\.0\.1:\d+)\n`)

// startServe runs serve in a goroutine and waits until it says where it listens.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{out: &syncBuffer{}, errOut: &syncBuffer{}, stop: cancel, done: make(chan error, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), stdio{in: strings.NewReader(""), out: s.out, err: s.errOut})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.After(15 * time.Second)
	for {
		if m := runningRE.FindStringSubmatch(s.out.String()); m != nil {
			s.base = m[1]
			break
		}
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("serve ended early: %v\nstdout: %s\nstderr: %s", err, s.out, s.errOut)
		case <-deadline:
			t.Fatalf("serve did not report its address\nstdout: %s\nstderr: %s", s.out, s.errOut)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := url.Parse(s.base); err != nil {
		t.Fatalf("printed URL %q: %v", s.base, err)
	}
	return s
}

// shutdown cancels serve's context and returns run's result.
func (s *server) shutdown(t *testing.T) error {
	t.Helper()
	s.stop()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of cancellation")
		return nil
	}
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func get(t *testing.T, u string, cookies ...*http.Cookie) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func signIn(t *testing.T, base, email, password string) *http.Response {
	t.Helper()
	res, err := noRedirect.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// sessionCookie returns the session cookie a response sets, if any.
func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if strings.Contains(c.Name, "session") && c.Value != "" {
			return c
		}
	}
	return nil
}

var accountRE = regexp.MustCompile(`(?m)^\s+(admin|editor|viewer)\s+(\S+@\S+)\s+(\S+)\s*$`)

func TestServeDemo(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "data")
	s := startServe(t, "--data", dir, "--demo")

	if code, body := get(t, s.base+"/healthz"); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", code, body)
	}
	if out, _, err := runCmd(t, "", "healthcheck", "--url", s.base+"/healthz"); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("healthcheck = %q, %v; want ok", out, err)
	}

	passwords := map[string]string{}
	for _, m := range accountRE.FindAllStringSubmatch(s.out.String(), -1) {
		if m[2] != m[1]+"@example.com" {
			t.Errorf("demo account %s printed with role %s", m[2], m[1])
		}
		passwords[m[2]] = m[3]
	}
	for _, email := range []string{"admin@example.com", "editor@example.com", "viewer@example.com"} {
		if passwords[email] == "" {
			t.Errorf("stdout does not list %s with a password:\n%s", email, s.out)
		}
	}

	t.Run("AdminSignsInWithPrintedPassword", func(t *testing.T) {
		res := signIn(t, s.base, "admin@example.com", passwords["admin@example.com"])
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("POST /login = %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
		}
		session := sessionCookie(res)
		if session == nil {
			t.Fatalf("sign-in set no session cookie: %v", res.Header["Set-Cookie"])
		}
		if code, _ := get(t, s.base+"/", session); code != http.StatusOK {
			t.Errorf("GET / with the session cookie = %d; want 200, the signed-in dashboard", code)
		}
		if code, _ := get(t, s.base+"/"); code != http.StatusSeeOther {
			t.Errorf("GET / without a cookie = %d, want 303 to the sign-in page", code)
		}
	})
	t.Run("WrongPasswordRefused", func(t *testing.T) {
		res := signIn(t, s.base, "viewer@example.com", passwords["admin@example.com"]+"x")
		if res.StatusCode != http.StatusUnauthorized || sessionCookie(res) != nil {
			t.Errorf("sign-in with a wrong password = %d, Set-Cookie %v; want 401 and no session", res.StatusCode, res.Header["Set-Cookie"])
		}
	})

	if err := s.shutdown(t); err != nil {
		t.Fatalf("serve after cancellation returned %v, want nil", err)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(s.base, "http://"), time.Second); err == nil {
		t.Error("server still accepts connections after shutdown")
	}

	t.Run("SecondStartKeepsPasswordsSecret", func(t *testing.T) {
		again := startServe(t, "--data", dir, "--demo")
		out := again.out.String()
		for email, pw := range passwords {
			if strings.Contains(out, pw) {
				t.Errorf("second start printed the password of %s again", email)
			}
		}
		if !strings.Contains(out, "already has 3 users") {
			t.Errorf("second start does not say the directory already has users:\n%s", out)
		}
		// The accounts still work with the passwords printed the first time.
		if res := signIn(t, again.base, "editor@example.com", passwords["editor@example.com"]); res.StatusCode != http.StatusSeeOther {
			t.Errorf("editor sign-in after restart = %d, want 303", res.StatusCode)
		}
		if err := again.shutdown(t); err != nil {
			t.Errorf("second serve returned %v", err)
		}
	})
}

var setupRE = regexp.MustCompile(`(http://127\.0\.0\.1:\d+/setup/([A-Za-z0-9_-]+))\s`)

func TestServeSetupLink(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "data")
	s := startServe(t, "--data", dir)
	m := setupRE.FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("fresh start prints no setup link:\n%s", s.out)
	}
	if !strings.HasPrefix(m[1], s.base+"/setup/") {
		t.Errorf("setup link %q is not under %s", m[1], s.base)
	}
	tests := []struct {
		name string
		path string
		want int
	}{
		{name: "PrintedLinkOpens", path: "/setup/" + m[2], want: http.StatusOK},
		{name: "WrongTokenNotFound", path: "/setup/wrong", want: http.StatusNotFound},
		{name: "TruncatedTokenNotFound", path: "/setup/" + m[2][:len(m[2])-1], want: http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, _ := get(t, s.base+tc.path); code != tc.want {
				t.Errorf("GET %s = %d, want %d", tc.path, code, tc.want)
			}
		})
	}
	if err := s.shutdown(t); err != nil {
		t.Errorf("serve returned %v, want nil", err)
	}
	if strings.Contains(s.out.String(), "Demo data") {
		t.Error("demo data loaded without --demo")
	}
	if n := countUsers(t, dir); n != 0 {
		t.Errorf("%d users exist after a start without --demo, want 0", n)
	}
}

func TestServeFlags(t *testing.T) {
	hermetic(t)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "IdleLongerThanMaximum", args: []string{"--session-idle", "2h", "--session-max", "1h"}, wantErr: "idle"},
		{name: "NegativeIdle", args: []string{"--session-idle", "-1m"}, wantErr: "positive"},
		{name: "UnknownLogFormat", args: []string{"--log-format", "xml"}, wantErr: "xml"},
		{name: "BadTrustedProxy", args: []string{"--trusted-proxies", "10.0.0.1,proxy.local"}, wantErr: "proxy.local"},
		{name: "StrayArgument", args: []string{"now"}, wantErr: "now"},
		{name: "AddressInUse", args: nil, wantErr: "address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			addr := "127.0.0.1:0"
			if tc.args == nil {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				addr = ln.Addr().String()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var out, errOut syncBuffer
			err := run(ctx, append([]string{"serve", "--data", dir, "--addr", addr}, tc.args...), stdio{strings.NewReader(""), &out, &errOut})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("serve %v = %v; want an error mentioning %q", tc.args, err, tc.wantErr)
			}
			if strings.Contains(out.String(), "is running") {
				t.Errorf("serve announced itself despite the error: %s", out.String())
			}
		})
	}
}

func TestParseProxies(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "Empty", in: "", want: nil},
		{name: "SingleIPv4", in: "10.0.0.1", want: []string{"10.0.0.1/32"}},
		{name: "CIDR", in: "192.168.0.0/16", want: []string{"192.168.0.0/16"}},
		{name: "CIDRHostBitsMasked", in: "10.1.2.3/8", want: []string{"10.0.0.0/8"}},
		{name: "SingleIPv6", in: "::1", want: []string{"::1/128"}},
		{name: "IPv6CIDR", in: "fd00::/8", want: []string{"fd00::/8"}},
		{name: "ListWithSpaces", in: " 10.0.0.1 , 172.16.0.0/12 ,, ::1 ", want: []string{"10.0.0.1/32", "172.16.0.0/12", "::1/128"}},
		{name: "HostnameRejected", in: "proxy.example.com", wantErr: true},
		{name: "GarbageRejected", in: "10.0.0.1,garbage", wantErr: true},
		{name: "PrefixTooLongRejected", in: "10.0.0.0/33", wantErr: true},
		{name: "AddressWithPortRejected", in: "10.0.0.1:80", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseProxies(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Errorf("parseProxies(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseProxies(%q): %v", tc.in, err)
			}
			var want []netip.Prefix
			for _, w := range tc.want {
				want = append(want, netip.MustParsePrefix(w))
			}
			if !slices.Equal(got, want) {
				t.Errorf("parseProxies(%q) = %v, want %v", tc.in, got, want)
			}
		})
	}
}

func TestPublicURL(t *testing.T) {
	tests := []struct {
		name       string
		configured string
		addr       net.Addr
		want       string
	}{
		{name: "AllIPv4InterfacesIsLocalhost", addr: &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, want: "http://localhost:8080"},
		{name: "AllIPv6InterfacesIsLocalhost", addr: &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, want: "http://localhost:8080"},
		{name: "LoopbackKept", addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}, want: "http://127.0.0.1:9000"},
		{name: "IPv6Bracketed", addr: &net.TCPAddr{IP: net.IPv6loopback, Port: 9000}, want: "http://[::1]:9000"},
		{name: "ConfiguredWins", configured: "https://patents.example.com/", addr: &net.TCPAddr{IP: net.IPv4zero, Port: 8080},
			want: "https://patents.example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := publicURL(tc.configured, tc.addr); got != tc.want {
				t.Errorf("publicURL(%q, %v) = %q, want %q", tc.configured, tc.addr, got, tc.want)
			}
		})
	}
}
