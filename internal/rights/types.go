// Package rights is the rights engine of DESIGN.md: it answers whether a
// company may practise a patent for an activity, in a territory and a field
// on a day, and why, from facts that storage gathers. It knows nothing of
// SQL or HTTP; every function here is a pure function of its arguments.
package rights

import "patentdesk/internal/licensing"

// Question is what legal staff ask: may Company practise the patent for
// Activity in Territory, in Field, on On?
type Question struct {
	Company   int64
	Activity  licensing.Activity // "": any activity
	Territory string             // a country code
	Field     string             // "": any field
	On        licensing.Date
	// WhatIf lets grants of drafts and agreements under negotiation count,
	// as hypothetical bases: the question of a deal not yet signed.
	WhatIf bool
}

// Facts are what the engine needs to answer a question about one patent:
// the patent, its chain of title, the corporate tree and every grant whose
// scope may take the patent in, with the parents of sublicences among them.
// Storage may supply more grants than apply; the engine decides.
type Facts struct {
	Patent licensing.Patent
	Chain  []licensing.Holding // in order; empty: the original owner since filing
	Links  []licensing.Control // every parent link of the corporate tree
	Names  map[int64]string    // company names, for every company the facts name
	Grants []GrantFact
}

// GrantFact is a grant with the head of its agreement (parties, grants and
// the rest of the agreement are not needed).
type GrantFact struct {
	Grant     licensing.Grant
	Agreement *licensing.Agreement
}

// Verdict is the engine's answer in one word.
type Verdict string

// The verdicts of DESIGN.md.
const (
	Covered     Verdict = "covered"
	NotCovered  Verdict = "not_covered"
	NotRequired Verdict = "not_required"
)

// BasisKind is why a company may practise a patent.
type BasisKind string

// The bases of DESIGN.md.
const (
	Owner          BasisKind = "owner"
	AffiliateOwner BasisKind = "affiliate_owner"
	License        BasisKind = "license"
)

// Condition is one requirement of a grant that a near miss failed.
type Condition string

// The conditions a near miss names, as CONTRACT.md spells them.
const (
	FailedTerritory Condition = "territory"
	FailedField     Condition = "field"
	FailedActivity  Condition = "activity"
	FailedDate      Condition = "date"
	FailedLicensee  Condition = "licensee"
	FailedScope     Condition = "scope"
	FailedStatus    Condition = "status"
)

// AgreementRef names the agreement behind a basis, near miss or conflict.
type AgreementRef struct {
	ID        int64
	Reference string
	Title     string
	Kind      licensing.AgreementKind
	Status    licensing.AgreementStatus
}

// Basis is one reason a company may practise a patent.
type Basis struct {
	Kind      BasisKind
	Agreement AgreementRef // License only
	Grant     int64        // License only
	Licensor  Party        // License only
	Licensee  Party        // License only: the grant's licensee
	Holder    Party        // Owner and AffiliateOwner: who owns the patent; License: who holds its title, if known
	Through   Party        // the licensee or owner the company is covered through, when that is not the company itself
	// Until is the last day of the basis: the earlier of the patent's
	// expiry and the end of the holding or grant; zero when open.
	Until licensing.Date
	// Fields and Activities are the grant's limits where the question
	// named none: the basis holds only for them.
	Fields       []string
	Activities   []licensing.Activity
	Territories  []string // License: the grant's territories; empty: worldwide
	Hypothetical bool     // from a draft or an agreement under negotiation (WhatIf)
	// Renewal is the running term of an agreement that renews itself,
	// where Until lies beyond it: the basis lasts that long only if the
	// agreement keeps renewing. Zero otherwise.
	Renewal Renewal
	Reason  Text
}

// Renewal is the term of an automatically renewing agreement that runs on
// the day asked: the agreement has no end of its own, but runs on term
// after term until a party gives notice of non-renewal.
type Renewal struct {
	TermEndsOn licensing.Date // the last day of the term running on the day asked
	Months     int            // the length of each renewal
	// NoticeBy is the last day to give notice of non-renewal of that term
	// (it may lie before the day asked: then the term renews); zero when
	// the agreement records no notice period.
	NoticeBy licensing.Date
}

// IsZero reports whether there is no renewing term to speak of.
func (r Renewal) IsZero() bool { return r.TermEndsOn.IsZero() }

// Reaches reports whether a basis lasting until until (zero: open) rests on
// renewals: it runs past the end of the current term.
func (r Renewal) Reaches(until licensing.Date) bool {
	return !r.IsZero() && (until.IsZero() || until.After(r.TermEndsOn))
}

// For is r where a basis lasting until until rests on it, and no renewal
// where that basis ends within the running term anyway.
func (r Renewal) For(until licensing.Date) Renewal {
	if r.Reaches(until) {
		return r
	}
	return Renewal{}
}

// NearMiss is a grant that would have applied but for one condition.
type NearMiss struct {
	Agreement AgreementRef
	Grant     int64
	Licensor  Party
	Licensee  Party
	Failed    Condition
	// Renewal is the running term of the grant's agreement where it renews
	// itself and the grant fails on its limits, scope or date rather than
	// its licensee or signature: the grant lasts only while the agreement
	// keeps renewing. Zero otherwise.
	Renewal Renewal
	Reason  Text
}

// Miss is a grant to the company that fails on several conditions.
type Miss struct {
	Agreement AgreementRef
	Grant     int64
	Licensor  Party
	Licensee  Party
	Failures  []Failure
}

// Failure is one condition a grant does not meet, and why.
type Failure struct {
	Failed Condition
	Reason Text
}

// Party is a company named in an answer.
type Party struct {
	ID   int64
	Name string
}

// Answer is the engine's verdict on a question with all its reasons.
type Answer struct {
	Verdict    Verdict
	Pending    bool // the patent is a pending application: Bases say what would cover it once granted
	Company    Party
	Patent     string // normalized number
	PatentID   int64
	On         licensing.Date
	Territory  string
	Activity   licensing.Activity
	Field      string
	WhatIf     bool
	Bases      []Basis
	NearMisses []NearMiss
	// Misses are the grants to the company (or its group) that fail on two
	// or more conditions: not near misses, but what a reader asking "is
	// this covered by our licence?" needs to see fail, and why.
	Misses []Miss
	// ShutOut are the exclusive grants that keep the owner (or the
	// affiliate owner) from practising: why an owner is not covered.
	ShutOut []Basis
	Reasons []Text // the verdict in sentences, the first one plain
}
