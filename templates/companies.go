package templates

import (
	"strconv"
	"strings"
	"time"
)

// CompaniesView is the companies list as searched, one page of it.
type CompaniesView struct {
	Query        string // the search as typed
	Items        []CompanyListItem
	FirstHref    string // empty on the first page
	NextHref     string // empty on the last page
	FirstPage    bool
	AnyCompanies bool // false: nothing recorded yet, so the page explains how to start
	CanEdit      bool
	Export       []Param // the search, carried into the CSV download
}

// CompanyListItem is one company in the list.
type CompanyListItem struct {
	ID        int64
	Name      string
	ShortName string
	Country   string
	ParentID  int64
	Parent    string // the parent's legal name
	Patents   int    // owned today
}

// CompanyRef names a company and links to it.
type CompanyRef struct {
	ID   int64
	Name string
}

// Href is the company's page.
func (r CompanyRef) Href() string { return "/companies/" + strconv.FormatInt(r.ID, 10) }

// Href is the company's page.
func (it CompanyListItem) Href() string { return CompanyRef{ID: it.ID}.Href() }

// ParentHref is the parent's page.
func (it CompanyListItem) ParentHref() string { return CompanyRef{ID: it.ParentID}.Href() }

// ControlState says whether a parent link's control period contains today.
type ControlState string

// The states of a control period relative to today.
const (
	ControlCurrent ControlState = "current"
	ControlEnded   ControlState = "ended"
	ControlFuture  ControlState = "future" // not yet begun
)

// ControlLink is one parent link as seen from the company at its other end:
// a parent in the chain upwards, or a subsidiary.
type ControlLink struct {
	Company CompanyRef
	From    time.Time // zero: since always
	To      time.Time // zero: open-ended
	State   ControlState
}

// Subsidiary is a company under another, with the companies under it.
type Subsidiary struct {
	ControlLink
	Subsidiaries []Subsidiary
}

// CompanyPatent is one of a company's patents as its page lists them.
type CompanyPatent struct {
	ID      int64
	Number  string // normalized
	Title   string
	Office  string
	Expires time.Time
}

// Href is the patent's page.
func (pt CompanyPatent) Href() string { return "/patents/" + strconv.FormatInt(pt.ID, 10) }

// CompanyDeleteRefusal says why a company could not be deleted.
type CompanyDeleteRefusal struct {
	Subsidiaries int    // direct subsidiaries
	Patents      int    // patents owned today
	Detail       string // the store's own words, for references not counted above
}

// CompanyView is one company's page.
type CompanyView struct {
	ID           int64
	Name         string
	ShortName    string
	Country      string
	Aliases      []string
	Parents      []ControlLink // the parent first, then its parent, up to the top
	Subsidiaries []Subsidiary
	Affiliates   []CompanyRef // today, as DESIGN.md defines them
	PatentCount  int
	Patents      []CompanyPatent // the first few
	PatentsHref  string          // the patents list filtered to this owner
	History      []HistoryEntry
	CanEdit      bool
	Refusal      *CompanyDeleteRefusal // set when a delete was just refused
	Charts       *PortfolioCharts      // nil: the company's group owns no patent
}

// Href is the company's page.
func (v CompanyView) Href() string { return CompanyRef{ID: v.ID}.Href() }

// Subtitle is the short name and country under the legal name, those given.
func (v CompanyView) Subtitle() string {
	var parts []string
	for _, s := range []string{v.ShortName, v.Country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// CompanyFormView is the form for a new company or for changing one.
type CompanyFormView struct {
	ID          int64  // 0: a new company
	Stored      string // the stored legal name, when editing
	Action      string
	Cancel      string
	Name        string
	ShortName   string
	Country     string
	Parent      string // the parent's id, as the list's option values
	ControlFrom string
	ControlTo   string
	Aliases     string // one per line
	Parents     []CompanyRef
	Errors      FieldErrors
	Message     string // a refusal that concerns no single field
}

// Value is the company as a form's option value.
func (r CompanyRef) Value() string { return strconv.FormatInt(r.ID, 10) }
