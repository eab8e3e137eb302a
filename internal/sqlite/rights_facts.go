package sqlite

import (
	"context"
	"errors"
	"maps"
	"slices"

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
	f := &PatentFacts{Patent: rec.Patent}
	// The full holdings, with the transfer that brought each: the
	// engine's reasons name the agreement ("acquired it on … under …").
	held, err := holdings(ctx, db.sql, patentID)
	if err != nil {
		return nil, err
	}
	for _, h := range held {
		f.Chain = append(f.Chain, h.Holding)
	}
	if f.Links, err = db.ControlLinks(ctx); err != nil {
		return nil, err
	}
	listed, args := listedOrFamilyGrants(patentID, rec.Family)
	portfolio, portfolioArgs := portfolioCandidates(f.Links, f.Chain)
	seed := `SELECT grant_id FROM (` + listed + `) UNION SELECT g.id FROM grants g WHERE ` + portfolio
	if f.Grants, err = db.grantFacts(ctx, seed, append(args, portfolioArgs...), true, true); err != nil {
		return nil, err
	}
	ids := []int64{rec.OriginalOwnerID, rec.OwnerID}
	for _, h := range f.Chain {
		ids = append(ids, h.OwnerID)
	}
	f.Names, err = db.factNames(ctx, f.Links, f.Grants, ids)
	return f, err
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
