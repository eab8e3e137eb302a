package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// WholeAgreements lists the agreements matching f as Agreements does, a
// page at a time, each with everything inside it as Agreement reads it:
// grants, assignments and obligations. Each kind of item is read for the
// whole page with one query, so that a page of a hundred agreements costs
// a handful of queries rather than hundreds.
func (db *DB) WholeAgreements(ctx context.Context, f AgreementFilter) (list []*licensing.Agreement, next string, err error) {
	list, next, err = db.Agreements(ctx, f)
	if err != nil || len(list) == 0 {
		return list, next, err
	}
	byID := make(map[int64]*licensing.Agreement, len(list))
	for _, a := range list {
		byID[a.ID] = a
	}
	cond, args := agreementIDsIn("g.agreement_id", list)
	grants, err := loadGrants(ctx, db.sql, cond, args...)
	if err != nil {
		return nil, "", err
	}
	for _, g := range grants {
		a := byID[g.AgreementID]
		a.Grants = append(a.Grants, g.Grant)
	}
	cond, args = agreementIDsIn("a.agreement_id", list)
	assignments, err := assignmentRows(ctx, db.sql, cond, args...)
	if err != nil {
		return nil, "", err
	}
	for _, r := range assignments {
		a := byID[r.AgreementID]
		a.Assignments = append(a.Assignments, r.Assignment)
	}
	cond, args = agreementIDsIn("o.agreement_id", list)
	obligations, err := loadObligations(ctx, db.sql, cond, args...)
	if err != nil {
		return nil, "", err
	}
	for _, o := range obligations {
		a := byID[o.AgreementID]
		a.Obligations = append(a.Obligations, o.Obligation)
	}
	return list, next, nil
}
