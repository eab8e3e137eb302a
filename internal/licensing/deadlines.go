package licensing

import (
	"cmp"
	"slices"
	"strings"
)

// DeadlineKind is what falls due on a deadline.
type DeadlineKind string

// The kinds of deadline CONTRACT.md names.
const (
	DeadlineExpiry       DeadlineKind = "expiry"        // the agreement ends (the running term, for one that renews itself)
	DeadlineNotice       DeadlineKind = "notice"        // the last day to give notice before a term ends
	DeadlineRenewal      DeadlineKind = "renewal"       // a renewing agreement begins a new term
	DeadlineObligation   DeadlineKind = "obligation"    // an occurrence of an obligation falls due
	DeadlinePatentExpiry DeadlineKind = "patent_expiry" // a patent a grant lists ends its term
)

// DeadlineKinds lists the kinds in the order a day's deadlines are sorted.
var DeadlineKinds = []DeadlineKind{DeadlineExpiry, DeadlineNotice, DeadlineRenewal, DeadlineObligation, DeadlinePatentExpiry}

// DeadlineStatus is where a deadline stands on the day it is asked about.
type DeadlineStatus string

// An obligation's occurrence is open, overdue (open and due before today),
// done or waived; every other deadline is open (today or later) or passed.
const (
	DeadlineOpen    DeadlineStatus = "open"
	DeadlinePassed  DeadlineStatus = "passed"
	DeadlineOverdue DeadlineStatus = "overdue"
	DeadlineDone    DeadlineStatus = "done"
	DeadlineWaived  DeadlineStatus = "waived"
)

// NoticeReach is how long before the end of a term its notice deadline can
// fall: the longest notice period an agreement may have. A store looking
// for the agreements with a notice deadline in a period looks this far
// beyond its end.
const NoticeReach = maxNoticeDays

// Deadline is one date to watch under an agreement.
type Deadline struct {
	Date      Date
	Kind      DeadlineKind
	Status    DeadlineStatus
	Agreement *Agreement // top-level fields and parties; shared by its deadlines, not to be changed
	// TermEndsOn is, for a notice, the last day of the term it ends; for
	// a renewal, the last day of the new term.
	TermEndsOn Date
	Obligation *Obligation // the obligation of an obligation deadline
	Occurrence Occurrence  // what became of that occurrence
	PatentID   int64       // the patent of a patent_expiry deadline
	Patent     string      // its normalized number
}

// ListedPatent is a patent in a grant's scope — named by number or by
// family, or taken in by a portfolio — with what a patent_expiry deadline
// needs of both.
type ListedPatent struct {
	Grant  Grant  // ID, AgreementID, StartsOn and EndsOn suffice
	Patent Patent // ID, Normalized, Office, Status, StatusOn, GrantedOn and ExpiresOn (the effective expiry)
}

// DeadlineFacts are what the deadlines of a period are worked out from.
// The store may hand over more than the period needs (an obligation that
// recurs from long ago, a patent of an agreement not in force); Deadlines
// keeps only what falls within it.
type DeadlineFacts struct {
	Agreements  map[int64]*Agreement // by id, top-level fields and parties
	Obligations []Obligation         // with their marked occurrences
	Listed      []ListedPatent
}

// DeadlineWindow is the period asked about, both ends included, the day
// that decides between open and passed, and the kinds and statuses wanted
// (empty: all).
type DeadlineWindow struct {
	From, To Date
	Today    Date
	Kinds    []DeadlineKind
	Statuses []DeadlineStatus
	// Overdue also takes in every occurrence still open that fell due
	// before From, however long ago: a list that starts today still shows
	// what was missed.
	Overdue bool
}

// obligationStatuses are the statuses an obligation's occurrence can
// have; every other deadline is open or passed.
var obligationStatuses = []DeadlineStatus{DeadlineOpen, DeadlineOverdue, DeadlineDone, DeadlineWaived}

// Wants reports whether the window asks for kind k: whether it is among
// the kinds and can have one of the statuses asked for.
func (w DeadlineWindow) Wants(k DeadlineKind) bool {
	if len(w.Kinds) > 0 && !slices.Contains(w.Kinds, k) {
		return false
	}
	can := []DeadlineStatus{DeadlineOpen, DeadlinePassed}
	if k == DeadlineObligation {
		can = obligationStatuses
	}
	return len(w.Statuses) == 0 || slices.ContainsFunc(can, func(s DeadlineStatus) bool { return slices.Contains(w.Statuses, s) })
}

// takes reports whether a deadline, its status known, belongs to the
// window: within the period (or overdue before it, where the window asks
// for that) and of a status asked for.
func (w DeadlineWindow) takes(d Deadline) bool {
	in := d.Date.Within(w.From, w.To) || (w.Overdue && d.Status == DeadlineOverdue && d.Date.Before(w.From))
	return in && (len(w.Statuses) == 0 || slices.Contains(w.Statuses, d.Status))
}

// Deadlines returns the deadlines of the window, sorted by date, kind (in
// the order of DeadlineKinds), agreement reference and what falls due.
// Only signed agreements make deadlines, and a terminated one none after
// its termination date:
//   - expiry: the agreement's last day — its termination date once
//     terminated, the end of the term running today for an active
//     agreement that renews itself, else its expiry date;
//   - notice: notice_days before the end of each term (one term, unless it
//     renews itself), for an agreement not terminated;
//   - renewal: the first day of each new term of an active agreement that
//     renews itself;
//   - obligation: every due date of every obligation, recurrences expanded
//     up to the agreement's end;
//   - patent_expiry: the end of the term of a patent in a grant's scope
//     (as DeadlineFacts.Listed has them), where the patent is in force on
//     its last day and the grant runs on that day.
//
// With w.Overdue, the occurrences still open that fell due before the
// period come first.
func Deadlines(f *DeadlineFacts, w DeadlineWindow) []Deadline {
	var out []Deadline
	add := func(d Deadline) {
		a := d.Agreement
		if a.Status == AgreementTerminated && d.Date.After(a.TerminatedOn) {
			return
		}
		if d.Status == "" {
			d.Status = DeadlineOpen
			if d.Date.Before(w.Today) {
				d.Status = DeadlinePassed
			}
		}
		if w.takes(d) {
			out = append(out, d)
		}
	}
	for _, a := range f.Agreements {
		if makesDeadlines(a) && !restatesParentTerm(a, f.Agreements) {
			termDeadlines(a, w, add)
		}
	}
	if w.Wants(DeadlineObligation) {
		for i := range f.Obligations {
			o := &f.Obligations[i]
			if a := f.Agreements[o.AgreementID]; a != nil && makesDeadlines(a) {
				obligationDeadlines(a, o, w, add)
			}
		}
	}
	if w.Wants(DeadlinePatentExpiry) {
		patentDeadlines(f, add)
	}
	return sortDeadlines(out)
}

// restatesParentTerm reports whether an amendment repeats the term of the
// agreement it amends — the same expiry, renewal and notice period, and the
// same fate — so that the parent's expiry, notice and renewal deadlines
// already stand for its own and are not listed twice. An amendment whose
// parent is not among the facts keeps its deadlines: better twice than not
// at all.
func restatesParentTerm(a *Agreement, all map[int64]*Agreement) bool {
	p := all[a.ParentID]
	return a.ParentID != 0 && p != nil && makesDeadlines(p) && p.Status == a.Status &&
		p.ExpiresOn == a.ExpiresOn && p.RenewalMonths == a.RenewalMonths && p.NoticeDays == a.NoticeDays &&
		p.TerminatedOn == a.TerminatedOn
}

// IfRenewed reports whether a deadline falls due only if its agreement
// renews itself at the end of the term running on today: it lies after
// that term. The renewal that begins the next term is not conditional on
// itself; those of later terms are.
func (d Deadline) IfRenewed(today Date) bool {
	a := d.Agreement
	if a == nil || !a.RenewsItself() {
		return false
	}
	end := a.TermEndOn(today)
	if d.Kind == DeadlineRenewal {
		end = end.AddDays(1)
	}
	return d.Date.After(end)
}

// makesDeadlines reports whether an agreement has dates to watch: it was
// signed and took effect.
func makesDeadlines(a *Agreement) bool {
	return a.Status.Signed() && !a.EffectiveOn.IsZero()
}

// RenewsItself reports whether an agreement runs on, term after term: it
// is active, with a renewal term and a first expiry to renew from.
func (a *Agreement) RenewsItself() bool {
	return a.Status == AgreementActive && a.RenewalMonths > 0 && !a.ExpiresOn.IsZero()
}

// termEnd returns the last day of the k-th term of a renewing agreement,
// counting its first term as 0, as TermEndOn counts them.
func termEnd(a *Agreement, k int) Date {
	return a.ExpiresOn.AddMonths(k * a.RenewalMonths)
}

// termDeadlines adds the expiry, notice and renewal deadlines of an
// agreement that fall within the window.
func termDeadlines(a *Agreement, w DeadlineWindow, add func(Deadline)) {
	if w.Wants(DeadlineExpiry) {
		end := a.ExpiresOn
		switch {
		case a.Status == AgreementTerminated:
			end = a.TerminatedOn
		case a.RenewsItself():
			end = a.TermEndOn(w.Today)
		}
		if !end.IsZero() {
			add(Deadline{Date: end, Kind: DeadlineExpiry, Agreement: a})
		}
	}
	if w.Wants(DeadlineNotice) && a.NoticeDays > 0 && a.Status != AgreementTerminated && !a.ExpiresOn.IsZero() {
		if !a.RenewsItself() {
			add(Deadline{Date: a.ExpiresOn.AddDays(-a.NoticeDays), Kind: DeadlineNotice, Agreement: a, TermEndsOn: a.ExpiresOn})
		} else {
			for k := 0; k < maxOccurrences; k++ {
				end := termEnd(a, k)
				notice := end.AddDays(-a.NoticeDays)
				if notice.After(w.To) {
					break
				}
				add(Deadline{Date: notice, Kind: DeadlineNotice, Agreement: a, TermEndsOn: end})
			}
		}
	}
	if w.Wants(DeadlineRenewal) && a.RenewsItself() {
		for k := 0; k < maxOccurrences; k++ {
			renews := termEnd(a, k).AddDays(1)
			if renews.After(w.To) {
				break
			}
			add(Deadline{Date: renews, Kind: DeadlineRenewal, Agreement: a, TermEndsOn: termEnd(a, k+1)})
		}
	}
}

// obligationDeadlines adds the occurrences of an obligation that fall due
// within the window, each with what became of it.
func obligationDeadlines(a *Agreement, o *Obligation, w DeadlineWindow, add func(Deadline)) {
	for _, due := range o.DueDates(a, w.To) {
		if due.Before(w.From) && !(w.Overdue && due.Before(w.Today)) {
			continue
		}
		oc := o.OccurrenceOn(due)
		status := DeadlineStatus(oc.Status)
		if oc.Status == ObligationOpen {
			status = DeadlineOpen
			if due.Before(w.Today) {
				status = DeadlineOverdue
			}
		}
		add(Deadline{Date: due, Kind: DeadlineObligation, Status: status, Agreement: a, Obligation: o, Occurrence: oc})
	}
}

// patentDeadlines adds the end of term of each listed patent whose term
// ends while a grant listing it runs, once per agreement.
func patentDeadlines(f *DeadlineFacts, add func(Deadline)) {
	type key struct{ agreement, patent int64 }
	seen := map[key]bool{}
	for i := range f.Listed {
		lp := &f.Listed[i]
		a := f.Agreements[lp.Grant.AgreementID]
		if a == nil || seen[key{a.ID, lp.Patent.ID}] {
			continue
		}
		end, ok := PatentExpiryDeadline(a, &lp.Grant, &lp.Patent)
		if !ok {
			continue
		}
		seen[key{a.ID, lp.Patent.ID}] = true
		add(Deadline{Date: end, Kind: DeadlinePatentExpiry, Agreement: a, PatentID: lp.Patent.ID, Patent: lp.Patent.Normalized})
	}
}

// PatentExpiryDeadline returns the last day of patent p's term and whether
// it is a deadline of grant g of agreement a: the agreement signed and in
// force that day, the grant running, and the patent in force on it (a
// licensed patent that ends is the end of a royalty base).
func PatentExpiryDeadline(a *Agreement, g *Grant, p *Patent) (Date, bool) {
	if a == nil || !makesDeadlines(a) {
		return Date{}, false
	}
	end, _ := p.Expiry()
	if end.IsZero() || !a.InForce(end) || !end.Within(g.Start(a), g.Finish(a)) || !p.InForce(end) {
		return Date{}, false
	}
	return end, true
}

// compareDeadlines orders deadlines by date, kind, agreement reference
// (ignoring case), what falls due (the obligation's title, the patent's
// number) and finally ids, so that the order never depends on the map the
// agreements came in. sortDeadlines sorts in this order.
func compareDeadlines(x, y Deadline) int {
	return cmp.Or(
		x.Date.Compare(y.Date),
		cmp.Compare(slices.Index(DeadlineKinds, x.Kind), slices.Index(DeadlineKinds, y.Kind)),
		cmp.Compare(strings.ToLower(x.Agreement.Reference), strings.ToLower(y.Agreement.Reference)),
		cmp.Compare(x.Agreement.ID, y.Agreement.ID),
		cmp.Compare(x.subject(), y.subject()),
		cmp.Compare(x.obligationID(), y.obligationID()),
		cmp.Compare(x.PatentID, y.PatentID),
	)
}

// deadlineOrder is a deadline's place in the order of compareDeadlines,
// worked out once: the day and kind as one number, and the agreement's
// reference lower-cased once per agreement. Comparing these instead of
// the deadlines spares a sort of thousands of deadlines (a year's patent
// expiries at a million patents) two lower-cased copies of the references
// at every comparison, and moving the deadlines themselves about.
type deadlineOrder struct {
	dayKind    int64 // the day, then the kind's place in DeadlineKinds
	reference  string
	agreement  int64
	subject    string
	obligation int64
	patent     int64
	at         int // where the deadline stands in the list sorted
}

// compare is compareDeadlines on the keys.
func (x *deadlineOrder) compare(y *deadlineOrder) int {
	return cmp.Or(
		cmp.Compare(x.dayKind, y.dayKind),
		cmp.Compare(x.reference, y.reference),
		cmp.Compare(x.agreement, y.agreement),
		cmp.Compare(x.subject, y.subject),
		cmp.Compare(x.obligation, y.obligation),
		cmp.Compare(x.patent, y.patent),
	)
}

// sortDeadlines returns list in the order of compareDeadlines.
func sortDeadlines(list []Deadline) []Deadline {
	if len(list) < 2 {
		return list
	}
	lower := map[*Agreement]string{}
	keys := make([]deadlineOrder, len(list))
	for i := range list {
		d := &list[i]
		ref, ok := lower[d.Agreement]
		if !ok {
			ref = strings.ToLower(d.Agreement.Reference)
			lower[d.Agreement] = ref
		}
		keys[i] = deadlineOrder{dayKind: int64(d.Date.n)*int64(len(DeadlineKinds)+1) + int64(slices.Index(DeadlineKinds, d.Kind)+1),
			reference: ref, agreement: d.Agreement.ID, subject: d.subject(), obligation: d.obligationID(), patent: d.PatentID, at: i}
	}
	slices.SortFunc(keys, func(x, y deadlineOrder) int { return x.compare(&y) })
	out := make([]Deadline, len(list))
	for i := range keys {
		out[i] = list[keys[i].at]
	}
	return out
}

// subject is what falls due, for sorting: an obligation's title or a
// patent's number.
func (d Deadline) subject() string {
	if d.Obligation != nil {
		return d.Obligation.Title
	}
	return d.Patent
}

func (d Deadline) obligationID() int64 {
	if d.Obligation != nil {
		return d.Obligation.ID
	}
	return 0
}

// DeadlinesOfGroup keeps the deadlines of agreements to which, on the
// deadline's day, a company of one of spans is a party: with the spans of
// GroupSpans, the deadlines of a company and of its corporate group as it
// stood on each day.
func DeadlinesOfGroup(list []Deadline, spans []GroupSpan) []Deadline {
	var out []Deadline
	for _, d := range list {
		if slices.ContainsFunc(d.Agreement.Parties, func(p Party) bool {
			return slices.ContainsFunc(spans, func(s GroupSpan) bool { return s.Owner == p.CompanyID && d.Date.Within(s.From, s.To) })
		}) {
			out = append(out, d)
		}
	}
	return out
}
