package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The doors through which a change can come in, recorded in the audit trail.
const (
	ViaWeb    = "web"
	ViaAPI    = "api"
	ViaCLI    = "cli"
	ViaSystem = "system"
)

// Actor is who makes a change, and through which door.
type Actor struct {
	UserID  int64 // 0 when no signed-in user acts (the command line, the system)
	Email   string
	Via     string
	Address string
}

// CLIActor is the actor for changes made with the command line.
func CLIActor() Actor { return Actor{Email: "command line", Via: ViaCLI} }

// SystemActor is the actor for changes the application makes by itself.
func SystemActor() Actor { return Actor{Email: "system", Via: ViaSystem} }

// Change is one audited change or security event.
type Change struct {
	Action   string // e.g. "user.create", "session.signin"
	Entity   string // e.g. "user"
	EntityID string
	Details  map[string]any
}

// AuditEntry is one row of the audit trail as read back.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	Actor    string
	Via      string
	Address  string
	Action   string
	Entity   string
	EntityID string
	Details  string // JSON
}

// change runs fn in a transaction and writes the audit rows it records in
// the same transaction: the one path every write takes.
func (db *DB) change(ctx context.Context, actor Actor, fn func(tx *sql.Tx, record func(Change)) error) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.audited(tx, actor, fn) })
}

// audited runs fn in tx, then writes the audit rows fn recorded, in the
// order it recorded them.
func (db *DB) audited(tx *sql.Tx, actor Actor, fn func(tx *sql.Tx, record func(Change)) error) error {
	var changes []Change
	if err := fn(tx, func(c Change) { changes = append(changes, c) }); err != nil {
		return err
	}
	for _, c := range changes {
		if err := db.writeAudit(tx, actor, c); err != nil {
			return err
		}
	}
	return nil
}

// RecordEvent writes an audit row for an event that changes no data, such as
// a sign-in or a refused sign-in.
func (db *DB) RecordEvent(ctx context.Context, actor Actor, c Change) error {
	return db.change(ctx, actor, func(_ *sql.Tx, record func(Change)) error {
		record(c)
		return nil
	})
}

func (db *DB) writeAudit(tx *sql.Tx, a Actor, c Change) error {
	details := "{}"
	if len(c.Details) > 0 {
		b, err := json.Marshal(c.Details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = string(b)
	}
	var userID any
	if a.UserID != 0 {
		userID = a.UserID
	}
	_, err := tx.Exec(`INSERT INTO audit_log (at, user_id, actor, via, address, action, entity, entity_id, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(db.now()), userID, a.Email, a.Via, a.Address, c.Action, c.Entity, c.EntityID, details)
	return err
}

// RecentAudit returns the newest audit rows first, at most limit of them.
func (db *DB) RecentAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	list, _, err := db.AuditTrail(ctx, AuditFilter{Limit: limit})
	return list, err
}

// auditRowsPerInsert is how many audit rows one INSERT of writeAuditBatch
// writes: nine values a row, within SQLite's limit of 32,766 a statement.
const auditRowsPerInsert = 256

// auditRow is a change as writeAuditBatch takes it: its details already
// encoded (auditDetails), which may be done away from the transaction.
type auditRow struct {
	action, entity, entityID, details string
}

// auditDetails encodes a change as writeAudit encodes it.
func auditDetails(c Change) (auditRow, error) {
	row := auditRow{action: c.Action, entity: c.Entity, entityID: c.EntityID, details: "{}"}
	if len(c.Details) > 0 {
		b, err := json.Marshal(c.Details)
		if err != nil {
			return row, fmt.Errorf("audit details: %w", err)
		}
		row.details = string(b)
	}
	return row, nil
}

// writeAuditBatch writes audit rows in their order, as writeAudit writes
// each (the same values, ids in the same order), but auditRowsPerInsert
// rows to a statement: for an import of many patents, whose one-row
// INSERTs cost more in database/sql and the driver than in SQLite.
func (db *DB) writeAuditBatch(tx *sql.Tx, a Actor, rows []auditRow) error {
	var userID any
	if a.UserID != 0 {
		userID = a.UserID
	}
	args := make([]any, 0, 9*min(len(rows), auditRowsPerInsert))
	for len(rows) > 0 {
		n := min(len(rows), auditRowsPerInsert)
		at := formatTime(db.now())
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, at, userID, a.Email, a.Via, a.Address, r.action, r.entity, r.entityID, r.details)
		}
		res, err := tx.Exec(insertAuditRows(n), args...)
		if err != nil {
			return err
		}
		if _, err := allWritten(res, n); err != nil {
			return fmt.Errorf("audit rows: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// insertAuditRows is the INSERT of n audit rows. OR IGNORE spares SQLite
// the journal of the pages the statement changes, kept to undo a
// statement of several rows should one be refused; none may be, and
// writeAuditBatch checks that none was.
func insertAuditRows(n int) string {
	return `INSERT OR IGNORE INTO audit_log (at, user_id, actor, via, address, action, entity, entity_id, details) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")
}
