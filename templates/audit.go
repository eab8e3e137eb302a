package templates

import "time"

// AuditView is the administrators' audit trail: the filters as typed, one
// page of rows, and the links around it.
type AuditView struct {
	User      string // an account's id, or "cli" / "system"
	Entity    string
	EntityID  string
	From      string // YYYY-MM-DD
	To        string // YYYY-MM-DD
	Users     []AuditChoice
	Actors    []AuditChoice // who changes data without an account
	Entities  []AuditChoice
	Errors    FieldErrors
	Filtered  bool
	ResetHref string
	Rows      []AuditRow
	FirstHref string
	NextHref  string
	Export    []Param
}

// AuditChoice is one option of a filter's select.
type AuditChoice struct {
	Value string
	Label string // already translated
}

// AuditRow is one audited change or security event.
type AuditRow struct {
	ID       int64
	At       time.Time
	Actor    string // email, or the translated name of the command line or the system
	Via      string // catalog key: audit.via.web, …
	Address  string
	Action   string // already translated
	Entity   string // already translated where the catalog names it
	EntityID string
	Href     string // the record's page, for companies and patents
	Changes  []FieldChange
}

// AdminTab is one page of the administration area, for its tab bar.
type AdminTab struct {
	Href  string
	Label string // catalog key
}

// AdminTabs are the administration pages, in order.
var AdminTabs = []AdminTab{
	{"/admin", "admin.title"},
	{"/admin/audit", "audit.page.title"},
}
