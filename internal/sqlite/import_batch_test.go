package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
)

// importOneByOne is ImportPatents as it was before the batches, kept as
// the oracle of TestImportWritesWhatOneByOneWrites: each new patent is
// written as it comes (patentWriter.create: its row, first holding and
// search row, one INSERT each), every audit row by writeAudit through
// change, and SQLite checks the foreign keys.
func importOneByOne(db *DB, ctx context.Context, actor Actor, rows []licensing.PatentImport, opt ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{Kind: "patents", Rejected: slices.Clone(opt.Rejected), Warnings: slices.Clone(opt.Warnings)}
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		defer bigCache(tx, len(rows))()
		known, allKinds, err := knownPatents(tx, rows)
		if err != nil {
			return err
		}
		var rebuild []string
		if allKinds {
			if rebuild, err = dropIndexesWhenEmpty(ctx, tx); err != nil {
				return err
			}
		}
		now := db.now()
		im := &patentImporter{tx: tx, now: now, record: record, rep: rep, known: known,
			writer: newPatentWriter(tx, now, record), companies: map[string]int64{}, seen: map[string]int{}}
		im.writer.deferLabels = true
		for i := range rows {
			if err := im.row(&rows[i]); err != nil {
				return err
			}
		}
		if err := im.flush(); err != nil {
			return err
		}
		if err := finish(rep, opt, record); err != nil {
			return err
		}
		for _, index := range rebuild {
			if _, err := tx.ExecContext(ctx, index); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, settle(rep, err)
}

// everyRow lists every row of the tables an import writes, every column,
// ids and times included, and every term of the search index at its
// place: what a user could ever read back of an import.
func everyRow(t *testing.T, db *DB) []string {
	t.Helper()
	if _, err := db.sql.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, patents_fts, 'instance')`); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range []string{"patents", "patent_labels", "patent_owners", "companies", "company_aliases", "audit_log", "temp.search_terms"} {
		for _, vals := range rowValues(t, db, `SELECT * FROM `+table) {
			out = append(out, table+": "+fmt.Sprintf("%#v", vals))
		}
	}
	slices.Sort(out)
	return out
}

// TestImportWritesWhatOneByOneWrites: an import writes its new patents in
// batches, their audit rows at the end in long statements, on a connection
// that leaves the foreign keys to it; the database afterwards holds exactly
// what the row-by-row import (importOneByOne) leaves, row for row, ids,
// times and audit trail included, and the report is the same, whether the
// import is applied, a dry run, or refused.
func TestImportWritesWhatOneByOneWrites(t *testing.T) {
	ctx := context.Background()
	header := strings.Join(csvio.NativeHeader(csvio.KindPatents), ",") + "\n"
	body := func(file []byte) string { _, rest, _ := strings.Cut(string(file), "\n"); return rest }
	// More patents than three batches, with labels, EP designated states,
	// overridden expiries, lapsed patents and owners today that differ
	// (warnings); owners created by the import.
	generated := nativePatentsFile(700, 0)
	const (
		// Labels that differ only in case (the first kept), a new owner
		// with an alias-like name, a title that needs escaping in JSON.
		odd = "US 9123456 B2,US,B2,\"Beam <fast> & \"\"safe\"\" für Geräte\",F1,,2014-01-15,,2015-09-01,,granted,,New Owner GmbH,,5G|5g|cellular,3GPP NR,true,,H04W 72/04\n"
		// The number of a row above (i = 7) without kind code: an update
		// of a patent this very import creates.
		again = "EP1000007,EP,,Handover again,BF1,,2005-03-01,,2009-06-10,,granted,,Bench Holder 007 Corporation,,iot,,false,,\n"
		// A row the import refuses: no such status.
		bad = "EP 2 000 001 B1,EP,B1,Refused,F9,,2005-03-01,,,,dormant,,Bench Holder 001 Corporation,,,,false,,\n"
	)
	for _, c := range []struct {
		name   string
		before string // imported into both databases first, one by one
		file   string
		dryRun bool
	}{
		{name: "IntoAnEmptyDatabase", file: string(generated) + odd},
		{name: "IntoADatabaseWithPatents", before: string(nativePatentsFile(300, 5000)), file: string(generated) + odd},
		{name: "UpdatesAndUnchangedAmongNewPatents", before: string(nativePatentsFile(300, 5000)),
			// every row of the database again (unchanged), some with a
			// new title (updated), between new ones
			file: header + strings.ReplaceAll(body(nativePatentsFile(150, 5000)), "variant 51", "version 51") +
				body(generated) + body(nativePatentsFile(150, 5150)) + odd},
		{name: "NumbersWithoutKindCode", file: string(generated) + odd + again},
		{name: "DryRun", before: string(nativePatentsFile(300, 5000)), file: string(generated) + odd, dryRun: true},
		{name: "Refused", file: string(generated) + bad + odd},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
			var dumps [2][]string
			var reports [2]*ImportReport
			for i, write := range []func(*DB, context.Context, Actor, []licensing.PatentImport, ImportOptions) (*ImportReport, error){
				importOneByOne, (*DB).ImportPatents,
			} {
				db := openTestDB(t)
				db.SetClock(clock)
				read := func(file string) *csvio.Proposals {
					r, err := csvio.ReadProposals(strings.NewReader(file), csvio.KindPatents, csvio.Options{})
					if err != nil {
						t.Fatal(err)
					}
					return r
				}
				if c.before != "" {
					r := read(c.before)
					if rep, err := importOneByOne(db, ctx, CLIActor(), r.Patents, ImportOptions{Source: "before.csv"}); err != nil || !rep.Applied {
						t.Fatalf("import before: %v %v", err, rep.Rejected)
					}
				}
				r := read(c.file)
				rep, err := write(db, ctx, CLIActor(), r.Patents,
					ImportOptions{DryRun: c.dryRun, Source: "file.csv", Rejected: r.Rejected, Warnings: r.Warnings})
				if err != nil {
					t.Fatal(err)
				}
				reports[i], dumps[i] = rep, everyRow(t, db)
			}
			want, got := reports[0], reports[1]
			if want.Created+want.Updated+want.Unchanged == 0 || (c.name == "Refused") == (len(want.Rejected) == 0) {
				t.Fatalf("the oracle's report says little: %d created, %d updated, %d unchanged, rejected %v",
					want.Created, want.Updated, want.Unchanged, want.Rejected)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("report\n got %+v\nwant %+v", *got, *want)
			}
			if len(dumps[0]) < 1000 && !c.dryRun && c.name != "Refused" {
				t.Fatalf("the oracle wrote only %d rows", len(dumps[0]))
			}
			if !slices.Equal(dumps[1], dumps[0]) {
				for i := range min(len(dumps[0]), len(dumps[1])) {
					if dumps[1][i] != dumps[0][i] {
						t.Fatalf("%d rows after the import, %d after the one by one; first difference:\n got %s\nwant %s",
							len(dumps[1]), len(dumps[0]), dumps[1][i], dumps[0][i])
					}
				}
				t.Fatalf("%d rows after the import, %d after the one by one", len(dumps[1]), len(dumps[0]))
			}
		})
	}
}

// TestImportLeavesForeignKeysChecked: the import's connection, on which
// SQLite leaves the foreign keys to the import, is not given back to the
// pool, so every later write is checked again.
func TestImportLeavesForeignKeysChecked(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	header := strings.Join(csvio.NativeHeader(csvio.KindPatents), ",") + "\n"
	importNative(t, db, header+string(nativePatentsFile(10, 0))[len(header):], false)
	conns := make([]*sql.Conn, 4)
	for i := range conns {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conns[i] = conn
		var on int
		if err := conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
			t.Errorf("connection %d: foreign_keys = %d (%v) after an import", i, on, err)
		}
	}
}
