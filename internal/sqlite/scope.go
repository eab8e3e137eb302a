package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// GrantTouch is a grant whose scope takes in a patent, and the way it does:
// "patents" (listed), "families" (a listed family) or "portfolio" (owned
// by the licensor, or an affiliate, within the capture window).
type GrantTouch struct {
	GrantRow
	Via string
}

// GrantsOnPatent returns every grant whose scope takes in the patent,
// whatever the grant's term or its agreement's status, by agreement
// reference and position. A portfolio reaches the licensor's affiliates of
// today when the grant says so.
func (db *DB) GrantsOnPatent(ctx context.Context, patentID int64) ([]GrantTouch, error) {
	var family string
	err := db.sql.QueryRowContext(ctx, `SELECT family FROM patents WHERE id = ?`, patentID).Scan(&family)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %d", patentID)
	}
	if err != nil {
		return nil, err
	}
	via := map[int64]string{}
	rows, err := db.sql.QueryContext(ctx, `SELECT gp.grant_id, 'patents' FROM grant_patents gp WHERE gp.patent_id = ?
		UNION ALL SELECT t.grant_id, 'families' FROM grant_terms t JOIN grants g ON g.id = t.grant_id
			WHERE t.kind = 'family' AND t.value COLLATE BINARY = ? AND ? <> '' AND g.scope = 'families'`, patentID, family, family)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var how string
		if err := rows.Scan(&id, &how); err != nil {
			rows.Close()
			return nil, err
		}
		via[id] = how
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := db.portfolioGrantsOn(ctx, patentID, via); err != nil {
		return nil, err
	}
	if len(via) == 0 {
		return nil, nil
	}
	ids := make([]any, 0, len(via))
	for id := range via {
		ids = append(ids, id)
	}
	grants, err := loadGrants(ctx, db.sql, `g.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]GrantTouch, len(grants))
	for i, g := range grants {
		out[i] = GrantTouch{GrantRow: *g, Via: via[g.ID]}
	}
	return out, nil
}

// portfolioGrantsOn adds to via the portfolio grants that take in the
// patent. Only grants whose owners include a holder of the patent are
// asked about; the scope condition itself decides.
func (db *DB) portfolioGrantsOn(ctx context.Context, patentID int64, via map[int64]string) error {
	holders, err := queryIDs(ctx, db.sql, `SELECT DISTINCT owner_id FROM patent_owners WHERE patent_id = ?`, patentID)
	if err != nil || len(holders) == 0 {
		return err
	}
	grants, err := loadGrants(ctx, db.sql, `g.scope = 'portfolio'`)
	if err != nil || len(grants) == 0 {
		return err
	}
	links, err := db.ControlLinks(ctx)
	if err != nil {
		return err
	}
	today := licensing.DateOf(db.now())
	for _, g := range grants {
		owners := scopeOwners(links, &g.Grant, today)
		if !slices.ContainsFunc(holders, func(h int64) bool { return slices.Contains(owners, h) }) {
			continue
		}
		cond, args := scopeWhere(&g.Grant, owners, true)
		var in bool
		if err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM patents p WHERE p.id = ? AND `+cond+`)`,
			append([]any{patentID}, args...)...).Scan(&in); err != nil {
			return err
		}
		if in {
			via[g.ID] = string(licensing.ScopePortfolio)
		}
	}
	return nil
}

// GrantScopeCount counts the patents g's scope resolves to that are in
// force on date on. A portfolio takes in the licensor's affiliates on that
// date when the grant says so. Listed patents not yet resolved to ids are
// looked up by number.
func (db *DB) GrantScopeCount(ctx context.Context, g *licensing.Grant, on licensing.Date) (int, error) {
	scoped := *g
	if slices.ContainsFunc(g.Scope.Patents, func(r licensing.PatentRef) bool { return r.ID == 0 }) {
		refs, err := resolveRefs(db.sql, g.Scope.Patents)
		if err != nil {
			return 0, err
		}
		scoped.Scope.Patents = refs
	}
	var links []licensing.Control
	if g.LicensorAffiliates {
		var err error
		if links, err = db.ControlLinks(ctx); err != nil {
			return 0, err
		}
	}
	cond, args := scopeWhere(&scoped, scopeOwners(links, g, on), false)
	where, inForce := patentWhere(PatentFilter{InForceOn: &on})
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM patents p WHERE `+cond+` AND `+strings.Join(where, " AND "),
		append(args, inForce...)...).Scan(&n)
	return n, err
}

// grantScopeWhere is the condition on patents p of the patents list's
// grant filter: the stored grant's scope, in force or not, with the
// licensor's affiliates of today.
func (db *DB) grantScopeWhere(ctx context.Context, grantID int64) (string, []any, error) {
	grants, err := loadGrants(ctx, db.sql, `g.id = ?`, grantID)
	if err != nil {
		return "", nil, err
	}
	if len(grants) == 0 {
		return "", nil, licensing.Errorf(licensing.NotFound, "no grant with id %d", grantID)
	}
	g := &grants[0].Grant
	var links []licensing.Control
	if g.LicensorAffiliates {
		if links, err = db.ControlLinks(ctx); err != nil {
			return "", nil, err
		}
	}
	cond, args := scopeWhere(g, scopeOwners(links, g, licensing.DateOf(db.now())), false)
	return cond, args, nil
}

// scopeOwners are the companies whose patents a portfolio scope takes in:
// the licensor, and with licensor_affiliates its corporate group on date on.
func scopeOwners(links []licensing.Control, g *licensing.Grant, on licensing.Date) []int64 {
	if g.LicensorAffiliates {
		return licensing.Group(links, g.LicensorID, on)
	}
	return []int64{g.LicensorID}
}

// scopeWhere is the condition on patents p that a grant's scope sets, with
// its placeholders' values. A portfolio takes in every patent one of the
// owners held on at least one day of the capture window (per the chains of
// title), narrowed to any of its tags, any of its standards and any of its
// offices, where it lists some. onePatent picks the form that is quick
// when p is a single patent.
func scopeWhere(g *licensing.Grant, owners []int64, onePatent bool) (string, []any) {
	s := &g.Scope
	switch s.Kind {
	case licensing.ScopePatents:
		return inList("p.id", refIDs(s.Patents))
	case licensing.ScopeFamilies:
		var keys []string
		for _, f := range s.Families {
			if f = strings.TrimSpace(f); f != "" {
				keys = append(keys, f)
			}
		}
		return inList("p.family", keys)
	case licensing.ScopePortfolio:
	default:
		return "0", nil
	}
	held, args := inList("po.owner_id", owners)
	window := held + ` AND (? = '' OR po.to_on IS NULL OR po.to_on >= ?) AND (? = '' OR po.from_on IS NULL OR po.from_on <= ?)`
	args = append(args, s.CaptureFrom.String(), s.CaptureFrom.String(), s.CaptureTo.String(), s.CaptureTo.String())
	// A list walks the owners' holdings by index; a single patent looks
	// up its own few holdings instead.
	owned := `p.id IN (SELECT po.patent_id FROM patent_owners po WHERE ` + window + `)`
	if onePatent {
		owned = `EXISTS (SELECT 1 FROM patent_owners po WHERE po.patent_id = p.id AND ` + window + `)`
	}
	conds := []string{owned}
	for _, l := range []struct {
		kind   string
		values []string
	}{{"tag", s.Tags}, {"standard", s.Standards}} {
		if len(l.values) == 0 {
			continue
		}
		in, vals := inList("l.value", l.values)
		conds = append(conds, `EXISTS (SELECT 1 FROM patent_labels l WHERE l.kind = ? AND l.patent_id = p.id AND `+in+`)`)
		args = append(append(args, l.kind), vals...)
	}
	if len(s.Offices) > 0 {
		in, vals := inList("p.office", s.Offices)
		conds, args = append(conds, in), append(args, vals...)
	}
	return strings.Join(conds, " AND "), args
}

// inList is "col IN (?, …)" with its values; an empty list matches nothing.
func inList[T any](col string, values []T) (string, []any) {
	if len(values) == 0 {
		return "0", nil
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return col + " IN (" + placeholders(len(values)) + ")", args
}

// queryIDs runs a query of one id column.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// rowQuerier is what a lookup needs from a transaction or the database.
type rowQuerier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

// resolvePatentRefs finds the recorded patent for each reference, by id or
// by number in any notation, and returns them with normalized numbers,
// each patent once, blank lines skipped. Unknown or ambiguous numbers make
// an Invalid error whose "patents" field lists each by its line (its
// position in refs, from 1); a caller nesting the list renames the key.
func resolvePatentRefs(tx *sql.Tx, refs []licensing.PatentRef) ([]licensing.PatentRef, error) {
	return resolveRefs(tx, refs)
}

func resolveRefs(q rowQuerier, refs []licensing.PatentRef) ([]licensing.PatentRef, error) {
	var out []licensing.PatentRef
	var problems []string
	seen := map[int64]bool{}
	for i, r := range refs {
		line := i + 1
		var found licensing.PatentRef
		var problem string
		var err error
		switch {
		case r.ID != 0:
			err = q.QueryRow(`SELECT id, normalized FROM patents WHERE id = ?`, r.ID).Scan(&found.ID, &found.Number)
			if errors.Is(err, sql.ErrNoRows) {
				problem, err = fmt.Sprintf("Line %d: no patent with id %d.", line, r.ID), nil
			}
		case strings.TrimSpace(r.Number) == "":
			continue
		default:
			found, problem, err = patentRefByNumber(q, line, r.Number)
		}
		if err != nil {
			return nil, err
		}
		if problem != "" {
			problems = append(problems, problem)
			continue
		}
		if !seen[found.ID] {
			seen[found.ID] = true
			out = append(out, found)
		}
	}
	if len(problems) > 0 {
		return nil, &licensing.Error{Code: licensing.Invalid, Message: "the list names patents that are not recorded",
			Fields: map[string]string{"patents": strings.Join(problems, " ")}}
	}
	return out, nil
}

// patentRefByNumber looks one number up; problem says, for its line, why
// it names no single recorded patent.
func patentRefByNumber(q rowQuerier, line int, number string) (ref licensing.PatentRef, problem string, err error) {
	n, perr := licensing.ParsePatentNumber(number)
	if perr != nil {
		msg := perr.Error()
		var de *licensing.Error
		if errors.As(perr, &de) {
			msg = de.Message
		}
		return ref, fmt.Sprintf("Line %d: %s.", line, strings.TrimSuffix(msg, ".")), nil
	}
	col := "normalized"
	if n.Kind == "" {
		col = "doc_number"
	}
	rows, err := q.Query(`SELECT id, normalized FROM patents WHERE `+col+` = ? ORDER BY normalized LIMIT 6`, n.String())
	if err != nil {
		return ref, "", err
	}
	defer rows.Close()
	var found []licensing.PatentRef
	for rows.Next() {
		var r licensing.PatentRef
		if err := rows.Scan(&r.ID, &r.Number); err != nil {
			return ref, "", err
		}
		found = append(found, r)
	}
	if err := rows.Err(); err != nil {
		return ref, "", err
	}
	switch len(found) {
	case 0:
		return ref, fmt.Sprintf("Line %d: no patent %s.", line, n.String()), nil
	case 1:
		return found[0], "", nil
	}
	names := make([]string, len(found))
	for i, r := range found {
		names[i] = r.Number
	}
	return ref, fmt.Sprintf("Line %d: %s matches several patents: %s; add the kind code.", line, n.String(), strings.Join(names, ", ")), nil
}
