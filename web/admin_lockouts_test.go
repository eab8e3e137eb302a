package web

import (
	"net/http"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

func TestAdminSeesAndLiftsALockout(t *testing.T) {
	app := newTestApp(t)
	admin := signedIn(t, app, "admin@example.com", auth.RoleAdmin)
	u := app.addUser("victim@example.com", auth.RoleViewer)
	other := app.addUser("other@example.com", auth.RoleViewer)
	lockOut(t, app, " Victim@Example.COM", 5) // as typed; anyone who knows the address can do this
	for range 3 {
		wantStatus(t, app.browser().signIn(u.Email, testPassword(u.Email)), http.StatusTooManyRequests)
	}

	for _, lang := range []struct{ code, until, button string }{
		{"en", "Sign-in locked until 2026-11-21 09:15 (UTC)", "Unlock sign-in"},
		{"de", "Anmeldung gesperrt bis 21.11.2026 09:15 (UTC)", "Anmeldung entsperren"},
	} {
		t.Run("ShownOnTheAccountsPage_"+lang.code, func(t *testing.T) {
			admin.lang = lang.code
			doc := parseHTML(t, admin.get(adminUserHref(u.ID)))
			if got := strings.TrimSpace(testid(doc, "lockout-until").Text()); got != lang.until {
				t.Errorf("lockout shown as %q, want %q", got, lang.until)
			}
			if got := strings.TrimSpace(testid(doc, "unlock-form").Find("button").Text()); got != lang.button {
				t.Errorf("button %q, want %q", got, lang.button)
			}
			if !strings.Contains(testid(doc, "lockout").Text(), "3") {
				t.Errorf("the three refused attempts are not counted: %q", testid(doc, "lockout").Text())
			}
		})
	}
	admin.lang = "en"
	t.Run("NotShownForAnAccountThatIsNotLocked", func(t *testing.T) {
		if n := testid(parseHTML(t, admin.get(adminUserHref(other.ID))), "lockout").Length(); n != 0 {
			t.Error("an account that is not locked shows a lockout")
		}
	})
	t.Run("UnlockLetsThePersonIn", func(t *testing.T) {
		wantRedirect(t, admin.post(adminUserHref(u.ID)+"/unlock", nil), adminUserHref(u.ID))
		doc := parseHTML(t, admin.get(adminUserHref(u.ID)))
		if got := testid(doc, "flash").Text(); got != "Sign-in for victim@example.com is unlocked." {
			t.Errorf("flash %q", got)
		}
		if testid(doc, "lockout").Length() != 0 {
			t.Error("the lockout is still shown after unlocking")
		}
		app.browser().mustSignIn(u)
	})
	t.Run("Audited", func(t *testing.T) {
		rows := signinRows(t, app, "session.signin_unlocked")
		if len(rows) != 1 {
			t.Fatalf("%d unlock rows, want 1", len(rows))
		}
		d := details(t, rows[0])
		if rows[0].EntityID != auth.FormatUserID(u.ID) || d["refused_while_account_locked"] != float64(3) {
			t.Errorf("unlock recorded about %q with %v", rows[0].EntityID, d)
		}
		doc := parseHTML(t, admin.get(adminUserHref(u.ID)))
		if !strings.Contains(testid(doc, "activity").Text(), "Sign-in lock lifted") {
			t.Error("the unlock is not in the account's activity")
		}
	})
	t.Run("UnlockingAnAccountThatIsNotLockedChangesNothing", func(t *testing.T) {
		wantRedirect(t, admin.post(adminUserHref(other.ID)+"/unlock", nil), adminUserHref(other.ID))
		if got := testid(parseHTML(t, admin.get(adminUserHref(other.ID))), "flash").Text(); got != "Sign-in for other@example.com was not locked (any more)." {
			t.Errorf("flash %q", got)
		}
		if n := len(signinRows(t, app, "session.signin_unlocked")); n != 1 {
			t.Errorf("%d unlock rows, want still 1", n)
		}
	})
}
