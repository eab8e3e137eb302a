package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"patentdesk/internal/auth"
)

// CalendarFeed is a secret link to a user's deadlines as an iCalendar
// feed, as listed: never the secret itself, which is shown once and stored
// only as its hash, like a personal access token's.
type CalendarFeed struct {
	ID         int64
	UserID     int64
	Name       string
	AlarmDays  int // days before each deadline a calendar reminds; 0: no reminder
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the feed's link still opens the feed.
func (f *CalendarFeed) Active() bool { return f.RevokedAt == nil }

// MaxAlarmDays bounds how many days before a deadline a feed may remind.
const MaxAlarmDays = 365

const feedColumns = `f.id, f.user_id, f.name, f.alarm_days, f.created_at, f.last_used_at, f.revoked_at`

func scanCalendarFeed(row rowScanner) (*CalendarFeed, error) {
	var f CalendarFeed
	if err := scanIssued(row, &f.CreatedAt, &f.LastUsedAt, &f.RevokedAt, &f.ID, &f.UserID, &f.Name, &f.AlarmDays); err != nil {
		return nil, err
	}
	return &f, nil
}

// CreateCalendarFeed makes a new calendar feed for a user, reminding
// alarmDays (0…MaxAlarmDays) before each deadline, and returns its secret,
// which is not stored and cannot be shown again.
func (db *DB) CreateCalendarFeed(ctx context.Context, actor Actor, userID int64, name string, alarmDays int) (secret string, feed *CalendarFeed, err error) {
	errs := map[string]string{}
	if name, err = auth.TokenName(name); err != nil {
		errs["name"] = err.Error()
	}
	if alarmDays < 0 || alarmDays > MaxAlarmDays {
		errs["alarm_days"] = fmt.Sprintf("must be a number of days from 0 (no reminder) to %d", MaxAlarmDays)
	}
	if err := invalidFields("calendar feed", errs); err != nil {
		return "", nil, err
	}
	secret, hash, err := auth.NewSecret(auth.FeedPrefix)
	if err != nil {
		return "", nil, err
	}
	now := db.now()
	feed = &CalendarFeed{UserID: userID, Name: name, AlarmDays: alarmDays, CreatedAt: now.UTC().Truncate(time.Millisecond)}
	err = db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if err := liveUser(tx, userID); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO calendar_feeds (user_id, name, secret_hash, alarm_days, created_at) VALUES (?, ?, ?, ?, ?)`,
			userID, name, hash, alarmDays, formatTime(now))
		if err != nil {
			return err
		}
		if feed.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		record(Change{Action: "calendar_feed.create", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"calendar_feed": feed.ID, "name": name, "alarm_days": alarmDays}})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, feed, nil
}

// CalendarFeeds lists a user's calendar feeds, the live ones first, newest
// first.
func (db *DB) CalendarFeeds(ctx context.Context, userID int64) ([]*CalendarFeed, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds f WHERE f.user_id = ?
		ORDER BY f.revoked_at IS NOT NULL, f.created_at DESC, f.id DESC`, userID)
	return scanAll(rows, err, scanCalendarFeed)
}

// RevokeCalendarFeed ends one of a user's calendar feeds at once; a feed of
// another user, or one already revoked, is ErrNotFound.
func (db *DB) RevokeCalendarFeed(ctx context.Context, actor Actor, userID, feedID int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		name, err := revokeIssued(tx, "calendar_feeds", userID, feedID, db.now())
		if err != nil {
			return err
		}
		record(Change{Action: "calendar_feed.revoke", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"calendar_feed": feedID, "name": name}})
		return nil
	})
}

// CalendarFeedBySecret finds the live feed with this secret and its user,
// who must not be disabled; anything else is ErrNotFound, whatever the
// reason, so that a link gives away nothing about other links.
func (db *DB) CalendarFeedBySecret(ctx context.Context, secret string) (*auth.User, *CalendarFeed, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds f JOIN users u ON u.id = f.user_id
		WHERE f.secret_hash = ? AND f.revoked_at IS NULL AND u.disabled_at IS NULL`, auth.HashSecret(secret))
	feed, err := scanCalendarFeed(row)
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByID(ctx, feed.UserID)
	if err != nil {
		return nil, nil, err
	}
	return u, feed, nil
}

// TouchCalendarFeed records when a feed was last fetched.
func (db *DB) TouchCalendarFeed(ctx context.Context, feedID int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?`, formatTime(at), feedID)
	return err
}

// A calendar feed's secret is issued like a personal access token's
// (tokens.go): one row per secret, in a table of its own, that ends with
// the same columns for when it was made, last used and revoked, and is
// revoked by its user alone. What both do alike is below.

// scanIssued scans a row of issued secrets: dest are the columns before
// created_at, last_used_at and revoked_at, which go to created, used and
// revoked. No row is ErrNotFound.
func scanIssued(row rowScanner, created *time.Time, used, revoked **time.Time, dest ...any) error {
	var c string
	var u, r sql.NullString
	if err := row.Scan(append(dest, &c, &u, &r)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return err
	}
	var err error
	if *created, err = parseTime(c); err != nil {
		return err
	}
	if *used, err = parseNullTime(u); err != nil {
		return err
	}
	*revoked, err = parseNullTime(r)
	return err
}

// liveUser refuses, as ErrNotFound, a user who does not exist or is
// disabled: no secret is issued to them.
func liveUser(tx *sql.Tx, userID int64) error {
	var disabled sql.NullString
	err := tx.QueryRow(`SELECT disabled_at FROM users WHERE id = ?`, userID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled.Valid) {
		return ErrNotFound
	}
	return err
}

// revokeIssued revokes the live secret id of a user in table (a constant:
// api_tokens or calendar_feeds) and returns its name; ErrNotFound when the
// user has no such live secret.
func revokeIssued(tx *sql.Tx, table string, userID, id int64, at time.Time) (string, error) {
	var name string
	err := tx.QueryRow(`UPDATE `+table+` SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL
		RETURNING name`, formatTime(at), id, userID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return name, err
}
