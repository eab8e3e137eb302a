package sqlite

import (
	"context"
	"database/sql"

	"patentdesk/internal/licensing"
)

// The patents that grants name, by number or by family, met on the walk
// of the expiry range that finds the portfolios' patents. Read from the
// grants' side (listedPatentsEnding), the sixteen thousand named patents
// of a million-patent file are looked up one by one wherever they lie,
// however few of them end within the days asked; on the walk, which reads
// the patents ending on those days anyway, a named patent is one lookup in
// an index per chunk, and a family one in memory.

// listedGrants are the grants of scope patents and families of the
// agreements matching a condition, as listedPatentsEnding joins them.
type listedGrants struct {
	numbered map[int64]licensing.Grant    // scope patents, by id
	byFamily map[string][]licensing.Grant // scope families, by family key (compared exactly)
}

// loadListedGrants reads the grants that name patents of the agreements
// matching signed (a condition on agreements a with placeholders args).
func loadListedGrants(ctx context.Context, q querier, signed string, args []any) (*listedGrants, error) {
	l := &listedGrants{numbered: map[int64]licensing.Grant{}, byFamily: map[string][]licensing.Grant{}}
	in := ` AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE ` + signed + `)`
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.agreement_id, g.starts_on, g.ends_on FROM grants g
		WHERE g.scope = 'patents'`+in, args...)
	numbered, err := scanAll(rows, err, scanGrantTerm)
	if err != nil {
		return nil, err
	}
	for _, g := range numbered {
		l.numbered[g.ID] = g
	}
	type familyGrant struct {
		family string
		grant  licensing.Grant
	}
	rows, err = q.QueryContext(ctx, `SELECT g.id, g.agreement_id, g.starts_on, g.ends_on, t.value FROM grant_terms t
		JOIN grants g ON g.id = t.grant_id WHERE t.kind = 'family' AND g.scope = 'families'`+in, args...)
	families, err := scanAll(rows, err, func(row rowScanner) (familyGrant, error) {
		var f familyGrant
		g := &f.grant
		var dates [2]sql.NullString
		if err := row.Scan(&g.ID, &g.AgreementID, &dates[0], &dates[1], &f.family); err != nil {
			return f, err
		}
		return f, scanGrantDates(g, dates)
	})
	if err != nil {
		return nil, err
	}
	for _, f := range families {
		l.byFamily[f.family] = append(l.byFamily[f.family], f.grant)
	}
	return l, nil
}

// scanGrantTerm reads a grant's id, agreement and term.
func scanGrantTerm(row rowScanner) (licensing.Grant, error) {
	var g licensing.Grant
	var dates [2]sql.NullString
	if err := row.Scan(&g.ID, &g.AgreementID, &dates[0], &dates[1]); err != nil {
		return g, err
	}
	return g, scanGrantDates(&g, dates)
}

func scanGrantDates(g *licensing.Grant, dates [2]sql.NullString) error {
	var err error
	if g.StartsOn, err = scanDate(dates[0]); err == nil {
		g.EndsOn, err = scanDate(dates[1])
	}
	return err
}

// numbersIn reads which grants name each patent of the chunk by number,
// of any grant: add keeps those of l.
func (l *listedGrants) numbersIn(ctx context.Context, q querier, chunk []expiringPatent) (map[int64][]int64, error) {
	ids := make([]any, len(chunk))
	for i := range chunk {
		ids[i] = chunk[i].ID
	}
	rows, err := q.QueryContext(ctx, `SELECT patent_id, grant_id FROM grant_patents INDEXED BY grant_patents_patent
		WHERE patent_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	named := map[int64][]int64{}
	for rows.Next() {
		var patent, grant int64
		if err := rows.Scan(&patent, &grant); err != nil {
			return nil, err
		}
		named[patent] = append(named[patent], grant)
	}
	return named, rows.Err()
}

// add appends to list an entry for each grant of l that names patent p:
// by number among numbered (the grants naming it), by its family key.
// As in listedPatentsEnding, a family key matches exactly, and a patent
// without one is in no family.
func (l *listedGrants) add(list []licensing.ListedPatent, p *expiringPatent, numbered []int64) []licensing.ListedPatent {
	for _, id := range numbered {
		if g, ok := l.numbered[id]; ok {
			list = append(list, licensing.ListedPatent{Grant: g, Patent: p.Patent})
		}
	}
	if p.family != "" {
		for _, g := range l.byFamily[p.family] {
			list = append(list, licensing.ListedPatent{Grant: g, Patent: p.Patent})
		}
	}
	return list
}
