package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
)

// TestLargeDownloadReturnsMemory: after a CSV download of largeStreamRows
// rows or more the server gives the memory it freed back to the system,
// once, after the last row; after a list's download it does not.
func TestLargeDownloadReturnsMemory(t *testing.T) {
	for _, tc := range []struct {
		rows    int
		returns int32
	}{
		{largeStreamRows - 1, 0},
		{largeStreamRows, 1},
		{3 * largeStreamRows, 1},
	} {
		t.Run(strconv.Itoa(tc.rows), func(t *testing.T) {
			var returns atomic.Int32
			done := make(chan struct{}, 1)
			s := &Server{now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			s.memory.free = func() { returns.Add(1); done <- struct{}{} }
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest("GET", "/patents.csv", nil), rec)
			err := s.streamCSV(c, "patents", []string{"number"}, func(write func([]string) error) error {
				for i := range tc.rows {
					if returns.Load() > 0 {
						t.Fatalf("memory returned before row %d", i)
					}
					if err := write([]string{"EP" + strconv.Itoa(i)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(rec.Body.String(), "\n"); got != tc.rows+1 {
				t.Fatalf("%d lines downloaded, want %d", got, tc.rows+1)
			}
			if tc.returns > 0 {
				select {
				case <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("no memory returned after the download")
				}
			}
			time.Sleep(10 * time.Millisecond)
			if got := returns.Load(); got != tc.returns {
				t.Fatalf("memory returned %d times, want %d", got, tc.returns)
			}
		})
	}
}

// TestMemoryReturnRunsOneAtATime: a return asked for while one runs is
// dropped (the running one returns that memory too); once it has ended the
// next request starts another.
func TestMemoryReturnRunsOneAtATime(t *testing.T) {
	var calls atomic.Int32
	release, started := make(chan struct{}), make(chan struct{}, 3)
	m := memoryReturn{free: func() { calls.Add(1); started <- struct{}{}; <-release }}
	m.after()
	<-started
	m.after()
	m.after()
	select {
	case <-started:
		t.Fatal("a second return started while the first ran")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	for m.running.Load() {
		time.Sleep(time.Millisecond)
	}
	m.after()
	<-started
	if got := calls.Load(); got != 2 {
		t.Fatalf("%d returns after the first ended, want 2", got)
	}
}

// TestConflictCountReturnsMemory: once the conflicts are counted the
// server gives back the memory the count took; a visit that finds them
// counted does not.
func TestConflictCountReturnsMemory(t *testing.T) {
	app := newDashboardDemo(t)
	t.Cleanup(app.srv.Close)
	var returns atomic.Int32
	done := make(chan struct{}, 4)
	app.srv.memory.free = func() { returns.Add(1); done <- struct{}{} }
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "1" {
		t.Fatalf("conflicts %q, want the demo's one conflict counted", c.Value)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no memory returned after the count")
	}
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "1" {
		t.Fatalf("second visit: conflicts %q, want 1 from the cache", c.Value)
	}
	time.Sleep(20 * time.Millisecond)
	if got := returns.Load(); got != 1 {
		t.Errorf("memory returned %d times, want once: one count", got)
	}
}

// TestPasswordWorkReturnsMemory: each Argon2id hash or check (a sign-in
// right or wrong, with a known or an unknown address, a password change)
// is followed by a return of the memory it filled; a page that checks no
// password is not.
func TestPasswordWorkReturnsMemory(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("ana@example.com", auth.RoleEditor)
	returned := make(chan struct{}, 8)
	app.srv.memory.free = func() { returned <- struct{}{} }
	b := app.browser()
	expect := func(what string, want bool) {
		t.Helper()
		select {
		case <-returned:
			if !want {
				t.Fatalf("%s: memory returned", what)
			}
		case <-time.After(map[bool]time.Duration{true: 10 * time.Second, false: 100 * time.Millisecond}[want]):
			if want {
				t.Fatalf("%s: no memory returned", what)
			}
		}
		for app.srv.memory.running.Load() {
			time.Sleep(time.Millisecond)
		}
	}
	if res := b.signIn(u.Email, "wrong horse battery staple"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: status %d", res.StatusCode)
	}
	expect("a wrong password", true)
	if res := b.signIn("nobody@example.com", testPassword(u.Email)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown address: status %d", res.StatusCode)
	}
	expect("an unknown address", true)
	b.mustSignIn(u)
	expect("a sign-in", true)
	if res := b.get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("account page: status %d", res.StatusCode)
	}
	expect("the account page", false)
	pw := "a new passphrase for ana"
	wantRedirect(t, b.post("/account/password", url.Values{"current": {testPassword(u.Email)}, "password": {pw}, "confirm": {pw}}), "/account")
	expect("a password change", true)
	admin := app.addUser("root@example.com", auth.RoleAdmin)
	ab := app.browser()
	ab.mustSignIn(admin)
	expect("the admin's sign-in", true)
	again := "an initial passphrase set by the admin"
	wantRedirect(t, ab.post(userPath(u)+"/reset", url.Values{"method": {"password"}, "password": {again}, "confirm": {again}}), userPath(u))
	expect("a password set by the admin", true)
}
