package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"patentdesk/internal/auth"
)

// Invitations and password resets: one-time links with which a person
// chooses their own password, so that no administrator ever knows it.

const linkColumns = `id, user_id, kind, hint, created_at, expires_at, used_at, revoked_at`

// Links are found by their secret's hash (a unique index) or as an
// account's newest open one (invitations_user_id).
const (
	linkBySecretQuery = `SELECT ` + linkColumns + ` FROM invitations WHERE secret_hash = ?`
	openLinkQuery     = `SELECT ` + linkColumns + ` FROM invitations
		WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`
)

func scanLink(row rowScanner) (*auth.PasswordLink, error) {
	var l auth.PasswordLink
	var kind, created, expires string
	var used, revoked sql.NullString
	if err := row.Scan(&l.ID, &l.UserID, &kind, &l.Hint, &created, &expires, &used, &revoked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	l.Kind = auth.LinkKind(kind)
	var err error
	if l.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if l.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, err
	}
	if l.UsedAt, err = parseNullTime(used); err != nil {
		return nil, err
	}
	if l.RevokedAt, err = parseNullTime(revoked); err != nil {
		return nil, err
	}
	return &l, nil
}

// InviteUser creates an account that has no password yet, and the link
// with which its person gives their name and chooses one; the link's
// secret is returned, to be shown once. u.ID is set on success.
func (db *DB) InviteUser(ctx context.Context, actor Actor, u *auth.User, expires time.Time) (secret string, link *auth.PasswordLink, err error) {
	u.PasswordHash, u.MustChangePassword = "", false
	err = db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if err := createUser(tx, db.now(), u); err != nil {
			return err
		}
		record(Change{Action: "user.create", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			Details: map[string]any{"email": u.Email, "name": u.Name, "role": string(u.Role), "invited": true}})
		secret, link, err = db.issueLink(tx, actor, u.ID, auth.LinkInvite, expires, record)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return secret, link, nil
}

// IssuePasswordLink makes a new one-time link for an account and revokes
// any earlier one still open: an invitation again while its person has
// not chosen a password yet, a password reset otherwise. The password
// stays as it is until the link is used. A disabled account gets none.
func (db *DB) IssuePasswordLink(ctx context.Context, actor Actor, userID int64, expires time.Time) (secret string, link *auth.PasswordLink, err error) {
	err = db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		u, err := scanUser(tx.QueryRow(userByIDQuery, userID))
		if err != nil {
			return err
		}
		if u.Disabled() {
			return auth.ErrUserDisabled
		}
		kind := auth.LinkReset
		if u.Invited() {
			kind = auth.LinkInvite
		}
		secret, link, err = db.issueLink(tx, actor, userID, kind, expires, record)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return secret, link, nil
}

// issueLink revokes the account's open links and stores a new one.
func (db *DB) issueLink(tx *sql.Tx, actor Actor, userID int64, kind auth.LinkKind, expires time.Time, record func(Change)) (string, *auth.PasswordLink, error) {
	now := db.now()
	if err := revokeLinks(tx, userID, now); err != nil {
		return "", nil, err
	}
	secret, hash, err := auth.NewSecret(auth.InvitePrefix)
	if err != nil {
		return "", nil, err
	}
	link := &auth.PasswordLink{UserID: userID, Kind: kind, Hint: auth.SecretHint(secret),
		CreatedAt: now.UTC().Truncate(time.Millisecond), ExpiresAt: expires.UTC().Truncate(time.Millisecond)}
	var by any
	if actor.UserID != 0 {
		by = actor.UserID
	}
	res, err := tx.Exec(`INSERT INTO invitations (user_id, kind, secret_hash, hint, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, userID, string(kind), hash, link.Hint, by, formatTime(now), formatTime(expires))
	if err != nil {
		return "", nil, err
	}
	if link.ID, err = res.LastInsertId(); err != nil {
		return "", nil, err
	}
	action := "user.reset"
	if kind == auth.LinkInvite {
		action = "user.invite"
	}
	record(Change{Action: action, Entity: "user", EntityID: strconv.FormatInt(userID, 10),
		Details: map[string]any{"link": link.ID, "hint": link.Hint, "expires": formatTime(expires)}})
	return secret, link, nil
}

// revokeLinks ends every open link of an account.
func revokeLinks(tx *sql.Tx, userID int64, now time.Time) error {
	_, err := tx.Exec(`UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL`,
		formatTime(now), userID)
	return err
}

// OpenPasswordLink returns the account's newest link that is neither used
// nor revoked (it may have expired: the caller says so), or ErrNotFound.
func (db *DB) OpenPasswordLink(ctx context.Context, userID int64) (*auth.PasswordLink, error) {
	return scanLink(db.sql.QueryRowContext(ctx, openLinkQuery, userID))
}

// PasswordLinkBySecret finds the link with this secret and its account
// while the link can be used; a link unknown, used, revoked or expired, or
// one of a disabled account, is ErrNotFound.
func (db *DB) PasswordLinkBySecret(ctx context.Context, secret string) (*auth.PasswordLink, *auth.User, error) {
	link, err := openLink(db.sql.QueryRowContext(ctx, linkBySecretQuery, auth.HashSecret(secret)), db.now())
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByID(ctx, link.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled() {
		return nil, nil, ErrNotFound
	}
	return link, u, nil
}

// openLink scans a link and refuses, as ErrNotFound, one that can no
// longer be used.
func openLink(row rowScanner, now time.Time) (*auth.PasswordLink, error) {
	link, err := scanLink(row)
	if err != nil {
		return nil, err
	}
	if !link.Open(now) {
		return nil, ErrNotFound
	}
	return link, nil
}

// UsePasswordLink sets the password chosen through a link, and with an
// invitation the name given, and spends the link: a second use, even a
// racing one, is ErrNotFound. Every session of the account ends, as with
// any new password, and with a reset link every API token and calendar
// feed link of the account is revoked: an administrator's reset is the way
// back after a compromise.
func (db *DB) UsePasswordLink(ctx context.Context, actor Actor, secret, name, hash string) (*auth.User, error) {
	var u *auth.User
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		now := db.now()
		link, err := openLink(tx.QueryRow(linkBySecretQuery, auth.HashSecret(secret)), now)
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(userByIDQuery, link.UserID)); err != nil {
			return err
		}
		if u.Disabled() {
			return ErrNotFound
		}
		if _, err := tx.Exec(`UPDATE invitations SET used_at = ? WHERE id = ?`, formatTime(now), link.ID); err != nil {
			return err
		}
		if link.Kind != auth.LinkInvite {
			name = u.Name
		}
		if _, err := tx.Exec(`UPDATE users SET password_hash = ?, must_change_password = 0, name = ?, updated_at = ? WHERE id = ?`,
			hash, name, formatTime(now), u.ID); err != nil {
			return err
		}
		ended, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID)
		if err != nil {
			return err
		}
		n, _ := ended.RowsAffected()
		u.PasswordHash, u.MustChangePassword, u.Name = hash, false, name
		change := Change{Action: "user.password_reset", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			Details: map[string]any{"link": link.ID, "sessions_ended": n}}
		if link.Kind == auth.LinkInvite {
			change.Action, change.Details = "user.invitation_accepted", map[string]any{"link": link.ID, "name": name}
		} else if err := revokeTokensAndFeeds(tx, u.ID, now, change.Details); err != nil {
			return err
		}
		record(change)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetInitialPassword gives an account a password chosen by an
// administrator, which its person must replace at their next sign-in.
// Every session of the account ends and its open links, API tokens and
// calendar feed links are revoked: this is the way back after a compromise.
func (db *DB) SetInitialPassword(ctx context.Context, actor Actor, userID int64, hash string) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		now := db.now()
		u, err := scanUser(tx.QueryRow(userByIDQuery, userID))
		if err != nil {
			return err
		}
		if u.Disabled() {
			return auth.ErrUserDisabled
		}
		if _, err := tx.Exec(`UPDATE users SET password_hash = ?, must_change_password = 1, updated_at = ? WHERE id = ?`,
			hash, formatTime(now), userID); err != nil {
			return err
		}
		if err := revokeLinks(tx, userID, now); err != nil {
			return err
		}
		ended, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, _ := ended.RowsAffected()
		details := map[string]any{"initial_password": true, "sessions_ended": n}
		if err := revokeTokensAndFeeds(tx, userID, now, details); err != nil {
			return err
		}
		record(Change{Action: "user.reset", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: details})
		return nil
	})
}
