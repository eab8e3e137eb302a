package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

func TestCalendarFeedLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	u := addUser(t, db, "legal@example.com", auth.RoleViewer)
	other := addUser(t, db, "other@example.com", auth.RoleEditor)
	secret, feed, err := db.CreateCalendarFeed(ctx, CLIActor(), u.ID, "  Outlook   at work ", 14)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("SecretIsShownOnceAndStoredOnlyAsHash", func(t *testing.T) {
		if !strings.HasPrefix(secret, auth.FeedPrefix) || len(secret) < 40 {
			t.Fatalf("secret %q: want the feed prefix and 256 random bits", secret)
		}
		var stored int
		if err := db.sql.QueryRow(`SELECT count(*) FROM calendar_feeds WHERE secret_hash = ? AND secret_hash <> ?`,
			auth.HashSecret(secret), secret).Scan(&stored); err != nil || stored != 1 {
			t.Fatalf("stored %d rows under the hash (%v)", stored, err)
		}
		if feed.Name != "Outlook at work" || feed.AlarmDays != 14 || feed.UserID != u.ID || !feed.Active() {
			t.Fatalf("feed %+v", feed)
		}
	})
	t.Run("SecretFindsUserAndFeed", func(t *testing.T) {
		got, gotFeed, err := db.CalendarFeedBySecret(ctx, secret)
		if err != nil || got.ID != u.ID || gotFeed.ID != feed.ID || gotFeed.AlarmDays != 14 {
			t.Fatalf("CalendarFeedBySecret: %v %v %v", got, gotFeed, err)
		}
		if _, _, err := db.CalendarFeedBySecret(ctx, secret+"x"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a wrong secret: %v", err)
		}
	})
	t.Run("LastUsedIsRecorded", func(t *testing.T) {
		at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
		if err := db.TouchCalendarFeed(ctx, feed.ID, at); err != nil {
			t.Fatal(err)
		}
		list, err := db.CalendarFeeds(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(at) {
			t.Fatalf("CalendarFeeds: %v %+v", err, list)
		}
	})
	t.Run("NameChecked", func(t *testing.T) {
		_, _, err := db.CreateCalendarFeed(ctx, CLIActor(), u.ID, strings.Repeat("x", 101), 7)
		wantCode(t, err, licensing.Invalid, "name")
	})
	t.Run("AlarmDaysChecked", func(t *testing.T) {
		for _, days := range []int{-1, MaxAlarmDays + 1} {
			_, _, err := db.CreateCalendarFeed(ctx, CLIActor(), u.ID, "Too early", days)
			wantCode(t, err, licensing.Invalid, "alarm_days")
		}
	})
	t.Run("OnlyItsOwnerRevokes", func(t *testing.T) {
		if err := db.RevokeCalendarFeed(ctx, CLIActor(), other.ID, feed.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another user's revocation: %v", err)
		}
		if _, _, err := db.CalendarFeedBySecret(ctx, secret); err != nil {
			t.Fatalf("the feed died: %v", err)
		}
	})
	t.Run("RevokedFeedOpensNothing", func(t *testing.T) {
		if err := db.RevokeCalendarFeed(ctx, CLIActor(), u.ID, feed.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CalendarFeedBySecret(ctx, secret); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoked feed: %v", err)
		}
		if err := db.RevokeCalendarFeed(ctx, CLIActor(), u.ID, feed.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoking twice: %v", err)
		}
		list, _ := db.CalendarFeeds(ctx, u.ID)
		if len(list) != 1 || list[0].Active() {
			t.Fatalf("the list should keep the revoked feed: %+v", list)
		}
	})
	t.Run("LiveFeedsFirst", func(t *testing.T) {
		_, live, err := db.CreateCalendarFeed(ctx, CLIActor(), u.ID, "Phone", 0)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := db.CalendarFeeds(ctx, u.ID)
		if len(list) != 2 || list[0].ID != live.ID || list[0].AlarmDays != 0 {
			t.Fatalf("list %+v: want the live feed first", list)
		}
	})
	t.Run("DisabledUserOpensNothing", func(t *testing.T) {
		s2, _, err := db.CreateCalendarFeed(ctx, CLIActor(), other.ID, "Desk", 7)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserDisabled(ctx, CLIActor(), other.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CalendarFeedBySecret(ctx, s2); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a disabled user's feed: %v", err)
		}
		if _, _, err := db.CreateCalendarFeed(ctx, CLIActor(), other.ID, "Again", 7); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a disabled user made a feed: %v", err)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		rows, err := db.RecentAudit(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range rows {
			if strings.HasPrefix(r.Action, "calendar_feed.") {
				actions = append(actions, r.Action)
				if r.Entity != "user" || strings.Contains(r.Details, secret) {
					t.Errorf("audit row %+v", r)
				}
			}
		}
		if strings.Join(actions, ",") != "calendar_feed.create,calendar_feed.create,calendar_feed.revoke,calendar_feed.create" {
			t.Errorf("audit actions %v", actions)
		}
	})
}
