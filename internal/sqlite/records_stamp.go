package sqlite

import "context"

// recordsStampQuery walks the audit trail back from its newest row to the
// newest one that changed a record. Rows about users and sessions (sign-ins,
// sign-outs, tokens, calendar feeds, passwords, and the refused sign-ins of
// entity "session") change no company, patent or agreement; every other
// audited change may. audit_log.id is the rowid and rows are only ever
// added, so the walk is a few steps back from the end, as many as users
// have signed in since the last record changed.
const recordsStampQuery = `SELECT coalesce((SELECT id FROM audit_log WHERE entity NOT IN ('user', 'session')
	ORDER BY id DESC LIMIT 1), 0)`

// RecordsStamp is the id of the newest audit row that changed a record (a
// company, patent, agreement, import, setting), 0 when none did. Every
// change to the records writes an audit row in its own transaction, from
// this process or any other on the same file (a command-line import while
// the server runs), and the ids only grow: a figure worked out from the
// records while the stamp was s is still right while the stamp is s.
// Sessions and sign-ins leave it alone.
func (db *DB) RecordsStamp(ctx context.Context) (int64, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, recordsStampQuery).Scan(&id)
	return id, err
}
