package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"patentdesk/internal/auth"
)

const tokenColumns = `t.id, t.user_id, t.name, t.hint, t.created_at, t.last_used_at, t.revoked_at`

// Personal access tokens are secrets issued as calendar feeds are; the
// helpers both use (scanIssued, liveUser, revokeIssued) are in
// calendar_feeds.go.

func scanToken(row rowScanner) (*auth.APIToken, error) {
	var t auth.APIToken
	if err := scanIssued(row, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt, &t.ID, &t.UserID, &t.Name, &t.Hint); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateAPIToken makes a new personal access token for a user and returns
// its secret, which is not stored and cannot be shown again.
func (db *DB) CreateAPIToken(ctx context.Context, actor Actor, userID int64, name string) (secret string, tok *auth.APIToken, err error) {
	name, err = auth.TokenName(name)
	if err != nil {
		return "", nil, invalidFields("token", map[string]string{"name": err.Error()})
	}
	secret, hash, err := auth.NewSecret(auth.TokenPrefix)
	if err != nil {
		return "", nil, err
	}
	now := db.now()
	tok = &auth.APIToken{UserID: userID, Name: name, Hint: auth.SecretHint(secret), CreatedAt: now.UTC().Truncate(time.Millisecond)}
	err = db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if err := liveUser(tx, userID); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO api_tokens (user_id, name, token_hash, hint, created_at) VALUES (?, ?, ?, ?, ?)`,
			userID, name, hash, tok.Hint, formatTime(now))
		if err != nil {
			return err
		}
		if tok.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		record(Change{Action: "token.create", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"token": tok.ID, "name": name, "hint": tok.Hint}})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// APITokens lists a user's tokens, the live ones first, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]*auth.APIToken, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t WHERE t.user_id = ?
		ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id DESC`, userID)
	return scanAll(rows, err, scanToken)
}

// RevokeAPIToken ends one of a user's tokens at once; a token of another
// user, or one already revoked, is ErrNotFound.
func (db *DB) RevokeAPIToken(ctx context.Context, actor Actor, userID, tokenID int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		name, err := revokeIssued(tx, "api_tokens", userID, tokenID, db.now())
		if err != nil {
			return err
		}
		record(Change{Action: "token.revoke", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"token": tokenID, "name": name}})
		return nil
	})
}

// UserByAPIToken finds the live token with this secret and its user, who
// must not be disabled; anything else is auth.ErrNoToken.
func (db *DB) UserByAPIToken(ctx context.Context, secret string) (*auth.User, *auth.APIToken, error) {
	row := db.sql.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, auth.HashSecret(secret))
	tok, err := scanToken(row)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, auth.ErrNoToken
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByID(ctx, tok.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, auth.ErrNoToken
	}
	return u, tok, err
}

// TouchAPIToken records when a token was last used.
func (db *DB) TouchAPIToken(ctx context.Context, tokenID int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(at), tokenID)
	return err
}
