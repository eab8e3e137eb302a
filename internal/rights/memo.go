package rights

import "patentdesk/internal/licensing"

// The corporate tree is the same for every grant of a question, so the
// engine reads each group and each set of group spans once: without this,
// a patent with hundreds of candidate grants would walk the tree hundreds
// of times.

type affiliatesKey struct {
	company int64
	on      licensing.Date
}

type spansKey struct {
	licensor   int64
	affiliates bool
	from, to   licensing.Date
}

// affiliates is licensing.Affiliates of the engine's links, remembered.
func (e *engine) affiliates(c int64, on licensing.Date) []int64 {
	k := affiliatesKey{c, on}
	if got, ok := e.affiliatesMemo[k]; ok {
		return got
	}
	got := licensing.Affiliates(e.tree.KinLinks(c), c, on)
	e.affiliatesMemo[k] = got
	return got
}

// groupSpans is licensing.GroupSpans of the engine's links, remembered.
func (e *engine) groupSpans(licensor int64, affiliates bool, from, to licensing.Date) []licensing.GroupSpan {
	k := spansKey{licensor, affiliates, from, to}
	if got, ok := e.spansMemo[k]; ok {
		return got
	}
	got := licensing.GroupSpans(e.tree.KinLinks(licensor), licensor, affiliates, from, to)
	e.spansMemo[k] = got
	return got
}

// inGroupUntil returns the last day of the unbroken stretch from d on
// which member belongs to anchor's corporate group, zero when no control
// period recorded ends it: where a basis rests on belonging to a group, it
// ends when the company leaves.
func (e *engine) inGroupUntil(anchor, member int64, d licensing.Date) licensing.Date {
	for _, s := range e.groupSpans(anchor, true, d, licensing.LastDay) {
		if s.Owner == member && s.From == d {
			if s.To == licensing.LastDay {
				return licensing.Date{}
			}
			return s.To
		}
	}
	return licensing.Date{}
}
