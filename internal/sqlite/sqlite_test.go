package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

const testPassword = "correct horse battery staple"

// Argon2id costs tens of milliseconds, so the tests share one hash; they
// store accounts, they do not test hashing.
var (
	hashOnce sync.Once
	hashed   string
	hashErr  error
)

func sharedHash(t *testing.T) string {
	t.Helper()
	hashOnce.Do(func() { hashed, hashErr = auth.HashPassword(testPassword) })
	if hashErr != nil {
		t.Fatalf("HashPassword: %v", hashErr)
	}
	return hashed
}

// openTestDB opens a fresh database in its own temporary data directory.
func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addUser stores an account with the shared hash and returns it.
func addUser(t *testing.T, db *DB, email string, role auth.Role) *auth.User {
	t.Helper()
	u := &auth.User{Email: email, Name: "Test " + string(role), Role: role, PasswordHash: sharedHash(t)}
	if err := db.CreateUser(context.Background(), CLIActor(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// addSession stores a session of userID whose id hash is derived from name.
func addSession(t *testing.T, db *DB, userID int64, name string, created, seen time.Time) string {
	t.Helper()
	hash := auth.HashSessionID(name)
	s := &auth.Session{IDHash: hash, UserID: userID, CreatedAt: created, LastSeenAt: seen, Data: map[string]string{}}
	if err := db.InsertSession(context.Background(), s); err != nil {
		t.Fatalf("InsertSession(%s): %v", name, err)
	}
	return hash
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, dir string)
	}{
		{name: "OpenTwiceKeepsData", run: func(t *testing.T, dir string) {
			db, err := Open(ctx, dir)
			if err != nil {
				t.Fatalf("first Open: %v", err)
			}
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			if err := db.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			db, err = Open(ctx, dir)
			if err != nil {
				t.Fatalf("second Open (migrations not idempotent?): %v", err)
			}
			defer db.Close()
			if n, err := db.CountUsers(ctx); err != nil || n != 1 {
				t.Fatalf("CountUsers after reopen = %d, %v; want 1", n, err)
			}
			if _, err := db.UserByEmail(ctx, "ada@example.com"); err != nil {
				t.Errorf("UserByEmail after reopen: %v", err)
			}
		}},
		{name: "TwoOpenHandlesSeeEachOther", run: func(t *testing.T, dir string) {
			a, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			b, err := Open(ctx, dir)
			if err != nil {
				t.Fatalf("second concurrent Open: %v", err)
			}
			defer b.Close()
			addUser(t, a, "ada@example.com", auth.RoleAdmin)
			if n, err := b.CountUsers(ctx); err != nil || n != 1 {
				t.Errorf("other handle counts %d users, %v; want 1", n, err)
			}
		}},
		{name: "CreatesMissingDataDirectory", run: func(t *testing.T, dir string) {
			nested := filepath.Join(dir, "a", "b")
			db, err := Open(ctx, nested)
			if err != nil {
				t.Fatalf("Open(%s): %v", nested, err)
			}
			defer db.Close()
			if db.Path() != filepath.Join(nested, FileName) {
				t.Errorf("Path = %q, want %q", db.Path(), filepath.Join(nested, FileName))
			}
			if _, err := os.Stat(db.Path()); err != nil {
				t.Errorf("database file not created: %v", err)
			}
		}},
		{name: "DatabaseFileMode0600", run: func(t *testing.T, dir string) {
			db, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fi, err := os.Stat(db.Path())
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("database file mode = %v, want 0600", perm)
			}
		}},
		{name: "WALAndSharedMemoryFilesPrivate", run: func(t *testing.T, dir string) {
			// The write-ahead log holds recent changes (accounts, password
			// hashes) until a checkpoint, so it must be as private as the
			// database, also on the very first start in an existing directory.
			db, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			for _, suffix := range []string{"-wal", "-shm"} {
				fi, err := os.Stat(db.Path() + suffix)
				if err != nil {
					t.Fatalf("%s file: %v", suffix, err)
				}
				if perm := fi.Mode().Perm(); perm&0o077 != 0 {
					t.Errorf("%s%s mode = %v, readable by others; want 0600", FileName, suffix, perm)
				}
			}
		}},
		{name: "PathWithSpacesAndPercent", run: func(t *testing.T, dir string) {
			odd := filepath.Join(dir, "my data %20 #1")
			db, err := Open(ctx, odd)
			if err != nil {
				t.Fatalf("Open(%q): %v", odd, err)
			}
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			db.Close()
			if _, err := os.Stat(filepath.Join(odd, FileName)); err != nil {
				t.Errorf("database not written where asked: %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, t.TempDir()) })
	}
}

// TestPragmasOnEveryConnection holds several pooled connections at once, so
// each is a distinct SQLite connection, and checks each got the pragmas.
func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	const n = 4
	db.sql.SetMaxOpenConns(n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	ready := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			conn, err := db.sql.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			// Hold the connection until every goroutine has its own.
			<-ready
			var fk, busy int
			var journal string
			if err := conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
				errs <- err
				return
			}
			if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
				errs <- err
				return
			}
			if err := conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
				errs <- err
				return
			}
			if fk != 1 || !strings.EqualFold(journal, "wal") || busy <= 0 {
				errs <- fmt.Errorf("connection %d: foreign_keys=%d journal_mode=%s busy_timeout=%d; want 1, wal, >0", i, fk, journal, busy)
			}
		})
	}
	// Wait until all n connections are checked out at the same time.
	deadline := time.Now().Add(5 * time.Second)
	for db.sql.Stats().InUse < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := db.sql.Stats().InUse; got != n {
		t.Errorf("only %d connections in use at once, want %d", got, n)
	}
	close(ready)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	db := openTestDB(t)
	now := time.Now()
	s := &auth.Session{IDHash: auth.HashSessionID("orphan"), UserID: 999, CreatedAt: now, LastSeenAt: now}
	if err := db.InsertSession(context.Background(), s); err == nil {
		t.Error("InsertSession for a user that does not exist succeeded; foreign keys are not enforced")
	}
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, db *DB)
	}{
		{name: "DuplicateEmailDifferentCaseRefused", run: func(t *testing.T, db *DB) {
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			dup := &auth.User{Email: "ADA@Example.COM", Role: auth.RoleViewer, PasswordHash: sharedHash(t)}
			if err := db.CreateUser(ctx, CLIActor(), dup); !errors.Is(err, auth.ErrUserExists) {
				t.Errorf("CreateUser(duplicate) = %v, want ErrUserExists", err)
			}
			if n, _ := db.CountUsers(ctx); n != 1 {
				t.Errorf("CountUsers = %d, want 1", n)
			}
		}},
		{name: "LookupIgnoresCaseAndSpace", run: func(t *testing.T, db *DB) {
			u := addUser(t, db, "ada@example.com", auth.RoleEditor)
			got, err := db.UserByEmail(ctx, "  Ada@Example.com ")
			if err != nil {
				t.Fatalf("UserByEmail: %v", err)
			}
			if got.ID != u.ID || got.Role != auth.RoleEditor || got.PasswordHash != u.PasswordHash {
				t.Errorf("UserByEmail = %+v, want the stored user %+v", got, u)
			}
			if _, err := db.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
				t.Errorf("UserByEmail(unknown) = %v, want ErrNotFound", err)
			}
		}},
		{name: "WritesAuditRow", run: func(t *testing.T, db *DB) {
			u := addUser(t, db, "ada@example.com", auth.RoleEditor)
			entries, err := db.RecentAudit(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Fatalf("audit rows = %d, want 1: %+v", len(entries), entries)
			}
			e := entries[0]
			want := CLIActor()
			if e.Action != "user.create" || e.Entity != "user" || e.EntityID != strconv.FormatInt(u.ID, 10) ||
				e.Actor != want.Email || e.Via != want.Via || e.UserID != 0 {
				t.Errorf("audit row = %+v, want user.create of user %d by %q via %q", e, u.ID, want.Email, want.Via)
			}
			if !strings.Contains(e.Details, u.Email) || strings.Contains(e.Details, u.PasswordHash) {
				t.Errorf("audit details = %s, want the email and never the password hash", e.Details)
			}
			if time.Since(e.At) > time.Minute || e.At.After(time.Now().Add(time.Second)) {
				t.Errorf("audit time = %v, want about now", e.At)
			}
		}},
		{name: "AuditNamesSignedInActor", run: func(t *testing.T, db *DB) {
			admin := addUser(t, db, "ada@example.com", auth.RoleAdmin)
			actor := Actor{UserID: admin.ID, Email: admin.Email, Via: ViaWeb, Address: "192.0.2.7"}
			u := &auth.User{Email: "bob@example.com", Role: auth.RoleViewer, PasswordHash: sharedHash(t)}
			if err := db.CreateUser(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			entries, err := db.RecentAudit(ctx, 1)
			if err != nil || len(entries) != 1 {
				t.Fatalf("RecentAudit = %v, %v", entries, err)
			}
			e := entries[0]
			if e.UserID != admin.ID || e.Actor != admin.Email || e.Via != ViaWeb || e.Address != actor.Address ||
				e.EntityID != strconv.FormatInt(u.ID, 10) {
				t.Errorf("audit row = %+v, want creation of %d by %+v", e, u.ID, actor)
			}
		}},
		{name: "FailedCreateWritesNoAudit", run: func(t *testing.T, db *DB) {
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			_ = db.CreateUser(ctx, CLIActor(), &auth.User{Email: "ada@example.com", Role: auth.RoleAdmin, PasswordHash: sharedHash(t)})
			entries, err := db.RecentAudit(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Errorf("audit rows = %d after a refused duplicate, want 1", len(entries))
			}
		}},
		{name: "ListUsersOrderedByEmail", run: func(t *testing.T, db *DB) {
			for _, e := range []string{"carol@example.com", "ada@example.com", "bob@example.com"} {
				addUser(t, db, e, auth.RoleViewer)
			}
			users, err := db.ListUsers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range users {
				got = append(got, u.Email)
			}
			if strings.Join(got, ",") != "ada@example.com,bob@example.com,carol@example.com" {
				t.Errorf("ListUsers = %v, want sorted by email", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, openTestDB(t)) })
	}
}

func TestCreateFirstAdmin(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		existed []string // accounts present before setup
		wantErr error
	}{
		{name: "EmptyDatabaseAccepted", wantErr: nil},
		{name: "RefusedOnceAnAdminExists", existed: []string{"first@example.com"}, wantErr: ErrSetupDone},
		{name: "RefusedWithDifferentEmail", existed: []string{"other@example.com"}, wantErr: ErrSetupDone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			for _, e := range tc.existed {
				u := &auth.User{Email: e, Role: auth.RoleAdmin, PasswordHash: sharedHash(t)}
				if err := db.CreateFirstAdmin(ctx, CLIActor(), u); err != nil {
					t.Fatalf("CreateFirstAdmin(%s) on empty database: %v", e, err)
				}
			}
			u := &auth.User{Email: "first@example.com", Role: auth.RoleAdmin, PasswordHash: sharedHash(t)}
			err := db.CreateFirstAdmin(ctx, CLIActor(), u)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CreateFirstAdmin = %v, want %v", err, tc.wantErr)
			}
			want := len(tc.existed)
			if tc.wantErr == nil {
				want++
			}
			if n, _ := db.CountUsers(ctx); n != want {
				t.Errorf("CountUsers = %d after setup, want %d", n, want)
			}
		})
	}
}

func TestCreateFirstAdminRace(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	const n = 8
	var wg sync.WaitGroup
	results := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			u := &auth.User{Email: fmt.Sprintf("admin%d@example.com", i), Role: auth.RoleAdmin, PasswordHash: sharedHash(t)}
			results <- db.CreateFirstAdmin(ctx, CLIActor(), u)
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrSetupDone):
			t.Errorf("CreateFirstAdmin: %v, want nil or ErrSetupDone", err)
		}
	}
	if users, _ := db.CountUsers(ctx); ok != 1 || users != 1 {
		t.Errorf("%d racing setups succeeded and %d users exist, want exactly 1", ok, users)
	}
}

func TestSetPassword(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		keep string // session name to keep; "" ends them all
	}{
		{name: "KeepsTheChangingSession", keep: "s1"},
		{name: "CommandLineEndsAllSessions", keep: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			u := addUser(t, db, "ada@example.com", auth.RoleEditor)
			other := addUser(t, db, "bob@example.com", auth.RoleEditor)
			now := time.Now()
			hashes := map[string]string{}
			for _, s := range []string{"s1", "s2", "s3"} {
				hashes[s] = addSession(t, db, u.ID, s, now, now)
			}
			otherHash := addSession(t, db, other.ID, "bob", now, now)

			keep := ""
			if tc.keep != "" {
				keep = hashes[tc.keep]
			}
			if err := db.SetPassword(ctx, CLIActor(), u.ID, "$new-hash$", keep); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			got, err := db.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PasswordHash != "$new-hash$" {
				t.Errorf("password hash = %q, want the new one", got.PasswordHash)
			}
			for name, h := range hashes {
				_, err := db.SessionByHash(ctx, h)
				switch {
				case name == tc.keep && err != nil:
					t.Errorf("session %s that made the change was ended: %v", name, err)
				case name != tc.keep && !errors.Is(err, auth.ErrNoSession):
					t.Errorf("session %s survived the password change (err %v)", name, err)
				}
			}
			if _, err := db.SessionByHash(ctx, otherHash); err != nil {
				t.Errorf("another user's session was ended: %v", err)
			}
			wantLeft := 0
			if tc.keep != "" {
				wantLeft = 1
			}
			if n, _ := db.CountSessions(ctx, u.ID); n != wantLeft {
				t.Errorf("CountSessions = %d, want %d", n, wantLeft)
			}
			entries, err := db.RecentAudit(ctx, 1)
			if err != nil || len(entries) != 1 || entries[0].Action != "user.password" ||
				!strings.Contains(entries[0].Details, fmt.Sprintf(`"sessions_ended":%d`, 3-wantLeft)) {
				t.Errorf("latest audit row = %+v, %v; want user.password with sessions_ended %d", entries, err, 3-wantLeft)
			}
		})
	}
	t.Run("UnknownUserNotFound", func(t *testing.T) {
		db := openTestDB(t)
		if err := db.SetPassword(ctx, CLIActor(), 4242, "$x$", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetPassword(unknown) = %v, want ErrNotFound", err)
		}
		if entries, _ := db.RecentAudit(ctx, 10); len(entries) != 0 {
			t.Errorf("failed SetPassword wrote audit rows: %+v", entries)
		}
	})
}

func TestSetLocale(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		locale  string
		wantErr bool
	}{
		{name: "GermanAccepted", locale: "de"},
		{name: "EnglishAccepted", locale: "en"},
		{name: "BrowserDefaultAccepted", locale: ""},
		{name: "FrenchRejected", locale: "fr", wantErr: true},
		{name: "UpperCaseRejected", locale: "DE", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			u := addUser(t, db, "ada@example.com", auth.RoleViewer)
			// Start from a choice that differs from every case's target.
			if err := db.SetLocale(ctx, CLIActor(), u.ID, "en"); err != nil {
				t.Fatal(err)
			}
			if tc.locale == "en" {
				if err := db.SetLocale(ctx, CLIActor(), u.ID, "de"); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := db.UserByID(ctx, u.ID)
			err := db.SetLocale(ctx, CLIActor(), u.ID, tc.locale)
			after, _ := db.UserByID(ctx, u.ID)
			if tc.wantErr {
				if err == nil {
					t.Errorf("SetLocale(%q) succeeded, want an error", tc.locale)
				}
				if after.Locale != before.Locale {
					t.Errorf("locale changed to %q by a refused SetLocale", after.Locale)
				}
				return
			}
			if err != nil {
				t.Fatalf("SetLocale(%q): %v", tc.locale, err)
			}
			if after.Locale != tc.locale {
				t.Errorf("stored locale = %q, want %q", after.Locale, tc.locale)
			}
			entries, _ := db.RecentAudit(ctx, 1)
			if len(entries) != 1 || entries[0].Action != "user.locale" {
				t.Errorf("latest audit row = %+v, want user.locale", entries)
			}
		})
	}
	t.Run("UnknownUserNotFound", func(t *testing.T) {
		db := openTestDB(t)
		if err := db.SetLocale(ctx, CLIActor(), 4242, "de"); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetLocale(unknown user) = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	u := addUser(t, db, "ada@example.com", auth.RoleViewer)
	now := time.Now().UTC()
	idle, absolute := time.Hour, 12*time.Hour
	sessions := []struct {
		name          string
		created, seen time.Time
		ended         bool
	}{
		{name: "fresh", created: now.Add(-time.Minute), seen: now},
		{name: "active-for-hours", created: now.Add(-absolute + time.Minute), seen: now.Add(-time.Minute)},
		{name: "almost-idle", created: now.Add(-2 * time.Hour), seen: now.Add(-idle + time.Minute)},
		{name: "idle", created: now.Add(-2 * time.Hour), seen: now.Add(-idle - time.Minute), ended: true},
		{name: "too-old", created: now.Add(-absolute - time.Minute), seen: now, ended: true},
	}
	wantGone := 0
	for _, s := range sessions {
		addSession(t, db, u.ID, s.name, s.created, s.seen)
		if s.ended {
			wantGone++
		}
	}
	n, err := db.DeleteExpiredSessions(ctx, now.Add(-idle), now.Add(-absolute))
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != wantGone {
		t.Errorf("DeleteExpiredSessions removed %d, want %d", n, wantGone)
	}
	for _, s := range sessions {
		t.Run(s.name, func(t *testing.T) {
			_, err := db.SessionByHash(ctx, auth.HashSessionID(s.name))
			if s.ended && !errors.Is(err, auth.ErrNoSession) {
				t.Errorf("ended session kept (err %v)", err)
			}
			if !s.ended && err != nil {
				t.Errorf("live session removed: %v", err)
			}
		})
	}
}

func TestSessionRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	u := addUser(t, db, "ada@example.com", auth.RoleViewer)
	created := time.Date(2026, 3, 1, 8, 30, 15, 123_000_000, time.UTC)
	in := &auth.Session{IDHash: auth.HashSessionID("x"), UserID: u.ID, CreatedAt: created, LastSeenAt: created,
		UserAgent: "Firefox", Address: "192.0.2.1", Data: map[string]string{"flash": "account.password.changed"}}
	if err := db.InsertSession(ctx, in); err != nil {
		t.Fatal(err)
	}
	seen := created.Add(5 * time.Minute)
	if err := db.UpdateSession(ctx, in.IDHash, seen, map[string]string{}); err != nil {
		t.Fatal(err)
	}
	got, err := db.SessionByHash(ctx, in.IDHash)
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != u.ID || !got.CreatedAt.Equal(created) || !got.LastSeenAt.Equal(seen) ||
		got.UserAgent != "Firefox" || got.Address != "192.0.2.1" || len(got.Data) != 0 {
		t.Errorf("SessionByHash = %+v, want user %d, created %v, seen %v, empty data", got, u.ID, created, seen)
	}
	if err := db.DeleteSession(ctx, in.IDHash); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByHash(ctx, in.IDHash); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("SessionByHash after delete = %v, want ErrNoSession", err)
	}
}

func TestDemoFlag(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	if demo, err := db.IsDemo(ctx); err != nil || demo {
		t.Fatalf("IsDemo on a new database = %v, %v; want false", demo, err)
	}
	if err := db.MarkDemo(ctx, SystemActor(), DemoIllustrative); err != nil {
		t.Fatal(err)
	}
	if demo, err := db.IsDemo(ctx); err != nil || !demo {
		t.Errorf("IsDemo after MarkDemo = %v, %v; want true", demo, err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, db *DB, dir string)
	}{
		{name: "BackupOpensWithTheUsers", run: func(t *testing.T, db *DB, dir string) {
			addUser(t, db, "ada@example.com", auth.RoleAdmin)
			addUser(t, db, "bob@example.com", auth.RoleViewer)
			target := filepath.Join(dir, "copy", FileName)
			if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := db.Backup(ctx, target); err != nil {
				t.Fatalf("Backup: %v", err)
			}
			fi, err := os.Stat(target)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("backup file mode = %v, want 0600", perm)
			}
			copyDB, err := Open(ctx, filepath.Dir(target))
			if err != nil {
				t.Fatalf("Open(backup): %v", err)
			}
			defer copyDB.Close()
			users, err := copyDB.ListUsers(ctx)
			if err != nil || len(users) != 2 || users[0].Email != "ada@example.com" || users[1].Email != "bob@example.com" {
				t.Errorf("backup holds %v, %v; want ada and bob", users, err)
			}
			if p, err := copyDB.Check(ctx); err != nil || len(p) != 0 {
				t.Errorf("Check(backup) = %v, %v; want sound", p, err)
			}
		}},
		{name: "BackupRefusesToOverwrite", run: func(t *testing.T, db *DB, dir string) {
			target := filepath.Join(dir, "precious.db")
			if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := db.Backup(ctx, target); err == nil {
				t.Error("Backup over an existing file succeeded")
			}
			if b, _ := os.ReadFile(target); string(b) != "precious" {
				t.Errorf("existing file now holds %q", b)
			}
		}},
		{name: "BackupIntoMissingDirectoryFails", run: func(t *testing.T, db *DB, dir string) {
			if err := db.Backup(ctx, filepath.Join(dir, "no", "such", "dir", "x.db")); err == nil {
				t.Error("Backup into a missing directory succeeded")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := Open(ctx, filepath.Join(dir, "data"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tc.run(t, db, dir)
		})
	}
}

func TestCheck(t *testing.T) {
	ctx := context.Background()
	t.Run("SoundDatabaseHasNoProblems", func(t *testing.T) {
		db := openTestDB(t)
		addUser(t, db, "ada@example.com", auth.RoleAdmin)
		p, err := db.Check(ctx)
		if err != nil || len(p) != 0 {
			t.Errorf("Check = %q, %v; want no problems", p, err)
		}
	})
	t.Run("DanglingForeignKeyReported", func(t *testing.T) {
		db := openTestDB(t)
		// Write an orphan past the foreign-key pragma, as an older
		// version or a hand edit might have.
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			t.Fatal(err)
		}
		_, err = conn.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ('h', 77, 'x', 'x')`)
		if _, err2 := conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`); err2 != nil {
			t.Fatal(err2)
		}
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 1 || !strings.Contains(p.String(), "sessions") || !strings.Contains(p.String(), "users") {
			t.Errorf("Check = %q; want one foreign-key problem naming sessions and users", p)
		}
	})
}
