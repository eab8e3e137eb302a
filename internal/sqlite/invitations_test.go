package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

func TestInvitationLinks(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	week := now.Add(7 * 24 * time.Hour)

	invited := &auth.User{Email: "ines@example.com", Name: "Ines", Role: auth.RoleEditor}
	secret, link, err := db.InviteUser(ctx, CLIActor(), invited, week)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("InvitedAccountHasNoPasswordYet", func(t *testing.T) {
		u, err := db.UserByID(ctx, invited.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Invited() || u.Role != auth.RoleEditor {
			t.Errorf("invited account %+v: want no password and the editor role", u)
		}
		if !strings.HasPrefix(secret, auth.InvitePrefix) || link.Kind != auth.LinkInvite || !link.Open(now) {
			t.Errorf("link %+v with secret %q: want an open invitation", link, secret)
		}
	})
	t.Run("LinkFoundBySecretOnly", func(t *testing.T) {
		got, u, err := db.PasswordLinkBySecret(ctx, secret)
		if err != nil || got.ID != link.ID || u.ID != invited.ID {
			t.Fatalf("PasswordLinkBySecret = %+v, %+v, %v", got, u, err)
		}
		if _, _, err := db.PasswordLinkBySecret(ctx, secret+"x"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a wrong secret found %v", err)
		}
	})
	t.Run("UsedOnceSetsPasswordAndName", func(t *testing.T) {
		addSession(t, db, invited.ID, "stray", now, now)
		u, err := db.UsePasswordLink(ctx, CLIActor(), secret, "Ines Invited", sharedHash(t))
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := db.UserByID(ctx, u.ID)
		if stored.Invited() || stored.Name != "Ines Invited" || stored.MustChangePassword {
			t.Errorf("after acceptance: %+v", stored)
		}
		if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
			t.Errorf("%d sessions survive a new password", n)
		}
		if _, err := db.UsePasswordLink(ctx, CLIActor(), secret, "Mallory", sharedHash(t)); !errors.Is(err, ErrNotFound) {
			t.Errorf("second use: %v, want ErrNotFound", err)
		}
		if _, err := db.OpenPasswordLink(ctx, u.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("a used link is still open: %v", err)
		}
	})
	t.Run("ResetLinkReplacesTheOlderOne", func(t *testing.T) {
		u := addUser(t, db, "rita@example.com", auth.RoleViewer)
		first, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, now.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		second, l2, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, now.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if l2.Kind != auth.LinkReset {
			t.Errorf("a link for an account with a password is a %s, want reset", l2.Kind)
		}
		if _, _, err := db.PasswordLinkBySecret(ctx, first); !errors.Is(err, ErrNotFound) {
			t.Errorf("the replaced link still works: %v", err)
		}
		if open, err := db.OpenPasswordLink(ctx, u.ID); err != nil || open.ID != l2.ID {
			t.Errorf("open link %+v, %v; want the newer one", open, err)
		}
		before, _ := db.UserByID(ctx, u.ID)
		got, err := db.UsePasswordLink(ctx, CLIActor(), second, "ignored for a reset", sharedHash(t))
		if err != nil || got.Name != before.Name {
			t.Errorf("reset: %+v, %v; the name must stay %q", got, err, before.Name)
		}
	})
	t.Run("ExpiredLinkRefused", func(t *testing.T) {
		u := addUser(t, db, "eve@example.com", auth.RoleViewer)
		s, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		later := now.Add(time.Hour)
		db.SetClock(func() time.Time { return later })
		defer db.SetClock(func() time.Time { return now })
		if _, _, err := db.PasswordLinkBySecret(ctx, s); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired link found: %v", err)
		}
		if _, err := db.UsePasswordLink(ctx, CLIActor(), s, "", sharedHash(t)); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired link used: %v", err)
		}
	})
	t.Run("DisabledAccountGetsNoLinkAndLosesItsLink", func(t *testing.T) {
		u := addUser(t, db, "dan@example.com", auth.RoleViewer)
		s, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, week)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PasswordLinkBySecret(ctx, s); !errors.Is(err, ErrNotFound) {
			t.Errorf("a link survived disabling the account: %v", err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, week); !errors.Is(err, auth.ErrUserDisabled) {
			t.Errorf("link for a disabled account: %v", err)
		}
		if err := db.SetInitialPassword(ctx, CLIActor(), u.ID, sharedHash(t)); !errors.Is(err, auth.ErrUserDisabled) {
			t.Errorf("initial password for a disabled account: %v", err)
		}
	})
	t.Run("InitialPasswordMustBeChangedAndEndsSessions", func(t *testing.T) {
		u := addUser(t, db, "ian@example.com", auth.RoleViewer)
		s, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, week)
		if err != nil {
			t.Fatal(err)
		}
		addSession(t, db, u.ID, "ian-laptop", now, now)
		if err := db.SetInitialPassword(ctx, CLIActor(), u.ID, sharedHash(t)); err != nil {
			t.Fatal(err)
		}
		got, _ := db.UserByID(ctx, u.ID)
		if !got.MustChangePassword {
			t.Error("an initial password need not be changed")
		}
		if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
			t.Errorf("%d sessions survive a reset", n)
		}
		if _, _, err := db.PasswordLinkBySecret(ctx, s); !errors.Is(err, ErrNotFound) {
			t.Errorf("a reset link survives an initial password: %v", err)
		}
		if err := db.SetPassword(ctx, CLIActor(), u.ID, sharedHash(t), ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(ctx, u.ID); got.MustChangePassword {
			t.Error("choosing a password did not clear must-change")
		}
	})
}

func TestLastAdministratorKept(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		others func(t *testing.T, db *DB) // other accounts besides the admin under test
		want   error
	}{
		{"Alone", func(*testing.T, *DB) {}, auth.ErrLastAdmin},
		{"WithAnEditor", func(t *testing.T, db *DB) { addUser(t, db, "ed@example.com", auth.RoleEditor) }, auth.ErrLastAdmin},
		{"WithADisabledAdmin", func(t *testing.T, db *DB) {
			other := addUser(t, db, "old@example.com", auth.RoleAdmin)
			if err := db.SetUserDisabled(ctx, CLIActor(), other.ID, true); err != nil {
				t.Fatal(err)
			}
		}, auth.ErrLastAdmin},
		{"WithAnInvitedAdmin", func(t *testing.T, db *DB) {
			if _, _, err := db.InviteUser(ctx, CLIActor(), &auth.User{Email: "new@example.com", Role: auth.RoleAdmin}, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}, auth.ErrLastAdmin},
		{"WithAnotherActiveAdmin", func(t *testing.T, db *DB) { addUser(t, db, "two@example.com", auth.RoleAdmin) }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, action := range []string{"Demote", "Disable"} {
				t.Run(action, func(t *testing.T) {
					db := openTestDB(t)
					admin := addUser(t, db, "boss@example.com", auth.RoleAdmin)
					tc.others(t, db)
					var err error
					if action == "Demote" {
						err = db.SetUserRole(ctx, CLIActor(), admin.ID, auth.RoleEditor)
					} else {
						err = db.SetUserDisabled(ctx, CLIActor(), admin.ID, true)
					}
					if !errors.Is(err, tc.want) {
						t.Fatalf("%s the admin: %v, want %v", action, err, tc.want)
					}
					got, _ := db.UserByID(ctx, admin.ID)
					if tc.want != nil && (got.Role != auth.RoleAdmin || got.Disabled()) {
						t.Errorf("refused change was applied: %+v", got)
					}
				})
			}
		})
	}
	t.Run("RoleChangeRecordsBeforeAndAfter", func(t *testing.T) {
		db := openTestDB(t)
		u := addUser(t, db, "v@example.com", auth.RoleViewer)
		if err := db.SetUserRole(ctx, CLIActor(), u.ID, auth.RoleViewer); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserRole(ctx, CLIActor(), u.ID, auth.RoleEditor); err != nil {
			t.Fatal(err)
		}
		last, _ := db.RecentAudit(ctx, 2)
		if last[0].Action != "user.role" || !strings.Contains(last[0].Details, `"before":{"role":"viewer"}`) ||
			!strings.Contains(last[0].Details, `"after":{"role":"editor"}`) || last[1].Action == "user.role" {
			t.Errorf("audit rows %+v: want one user.role row from viewer to editor", last)
		}
		if err := db.SetUserRole(ctx, CLIActor(), u.ID, auth.Role("boss")); err == nil {
			t.Error("an unknown role was stored")
		}
	})
}

func TestUserSessions(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	u := addUser(t, db, "s@example.com", auth.RoleViewer)
	other := addUser(t, db, "o@example.com", auth.RoleViewer)
	fresh := addSession(t, db, u.ID, "fresh", now.Add(-time.Hour), now.Add(-time.Minute))
	older := addSession(t, db, u.ID, "older", now.Add(-2*time.Hour), now.Add(-30*time.Minute))
	addSession(t, db, u.ID, "idle", now.Add(-3*time.Hour), now.Add(-2*time.Hour))
	addSession(t, db, u.ID, "ancient", now.Add(-13*time.Hour), now.Add(-time.Minute))
	foreign := addSession(t, db, other.ID, "foreign", now, now)
	idleBefore, createdBefore := now.Add(-time.Hour), now.Add(-12*time.Hour)

	list, err := db.UserSessions(ctx, u.ID, idleBefore, createdBefore)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].IDHash != fresh || list[1].IDHash != older {
		t.Fatalf("sessions %+v: want fresh then older, without the timed-out ones", list)
	}
	t.Run("AnotherUsersSessionIsNotFound", func(t *testing.T) {
		if err := db.EndSession(ctx, CLIActor(), u.ID, foreign, false); !errors.Is(err, ErrNotFound) {
			t.Errorf("ended another user's session: %v", err)
		}
		if n, _ := db.CountSessions(ctx, other.ID); n != 1 {
			t.Error("the other user's session is gone")
		}
	})
	t.Run("EndedAndAudited", func(t *testing.T) {
		if err := db.EndSession(ctx, CLIActor(), u.ID, older, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByHash(ctx, older); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("ended session still there: %v", err)
		}
		last, _ := db.RecentAudit(ctx, 1)
		if last[0].Action != "session.end" || last[0].EntityID != "1" || !strings.Contains(last[0].Details, `"by_administrator":true`) {
			t.Errorf("audit row %+v", last[0])
		}
		if err := db.EndSession(ctx, CLIActor(), u.ID, older, true); !errors.Is(err, ErrNotFound) {
			t.Errorf("ending twice: %v", err)
		}
	})
}

// TestAccountQueriesUseIndexes: the lists of one account's sessions and
// links, and a link's lookup by its secret, read an index, never a table.
func TestAccountQueriesUseIndexes(t *testing.T) {
	db := openTestDB(t)
	tests := []struct {
		name, query, index string
		args               []any
	}{
		{"UserSessions", userSessionsQuery, "sessions_user_id", []any{1, "", ""}},
		{"LinkBySecret", linkBySecretQuery, "sqlite_autoindex_invitations_1", []any{"x"}},
		{"OpenLink", openLinkQuery, "invitations_user_id", []any{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := queryPlan(t, db, tc.query, tc.args...)
			if !strings.Contains(plan, tc.index) || strings.Contains(plan, "SCAN") {
				t.Errorf("plan does not search %s:\n%s", tc.index, plan)
			}
		})
	}
}
