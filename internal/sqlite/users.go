package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"patentdesk/internal/auth"
)

const userColumns = `id, email, name, role, password_hash, locale, must_change_password, disabled_at, created_at`

const userByIDQuery = `SELECT ` + userColumns + ` FROM users WHERE id = ?`

func scanUser(row interface{ Scan(...any) error }) (*auth.User, error) {
	var u auth.User
	var role, created string
	var disabled sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &u.Locale, &u.MustChangePassword, &disabled, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	u.Role = auth.Role(role)
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if u.DisabledAt, err = parseNullTime(disabled); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser stores a new account; u.ID is set on success.
func (db *DB) CreateUser(ctx context.Context, actor Actor, u *auth.User) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if err := createUser(tx, db.now(), u); err != nil {
			return err
		}
		details := map[string]any{"email": u.Email, "name": u.Name, "role": string(u.Role)}
		if u.MustChangePassword {
			details["must_change_password"] = true
		}
		record(Change{Action: "user.create", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10), Details: details})
		return nil
	})
}

// CreateFirstAdmin stores u only while there is no account at all, so that
// the one-time setup page cannot be used twice, even by two racing requests.
func (db *DB) CreateFirstAdmin(ctx context.Context, actor Actor, u *auth.User) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrSetupDone
		}
		if err := createUser(tx, db.now(), u); err != nil {
			return err
		}
		record(Change{Action: "user.create", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			Details: map[string]any{"email": u.Email, "name": u.Name, "role": string(u.Role), "setup": true}})
		return nil
	})
}

// ErrSetupDone is returned when the first administrator already exists.
var ErrSetupDone = errors.New("setup has already been completed")

func createUser(tx *sql.Tx, now time.Time, u *auth.User) error {
	ts := formatTime(now)
	res, err := tx.Exec(`INSERT INTO users (email, name, role, password_hash, locale, must_change_password, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, string(u.Role), u.PasswordHash, u.Locale, u.MustChangePassword, ts, ts)
	if err != nil {
		if isUniqueViolation(err) {
			return auth.ErrUserExists
		}
		return fmt.Errorf("insert user: %w", err)
	}
	u.ID, err = res.LastInsertId()
	u.CreatedAt = now.UTC().Truncate(1e6)
	return err
}

// CountUsers returns how many accounts exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// UserByID returns the account with the given id, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (*auth.User, error) {
	return scanUser(db.sql.QueryRowContext(ctx, userByIDQuery, id))
}

// UserByEmail returns the account with the given email (any case), or ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (*auth.User, error) {
	return scanUser(db.sql.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.TrimSpace(email)))
}

// ListUsers returns every account ordered by email.
func (db *DB) ListUsers(ctx context.Context) ([]*auth.User, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Audit actions the web layer records about a user's password (through
// RecordEvent): a wrong current password given to change it, and an attempt
// refused because the account is locked after too many wrong ones.
const (
	ActionPasswordCheckFailed    = "user.password_check_failed"
	ActionPasswordCheckThrottled = "user.password_check_throttled"
)

// SetPassword replaces a user's password hash and ends every session of the
// user except keepSessionHash (the one that made the change, if any), so that
// a changed password locks out whoever knew the old one. Any open invitation
// or reset link is revoked. The user's API tokens and calendar feed links
// keep working: they were never opened by the password
// (SetPasswordRevokingAccess ends them too).
func (db *DB) SetPassword(ctx context.Context, actor Actor, userID int64, hash string, keepSessionHash string) error {
	return db.setPassword(ctx, actor, userID, hash, keepSessionHash, false)
}

// SetPasswordRevokingAccess is SetPassword that also revokes every API
// token and calendar feed link of the user, for a change made because the
// old password may be known to someone else.
func (db *DB) SetPasswordRevokingAccess(ctx context.Context, actor Actor, userID int64, hash string, keepSessionHash string) error {
	return db.setPassword(ctx, actor, userID, hash, keepSessionHash, true)
}

func (db *DB) setPassword(ctx context.Context, actor Actor, userID int64, hash string, keepSessionHash string, revokeAccess bool) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		res, err := tx.Exec(`UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?`,
			hash, formatTime(db.now()), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		// An open invitation or reset link would replace the password just chosen.
		if err := revokeLinks(tx, userID, db.now()); err != nil {
			return err
		}
		ended, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, userID, keepSessionHash)
		if err != nil {
			return err
		}
		n, _ := ended.RowsAffected()
		details := map[string]any{"sessions_ended": n}
		if revokeAccess {
			if err := revokeTokensAndFeeds(tx, userID, db.now(), details); err != nil {
				return err
			}
		}
		record(Change{Action: "user.password", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: details})
		return nil
	})
}

// revokeTokensAndFeeds revokes every API token and calendar feed link of
// the user that still works, and notes how many in details, if given
// (tokens_revoked, feeds_revoked). A password reset is what follows a
// compromise, and a token or feed link made by whoever broke in would
// otherwise outlive it.
func revokeTokensAndFeeds(tx *sql.Tx, userID int64, now time.Time, details map[string]any) error {
	for _, t := range []struct{ table, detail string }{{"api_tokens", "tokens_revoked"}, {"calendar_feeds", "feeds_revoked"}} {
		r, err := tx.Exec(`UPDATE `+t.table+` SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, formatTime(now), userID)
		if err != nil {
			return err
		}
		if details != nil {
			details[t.detail], _ = r.RowsAffected()
		}
	}
	return nil
}

// RehashPassword stores a stronger hash of an unchanged password after a
// sign-in; it is housekeeping, not a change of the account, so it is not audited.
func (db *DB) RehashPassword(ctx context.Context, userID int64, hash string) error {
	_, err := db.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	return err
}

// SetLocale stores the user's language choice ("" follows the browser).
func (db *DB) SetLocale(ctx context.Context, actor Actor, userID int64, locale string) error {
	if !auth.ValidLocale(locale) {
		return fmt.Errorf("locale %q is not supported", locale)
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var old string
		if err := tx.QueryRow(`SELECT locale FROM users WHERE id = ?`, userID).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if old == locale {
			return nil
		}
		if _, err := tx.Exec(`UPDATE users SET locale = ?, updated_at = ? WHERE id = ?`, locale, formatTime(db.now()), userID); err != nil {
			return err
		}
		record(Change{Action: "user.locale", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"from": old, "to": locale}})
		return nil
	})
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// SetUserDisabled disables or re-enables an account. Disabling ends every
// session, API token, calendar feed and password link of the user at once;
// disabling the last active administrator is auth.ErrLastAdmin.
func (db *DB) SetUserDisabled(ctx context.Context, actor Actor, userID int64, disabled bool) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var at any
		action := "user.enable"
		if disabled {
			at, action = formatTime(db.now()), "user.disable"
			if err := keepAnAdmin(tx, userID); err != nil {
				return err
			}
			if err := revokeLinks(tx, userID, db.now()); err != nil {
				return err
			}
		}
		res, err := tx.Exec(`UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`, at, formatTime(db.now()), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		var ended int64
		if disabled {
			r, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
			if err != nil {
				return err
			}
			ended, _ = r.RowsAffected()
			// Tokens and feed links die with the account; re-enabling it
			// does not bring them back.
			if err := revokeTokensAndFeeds(tx, userID, db.now(), nil); err != nil {
				return err
			}
		}
		record(Change{Action: action, Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"sessions_ended": ended}})
		return nil
	})
}

// keepAnAdmin refuses, as auth.ErrLastAdmin, to take away the administrator
// role of userID (by a role change or by disabling) when the account is
// the last active administrator: enabled and with a password of its own.
// The command line is held to this as much as the web: with no
// administrator left, only the server's operator could add users.
func keepAnAdmin(tx *sql.Tx, userID int64) error {
	var role, hash string
	var disabled sql.NullString
	err := tx.QueryRow(`SELECT role, password_hash, disabled_at FROM users WHERE id = ?`, userID).Scan(&role, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil || role != string(auth.RoleAdmin) || disabled.Valid || hash == "" {
		return err
	}
	var others int
	if err := tx.QueryRow(`SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND password_hash <> ''
		AND id <> ?`, userID).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return auth.ErrLastAdmin
	}
	return nil
}

// SetUserRole changes an account's role; it takes effect on the account's
// next request, since every request reads the role afresh. Demoting the
// last active administrator is auth.ErrLastAdmin; an unchanged role changes
// nothing and records nothing.
func (db *DB) SetUserRole(ctx context.Context, actor Actor, userID int64, role auth.Role) error {
	if _, err := auth.ParseRole(string(role)); err != nil {
		return err
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var old string
		if err := tx.QueryRow(`SELECT role FROM users WHERE id = ?`, userID).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if old == string(role) {
			return nil
		}
		if role != auth.RoleAdmin {
			if err := keepAnAdmin(tx, userID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE users SET role = ?, updated_at = ? WHERE id = ?`, string(role), formatTime(db.now()), userID); err != nil {
			return err
		}
		record(Change{Action: "user.role", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"before": map[string]any{"role": old}, "after": map[string]any{"role": string(role)}}})
		return nil
	})
}
