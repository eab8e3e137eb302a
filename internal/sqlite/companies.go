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

// companySnapshot is how a company appears in the audit trail.
func companySnapshot(c *licensing.Company, parentName string) map[string]any {
	return map[string]any{
		"name": c.Name, "short_name": c.ShortName, "country": c.Country, "parent": parentName,
		"control_from": c.ControlFrom.String(), "control_to": c.ControlTo.String(), "aliases": strings.Join(c.Aliases, "|"),
	}
}

// diff keeps the fields that changed, as before and after maps.
func diff(before, after map[string]any) map[string]any {
	b, a := map[string]any{}, map[string]any{}
	for k, v := range after {
		if fmt.Sprint(before[k]) != fmt.Sprint(v) {
			b[k], a[k] = before[k], v
		}
	}
	return map[string]any{"before": b, "after": a}
}

// CreateCompany stores a new company with its aliases; c.ID is set.
func (db *DB) CreateCompany(ctx context.Context, actor Actor, c *licensing.Company) error {
	if err := invalidFields("company", c.Validate()); err != nil {
		return err
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		return createCompanyTx(tx, db.now(), c, record)
	})
}

func createCompanyTx(tx *sql.Tx, now time.Time, c *licensing.Company, record func(Change)) error {
	parent, err := checkParent(tx, c)
	if err != nil {
		return err
	}
	at := formatTime(now)
	res, err := tx.Exec(`INSERT INTO companies (name, short_name, country, parent_id, control_from, control_to, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, c.ShortName, c.Country, nullID(c.ParentID),
		dateArg(c.ControlFrom), dateArg(c.ControlTo), at, at)
	if isUniqueViolation(err) {
		return nameTaken(c.Name)
	}
	if err != nil {
		return err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := writeAliases(tx, c); err != nil {
		return err
	}
	record(Change{Action: "company.create", Entity: "company", EntityID: strconv.FormatInt(c.ID, 10),
		Details: map[string]any{"after": companySnapshot(c, parent)}})
	return nil
}

// UpdateCompany replaces a company's fields and aliases.
func (db *DB) UpdateCompany(ctx context.Context, actor Actor, c *licensing.Company) error {
	if err := invalidFields("company", c.Validate()); err != nil {
		return err
	}
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		_, err := updateCompanyTx(tx, db.now(), c, record)
		return err
	})
}

// updateCompanyTx writes c over the stored company and records what
// changed; changed is false when nothing did, and then nothing is written.
func updateCompanyTx(tx *sql.Tx, now time.Time, c *licensing.Company, record func(Change)) (changed bool, err error) {
	old, oldParent, err := companyTx(tx, c.ID)
	if err != nil {
		return false, err
	}
	parent, err := checkParent(tx, c)
	if err != nil {
		return false, err
	}
	d := diff(companySnapshot(old, oldParent), companySnapshot(c, parent))
	after := d["after"].(map[string]any)
	if len(after) == 0 {
		return false, nil
	}
	_, err = tx.Exec(`UPDATE companies SET name = ?, short_name = ?, country = ?, parent_id = ?, control_from = ?, control_to = ?, updated_at = ?
		WHERE id = ?`, c.Name, c.ShortName, c.Country, nullID(c.ParentID), dateArg(c.ControlFrom), dateArg(c.ControlTo),
		formatTime(now), c.ID)
	if isUniqueViolation(err) {
		return false, nameTaken(c.Name)
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.Exec(`DELETE FROM company_aliases WHERE company_id = ?`, c.ID); err != nil {
		return false, err
	}
	if err := writeAliases(tx, c); err != nil {
		return false, err
	}
	if after["name"] != nil || after["short_name"] != nil || after["aliases"] != nil {
		if err := reindexOwnerPatents(tx, c.ID); err != nil {
			return false, err
		}
	}
	record(Change{Action: "company.update", Entity: "company", EntityID: strconv.FormatInt(c.ID, 10), Details: d})
	return true, nil
}

// DeleteCompany removes a company that nothing references; otherwise it
// says what still refers to it.
func (db *DB) DeleteCompany(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, parent, err := companyTx(tx, id)
		if err != nil {
			return err
		}
		refs, err := companyReferences(tx, id)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return licensing.Errorf(licensing.Conflict, "%s cannot be deleted while it is referenced by %s", old.Name, strings.Join(refs, " and "))
		}
		if _, err := tx.Exec(`DELETE FROM companies WHERE id = ?`, id); err != nil {
			return err
		}
		record(Change{Action: "company.delete", Entity: "company", EntityID: strconv.FormatInt(id, 10),
			Details: map[string]any{"before": companySnapshot(old, parent)}})
		return nil
	})
}

// companyReferences names what refers to a company, e.g. "2 subsidiaries".
// Each later table that references companies adds its count here.
func companyReferences(tx *sql.Tx, id int64) ([]string, error) {
	var refs []string
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM companies WHERE parent_id = ?`, id).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		refs = append(refs, plural(n, "subsidiary", "subsidiaries"))
	}
	if err := tx.QueryRow(`SELECT count(*) FROM patents WHERE owner_id = ? OR original_owner_id = ?`, id, id).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		refs = append(refs, plural(n, "patent", "patents"))
	}
	for _, c := range []struct{ query, one, many string }{
		{`SELECT count(*) FROM agreement_parties WHERE company_id = ?1`, "agreement", "agreements"},
		{`SELECT count(*) FROM grants WHERE licensor_id = ?1 OR licensee_id = ?1`, "grant", "grants"},
		{`SELECT count(*) FROM assignments WHERE assignor_id = ?1 OR assignee_id = ?1`, "assignment", "assignments"},
		{`SELECT count(*) FROM obligations WHERE payer_id = ?1 OR payee_id = ?1`, "obligation", "obligations"},
	} {
		if err := tx.QueryRow(c.query, id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			refs = append(refs, plural(n, c.one, c.many))
		}
	}
	return refs, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// invalidFields turns a validation's field messages into one error, or nil
// when there are none.
func invalidFields(what string, errs map[string]string) error {
	if len(errs) == 0 {
		return nil
	}
	return &licensing.Error{Code: licensing.Invalid, Message: "the " + what + " has invalid fields", Fields: errs}
}

func nameTaken(name string) error {
	return &licensing.Error{Code: licensing.Conflict, Message: fmt.Sprintf("a company named %q already exists", name),
		Fields: map[string]string{"name": "this name is already taken"}}
}

// checkParent makes sure the parent exists and that the link makes no
// loop (a company cannot control its own parent); it returns the parent's name.
func checkParent(tx *sql.Tx, c *licensing.Company) (string, error) {
	if c.ParentID == 0 {
		return "", nil
	}
	var name string
	err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, c.ParentID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &licensing.Error{Code: licensing.Invalid, Message: "the parent company does not exist",
			Fields: map[string]string{"parent": "no such company"}}
	}
	if err != nil {
		return "", err
	}
	if c.ID != 0 {
		var loop int
		err := tx.QueryRow(`WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT parent_id FROM companies JOIN up ON companies.id = up.id WHERE parent_id IS NOT NULL)
			SELECT count(*) FROM up WHERE id = ?`, c.ParentID, c.ID).Scan(&loop)
		if err != nil {
			return "", err
		}
		if loop > 0 {
			return "", &licensing.Error{Code: licensing.Invalid, Message: "the parent would make a loop in the corporate tree",
				Fields: map[string]string{"parent": "this company is itself above " + name + " in the tree"}}
		}
	}
	return name, nil
}

func writeAliases(tx *sql.Tx, c *licensing.Company) error {
	for _, a := range c.Aliases {
		var owner int64
		var ownerName string
		err := tx.QueryRow(`SELECT c.id, c.name FROM companies c WHERE c.name = ? AND c.id <> ?
			UNION ALL SELECT a.company_id, c.name FROM company_aliases a JOIN companies c ON c.id = a.company_id WHERE a.alias = ?`,
			a, c.ID, a).Scan(&owner, &ownerName)
		if err == nil {
			return &licensing.Error{Code: licensing.Conflict, Message: fmt.Sprintf("the alias %q already names %s", a, ownerName),
				Fields: map[string]string{"aliases": fmt.Sprintf("%q already names %s", a, ownerName)}}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO company_aliases (alias, company_id) VALUES (?, ?)`, a, c.ID); err != nil {
			return err
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const companyColumns = `c.id, c.name, c.short_name, c.country, COALESCE(c.parent_id, 0), c.control_from, c.control_to,
	COALESCE((SELECT group_concat(alias, char(31)) FROM (SELECT alias FROM company_aliases WHERE company_id = c.id ORDER BY alias)), '')`

func scanCompany(row interface{ Scan(...any) error }) (*licensing.Company, error) {
	var c licensing.Company
	var from, to sql.NullString
	var aliases string
	if err := row.Scan(&c.ID, &c.Name, &c.ShortName, &c.Country, &c.ParentID, &from, &to, &aliases); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	var err error
	if c.ControlFrom, err = scanDate(from); err != nil {
		return nil, err
	}
	if c.ControlTo, err = scanDate(to); err != nil {
		return nil, err
	}
	if aliases != "" {
		c.Aliases = strings.Split(aliases, "\x1f")
	}
	return &c, nil
}

func companyTx(tx *sql.Tx, id int64) (*licensing.Company, string, error) {
	c, err := scanCompany(tx.QueryRow(`SELECT `+companyColumns+` FROM companies c WHERE c.id = ?`, id))
	if errors.Is(err, ErrNotFound) {
		return nil, "", licensing.Errorf(licensing.NotFound, "no company with id %d", id)
	}
	if err != nil {
		return nil, "", err
	}
	var parent string
	if c.ParentID != 0 {
		if err := tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, c.ParentID).Scan(&parent); err != nil {
			return nil, "", err
		}
	}
	return c, parent, nil
}

// Company returns one company by id, or ErrNotFound.
func (db *DB) Company(ctx context.Context, id int64) (*licensing.Company, error) {
	return scanCompany(db.sql.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies c WHERE c.id = ?`, id))
}

// CompanyByName finds a company by its legal name or one of its aliases,
// ignoring case, or returns ErrNotFound.
func (db *DB) CompanyByName(ctx context.Context, name string) (*licensing.Company, error) {
	name = strings.TrimSpace(name)
	return scanCompany(db.sql.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies c
		WHERE c.name = ? OR c.id = (SELECT company_id FROM company_aliases WHERE alias = ?)
		ORDER BY c.name = ? DESC LIMIT 1`, name, name, name))
}

// CompanyFilter selects companies for a list; nil fields do not filter.
type CompanyFilter struct {
	Query *string // part of the name, short name or an alias
	After *string // cursor: the name after which the page starts
	Limit int     // 0: 100
}

// Companies lists companies by name, a page at a time; next is the cursor
// of the following page, or "" after the last.
func (db *DB) Companies(ctx context.Context, f CompanyFilter) (list []*licensing.Company, next string, err error) {
	where, args := []string{"1"}, []any{}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		like := "%" + escapeLike(strings.TrimSpace(*f.Query)) + "%"
		where = append(where, `(c.name LIKE ? ESCAPE '\' OR c.short_name LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM company_aliases a WHERE a.company_id = c.id AND a.alias LIKE ? ESCAPE '\'))`)
		args = append(args, like, like, like)
	}
	if f.After != nil {
		where = append(where, "c.name > ?")
		args = append(args, *f.After)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit+1)
	rows, err := db.sql.QueryContext(ctx, `SELECT `+companyColumns+` FROM companies c WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.name LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, "", err
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		list = list[:limit]
		next = list[limit-1].Name
	}
	return list, next, nil
}

// ControlLinks returns every parent link of the corporate trees; companies
// are few (hundreds), so the rights engine may hold them all.
func (db *DB) ControlLinks(ctx context.Context) ([]licensing.Control, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, parent_id, control_from, control_to FROM companies WHERE parent_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []licensing.Control
	for rows.Next() {
		var l licensing.Control
		var from, to sql.NullString
		if err := rows.Scan(&l.Company, &l.Parent, &from, &to); err != nil {
			return nil, err
		}
		if l.From, err = scanDate(from); err != nil {
			return nil, err
		}
		if l.To, err = scanDate(to); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CompanyCandidates finds the companies a reference may mean: the one with
// this id (when ref is a number) or this legal name, else the one with
// this alias, else those with this short name (at most ten). Callers treat
// more than one as ambiguous.
func (db *DB) CompanyCandidates(ctx context.Context, ref string) ([]*licensing.Company, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		c, err := db.Company(ctx, id)
		if err == nil {
			return []*licensing.Company{c}, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	for _, cond := range []string{`c.name = ?`, `c.id = (SELECT company_id FROM company_aliases WHERE alias = ?)`,
		`c.short_name = ? COLLATE NOCASE AND c.short_name <> ''`} {
		rows, err := db.sql.QueryContext(ctx, `SELECT `+companyColumns+` FROM companies c WHERE `+cond+` ORDER BY c.name LIMIT 10`, ref)
		if err != nil {
			return nil, err
		}
		var found []*licensing.Company
		for rows.Next() {
			c, err := scanCompany(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(found) > 0 {
			return found, nil
		}
	}
	return nil, nil
}
