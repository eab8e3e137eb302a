package sqlite

import (
	"context"
	"strings"
)

// ChangeKinds are kinds of record change that a figure worked out from
// the records may not depend on: a figure that reads no obligation keeps
// its value when an occurrence is marked done. Every other record change
// (a company, patent, agreement's own fields, assignment, import, setting,
// and any change of a kind not named here) counts for every figure.
type ChangeKinds uint8

// The kinds of change a figure may leave out, each by the actions that
// write it (all under the entity "agreement", whose obligations, documents
// and grants they are).
const (
	// ObligationChanges: an obligation added, edited or deleted, an
	// occurrence marked, occurrences settled (obligation.*).
	ObligationChanges ChangeKinds = 1 << iota
	// DocumentChanges: a file attached to an agreement or removed
	// (document.*).
	DocumentChanges
	// GrantChanges: a grant added, edited or deleted (grant.*).
	GrantChanges
)

// changeKindOf is the kind of an audited change: 0 for one about users
// and sessions, which changes no record, allKinds for a record change of
// no kind that a figure may leave out.
func changeKindOf(entity, action string) ChangeKinds {
	if entity == "user" || entity == "session" {
		return 0
	}
	if entity == "agreement" {
		kind, _, _ := strings.Cut(action, ".")
		switch kind {
		case "obligation":
			return ObligationChanges
		case "document":
			return DocumentChanges
		case "grant":
			return GrantChanges
		}
	}
	return allKinds
}

// allKinds is the kind of a change that no figure may leave out.
const allKinds ChangeKinds = 0xff

// stampWalk is how many audit rows RecordsStamps reads back from the
// newest at most. Past them, a stamp not yet found is taken to be the
// newest row: the figure counts again once, as it did before it had a
// stamp of its own. A day of marking occurrences done is some hundreds
// of rows; reading them costs microseconds each.
const stampWalk = 4096

// RecordsStamps are the stamps figures worked out from the records are
// kept under: for each set of kinds of change in ignored, the id of the
// newest audit row that changed a record by a change of another kind (0
// when none did). Every change to the records writes an audit row in its
// own transaction, from this process or any other on the same file (a
// command-line import while the server runs), and the ids only grow: a
// figure kept under its stamp is still right while its stamp is the same,
// only changes it leaves out having come since. Rows about users and
// sessions (sign-ins, tokens, passwords) change no record and move none. The stamps are read in one walk
// back from the newest audit row, which ends at the first row every set
// counts (usually the first), and after stampWalk rows at most.
func (db *DB) RecordsStamps(ctx context.Context, ignored ...ChangeKinds) ([]int64, error) {
	stamps := make([]int64, len(ignored))
	rows, err := db.sql.QueryContext(ctx, `SELECT id, entity, action FROM audit_log ORDER BY id DESC LIMIT ?`, stampWalk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var newest, id int64
	var entity, action string
	left, read := len(ignored), 0
	for left > 0 && rows.Next() {
		if err := rows.Scan(&id, &entity, &action); err != nil {
			return nil, err
		}
		if read++; read == 1 {
			newest = id
		}
		kind := changeKindOf(entity, action)
		for i, ig := range ignored {
			if stamps[i] == 0 && kind&^ig != 0 {
				stamps[i], left = id, left-1
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if left > 0 && read == stampWalk {
		// Not found in the rows read: some such change may lie further
		// back. The newest row stands for it, so that the figure counts
		// again after any later change.
		for i := range stamps {
			if stamps[i] == 0 {
				stamps[i] = newest
			}
		}
	}
	return stamps, nil
}
