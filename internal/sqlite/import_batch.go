package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// The import of a native file of 100,000 new patents spent most of its
// time around its statements rather than in them (docs/perf.md, "Native
// import"): four one-row INSERTs a patent (its row, first holding, search
// row and, at the end, its audit row), each paying database/sql and the
// driver some microseconds before SQLite's b-tree work begins. Here the new
// patents of an import wait in a batch and are written
// importPatentsPerInsert rows to a statement, their first holdings with
// one statement a batch, their search rows searchRowsPerInsert to a
// statement (bulk.go), and the import's audit rows auditRowsPerInsert to a
// statement at the end (writeAuditBatch), in the order they were recorded.
// The rows written are those patentWriter.create writes, with the same ids
// in the same order.

// importPatentsPerInsert is how many new patents rows one INSERT of an
// import writes (see patentsPerInsert, the bulk loader's, for why a
// statement of a few hundred rows).
const importPatentsPerInsert = 256

// importAudit gathers an import's audit rows in the order of their
// changes. A created patent's row is made when the patent has its id;
// until then it holds the patent.
type importAudit struct {
	entries []auditEntry
	encoded []auditRow // the rows of the first entries, once encode has made them
	done    chan error // closed when encode is done
}

// auditEntry is one audit row of an import: a change as recorded, or a
// created patent (with its owner's legal name) whose change is made from it.
type auditEntry struct {
	change  Change
	created *licensing.Patent
	owner   string
}

// record takes a change as change's record function does.
func (a *importAudit) record(c Change) { a.entries = append(a.entries, auditEntry{change: c}) }

// created records the creation of p, whose id is not known yet.
func (a *importAudit) created(p *licensing.Patent, owner string) {
	a.entries = append(a.entries, auditEntry{created: p, owner: owner})
}

// row is the audit row of an entry, its patent's id now known.
func (e *auditEntry) row() (auditRow, error) {
	if e.created == nil {
		return auditDetails(e.change)
	}
	return auditDetails(Change{Action: "patent.create", Entity: "patent", EntityID: strconv.FormatInt(e.created.ID, 10),
		Details: map[string]any{"after": createdSnapshot(e.created, e.owner)}})
}

// encode starts encoding the rows gathered so far on a goroutine of its
// own (JSON of 100,000 snapshots: a few tenths of a second), to be done
// while the transaction goes on; the created patents must have their ids
// and not change any more. write waits for it.
func (a *importAudit) encode() {
	entries := a.entries
	encoded := make([]auditRow, len(entries))
	done := make(chan error, 1)
	a.encoded, a.done = encoded, done
	go func() {
		defer close(done)
		for i := range entries {
			r, err := entries[i].row()
			if err != nil {
				done <- err
				return
			}
			encoded[i] = r
		}
	}()
}

// write writes the gathered rows, as change would have written them one by one.
func (a *importAudit) write(db *DB, tx *sql.Tx, actor Actor) error {
	if a.done != nil {
		if err := <-a.done; err != nil {
			return err
		}
	}
	rows := a.encoded
	for i := len(rows); i < len(a.entries); i++ {
		r, err := a.entries[i].row()
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	a.entries, a.encoded = nil, nil
	return db.writeAuditBatch(tx, actor, rows)
}

// wait waits for encode, if it was started, before the import ends
// without writing.
func (a *importAudit) wait() {
	if a.done != nil {
		<-a.done
	}
}

// changeImport is change for an import: fn's changes are gathered in an
// importAudit and written after it, in the same transaction. Like the bulk
// loader (changeUnenforced), it runs on a connection of its own on which
// SQLite does not check foreign keys row by row: the import keeps them
// itself, writing a patent only once its owner is found or created and its
// labels, first holding and search row with the id it was just given. The
// connection is closed afterwards, not given back to the pool.
func (db *DB) changeImport(ctx context.Context, actor Actor, fn func(tx *sql.Tx, audit *importAudit) error) error {
	return db.unenforcedTx(ctx, func(tx *sql.Tx) error {
		audit := &importAudit{}
		defer audit.wait()
		if err := fn(tx, audit); err != nil {
			return err
		}
		return audit.write(db, tx, actor)
	})
}

// createBatch holds an import's new patents until they are written.
type createBatch struct {
	tx      *sql.Tx
	w       *patentWriter // owners' names and the labels
	at      string
	lastID  int64 // the highest patent id written so far
	pending []*licensing.Patent
	owners  []string // search names of each pending patent's owner
	args    []any
	search  *searchRows
}

func newCreateBatch(tx *sql.Tx, w *patentWriter) (*createBatch, error) {
	b := &createBatch{tx: tx, w: w, at: w.at, search: &searchRows{tx: tx}}
	if err := tx.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM patents`).Scan(&b.lastID); err != nil {
		return nil, err
	}
	return b, nil
}

// add takes a new patent, which must have passed preparePatent and whose
// owner's names w holds; its rows are written with the batch.
func (b *createBatch) add(p *licensing.Patent, ownerSearch string) error {
	b.pending = append(b.pending, p)
	b.owners = append(b.owners, ownerSearch)
	if len(b.pending) == importPatentsPerInsert {
		return b.writePatents()
	}
	return nil
}

// flush writes everything of the pending patents: their rows, first
// holdings, search rows and labels, as before any read or change of
// patents that may touch them.
func (b *createBatch) flush() error {
	if err := b.writePatents(); err != nil {
		return err
	}
	if err := b.search.flush(); err != nil {
		return err
	}
	return b.w.flushLabels()
}

// writePatents writes the pending patents' rows and first holdings, sets
// their ids, and gathers their search rows and labels.
func (b *createBatch) writePatents() error {
	n := len(b.pending)
	if n == 0 {
		return nil
	}
	args := b.args[:0]
	for _, p := range b.pending {
		args = append(args, patentArgs(p, b.at)...)
		args = append(args, b.at)
	}
	res, err := b.tx.Exec(insertImportPatents(n), args...)
	clear(args)
	b.args = args[:0]
	var id int64
	if err == nil {
		id, err = allWritten(res, n)
	}
	if err != nil {
		// known and seen leave no number taken (knownPatents), and
		// preparePatent let only valid rows through: a refusal here is
		// not a row's fault.
		return fmt.Errorf("writing patents: %w", err)
	}
	if id == b.lastID+int64(n) {
		// Each row took the next free id, in order.
		for i, p := range b.pending {
			p.ID = b.lastID + 1 + int64(i)
		}
		// startTitle of each: the applicant from the filing date.
		res, err := b.tx.Exec(`INSERT OR IGNORE INTO patent_owners (patent_id, position, owner_id, from_on, to_on)
			SELECT id, 0, original_owner_id, COALESCE(filed_on, ?), ? FROM patents WHERE id > ? AND id <= ? ORDER BY id`,
			holdingSince, holdingOpen, b.lastID, id)
		if err == nil {
			_, err = allWritten(res, n)
		}
		if err != nil {
			return fmt.Errorf("writing first holdings: %w", err)
		}
		b.lastID = id
	} else {
		// Only past SQLite's largest id does a row take another.
		for _, p := range b.pending {
			if err := b.tx.QueryRow(`SELECT id FROM patents WHERE normalized = ?`, p.Normalized).Scan(&p.ID); err != nil {
				return err
			}
			if _, err := b.tx.Exec(`INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on) VALUES (?, ?, ?, ?, ?)`,
				startTitle(p)...); err != nil {
				return err
			}
		}
	}
	for i, p := range b.pending {
		b.w.addLabels(p)
		if err := b.search.add(searchRow(p, b.owners[i])); err != nil {
			return err
		}
	}
	clear(b.pending)
	clear(b.owners)
	b.pending, b.owners = b.pending[:0], b.owners[:0]
	if len(b.w.labels) >= labelBuffer {
		return b.w.flushLabels()
	}
	return nil
}

// insertImportPatents writes n new patents rows, as patentWriter.create
// writes one. OR IGNORE spares SQLite the journal a statement of several
// rows otherwise keeps of every page it changes, to undo itself should a
// later row be refused (into a table of 200,000 patents and 16 indexes,
// a sixth of the import's time): no row may be refused here, and
// allWritten checks that none was.
func insertImportPatents(n int) string {
	if n == importPatentsPerInsert {
		return insertFullBatch
	}
	return "INSERT OR IGNORE" + strings.TrimPrefix(insertPatents(n), "INSERT")
}

var insertFullBatch = "INSERT OR IGNORE" + strings.TrimPrefix(insertPatents(importPatentsPerInsert), "INSERT")

// allWritten checks that a statement of OR IGNORE wrote all its n rows,
// and returns the id of the last.
func allWritten(res sql.Result, n int) (int64, error) {
	written, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if written != int64(n) {
		// Not a message for users: no row may be ignored here.
		return 0, errors.New(strconv.FormatInt(written, 10) + " of " + strconv.Itoa(n) + " rows written")
	}
	return res.LastInsertId()
}
