package templates

import "time"

// Param is one name=value pair of a list's current query, carried into
// export forms so that an export honours the list's filters and sort.
type Param struct {
	Name  string
	Value string
}

// HistoryEntry is one change to a record as its history shows it.
type HistoryEntry struct {
	At      time.Time
	Actor   string // email, or "command line" / "system"
	Via     string // catalog key: audit.via.web, …
	Action  string // already translated, e.g. "Updated"
	Changes []FieldChange
}

// FieldChange is one field's value before and after a change; Before is
// empty for a creation, After for a deletion.
type FieldChange struct {
	Field  string // already translated
	Before string
	After  string
}
