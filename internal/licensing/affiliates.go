package licensing

import (
	"maps"
	"slices"
)

// corporateTree is the parent links in force on one date, walkable both ways.
type corporateTree struct {
	parents  map[int64][]int64
	children map[int64][]int64
}

// treeOn keeps the links whose control period contains on. A company that
// names itself as parent is ignored: bad data must not make a company its own
// affiliate.
func treeOn(links []Control, on Date) corporateTree {
	t := corporateTree{parents: map[int64][]int64{}, children: map[int64][]int64{}}
	for _, l := range links {
		if l.Company == 0 || l.Parent == 0 || l.Company == l.Parent || !on.Within(l.From, l.To) {
			continue
		}
		t.parents[l.Company] = append(t.parents[l.Company], l.Parent)
		t.children[l.Parent] = append(t.children[l.Parent], l.Company)
	}
	return t
}

// walk collects every company reachable from start along next, start
// excluded. The visited set is what makes a loop in bad data (A controls B
// controls A) end.
func walk(start int64, next map[int64][]int64, seen map[int64]bool) {
	stack := []int64{start}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, n := range next[c] {
			if !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
}

// controllers returns every company that directly or indirectly controls c.
func (t corporateTree) controllers(c int64) map[int64]bool {
	up := map[int64]bool{}
	walk(c, t.parents, up)
	return up
}

// Affiliates returns the companies in c's corporate tree on date on: those
// that control c, those c controls, and those under common control with c,
// following only parent links whose control period contains on (both ends
// included). c itself is not in the result. Result sorted by id.
func Affiliates(links []Control, c int64, on Date) []int64 {
	t := treeOn(links, on)
	group := t.controllers(c)
	// Everything a controller controls is under common control with c;
	// walking down from c too picks up c's own subsidiaries when c has no
	// parent.
	down := map[int64]bool{}
	for top := range group {
		walk(top, t.children, down)
	}
	walk(c, t.children, down)
	maps.Copy(group, down)
	delete(group, c)
	return slices.Sorted(maps.Keys(group))
}

// Group returns c and its affiliates on date on, sorted by id: the companies
// a grant "to the licensee and its affiliates" reaches.
func Group(links []Control, c int64, on Date) []int64 {
	ids := append(Affiliates(links, c, on), c)
	slices.Sort(ids)
	return ids
}

// Controls reports whether parent directly or indirectly controls c on date
// on.
func Controls(links []Control, parent, c int64, on Date) bool {
	return parent != c && treeOn(links, on).controllers(c)[parent]
}
