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
	Actor   string // email, or "PatentDesk" for what nobody signed in for
	Via     string // catalog key: audit.via.web, history.via.automatic, …
	Action  string // already translated, e.g. "Updated"
	Changes []FieldChange
	// More is set on the last entry a record's page shows when older ones
	// exist: the pages' views carry the entries alone, so the link to the
	// full history travels with them.
	More *HistoryMore
}

// HistoryMore links a shortened history to the whole of it.
type HistoryMore struct {
	Count int // entries in the whole history
	Href  string
}

// FieldChange is one field's value before and after a change; Before is
// empty for a creation, After for a deletion. A fact is a value the change
// concerned but left alone (which obligation, which due date), in After.
type FieldChange struct {
	Field  string // already translated
	Before string
	After  string
	Fact   bool
}
