package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"patentdesk/internal/licensing"
)

// rebuildTitles materializes the chain of title of each patent from its
// original owner (since its filing date) and the assignments of signed
// agreements: the patent_owners rows, the title breaks, patents.owner_id
// (the holding that contains today; the original owner before the chain
// begins) and the owner names of the search index.
func rebuildTitles(tx *sql.Tx, today licensing.Date, patentIDs []int64) error {
	for _, id := range uniqueIDs(patentIDs) {
		if err := rebuildTitle(tx, today, id); err != nil {
			return err
		}
	}
	return nil
}

func rebuildTitle(tx *sql.Tx, today licensing.Date, patentID int64) error {
	var original int64
	var filed sql.NullString
	err := tx.QueryRow(`SELECT original_owner_id, filed_on FROM patents WHERE id = ?`, patentID).Scan(&original, &filed)
	if err != nil {
		return err
	}
	since, err := scanDate(filed)
	if err != nil {
		return err
	}
	transfers, err := signedTransfers(tx, patentID)
	if err != nil {
		return err
	}
	chain, breaks := licensing.ChainOfTitle(original, since, transfers)
	if _, err := tx.Exec(`DELETE FROM patent_owners WHERE patent_id = ?`, patentID); err != nil {
		return err
	}
	for i, h := range chain {
		var via any
		if h.Via != nil {
			via = h.Via.AssignmentID
		}
		if _, err := tx.Exec(`INSERT INTO patent_owners (patent_id, position, owner_id, from_on, to_on, assignment_id)
			VALUES (?, ?, ?, ?, ?, ?)`, patentID, i, h.OwnerID, holdingFrom(h.From), holdingTo(h.To), via); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`DELETE FROM title_breaks WHERE patent_id = ?`, patentID); err != nil {
		return err
	}
	for _, b := range breaks {
		if _, err := tx.Exec(`INSERT INTO title_breaks (patent_id, assignment_id, owner_id) VALUES (?, ?, ?)`,
			patentID, b.AssignmentID, b.OwnerID); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`UPDATE patents SET owner_id = ? WHERE id = ?`, ownerToday(chain, original, today), patentID); err != nil {
		return err
	}
	return indexPatent(tx, patentID)
}

// ownerToday is the holder on today, or the original owner when today lies
// before the chain begins (a patent entered before its filing date).
func ownerToday(chain []licensing.Holding, original int64, today licensing.Date) int64 {
	if id := licensing.OwnerOn(chain, today); id != 0 {
		return id
	}
	return original
}

// signedTransfers reads the transfers of a patent that can move title: the
// assignments of active, expired and terminated agreements.
func signedTransfers(tx *sql.Tx, patentID int64) ([]licensing.Transfer, error) {
	rows, err := tx.Query(`SELECT a.id, a.agreement_id, g.reference, a.assignor_id, a.assignee_id, a.effective_on
		FROM assignment_patents ap JOIN assignments a ON a.id = ap.assignment_id JOIN agreements g ON g.id = a.agreement_id
		WHERE ap.patent_id = ? AND g.status IN ('active', 'expired', 'terminated')`, patentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []licensing.Transfer
	for rows.Next() {
		var t licensing.Transfer
		var eff sql.NullString
		if err := rows.Scan(&t.AssignmentID, &t.AgreementID, &t.Agreement, &t.AssignorID, &t.AssigneeID, &eff); err != nil {
			return nil, err
		}
		if t.EffectiveOn, err = scanDate(eff); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// A holding's open ends are stored as sentinel dates rather than NULL, so
// that "held by C on D" and "held by C within a window" are one range of
// the index patent_owners_owner (owner_id, from_on, to_on): a nullable
// column would need an OR that no index serves.
const (
	holdingSince = "0001-01-01" // from_on of a holding that reaches back without limit (no filing date)
	holdingOpen  = "9999-12-31" // to_on of the present holding
)

// holdingFrom is the stored from_on of a holding beginning on d (zero: no limit).
func holdingFrom(d licensing.Date) string {
	if d.IsZero() {
		return holdingSince
	}
	return d.String()
}

// holdingTo is the stored to_on of a holding ending on d (zero: still held).
func holdingTo(d licensing.Date) string {
	if d.IsZero() {
		return holdingOpen
	}
	return d.String()
}

// scanHolding reads the stored ends of a holding, the sentinels as zero
// Dates, as licensing.Holding has them.
func scanHolding(from, to string) (licensing.Date, licensing.Date, error) {
	var f, t licensing.Date
	var err error
	if from != holdingSince {
		if f, err = licensing.ParseDate(from); err != nil {
			return f, t, err
		}
	}
	if to != holdingOpen {
		t, err = licensing.ParseDate(to)
	}
	return f, t, err
}

// Holding is one link of a patent's chain of title with the names a page
// shows: the owner, and the agreement whose assignment brought the title.
type Holding struct {
	licensing.Holding
	Owner          string
	Agreement      string // the agreement's reference; "" for the original owner
	AgreementID    int64
	AgreementTitle string
}

// TitleBreakRow is a chain-of-title break with the names a report shows.
type TitleBreakRow struct {
	licensing.TitleBreak
	Assignor, Assignee, Owner string // Owner: who did own the patent that day
	Agreement, AgreementTitle string
	PatentID                  int64
	Patent                    string // normalized number
}

// TitleRecord is everything a patent page shows about who owns it: the
// chain, the transfers that broke it, and the transfers of agreements not
// yet signed, which move no title until they are.
type TitleRecord struct {
	Chain   []Holding
	Breaks  []TitleBreakRow
	Pending []AssignmentRow
}

// ChainOfTitle returns a patent's owners with their dates, its title
// breaks, and its pending transfers.
func (db *DB) ChainOfTitle(ctx context.Context, patentID int64) (*TitleRecord, error) {
	var one int
	err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM patents WHERE id = ?`, patentID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %d", patentID)
	}
	if err != nil {
		return nil, err
	}
	rec := &TitleRecord{}
	if rec.Chain, err = holdings(ctx, db.sql, patentID); err != nil {
		return nil, err
	}
	if rec.Breaks, _, err = titleBreakPage(ctx, db.sql, TitleBreakFilter{PatentID: patentID, Limit: maxTitleBreaksPerPatent}); err != nil {
		return nil, err
	}
	rec.Pending, err = assignmentRows(ctx, db.sql, `a.id IN (SELECT assignment_id FROM assignment_patents WHERE patent_id = ?)
		AND g.status NOT IN ('active', 'expired', 'terminated')`, patentID)
	return rec, err
}

// maxTitleBreaksPerPatent bounds the breaks a patent page lists; more than
// a handful on one patent means the records need cleaning, not scrolling.
const maxTitleBreaksPerPatent = 200

func holdings(ctx context.Context, q querier, patentID int64) ([]Holding, error) {
	rows, err := q.QueryContext(ctx, `SELECT po.owner_id, c.name, po.from_on, po.to_on, a.id, a.agreement_id, g.reference, g.title,
			a.assignor_id, a.assignee_id, a.effective_on
		FROM patent_owners po JOIN companies c ON c.id = po.owner_id
		LEFT JOIN assignments a ON a.id = po.assignment_id LEFT JOIN agreements g ON g.id = a.agreement_id
		WHERE po.patent_id = ? ORDER BY po.position`, patentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var chain []Holding
	for rows.Next() {
		var h Holding
		var from, to string
		var eff, ref, title sql.NullString
		var asID, agID, assignor, assignee sql.NullInt64
		if err := rows.Scan(&h.OwnerID, &h.Owner, &from, &to, &asID, &agID, &ref, &title, &assignor, &assignee, &eff); err != nil {
			return nil, err
		}
		if h.From, h.To, err = scanHolding(from, to); err != nil {
			return nil, err
		}
		if asID.Valid {
			t := &licensing.Transfer{AssignmentID: asID.Int64, AgreementID: agID.Int64, Agreement: ref.String,
				AssignorID: assignor.Int64, AssigneeID: assignee.Int64}
			if t.EffectiveOn, err = scanDate(eff); err != nil {
				return nil, err
			}
			h.Via = t
			h.Agreement, h.AgreementID, h.AgreementTitle = ref.String, agID.Int64, title.String
		}
		chain = append(chain, h)
	}
	return chain, rows.Err()
}

// TitleBreakFilter selects chain-of-title breaks for the report, an
// agreement page or a patent page; zero fields do not filter.
type TitleBreakFilter struct {
	AgreementID int64
	PatentID    int64
	After       *string // opaque keyset cursor from the previous page
	Limit       int     // 0: 50
}

// titleBreakCursor is the position after the last break of a page: the
// patent's number and the assignment, which together are unique.
type titleBreakCursor struct {
	Number     string `json:"n"`
	Assignment int64  `json:"a"`
}

// TitleBreaks lists chain-of-title breaks by patent number and then by
// assignment, one page at a time; next is "" after the last page.
func (db *DB) TitleBreaks(ctx context.Context, f TitleBreakFilter) ([]TitleBreakRow, string, error) {
	return titleBreakPage(ctx, db.sql, f)
}

func titleBreakPage(ctx context.Context, q querier, f TitleBreakFilter) (list []TitleBreakRow, next string, err error) {
	where, args := []string{"1"}, []any{}
	if f.AgreementID != 0 {
		where, args = append(where, "a.agreement_id = ?"), append(args, f.AgreementID)
	}
	if f.PatentID != 0 {
		where, args = append(where, "tb.patent_id = ?"), append(args, f.PatentID)
	}
	if f.After != nil && *f.After != "" {
		var c titleBreakCursor
		b, err := base64.RawURLEncoding.DecodeString(*f.After)
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil {
			return nil, "", invalidCursor()
		}
		where, args = append(where, "(p.normalized, tb.assignment_id) > (?, ?)"), append(args, c.Number, c.Assignment)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT tb.patent_id, p.normalized, tb.assignment_id, a.agreement_id, g.reference, g.title,
			a.assignor_id, ar.name, a.assignee_id, ae.name, a.effective_on, tb.owner_id, o.name
		FROM title_breaks tb JOIN patents p ON p.id = tb.patent_id JOIN assignments a ON a.id = tb.assignment_id
		JOIN agreements g ON g.id = a.agreement_id JOIN companies ar ON ar.id = a.assignor_id
		JOIN companies ae ON ae.id = a.assignee_id JOIN companies o ON o.id = tb.owner_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY p.normalized, tb.assignment_id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var r TitleBreakRow
		var eff sql.NullString
		if err := rows.Scan(&r.PatentID, &r.Patent, &r.AssignmentID, &r.TitleBreak.AgreementID, &r.Agreement, &r.AgreementTitle,
			&r.AssignorID, &r.Assignor, &r.AssigneeID, &r.Assignee, &eff, &r.OwnerID, &r.Owner); err != nil {
			return nil, "", err
		}
		r.TitleBreak.Agreement = r.Agreement
		if r.EffectiveOn, err = scanDate(eff); err != nil {
			return nil, "", err
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		b, _ := json.Marshal(titleBreakCursor{Number: last.Patent, Assignment: last.AssignmentID})
		next = base64.RawURLEncoding.EncodeToString(b)
	}
	return list, next, nil
}

// ownersRefreshedKey is the settings row that remembers the day up to
// which patents.owner_id was last brought in step with the chains.
const ownersRefreshedKey = "owners_refreshed_on"

// RefreshOwners brings the owner today (patents.owner_id) and the search
// rows in step with the chains of title on day today, for the patents
// whose holding changed since the last refresh: a transfer dated in the
// future takes effect when its day comes. It returns how many patents
// changed owner and, if any did, writes one audit row as the system. The
// server's sweeper calls it daily.
func (db *DB) RefreshOwners(ctx context.Context, today licensing.Date) (int, error) {
	changed := 0
	err := db.change(ctx, SystemActor(), func(tx *sql.Tx, record func(Change)) error {
		ids, err := refreshCandidates(tx, today)
		if err != nil {
			return err
		}
		var numbers []string
		for _, id := range ids {
			number, moved, err := refreshOwner(tx, today, id)
			if err != nil {
				return err
			}
			if moved {
				changed++
				if len(numbers) < maxRefreshNumbers {
					numbers = append(numbers, number)
				}
			}
		}
		if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ownersRefreshedKey, today.String()); err != nil {
			return err
		}
		if changed > 0 {
			record(Change{Action: "patent.owners_refreshed", Entity: "patent",
				Details: map[string]any{"on": today.String(), "patents": changed, "numbers": strings.Join(numbers, "|")}})
		}
		return nil
	})
	return changed, err
}

// maxRefreshNumbers bounds the patent numbers one refresh audit row names.
const maxRefreshNumbers = 100

// refreshCandidates lists the patents whose holding may have changed: after
// a known refresh, those with a holding beginning between that day and
// today (either way round, so that a clock set back is followed too);
// otherwise every patent whose owner today disagrees with its chain.
func refreshCandidates(tx *sql.Tx, today licensing.Date) ([]int64, error) {
	var last string
	err := tx.QueryRow(`SELECT value FROM settings WHERE key = ?`, ownersRefreshedKey).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		rows, err := tx.Query(`SELECT p.id FROM patents p WHERE p.owner_id <> `+ownerOnSQL, today.String(), today.String())
		if err != nil {
			return nil, err
		}
		return scanIDs(rows)
	}
	if err != nil {
		return nil, err
	}
	lo, hi := last, today.String()
	if hi < lo {
		lo, hi = hi, lo
	}
	rows, err := tx.Query(`SELECT DISTINCT patent_id FROM patent_owners WHERE from_on > ? AND from_on <= ? ORDER BY patent_id`, lo, hi)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// ownerOnSQL is the owner of patent p on the day given twice: its holder
// that day, else (the day lies before the chain begins at the filing date)
// the original owner, as in ownerToday. The OwnerOn filter of the patents
// list (ownedOnSQL) applies the same rule.
const ownerOnSQL = `COALESCE((SELECT po.owner_id FROM patent_owners po WHERE po.patent_id = p.id
	AND po.from_on <= ? AND po.to_on >= ? ORDER BY po.position LIMIT 1),
	p.original_owner_id)`

// refreshOwner sets one patent's owner today from its chain; moved reports
// whether it changed.
func refreshOwner(tx *sql.Tx, today licensing.Date, id int64) (number string, moved bool, err error) {
	var current, owner int64
	err = tx.QueryRow(`SELECT p.normalized, p.owner_id, `+ownerOnSQL+` FROM patents p WHERE p.id = ?`,
		today.String(), today.String(), id).Scan(&number, &current, &owner)
	if err != nil || current == owner {
		return number, false, err
	}
	if _, err := tx.Exec(`UPDATE patents SET owner_id = ? WHERE id = ?`, owner, id); err != nil {
		return number, false, err
	}
	return number, true, indexPatent(tx, id)
}

// startTitle is the chain of title of a new patent, which no assignment
// names yet: its applicant from the filing date, as the values of the one
// patent_owners row (patent_id, position, owner_id, from_on, to_on).
func startTitle(p *licensing.Patent) []any {
	return []any{p.ID, 0, p.OriginalOwnerID, holdingFrom(p.FiledOn), holdingTo(licensing.Date{})}
}

// retitle keeps the chain of title of an edited patent (old, as it was
// before the edit) in step: a new original owner or filing date rebuilds
// it; otherwise the present owner, which the edit wrote over with the
// original owner, is put back. It also rewrites the search row.
func retitle(tx *sql.Tx, today licensing.Date, old *PatentRecord, p *licensing.Patent) error {
	if old.OriginalOwnerID != p.OriginalOwnerID || old.FiledOn != p.FiledOn {
		return rebuildTitles(tx, today, []int64{p.ID})
	}
	if old.OwnerID != p.OriginalOwnerID {
		if _, err := tx.Exec(`UPDATE patents SET owner_id = ? WHERE id = ?`, old.OwnerID, p.ID); err != nil {
			return err
		}
	}
	return indexPatent(tx, p.ID)
}
