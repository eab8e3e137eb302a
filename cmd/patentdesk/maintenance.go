package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"patentdesk/internal/sqlite"
)

// openExisting opens the database of a data directory that must exist
// already, so a mistyped --data does not silently create an empty one.
func openExisting(ctx context.Context, dataDir string) (*sqlite.DB, error) {
	if err := requireDatabase(dataDir); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, dataDir)
}

// requireDatabase fails unless dataDir holds a PatentDesk database.
func requireDatabase(dataDir string) error {
	if _, err := os.Stat(filepath.Join(dataDir, sqlite.FileName)); err != nil {
		return fmt.Errorf("no PatentDesk database in %s (set --data or PATENTDESK_DATA)", dataDir)
	}
	return nil
}

func cmdBackup(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("backup", std)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("backup needs exactly one argument: the file to write")
	}
	db, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	target := fs.Arg(0)
	if err := db.Backup(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "backup written to %s\n", target)
	return nil
}

func cmdCheck(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("check", std)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Inspect without migrating: check must not change what it examines.
	if err := requireDatabase(*data); err != nil {
		return err
	}
	db, err := sqlite.OpenUnmigrated(*data)
	if err != nil {
		return err
	}
	defer db.Close()
	problems, err := db.Check(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		fmt.Fprintln(std.out, problems.String())
		return fmt.Errorf("database check found %d problem(s)", len(problems))
	}
	fmt.Fprintln(std.out, "ok: integrity and foreign keys sound")
	return nil
}
