package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

// A wrong current password on the account page counts like a failed
// sign-in: five lock the account, the lock says for how long, and every
// refusal is in the audit trail under a name an administrator can read.
func TestCurrentPasswordGuessingIsThrottledAndAudited(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	admin := app.addUser("admin@example.com", auth.RoleAdmin)
	newPassword := "a much better passphrase 2026"
	b := app.browser()
	b.mustSignIn(u)
	change := func(current string) *http.Response {
		return b.post("/account/password", url.Values{"current": {current}, "password": {newPassword}, "confirm": {newPassword}})
	}
	for i := 0; i < 5; i++ {
		wantStatus(t, change("wrong guess number "+strconv.Itoa(i)), http.StatusUnprocessableEntity)
	}
	t.Run("LockedEvenWithTheRightPassword", func(t *testing.T) {
		res := change(testPassword(u.Email))
		wantStatus(t, res, http.StatusTooManyRequests)
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 60 {
			t.Errorf("Retry-After %q: want the seconds of the lock", res.Header.Get("Retry-After"))
		}
		if msg := testid(parseHTML(t, res), "error-current").Text(); !strings.Contains(msg, "15 min") {
			t.Errorf("message %q does not say how long the lock lasts", msg)
		}
		wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusTooManyRequests)
	})
	t.Run("InGerman", func(t *testing.T) {
		b.lang = "de"
		defer func() { b.lang = "" }()
		msg := testid(parseHTML(t, change(testPassword(u.Email))), "error-current").Text()
		if !strings.Contains(msg, "gesperrt") {
			t.Errorf("German message %q", msg)
		}
	})
	t.Run("EveryRefusalAudited", func(t *testing.T) {
		entries, err := app.db.RecentAudit(context.Background(), 50)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			if e.UserID == u.ID {
				count[e.Action]++
			}
		}
		if count["user.password_check_failed"] != 5 || count["user.password_check_throttled"] != 2 {
			t.Errorf("audited %v; want 5 wrong and 2 throttled", count)
		}
		ab := app.browser()
		ab.mustSignIn(admin)
		doc := parseHTML(t, ab.get("/admin/audit?user="+strconv.FormatInt(u.ID, 10)))
		actions := strings.Join(auditTexts(testid(doc, "audit-action")), "|")
		if !strings.Contains(actions, "Wrong current password at a password change") || !strings.Contains(actions, "Password change throttled") {
			t.Errorf("audit trail shows %q", actions)
		}
	})
	t.Run("OpenAgainAfterTheLock", func(t *testing.T) {
		app.clock.Advance(16 * time.Minute)
		wantRedirect(t, change(testPassword(u.Email)), "/account")
	})
}
