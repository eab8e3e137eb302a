package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// GrantTouch is a grant whose scope takes in a patent, and the way it does:
// "patents" (listed), "families" (a listed family) or "portfolio" (held
// within the capture window by the licensor or, where the grant says so,
// by a member of the licensor's corporate group of that day); with its
// agreement's head, for the grant's term and the agreement's status.
type GrantTouch struct {
	GrantRow
	Via  string
	Head *licensing.Agreement
}

// GrantsOnPatent returns every grant whose scope takes in the patent,
// whatever the grant's term or its agreement's status, by agreement
// reference and position: GrantsTakingIn of the patent's facts.
func (db *DB) GrantsOnPatent(ctx context.Context, patentID int64) ([]GrantTouch, error) {
	f, err := db.PatentFacts(ctx, patentID)
	if err != nil {
		return nil, err
	}
	return f.GrantsTakingIn(), nil
}

// GrantsTakingIn returns, of the grants of the facts, those whose scope
// takes in the patent, whatever the grant's term or its agreement's
// status, by agreement reference (as the column sorts: ASCII letters
// without case) and position. The facts of PatentFacts and of
// PatentPageFacts hold every grant that can: those listing the patent or
// its family, and the portfolio grants of every licensor that could bring
// it in, so that a patent's page reads its grants once for both its
// panels. A grant that lists the
// patent is "patents", one that lists its family "families", whatever
// else it lists; a portfolio grant takes the patent in where the chain of
// title meets its capture window (licensing.HeldWithin over the group
// spans) and the patent is within its narrowing, with labels compared as
// their column does.
func (f *PatentFacts) GrantsTakingIn() []GrantTouch {
	p := &f.Patent
	var labels []scopeLabelValue
	for _, t := range p.Tags {
		labels = append(labels, scopeLabelValue{"tag", t})
	}
	for _, s := range p.Standards {
		labels = append(labels, scopeLabelValue{"standard", s})
	}
	held := heldWithinPortfolios(f.Links, f.Chain)
	var out []GrantTouch
	for _, fact := range f.Grants {
		g := &fact.Grant
		via := ""
		if slices.ContainsFunc(g.Scope.Patents, func(r licensing.PatentRef) bool { return r.ID == p.ID }) {
			via = string(licensing.ScopePatents)
		}
		if g.Scope.Kind == licensing.ScopeFamilies && p.Family != "" && slices.Contains(g.Scope.Families, p.Family) {
			via = string(licensing.ScopeFamilies)
		}
		if g.Scope.Kind == licensing.ScopePortfolio && held(g) && narrowedMatch(&g.Scope, p, labels) {
			via = string(licensing.ScopePortfolio)
		}
		if via != "" {
			out = append(out, GrantTouch{GrantRow: GrantRow{Grant: *g, Agreement: fact.Agreement.Reference,
				AgreementTitle: fact.Agreement.Title}, Via: via, Head: fact.Agreement})
		}
	}
	// The facts come by reference as Go compares them; a stable sort keeps
	// each agreement's grants by position.
	slices.SortStableFunc(out, func(x, y GrantTouch) int { return compareNoCase(x.Agreement, y.Agreement) })
	return out
}

// heldWithinPortfolios returns a test of whether a chain of title meets a
// portfolio grant's capture window: licensing.HeldWithin over the grant's
// group spans, answered for many grants at once. A licensor's group is cut
// into spans once over all time and each grant's window clipped from them;
// the group is the same on every day of a span (spans end where a control
// period begins or ends), so the clipped spans cover the days that the
// spans of the window alone would.
func heldWithinPortfolios(links []licensing.Control, chain []licensing.Holding) func(g *licensing.Grant) bool {
	var tree *licensing.CorporateIndex // read only for a grant that reaches the licensor's group
	type group struct {
		licensor   int64
		affiliates bool
	}
	always := map[group][]licensing.GroupSpan{}
	return func(g *licensing.Grant) bool {
		lo, hi := g.Scope.CaptureFrom, g.Scope.CaptureTo
		if lo.IsZero() {
			lo = licensing.FirstDay
		}
		if hi.IsZero() {
			hi = licensing.LastDay
		}
		k := group{g.LicensorID, g.LicensorAffiliates}
		spans, known := always[k]
		if !known {
			var kin []licensing.Control
			if k.affiliates {
				if tree == nil {
					tree = licensing.NewCorporateIndex(links)
				}
				kin = tree.KinLinks(k.licensor)
			}
			spans = licensing.GroupSpans(kin, k.licensor, k.affiliates, licensing.Date{}, licensing.Date{})
			always[k] = spans
		}
		clipped := make([]licensing.GroupSpan, 0, len(spans))
		for _, sp := range spans {
			if sp.From.Before(lo) {
				sp.From = lo
			}
			if sp.To.After(hi) {
				sp.To = hi
			}
			if !sp.To.Before(sp.From) {
				clipped = append(clipped, sp)
			}
		}
		return licensing.HeldWithin(chain, clipped)
	}
}

// listedOrFamilyGrants is a SELECT of the grants whose scope lists the
// patent, or its family, each with the way it does ("patents" or
// "families"), with its placeholders' values. Family keys match exactly;
// the value column ignores case, so its index finds the keys that differ
// only in case and the exact comparison keeps the one.
func listedOrFamilyGrants(patentID int64, family string) (string, []any) {
	return `SELECT gp.grant_id, 'patents' FROM grant_patents gp WHERE gp.patent_id = ?
		UNION ALL SELECT t.grant_id, 'families' FROM grant_terms t JOIN grants g ON g.id = t.grant_id
			WHERE t.kind = 'family' AND t.value = ? AND t.value COLLATE BINARY = ? AND ? <> '' AND g.scope = 'families'`,
		[]any{patentID, family, family, family}
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

// heldBy reads the chains of title of patents, owners and dates only:
// each patent's holdings in order, by patent id. The ids are read a page
// at a time, so that any number of them makes statements of a bounded
// size.
func heldBy(ctx context.Context, q querier, patentIDs []int64) (map[int64][]licensing.Holding, error) {
	type row struct {
		patent int64
		licensing.Holding
	}
	chains := make(map[int64][]licensing.Holding, len(patentIDs))
	for page := range slices.Chunk(uniqueIDs(patentIDs), eachPage) {
		in, args := inList("patent_id", page)
		rows, err := q.QueryContext(ctx, `SELECT patent_id, owner_id, from_on, to_on FROM patent_owners WHERE `+in+`
			ORDER BY patent_id, position`, args...)
		held, err := scanAll(rows, err, func(rs rowScanner) (r row, err error) {
			var from, to string
			if err = rs.Scan(&r.patent, &r.OwnerID, &from, &to); err == nil {
				r.From, r.To, err = scanHolding(from, to)
			}
			return r, err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range held {
			chains[r.patent] = append(chains[r.patent], r.Holding)
		}
	}
	return chains, nil
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

// GrantScopeCountUpTo counts, as GrantScopeCount does, the patents g's
// scope takes in that are in force on date on, reading for a portfolio at
// most budget of its holdings: n is the count, complete where the
// holdings were all read, and otherwise a lower bound (at least n). A page
// can then show every count true or as a truthful bound at a cost the
// budget bounds: at a million patents a portfolio holds tens of
// thousands, and counting them means reading each one's row (0.2–0.4 s a
// grant; more where a narrowing passes few). Listed patents and families
// are counted in full.
func (db *DB) GrantScopeCountUpTo(ctx context.Context, g *licensing.Grant, on licensing.Date, budget int) (n int, complete bool, err error) {
	if g.Scope.Kind != licensing.ScopePortfolio {
		n, err = db.GrantScopeCount(ctx, g, on)
		return n, true, err
	}
	spans, err := db.portfolioSpansOf(ctx, g)
	if err != nil {
		return 0, false, err
	}
	return db.countHeldInForce(ctx, spans, &g.Scope, on, budget)
}

// heldInForceSQL reads, of one owner's holdings that began within a range
// of days (after the first, up to the second) and end on or after a third
// (a range of patent_owners_owner), from the latest back, at most a
// number: how many it read, and the ids of the patents among them in force
// on a day and within a portfolio's narrowing (the conditions in place of
// %s).
const heldInForceSQL = `SELECT count(*), COALESCE(group_concat(p.id), '') FROM (SELECT po.patent_id FROM patent_owners po
		WHERE po.owner_id = ? AND po.from_on > ? AND po.from_on <= ? AND po.to_on >= ? ORDER BY po.from_on DESC LIMIT ?) h
	LEFT JOIN patents p ON p.id = h.patent_id AND %s`

// pendingYears is how far back from the day asked a portfolio's latest
// holdings are mostly applications still pending, which are not in force:
// a count that stops at its budget reads the holdings before them first,
// so that its bound comes nearer the count.
const pendingYears = 3

// countHeldInForce counts the patents held within one of spans that are in
// force on date on and within a portfolio's narrowing, reading at most
// budget holdings; complete says whether it read them all. Each span's
// holdings are read from the latest back, those that began in the last
// pendingYears last: the oldest are mostly expired, the latest mostly
// pending. A patent held twice within the spans counts once.
func (db *DB) countHeldInForce(ctx context.Context, spans []licensing.GroupSpan, s *licensing.GrantScope, on licensing.Date, budget int) (n int, complete bool, err error) {
	where, args := patentWhere(PatentFilter{InForceOn: &on})
	narrowed, narrowedArgs := narrowing(s.Tags, s.Standards, s.Offices)
	query := strings.Replace(heldInForceSQL, "%s", strings.Join(append(where, narrowed...), " AND "), 1)
	recent := on.AddYears(-pendingYears)
	found := map[int64]bool{}
	for _, span := range spans {
		// The holdings that began up to recent, then those after it.
		pieces := [][2]string{{"", span.To.String()}}
		if recent.Before(span.To) {
			pieces = [][2]string{{"", recent.String()}, {recent.String(), span.To.String()}}
		}
		for _, piece := range pieces {
			if budget <= 0 {
				return len(found), false, nil
			}
			var read int
			var ids string
			err := db.sql.QueryRowContext(ctx, query, slices.Concat([]any{span.Owner, piece[0], piece[1], span.From.String(), budget},
				args, narrowedArgs)...).Scan(&read, &ids)
			if err != nil {
				return 0, false, err
			}
			for _, id := range strings.Split(ids, ",") {
				if v, err := strconv.ParseInt(id, 10, 64); err == nil {
					found[v] = true
				}
			}
			if read == budget {
				// The span may hold more: the count is a lower bound, unless
				// this was its last holding, which only reading on would tell.
				return len(found), false, nil
			}
			budget -= read
		}
	}
	return len(found), true, nil
}

// narrowing is the conditions on patent p of the tags, standards and
// offices a portfolio narrows to, each where it lists some: the label
// lists of patentSetIDs, asked of each patent found.
func narrowing(tags, standards, offices []string) ([]string, []any) {
	var conds []string
	var args []any
	for _, l := range scopeLabels(tags, standards) {
		in, vals := inList("l.value", l.values)
		conds = append(conds, `EXISTS (SELECT 1 FROM patent_labels l WHERE l.patent_id = p.id AND l.kind = ? AND `+in+`)`)
		args = append(append(args, l.kind), vals...)
	}
	if len(offices) > 0 {
		in, vals := inList("+p.office", offices) // see territoryCond
		conds, args = append(conds, in), append(args, vals...)
	}
	return conds, args
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
// offices, where it lists some: the patent set of patentSetCond.
func scopeWhere(g *licensing.Grant, spans []licensing.GroupSpan) (string, []any) {
	s := &g.Scope
	switch s.Kind {
	case licensing.ScopePatents:
		return inList("p.id", refIDs(s.Patents))
	case licensing.ScopeFamilies:
		// The family index holds only patents with a family key; the
		// planner uses it only when the query says so in its own words.
		cond, args := inList("p.family", familyKeys(s.Families))
		return "(" + cond + " AND p.family <> '')", args
	case licensing.ScopePortfolio:
		return patentSetCond(&licensing.PatentSet{HeldBy: spans, Tags: s.Tags, Standards: s.Standards, Offices: s.Offices})
	}
	return "0", nil
}

// familyKeys are the family keys of a list, blank lines left out.
func familyKeys(families []string) []string {
	var keys []string
	for _, f := range families {
		if f = strings.TrimSpace(f); f != "" {
			keys = append(keys, f)
		}
	}
	return keys
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

// scopeLabels are the label lists a portfolio or a patent set narrows to,
// those it has of its tags and standards.
func scopeLabels(tags, standards []string) []scopeLabel {
	var out []scopeLabel
	for _, l := range []scopeLabel{{"tag", tags}, {"standard", standards}} {
		if len(l.values) > 0 {
			out = append(out, l)
		}
	}
	return out
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
