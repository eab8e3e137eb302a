package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// agreementSnapshot is how an agreement's own fields and parties appear in
// the audit trail: companies by name, the parent by reference.
func agreementSnapshot(a *licensing.Agreement) map[string]any {
	parties := make([]string, len(a.Parties))
	for i, p := range a.Parties {
		parties[i] = p.Company + " (" + string(p.Role) + ")"
	}
	return map[string]any{
		"reference": a.Reference, "title": a.Title, "kind": string(a.Kind), "status": string(a.Status),
		"signed_on": a.SignedOn.String(), "effective_on": a.EffectiveOn.String(), "expires_on": a.ExpiresOn.String(),
		"terminated_on": a.TerminatedOn.String(), "renewal_months": a.RenewalMonths, "notice_days": a.NoticeDays,
		"governing_law": a.GoverningLaw, "summary": a.Summary, "parent": a.Parent, "parties": strings.Join(parties, "|"),
	}
}

// tidyAgreement trims what a form or file may pad before validation.
func tidyAgreement(a *licensing.Agreement) {
	a.Reference = strings.TrimSpace(a.Reference)
	a.Title = strings.TrimSpace(a.Title)
	a.GoverningLaw = strings.TrimSpace(a.GoverningLaw)
	a.Summary = strings.TrimSpace(a.Summary)
}

// checkAgreementRecords adds to errs what the records say against a's own
// fields: parties that are no recorded company, a parent agreement that
// does not exist or would make a loop of amendments. It fills the parties'
// names and the parent's reference.
func checkAgreementRecords(tx *sql.Tx, a *licensing.Agreement, errs map[string]string) error {
	for i := range a.Parties {
		p := &a.Parties[i]
		if p.CompanyID == 0 {
			continue
		}
		err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, p.CompanyID).Scan(&p.Company)
		if errors.Is(err, sql.ErrNoRows) {
			if errs["parties"] == "" {
				errs["parties"] = fmt.Sprintf("The party in position %d is not a recorded company.", i+1)
			}
		} else if err != nil {
			return err
		}
	}
	a.Parent = ""
	if a.ParentID == 0 || errs["parent"] != "" {
		return nil
	}
	err := tx.QueryRow(`SELECT reference FROM agreements WHERE id = ?`, a.ParentID).Scan(&a.Parent)
	if errors.Is(err, sql.ErrNoRows) {
		errs["parent"] = "no such agreement"
		return nil
	}
	if err != nil || a.ID == 0 {
		return err
	}
	var loop int
	err = tx.QueryRow(`WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT parent_id FROM agreements JOIN up ON agreements.id = up.id
		WHERE parent_id IS NOT NULL) SELECT count(*) FROM up WHERE id = ?`, a.ParentID, a.ID).Scan(&loop)
	if err == nil && loop > 0 {
		errs["parent"] = "An agreement cannot amend one of its own amendments."
	}
	return err
}

// nest copies the field messages of the i-th item of a list into errs,
// keyed like grants.0.licensor.
func nest(errs map[string]string, list string, i int, fields map[string]string) {
	for k, v := range fields {
		errs[list+"."+strconv.Itoa(i)+"."+k] = v
	}
}

// referenceFree refuses a reference another agreement already has.
func referenceFree(tx *sql.Tx, a *licensing.Agreement) error {
	var other string
	err := tx.QueryRow(`SELECT reference FROM agreements WHERE reference = ? AND id <> ?`, a.Reference, a.ID).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return referenceTaken(other)
}

func referenceTaken(ref string) error {
	return &licensing.Error{Code: licensing.Conflict, Message: fmt.Sprintf("an agreement with the reference %q already exists", ref),
		Fields: map[string]string{"reference": "this reference is already taken"}}
}

// agreementArgs are the values of the columns an insert and an update both
// write, in the order of agreementColumnsWritten.
func agreementArgs(a *licensing.Agreement, now string) []any {
	return []any{a.Reference, a.Title, string(a.Kind), string(a.Status), dateArg(a.SignedOn), dateArg(a.EffectiveOn),
		dateArg(a.ExpiresOn), dateArg(a.TerminatedOn), a.RenewalMonths, a.NoticeDays, a.GoverningLaw, a.Summary,
		nullID(a.ParentID), now}
}

var agreementColumnsWritten = []string{"reference", "title", "kind", "status", "signed_on", "effective_on", "expires_on",
	"terminated_on", "renewal_months", "notice_days", "governing_law", "summary", "parent_id", "updated_at"}

// writeParties (re)writes an agreement's parties in their order.
func writeParties(tx *sql.Tx, a *licensing.Agreement) error {
	if _, err := tx.Exec(`DELETE FROM agreement_parties WHERE agreement_id = ?`, a.ID); err != nil {
		return err
	}
	for i, p := range a.Parties {
		if _, err := tx.Exec(`INSERT INTO agreement_parties (agreement_id, company_id, role, position) VALUES (?, ?, ?, ?)`,
			a.ID, p.CompanyID, string(p.Role), i); err != nil {
			return err
		}
	}
	return nil
}

// indexAgreement (re)writes an agreement's full-text row.
func indexAgreement(tx *sql.Tx, a *licensing.Agreement) error {
	if _, err := tx.Exec(`DELETE FROM agreements_fts WHERE rowid = ?`, a.ID); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO agreements_fts (rowid, reference, title, summary) VALUES (?, ?, ?, ?)`,
		a.ID, a.Reference, a.Title, a.Summary)
	return err
}

// CreateAgreement stores a new agreement with its parties, grants,
// assignments and obligations, all or nothing: every field message of the
// agreement and of each nested item (keyed like grants.0.licensor or
// assignments.1.patents) comes back in one Invalid error. Patent numbers
// in any notation are resolved; every ID is set.
func (db *DB) CreateAgreement(ctx context.Context, actor Actor, a *licensing.Agreement) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		return db.createAgreementTx(tx, a, record)
	})
}

// createAgreementTx writes a new agreement and its items within tx, for
// CreateAgreement and for a load of many (AgreementLoad).
func (db *DB) createAgreementTx(tx *sql.Tx, a *licensing.Agreement, record func(Change)) error {
	today := licensing.DateOf(db.now())
	clearIDs(a)
	if err := checkNewAgreement(tx, today, a); err != nil {
		return err
	}
	now := formatTime(db.now())
	res, err := tx.Exec(`INSERT INTO agreements (`+strings.Join(agreementColumnsWritten, ", ")+`, created_at)
		VALUES (`+placeholders(len(agreementColumnsWritten)+1)+`)`, append(agreementArgs(a, now), now)...)
	if isUniqueViolation(err) {
		return referenceTaken(a.Reference)
	}
	if err != nil {
		return err
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := writeParties(tx, a); err != nil {
		return err
	}
	if err := indexAgreement(tx, a); err != nil {
		return err
	}
	snap := agreementSnapshot(a)
	snap["grants"], snap["assignments"], snap["obligations"] = len(a.Grants), len(a.Assignments), len(a.Obligations)
	record(Change{Action: "agreement.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
		Details: map[string]any{"after": snap}})
	return createAgreementItems(tx, today, a, record)
}

// clearIDs forgets the ids a failed earlier attempt may have left, so that
// every item of a new agreement counts as new.
func clearIDs(a *licensing.Agreement) {
	a.ID = 0
	for i := range a.Grants {
		a.Grants[i].ID = 0
	}
	for i := range a.Assignments {
		a.Assignments[i].ID = 0
	}
	for i := range a.Obligations {
		a.Obligations[i].ID = 0
	}
}

// checkNewAgreement validates a new agreement and everything inside it
// against the rules and the records, filling names and resolving patents.
func checkNewAgreement(tx *sql.Tx, today licensing.Date, a *licensing.Agreement) error {
	tidyAgreement(a)
	errs := a.Validate()
	if err := checkAgreementRecords(tx, a, errs); err != nil {
		return err
	}
	grants := &grantChecker{tx: tx, today: today}
	for i := range a.Grants {
		fields, err := grants.check(a, &a.Grants[i])
		if err != nil {
			return err
		}
		nest(errs, "grants", i, fields)
	}
	for i := range a.Assignments {
		err := prepareAssignment(tx, &a.Assignments[i])
		var de *licensing.Error
		if errors.As(err, &de) && de.Code == licensing.Invalid && len(de.Fields) > 0 {
			nest(errs, "assignments", i, de.Fields)
		} else if err != nil {
			return err
		}
	}
	for i := range a.Obligations {
		fields, err := checkObligation(tx, a, &a.Obligations[i])
		if err != nil {
			return err
		}
		nest(errs, "obligations", i, fields)
	}
	if err := invalidFields("agreement", errs); err != nil {
		return err
	}
	return referenceFree(tx, a)
}

// createAgreementItems inserts the checked grants, assignments and
// obligations of a new agreement, each with its audit row.
func createAgreementItems(tx *sql.Tx, today licensing.Date, a *licensing.Agreement, record func(Change)) error {
	for i := range a.Grants {
		g := &a.Grants[i]
		g.AgreementID = a.ID
		if err := insertGrant(tx, g); err != nil {
			return err
		}
		record(Change{Action: "grant.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"after": grantSnapshot(g, a.Reference)}})
	}
	for i := range a.Assignments {
		if err := createAssignmentOn(tx, today, a, &a.Assignments[i], record); err != nil {
			return err
		}
	}
	for i := range a.Obligations {
		o := &a.Obligations[i]
		o.AgreementID = a.ID
		if err := insertObligation(tx, o); err != nil {
			return err
		}
		record(Change{Action: "obligation.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"after": obligationSnapshot(o, a.Reference)}})
	}
	return nil
}

// UpdateAgreement replaces an agreement's own fields and parties; its
// grants, assignments and obligations are changed one by one. The status
// may only move as licensing.CanMove allows, and a company that a grant
// names stays a party. A move into or out of a signed status gives or
// takes back the title its assignments transfer.
func (db *DB) UpdateAgreement(ctx context.Context, actor Actor, a *licensing.Agreement) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := agreementTx(tx, a.ID)
		if err != nil {
			return err
		}
		tidyAgreement(a)
		errs := a.Validate()
		if err := checkAgreementRecords(tx, a, errs); err != nil {
			return err
		}
		var de *licensing.Error
		if err := licensing.CanMove(old.Status, a.Status); errors.As(err, &de) && errs["status"] == "" {
			errs["status"] = de.Message
		}
		if err := partiesNamedByGrants(tx, a, errs); err != nil {
			return err
		}
		if err := grantTermsWithin(tx, a, errs); err != nil {
			return err
		}
		if err := invalidFields("agreement", errs); err != nil {
			return err
		}
		if err := referenceFree(tx, a); err != nil {
			return err
		}
		d := diff(agreementSnapshot(old), agreementSnapshot(a))
		if len(d["after"].(map[string]any)) == 0 {
			return nil
		}
		set := strings.Join(agreementColumnsWritten, " = ?, ") + " = ?"
		_, err = tx.Exec(`UPDATE agreements SET `+set+` WHERE id = ?`, append(agreementArgs(a, formatTime(db.now())), a.ID)...)
		if isUniqueViolation(err) {
			return referenceTaken(a.Reference)
		}
		if err != nil {
			return err
		}
		if err := writeParties(tx, a); err != nil {
			return err
		}
		if err := indexAgreement(tx, a); err != nil {
			return err
		}
		if old.Status.Signed() != a.Status.Signed() {
			ids, err := assignmentPatentIDs(tx, a.ID)
			if err != nil {
				return err
			}
			if err := rebuildTitles(tx, licensing.DateOf(db.now()), ids); err != nil {
				return err
			}
		}
		record(Change{Action: "agreement.update", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10), Details: d})
		return nil
	})
}

// grantTermsWithin refuses new agreement dates that would leave a grant's
// own term outside the agreement's: the grant would claim days the deal no
// longer covers. The message goes on the agreement date that moved.
func grantTermsWithin(tx *sql.Tx, a *licensing.Agreement, errs map[string]string) error {
	rows, err := tx.Query(`SELECT id, starts_on, ends_on FROM grants WHERE agreement_id = ?
		AND (starts_on IS NOT NULL OR ends_on IS NOT NULL) ORDER BY position`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var starts, ends sql.NullString
		if err := rows.Scan(&id, &starts, &ends); err != nil {
			return err
		}
		var g licensing.Grant
		if g.StartsOn, err = scanDate(starts); err != nil {
			return err
		}
		if g.EndsOn, err = scanDate(ends); err != nil {
			return err
		}
		ge := g.Validate(a)
		for field, target := range map[string]string{"starts_on": "effective_on", "ends_on": "expires_on"} {
			if msg := ge[field]; msg != "" && errs[target] == "" {
				errs[target] = fmt.Sprintf("Grant %d: %s", id, msg)
			}
		}
	}
	return rows.Err()
}

// partiesNamedByGrants refuses to drop from the parties a company that a
// grant of the agreement names as licensor, or as licensee (a sublicence's
// licensee need not be a party).
func partiesNamedByGrants(tx *sql.Tx, a *licensing.Agreement, errs map[string]string) error {
	rows, err := tx.Query(`SELECT g.id, c.id, c.name FROM grants g JOIN companies c ON c.id = g.licensor_id
			OR (c.id = g.licensee_id AND g.parent_grant_id IS NULL)
		WHERE g.agreement_id = ? ORDER BY g.position, g.id`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	named := map[int64]bool{}
	for rows.Next() {
		var grant, company int64
		var name string
		if err := rows.Scan(&grant, &company, &name); err != nil {
			return err
		}
		if !a.IsParty(company) && !named[company] {
			named[company] = true
			problems = append(problems, fmt.Sprintf("%s must stay a party: grant %d names it.", name, grant))
		}
	}
	if len(problems) > 0 && errs["parties"] == "" {
		errs["parties"] = strings.Join(problems, " ")
	}
	return rows.Err()
}

// DeleteAgreement removes a draft agreement with everything inside it.
// Signed agreements are terminated or expire, never erased; an agreement
// that others amend, or under whose grants others sublicense, stays too.
func (db *DB) DeleteAgreement(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := agreementTx(tx, id)
		if err != nil {
			return err
		}
		if old.Status != licensing.AgreementDraft {
			return licensing.Errorf(licensing.Conflict, "only a draft agreement can be deleted; terminate or let it expire instead")
		}
		if refs, err := referencesOf(tx, `SELECT reference FROM agreements WHERE parent_id = ? ORDER BY reference`, id); err != nil {
			return err
		} else if refs != "" {
			return licensing.Errorf(licensing.Conflict, "%s cannot be deleted while amendments refer to it: %s", old.Reference, refs)
		}
		if refs, err := referencesOf(tx, `SELECT DISTINCT ag.reference FROM grants s JOIN grants p ON p.id = s.parent_grant_id
				JOIN agreements ag ON ag.id = s.agreement_id WHERE p.agreement_id = ? AND s.agreement_id <> p.agreement_id
				ORDER BY ag.reference`, id); err != nil {
			return err
		} else if refs != "" {
			return licensing.Errorf(licensing.Conflict, "%s cannot be deleted while grants of %s sublicense under its grants", old.Reference, refs)
		}
		snap := agreementSnapshot(old)
		for _, table := range []string{"grants", "assignments", "obligations", "documents"} {
			var n int
			if err := tx.QueryRow(`SELECT count(*) FROM `+table+` WHERE agreement_id = ?`, id).Scan(&n); err != nil {
				return err
			}
			snap[table] = n
		}
		patents, err := assignmentPatentIDs(tx, id)
		if err != nil {
			return err
		}
		// Sublicences inside the agreement go with it; unlink them first,
		// as the parent link restricts deletes row by row.
		for _, q := range []string{`UPDATE grants SET parent_grant_id = NULL WHERE agreement_id = ?`,
			`DELETE FROM agreements_fts WHERE rowid = ?`, `DELETE FROM agreements WHERE id = ?`} {
			if _, err := tx.Exec(q, id); err != nil {
				return err
			}
		}
		if err := rebuildTitles(tx, licensing.DateOf(db.now()), patents); err != nil {
			return err
		}
		record(Change{Action: "agreement.delete", Entity: "agreement", EntityID: strconv.FormatInt(id, 10),
			Details: map[string]any{"before": snap}})
		return nil
	})
}

// referencesOf joins the references a query lists with commas.
func referencesOf(tx *sql.Tx, query string, args ...any) (string, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return "", err
		}
		refs = append(refs, r)
	}
	return strings.Join(refs, ", "), rows.Err()
}
