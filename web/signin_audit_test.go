package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// signinRows returns the trail's rows with action, oldest first.
func signinRows(t *testing.T, app *testApp, action string) []sqlite.AuditEntry {
	t.Helper()
	all, err := app.db.RecentAudit(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var rows []sqlite.AuditEntry
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Action == action {
			rows = append(rows, all[i])
		}
	}
	return rows
}

// details decodes an audit row's details.
func details(t *testing.T, e sqlite.AuditEntry) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// lockOut fails n sign-ins as u with wrong passwords.
func lockOut(t *testing.T, app *testApp, email string, n int) {
	t.Helper()
	for i := range n {
		wantStatus(t, app.browser().signIn(email, "wrong password number "+string(rune('a'+i))), http.StatusUnauthorized)
	}
}

func TestThrottledSignInsRecordedOncePerLockout(t *testing.T) {
	var logs syncBuffer
	app := newTestApp(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	u := app.addUser("a@example.com", auth.RoleViewer)
	lockOut(t, app, u.Email, 5)
	for i := range 50 {
		pw := "still wrong " + string(rune('a'+i%26))
		if i%2 == 0 {
			pw = testPassword(u.Email) // the right password is refused as well
		}
		wantStatus(t, app.browser().signIn(u.Email, pw), http.StatusTooManyRequests)
	}
	t.Run("OneRowForFiftyRefusals", func(t *testing.T) {
		rows := signinRows(t, app, "session.signin_throttled")
		if len(rows) != 1 {
			t.Fatalf("%d throttled rows for one lockout, want 1", len(rows))
		}
		if got := details(t, rows[0])["account_locked_until"]; got != "2026-11-21T09:15:00Z" {
			t.Errorf("row says the account is locked until %v, want 2026-11-21T09:15:00Z", got)
		}
	})
	t.Run("LogSaysItOnceAndAtTheTenth", func(t *testing.T) {
		out := logs.String()
		if n := strings.Count(out, `msg="sign-in throttled"`); n != 1 {
			t.Errorf("%d 'sign-in throttled' lines, want 1", n)
		}
		if n := strings.Count(out, `msg="sign-in still throttled"`); n != 1 || !strings.Contains(out, "refused_while_account_locked=10 ") {
			t.Errorf("%d 'still throttled' lines, want 1 at the tenth refusal:\n%s", n, out)
		}
	})
	t.Run("CountInTheRowAfterTheLockout", func(t *testing.T) {
		app.clock.Advance(15 * time.Minute)
		app.browser().mustSignIn(u)
		rows := signinRows(t, app, "session.signin")
		if len(rows) != 1 {
			t.Fatalf("%d sign-in rows, want 1", len(rows))
		}
		if got := details(t, rows[0])["refused_while_account_locked"]; got != float64(50) {
			t.Errorf("sign-in row says %v attempts were refused while locked, want 50", got)
		}
		if !strings.Contains(logs.String(), `msg="sign-in lockout over" email=a@example.com address=127.0.0.1 refused_while_account_locked=50`) {
			t.Errorf("the log does not give the lockout's count:\n%s", logs.String())
		}
	})
	t.Run("NewLockoutNewRow", func(t *testing.T) {
		lockOut(t, app, u.Email, 5)
		for range 3 {
			wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusTooManyRequests)
		}
		if n := len(signinRows(t, app, "session.signin_throttled")); n != 2 {
			t.Errorf("%d throttled rows after a second lockout, want 2", n)
		}
	})
}

func TestTenfold(t *testing.T) {
	for n, want := range map[int]bool{0: false, 1: false, 9: false, 10: true, 11: false, 20: false, 100: true, 1000: true, 1010: false} {
		if got := tenfold(n); got != want {
			t.Errorf("tenfold(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestRefusedSignInsOnTheAccountsPage(t *testing.T) {
	app := newTestApp(t)
	admin := signedIn(t, app, "admin@example.com", auth.RoleAdmin)
	u := app.addUser("viewer@example.com", auth.RoleViewer)
	lockOut(t, app, u.Email, 5)
	for range 2 {
		wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusTooManyRequests)
	}
	unknown := app.browser().signIn("nobody@example.com", "some guess at a password")
	known := app.browser().signIn(app.addUser("other@example.com", auth.RoleViewer).Email, "some guess at a password")

	t.Run("SameAnswerForUnknownAndKnown", func(t *testing.T) {
		wantStatus(t, unknown, http.StatusUnauthorized)
		wantStatus(t, known, http.StatusUnauthorized)
		if a, b := unknown.Header.Values("Set-Cookie"), known.Header.Values("Set-Cookie"); len(a) != len(b) {
			t.Errorf("cookies differ: %q vs %q", a, b)
		}
		a := testid(parseHTML(t, unknown), "login-error").Text()
		b := testid(parseHTML(t, known), "login-error").Text()
		if a == "" || a != b {
			t.Errorf("messages differ or are empty: %q vs %q", a, b)
		}
	})
	for _, lang := range []struct{ code, refused, throttled, reason, until string }{
		{"en", "Sign-in refused", "Sign-in throttled", "Wrong password", "2026-11-21 09:15"},
		{"de", "Anmeldung abgelehnt", "Anmeldung gedrosselt", "Falsches Passwort", "21.11.2026 09:15"},
	} {
		t.Run("ListedOnTheUsersPage_"+lang.code, func(t *testing.T) {
			admin.lang = lang.code
			doc := parseHTML(t, admin.get(adminUserHref(u.ID)))
			actions := auditTexts(testid(doc, "activity").Find(`[data-testid="audit-action"]`))
			count := map[string]int{}
			for _, a := range actions {
				count[a]++
			}
			if count[lang.refused] != 5 || count[lang.throttled] != 1 {
				t.Errorf("activity %v; want 5 × %q and the lockout once as %q", actions, lang.refused, lang.throttled)
			}
			if changes := testid(doc, "activity").Text(); !strings.Contains(changes, lang.reason) {
				t.Errorf("no %q reason among the activity:\n%s", lang.reason, changes)
			}
			if changes := testid(doc, "activity").Text(); !strings.Contains(changes, lang.until) {
				t.Errorf("the lockout's end is not written %q, as the locale writes a moment:\n%s", lang.until, changes)
			}
		})
	}
	t.Run("EveryChangeToThisAccountListsThem", func(t *testing.T) {
		admin.lang = "en"
		doc := parseHTML(t, admin.get("/admin/audit?entity=user&entity_id="+auditID(u.ID)))
		if n := testid(doc, "audit-action").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Text() == "Sign-in refused"
		}).Length(); n != 5 {
			t.Errorf("%d refused sign-ins in the account's trail, want 5", n)
		}
	})
	t.Run("UnknownAddressLinksToNoUser", func(t *testing.T) {
		var found bool
		for _, e := range signinRows(t, app, "session.signin_failed") {
			if details(t, e)["email"] != "nobody@example.com" {
				continue
			}
			found = true
			if e.Entity != "session" || e.EntityID != "" || e.UserID != 0 {
				t.Errorf("unknown address recorded about %s %q by user %d, want no account", e.Entity, e.EntityID, e.UserID)
			}
			if got := details(t, e)["signin_reason"]; got != "unknown_account" {
				t.Errorf("reason %v, want unknown_account", got)
			}
		}
		if !found {
			t.Fatal("the unknown address's attempt was not recorded")
		}
	})
}
