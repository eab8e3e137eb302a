package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"patentdesk/internal/licensing"
)

// LoadPatents writes a stream of new patents in one transaction, for
// generated data sets of a million patents where the audited path, with a
// snapshot per patent, would double the file and take an hour. Each patent
// is normalized and validated as CreatePatent does and stored as it stores
// one: the same row, labels, first holding and search row; owners must
// exist. The load as a whole gets one audit row naming source and count.
// Nothing is written unless every patent is.
//
// At a million patents much of the time went into the work around each
// statement (database/sql, the driver, opening and closing cursors)
// rather than into the rows: the patents rows go patentsPerInsert to a
// statement, and their labels, first holdings and search rows follow at
// the end, each kind in as few statements as it takes. A load into an empty table also
// builds the tables' secondary indexes afterwards and leaves the search
// index merged into one segment. SQLite does not check the load's
// foreign keys row by row (changeUnenforced): the loader keeps them.
func (db *DB) LoadPatents(ctx context.Context, actor Actor, source string, patents iter.Seq[*licensing.Patent]) (int, error) {
	n := 0
	err := db.changeUnenforced(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		defer bulkCache(tx)()
		var last int64 // the highest patent id before the load: the load's patents come after it
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM patents`).Scan(&last); err != nil {
			return err
		}
		empty := last == 0
		var rebuild []string
		if empty {
			var err error
			if rebuild, err = dropPatentIndexes(ctx, tx); err != nil {
				return err
			}
			if err := setSearchMerging(tx, false); err != nil {
				return err
			}
		}
		now := db.now()
		b := newPatentBatch(tx, now, last)
		// Producing and checking a patent and working out its rows runs on
		// another core while the previous ones are written.
		prepared, stop := preparing(patents, now)
		defer stop()
		for c := range prepared {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := b.add(c); err != nil {
				return err
			}
			n++
		}
		if err := b.finish(); err != nil {
			return err
		}
		if empty {
			if err := setSearchMerging(tx, true); err != nil {
				return err
			}
		}
		for _, index := range rebuild {
			if _, err := tx.ExecContext(ctx, index); err != nil {
				return fmt.Errorf("rebuilding an index after the load: %w", err)
			}
		}
		record(Change{Action: "patent.load", Entity: "patent", Details: map[string]any{"source": source, "count": n}})
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// changeUnenforced is change on a connection of its own on which SQLite
// does not enforce foreign keys, for a load that keeps them itself: each
// patent's owner is looked up before its row is written (patentBatch.add),
// and its labels, first holding and search row name the id it was just
// given. Checked row by row, labels cost twice as much: copying the 3.6
// million labels of a million patents into a table like patent_labels
// took 17 to 21 s of CPU with the check and 10 to 11 s without, each
// check a look-up in the patents table. SQLite takes
// the setting only outside a transaction, hence the connection of its
// own; it leaves the pool with the load, so that no later write runs on
// it unchecked. Its audit rows are written as change writes them, in the
// same transaction.
func (db *DB) changeUnenforced(ctx context.Context, actor Actor, fn func(tx *sql.Tx, record func(Change)) error) error {
	return db.unenforcedTx(ctx, func(tx *sql.Tx) error { return db.audited(tx, actor, fn) })
}

// unenforcedTx runs fn in one transaction, in the process's write queue,
// on a connection of its own without SQLite's foreign-key checks (see
// changeUnenforced), committing when fn succeeds; the connection is
// closed afterwards, not given back to the pool.
func (db *DB) unenforcedTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := db.takeWriter(ctx); err != nil {
		return err
	}
	defer db.releaseWriter()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn }) // closed, not given back
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// patentBatch writes the patents of a load: their rows patentsPerInsert
// to a statement, as they come; their labels and search rows gathered
// for later.
type patentBatch struct {
	tx      *sql.Tx
	w       *patentWriter // the owners' names, each looked up once, and the labels a labelRun cannot take
	labels  *labelRun
	search  *searchRows
	pending []checkedPatent // not yet written
	added   int             // patents added so far, pending ones among them
	before  int64           // the highest patent id before the load
	lastID  int64           // the id of the last patent written
	args    []any
}

// patentsPerInsert is how many patents rows one INSERT writes, within
// SQLite's limit of 32,766 values a statement. A statement of several rows
// keeps a copy of each page it changes until it ends, to undo itself on
// failure: about a page a row here (a leaf of the number index), however
// many rows it writes, while the statement's own costs are shared by all
// of them. Measured at 100,000 patents, the rows took 3.1 s of CPU eight
// to a statement and 1.8 to 2.3 s from 128 to 1,024 to a statement.
const patentsPerInsert = 256

func newPatentBatch(tx *sql.Tx, now time.Time, lastID int64) *patentBatch {
	return &patentBatch{tx: tx, w: newPatentWriter(tx, now, nil), labels: newLabelRun(), search: &searchRows{tx: tx}, before: lastID, lastID: lastID}
}

// add takes the next patent of the load and writes the pending ones when
// there are enough. A refusal names the patent by its place in the load:
// the first faulty one, as if each were written as it came.
func (b *patentBatch) add(c checkedPatent) error {
	err := c.err
	if err == nil {
		_, err = b.w.owner(c.patent.OriginalOwnerID)
	}
	if err != nil {
		if err := b.write(); err != nil {
			return err
		}
		return fmt.Errorf("patent %d (%s): %w", b.added+1, c.patent.Number, err)
	}
	b.pending = append(b.pending, c)
	b.added++
	if len(b.pending) == patentsPerInsert {
		return b.write()
	}
	return nil
}

// write writes the pending patents' rows and gathers their labels and
// search rows.
func (b *patentBatch) write() error {
	if len(b.pending) == 0 {
		return nil
	}
	first := b.added - len(b.pending) + 1 // the place in the load of pending[0]
	args := b.args[:0]
	for _, c := range b.pending {
		args = append(args, c.row...)
	}
	b.args = args[:0]
	res, err := b.tx.Exec(insertPatents(len(b.pending)), args...)
	var id int64
	if err == nil {
		id, err = res.LastInsertId()
	}
	switch {
	case err == nil && id == b.lastID+int64(len(b.pending)):
		// Each row took the next free id, in order: patent i of the
		// batch has lastID+1+i.
		for i, c := range b.pending {
			c.patent.ID = b.lastID + 1 + int64(i)
		}
	case err == nil:
		// Only past SQLite's largest id does a row take another: look
		// each up by its number.
		for _, c := range b.pending {
			if err := b.tx.QueryRow(`SELECT id FROM patents WHERE normalized = ?`, c.patent.Normalized).Scan(&c.patent.ID); err != nil {
				return err
			}
		}
	case strings.Contains(err.Error(), "constraint failed"):
		// The failed statement has undone its rows; write them again one
		// at a time to name the one refused. Any other failure may have
		// ended the transaction and is reported as it is.
		for i, c := range b.pending {
			res, err := b.tx.Exec(insertPatents(1), c.row...)
			if err == nil {
				c.patent.ID, err = res.LastInsertId()
			}
			if err != nil {
				return fmt.Errorf("patent %d (%s): %w", first+i, c.patent.Number, numberTaken(c.patent, err))
			}
		}
	default:
		return fmt.Errorf("patents %d to %d: %w", first, b.added, err)
	}
	b.lastID = b.pending[len(b.pending)-1].patent.ID
	for _, c := range b.pending {
		p := c.patent
		owner, err := b.w.owner(p.OriginalOwnerID)
		if err != nil {
			return err
		}
		if !b.labels.add(p) {
			b.w.addLabels(p)
		}
		c.search[0], c.search[3] = p.ID, owner.search // searchRow(p, owner.search)
		if err := b.search.add(c.search); err != nil {
			return err
		}
	}
	clear(b.pending)
	b.pending = b.pending[:0]
	return nil
}

// finish writes what is pending and gathered, and the first holdings of
// the load's patents. The labels are put in order on another goroutine
// (a few seconds at a million) while SQLite writes the last search rows
// and the holdings.
func (b *patentBatch) finish() error {
	if err := b.write(); err != nil {
		return err
	}
	sorted := make(chan struct{})
	go func() {
		defer close(sorted)
		b.labels.sort()
	}()
	err := b.search.flush()
	if err == nil {
		err = writeFirstHoldings(b.tx, b.before)
	}
	<-sorted
	if err != nil {
		return err
	}
	if err := b.labels.write(b.tx); err != nil {
		return err
	}
	return b.w.flushLabels()
}

// insertPatents writes n new patents rows, as patentWriter.create writes one.
func insertPatents(n int) string {
	row := "(" + placeholders(len(patentColumnsWritten)+1) + "), "
	return `INSERT INTO patents (` + strings.Join(patentColumnsWritten, ", ") + `, created_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat(row, n), ", ")
}

// checkedPatent is a patent normalized and validated for the bulk writer,
// with the values of its patents row and of its search row (whose id and
// owner names the writer fills in), or why it cannot be written.
type checkedPatent struct {
	patent      *licensing.Patent
	row, search []any
	err         error
}

// preparing draws the patents from seq on a goroutine of its own,
// normalizes and validates each and works out the values of its rows as
// written at now, handing them on in order. stop ends the goroutine early;
// it must be called.
func preparing(seq iter.Seq[*licensing.Patent], now time.Time) (<-chan checkedPatent, func()) {
	out := make(chan checkedPatent, 1024)
	done := make(chan struct{})
	at := formatTime(now)
	go func() {
		defer close(out)
		for p := range seq {
			c := checkedPatent{patent: p, err: preparePatent(p)}
			if c.err == nil {
				c.row = append(patentArgs(p, at), at)
				c.search = searchRow(p, "")
			}
			select {
			case out <- c:
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			close(done)
			for range out { // let the goroutine see done and end
			}
		})
	}
}

// dropIndexesWhenEmpty drops the secondary indexes of the patent tables
// when they hold no patent yet (dropPatentIndexes), and returns the
// statements that create them again; nothing when they hold patents.
func dropIndexesWhenEmpty(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var any int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM patents LIMIT 1)`).Scan(&any); err != nil || any > 0 {
		return nil, err
	}
	return dropPatentIndexes(ctx, tx)
}

// dropPatentIndexes drops the secondary indexes of the patent tables,
// which must hold no patent yet, and returns the statements that create
// them again. Building an index once from sorted keys after the load is
// many times faster than keeping a dozen of them in step row by row. The
// unique index on the normalized number stays, so that a duplicate is
// refused as it comes. All of it happens inside the load's transaction: a
// failed load leaves the schema as it was.
func dropPatentIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema
		WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('patents', 'patent_labels', 'patent_owners') ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names, create []string
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return nil, err
		}
		names, create = append(names, name), append(create, text)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return nil, err
		}
	}
	return create, nil
}

// searchAutomerge is FTS5's default 'automerge': after each write of
// pending rows, merge segments of a level once there are four.
const searchAutomerge = 4

// setSearchMerging turns the full-text index's merging during writes off
// (for a load into an empty index) or on again. On again, it first merges
// everything written into one segment ('optimize'). Merging as it goes, a
// million rows are rewritten level after level while they come; merged
// once at the end, about twice (measured at a million: 18 s of CPU for the
// rows and 3 s for the merge, against 23 to 25 s for the rows with the
// merging left unfinished). Later writes then merge their own small
// segments only, not the load's large ones: the agreements of a
// million-patent data set, whose sales rewrite 20,000 search rows one
// transaction at a time, spent 7.6 s instead of 13.6 s in the full-text
// index. A search reads one segment.
func setSearchMerging(tx *sql.Tx, on bool) error {
	if !on {
		_, err := tx.Exec(`INSERT INTO patents_fts (patents_fts, rank) VALUES ('automerge', 0)`)
		return err
	}
	if _, err := tx.Exec(`INSERT INTO patents_fts (patents_fts) VALUES ('optimize')`); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO patents_fts (patents_fts, rank) VALUES ('automerge', ?)`, searchAutomerge)
	return err
}

// bulkCacheKiB bounds the page cache of a bulk load's connection. A
// million patents make a file of about a gigabyte, which the load writes
// in one transaction: with less cache than that, SQLite spills pages to
// the log and reads them back through it, once more for each index built
// at the end (measured at a million patents: a fifth of the load's time in
// system calls). SQLite takes the memory only as the load fills it.
const bulkCacheKiB = 1 << 20

// bulkCache gives the transaction's connection a page cache of
// bulkCacheKiB and returns what gives it back its own.
func bulkCache(tx *sql.Tx) func() {
	var own int
	if err := tx.QueryRow(`PRAGMA cache_size`).Scan(&own); err != nil {
		return func() {}
	}
	if _, err := tx.Exec(`PRAGMA cache_size = -` + strconv.Itoa(bulkCacheKiB)); err != nil {
		return func() {}
	}
	return func() { tx.Exec(`PRAGMA cache_size = ` + strconv.Itoa(own)) }
}

// writeFirstHoldings writes the chain of title of each patent after
// lastBefore, which no assignment names yet: its applicant from its filing
// date (startTitle), one statement for the whole load instead of one per
// patent.
func writeFirstHoldings(tx *sql.Tx, lastBefore int64) error {
	_, err := tx.Exec(`INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on)
		SELECT id, 0, original_owner_id, COALESCE(filed_on, ?), ? FROM patents WHERE id > ? ORDER BY id`,
		holdingSince, holdingOpen, lastBefore)
	return err
}

// searchRows gathers the search rows of new patents and writes them
// searchRowsPerInsert to a statement. A statement costs some microseconds
// of its own in database/sql and the driver, which a million single rows
// pay a million times; and each statement that may write several rows
// makes the full-text index write out what it holds in memory, so the
// batches are large.
type searchRows struct {
	tx   *sql.Tx
	args []any
}

// searchRowsPerInsert is how many search rows of four values one INSERT
// writes, within SQLite's limit of 32,766 values a statement.
const searchRowsPerInsert = 4096

// add gathers one search row, as searchRow gives it.
func (s *searchRows) add(row []any) error {
	s.args = append(s.args, row...)
	if len(s.args) >= 4*searchRowsPerInsert {
		return s.flush()
	}
	return nil
}

// flush writes the gathered rows.
func (s *searchRows) flush() error {
	if len(s.args) == 0 {
		return nil
	}
	n := len(s.args) / 4
	_, err := s.tx.Exec(`INSERT INTO patents_fts (rowid, numbers, title, owner) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", "), s.args...)
	s.args = s.args[:0]
	return err
}

// labelRun gathers the labels of a load compactly, without pointers for
// the collector to follow, and writes them in the order of patent_labels'
// key, in long statements. Into an empty table every label then goes at
// the end, where SQLite appends without searching the tree; in runs, as
// the import writes them, each run after the first goes in between.
type labelRun struct {
	values map[string]uint32 // each value (trimmed, as written) → its index in names
	names  []string
	rows   []packedLabel
}

// packedLabel is a patent_labels row: kind is an index of labelKinds and
// value one of labelRun.names.
type packedLabel struct {
	patentID int64
	value    uint32
	position uint16
	kind     uint8
}

func newLabelRun() *labelRun { return &labelRun{values: map[string]uint32{}} }

// add gathers the labels of p, or reports that a list is too long for a
// packedLabel's position (p's labels are then left to the writer's own
// buffer).
func (r *labelRun) add(p *licensing.Patent) bool {
	for _, lk := range labelKinds {
		if len(*lk.get(p)) > math.MaxUint16+1 {
			return false
		}
	}
	for k, lk := range labelKinds {
		for i, v := range *lk.get(p) {
			v = strings.TrimSpace(v)
			idx, ok := r.values[v]
			if !ok {
				idx = uint32(len(r.names))
				r.values[v] = idx
				r.names = append(r.names, v)
			}
			r.rows = append(r.rows, packedLabel{patentID: p.ID, value: idx, position: uint16(i), kind: uint8(k)})
		}
	}
	return true
}

// labelsPerRunInsert is how many labels one INSERT of a run writes, within
// SQLite's limit of 32,766 values a statement. A statement that appends at
// the end of the table changes its last page only, so a long one costs
// no more to undo than a short one.
const labelsPerRunInsert = 4096

// sort puts the gathered labels in the order flushLabels writes them in
// (kind, value ignoring case, patent, position).
func (r *labelRun) sort() {
	kindRank := make([]int, len(labelKinds)) // labelKinds' order is not the kinds' alphabetical one
	for k := range labelKinds {
		for j := range labelKinds {
			if labelKinds[j].kind < labelKinds[k].kind {
				kindRank[k]++
			}
		}
	}
	order := make([]uint32, len(r.names))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortStableFunc(order, func(a, b uint32) int { return compareNoCase(r.names[a], r.names[b]) })
	rank := make([]uint32, len(r.names)) // values equal ignoring case share a rank
	for i, v := range order {
		if i > 0 && compareNoCase(r.names[order[i-1]], r.names[v]) != 0 {
			rank[v] = uint32(i)
		} else if i > 0 {
			rank[v] = rank[order[i-1]]
		}
	}
	slices.SortFunc(r.rows, func(a, b packedLabel) int {
		return cmp.Or(cmp.Compare(kindRank[a.kind], kindRank[b.kind]), cmp.Compare(rank[a.value], rank[b.value]),
			cmp.Compare(a.patentID, b.patentID), cmp.Compare(a.position, b.position))
	})
}

// write writes the gathered labels, sorted, and forgets them.
func (r *labelRun) write(tx *sql.Tx) error {
	args := make([]any, 0, 4*min(len(r.rows), labelsPerRunInsert))
	for rows := r.rows; len(rows) > 0; {
		n := min(len(rows), labelsPerRunInsert)
		args = args[:0]
		for _, l := range rows[:n] {
			args = append(args, labelKinds[l.kind].kind, r.names[l.value], l.patentID, int(l.position))
		}
		if _, err := tx.Exec(insertLabels(n), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	r.rows = nil
	return nil
}
