package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// IsDemo reports whether this database holds the demo data set, which the
// UI must say on every page.
func (db *DB) IsDemo(ctx context.Context) (bool, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v == "1", err
}

// MarkDemo records that this database holds the demo data set.
func (db *DB) MarkDemo(ctx context.Context, actor Actor) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES ('demo', '1')
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`); err != nil {
			return err
		}
		record(Change{Action: "settings.demo", Entity: "settings", EntityID: "demo"})
		return nil
	})
}
