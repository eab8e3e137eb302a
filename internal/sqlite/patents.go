package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"patentdesk/internal/licensing"
)

// PatentRecord is a stored patent with the names of its owners.
type PatentRecord struct {
	licensing.Patent
	OwnerID       int64  // the owner today
	Owner         string // the owner's legal name
	OriginalOwner string
}

// labelKinds maps each list field of a patent to its kind in patent_labels.
var labelKinds = []struct {
	kind string
	get  func(p *licensing.Patent) *[]string
}{
	{"tag", func(p *licensing.Patent) *[]string { return &p.Tags }},
	{"standard", func(p *licensing.Patent) *[]string { return &p.Standards }},
	{"cpc", func(p *licensing.Patent) *[]string { return &p.CPC }},
	{"state", func(p *licensing.Patent) *[]string { return &p.DesignatedStates }},
}

// preparePatent normalizes and validates a patent before it is written.
func preparePatent(p *licensing.Patent) error {
	if p.Status == "" {
		p.Status = licensing.StatusPending
	}
	if err := p.Normalize(); err != nil {
		var de *licensing.Error
		msg := err.Error()
		if errors.As(err, &de) {
			msg = de.Message
		}
		return &licensing.Error{Code: licensing.Invalid, Message: "the patent number cannot be read", Fields: map[string]string{"number": msg}}
	}
	errs := p.Validate()
	if p.OriginalOwnerID == 0 {
		errs["owner"] = "The owner (applicant) is required."
	}
	return invalidFields("patent", errs)
}

func patentSnapshot(p *licensing.Patent, owner string) map[string]any {
	expiry, overridden := p.Expiry()
	return map[string]any{
		"number": p.Normalized, "office": p.Office, "kind": p.Kind, "application_number": p.ApplicationNumber,
		"title": p.Title, "family": p.Family, "priority_on": p.PriorityOn.String(), "filed_on": p.FiledOn.String(),
		"published_on": p.PublishedOn.String(), "granted_on": p.GrantedOn.String(), "expires_on": expiry.String(),
		"expiry_overridden": overridden, "status": string(p.Status), "status_on": p.StatusOn.String(), "owner": owner,
		"tags": strings.Join(p.Tags, "|"), "standards": strings.Join(p.Standards, "|"), "sep": p.SEP,
		"sep_reference": p.SEPReference, "designated_states": strings.Join(p.DesignatedStates, "|"), "cpc": strings.Join(p.CPC, "|"),
	}
}

// docNumber is the number without its kind code.
func docNumber(p *licensing.Patent) string {
	return strings.TrimSuffix(p.Normalized, p.Kind)
}

// CreatePatent stores a new patent; p.ID and p.Normalized are set.
func (db *DB) CreatePatent(ctx context.Context, actor Actor, p *licensing.Patent) error {
	if err := preparePatent(p); err != nil {
		return err
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		return createPatentTx(tx, db.now(), p, record)
	})
}

func createPatentTx(tx *sql.Tx, now time.Time, p *licensing.Patent, record func(Change)) error {
	return newPatentWriter(tx, now, record).create(p)
}

// patentColumnsWritten are the columns a create and an update both write,
// in the order of patentArgs.
var patentColumnsWritten = []string{"number", "normalized", "doc_number", "office", "kind", "application_number", "title",
	"family", "priority_on", "filed_on", "published_on", "granted_on", "expires_on", "expiry", "status", "status_on", "sep",
	"sep_reference", "original_owner_id", "owner_id", "updated_at"}

// patentArgs are the values of patentColumnsWritten. Until assignments
// exist, the owner today is the original owner.
func patentArgs(p *licensing.Patent, updatedAt string) []any {
	expiry, _ := p.Expiry()
	return []any{strings.TrimSpace(p.Number), p.Normalized, docNumber(p), p.Office, p.Kind, p.ApplicationNumber,
		strings.TrimSpace(p.Title), p.Family, dateArg(p.PriorityOn), dateArg(p.FiledOn), dateArg(p.PublishedOn),
		dateArg(p.GrantedOn), dateArg(p.ExpiresOn), dateArg(expiry), string(p.Status), dateArg(p.StatusOn), p.SEP,
		p.SEPReference, p.OriginalOwnerID, p.OriginalOwnerID, updatedAt}
}

// numberTaken is the answer to a second patent with the same number.
func numberTaken(p *licensing.Patent, err error) error {
	if !isUniqueViolation(err) {
		return err
	}
	msg := fmt.Sprintf("%s is already recorded", p.Normalized)
	return &licensing.Error{Code: licensing.Conflict, Message: msg, Fields: map[string]string{"number": msg}}
}

// UpdatePatent replaces a patent's fields.
func (db *DB) UpdatePatent(ctx context.Context, actor Actor, p *licensing.Patent) error {
	if err := preparePatent(p); err != nil {
		return err
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := patentTx(tx, p.ID)
		if err != nil {
			return err
		}
		_, err = updatePatentTx(tx, db.now(), old, p, record)
		return err
	})
}

// updatePatentTx writes p over old and records what changed; changed is
// false when nothing did, and then nothing is written.
func updatePatentTx(tx *sql.Tx, now time.Time, old *PatentRecord, p *licensing.Patent, record func(Change)) (changed bool, err error) {
	owner, err := companyName(tx, p.OriginalOwnerID)
	if err != nil {
		return false, err
	}
	d := diff(patentSnapshot(&old.Patent, old.OriginalOwner), patentSnapshot(p, owner))
	if len(d["after"].(map[string]any)) == 0 {
		// Another notation of the same number is no change worth a write.
		return false, nil
	}
	set := strings.Join(patentColumnsWritten, " = ?, ") + " = ?"
	if _, err := tx.Exec(`UPDATE patents SET `+set+` WHERE id = ?`, append(patentArgs(p, formatTime(now)), p.ID)...); err != nil {
		return false, numberTaken(p, err)
	}
	if _, err := tx.Exec(`DELETE FROM patent_labels WHERE patent_id = ?`, p.ID); err != nil {
		return false, err
	}
	if err := writeLabels(tx, p); err != nil {
		return false, err
	}
	if err := retitle(tx, licensing.DateOf(now), old, p); err != nil {
		return false, err
	}
	record(Change{Action: "patent.update", Entity: "patent", EntityID: strconv.FormatInt(p.ID, 10), Details: d})
	return true, nil
}

// DeletePatent removes a patent that no agreement names; its chain of
// title goes with it.
func (db *DB) DeletePatent(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := patentTx(tx, id)
		if err != nil {
			return err
		}
		if err := patentInAgreements(tx, id, old.Normalized); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM patents_fts WHERE rowid = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM patents WHERE id = ?`, id); err != nil {
			return err
		}
		record(Change{Action: "patent.delete", Entity: "patent", EntityID: strconv.FormatInt(id, 10),
			Details: map[string]any{"before": patentSnapshot(&old.Patent, old.OriginalOwner)}})
		return nil
	})
}

// writeLabels writes the labels of p, as a new patent gets them.
func writeLabels(tx *sql.Tx, p *licensing.Patent) error {
	w := patentWriter{tx: tx}
	w.addLabels(p)
	return w.flushLabels()
}

// digitsOnly keeps the digits 0–9 of s: a number as typed without its
// letters, spaces and punctuation.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// ownerSearchNames is the text the search row holds of one owner o: legal
// name, short name and aliases.
const ownerSearchNames = `o.name || ' ' || o.short_name || ' ' ||
	COALESCE((SELECT group_concat(alias, ' ') FROM company_aliases WHERE company_id = o.id), '')`

// searchNumbers is the numbers column of a search row: the number in every
// common spelling, so that a search finds it however it is typed.
func searchNumbers(normalized, doc, number, application string) string {
	return strings.Join([]string{normalized, doc, digitsOnly(number), application}, " ")
}

// indexPatent (re)writes a patent's full-text row: its numbers in every
// common spelling, its title, and the names and aliases of every owner in
// its chain of title (the present owner among them), so that a search by a
// buyer's or a seller's name finds it.
func indexPatent(tx *sql.Tx, id int64) error {
	var normalized, doc, number, appl, title, owner string
	err := tx.QueryRow(`SELECT p.normalized, p.doc_number, p.number, p.application_number, p.title,
		(SELECT group_concat(`+ownerSearchNames+`, ' ')
		FROM companies o WHERE o.id IN (SELECT owner_id FROM patent_owners WHERE patent_id = p.id))
		FROM patents p WHERE p.id = ?`, id).Scan(&normalized, &doc, &number, &appl, &title, &owner)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM patents_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO patents_fts (rowid, numbers, title, owner) VALUES (?, ?, ?, ?)`,
		id, searchNumbers(normalized, doc, number, appl), title, owner)
	return err
}

// searchRow is the patents_fts row of a new patent, which its one owner
// holds, as indexPatent would write it: rowid, numbers, title, owner.
// A new id has no search row to replace, since DeletePatent removes the
// row of the patent it deletes.
func searchRow(p *licensing.Patent, ownerNames string) []any {
	return []any{p.ID, searchNumbers(p.Normalized, docNumber(p), strings.TrimSpace(p.Number), p.ApplicationNumber),
		strings.TrimSpace(p.Title), ownerNames}
}

// reindexOwnerPatents refreshes the search rows of a company's patents after
// its names changed; renaming is rare, so the cost per patent is acceptable.
func reindexOwnerPatents(tx *sql.Tx, companyID int64) error {
	rows, err := tx.Query(`SELECT patent_id FROM patent_owners WHERE owner_id = ? UNION SELECT id FROM patents WHERE owner_id = ?`,
		companyID, companyID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := indexPatent(tx, id); err != nil {
			return err
		}
	}
	return rows.Err()
}

func companyName(tx *sql.Tx, id int64) (string, error) {
	var name string
	err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", noSuchOwner()
	}
	return name, err
}

// noSuchOwner refuses a patent whose owner is no company.
func noSuchOwner() error {
	return &licensing.Error{Code: licensing.Invalid, Message: "the owner does not exist", Fields: map[string]string{"owner": "no such company"}}
}
