package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// GrantTouch is a grant whose scope takes in a patent, and the way it does:
// "patents" (listed), "families" (a listed family) or "portfolio" (held
// within the capture window by the licensor or, where the grant says so,
// by a member of the licensor's corporate group of that day).
type GrantTouch struct {
	GrantRow
	Via string
}

// GrantsOnPatent returns every grant whose scope takes in the patent,
// whatever the grant's term or its agreement's status, by agreement
// reference and position.
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
// patent. Only grants that a holder of the patent could bring it into are
// read: those whose licensor was a holder, or, for a grant reaching the
// licensor's affiliates, was ever in a corporate group with one.
func (db *DB) portfolioGrantsOn(ctx context.Context, patentID int64, via map[int64]string) error {
	chain, err := heldBy(ctx, db.sql, patentID)
	if err != nil || len(chain) == 0 {
		return err
	}
	links, err := db.ControlLinks(ctx)
	if err != nil {
		return err
	}
	holders, kin := portfolioLicensors(links, chain)
	inHolders, holderArgs := inList("g.licensor_id", holders)
	inKin, kinArgs := inList("g.licensor_id", kin)
	grants, err := loadGrants(ctx, db.sql, `g.scope = 'portfolio' AND (`+inHolders+` OR (g.licensor_affiliates = 1 AND `+inKin+`))`,
		append(holderArgs, kinArgs...)...)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if !licensing.HeldWithin(chain, portfolioSpans(links, &g.Grant)) {
			continue
		}
		in, err := narrowedTo(ctx, db.sql, &g.Scope, patentID)
		if err != nil {
			return err
		}
		if in {
			via[g.ID] = string(licensing.ScopePortfolio)
		}
	}
	return nil
}

// portfolioLicensors names the licensors whose portfolio grants can take
// in a patent with this chain of title: its holders for any grant, and for
// a grant that reaches the licensor's affiliates, every company that was
// ever in a corporate group with a holder (holders included).
func portfolioLicensors(links []licensing.Control, chain []licensing.Holding) (holders, kin []int64) {
	for _, h := range chain {
		holders = append(holders, h.OwnerID)
	}
	holders = uniqueIDs(holders)
	group, _ := licensing.Kin(links, holders)
	return holders, slices.Sorted(maps.Keys(group))
}

// heldBy reads the holdings of a patent's chain of title, owners and dates
// only.
func heldBy(ctx context.Context, q querier, patentID int64) ([]licensing.Holding, error) {
	rows, err := q.QueryContext(ctx, `SELECT owner_id, from_on, to_on FROM patent_owners WHERE patent_id = ? ORDER BY position`, patentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var chain []licensing.Holding
	for rows.Next() {
		var h licensing.Holding
		var from, to string
		if err := rows.Scan(&h.OwnerID, &from, &to); err != nil {
			return nil, err
		}
		if h.From, h.To, err = scanHolding(from, to); err != nil {
			return nil, err
		}
		chain = append(chain, h)
	}
	return chain, rows.Err()
}

// GrantScopeCount counts the patents g's scope resolves to that are in
// force on date on. Listed patents not yet resolved to ids are looked up
// by number.
func (db *DB) GrantScopeCount(ctx context.Context, g *licensing.Grant, on licensing.Date) (int, error) {
	scoped := *g
	if slices.ContainsFunc(g.Scope.Patents, func(r licensing.PatentRef) bool { return r.ID == 0 }) {
		refs, err := resolveRefs(db.sql, g.Scope.Patents)
		if err != nil {
			return 0, err
		}
		scoped.Scope.Patents = refs
	}
	spans, err := db.portfolioSpansOf(ctx, g)
	if err != nil {
		return 0, err
	}
	cond, args := scopeWhere(&scoped, spans)
	where, inForce := patentWhere(PatentFilter{InForceOn: &on})
	var n int
	err = db.sql.QueryRowContext(ctx, `SELECT count(*) FROM patents p WHERE `+cond+` AND `+strings.Join(where, " AND "),
		append(args, inForce...)...).Scan(&n)
	return n, err
}

// grantScopeWhere is the condition on patents p of the patents list's
// grant filter: the stored grant's scope, in force or not.
func (db *DB) grantScopeWhere(ctx context.Context, grantID int64) (string, []any, error) {
	grants, err := loadGrants(ctx, db.sql, `g.id = ?`, grantID)
	if err != nil {
		return "", nil, err
	}
	if len(grants) == 0 {
		return "", nil, licensing.Errorf(licensing.NotFound, "no grant with id %d", grantID)
	}
	g := &grants[0].Grant
	spans, err := db.portfolioSpansOf(ctx, g)
	if err != nil {
		return "", nil, err
	}
	cond, args := scopeWhere(g, spans)
	return cond, args, nil
}

// portfolioSpansOf is portfolioSpans of a grant, reading the corporate
// tree only when the grant needs it.
func (db *DB) portfolioSpansOf(ctx context.Context, g *licensing.Grant) ([]licensing.GroupSpan, error) {
	if g.Scope.Kind != licensing.ScopePortfolio {
		return nil, nil
	}
	var links []licensing.Control
	if g.LicensorAffiliates {
		var err error
		if links, err = db.ControlLinks(ctx); err != nil {
			return nil, err
		}
	}
	return portfolioSpans(links, g), nil
}

// portfolioSpans returns whose holdings a portfolio grant takes in: the
// licensor's, and its group's where the grant says so, over the capture
// window (licensing.GroupSpans).
func portfolioSpans(links []licensing.Control, g *licensing.Grant) []licensing.GroupSpan {
	return licensing.GroupSpans(links, g.LicensorID, g.LicensorAffiliates, g.Scope.CaptureFrom, g.Scope.CaptureTo)
}

// scopeWhere is the condition on patents p that a grant's scope sets, with
// its placeholders' values. A portfolio takes in every patent held, by its
// chain of title, by the owner of one of spans on at least one day of that
// span, narrowed to any of its tags, any of its standards and any of its
// offices, where it lists some.
//
// The patents of a portfolio are gathered as a set of ids before any
// patent row is read: reading a row costs a seek, while the holdings and
// the labels are walked in index order. The labels narrow that set by
// INTERSECT, which merges sorted lists, rather than by a lookup per
// patent held.
func scopeWhere(g *licensing.Grant, spans []licensing.GroupSpan) (string, []any) {
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
	ids, args := heldIDs(spans)
	if ids == "" {
		return "0", nil
	}
	for _, l := range scopeLabels(s) {
		in, vals := inList("l.value", l.values)
		ids += ` INTERSECT SELECT l.patent_id FROM patent_labels l WHERE l.kind = ? AND ` + in
		args = append(append(args, l.kind), vals...)
	}
	cond := `p.id IN (` + ids + `)`
	if len(s.Offices) > 0 {
		in, vals := inList("p.office", s.Offices)
		cond, args = cond+` AND `+in, append(args, vals...)
	}
	return cond, args
}

// heldIDs is a SELECT of the ids of the patents held within one of spans,
// "" for none. Each span is one range of patent_owners_owner (owner_id,
// from_on, to_on), which the sentinel dates stored for open holdings make
// possible; several spans come as the rows of a VALUES table, so that a
// group of any size makes one statement.
func heldIDs(spans []licensing.GroupSpan) (string, []any) {
	switch len(spans) {
	case 0:
		return "", nil
	case 1:
		s := spans[0]
		return `SELECT po.patent_id FROM patent_owners po WHERE po.owner_id = ? AND po.from_on <= ? AND po.to_on >= ?`,
			[]any{s.Owner, s.To.String(), s.From.String()}
	}
	rows := make([]string, len(spans))
	args := make([]any, 0, 3*len(spans))
	for i, s := range spans {
		rows[i] = "(?, ?, ?)"
		args = append(args, s.Owner, s.From.String(), s.To.String())
	}
	return `SELECT po.patent_id FROM (VALUES ` + strings.Join(rows, ", ") + `) s
		JOIN patent_owners po ON po.owner_id = s.column1 AND po.from_on <= s.column3 AND po.to_on >= s.column2`, args
}

// scopeLabel is one label list of a portfolio: a patent must carry one of
// the values of that kind.
type scopeLabel struct {
	kind   string
	values []string
}

// scopeLabels are a portfolio's tags and standards, the lists it has.
func scopeLabels(s *licensing.GrantScope) []scopeLabel {
	var out []scopeLabel
	for _, l := range []scopeLabel{{"tag", s.Tags}, {"standard", s.Standards}} {
		if len(l.values) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// narrowedTo reports whether one patent has a tag, a standard and an
// office of those a portfolio narrows to, each where it lists some.
func narrowedTo(ctx context.Context, q rowContextQuerier, s *licensing.GrantScope, patentID int64) (bool, error) {
	conds, args := []string{"p.id = ?"}, []any{patentID}
	for _, l := range scopeLabels(s) {
		in, vals := inList("l.value", l.values)
		conds = append(conds, `EXISTS (SELECT 1 FROM patent_labels l WHERE l.kind = ? AND l.patent_id = p.id AND `+in+`)`)
		args = append(append(args, l.kind), vals...)
	}
	if len(s.Offices) > 0 {
		in, vals := inList("p.office", s.Offices)
		conds, args = append(conds, in), append(args, vals...)
	}
	if len(conds) == 1 {
		return true, nil
	}
	var in bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM patents p WHERE `+strings.Join(conds, " AND ")+`)`, args...).Scan(&in)
	return in, err
}

// rowContextQuerier is what a one-row lookup needs from the database.
type rowContextQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
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
