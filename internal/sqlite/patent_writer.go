package sqlite

import (
	"cmp"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"patentdesk/internal/licensing"
)

// patentWriter writes new patents within one transaction: the patents row,
// its labels, its first holding and its search row, and records the audit
// row (unless record is nil, as for a bulk load). It remembers the owners' names, which an import of many patents of
// few owners would otherwise look up for every patent.
type patentWriter struct {
	tx     *sql.Tx
	at     string // the time of the write, formatted once
	record func(Change)
	owners map[int64]ownerNames

	// deferLabels gathers the labels of new patents until flushLabels,
	// which an import calls at its end and before it reads or replaces
	// the labels of a patent, since that patent may be one it created.
	deferLabels bool
	labels      []labelRow
}

// ownerNames are what a new patent's audit and search rows hold of its owner.
type ownerNames struct {
	legal  string // the legal name
	search string // legal name, short name and aliases
}

// labelRow is one patent_labels row.
type labelRow struct {
	kind, value string
	patentID    int64
	position    int
}

// labelBuffer is how many labels a patentWriter gathers at most (some
// 50 MB); a larger import writes them in several sorted runs.
const labelBuffer = 1_000_000

// labelsPerInsert is how many labels one INSERT writes. An INSERT of
// several rows into a table with foreign keys keeps a journal of the pages
// it changes, to undo itself on failure; in key order those are a few,
// but in the order of the file they cost more than the statements saved.
const labelsPerInsert = 64

// addLabels gathers the patent_labels rows of p, a list's values in order.
func (w *patentWriter) addLabels(p *licensing.Patent) {
	for _, lk := range labelKinds {
		for i, v := range *lk.get(p) {
			w.labels = append(w.labels, labelRow{lk.kind, strings.TrimSpace(v), p.ID, i})
		}
	}
}

// flushLabels writes the gathered labels, sorted as the primary key of
// patent_labels (kind, value ignoring case, patent) sorts them: each then
// goes next to the one before instead of somewhere in the middle of the
// table. Of two values of a list that differ only in case, the first in
// the list is kept, as when they were written in list order.
func (w *patentWriter) flushLabels() error {
	slices.SortFunc(w.labels, func(a, b labelRow) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), compareNoCase(a.value, b.value),
			cmp.Compare(a.patentID, b.patentID), cmp.Compare(a.position, b.position))
	})
	for rows := w.labels; len(rows) > 0; {
		n := min(len(rows), labelsPerInsert)
		args := make([]any, 0, 4*n)
		for _, l := range rows[:n] {
			args = append(args, l.kind, l.value, l.patentID, l.position)
		}
		if _, err := w.tx.Exec(insertLabels(n), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	w.labels = w.labels[:0]
	return nil
}

// compareNoCase compares as SQLite's NOCASE collation: ASCII letters
// folded to lower case, other bytes as they are.
func compareNoCase(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lowerASCII(a[i]), lowerASCII(b[i])
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// insertLabels writes n labels.
func insertLabels(n int) string {
	return `INSERT OR IGNORE INTO patent_labels (kind, value, patent_id, position) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")
}

func newPatentWriter(tx *sql.Tx, now time.Time, record func(Change)) *patentWriter {
	return &patentWriter{tx: tx, at: formatTime(now), record: record, owners: map[int64]ownerNames{}}
}

// create stores p, which must have passed preparePatent; p.ID is set.
func (w *patentWriter) create(p *licensing.Patent) error {
	owner, err := w.owner(p.OriginalOwnerID)
	if err != nil {
		return err
	}
	res, err := w.tx.Exec(`INSERT INTO patents (`+strings.Join(patentColumnsWritten, ", ")+`, created_at)
		VALUES (`+placeholders(len(patentColumnsWritten)+1)+`)`, append(patentArgs(p, w.at), w.at)...)
	if err != nil {
		return numberTaken(p, err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	w.addLabels(p)
	if !w.deferLabels || len(w.labels) >= labelBuffer {
		if err := w.flushLabels(); err != nil {
			return err
		}
	}
	if _, err := w.tx.Exec(`INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on) VALUES (?, ?, ?, ?, ?)`,
		startTitle(p)...); err != nil {
		return err
	}
	if _, err := w.tx.Exec(`INSERT INTO patents_fts (rowid, numbers, title, owner) VALUES (?, ?, ?, ?)`,
		searchRow(p, owner.search)...); err != nil {
		return err
	}
	if w.record != nil { // a bulk load audits the load as a whole
		w.record(Change{Action: "patent.create", Entity: "patent", EntityID: strconv.FormatInt(p.ID, 10),
			Details: map[string]any{"after": createdSnapshot(p, owner.legal)}})
	}
	return nil
}

// owner returns the names of a company that a new patent's rows hold.
func (w *patentWriter) owner(id int64) (ownerNames, error) {
	if names, ok := w.owners[id]; ok {
		return names, nil
	}
	var names ownerNames
	err := w.tx.QueryRow(`SELECT o.name, `+ownerSearchNames+` FROM companies o WHERE o.id = ?`, id).Scan(&names.legal, &names.search)
	if errors.Is(err, sql.ErrNoRows) {
		return names, noSuchOwner()
	}
	if err != nil {
		return names, err
	}
	w.owners[id] = names
	return names, nil
}

// createdSnapshot is what patentSnapshot records of a new patent, as a
// struct: encoding a map of twenty-one values costs several times more,
// once for every imported patent. The fields are in the order of the map's
// sorted keys, so the JSON is the same.
func createdSnapshot(p *licensing.Patent, owner string) any {
	expiry, overridden := p.Expiry()
	return struct {
		ApplicationNumber string `json:"application_number"`
		CPC               string `json:"cpc"`
		DesignatedStates  string `json:"designated_states"`
		ExpiresOn         string `json:"expires_on"`
		ExpiryOverridden  bool   `json:"expiry_overridden"`
		Family            string `json:"family"`
		FiledOn           string `json:"filed_on"`
		GrantedOn         string `json:"granted_on"`
		Kind              string `json:"kind"`
		Number            string `json:"number"`
		Office            string `json:"office"`
		Owner             string `json:"owner"`
		PriorityOn        string `json:"priority_on"`
		PublishedOn       string `json:"published_on"`
		SEP               bool   `json:"sep"`
		SEPReference      string `json:"sep_reference"`
		Standards         string `json:"standards"`
		Status            string `json:"status"`
		StatusOn          string `json:"status_on"`
		Tags              string `json:"tags"`
		Title             string `json:"title"`
	}{p.ApplicationNumber, strings.Join(p.CPC, "|"), strings.Join(p.DesignatedStates, "|"), expiry.String(), overridden,
		p.Family, p.FiledOn.String(), p.GrantedOn.String(), p.Kind, p.Normalized, p.Office, owner, p.PriorityOn.String(),
		p.PublishedOn.String(), p.SEP, p.SEPReference, strings.Join(p.Standards, "|"), string(p.Status), p.StatusOn.String(),
		strings.Join(p.Tags, "|"), p.Title}
}
