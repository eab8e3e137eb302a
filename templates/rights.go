package templates

import (
	"fmt"
	"time"
)

// RightsForm is the rights question as the user typed it, kept as typed so
// that an invalid question is shown again for correction. Its fields are
// web.RightsRequest's, in the same order: the page converts one to the other.
type RightsForm struct {
	Company   string
	Patent    string
	Activity  string
	Territory string
	Field     string
	On        string
	WhatIf    bool
}

// RightsCheckView is the rights page: the question and, once asked, the
// engine's answer.
type RightsCheckView struct {
	Form       RightsForm
	Errors     FieldErrors
	Problem    string // a refusal not tied to one field, translated
	Companies  []string
	Fields     []string // fields of use the grants name, for suggestions
	Countries  []PatentChoice
	Activities []PatentChoice
	Answer     *RightsAnswerView
}

// RightsAnswerView is the engine's answer as the page shows it: the verdict
// in one plain sentence first, then why.
type RightsAnswerView struct {
	Verdict   string // covered, not_covered or not_required, as the engine says
	Label     string // the verdict in a word or two, translated
	Tone      string // ok, bad, hypothetical or neutral: how the verdict is marked
	Headline  string // the plain sentence, translated
	Pending   bool
	WhatIf    bool
	Company   CompanyRef
	Patent    PatentRef
	Territory string // the country asked about, named in the reader's language
	Activity  string // translated; empty: any activity
	Field     string // empty: any field
	On        time.Time
	// NoneNeeded says why no one needs a licence, where that is the
	// verdict of a patent not pending; translated.
	NoneNeeded string
	Bases      []RightsBasisView
	ShutOut    []RightsBasisView
	NearMisses []RightsNearMissView
	// Misses are the grants to the company or its group that fail on
	// several conditions: each failure is a near miss of the same grant.
	Misses  [][]RightsNearMissView
	Reasons []string // the engine's sentences, translated
}

// RightsBasisView is one reason a company may practise a patent: ownership,
// ownership by an affiliate, or a grant.
type RightsBasisView struct {
	Kind         string // owner, affiliate_owner or license
	KindLabel    string
	Agreement    TitleAgreement // a licence only
	GrantID      int64          // a licence only
	Licensor     CompanyRef
	Licensee     CompanyRef
	Affiliates   bool // the grant reaches the licensee's affiliates
	Holder       CompanyRef
	Through      CompanyRef // the affiliate owner or licensee the company is covered through
	Until        time.Time  // zero: no end recorded
	Renewal      string     // where Until rests on an agreement renewing itself: its running term and notice deadline, in words
	Territories  string     // a licence: where, in words; empty for an owner
	Fields       []string   // the grant's fields where the question named none
	Activities   []string   // the grant's activities where the question named none, translated
	Hypothetical bool
	Reason       string // translated
}

// GrantHref is the grant on its agreement's page.
func (b RightsBasisView) GrantHref() string { return grantHref(b.Agreement, b.GrantID) }

// RightsNearMissView is a grant that would have applied but for one
// condition.
type RightsNearMissView struct {
	Agreement   TitleAgreement
	GrantID     int64
	Licensor    CompanyRef
	Licensee    CompanyRef
	Failed      string // territory, field, activity, date, licensee, scope or status
	FailedLabel string
	Reason      string
}

// GrantHref is the grant on its agreement's page.
func (n RightsNearMissView) GrantHref() string { return grantHref(n.Agreement, n.GrantID) }

// grantHref links a grant's anchor on its agreement's page.
func grantHref(a TitleAgreement, grant int64) string {
	return fmt.Sprintf("%s#grant-%d", a.Href(), grant)
}

// PatentRightsView is the patent page's section on who may practise the
// patent today, and the conflicts touching it.
type PatentRightsView struct {
	AskHref  string // the rights page, asking about this patent
	InForce  bool
	Reason   string           // why no one needs a licence, when it is not in force; translated
	Owner    *RightsBasisView // nil when an exclusive grant shuts the owner out, or when not in force
	ShutOut  []RightsBasisView
	Licences []RightsBasisView
	// Conflicts touch this patent: overlapping exclusive grants, a licensor
	// without title, sublicences beyond their parent, stale statuses.
	Conflicts []RightsConflictView
}

// RightsConflictView is one conflict in the record, in words, with the
// agreements it concerns.
type RightsConflictView struct {
	Kind       string
	KindLabel  string
	Message    string
	Agreements []TitleAgreement
}
