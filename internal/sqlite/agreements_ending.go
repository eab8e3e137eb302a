package sqlite

import (
	"context"
	"strings"

	"patentdesk/internal/licensing"
)

// AgreementsEnding selects the agreements in force on On that come to an
// end from On to Last, both included, as licensing.Agreement.EndsWithin
// says: by the end of the term running on On, amendments that restate
// their parent's term left out.
type AgreementsEnding struct{ On, Last licensing.Date }

// endingIDs finds the ids of the agreements that e selects. The rule
// (renewal terms, amendments against their parents) is the domain's, so
// it is applied in Go to the agreements in force that day with a date to
// end on, and to their parents: agreements number thousands at most.
func endingIDs(ctx context.Context, q querier, e AgreementsEnding) ([]int64, error) {
	where, args, err := agreementWhere(AgreementFilter{InForceOn: &e.On})
	if err != nil {
		return nil, err
	}
	list, err := agreementTerms(ctx, q, `SELECT `+agreementColumns+agreementFrom+` WHERE `+strings.Join(where, " AND ")+
		` AND (a.expires_on IS NOT NULL OR a.terminated_on IS NOT NULL)`, args...)
	if err != nil {
		return nil, err
	}
	all := make(map[int64]*licensing.Agreement, len(list))
	for _, a := range list {
		all[a.ID] = a
	}
	var parents []int64
	for _, a := range list {
		if a.ParentID != 0 && all[a.ParentID] == nil {
			parents = append(parents, a.ParentID)
		}
	}
	if len(parents) > 0 {
		more, err := agreementTerms(ctx, q, `SELECT `+agreementColumns+agreementFrom+` WHERE a.id IN (SELECT value FROM json_each(?))`, idArray(parents))
		if err != nil {
			return nil, err
		}
		for _, a := range more {
			all[a.ID] = a
		}
	}
	ids := []int64{}
	for _, a := range list {
		if a.EndsWithin(e.On, e.Last, all) {
			ids = append(ids, a.ID)
		}
	}
	return ids, nil
}

// resolveEnding turns f.Ending into the ids agreementWhere selects by,
// once: a filter resolved already keeps its ids (an export paging through
// the agreements works from one set).
func resolveEnding(ctx context.Context, q querier, f *AgreementFilter) error {
	if f.Ending == nil || f.endingIDs != nil {
		return nil
	}
	ids, err := endingIDs(ctx, q, *f.Ending)
	f.endingIDs = ids
	return err
}

// agreementTerms reads the agreements matching query, top-level fields
// only: their dates are all EndsWithin needs.
func agreementTerms(ctx context.Context, q querier, query string, args ...any) ([]*licensing.Agreement, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return scanAll(rows, err, scanAgreement)
}
