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
//
// Unless the window wants overdue occurrences (where nearly every open
// obligation has some), it keeps only those that make a deadline of it
// (withDeadlines).
func deadlineObligations(ctx context.Context, q querier, w licensing.DeadlineWindow, cond string, args []any) ([]*ObligationRow, error) {
	// Unsorted: licensing.Deadlines orders what it returns whatever the
	// order of the facts (sorting thousands of rows of text in SQLite
	// took as long as reading them). Each with its agreement's terms.
	terms := map[int64]*licensing.Agreement{}
	rows, err := q.QueryContext(ctx, `SELECT `+obligationColumns+`, `+strings.ReplaceAll(agreementTermColumns, "a.", "ag.")+
		obligationFrom+` WHERE `+cond, args...)
	list, err := scanAll(rows, err, func(row rowScanner) (*ObligationRow, error) {
		var t agreementTerm
		r, err := scanObligation(withMore{row, t.dst()})
		if err != nil {
			return nil, err
		}
		if terms[r.AgreementID] == nil {
			terms[r.AgreementID], err = t.agreement(r.AgreementID)
		}
		return r, err
	})
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
	if err := addMarks(rows, byID); err != nil || w.Overdue {
		return list, err
	}
	return withDeadlines(w, list, terms), nil
}

// withMore scans a row's last columns into more, after those Scan is
// given.
type withMore struct {
	row  rowScanner
	more []any
}

func (s withMore) Scan(dst ...any) error { return s.row.Scan(append(dst, s.more...)...) }

// obligationsScanned is how many obligations make it cheaper to read the
// marks of the dates asked for all of them than to look up each one's.
const obligationsScanned = 1000

// addEarlierMarks appends the marked occurrences rows holds, an
// obligation's joined in one value (each its due date followed by its
// status, separated by commas, in due date order), to their obligations,
// and closes rows.
func addEarlierMarks(rows *sql.Rows, byID map[int64]*ObligationRow) error {
	defer rows.Close()
	// Recurring obligations fall due on the same days: each written date
	// is parsed once.
	days := map[string]licensing.Date{}
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
		r.Occurrences = slices.Grow(r.Occurrences, strings.Count(joined, ",")+1)
		for mark := range strings.SplitSeq(joined, ",") {
			n := min(len(mark), len("2006-01-02"))
			due, ok := days[mark[:n]]
			if !ok {
				var err error
				if due, err = licensing.ParseDate(mark[:n]); err != nil {
					return err
				}
				days[mark[:n]] = due
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

// withDeadlines keeps those of the obligations that make a deadline of
// window w, by licensing.Deadlines' own rule, each worked out with its
// agreement's terms alone (agreementTermColumns: what its due dates and
// their fate depend on). The list of the next few days reads every
// recurring obligation, some six thousand at a million patents; few of
// them fall due within those days, and only their agreements need reading
// in full, with their parties.
func withDeadlines(w licensing.DeadlineWindow, list []*ObligationRow, terms map[int64]*licensing.Agreement) []*ObligationRow {
	w.Kinds = []licensing.DeadlineKind{licensing.DeadlineObligation}
	one := &licensing.DeadlineFacts{Agreements: map[int64]*licensing.Agreement{}, Obligations: make([]licensing.Obligation, 1)}
	return slices.DeleteFunc(list, func(r *ObligationRow) bool {
		a := terms[r.AgreementID]
		clear(one.Agreements)
		one.Agreements[a.ID], one.Obligations[0] = a, r.Obligation
		return len(licensing.Deadlines(one, w)) == 0
	})
}
