package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

// A password set otherwise (by the user on the account page, or with
// `user passwd`) spends any open invitation or reset link: an old link must
// not replace the password the person has just chosen.
func TestNewPasswordRevokesOpenLinks(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) (userID int64, secret string)
	}{
		{"ResetLinkThenOwnChange", func(t *testing.T) (int64, string) {
			u := addUser(t, db, "rosa@example.com", auth.RoleViewer)
			secret, _, err := db.IssuePasswordLink(ctx, CLIActor(), u.ID, now.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return u.ID, secret
		}},
		{"InvitationThenCommandLine", func(t *testing.T) (int64, string) {
			u := &auth.User{Email: "ivo@example.com", Role: auth.RoleViewer}
			secret, _, err := db.InviteUser(ctx, CLIActor(), u, now.Add(7*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return u.ID, secret
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, secret := tc.setup(t)
			if err := db.SetPassword(ctx, CLIActor(), id, sharedHash(t), ""); err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.PasswordLinkBySecret(ctx, secret); !errors.Is(err, ErrNotFound) {
				t.Errorf("the link still opens after a new password: %v", err)
			}
			if _, err := db.OpenPasswordLink(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("the account still lists an open link: %v", err)
			}
		})
	}
}
