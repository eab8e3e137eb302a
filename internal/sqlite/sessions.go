package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"patentdesk/internal/auth"
)

// InsertSession stores a new session.
func (db *DB) InsertSession(ctx context.Context, s *auth.Session) error {
	data, err := json.Marshal(s.Data)
	if err != nil {
		return err
	}
	_, err = db.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, user_agent, address, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.UserID, formatTime(s.CreatedAt), formatTime(s.LastSeenAt), s.UserAgent, s.Address, string(data))
	return err
}

// SessionByHash returns the session stored under idHash, or auth.ErrNoSession.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (*auth.Session, error) {
	var s auth.Session
	var created, seen, data string
	err := db.sql.QueryRowContext(ctx, `SELECT id_hash, user_id, created_at, last_seen_at, user_agent, address, data
		FROM sessions WHERE id_hash = ?`, idHash).Scan(&s.IDHash, &s.UserID, &created, &seen, &s.UserAgent, &s.Address, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if s.LastSeenAt, err = parseTime(seen); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &s.Data); err != nil {
		return nil, err
	}
	return &s, nil
}

// UpdateSession records activity and the session's small values (flash messages).
func (db *DB) UpdateSession(ctx context.Context, idHash string, lastSeen time.Time, data map[string]string) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = db.exec(ctx, `UPDATE sessions SET last_seen_at = ?, data = ? WHERE id_hash = ?`, formatTime(lastSeen), string(b), idHash)
	return err
}

// DeleteSession ends a session on the server.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// created before createdBefore; the server runs it periodically.
func (db *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`,
		formatTime(idleBefore), formatTime(createdBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CountSessions returns how many sessions a user has open.
func (db *DB) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}

// userSessionsQuery reads one user's sessions through sessions_user_id.
const userSessionsQuery = `SELECT id_hash, user_id, created_at, last_seen_at, user_agent, address
	FROM sessions WHERE user_id = ? AND last_seen_at >= ? AND created_at >= ?
	ORDER BY last_seen_at DESC, created_at DESC`

// UserSessions lists a user's sessions that have not timed out (last seen
// at or after idleBefore, begun at or after createdBefore), the most
// recently used first.
func (db *DB) UserSessions(ctx context.Context, userID int64, idleBefore, createdBefore time.Time) ([]*auth.Session, error) {
	rows, err := db.sql.QueryContext(ctx, userSessionsQuery, userID, formatTime(idleBefore), formatTime(createdBefore))
	return scanAll(rows, err, func(row rowScanner) (*auth.Session, error) {
		var s auth.Session
		var created, seen string
		if err := row.Scan(&s.IDHash, &s.UserID, &created, &seen, &s.UserAgent, &s.Address); err != nil {
			return nil, err
		}
		var err error
		if s.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		s.LastSeenAt, err = parseTime(seen)
		return &s, err
	})
}

// EndSession ends one session of a user, from another browser of theirs
// or (byAdmin) an administrator's page, and records where the session
// came from. A session of another user, or one already ended, is
// ErrNotFound.
func (db *DB) EndSession(ctx context.Context, actor Actor, userID int64, idHash string, byAdmin bool) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var ua, addr, created string
		err := tx.QueryRow(`DELETE FROM sessions WHERE id_hash = ? AND user_id = ? RETURNING user_agent, address, created_at`,
			idHash, userID).Scan(&ua, &addr, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		record(Change{Action: "session.end", Entity: "user", EntityID: strconv.FormatInt(userID, 10),
			Details: map[string]any{"by_administrator": byAdmin, "session_address": addr, "session_device": ua, "session_started": created}})
		return nil
	})
}

// SessionConfirmedAt returns when the user of the session stored under
// idHash last confirmed their password: the latest ConfirmSession, or else
// the sign-in that began the session. An unknown session is
// auth.ErrNoSession.
func (db *DB) SessionConfirmedAt(ctx context.Context, idHash string) (time.Time, error) {
	var at string
	err := db.sql.QueryRowContext(ctx, `SELECT coalesce(confirmed_at, created_at) FROM sessions WHERE id_hash = ?`,
		idHash).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, auth.ErrNoSession
	}
	if err != nil {
		return time.Time{}, err
	}
	return parseTime(at)
}

// ConfirmSession records that userID has just confirmed their password in
// the session stored under idHash, and audits it. A session of another
// user, or one that has ended, is ErrNotFound.
func (db *DB) ConfirmSession(ctx context.Context, actor Actor, userID int64, idHash string) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		res, err := tx.Exec(`UPDATE sessions SET confirmed_at = ? WHERE id_hash = ? AND user_id = ?`,
			formatTime(db.now()), idHash, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		record(Change{Action: "session.reauth", Entity: "user", EntityID: strconv.FormatInt(userID, 10)})
		return nil
	})
}
