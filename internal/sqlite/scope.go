package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

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
		if !heldWithin(chain, portfolioSpans(links, &g.Grant)) {
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
	group, _ := corporateKin(links, holders)
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
func (db *DB) portfolioSpansOf(ctx context.Context, g *licensing.Grant) ([]heldSpan, error) {
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

// heldSpan is a stretch of days within a capture window on which a
// company's holdings count for a portfolio; both ends inclusive, never
// zero.
type heldSpan struct {
	owner    int64
	from, to licensing.Date
}

// The first and last days a date can name: the ends of an open capture
// window.
var (
	firstDay = licensing.NewDate(1, time.January, 1)
	lastDay  = licensing.NewDate(9999, time.December, 31)
)

// portfolioSpans returns the companies whose holdings a portfolio grant
// takes in, each with the days of the capture window on which a holding
// counts: the licensor for the whole window and, where the grant reaches
// the licensor's affiliates, every company for the days within the window
// on which it belonged to the licensor's corporate group. A patent is in
// the scope if on one of those days its holder was that company. A group
// changes only on the days a control period begins or the day after one
// ends, so the window is cut at those days and the group read once for
// each piece.
func portfolioSpans(links []licensing.Control, g *licensing.Grant) []heldSpan {
	lo, hi := g.Scope.CaptureFrom, g.Scope.CaptureTo
	if lo.IsZero() {
		lo = firstDay
	}
	if hi.IsZero() {
		hi = lastDay
	}
	if hi.Before(lo) {
		return nil
	}
	if !g.LicensorAffiliates {
		return []heldSpan{{g.LicensorID, lo, hi}}
	}
	_, links = corporateKin(links, []int64{g.LicensorID})
	cuts := []licensing.Date{lo}
	for _, l := range links {
		for _, d := range []licensing.Date{l.From, l.To.AddDays(1)} {
			if !d.IsZero() && d.After(lo) && !d.After(hi) {
				cuts = append(cuts, d)
			}
		}
	}
	slices.SortFunc(cuts, licensing.Date.Compare)
	cuts = slices.Compact(cuts)
	var spans []heldSpan
	last := map[int64]int{} // a company's latest span, by index in spans
	for i, from := range cuts {
		to := hi
		if i+1 < len(cuts) {
			to = cuts[i+1].AddDays(-1)
		}
		for _, c := range licensing.Group(links, g.LicensorID, from) {
			if j, ok := last[c]; ok && spans[j].to == from.AddDays(-1) {
				spans[j].to = to
				continue
			}
			last[c] = len(spans)
			spans = append(spans, heldSpan{c, from, to})
		}
	}
	return spans
}

// corporateKin returns the companies joined to any of start by parent
// links of any period, directly or through others (start included), and
// the links among them: everyone who was ever in a corporate group with
// one of start.
func corporateKin(links []licensing.Control, start []int64) (map[int64]bool, []licensing.Control) {
	next := map[int64][]int64{}
	for _, l := range links {
		next[l.Company] = append(next[l.Company], l.Parent)
		next[l.Parent] = append(next[l.Parent], l.Company)
	}
	kin := map[int64]bool{}
	stack := slices.Clone(start)
	for _, c := range start {
		kin[c] = true
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, n := range next[c] {
			if !kin[n] {
				kin[n] = true
				stack = append(stack, n)
			}
		}
	}
	var own []licensing.Control
	for _, l := range links {
		if kin[l.Company] {
			own = append(own, l)
		}
	}
	return kin, own
}

// heldWithin reports whether a holding of chain falls, on at least one
// day, within a span of its owner.
func heldWithin(chain []licensing.Holding, spans []heldSpan) bool {
	for _, h := range chain {
		for _, s := range spans {
			if s.owner == h.OwnerID && (h.From.IsZero() || !h.From.After(s.to)) && (h.To.IsZero() || !h.To.Before(s.from)) {
				return true
			}
		}
	}
	return false
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
func scopeWhere(g *licensing.Grant, spans []heldSpan) (string, []any) {
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
func heldIDs(spans []heldSpan) (string, []any) {
	switch len(spans) {
	case 0:
		return "", nil
	case 1:
		s := spans[0]
		return `SELECT po.patent_id FROM patent_owners po WHERE po.owner_id = ? AND po.from_on <= ? AND po.to_on >= ?`,
			[]any{s.owner, s.to.String(), s.from.String()}
	}
	rows := make([]string, len(spans))
	args := make([]any, 0, 3*len(spans))
	for i, s := range spans {
		rows[i] = "(?, ?, ?)"
		args = append(args, s.owner, s.from.String(), s.to.String())
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
