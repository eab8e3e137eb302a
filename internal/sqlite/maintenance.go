package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO, which reads one snapshot while writers go on. The target must
// not exist yet, so a backup never overwrites anything.
func (db *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return os.Chmod(abs, 0o600)
}

// Problems is what an integrity check found; empty means the database is sound.
type Problems []string

// Check runs SQLite's integrity check and the foreign-key check.
func (db *DB) Check(ctx context.Context) (Problems, error) {
	var problems Problems
	rows, err := db.sql.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, explainDamage(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, explainDamage(err)
		}
		if line != "ok" {
			problems = append(problems, "integrity: "+line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, explainDamage(err)
	}
	fk, err := db.sql.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer fk.Close()
	for fk.Next() {
		var table, parent string
		var rowid, fkid any
		if err := fk.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("foreign key: %s row %v refers to a missing %s row", table, rowid, parent))
	}
	return problems, fk.Err()
}

// String joins the problems one per line.
func (p Problems) String() string { return strings.Join(p, "\n") }
