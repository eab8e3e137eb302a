package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// ObligationRow is an obligation with the agreement it belongs to, for
// lists, exports and deadlines.
type ObligationRow struct {
	licensing.Obligation
	Agreement      string // the agreement's reference
	AgreementTitle string
	// Terms is the agreement itself where EachObligation reads the row
	// (nil elsewhere): its term decides the obligation's standing.
	Terms *licensing.Agreement
}

// obligationSnapshot is how an obligation appears in the audit trail.
func obligationSnapshot(o *licensing.Obligation, agreement string) map[string]any {
	return map[string]any{
		"agreement": agreement, "kind": string(o.Kind), "title": o.Title, "due_on": o.DueOn.String(),
		"recurrence": string(o.Recurrence), "until": o.Until.String(), "amount": o.Amount.String(), "currency": o.Currency,
		"payer": o.Payer, "payee": o.Payee, "status": string(o.Status),
	}
}

// checkObligation tidies and validates an obligation of agreement a and
// makes sure its payer and payee are recorded companies, filling their
// names; it returns the field messages.
func checkObligation(tx *sql.Tx, a *licensing.Agreement, o *licensing.Obligation) (map[string]string, error) {
	if o.Status == "" {
		o.Status = licensing.ObligationOpen
	}
	o.Title = strings.TrimSpace(o.Title)
	o.Currency = strings.ToUpper(strings.TrimSpace(o.Currency))
	errs := o.Validate(a)
	for _, c := range []struct {
		field string
		id    int64
		name  *string
	}{{"payer", o.PayerID, &o.Payer}, {"payee", o.PayeeID, &o.Payee}} {
		*c.name = ""
		if c.id == 0 {
			continue
		}
		err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, c.id).Scan(c.name)
		if errors.Is(err, sql.ErrNoRows) {
			errs[c.field] = "no such company"
		} else if err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// insertObligation writes a checked obligation; o.ID is set.
func insertObligation(tx *sql.Tx, o *licensing.Obligation) error {
	res, err := tx.Exec(`INSERT INTO obligations (agreement_id, kind, title, due_on, recurrence, until, amount, currency, payer_id, payee_id, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.AgreementID, string(o.Kind), o.Title, dateArg(o.DueOn), string(o.Recurrence),
		dateArg(o.Until), o.Amount.String(), o.Currency, nullID(o.PayerID), nullID(o.PayeeID), string(o.Status))
	if err != nil {
		return err
	}
	o.ID, err = res.LastInsertId()
	return err
}

// AddObligation records an obligation inside an agreement; o.ID is set.
// An obligation without a status is open.
func (db *DB) AddObligation(ctx context.Context, actor Actor, agreementID int64, o *licensing.Obligation) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		a, err := agreementTx(tx, agreementID)
		if err != nil {
			return err
		}
		o.AgreementID = agreementID
		errs, err := checkObligation(tx, a, o)
		if err != nil {
			return err
		}
		if err := invalidFields("obligation", errs); err != nil {
			return err
		}
		if err := insertObligation(tx, o); err != nil {
			return err
		}
		record(Change{Action: "obligation.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"after": obligationSnapshot(o, a.Reference)}})
		return nil
	})
}

// UpdateObligation replaces an obligation's fields; it stays in its
// agreement and keeps the occurrences marked so far.
func (db *DB) UpdateObligation(ctx context.Context, actor Actor, o *licensing.Obligation) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := obligationTx(tx, o.ID)
		if err != nil {
			return err
		}
		a, err := agreementTx(tx, old.AgreementID)
		if err != nil {
			return err
		}
		o.AgreementID = old.AgreementID
		errs, err := checkObligation(tx, a, o)
		if err != nil {
			return err
		}
		keepMarkedOccurrences(a, &old.Obligation, o, errs)
		if err := invalidFields("obligation", errs); err != nil {
			return err
		}
		o.Occurrences = old.Occurrences
		d := diff(obligationSnapshot(&old.Obligation, a.Reference), obligationSnapshot(o, a.Reference))
		if len(d["after"].(map[string]any)) == 0 {
			return nil
		}
		_, err = tx.Exec(`UPDATE obligations SET kind = ?, title = ?, due_on = ?, recurrence = ?, until = ?, amount = ?, currency = ?,
			payer_id = ?, payee_id = ?, status = ? WHERE id = ?`, string(o.Kind), o.Title, dateArg(o.DueOn), string(o.Recurrence),
			dateArg(o.Until), o.Amount.String(), o.Currency, nullID(o.PayerID), nullID(o.PayeeID), string(o.Status), o.ID)
		if err != nil {
			return err
		}
		record(Change{Action: "obligation.update", Entity: "agreement", EntityID: strconv.FormatInt(o.AgreementID, 10), Details: d})
		return nil
	})
}

// keepMarkedOccurrences adds to errs a refusal of an edit of obligation
// old into o that would leave occurrences marked done or waived off the
// new schedule: they are kept by due date, and would no longer be shown or
// counted. The message names them, on the field whose change drops them
// (due_on, recurrence, else until). Marks that were already off the
// schedule before the edit do not stand in its way.
func keepMarkedOccurrences(a *licensing.Agreement, old, o *licensing.Obligation, errs map[string]string) {
	if len(old.Occurrences) == 0 || (o.DueOn == old.DueOn && o.Recurrence == old.Recurrence && o.Until == old.Until) {
		return
	}
	was, will := old.DueDates(a, licensing.Date{}), o.DueDates(a, licensing.Date{})
	var dropped []string
	for _, oc := range old.Occurrences {
		if slices.Contains(was, oc.DueOn) && !slices.Contains(will, oc.DueOn) {
			dropped = append(dropped, oc.DueOn.String())
		}
	}
	if len(dropped) == 0 {
		return
	}
	field := "until"
	switch {
	case o.DueOn != old.DueOn:
		field = "due_on"
	case o.Recurrence != old.Recurrence:
		field = "recurrence"
	}
	if errs[field] == "" {
		errs[field] = fmt.Sprintf("Occurrences marked done or waived would no longer fall due: %s. Mark them open first, or keep a schedule that includes them.",
			strings.Join(dropped, ", "))
	}
}

// DeleteObligation removes an obligation with its marked occurrences.
func (db *DB) DeleteObligation(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := obligationTx(tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM obligations WHERE id = ?`, id); err != nil {
			return err
		}
		record(Change{Action: "obligation.delete", Entity: "agreement", EntityID: strconv.FormatInt(old.AgreementID, 10),
			Details: map[string]any{"before": obligationSnapshot(&old.Obligation, old.Agreement)}})
		return nil
	})
}

// MarkOccurrence records what became of the occurrence of an obligation due
// on date due, which must be one of its due dates: done or waived on date
// on (today when zero) by the actor; open removes the mark.
func (db *DB) MarkOccurrence(ctx context.Context, actor Actor, obligationID int64, due licensing.Date, status licensing.ObligationStatus, on licensing.Date) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		o, err := obligationTx(tx, obligationID)
		if err != nil {
			return err
		}
		a, err := agreementTx(tx, o.AgreementID)
		if err != nil {
			return err
		}
		errs := map[string]string{}
		if !slices.Contains(licensing.ObligationStatuses, status) {
			errs["status"] = "The status must be open, done or waived."
		}
		if !slices.Contains(o.DueDates(a, licensing.Date{}), due) {
			errs["due_on"] = "The obligation does not fall due on " + due.String() + "."
		}
		if err := invalidFields("obligation", errs); err != nil {
			return err
		}
		if on.IsZero() {
			on = licensing.DateOf(db.now())
		}
		before := o.OccurrenceOn(due)
		marked := slices.ContainsFunc(o.Occurrences, func(oc licensing.Occurrence) bool { return oc.DueOn == due })
		if status == licensing.ObligationOpen && !marked {
			return nil
		}
		after := licensing.Occurrence{DueOn: due, Status: status}
		if status == licensing.ObligationOpen {
			_, err = tx.Exec(`DELETE FROM obligation_occurrences WHERE obligation_id = ? AND due_on = ?`, o.ID, due.String())
		} else {
			after.DoneOn, after.DoneBy, after.DoneByUser = on, actor.Email, actor.UserID
			_, err = tx.Exec(`INSERT INTO obligation_occurrences (obligation_id, due_on, status, done_on, done_by, done_by_user)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (obligation_id, due_on) DO UPDATE SET status = excluded.status,
				done_on = excluded.done_on, done_by = excluded.done_by, done_by_user = excluded.done_by_user`,
				o.ID, due.String(), string(status), on.String(), actor.Email, nullID(actor.UserID))
		}
		if err != nil {
			return err
		}
		record(Change{Action: "obligation.occurrence", Entity: "agreement", EntityID: strconv.FormatInt(o.AgreementID, 10),
			Details: map[string]any{"agreement": o.Agreement, "obligation": o.Title,
				"before": occurrenceSnapshot(before), "after": occurrenceSnapshot(after)}})
		return nil
	})
}

func occurrenceSnapshot(oc licensing.Occurrence) map[string]any {
	return map[string]any{"due_on": oc.DueOn.String(), "status": string(oc.Status), "done_on": oc.DoneOn.String(), "done_by": oc.DoneBy}
}

// Obligation returns one obligation with its companies' names and its
// marked occurrences, or ErrNotFound.
func (db *DB) Obligation(ctx context.Context, id int64) (*licensing.Obligation, error) {
	list, err := loadObligations(ctx, db.sql, `o.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return &list[0].Obligation, nil
}

func obligationTx(tx *sql.Tx, id int64) (*ObligationRow, error) {
	list, err := loadObligations(context.Background(), tx, `o.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no obligation with id %d", id)
	}
	return list[0], nil
}

const obligationColumns = `o.id, o.agreement_id, o.kind, o.title, o.due_on, o.recurrence, o.until, o.amount, o.currency,
	COALESCE(o.payer_id, 0), COALESCE(pr.name, ''), COALESCE(o.payee_id, 0), COALESCE(pe.name, ''), o.status, ag.reference, ag.title`

const obligationFrom = ` FROM obligations o JOIN agreements ag ON ag.id = o.agreement_id
	LEFT JOIN companies pr ON pr.id = o.payer_id LEFT JOIN companies pe ON pe.id = o.payee_id`

// loadObligations reads the obligations matching cond (a condition on
// obligations o, with placeholders) by agreement reference, due date and
// id, each with its marked occurrences.
func loadObligations(ctx context.Context, q querier, cond string, args ...any) ([]*ObligationRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+obligationColumns+obligationFrom+` WHERE `+cond+
		` ORDER BY ag.reference, o.due_on, o.id`, args...)
	list, err := scanAll(rows, err, scanObligation)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := make(map[int64]*ObligationRow, len(list))
	for _, r := range list {
		byID[r.ID] = r
	}
	return list, loadOccurrences(ctx, q, byID, cond, args)
}

func scanObligation(rows rowScanner) (*ObligationRow, error) {
	var r ObligationRow
	o := &r.Obligation
	var kind, recurrence, amount, status string
	var due, until sql.NullString
	err := rows.Scan(&o.ID, &o.AgreementID, &kind, &o.Title, &due, &recurrence, &until, &amount, &o.Currency,
		&o.PayerID, &o.Payer, &o.PayeeID, &o.Payee, &status, &r.Agreement, &r.AgreementTitle)
	if err != nil {
		return nil, err
	}
	o.Kind, o.Recurrence, o.Status = licensing.ObligationKind(kind), licensing.Recurrence(recurrence), licensing.ObligationStatus(status)
	if o.DueOn, err = scanDate(due); err != nil {
		return nil, err
	}
	if o.Until, err = scanDate(until); err != nil {
		return nil, err
	}
	if o.Amount, err = licensing.ParseAmount(amount); err != nil {
		return nil, err
	}
	return &r, nil
}

func loadOccurrences(ctx context.Context, q querier, byID map[int64]*ObligationRow, cond string, args []any) error {
	rows, err := q.QueryContext(ctx, `SELECT obligation_id, due_on, status, done_on, done_by, COALESCE(done_by_user, 0)
		FROM obligation_occurrences WHERE obligation_id IN (SELECT o.id FROM obligations o WHERE `+cond+`)
		ORDER BY obligation_id, due_on`, args...)
	if err != nil {
		return err
	}
	return addMarks(rows, byID)
}

// SettleOccurrences marks every occurrence of an obligation that falls due
// up to and including through, and is not marked yet, with status, as met
// on its due date; it returns how many it marked. One audit row records the
// whole settlement. Generated data sets use it to give years of royalty
// reports their history in one step.
func (db *DB) SettleOccurrences(ctx context.Context, actor Actor, obligationID int64, through licensing.Date, status licensing.ObligationStatus) (int, error) {
	if err := checkSettlement(through, status); err != nil {
		return 0, err
	}
	marked := 0
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var err error
		marked, err = settleOccurrencesTx(tx, actor, obligationID, through, status, record)
		return err
	})
	return marked, err
}

// checkSettlement refuses a settlement without a valid status or last date.
func checkSettlement(through licensing.Date, status licensing.ObligationStatus) error {
	errs := map[string]string{}
	if status != licensing.ObligationDone && status != licensing.ObligationWaived {
		errs["status"] = "The status must be done or waived."
	}
	if through.IsZero() {
		errs["through"] = "The last due date to settle is required."
	}
	return invalidFields("obligation", errs)
}

// settleOccurrencesTx marks the occurrences within tx, for
// SettleOccurrences and for a load of many (AgreementLoad), and returns
// how many it marked.
func settleOccurrencesTx(tx *sql.Tx, actor Actor, obligationID int64, through licensing.Date, status licensing.ObligationStatus,
	record func(Change)) (int, error) {
	o, err := obligationTx(tx, obligationID)
	if err != nil {
		return 0, err
	}
	a, err := agreementTx(tx, o.AgreementID)
	if err != nil {
		return 0, err
	}
	stmt, err := tx.Prepare(`INSERT INTO obligation_occurrences (obligation_id, due_on, status, done_on, done_by, done_by_user)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (obligation_id, due_on) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	marked := 0
	for _, due := range o.DueDates(a, through) {
		res, err := stmt.Exec(o.ID, due.String(), string(status), due.String(), actor.Email, nullID(actor.UserID))
		if err != nil {
			return marked, err
		}
		n, _ := res.RowsAffected()
		marked += int(n)
	}
	if marked > 0 {
		record(Change{Action: "obligation.settle", Entity: "agreement", EntityID: strconv.FormatInt(o.AgreementID, 10),
			Details: map[string]any{"agreement": o.Agreement, "obligation": o.Title, "through": through.String(),
				"status": string(status), "occurrences": marked}})
	}
	return marked, nil
}
