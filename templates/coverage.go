package templates

import "time"

// CoverageHref is what the company may practise.
func (r CompanyRef) CoverageHref() string { return r.Href() + "/coverage" }

// OutLicensingHref is who may practise the company's patents.
func (r CompanyRef) OutLicensingHref() string { return r.Href() + "/out-licensing" }

// CoverageView is what one company may practise on a day: the ways it may
// (ownership, an affiliate's ownership, each licence) with how many patents
// each reaches, and one page of the patents, a row per patent and basis.
type CoverageView struct {
	Company      CompanyRef
	Filter       CoverageFilterForm
	FilterErrors FieldErrors
	Notes        []string // already translated, e.g. which group a licensor filter takes in
	On           time.Time
	Routes       []CoverageRoute
	Total        int // distinct patents over all routes: a patent reached twice counts once
	ShutOut      int // own patents in force that exclusive grants to others keep the company from
	Rows         []CoverageRow
	FirstHref    string
	NextHref     string
	ExportParams []Param
	Companies    []string // legal names, suggested for the licensor and owner filters
	FieldsOfUse  []string // suggested for the field filter
	Activities   []PatentChoice
	Kinds        []PatentChoice
	Filtered     bool
}

// CoverageFilterForm is the coverage page's filters as the URL carries them.
type CoverageFilterForm struct {
	On        string
	Licensor  string // a company: licences from it or its group
	Owner     string // a company: only the patents it owns on the day (a cell of the rights matrix)
	Field     string
	Territory string
	Activity  string
	Kind      string // owner, affiliate_owner or license
	WhatIf    bool
}

// CoverageBasis is one way a company may practise patents, as a row of the
// coverage names it.
type CoverageBasis struct {
	Kind         string // translated
	KindValue    string // owner, affiliate_owner or license
	Agreement    TitleAgreement
	GrantID      int64
	Licensor     CompanyRef
	Through      CompanyRef // the licensee or owner the company is covered through; zero: itself
	Fields       string     // the grant's fields of use, joined; empty: every field
	Territories  string     // in words; empty: worldwide
	Activities   string     // joined; empty: every activity
	Hypothetical bool       // from a draft or an agreement under negotiation (what-if)
}

// GrantHref links to the grant on its agreement's page.
func (b CoverageBasis) GrantHref() string { return grantHref(b.Agreement, b.GrantID) }

// CoverageRoute is one route in the coverage summary.
type CoverageRoute struct {
	CoverageBasis
	Reason string    // the engine's sentence, translated
	Until  time.Time // the end of the grant; zero: the patents' own expiry
	// Renewal is the running term and notice deadline of the grant's
	// agreement, in words, where it renews itself.
	Renewal string
	Count   int // patents in force that it reaches
}

// CoverageRow is one patent a company may practise, with one basis.
type CoverageRow struct {
	CoverageBasis
	Patent PatentRef
	Title  string
	Office string
	Until  time.Time // the earlier of the patent's expiry and the basis's end; zero: open
	// Renewal is the running term and notice deadline of the grant's
	// agreement, in words, where Until lies beyond it.
	Renewal string
}

// OutLicensingView is who may practise a company's patents: the grants of
// the company and its group to others, one page of them.
type OutLicensingView struct {
	Company      CompanyRef
	Filter       OutLicensingFilterForm
	FilterErrors FieldErrors
	On           time.Time
	Rows         []OutLicensingRow
	Total        int // grants that match the filters
	FirstHref    string
	NextHref     string
	ExportParams []Param
	Companies    []string
	FieldsOfUse  []string
	Filtered     bool
}

// OutLicensingFilterForm is the out-licensing page's filters.
type OutLicensingFilterForm struct {
	On       string
	All      bool // grants in force or not
	Licensee string
	Field    string
}

// OutLicensingRow is one grant of the company or its group to another.
type OutLicensingRow struct {
	Agreement          TitleAgreement
	Status             string // the agreement's status, translated
	StatusValue        string
	GrantID            int64
	Licensor           CompanyRef
	Licensee           CompanyRef
	LicenseeAffiliates bool
	ParentGrant        int64 // a sublicence: the grant it sublicenses
	Scope              Words // in plain words, already translated
	Territories        string
	Fields             string
	Exclusivity        string
	Ends               time.Time // zero: open, or until the last patent expires
	InForce            bool      // on the day asked
	Patents            int       // patents of its scope in force on the day
	PatentsHref        string
}

// GrantHref links to the grant on its agreement's page.
func (r OutLicensingRow) GrantHref() string { return grantHref(r.Agreement, r.GrantID) }

// MatrixView is the rights matrix: companies by companies on a day.
type MatrixView struct {
	On        string // as typed
	Day       time.Time
	Errors    FieldErrors
	Companies []MatrixCompany
	Rows      []MatrixRow
}

// MatrixCompany is a row or column head of the matrix.
type MatrixCompany struct {
	CompanyRef
	Short      string // the short name where recorded, else the legal name
	Subsidiary bool   // under another company of the matrix on the day
}

// MatrixRow is one owner's patents: how many it owns in force, and how
// many of them each column company may practise.
type MatrixRow struct {
	Owner MatrixCompany
	Owned int
	Cells []MatrixCell
}

// MatrixCell is one count of the matrix with the coverage behind it.
type MatrixCell struct {
	Count    int
	Href     string
	Diagonal bool
}

// ConflictListView is every conflict in the record, grouped by kind.
type ConflictListView struct {
	Filter       ConflictFilterForm
	FilterErrors FieldErrors
	Notes        []string
	Kinds        []PatentChoice
	Counts       []ConflictKindCount
	Groups       []ConflictGroup
	ExportParams []Param
	Companies    []string
	Filtered     bool
	Total        int
}

// ConflictFilterForm is the conflicts page's filters.
type ConflictFilterForm struct {
	Kind       string
	Agreement  string // a reference or an id
	Company    string
	Affiliates bool
}

// ConflictKindCount is the number of conflicts of one kind, linking to them.
type ConflictKindCount struct {
	Kind  string // the value, e.g. exclusive_overlap
	Label string
	Count int
	Href  string
}

// ConflictGroup is the conflicts of one kind.
type ConflictGroup struct {
	Kind      string
	Label     string
	About     string
	Count     int
	Items     []ConflictItem
	Truncated int // conflicts of the kind not shown (see the export)
}

// ConflictItem is one conflict with the records it concerns.
type ConflictItem struct {
	Message    string
	Agreements []TitleAgreement
	Grants     []ConflictGrant
	Patents    []PatentRef
	More       int // patents beyond those listed
}

// ConflictGrant links to a grant on its agreement's page.
type ConflictGrant struct {
	ID        int64
	Agreement int64
}

// Href is the grant on its agreement's page.
func (g ConflictGrant) Href() string { return grantHref(TitleAgreement{ID: g.Agreement}, g.ID) }

// CompanyRightsView is the rights box of a company page: links to its
// coverage and out-licensing, with counts once loaded.
type CompanyRightsView struct {
	Company  CompanyRef
	Loaded   bool
	Patents  int // distinct patents it may practise today
	Licences int // licences that give it rights today
	Grants   int // grants of it or its group to others in force today
}
