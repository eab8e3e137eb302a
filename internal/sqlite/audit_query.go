package sqlite

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// AuditFilter selects rows of the audit trail; nil fields do not filter.
type AuditFilter struct {
	Entity   *string    // e.g. "patent"
	EntityID *string    // with Entity: one record's history
	UserID   *int64     // changes made by this user
	Actor    *string    // changes made under this name (e.g. "command line")
	From     *time.Time // at or after this moment
	Before   *time.Time // strictly before this moment
	Cursor   string     // from the previous page: the id after which to continue
	Limit    int        // 0: 100
}

// AuditTrail lists audit rows matching f, newest first, a page at a time;
// next is the cursor of the following page, or "" after the last. Every
// filter is served by an index of audit_log.
func (db *DB) AuditTrail(ctx context.Context, f AuditFilter) (list []AuditEntry, next string, err error) {
	where, args := []string{"1"}, []any{}
	if f.Entity != nil {
		where = append(where, "entity = ?")
		args = append(args, *f.Entity)
		if f.EntityID != nil {
			where = append(where, "entity_id = ?")
			args = append(args, *f.EntityID)
		}
	}
	if f.UserID != nil {
		where = append(where, "user_id = ?")
		args = append(args, *f.UserID)
	}
	if f.Actor != nil {
		where = append(where, "actor = ?")
		args = append(args, *f.Actor)
	}
	if f.From != nil {
		where = append(where, "at >= ?")
		args = append(args, formatTime(*f.From))
	}
	if f.Before != nil {
		where = append(where, "at < ?")
		args = append(args, formatTime(*f.Before))
	}
	if f.Cursor != "" {
		id, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || id <= 0 {
			return nil, "", invalidCursor()
		}
		where = append(where, "id < ?")
		args = append(args, id)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit+1)
	rows, err := db.sql.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), actor, via, address, action, entity, entity_id, details
		FROM audit_log WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.Via, &e.Address, &e.Action, &e.Entity, &e.EntityID, &e.Details); err != nil {
			return nil, "", err
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, "", err
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		list = list[:limit]
		next = strconv.FormatInt(list[limit-1].ID, 10)
	}
	return list, next, nil
}

// EachAudit calls fn for every audit row matching f, newest first, reading
// a page at a time so that an export of the whole trail runs in constant memory.
func (db *DB) EachAudit(ctx context.Context, f AuditFilter, fn func(AuditEntry) error) error {
	f.Limit = eachPage
	return eachPaged(func(cursor string) ([]AuditEntry, string, error) {
		f.Cursor = cursor
		return db.AuditTrail(ctx, f)
	}, f.Cursor, fn)
}
