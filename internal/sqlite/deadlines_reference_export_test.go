package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// ReferenceDeadlinesThrough is DeadlinesThrough as it read the deadlines
// before session 12 (deadlines_reference_test.go), for the tests outside
// the package. A function, not a method: every method of DB is a store
// method that audit_test.go classifies.
func ReferenceDeadlinesThrough(ctx context.Context, db *DB, f DeadlineFilter) ([]licensing.Deadline, licensing.Date, error) {
	return db.refDeadlinesThrough(ctx, f)
}
