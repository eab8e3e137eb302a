package licensing

import "time"

// AgreementKind is what kind of deal an agreement records.
type AgreementKind string

// The agreement kinds of DESIGN.md.
const (
	KindCrossLicense     AgreementKind = "cross_license"
	KindLicense          AgreementKind = "license"
	KindAssignment       AgreementKind = "assignment"
	KindCovenantNotToSue AgreementKind = "covenant_not_to_sue"
	KindSettlement       AgreementKind = "settlement"
	KindCollaboration    AgreementKind = "collaboration"
	KindOption           AgreementKind = "option"
)

// AgreementKinds lists the kinds in the order choice lists show them.
var AgreementKinds = []AgreementKind{KindCrossLicense, KindLicense, KindAssignment, KindCovenantNotToSue,
	KindSettlement, KindCollaboration, KindOption}

// AgreementStatus is where an agreement stands in its lifecycle.
type AgreementStatus string

// The lifecycle of DESIGN.md: draft → negotiation → active → expired or
// terminated. Only active, expired and terminated agreements were signed.
const (
	AgreementDraft       AgreementStatus = "draft"
	AgreementNegotiation AgreementStatus = "negotiation"
	AgreementActive      AgreementStatus = "active"
	AgreementExpired     AgreementStatus = "expired"
	AgreementTerminated  AgreementStatus = "terminated"
)

// AgreementStatuses lists the statuses in lifecycle order.
var AgreementStatuses = []AgreementStatus{AgreementDraft, AgreementNegotiation, AgreementActive,
	AgreementExpired, AgreementTerminated}

// PartyRole is the part a company plays in an agreement.
type PartyRole string

// The party roles. A cross-licence or settlement names each side a "party";
// the grants inside say who licenses whom.
const (
	RoleParty        PartyRole = "party"
	RoleLicensor     PartyRole = "licensor"
	RoleLicensee     PartyRole = "licensee"
	RoleAssignor     PartyRole = "assignor"
	RoleAssignee     PartyRole = "assignee"
	RoleCollaborator PartyRole = "collaborator"
	RoleGuarantor    PartyRole = "guarantor"
)

// PartyRoles lists the roles in the order choice lists show them.
var PartyRoles = []PartyRole{RoleParty, RoleLicensor, RoleLicensee, RoleAssignor, RoleAssignee, RoleCollaborator, RoleGuarantor}

// Party is a company that signed an agreement, in one role.
type Party struct {
	CompanyID int64
	Company   string // legal name, filled when read
	Role      PartyRole
}

// Agreement is a signed or planned deal between companies: the record
// legal staff trust as the truth about it.
type Agreement struct {
	ID            int64
	Reference     string // unique, e.g. NOK-XIA-2017
	Title         string
	Kind          AgreementKind
	Status        AgreementStatus
	SignedOn      Date
	EffectiveOn   Date
	ExpiresOn     Date // zero: until the last licensed patent expires
	TerminatedOn  Date // set when, and only when, the status is terminated
	RenewalMonths int  // automatic renewal term; 0: no automatic renewal
	NoticeDays    int  // notice of non-renewal or termination, in days before expiry
	GoverningLaw  string
	Summary       string
	ParentID      int64  // the agreement this one amends; 0: none
	Parent        string // the parent's reference, filled when read
	Parties       []Party
	Grants        []Grant
	Assignments   []Assignment
	Obligations   []Obligation
}

// Activity is a way of practising a patent.
type Activity string

// The activities of DESIGN.md; a grant listing none grants them all.
const (
	ActivityMake        Activity = "make"
	ActivityUse         Activity = "use"
	ActivitySell        Activity = "sell"
	ActivityOfferToSell Activity = "offer_to_sell"
	ActivityImport      Activity = "import"
	ActivityHaveMade    Activity = "have_made"
)

// Activities lists every activity in the order a licence names them.
var Activities = []Activity{ActivityMake, ActivityUse, ActivitySell, ActivityOfferToSell, ActivityImport, ActivityHaveMade}

// Exclusivity says whom else a grant leaves free to practise.
type Exclusivity string

// Non-exclusive grants leave everyone free; a sole grant excludes other
// licensees but not the owner; an exclusive grant excludes the owner too.
const (
	NonExclusive Exclusivity = "non_exclusive"
	Sole         Exclusivity = "sole"
	Exclusive    Exclusivity = "exclusive"
)

// Exclusivities lists the choices from least to most exclusive.
var Exclusivities = []Exclusivity{NonExclusive, Sole, Exclusive}

// ScopeKind says how a grant names the patents it covers.
type ScopeKind string

// The scope kinds of DESIGN.md.
const (
	ScopePatents   ScopeKind = "patents"
	ScopeFamilies  ScopeKind = "families"
	ScopePortfolio ScopeKind = "portfolio"
)

// ScopeKinds lists the scope kinds.
var ScopeKinds = []ScopeKind{ScopePatents, ScopeFamilies, ScopePortfolio}

// PatentRef names a patent in a grant or assignment: by id once resolved,
// by number as the user wrote it until then.
type PatentRef struct {
	ID     int64
	Number string // normalized once resolved
}

// GrantScope is the set of patents a grant covers.
type GrantScope struct {
	Kind     ScopeKind
	Patents  []PatentRef // ScopePatents
	Families []string    // ScopeFamilies: family keys
	// ScopePortfolio: every patent the licensor (or its affiliates, if the
	// grant says so) owned at any time within the capture window, both ends
	// inclusive, a zero end open; optionally narrowed by labels and offices.
	CaptureFrom Date
	CaptureTo   Date
	Tags        []string
	Standards   []string
	Offices     []string
}

// Grant is one licence or covenant inside an agreement, from one licensor to
// one licensee.
type Grant struct {
	ID                 int64
	AgreementID        int64
	LicensorID         int64
	Licensor           string // legal name, filled when read
	LicenseeID         int64
	Licensee           string // legal name, filled when read
	LicenseeAffiliates bool   // the licensee's affiliates on the date asked are licensed too
	LicensorAffiliates bool   // a portfolio scope takes in the licensor's affiliates' patents
	Scope              GrantScope
	Activities         []Activity // empty: all
	Territories        []string   // country codes, WORLD, EU or EPC; empty: worldwide
	Fields             []string   // fields of use; empty: all
	Exclusivity        Exclusivity
	Sublicensable      bool
	ParentGrantID      int64 // the grant this one sublicenses; 0: none
	StartsOn           Date  // zero: the agreement's effective date
	EndsOn             Date  // zero: the agreement's end
	RoyaltyBearing     bool
	PastRelease        bool // releases past infringement before the grant's start
}

// Assignment transfers title to patents from assignor to assignee.
type Assignment struct {
	ID          int64
	AgreementID int64
	AssignorID  int64
	Assignor    string // legal name, filled when read
	AssigneeID  int64
	Assignee    string // legal name, filled when read
	EffectiveOn Date   // execution date: the assignee owns from this day
	RecordedOn  Date   // recorded at the patent office; zero: not recorded
	OfficeRef   string // e.g. USPTO reel/frame 043210/0001
	Patents     []PatentRef
}

// ObligationKind is what an obligation asks for.
type ObligationKind string

// The obligation kinds of DESIGN.md.
const (
	ObligationPayment   ObligationKind = "payment"
	ObligationReport    ObligationKind = "report"
	ObligationNotice    ObligationKind = "notice"
	ObligationMilestone ObligationKind = "milestone"
	ObligationOther     ObligationKind = "other"
)

// ObligationKinds lists the kinds for choice lists.
var ObligationKinds = []ObligationKind{ObligationPayment, ObligationReport, ObligationNotice, ObligationMilestone, ObligationOther}

// Recurrence is how often an obligation falls due again.
type Recurrence string

// The recurrences; an empty one falls due once.
const (
	Once      Recurrence = ""
	Monthly   Recurrence = "monthly"
	Quarterly Recurrence = "quarterly"
	Yearly    Recurrence = "yearly"
)

// Recurrences lists the recurrences for choice lists.
var Recurrences = []Recurrence{Once, Monthly, Quarterly, Yearly}

// ObligationStatus is whether an obligation, or one occurrence of it, is
// still to be met.
type ObligationStatus string

// The obligation statuses.
const (
	ObligationOpen   ObligationStatus = "open"
	ObligationDone   ObligationStatus = "done"
	ObligationWaived ObligationStatus = "waived"
)

// ObligationStatuses lists the statuses.
var ObligationStatuses = []ObligationStatus{ObligationOpen, ObligationDone, ObligationWaived}

// Obligation is something a party owes under an agreement: a payment, a
// report, a notice or a milestone, once or recurring.
type Obligation struct {
	ID          int64
	AgreementID int64
	Kind        ObligationKind
	Title       string
	DueOn       Date       // the first (or only) due date
	Recurrence  Recurrence // Once: a single occurrence
	Until       Date       // last possible due date of a recurrence; zero: the agreement's end
	Amount      Amount     // zero: no amount
	Currency    string     // ISO 4217, required with an amount
	PayerID     int64      // 0: not stated
	Payer       string
	PayeeID     int64
	Payee       string
	Status      ObligationStatus // waived waives every occurrence
	Occurrences []Occurrence     // the occurrences marked done or waived, by due date
}

// Occurrence is one due date of an obligation and what became of it.
type Occurrence struct {
	DueOn      Date
	Status     ObligationStatus
	DoneOn     Date   // when it was met or waived
	DoneBy     string // who recorded it
	DoneByUser int64
}

// Document is a file attached to an agreement: the signed copy or an annex.
type Document struct {
	ID          int64
	AgreementID int64
	Name        string // file name as uploaded
	ContentType string // sniffed from the content
	Size        int64
	SHA256      string // hex
	UploadedAt  time.Time
	UploadedBy  string
}
