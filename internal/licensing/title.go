package licensing

import (
	"cmp"
	"slices"
)

// Transfer is one assignment of one patent, as the chain of title reads it.
type Transfer struct {
	AssignmentID int64
	AgreementID  int64
	Agreement    string // the agreement's reference
	AssignorID   int64
	AssigneeID   int64
	EffectiveOn  Date
}

// Holding is one link of a chain of title: OwnerID owned the patent from
// From to To, both inclusive; a zero From reaches back to the filing, a zero
// To is the present owner. Via is the transfer that brought the title, nil
// for the original owner.
type Holding struct {
	OwnerID int64
	From    Date
	To      Date
	Via     *Transfer
}

// TitleBreak is an assignment by someone who did not own the patent on its
// effective date: it is kept on record but moves no title.
type TitleBreak struct {
	Transfer
	OwnerID int64 // who did own the patent that day
}

// ChainOfTitle follows a patent's title from its original owner through the
// transfers in order of effective date, as DESIGN.md defines ownership: each
// transfer by the owner of the day passes title from its effective date;
// one by anyone else is a break. Transfers of one day are taken in the order
// the title can pass through them, whatever order they were entered in (an
// intra-group transfer recorded after the onward sale of the same day still
// comes first); what no order can reach is a break. A transfer dated before
// since (the filing date) is read as of that date.
func ChainOfTitle(originalOwner int64, since Date, transfers []Transfer) (chain []Holding, breaks []TitleBreak) {
	sorted := slices.Clone(transfers)
	slices.SortStableFunc(sorted, func(a, b Transfer) int {
		if c := a.EffectiveOn.Compare(b.EffectiveOn); c != 0 {
			return c
		}
		return cmp.Compare(a.AssignmentID, b.AssignmentID)
	})
	chain = []Holding{{OwnerID: originalOwner, From: since}}
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].EffectiveOn.Equal(sorted[start].EffectiveOn) {
			end++
		}
		day := sorted[start:end]
		for len(day) > 0 {
			i := slices.IndexFunc(day, func(t Transfer) bool { return t.AssignorID == chain[len(chain)-1].OwnerID })
			if i < 0 {
				break
			}
			t := day[i]
			day = slices.Delete(slices.Clone(day), i, i+1)
			chain = pass(chain, since, &t)
		}
		for _, t := range day {
			breaks = append(breaks, TitleBreak{Transfer: t, OwnerID: ownerBefore(chain, t.EffectiveOn)})
		}
		start = end
	}
	return chain, breaks
}

// ownerBefore names who held the title when a day's transfers began: the
// owner of the day before, or the present owner for a chain starting that day.
func ownerBefore(chain []Holding, d Date) int64 {
	if o := OwnerOn(chain, d.AddDays(-1)); o != 0 {
		return o
	}
	return chain[len(chain)-1].OwnerID
}

// pass records the title passing by transfer t at the end of chain.
func pass(chain []Holding, since Date, t *Transfer) []Holding {
	cur := &chain[len(chain)-1]
	if t.AssigneeID == cur.OwnerID {
		return chain
	}
	from := t.EffectiveOn
	if !since.IsZero() && from.Before(since) {
		from = since
	}
	if !cur.From.IsZero() && !cur.From.Before(from) {
		// Title passed on the day it arrived: the holder of a moment
		// is not an owner on any day, so its link gives way.
		chain = chain[:len(chain)-1]
		if len(chain) > 0 && chain[len(chain)-1].OwnerID == t.AssigneeID {
			chain[len(chain)-1].To = Date{}
			return chain
		}
		return append(chain, Holding{OwnerID: t.AssigneeID, From: from, Via: t})
	}
	cur.To = from.AddDays(-1)
	return append(chain, Holding{OwnerID: t.AssigneeID, From: from, Via: t})
}

// OwnerOn returns who owned the patent on d according to chain, or 0 when d
// lies before the chain begins.
func OwnerOn(chain []Holding, d Date) int64 {
	for _, h := range chain {
		if d.Within(h.From, h.To) {
			return h.OwnerID
		}
	}
	return 0
}

// OwnedWithin reports whether owner held the patent on at least one day from
// from to to (inclusive, zero ends open).
func OwnedWithin(chain []Holding, owner int64, from, to Date) bool {
	for _, h := range chain {
		if h.OwnerID != owner {
			continue
		}
		if (to.IsZero() || h.From.IsZero() || !h.From.After(to)) && (from.IsZero() || h.To.IsZero() || !h.To.Before(from)) {
			return true
		}
	}
	return false
}
