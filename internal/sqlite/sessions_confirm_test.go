package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

func TestSessionConfirmation(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	alice := addUser(t, db, "alice@example.com", auth.RoleAdmin)
	bob := addUser(t, db, "bob@example.com", auth.RoleViewer)
	signedIn := now.Add(-time.Hour)
	if err := db.InsertSession(ctx, &auth.Session{IDHash: "alice-1", UserID: alice.ID, CreatedAt: signedIn, LastSeenAt: signedIn}); err != nil {
		t.Fatal(err)
	}

	t.Run("TheSignInCountsUntilAConfirmation", func(t *testing.T) {
		at, err := db.SessionConfirmedAt(ctx, "alice-1")
		if err != nil || !at.Equal(signedIn) {
			t.Fatalf("confirmed at %v (%v), want the sign-in %v", at, err, signedIn)
		}
	})
	t.Run("AConfirmationIsStampedAndAudited", func(t *testing.T) {
		if err := db.ConfirmSession(ctx, Actor{UserID: alice.ID, Email: alice.Email, Via: ViaWeb}, alice.ID, "alice-1"); err != nil {
			t.Fatal(err)
		}
		at, err := db.SessionConfirmedAt(ctx, "alice-1")
		if err != nil || !at.Equal(now) {
			t.Fatalf("confirmed at %v (%v), want %v", at, err, now)
		}
		last, err := db.RecentAudit(ctx, 1)
		if err != nil || len(last) != 1 || last[0].Action != "session.reauth" || last[0].EntityID != auth.FormatUserID(alice.ID) {
			t.Fatalf("audit %+v (%v), want session.reauth of user %d", last, err, alice.ID)
		}
	})
	t.Run("AnotherUsersSessionIsNotFound", func(t *testing.T) {
		err := db.ConfirmSession(ctx, Actor{UserID: bob.ID, Email: bob.Email, Via: ViaWeb}, bob.ID, "alice-1")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("err %v, want ErrNotFound", err)
		}
	})
	t.Run("AnEndedSessionIsNoSession", func(t *testing.T) {
		if _, err := db.SessionConfirmedAt(ctx, "gone"); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("err %v, want ErrNoSession", err)
		}
	})
}
