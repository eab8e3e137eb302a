package demo

import (
	"context"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	t.Run("EmptyDatabaseGetsOneAccountPerRole", func(t *testing.T) {
		db := openDB(t)
		accounts, err := Load(ctx, db)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(accounts) != 3 {
			t.Fatalf("Load returned %d accounts, want 3", len(accounts))
		}
		roles := map[auth.Role]bool{}
		passwords := map[string]bool{}
		for _, a := range accounts {
			t.Run(string(a.Role), func(t *testing.T) {
				u, err := db.UserByEmail(ctx, a.Email)
				if err != nil {
					t.Fatalf("printed account %s not stored: %v", a.Email, err)
				}
				if u.Role != a.Role || u.Disabled() {
					t.Errorf("stored %s as %s (disabled %v), printed as %s", a.Email, u.Role, u.Disabled(), a.Role)
				}
				ok, _, err := auth.VerifyPassword(u.PasswordHash, a.Password)
				if err != nil || !ok {
					t.Errorf("printed password of %s does not sign in (ok %v, err %v)", a.Email, ok, err)
				}
				if strings.Contains(u.PasswordHash, a.Password) {
					t.Error("password stored in readable form")
				}
			})
			roles[a.Role] = true
			passwords[a.Password] = true
		}
		for _, r := range []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleViewer} {
			if !roles[r] {
				t.Errorf("no demo account with role %s", r)
			}
		}
		if len(passwords) != len(accounts) {
			t.Errorf("demo accounts share passwords: %d distinct of %d", len(passwords), len(accounts))
		}
		if n, _ := db.CountUsers(ctx); n != len(accounts) {
			t.Errorf("CountUsers = %d, want %d", n, len(accounts))
		}
		if demo, err := db.IsDemo(ctx); err != nil || !demo {
			t.Errorf("IsDemo = %v, %v; want true so every page says so", demo, err)
		}
	})
	t.Run("DatabaseWithUsersRefusedUnchanged", func(t *testing.T) {
		db := openDB(t)
		existing, err := auth.NewUser("counsel@example.org", "Real Counsel", auth.RoleAdmin, NewPassword())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, sqlite.CLIActor(), existing); err != nil {
			t.Fatal(err)
		}
		auditBefore, _ := db.RecentAudit(ctx, 100)
		accounts, err := Load(ctx, db)
		if err == nil {
			t.Fatalf("Load into a database with users succeeded and printed %d accounts", len(accounts))
		}
		users, _ := db.ListUsers(ctx)
		if len(users) != 1 || users[0].Email != existing.Email {
			t.Errorf("users after refused Load = %d (first %v); want only %s", len(users), users, existing.Email)
		}
		if demo, _ := db.IsDemo(ctx); demo {
			t.Error("refused Load marked the database as demo")
		}
		if auditAfter, _ := db.RecentAudit(ctx, 100); len(auditAfter) != len(auditBefore) {
			t.Errorf("refused Load wrote %d audit rows", len(auditAfter)-len(auditBefore))
		}
	})
}

func TestNewPassword(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, pw string)
	}{
		{name: "FourGroupsOfFive", check: func(t *testing.T, pw string) {
			groups := strings.Split(pw, "-")
			if len(pw) != 23 || len(groups) != 4 {
				t.Fatalf("password %q: length %d, %d groups; want 23 characters in 4 groups", pw, len(pw), len(groups))
			}
			for _, g := range groups {
				if len(g) != 5 {
					t.Errorf("password %q has group %q, want 5 characters each", pw, g)
				}
			}
		}},
		{name: "OnlyUnambiguousCharacters", check: func(t *testing.T, pw string) {
			for _, r := range strings.ReplaceAll(pw, "-", "") {
				if !strings.ContainsRune(passwordAlphabet, r) {
					t.Errorf("password %q has %q, outside the alphabet", pw, r)
				}
				if strings.ContainsRune("0O1lI", r) {
					t.Errorf("password %q has the easily confused %q", pw, r)
				}
			}
		}},
		{name: "AcceptedByPasswordPolicy", check: func(t *testing.T, pw string) {
			if err := auth.ValidatePassword(pw); err != nil {
				t.Errorf("ValidatePassword(%q) = %v", pw, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 20 {
				tc.check(t, NewPassword())
			}
		})
	}
	t.Run("CallsDiffer", func(t *testing.T) {
		seen := map[string]bool{}
		for range 100 {
			pw := NewPassword()
			if seen[pw] {
				t.Fatalf("NewPassword repeated %q", pw)
			}
			seen[pw] = true
		}
	})
	t.Run("UsesWholeAlphabet", func(t *testing.T) {
		// 200 passwords draw 4000 characters; every one of the 31 letters
		// should turn up, or the choice is biased.
		used := map[rune]bool{}
		for range 200 {
			for _, r := range NewPassword() {
				used[r] = true
			}
		}
		for _, r := range passwordAlphabet {
			if !used[r] {
				t.Errorf("character %q never drawn in 4000 draws", r)
			}
		}
	})
}
