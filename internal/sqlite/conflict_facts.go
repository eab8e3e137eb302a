package sqlite

import (
	"context"

	"patentdesk/internal/licensing"
)

// EachGrantFact calls fn for every grant with its agreement's head, in id
// order, reading a page of grants at a time: the conflicts report compares
// every grant with the others without holding them all.
func (db *DB) EachGrantFact(ctx context.Context, fn func(GrantFact) error) error {
	var after int64
	for {
		ids, err := queryIDs(ctx, db.sql, `SELECT id FROM grants WHERE id > ? ORDER BY id LIMIT ?`, after, eachPage)
		if err != nil || len(ids) == 0 {
			return err
		}
		facts, err := db.grantFactsOf(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[int64]GrantFact, len(facts))
		for _, g := range facts {
			byID[g.Grant.ID] = g
		}
		for _, id := range ids {
			// A grant deleted since its id was read is passed over.
			if g, ok := byID[id]; ok {
				if err := fn(g); err != nil {
					return err
				}
			}
		}
		after = ids[len(ids)-1]
	}
}

// Chains returns the chain of title of each of the patents, owners and
// dates only, in order, by patent id: whether the licensor of a listed or
// family grant held a patent during the grant. A patent not recorded has
// no entry.
func (db *DB) Chains(ctx context.Context, patentIDs []int64) (map[int64][]licensing.Holding, error) {
	return heldBy(ctx, db.sql, patentIDs)
}
