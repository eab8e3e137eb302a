package sqlite

import (
	"database/sql"

	"patentdesk/internal/licensing"
)

// dateArg stores a calendar date as YYYY-MM-DD text, or NULL for none.
func dateArg(d licensing.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// scanDate reads a nullable YYYY-MM-DD column.
func scanDate(ns sql.NullString) (licensing.Date, error) {
	if !ns.Valid {
		return licensing.Date{}, nil
	}
	return licensing.ParseDate(ns.String)
}
