package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// The obligations behind the deadlines of a window. Recurring obligations
// reach back years, and each carries its marked occurrences: at a million
// patents some six thousand open obligations with ninety thousand marks,
// all read in full by loadObligations for every list that also shows what
// is overdue. licensing.Deadlines consults an obligation's marks only on
// the due dates it may list: those within the window, and with
// w.Overdue those before both its start and today, where a mark only says
// that the date is met (a marked occurrence before the window is never
// listed, whatever its details). So the marks within the window are read
// in full, those before it (when overdue ones are wanted) by date and
// status alone, and none after it.

// deadlineObligations reads the obligations matching cond (a condition on
// obligations o, with placeholders args), as loadObligations does, each
// with the marks of its occurrences that the deadlines of window w can
// depend on.
func deadlineObligations(ctx context.Context, q querier, w licensing.DeadlineWindow, cond string, args []any) ([]*ObligationRow, error) {
	// Unsorted: licensing.Deadlines orders what it returns whatever the
	// order of the facts (sorting thousands of rows of text in SQLite
	// took as long as reading them).
	rows, err := q.QueryContext(ctx, `SELECT `+obligationColumns+obligationFrom+` WHERE `+cond, args...)
	list, err := scanAll(rows, err, scanObligation)
	if err != nil || len(list) == 0 {
		return list, err
	}
	slices.SortFunc(list, func(x, y *ObligationRow) int { return cmp.Compare(x.ID, y.ID) })
	byID := make(map[int64]*ObligationRow, len(list))
	for _, r := range list {
		byID[r.ID] = r
	}
	// Few obligations: their marks are looked up by obligation. Many:
	// every mark of the dates asked is read in one pass of the table and
	// those of other obligations are skipped, which is cheaper than
	// thousands of lookups.
	of, ofArgs := ` FROM obligation_occurrences WHERE obligation_id IN (SELECT o.id FROM obligations o WHERE `+cond+`)`, args
	if len(list) >= obligationsScanned {
		of, ofArgs = ` FROM obligation_occurrences WHERE 1`, nil
	}
	if before := earlier(w.From, w.Today); w.Overdue && !before.IsZero() {
		// Marked before the window: never listed, only not overdue. Their
		// dates and statuses come one row an obligation: SQLite joins them
		// faster than it hands over ninety thousand rows.
		rows, err := q.QueryContext(ctx, `SELECT obligation_id, group_concat(due_on || status, ',')`+of+
			` AND due_on < ? GROUP BY obligation_id`, append(slices.Clone(ofArgs), before.String())...)
		if err != nil {
			return nil, err
		}
		if err := addEarlierMarks(rows, byID); err != nil {
			return nil, err
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT obligation_id, due_on, status, done_on, done_by, COALESCE(done_by_user, 0)`+of+
		` AND due_on BETWEEN ? AND ? ORDER BY obligation_id, due_on`, append(slices.Clone(ofArgs), w.From.String(), w.To.String())...)
	if err != nil {
		return nil, err
	}
	return list, addMarks(rows, byID)
}

// obligationsScanned is how many obligations make it cheaper to read the
// marks of the dates asked for all of them than to look up each one's.
const obligationsScanned = 1000

// addEarlierMarks appends the marked occurrences rows holds, an
// obligation's joined in one value (each its due date followed by its
// status, separated by commas, in due date order), to their obligations,
// and closes rows.
func addEarlierMarks(rows *sql.Rows, byID map[int64]*ObligationRow) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var joined string
		if err := rows.Scan(&id, &joined); err != nil {
			return err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		for mark := range strings.SplitSeq(joined, ",") {
			n := min(len(mark), len("2006-01-02"))
			due, err := licensing.ParseDate(mark[:n])
			if err != nil {
				return err
			}
			r.Occurrences = append(r.Occurrences, licensing.Occurrence{DueOn: due, Status: licensing.ObligationStatus(mark[n:])})
		}
	}
	return rows.Err()
}

// addMarks appends the marked occurrences rows holds, with all their
// details, to their obligations, and closes rows.
func addMarks(rows *sql.Rows, byID map[int64]*ObligationRow) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var oc licensing.Occurrence
		var due, done sql.NullString
		var status string
		if err := rows.Scan(&id, &due, &status, &done, &oc.DoneBy, &oc.DoneByUser); err != nil {
			return err
		}
		oc.Status = licensing.ObligationStatus(status)
		var err error
		if oc.DueOn, err = scanDate(due); err == nil {
			oc.DoneOn, err = scanDate(done)
		}
		if err != nil {
			return err
		}
		if r := byID[id]; r != nil {
			r.Occurrences = append(r.Occurrences, oc)
		}
	}
	return rows.Err()
}
