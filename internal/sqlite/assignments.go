package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// AssignmentRow is an assignment with the agreement it belongs to, for
// lists, exports and the pending transfers on a patent's title.
type AssignmentRow struct {
	licensing.Assignment
	Agreement       string // the agreement's reference
	AgreementTitle  string
	AgreementStatus licensing.AgreementStatus
}

// assignmentSnapshot is how an assignment appears in the audit trail.
func assignmentSnapshot(as *licensing.Assignment, agreement string) map[string]any {
	numbers := make([]string, len(as.Patents))
	for i, p := range as.Patents {
		numbers[i] = p.Number
	}
	return map[string]any{
		"agreement": agreement, "assignor": as.Assignor, "assignee": as.Assignee,
		"effective_on": as.EffectiveOn.String(), "recorded_on": as.RecordedOn.String(),
		"office_ref": as.OfficeRef, "patents": strings.Join(numbers, "|"),
	}
}

// AddAssignment records an assignment inside an agreement; as.ID and the
// resolved patent numbers are set. If the agreement is signed, the
// assignment moves title at once.
func (db *DB) AddAssignment(ctx context.Context, actor Actor, agreementID int64, as *licensing.Assignment) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		a, err := agreementHead(tx, agreementID)
		if err != nil {
			return err
		}
		return createAssignmentOn(tx, licensing.DateOf(db.now()), a, as, record)
	})
}

// createAssignmentOn validates and inserts an assignment of agreement a
// (whose ID, Reference and Status must be set), resolving its patent
// numbers, and when a is signed rebuilds the titles of its patents, with
// today as the day whose holder is the present owner. (The brief's
// createAssignmentTx, with the day added so that the store's clock
// counts.) Validation errors are keyed by the plain field names
// (assignor, patents, …); a caller nesting them prefixes them.
func createAssignmentOn(tx *sql.Tx, today licensing.Date, a *licensing.Agreement, as *licensing.Assignment, record func(Change)) error {
	if err := prepareAssignment(tx, as); err != nil {
		return err
	}
	as.AgreementID = a.ID
	res, err := tx.Exec(`INSERT INTO assignments (agreement_id, position, assignor_id, assignee_id, effective_on, recorded_on, office_ref)
		VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM assignments WHERE agreement_id = ?), ?, ?, ?, ?, ?)`,
		a.ID, a.ID, as.AssignorID, as.AssigneeID, dateArg(as.EffectiveOn), dateArg(as.RecordedOn), strings.TrimSpace(as.OfficeRef))
	if err != nil {
		return err
	}
	if as.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := writeAssignmentPatents(tx, as); err != nil {
		return err
	}
	if a.Status.Signed() {
		if err := rebuildTitles(tx, today, refIDs(as.Patents)); err != nil {
			return err
		}
	}
	record(Change{Action: "assignment.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
		Details: map[string]any{"after": assignmentSnapshot(as, a.Reference)}})
	return nil
}

// prepareAssignment validates an assignment, checks that its companies
// exist (filling their names) and resolves its patents.
func prepareAssignment(tx *sql.Tx, as *licensing.Assignment) error {
	as.OfficeRef = strings.TrimSpace(as.OfficeRef)
	errs := as.Validate()
	refs, err := resolvePatentRefs(tx, as.Patents)
	var de *licensing.Error
	switch {
	case errors.As(err, &de) && de.Code == licensing.Invalid:
		maps.Copy(errs, de.Fields)
	case err != nil:
		return err
	case len(refs) == 0 && errs["patents"] == "":
		errs["patents"] = "An assignment transfers at least one patent."
	default:
		as.Patents = refs
	}
	for _, c := range []struct {
		field string
		id    int64
		name  *string
	}{{"assignor", as.AssignorID, &as.Assignor}, {"assignee", as.AssigneeID, &as.Assignee}} {
		if c.id == 0 || errs[c.field] != "" {
			continue
		}
		err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, c.id).Scan(c.name)
		if errors.Is(err, sql.ErrNoRows) {
			errs[c.field] = "no such company"
		} else if err != nil {
			return err
		}
	}
	return invalidFields("assignment", errs)
}

func writeAssignmentPatents(tx *sql.Tx, as *licensing.Assignment) error {
	for i, p := range as.Patents {
		if _, err := tx.Exec(`INSERT INTO assignment_patents (assignment_id, patent_id, position) VALUES (?, ?, ?)`,
			as.ID, p.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// UpdateAssignment replaces an assignment's fields and patents; it stays
// in its agreement. The titles of the patents it transferred before and
// after are rebuilt.
func (db *DB) UpdateAssignment(ctx context.Context, actor Actor, as *licensing.Assignment) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := assignmentTx(tx, as.ID)
		if err != nil {
			return err
		}
		if err := prepareAssignment(tx, as); err != nil {
			return err
		}
		as.AgreementID = old.AgreementID
		d := diff(assignmentSnapshot(&old.Assignment, old.Agreement), assignmentSnapshot(as, old.Agreement))
		if len(d["after"].(map[string]any)) == 0 {
			return nil
		}
		if _, err := tx.Exec(`UPDATE assignments SET assignor_id = ?, assignee_id = ?, effective_on = ?, recorded_on = ?, office_ref = ?
			WHERE id = ?`, as.AssignorID, as.AssigneeID, dateArg(as.EffectiveOn), dateArg(as.RecordedOn), as.OfficeRef, as.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM assignment_patents WHERE assignment_id = ?`, as.ID); err != nil {
			return err
		}
		if err := writeAssignmentPatents(tx, as); err != nil {
			return err
		}
		if old.AgreementStatus.Signed() {
			ids := append(refIDs(old.Patents), refIDs(as.Patents)...)
			if err := rebuildTitles(tx, licensing.DateOf(db.now()), ids); err != nil {
				return err
			}
		}
		record(Change{Action: "assignment.update", Entity: "agreement", EntityID: strconv.FormatInt(as.AgreementID, 10), Details: d})
		return nil
	})
}

// DeleteAssignment removes an assignment; the title it moved goes back.
func (db *DB) DeleteAssignment(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := assignmentTx(tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM assignments WHERE id = ?`, id); err != nil {
			return err
		}
		if old.AgreementStatus.Signed() {
			if err := rebuildTitles(tx, licensing.DateOf(db.now()), refIDs(old.Patents)); err != nil {
				return err
			}
		}
		record(Change{Action: "assignment.delete", Entity: "agreement", EntityID: strconv.FormatInt(old.AgreementID, 10),
			Details: map[string]any{"before": assignmentSnapshot(&old.Assignment, old.Agreement)}})
		return nil
	})
}

// Assignment returns one assignment with its companies' names and its
// patents' normalized numbers.
func (db *DB) Assignment(ctx context.Context, id int64) (*licensing.Assignment, error) {
	rows, err := assignmentRows(ctx, db.sql, `a.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no assignment with id %d", id)
	}
	return &rows[0].Assignment, nil
}

func assignmentTx(tx *sql.Tx, id int64) (*AssignmentRow, error) {
	rows, err := assignmentRows(context.Background(), tx, `a.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no assignment with id %d", id)
	}
	return &rows[0], nil
}

// agreementAssignments returns the assignments of one agreement in order.
func agreementAssignments(ctx context.Context, q querier, agreementID int64) ([]AssignmentRow, error) {
	return assignmentRows(ctx, q, `a.agreement_id = ?`, agreementID)
}

// assignmentRows reads the assignments matching where (a condition on
// assignments a and agreements g, with placeholders), by agreement and
// position, each with its patents.
func assignmentRows(ctx context.Context, q querier, where string, args ...any) ([]AssignmentRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.agreement_id, a.assignor_id, ar.name, a.assignee_id, ae.name,
			a.effective_on, a.recorded_on, a.office_ref, g.reference, g.title, g.status
		FROM assignments a JOIN agreements g ON g.id = a.agreement_id
		JOIN companies ar ON ar.id = a.assignor_id JOIN companies ae ON ae.id = a.assignee_id
		WHERE `+where+` ORDER BY g.reference, a.position, a.id`, args...)
	if err != nil {
		return nil, err
	}
	var list []AssignmentRow
	for rows.Next() {
		var r AssignmentRow
		var eff, rec sql.NullString
		var status string
		if err := rows.Scan(&r.ID, &r.AgreementID, &r.AssignorID, &r.Assignor, &r.AssigneeID, &r.Assignee,
			&eff, &rec, &r.OfficeRef, &r.Agreement, &r.AgreementTitle, &status); err != nil {
			rows.Close()
			return nil, err
		}
		r.AgreementStatus = licensing.AgreementStatus(status)
		if r.EffectiveOn, err = scanDate(eff); err == nil {
			r.RecordedOn, err = scanDate(rec)
		}
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, loadAssignmentPatents(ctx, q, list)
}

// loadAssignmentPatents fills the patents of the assignments, in their
// recorded order, with one query.
func loadAssignmentPatents(ctx context.Context, q querier, list []AssignmentRow) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*AssignmentRow{}
	ids := make([]any, len(list))
	for i := range list {
		byID[list[i].ID] = &list[i]
		ids[i] = list[i].ID
	}
	rows, err := q.QueryContext(ctx, `SELECT ap.assignment_id, p.id, p.normalized FROM assignment_patents ap
		JOIN patents p ON p.id = ap.patent_id WHERE ap.assignment_id IN (`+placeholders(len(ids))+`)
		ORDER BY ap.assignment_id, ap.position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref licensing.PatentRef
		if err := rows.Scan(&id, &ref.ID, &ref.Number); err != nil {
			return err
		}
		byID[id].Patents = append(byID[id].Patents, ref)
	}
	return rows.Err()
}

// assignmentPatentIDs lists the patents any assignment of an agreement
// transfers, each once, so that a change of the agreement's status can
// rebuild their titles.
func assignmentPatentIDs(tx *sql.Tx, agreementID int64) ([]int64, error) {
	rows, err := tx.Query(`SELECT DISTINCT ap.patent_id FROM assignment_patents ap
		JOIN assignments a ON a.id = ap.assignment_id WHERE a.agreement_id = ? ORDER BY ap.patent_id`, agreementID)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func refIDs(refs []licensing.PatentRef) []int64 {
	ids := make([]int64, 0, len(refs))
	for _, r := range refs {
		ids = append(ids, r.ID)
	}
	return ids
}

// agreementHead reads the fields of an agreement that its assignments
// need: reference and status.
func agreementHead(tx *sql.Tx, id int64) (*licensing.Agreement, error) {
	a := &licensing.Agreement{ID: id}
	var status string
	err := tx.QueryRow(`SELECT reference, title, status FROM agreements WHERE id = ?`, id).Scan(&a.Reference, &a.Title, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, licensing.Errorf(licensing.NotFound, "no agreement with id %d", id)
	}
	a.Status = licensing.AgreementStatus(status)
	return a, err
}

// uniqueIDs sorts ids and drops repeats.
func uniqueIDs(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// maxNamedAgreements bounds the agreements a refusal names.
const maxNamedAgreements = 5

// patentInAgreements refuses the deletion of a patent that an assignment
// or a grant's patent list names: agreements are never silently
// rewritten, so the message names them.
func patentInAgreements(tx *sql.Tx, id int64, number string) error {
	rows, err := tx.Query(`SELECT reference FROM agreements WHERE id IN (
			SELECT a.agreement_id FROM assignment_patents ap JOIN assignments a ON a.id = ap.assignment_id WHERE ap.patent_id = ?
			UNION SELECT g.agreement_id FROM grant_patents gp JOIN grants g ON g.id = gp.grant_id WHERE gp.patent_id = ?)
		ORDER BY reference LIMIT ?`, id, id, maxNamedAgreements+1)
	if err != nil {
		return err
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return err
		}
		refs = append(refs, ref)
	}
	if err := rows.Err(); err != nil || len(refs) == 0 {
		return err
	}
	if len(refs) > maxNamedAgreements {
		refs = append(refs[:maxNamedAgreements], "…")
	}
	return licensing.Errorf(licensing.Conflict, "%s cannot be deleted while agreements refer to it (%s)", number, strings.Join(refs, ", "))
}
