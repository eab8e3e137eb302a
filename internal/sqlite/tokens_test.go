package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

func TestAPITokenLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	u := &auth.User{Email: "script@example.com", Role: auth.RoleEditor, PasswordHash: sharedHash(t)}
	if err := db.CreateUser(ctx, CLIActor(), u); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := db.CreateAPIToken(ctx, CLIActor(), u.ID, "  nightly   export ")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("SecretIsShownOnceAndStoredOnlyAsHash", func(t *testing.T) {
		if !strings.HasPrefix(secret, auth.TokenPrefix) || len(secret) < 40 {
			t.Fatalf("secret %q: want the prefix and 256 random bits", secret)
		}
		var stored int
		if err := db.sql.QueryRow(`SELECT count(*) FROM api_tokens WHERE token_hash = ? AND token_hash <> ?`,
			auth.HashSecret(secret), secret).Scan(&stored); err != nil || stored != 1 {
			t.Fatalf("stored %d rows under the hash (%v)", stored, err)
		}
		if tok.Name != "nightly export" || !strings.HasPrefix(secret, strings.TrimSuffix(tok.Hint, "…")) {
			t.Fatalf("token %+v", tok)
		}
	})
	t.Run("SecretFindsUser", func(t *testing.T) {
		got, gotTok, err := db.UserByAPIToken(ctx, secret)
		if err != nil || got.ID != u.ID || gotTok.ID != tok.ID || got.Role != auth.RoleEditor {
			t.Fatalf("UserByAPIToken: %v %v %v", got, gotTok, err)
		}
		if _, _, err := db.UserByAPIToken(ctx, secret+"x"); !errors.Is(err, auth.ErrNoToken) {
			t.Fatalf("a wrong secret: %v", err)
		}
	})
	t.Run("LastUsedIsRecorded", func(t *testing.T) {
		at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
		if err := db.TouchAPIToken(ctx, tok.ID, at); err != nil {
			t.Fatal(err)
		}
		list, err := db.APITokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(at) {
			t.Fatalf("APITokens: %+v %v", list, err)
		}
	})
	t.Run("LastUsedWaitsInTheWriteQueue", func(t *testing.T) {
		// While a write transaction of this process runs longer than
		// SQLite's busy timeout, recording a token's use waits its turn in
		// the process's write queue instead of failing "database is
		// locked". A short busy timeout stands in for a long import.
		impatient, err := sql.Open(driverName, dsn(db.path, 20*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		defer impatient.Close()
		q := &DB{sql: impatient, path: db.path, now: time.Now, writer: make(chan struct{}, 1)}
		started, release := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			done <- q.inTx(ctx, func(*sql.Tx) error { close(started); <-release; return nil })
		}()
		<-started
		time.AfterFunc(200*time.Millisecond, func() { close(release) })
		if err := q.TouchAPIToken(ctx, tok.ID, time.Now()); err != nil {
			t.Fatalf("touch during a write transaction: %v, want it to wait for the transaction", err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("EmptyNameIsRefused", func(t *testing.T) {
		if _, _, err := db.CreateAPIToken(ctx, CLIActor(), u.ID, "  "); err == nil || !strings.Contains(err.Error(), "invalid") {
			t.Fatalf("want an invalid error, got %v", err)
		}
	})
	t.Run("AnotherUserCannotRevoke", func(t *testing.T) {
		if err := db.RevokeAPIToken(ctx, CLIActor(), u.ID+1, tok.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoking another's token: %v", err)
		}
	})
	t.Run("RevokedTokenIsDead", func(t *testing.T) {
		if err := db.RevokeAPIToken(ctx, CLIActor(), u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UserByAPIToken(ctx, secret); !errors.Is(err, auth.ErrNoToken) {
			t.Fatalf("a revoked token still opens: %v", err)
		}
		if err := db.RevokeAPIToken(ctx, CLIActor(), u.ID, tok.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoking twice: %v", err)
		}
	})
	t.Run("DisablingTheUserKillsTokensForGood", func(t *testing.T) {
		secret2, _, err := db.CreateAPIToken(ctx, CLIActor(), u.ID, "second")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UserByAPIToken(ctx, secret2); !errors.Is(err, auth.ErrNoToken) {
			t.Fatalf("a disabled user's token opens: %v", err)
		}
		if _, _, err := db.CreateAPIToken(ctx, CLIActor(), u.ID, "third"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a disabled user got a token: %v", err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UserByAPIToken(ctx, secret2); !errors.Is(err, auth.ErrNoToken) {
			t.Fatalf("re-enabling the user revived a token: %v", err)
		}
	})
}
