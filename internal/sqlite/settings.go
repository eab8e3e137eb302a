package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// DemoKind is which demo data set a database holds, as the settings row
// "demo" stores it; the UI says on every page what it is.
type DemoKind string

// The demo data sets.
const (
	NoDemo DemoKind = ""
	// DemoIllustrative is "patentdesk demo": built on public reports of
	// real agreements. Stored as "1" from when it was the only one.
	DemoIllustrative DemoKind = "1"
	// DemoSynthetic is "patentdesk demo --scale": invented throughout.
	DemoSynthetic DemoKind = "synthetic"
)

// Demo returns which demo data set this database holds, NoDemo for none.
func (db *DB) Demo(ctx context.Context) (DemoKind, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return NoDemo, nil
	}
	return DemoKind(v), err
}

// IsDemo reports whether this database holds a demo data set.
func (db *DB) IsDemo(ctx context.Context) (bool, error) {
	kind, err := db.Demo(ctx)
	return kind != NoDemo, err
}

// MarkDemo records that this database holds the demo data set of kind.
func (db *DB) MarkDemo(ctx context.Context, actor Actor, kind DemoKind) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES ('demo', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(kind)); err != nil {
			return err
		}
		record(Change{Action: "settings.demo", Entity: "settings", EntityID: "demo"})
		return nil
	})
}
