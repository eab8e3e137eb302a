package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// GrantFact is a grant with its agreement's head, as the rights engine
// reads it; its fields are those of rights.GrantFact, so the web layer
// converts one into the other with rights.GrantFact(x).
type GrantFact struct {
	Grant     licensing.Grant
	Agreement *licensing.Agreement
}

// PatentFacts is what the rights engine needs to answer a question about
// one patent, field by field what rights.Facts holds.
type PatentFacts struct {
	Patent licensing.Patent
	Chain  []licensing.Holding
	Links  []licensing.Control
	Names  map[int64]string
	Grants []GrantFact
}

// PatentFacts gathers the facts of a question about one patent: the patent
// with its labels, its chain of title (owners, dates and the transfer
// that brought each, in order), every
// control link, the names of every company these name, and the grants
// whose scope may take the patent in. Those are the grants listing it or
// its family and every portfolio grant whose licensor held it, or (for a
// grant reaching the licensor's affiliates) was ever in a group with a
// holder, whatever their capture windows and narrowing, so that the engine
// can name a near miss; with them the parents of sublicences among them
// and the sublicences under them, at any depth. Every read goes through
// an index, ranges of it or (for the sublicences) the whole of a small
// one: neither the patents nor the grants are scanned.
func (db *DB) PatentFacts(ctx context.Context, patentID int64) (*PatentFacts, error) {
	rec, err := db.Patent(ctx, patentID)
	if errors.Is(err, ErrNotFound) {
		return nil, licensing.Errorf(licensing.NotFound, "no patent with id %d", patentID)
	}
	if err != nil {
		return nil, err
	}
	return db.patentFacts(ctx, rec, 0, false)
}

// PatentFactsFor gathers the facts of one company's question about the
// patent rec (as Patent or PatentByNumber read it, with its labels): those
// of PatentFacts, less the portfolio grants that cannot bear on the
// company's answer, with the names only of the companies the answer can
// name (the holders and the grants' parties; the caller names the
// company). A grant left out is one the engine would pass over: a
// portfolio grant that fails on its licensee (the company is neither its
// licensee nor, where the grant reaches the licensee's affiliates, ever in
// a group with it) and on its scope as well (the chain of title never
// meets its capture window, by the engine's own test), and that is neither
// a sublicence nor has one. Such a grant is no basis, no near miss (two
// conditions fail), no miss (one of them is the licensee) and shuts no
// owner out (it does not apply). At a million patents a check then reads
// about half the grants. Company 0 asks for all the facts of PatentFacts.
func (db *DB) PatentFactsFor(ctx context.Context, rec *PatentRecord, company int64) (*PatentFacts, error) {
	return db.patentFacts(ctx, rec, company, company != 0)
}

// PatentPageFacts gathers the facts a patent's page shows of the patent
// rec (as Patent reads it, with its labels): those of PatentFacts, less
// the portfolio grants whose capture window the chain of title never
// meets (by the engine's own test) and that are neither a sublicence nor
// have one. Such a grant takes the patent in for no one: it is no basis,
// shuts no owner out, is in no conflict of the patent and does not take
// it in (GrantsTakingIn), so who may practise the patent, its conflicts
// and the grants taking it in come out as from PatentFacts; only the near
// misses of a question, which the page does not show, would lose it. At a
// million patents about half the portfolio grants PatentFacts reads are
// such grants.
func (db *DB) PatentPageFacts(ctx context.Context, rec *PatentRecord) (*PatentFacts, error) {
	return db.patentFacts(ctx, rec, 0, true)
}

// patentFacts reads the facts of PatentFacts, or with company set those
// of PatentFactsFor, or with cut and no company those of PatentPageFacts,
// in a fixed number of statements whose text does not vary with the
// patent, so that each connection prepares them once: the chain of title,
// the control links, the sublicence links, the grants in full with their
// agreements' heads (a second read only for sublicence relatives not
// found by the first), and without a company the names of the companies
// in corporate groups.
func (db *DB) patentFacts(ctx context.Context, rec *PatentRecord, company int64, cut bool) (*PatentFacts, error) {
	f := &PatentFacts{Patent: rec.Patent, Names: map[int64]string{rec.OwnerID: rec.Owner, rec.OriginalOwnerID: rec.OriginalOwner}}
	// The full holdings, with the transfer that brought each: the
	// engine's reasons name the agreement ("acquired it on … under …").
	held, err := holdings(ctx, db.sql, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, h := range held {
		f.Chain = append(f.Chain, h.Holding)
		f.Names[h.OwnerID] = h.Owner
	}
	if f.Links, err = db.ControlLinks(ctx); err != nil {
		return nil, err
	}
	parentOf, err := sublicenceLinks(ctx, db.sql)
	if err != nil {
		return nil, err
	}
	if f.Grants, err = candidateFacts(ctx, db.sql, rec, f.Links, f.Chain, parentOf, company, cut); err != nil {
		return nil, err
	}
	for _, g := range f.Grants {
		f.Names[g.Grant.LicensorID], f.Names[g.Grant.LicenseeID] = g.Grant.Licensor, g.Grant.Licensee
	}
	delete(f.Names, 0)
	if company == 0 {
		err = db.groupNames(ctx, f.Links, f.Names)
	}
	return f, err
}

// grantFactColumns are the columns grantFactsFrom reads: those of
// loadGrants (but the agreement's reference and title, which the head
// holds) and of AgreementHeads, each grant's lists and listed patents as
// JSON arrays, and its position. The arrays carry each entry's position;
// they and the grants are put in order in Go, since ordering them in SQL
// would sort twice per grant, and the grants as wide records.
const grantFactColumns = `g.id, g.agreement_id, g.licensor_id, lr.name, g.licensee_id, le.name, g.licensee_affiliates,
		g.licensor_affiliates, g.scope, g.capture_from, g.capture_to, g.exclusivity, g.sublicensable,
		COALESCE(g.parent_grant_id, 0), g.starts_on, g.ends_on, g.royalty_bearing, g.past_release, ` + agreementColumns + `,
		(SELECT json_group_array(json_array(t.kind, t.position, t.value)) FROM grant_terms t WHERE t.grant_id = g.id),
		(SELECT json_group_array(json_array(gp.position, p.id, p.normalized))
			FROM grant_patents gp JOIN patents p ON p.id = gp.patent_id WHERE gp.grant_id = g.id), g.position`

const grantFactFrom = ` FROM grants g JOIN agreements a ON a.id = g.agreement_id LEFT JOIN agreements pa ON pa.id = a.parent_id
		JOIN companies lr ON lr.id = g.licensor_id JOIN companies le ON le.id = g.licensee_id`

// grantFactsByIDSQL reads in full the grants whose ids a JSON array lists.
const grantFactsByIDSQL = `SELECT ` + grantFactColumns + grantFactFrom + ` WHERE g.id IN (SELECT value FROM json_each(?))`

// candidateFactsSQL reads in full, apart (UNION ALL: their scopes differ,
// and a merge would sort), the grants listing a patent or its family
// (listedOrFamilyGrants, in place of %s) and the portfolio grants whose
// licensor is among the first JSON array of ids (the kin of the holders)
// and either reaches its affiliates or is among the second (the holders):
// one range of grants_licensor per kin. With the flag after them set, a
// portfolio grant must besides be one that the company after it may hold
// (its licensee, or in the third array, the company's kin, where the
// grant reaches the licensee's affiliates), or whose capture window meets
// one of the holdings of the fourth array ([from, to] pairs), or be among
// the fifth array (the grants of sublicence links): a cheap first cut of
// what PatentFactsFor leaves out, which cannotBear then makes exact.
const candidateFactsSQL = `SELECT ` + grantFactColumns + grantFactFrom + ` WHERE g.id IN (SELECT grant_id FROM (%s))
	UNION ALL SELECT ` + grantFactColumns + grantFactFrom + `
	WHERE g.licensor_id IN (SELECT value FROM json_each(?)) AND g.scope = 'portfolio'
		AND (g.licensor_affiliates = 1 OR g.licensor_id IN (SELECT value FROM json_each(?)))
		AND (? = 0 OR g.licensee_id = ? OR (g.licensee_affiliates = 1 AND g.licensee_id IN (SELECT value FROM json_each(?)))
			OR EXISTS (SELECT 1 FROM json_each(?) h
				WHERE COALESCE(g.capture_from, '') <= h.value ->> 1 AND h.value ->> 0 <= COALESCE(g.capture_to, '9999-12-31'))
			OR g.id IN (SELECT value FROM json_each(?)))`

// candidateFacts reads the grants of PatentFacts, or with cut those that
// can bear on company's answer (PatentFactsFor; company 0, no company,
// keeps the grants that take the patent in: PatentPageFacts), with their
// agreements' heads, by agreement reference, position and id.
func candidateFacts(ctx context.Context, q querier, rec *PatentRecord, links []licensing.Control, chain []licensing.Holding,
	parentOf map[int64]int64, company int64, cut bool) ([]GrantFact, error) {
	listed, args := listedOrFamilyGrants(rec.ID, rec.Family)
	holders, kin := portfolioLicensors(links, chain)
	var companyKin []int64
	filter := 0
	if cut {
		filter = 1
	}
	if company != 0 {
		group, _ := licensing.Kin(links, []int64{company})
		companyKin = slices.Sorted(maps.Keys(group))
	}
	linked := sublicenceGrants(parentOf)
	args = append(args, idArray(kin), idArray(holders), filter, company, idArray(companyKin), holdingArray(chain), idArray(linked))
	list, err := readGrantFacts(ctx, q, strings.Replace(candidateFactsSQL, "%s", listed, 1), args...)
	if err != nil {
		return nil, err
	}
	found := make([]int64, len(list))
	for i, p := range list {
		found[i] = p.Grant.ID
	}
	var missing []int64
	for _, id := range withRelatives(found, parentOf, true, true) {
		if !slices.Contains(found, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		more, err := readGrantFacts(ctx, q, grantFactsByIDSQL, idArray(missing))
		if err != nil {
			return nil, err
		}
		list = append(list, more...)
	}
	if cut {
		list = slices.DeleteFunc(list, cannotBear(company, links, chain, linked))
	}
	slices.SortFunc(list, func(x, y placedGrant) int {
		return cmp.Or(strings.Compare(x.Agreement.Reference, y.Agreement.Reference), cmp.Compare(x.position, y.position),
			cmp.Compare(x.Grant.ID, y.Grant.ID))
	})
	facts := make([]GrantFact, len(list))
	for i, p := range list {
		facts[i] = p.GrantFact
	}
	return facts, nil
}

// sublicenceGrants lists the grants of sublicence links, sublicences and
// parents alike, sorted.
func sublicenceGrants(parentOf map[int64]int64) []int64 {
	ids := make([]int64, 0, 2*len(parentOf))
	for sub, parent := range parentOf {
		ids = append(ids, sub, parent)
	}
	return uniqueIDs(ids)
}

// cannotBear reports whether a grant cannot bear on company's answer
// (PatentFactsFor): a portfolio grant outside every sublicence link whose
// licensee the company is not, nor ever in a group with where the grant
// reaches the licensee's affiliates, and whose capture window the chain
// of title does not meet by the engine's own test (checkCapture over the
// same group spans). Company 0, no company, licenses no grant, so that
// only the capture window decides (PatentPageFacts).
func cannotBear(company int64, links []licensing.Control, chain []licensing.Holding, linked []int64) func(placedGrant) bool {
	kin, _ := licensing.Kin(links, []int64{company})
	tree := licensing.NewCorporateIndex(links)
	type window struct {
		licensor   int64
		affiliates bool
		from, to   licensing.Date
	}
	held := map[window]bool{} // grants often share a licensor and a capture window
	return func(p placedGrant) bool {
		g := &p.Grant
		if g.Scope.Kind != licensing.ScopePortfolio || g.LicenseeID == company || (g.LicenseeAffiliates && kin[g.LicenseeID]) {
			return false
		}
		if _, found := slices.BinarySearch(linked, g.ID); found {
			return false
		}
		w := window{g.LicensorID, g.LicensorAffiliates, g.Scope.CaptureFrom, g.Scope.CaptureTo}
		in, known := held[w]
		if !known {
			in = licensing.HeldWithin(chain, licensing.GroupSpans(tree.KinLinks(w.licensor), w.licensor, w.affiliates, w.from, w.to))
			held[w] = in
		}
		return !in
	}
}

// holdingArray writes the holdings of a chain of title as a JSON array of
// [from, to] pairs of dates, open ends as the first and last days.
func holdingArray(chain []licensing.Holding) string {
	b := []byte{'['}
	for i, h := range chain {
		if i > 0 {
			b = append(b, ',')
		}
		from, to := h.From, h.To
		if from.IsZero() {
			from = licensing.FirstDay
		}
		if to.IsZero() {
			to = licensing.LastDay
		}
		b = append(append(append(append(append(b, `["`...), from.String()...), `","`...), to.String()...), `"]`...)
	}
	return string(append(b, ']'))
}

// placedGrant is a grant fact with its position in its agreement, to put
// the facts in order.
type placedGrant struct {
	GrantFact
	position int64
}

// readGrantFacts reads the grant facts a statement of grantFactColumns
// selects; grants of one agreement share its head.
func readGrantFacts(ctx context.Context, q querier, query string, args ...any) ([]placedGrant, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []placedGrant
	heads := map[int64]*licensing.Agreement{}
	for rows.Next() {
		var p placedGrant
		g := &p.Grant
		var a licensing.Agreement
		var scope, exclusivity, kind, status, terms, patents string
		var dates [8]sql.NullString // the grant's four, then the agreement's
		err := rows.Scan(&g.ID, &g.AgreementID, &g.LicensorID, &g.Licensor, &g.LicenseeID, &g.Licensee, &g.LicenseeAffiliates,
			&g.LicensorAffiliates, &scope, &dates[0], &dates[1], &exclusivity, &g.Sublicensable, &g.ParentGrantID,
			&dates[2], &dates[3], &g.RoyaltyBearing, &g.PastRelease,
			&a.ID, &a.Reference, &a.Title, &kind, &status, &dates[4], &dates[5], &dates[6], &dates[7],
			&a.RenewalMonths, &a.NoticeDays, &a.GoverningLaw, &a.Summary, &a.ParentID, &a.Parent, &terms, &patents, &p.position)
		if err != nil {
			return nil, err
		}
		g.Scope.Kind, g.Exclusivity = licensing.ScopeKind(scope), licensing.Exclusivity(exclusivity)
		a.Kind, a.Status = licensing.AgreementKind(kind), licensing.AgreementStatus(status)
		for i, dst := range []*licensing.Date{&g.Scope.CaptureFrom, &g.Scope.CaptureTo, &g.StartsOn, &g.EndsOn,
			&a.SignedOn, &a.EffectiveOn, &a.ExpiresOn, &a.TerminatedOn} {
			if *dst, err = scanDate(dates[i]); err != nil {
				return nil, err
			}
		}
		if err := grantListsFromJSON(g, terms, patents); err != nil {
			return nil, err
		}
		if p.Agreement = heads[a.ID]; p.Agreement == nil {
			p.Agreement = &a
			heads[a.ID] = &a
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// grantListsFromJSON fills a grant's lists from grantFactColumns' arrays
// of [kind, position, value] and [position, patent id, number], each list
// in the order of its positions, as loadGrants does.
func grantListsFromJSON(g *licensing.Grant, terms, patents string) error {
	type term struct {
		kind, value string
		position    float64
	}
	var raw [][3]any
	if err := json.Unmarshal([]byte(terms), &raw); err != nil {
		return err
	}
	list := make([]term, 0, len(raw))
	for _, r := range raw {
		kind, _ := r[0].(string)
		value, _ := r[2].(string)
		list = append(list, term{kind, value, jsonNumber(r[1])})
	}
	slices.SortStableFunc(list, func(x, y term) int { return cmp.Or(cmp.Compare(x.kind, y.kind), cmp.Compare(x.position, y.position)) })
	for _, t := range list {
		for _, l := range grantLists {
			if l.kind == t.kind {
				l.add(g, t.value)
			}
		}
	}
	var refs [][3]any
	if err := json.Unmarshal([]byte(patents), &refs); err != nil {
		return err
	}
	slices.SortStableFunc(refs, func(x, y [3]any) int { return cmp.Compare(jsonNumber(x[0]), jsonNumber(y[0])) })
	for _, r := range refs {
		number, _ := r[2].(string)
		g.Scope.Patents = append(g.Scope.Patents, licensing.PatentRef{ID: int64(jsonNumber(r[1])), Number: number})
	}
	return nil
}

// jsonNumber is a number decoded from JSON: ids and positions, which are
// integers well below 2^53, so float64 holds them exactly.
func jsonNumber(v any) float64 {
	n, _ := v.(float64)
	return n
}

// groupNamesSQL reads the legal names of the companies whose ids a JSON
// array lists.
const groupNamesSQL = `SELECT id, name FROM companies WHERE id IN (SELECT value FROM json_each(?))`

// groupNames adds to names those of the companies of links not named yet.
func (db *DB) groupNames(ctx context.Context, links []licensing.Control, names map[int64]string) error {
	var ids []int64
	for _, l := range links {
		for _, id := range []int64{l.Company, l.Parent} {
			if _, known := names[id]; !known && id != 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := db.sql.QueryContext(ctx, groupNamesSQL, idArray(uniqueIDs(ids)))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
	}
	return rows.Err()
}

// idArray writes ids as a JSON array, the one argument of a statement
// that reads them with json_each: its text stays the same whatever their
// number, so each connection prepares it once.
func idArray(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// CoverageGrants returns what the coverage of company c is computed from:
// every grant whose licensee is kin of c (licensing.Kin: ever in a group
// with c), the parents of sublicences among them at any depth, and every
// exclusive grant, since an exclusive grant to another company shuts c
// out of what it owns; with the agreements' heads, every control link and
// the names of the companies these name.
func (db *DB) CoverageGrants(ctx context.Context, company int64) (grants []GrantFact, links []licensing.Control, names map[int64]string, err error) {
	if links, err = db.ControlLinks(ctx); err != nil {
		return nil, nil, nil, err
	}
	kin, _ := licensing.Kin(links, []int64{company})
	in, args := inList("g.licensee_id", slices.Sorted(maps.Keys(kin)))
	seed := `SELECT g.id FROM grants g WHERE ` + in + ` UNION SELECT g.id FROM grants g WHERE g.exclusivity = 'exclusive'`
	if grants, err = db.grantFacts(ctx, seed, args, true, false); err != nil {
		return nil, nil, nil, err
	}
	names, err = db.factNames(ctx, links, grants, []int64{company})
	return grants, links, names, err
}

// OutLicensingGrants returns the grants whose licensor is kin of company c
// (ever in a group with c), and the sublicences under them at any depth,
// with their agreements' heads: who may practise c's patents.
func (db *DB) OutLicensingGrants(ctx context.Context, company int64) ([]GrantFact, error) {
	links, err := db.ControlLinks(ctx)
	if err != nil {
		return nil, err
	}
	kin, _ := licensing.Kin(links, []int64{company})
	in, args := inList("g.licensor_id", slices.Sorted(maps.Keys(kin)))
	return db.grantFacts(ctx, `SELECT g.id FROM grants g WHERE `+in, args, false, true)
}

// grantFacts reads the grants whose ids seed (a SELECT of one column)
// yields, with, where asked, the grants they sublicense under (parents)
// and the grants sublicensed under them (sublicences), each at any depth,
// and the heads of their agreements; by agreement reference and position.
func (db *DB) grantFacts(ctx context.Context, seed string, args []any, parents, sublicences bool) ([]GrantFact, error) {
	ids, err := queryIDs(ctx, db.sql, seed, args...)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if parents || sublicences {
		links, err := sublicenceLinks(ctx, db.sql)
		if err != nil {
			return nil, err
		}
		ids = withRelatives(ids, links, parents, sublicences)
	}
	return db.grantFactsOf(ctx, ids)
}

// sublicenceLinks returns the parent of every sublicence. Sublicences are
// a small part of the grants and grants_parent indexes exactly them, so
// one read of that index serves every walk up or down the tree, where a
// lookup per grant would cost more.
func sublicenceLinks(ctx context.Context, q querier) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, parent_grant_id FROM grants WHERE parent_grant_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	parentOf := map[int64]int64{}
	for rows.Next() {
		var id, parent int64
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, err
		}
		parentOf[id] = parent
	}
	return parentOf, rows.Err()
}

// withRelatives adds to ids, where asked, the grants they sublicense under
// (parents) and those sublicensed under them (sublicences), each at any
// depth, by parentOf; sorted. Each walk keeps its own visited set, which
// also ends a loop in bad data.
func withRelatives(ids []int64, parentOf map[int64]int64, parents, sublicences bool) []int64 {
	found := map[int64]bool{}
	for _, id := range ids {
		found[id] = true
	}
	if parents {
		up := map[int64]bool{}
		for _, id := range ids {
			for p, ok := parentOf[id]; ok && !up[p]; p, ok = parentOf[p] {
				up[p], found[p] = true, true
			}
		}
	}
	if sublicences {
		children := map[int64][]int64{}
		for c, p := range parentOf {
			children[p] = append(children[p], c)
		}
		down := map[int64]bool{}
		stack := slices.Clone(ids)
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, c := range children[id] {
				if !down[c] {
					down[c], found[c] = true, true
					stack = append(stack, c)
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(found))
}

// grantFactsOf reads the grants with the given ids and their agreements'
// heads, by agreement reference and position.
func (db *DB) grantFactsOf(ctx context.Context, ids []int64) ([]GrantFact, error) {
	in, args := inList("g.id", ids)
	rows, err := loadGrants(ctx, db.sql, in, args...)
	if err != nil {
		return nil, err
	}
	agreements := make([]int64, len(rows))
	for i, r := range rows {
		agreements[i] = r.AgreementID
	}
	heads, err := db.AgreementHeads(ctx, agreements)
	if err != nil {
		return nil, err
	}
	facts := make([]GrantFact, len(rows))
	for i, r := range rows {
		facts[i] = GrantFact{Grant: r.Grant, Agreement: heads[r.AgreementID]}
	}
	return facts, nil
}

// factNames returns the legal names of the companies of links, the
// licensors and licensees of grants, and others.
func (db *DB) factNames(ctx context.Context, links []licensing.Control, grants []GrantFact, others []int64) (map[int64]string, error) {
	names := map[int64]string{}
	ids := slices.Clone(others)
	for _, l := range links {
		ids = append(ids, l.Company, l.Parent)
	}
	for _, g := range grants {
		names[g.Grant.LicensorID], names[g.Grant.LicenseeID] = g.Grant.Licensor, g.Grant.Licensee
	}
	ids = slices.DeleteFunc(uniqueIDs(ids), func(id int64) bool { _, known := names[id]; return known || id == 0 })
	if len(ids) == 0 {
		return names, nil
	}
	in, args := inList("id", ids)
	rows, err := db.sql.QueryContext(ctx, `SELECT id, name FROM companies WHERE `+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}
