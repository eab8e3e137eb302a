package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// historyLimit is how many changes an entity page shows; the admin audit
// page, filtered to the entity, shows all of them.
const historyLimit = 50

// history reads the changes to one record, newest first, for its page.
func (s *Server) history(ctx context.Context, l *i18n.Locale, entity string, id int64) ([]templates.HistoryEntry, error) {
	eid := fmt.Sprint(id)
	rows, _, err := s.db.AuditTrail(ctx, sqlite.AuditFilter{Entity: &entity, EntityID: &eid, Limit: historyLimit})
	if err != nil {
		return nil, err
	}
	out := make([]templates.HistoryEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, historyEntry(l, r))
	}
	return out, nil
}

// historyEntry turns an audit row into what a person reads: the action in
// their language, and each changed field with its value before and after.
func historyEntry(l *i18n.Locale, r sqlite.AuditEntry) templates.HistoryEntry {
	e := templates.HistoryEntry{At: r.At, Actor: r.Actor, Via: "audit.via." + r.Via, Action: actionLabel(l, r.Action)}
	var details map[string]any
	if err := json.Unmarshal([]byte(r.Details), &details); err != nil {
		return e
	}
	before, _ := details["before"].(map[string]any)
	after, _ := details["after"].(map[string]any)
	fields := map[string]bool{}
	for k := range before {
		fields[k] = true
	}
	for k := range after {
		fields[k] = true
	}
	// Other details (e.g. "sessions_ended") are shown as values after.
	for k, v := range details {
		if k != "before" && k != "after" {
			if after == nil {
				after = map[string]any{}
			}
			after[k] = v
			fields[k] = true
		}
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		b, a := auditValue(before[k]), auditValue(after[k])
		if b == "" && a == "" {
			continue // a creation lists only the fields it filled
		}
		e.Changes = append(e.Changes, templates.FieldChange{Field: fieldLabel(l, k), Before: b, After: a})
	}
	return e
}

// actionLabel names an audit action: "company.update" reads "Company
// updated". Actions without a text of their own show as recorded.
func actionLabel(l *i18n.Locale, action string) string {
	if key := "audit.action." + action; l.Has(key) {
		return l.T(key)
	}
	return action
}

// fieldLabel names a recorded field as forms name it, else as recorded.
func fieldLabel(l *i18n.Locale, name string) string {
	if key := "field." + name; l.Has(key) {
		return l.T(key)
	}
	return name
}

// auditValue shows a recorded value; lists were stored joined with "|".
func auditValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.ReplaceAll(v, "|", ", ")
	case bool:
		if v {
			return "✓"
		}
		return "–"
	case float64:
		return fmt.Sprint(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
