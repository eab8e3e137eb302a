package licensing

import (
	"slices"
	"time"
)

// The first and last days a date can name: the ends of an open window.
var (
	FirstDay = NewDate(1, time.January, 1)
	LastDay  = NewDate(9999, time.December, 31)
)

// GroupSpan is a stretch of days on which a company's holdings count as
// held by a licensor: both ends inclusive, never zero.
type GroupSpan struct {
	Owner    int64
	From, To Date
}

// GroupSpans returns whose holdings count as the licensor's within the
// window from…to (a zero end open): the licensor's own for the whole
// window and, with affiliates, every company's for the days of the window
// on which it belonged to the licensor's corporate group. This is the rule
// of a portfolio's capture window, and of the title a listed patent's
// licensor must have had. A group changes only on the days a control period
// begins or the day after one ends, so the window is cut at those days and
// the group read once for each piece.
func GroupSpans(links []Control, licensor int64, affiliates bool, from, to Date) []GroupSpan {
	lo, hi := from, to
	if lo.IsZero() {
		lo = FirstDay
	}
	if hi.IsZero() {
		hi = LastDay
	}
	if hi.Before(lo) {
		return nil
	}
	if !affiliates {
		return []GroupSpan{{licensor, lo, hi}}
	}
	_, links = Kin(links, []int64{licensor})
	cuts := []Date{lo}
	for _, l := range links {
		for _, d := range []Date{l.From, l.To.AddDays(1)} {
			if !d.IsZero() && d.After(lo) && !d.After(hi) {
				cuts = append(cuts, d)
			}
		}
	}
	slices.SortFunc(cuts, Date.Compare)
	cuts = slices.Compact(cuts)
	var spans []GroupSpan
	last := map[int64]int{} // a company's latest span, by index in spans
	for i, from := range cuts {
		to := hi
		if i+1 < len(cuts) {
			to = cuts[i+1].AddDays(-1)
		}
		for _, c := range Group(links, licensor, from) {
			if j, ok := last[c]; ok && spans[j].To == from.AddDays(-1) {
				spans[j].To = to
				continue
			}
			last[c] = len(spans)
			spans = append(spans, GroupSpan{c, from, to})
		}
	}
	return spans
}

// Kin returns the companies joined to any of start by parent links of any
// period, directly or through others (start included), and the links among
// them: everyone who was ever in a corporate group with one of start.
func Kin(links []Control, start []int64) (map[int64]bool, []Control) {
	ix := NewCorporateIndex(links)
	kin := map[int64]bool{}
	for _, c := range start {
		kin[c] = true
		walk(c, ix.next, kin)
	}
	var own []Control
	for k := range kin {
		own = append(own, ix.up[k]...)
	}
	return kin, own
}

// HeldWithin reports whether a holding of chain falls, on at least one
// day, within a span of its owner.
func HeldWithin(chain []Holding, spans []GroupSpan) bool {
	_, ok := FirstHeldWithin(chain, spans)
	return ok
}

// FirstHeldWithin returns the first day on which a holding of chain falls
// within a span of its owner.
func FirstHeldWithin(chain []Holding, spans []GroupSpan) (Date, bool) {
	var first Date
	found := false
	for _, h := range chain {
		for _, s := range spans {
			if s.Owner != h.OwnerID || (!h.From.IsZero() && h.From.After(s.To)) || (!h.To.IsZero() && h.To.Before(s.From)) {
				continue
			}
			d := s.From
			if !h.From.IsZero() && h.From.After(d) {
				d = h.From
			}
			if !found || d.Before(first) {
				first, found = d, true
			}
		}
	}
	return first, found
}

// CorporateIndex is the corporate tree read once, for callers that ask
// about many companies' groups: the links of each company's kin, so that
// a group is walked over its own handful of links rather than all of them.
type CorporateIndex struct {
	next map[int64][]int64   // neighbours by any link, either way
	up   map[int64][]Control // each company's own parent links
	kin  map[int64][]Control // remembered answers of KinLinks
}

// NewCorporateIndex indexes the parent links of the corporate tree.
func NewCorporateIndex(links []Control) *CorporateIndex {
	ix := &CorporateIndex{next: map[int64][]int64{}, up: map[int64][]Control{}, kin: map[int64][]Control{}}
	for _, l := range links {
		ix.next[l.Company] = append(ix.next[l.Company], l.Parent)
		ix.next[l.Parent] = append(ix.next[l.Parent], l.Company)
		ix.up[l.Company] = append(ix.up[l.Company], l)
	}
	return ix
}

// KinLinks returns the links among everyone who was ever in a corporate
// group with c: all that Affiliates, Group and GroupSpans need for c.
func (ix *CorporateIndex) KinLinks(c int64) []Control {
	if got, ok := ix.kin[c]; ok {
		return got
	}
	kin := map[int64]bool{c: true}
	walk(c, ix.next, kin)
	own := []Control{}
	for k := range kin {
		own = append(own, ix.up[k]...)
	}
	for k := range kin {
		ix.kin[k] = own
	}
	return own
}
