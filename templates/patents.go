package templates

import "time"

// PatentListView is the patents list: the filter form as the user filled
// it, one page of rows, and the links that keep the filters.
type PatentListView struct {
	Filter       PatentFilterForm
	FilterErrors FieldErrors // already translated, by filter name
	Notes        []string    // already translated, e.g. which affiliates were included
	Companies    []string    // legal names, suggested for the owner filter
	Offices      []string
	Tags         []string
	Standards    []string
	Statuses     []PatentChoice
	Columns      []PatentSortColumn
	Rows         []PatentRow
	FirstHref    string
	NextHref     string
	ResetHref    string
	ExportParams []Param
	Filtered     bool // some filter is set: an empty list means "no match", not "nothing recorded"
	CanEdit      bool
}

// PatentFilterForm is the list's filters as the URL carries them.
type PatentFilterForm struct {
	Query         string
	Owner         string // a company's legal name (or, as typed, an alias)
	Affiliates    bool
	OwnerOn       string // the date the owner filter (and the owner column) refers to; empty: today
	Grant         string // a grant's id: the patents in its scope
	Agreement     string // an agreement's id: the patents its assignments transfer
	Office        string
	Status        string
	Tag           string
	Standard      string
	SEP           string // "", "yes" or "no"
	InForceOn     string
	ExpiresBefore string
	Sort          string
	Desc          bool
	Limit         int // rows per page; 0: the default
}

// PatentChoice is one option of a select: its value and its already translated label.
type PatentChoice struct {
	Value string
	Label string
}

// PatentSortColumn is one sortable column header: a link that sorts by it, or
// reverses the order when it is already the sort column.
type PatentSortColumn struct {
	Key      string // the sort parameter, e.g. "expiry"
	Label    string // already translated
	Href     string // "" for a column that cannot be sorted
	AriaSort string // "ascending", "descending" or "" when not sorted by it
	Class    string // extra class of the cell, e.g. "date"
}

// PatentRow is one patent as lists show it.
type PatentRow struct {
	ID               int64
	Number           string // spaced for reading, e.g. EP 1234567 B1
	Title            string
	OwnerID          int64
	Owner            string
	Office           string
	Status           string // already translated
	StatusOn         time.Time
	InForce          bool // today
	FiledOn          time.Time
	Expiry           time.Time
	ExpiryOverridden bool
}

// PatentDetailView is one patent's page.
type PatentDetailView struct {
	Row               PatentRow
	Number            string // as entered
	Normalized        string
	Kind              string
	ApplicationNumber string
	Family            string
	FamilyHref        string
	PriorityOn        time.Time
	PublishedOn       time.Time
	GrantedOn         time.Time
	ComputedExpiry    time.Time
	InForceReason     string // already translated
	Tags              []string
	Standards         []string
	SEP               bool
	SEPReference      string
	CPC               []string
	IsEP              bool
	DesignatedStates  []string
	OriginalOwnerID   int64
	OriginalOwner     string
	FamilyMembers     []PatentRow // the family without this patent
	Title             PatentTitleView
	Rights            PatentRightsView
	History           []HistoryEntry
	CanEdit           bool
}

// PatentFamilyView is the page of one patent family.
type PatentFamilyView struct {
	Family  string
	Members []PatentRow
}

// PatentForm is the patent form's fields exactly as the user typed them,
// so that an invalid form comes back with the input kept.
type PatentForm struct {
	Number            string
	Title             string
	Office            string
	Kind              string
	ApplicationNumber string
	Family            string
	PriorityOn        string
	FiledOn           string
	PublishedOn       string
	GrantedOn         string
	ExpiresOn         string // empty: computed from the filing date
	Status            string
	StatusOn          string
	Owner             string // the original owner's name
	Tags              string // comma or newline separated
	Standards         string
	CPC               string
	DesignatedStates  string
	SEP               bool
	SEPReference      string
}

// PatentFormView is the new and the edit form.
type PatentFormView struct {
	ID        int64 // 0 for a new patent
	Heading   string
	Action    string
	CancelURL string
	Form      PatentForm
	Errors    FieldErrors // already translated, by field name
	Message   string      // an error of the whole form, already translated
	Companies []string
	Statuses  []PatentChoice
}

// PatentDeleteView asks before a patent is deleted.
type PatentDeleteView struct {
	Row     PatentRow
	Errors  FieldErrors
	Refusal string // why the store refused, already translated
}
