package rights

import "patentdesk/internal/licensing"

// renewalOn is the term of agreement a running on d where a renews itself
// automatically and so has no end of its own (licensing.Agreement.End):
// its end, its length and the notice deadline of that term, as the
// agreement's page states them.
func renewalOn(a *licensing.Agreement, d licensing.Date) Renewal {
	if !a.RenewsUntilTerminated() {
		return Renewal{}
	}
	return Renewal{TermEndsOn: a.TermEndOn(d), Months: a.RenewalMonths, NoticeBy: a.NoticeDeadlineOn(d)}
}

// renewalUntil is how long a basis lasts that rests on renewals: until its
// last day, or without one for as long as the agreement keeps renewing.
func renewalUntil(until licensing.Date) Text {
	if until.IsZero() {
		return say("for as long as the agreement keeps renewing")
	}
	return say("until %s if the agreement keeps renewing", until)
}

// renewalTerm says when the agreement's running term ends, how it renews
// and by when notice of non-renewal must be given, on day d.
func renewalTerm(r Renewal, d licensing.Date) Text {
	every := say("every %d months", r.Months)
	if r.Months == 1 {
		every = say("every %d month", r.Months)
	}
	switch {
	case r.NoticeBy.IsZero():
		return say("the agreement's current term ends %s and renews automatically %s until terminated.", r.TermEndsOn, every)
	case r.NoticeBy.Before(d):
		return say("the agreement's current term ends %s and renews automatically %s; the notice deadline of this term, %s, has passed.", r.TermEndsOn, every, r.NoticeBy)
	}
	return say("the agreement's current term ends %s and renews automatically %s unless notice is given by %s.", r.TermEndsOn, every, r.NoticeBy)
}
