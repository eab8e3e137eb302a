package licensing

// EndsWithin reports whether an agreement in force on today comes to an
// end from today to last, both included: the term running today ends then
// for one that renews itself (it renews unless notice is given), else its
// last day in force (End) falls then. An amendment that restates its
// parent's term (restatesParentTerm, the parent among all) ends with its
// parent and is not counted apart from it.
func (a *Agreement) EndsWithin(today, last Date, all map[int64]*Agreement) bool {
	if !a.InForce(today) || restatesParentTerm(a, all) {
		return false
	}
	end := a.End()
	if a.RenewsItself() {
		end = a.TermEndOn(today)
	}
	return !end.IsZero() && end.Within(today, last)
}
