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
	// agreements are the grants' agreements, with their status and dates
	// alone (agreementTermColumns).
	agreements map[int64]*licensing.Agreement
}

// loadListedGrants reads the grants that name patents of the agreements
// matching signed (a condition on agreements a with placeholders args).
func loadListedGrants(ctx context.Context, q querier, signed string, args []any) (*listedGrants, error) {
	l := &listedGrants{numbered: map[int64]licensing.Grant{}, byFamily: map[string][]licensing.Grant{},
		agreements: map[int64]*licensing.Agreement{}}
	type listedGrant struct {
		family string
		grant  licensing.Grant
	}
	scan := func(family bool) func(rowScanner) (listedGrant, error) {
		return func(row rowScanner) (listedGrant, error) {
			var f listedGrant
			g := &f.grant
			var dates [2]sql.NullString
			var a agreementTerm
			dst := append([]any{&g.ID, &g.AgreementID, &dates[0], &dates[1]}, a.dst()...)
			if family {
				dst = append(dst, &f.family)
			}
			if err := row.Scan(dst...); err != nil {
				return f, err
			}
			if _, ok := l.agreements[g.AgreementID]; !ok {
				agreement, err := a.agreement(g.AgreementID)
				if err != nil {
					return f, err
				}
				l.agreements[g.AgreementID] = agreement
			}
			return f, scanGrantDates(g, dates)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.agreement_id, g.starts_on, g.ends_on, `+agreementTermColumns+grantsOfAgreements+`
		WHERE g.scope = 'patents' AND `+signed, args...)
	numbered, err := scanAll(rows, err, scan(false))
	if err != nil {
		return nil, err
	}
	for _, f := range numbered {
		l.numbered[f.grant.ID] = f.grant
	}
	rows, err = q.QueryContext(ctx, `SELECT g.id, g.agreement_id, g.starts_on, g.ends_on, `+agreementTermColumns+`, t.value
		FROM grant_terms t CROSS JOIN grants g ON g.id = t.grant_id CROSS JOIN agreements a ON a.id = g.agreement_id
		WHERE t.kind = 'family' AND g.scope = 'families' AND `+signed, args...)
	families, err := scanAll(rows, err, scan(true))
	if err != nil {
		return nil, err
	}
	for _, f := range families {
		l.byFamily[f.family] = append(l.byFamily[f.family], f.grant)
	}
	return l, nil
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
