package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"

	"patentdesk/internal/licensing"
)

// bulkCacheKiB is the page cache of the connection a bulk load writes on.
// A million patents touch a dozen indexes in key order, not insert order;
// SQLite's default 2 MB cache would fetch most index pages from the file
// again for every row.
const bulkCacheKiB = 512 * 1024

// LoadPatents writes a stream of new patents in one transaction, for
// generated data sets of a million patents where the audited path, with a
// snapshot per patent, would double the file and take an hour. Each patent
// is normalized and validated as CreatePatent does, gets its first holding
// and its search row; owners must exist. The load as a whole gets one audit
// row naming source and count. Nothing is written unless every patent is.
func (db *DB) LoadPatents(ctx context.Context, actor Actor, source string, patents iter.Seq[*licensing.Patent]) (int, error) {
	n := 0
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkCacheKiB)); err != nil {
			return err
		}
		// The connection goes back to the pool afterwards: give it its
		// ordinary cache again.
		defer tx.Exec(`PRAGMA cache_size = -2000`)
		rebuild, err := dropIndexesWhenEmpty(ctx, tx)
		if err != nil {
			return err
		}
		w, err := newBulkWriter(ctx, tx, db.now())
		if err != nil {
			return err
		}
		defer w.close()
		// Producing and checking a patent runs on another core while the
		// previous one is written.
		prepared, stop := preparing(patents)
		defer stop()
		for c := range prepared {
			if err := ctx.Err(); err != nil {
				return err
			}
			if c.err == nil {
				c.err = w.write(c.patent)
			}
			if c.err != nil {
				return fmt.Errorf("patent %d (%s): %w", n+1, c.patent.Number, c.err)
			}
			n++
		}
		if err := w.finish(ctx, tx); err != nil {
			return err
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

// checkedPatent is a patent normalized and validated for the bulk writer,
// or why it cannot be written.
type checkedPatent struct {
	patent *licensing.Patent
	err    error
}

// preparing draws the patents from seq on a goroutine of its own and
// normalizes and validates each, handing them on in order. stop ends the
// goroutine early; it must be called.
func preparing(seq iter.Seq[*licensing.Patent]) (<-chan checkedPatent, func()) {
	out := make(chan checkedPatent, 1024)
	done := make(chan struct{})
	go func() {
		defer close(out)
		for p := range seq {
			select {
			case out <- checkedPatent{patent: p, err: preparePatent(p)}:
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
// when they hold no patent yet, and returns the statements that create them
// again. Building an index once from sorted keys after the load is many
// times faster than keeping a dozen of them in step row by row. The unique
// index on the normalized number stays, so that a duplicate is refused as
// it comes. All of it happens inside the load's transaction: a failed load
// leaves the schema as it was.
func dropIndexesWhenEmpty(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var any int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM patents LIMIT 1)`).Scan(&any); err != nil || any > 0 {
		return nil, err
	}
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

// bulkWriter holds the statements a bulk load repeats for every patent.
type bulkWriter struct {
	at                      time.Time
	patent, label, holding  *sql.Stmt
	search, ownerNamesQuery *sql.Stmt
	ownerNames              map[int64]string // owner id → names for the search row
}

func newBulkWriter(ctx context.Context, tx *sql.Tx, at time.Time) (*bulkWriter, error) {
	w := &bulkWriter{at: at, ownerNames: map[int64]string{}}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE bulk_labels (kind TEXT, value TEXT, patent_id INTEGER, position INTEGER)`); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		dst  **sql.Stmt
		text string
	}{
		{&w.patent, `INSERT INTO patents (` + strings.Join(patentColumnsWritten, ", ") + `, created_at)
			VALUES (` + placeholders(len(patentColumnsWritten)+1) + `)`},
		// Labels are gathered first and written in the order of the
		// labels' primary key at the end (see finish).
		{&w.label, `INSERT INTO temp.bulk_labels (kind, value, patent_id, position) VALUES (?, ?, ?, ?)`},
		{&w.holding, `INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on) VALUES (?, 0, ?, ?, ?)`},
		{&w.search, `INSERT INTO patents_fts (rowid, numbers, title, owner) VALUES (?, ?, ?, ?)`},
		// The owner's names as indexPatent writes them for a patent held
		// by one company.
		{&w.ownerNamesQuery, `SELECT o.name || ' ' || o.short_name || ' ' ||
			COALESCE((SELECT group_concat(alias, ' ') FROM company_aliases WHERE company_id = o.id), '')
			FROM companies o WHERE o.id = ?`},
	} {
		stmt, err := tx.PrepareContext(ctx, s.text)
		if err != nil {
			w.close()
			return nil, err
		}
		*s.dst = stmt
	}
	return w, nil
}

func (w *bulkWriter) close() {
	for _, s := range []*sql.Stmt{w.patent, w.label, w.holding, w.search, w.ownerNamesQuery} {
		if s != nil {
			s.Close()
		}
	}
}

// finish writes the gathered labels into patent_labels in the order of its
// primary key, so that every row is appended rather than put between
// others, and drops the gathering table.
func (w *bulkWriter) finish(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO patent_labels (kind, value, patent_id, position)
		SELECT kind, value, patent_id, position FROM temp.bulk_labels ORDER BY kind, value COLLATE NOCASE, patent_id`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DROP TABLE temp.bulk_labels`)
	return err
}

// write stores one prepared new patent with its labels, first holding and
// search row; p.ID is set.
func (w *bulkWriter) write(p *licensing.Patent) error {
	owner, ok := w.ownerNames[p.OriginalOwnerID]
	if !ok {
		if err := w.ownerNamesQuery.QueryRow(p.OriginalOwnerID).Scan(&owner); err != nil {
			return fmt.Errorf("owner %d: %w", p.OriginalOwnerID, err)
		}
		w.ownerNames[p.OriginalOwnerID] = owner
	}
	res, err := w.patent.Exec(append(patentArgs(p, w.at), formatTime(w.at))...)
	if err != nil {
		return numberTaken(p, err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for _, lk := range labelKinds {
		for i, v := range *lk.get(p) {
			if _, err := w.label.Exec(lk.kind, strings.TrimSpace(v), p.ID, i); err != nil {
				return err
			}
		}
	}
	if _, err := w.holding.Exec(p.ID, p.OriginalOwnerID, holdingFrom(p.FiledOn), holdingTo(licensing.Date{})); err != nil {
		return err
	}
	numbers := strings.Join([]string{p.Normalized, docNumber(p), digitsOnly.ReplaceAllString(p.Number, ""), p.ApplicationNumber}, " ")
	_, err = w.search.Exec(p.ID, numbers, strings.TrimSpace(p.Title), owner)
	return err
}
