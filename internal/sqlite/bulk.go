package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"
	"sync"

	"patentdesk/internal/licensing"
)

// LoadPatents writes a stream of new patents in one transaction, for
// generated data sets of a million patents where the audited path, with a
// snapshot per patent, would double the file and take an hour. Each patent
// is normalized and validated as CreatePatent does, gets its first holding
// and its search row; owners must exist. The load as a whole gets one audit
// row naming source and count. Nothing is written unless every patent is.
func (db *DB) LoadPatents(ctx context.Context, actor Actor, source string, patents iter.Seq[*licensing.Patent]) (int, error) {
	n := 0
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		// The largest page cache an import takes: a load touches a dozen
		// indexes in key order, not in the order of its rows.
		defer bigCache(tx, importCacheKiB)()
		rebuild, err := dropIndexesWhenEmpty(ctx, tx)
		if err != nil {
			return err
		}
		w := newPatentWriter(tx, db.now(), nil)
		w.deferLabels = true
		// Producing and checking a patent runs on another core while the
		// previous one is written.
		prepared, stop := preparing(patents)
		defer stop()
		for c := range prepared {
			if err := ctx.Err(); err != nil {
				return err
			}
			if c.err == nil {
				c.err = w.create(c.patent)
			}
			if c.err != nil {
				return fmt.Errorf("patent %d (%s): %w", n+1, c.patent.Number, c.err)
			}
			n++
		}
		if err := w.flushLabels(); err != nil {
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
