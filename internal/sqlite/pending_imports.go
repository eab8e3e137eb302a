package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"
)

// PendingImport is an uploaded file waiting for confirmation of its import.
type PendingImport struct {
	ID        string // random, unguessable; in the confirmation page's URL
	UserID    int64
	Kind      string // "patents" or "companies"
	Format    string // "" = detect
	Filename  string
	CreatedAt time.Time
	Content   []byte
}

// SavePendingImport keeps an uploaded file until its import is confirmed or
// cancelled; p.ID is set. It changes no record, so it is not audited.
func (db *DB) SavePendingImport(ctx context.Context, p *PendingImport) error {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	p.ID = base64.RawURLEncoding.EncodeToString(b)
	p.CreatedAt = db.now()
	_, err := db.exec(ctx, `INSERT INTO pending_imports (id, user_id, kind, format, filename, created_at, content)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, p.UserID, p.Kind, p.Format, p.Filename, formatTime(p.CreatedAt), p.Content)
	return err
}

// PendingImportOf returns the user's pending upload, or ErrNotFound: another
// user's upload is not found either, whoever knows its id.
func (db *DB) PendingImportOf(ctx context.Context, id string, userID int64) (*PendingImport, error) {
	p := &PendingImport{}
	var created string
	err := db.sql.QueryRowContext(ctx, `SELECT id, user_id, kind, format, filename, created_at, content
		FROM pending_imports WHERE id = ? AND user_id = ?`, id, userID).
		Scan(&p.ID, &p.UserID, &p.Kind, &p.Format, &p.Filename, &created, &p.Content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.CreatedAt, err = parseTime(created)
	return p, err
}

// DeletePendingImport drops an upload once imported or cancelled.
func (db *DB) DeletePendingImport(ctx context.Context, id string, userID int64) error {
	_, err := db.exec(ctx, `DELETE FROM pending_imports WHERE id = ? AND user_id = ?`, id, userID)
	return err
}

// DeleteStalePendingImports drops uploads older than before, which their
// users left unconfirmed.
func (db *DB) DeleteStalePendingImports(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM pending_imports WHERE created_at < ?`, formatTime(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
