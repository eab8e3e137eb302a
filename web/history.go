package web

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// historyShown is how many changes a record's page shows, newest first; the
// record's full history (/history/:entity/:id) pages through all of them.
// The demo's Nokia–HMD licence alone has some forty marked royalty reports.
const historyShown = 20

// appName is who the history says made a change nobody signed in for.
const appName = "PatentDesk"

// history reads the newest changes to one record for its page. When there
// are older ones, the last entry carries a link to the full history with
// the number of entries there.
func (s *Server) history(ctx context.Context, l *i18n.Locale, entity string, id int64) ([]templates.HistoryEntry, error) {
	f := historyFilter(entity, id)
	f.Limit = historyShown
	rows, next, err := s.db.AuditTrail(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]templates.HistoryEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, recordEntry(l, r))
	}
	if next != "" && len(out) > 0 {
		n, err := s.historyCount(ctx, entity, id)
		if err != nil {
			return nil, err
		}
		out[len(out)-1].More = &templates.HistoryMore{Count: n, Href: historyHref(entity, id)}
	}
	return out, nil
}

// historyFilter selects one record's rows of the audit trail.
func historyFilter(entity string, id int64) sqlite.AuditFilter {
	eid := strconv.FormatInt(id, 10)
	return sqlite.AuditFilter{Entity: &entity, EntityID: &eid}
}

// historyHref is the address of a record's full history.
func historyHref(entity string, id int64) string {
	return "/history/" + entity + "/" + strconv.FormatInt(id, 10)
}

// historyCount is how many rows a record's history has. The trail has no
// count of its own, so the rows are read a page at a time; a record has
// hundreds at most, and only a long history is counted at all.
func (s *Server) historyCount(ctx context.Context, entity string, id int64) (int, error) {
	n := 0
	err := s.db.EachAudit(ctx, historyFilter(entity, id), func(sqlite.AuditEntry) error {
		n++
		return nil
	})
	return n, err
}

// recordEntry is historyEntry as a record's own history shows it: what the
// application did by itself or from its command line is PatentDesk's doing,
// and the agreement a grant or obligation belongs to goes without saying
// on that agreement's history.
func recordEntry(l *i18n.Locale, r sqlite.AuditEntry) templates.HistoryEntry {
	omit := ""
	if r.Entity == "agreement" {
		omit = "agreement"
	}
	e := readEntry(l, r, omit)
	if r.UserID == 0 {
		if via, ok := appVia(r.Actor); ok {
			e.Actor, e.Via = appName, via
		}
	}
	return e
}

// appVia is the catalog key saying how PatentDesk acted for an actor
// without an account, and whether actor is one.
func appVia(actor string) (string, bool) {
	switch actor {
	case sqlite.SystemActor().Email:
		return "history.via.automatic", true
	case sqlite.CLIActor().Email:
		return "audit.via.cli", true
	}
	return "", false
}

// historyEntry turns an audit row into what a person reads: the action in
// their language, each changed field with its value before and after, and
// the facts that say what the change concerned.
func historyEntry(l *i18n.Locale, r sqlite.AuditEntry) templates.HistoryEntry {
	return readEntry(l, r, "")
}

// readEntry is historyEntry leaving out the field named omit.
func readEntry(l *i18n.Locale, r sqlite.AuditEntry, omit string) templates.HistoryEntry {
	e := templates.HistoryEntry{At: r.At, Actor: r.Actor, Via: "audit.via." + r.Via, Action: actionLabel(l, r.Action)}
	var details map[string]any
	if err := json.Unmarshal([]byte(r.Details), &details); err != nil {
		return e
	}
	v := valueReader{l: l, part: actionPart(r.Action)}
	before, hasBefore := details["before"].(map[string]any)
	after, hasAfter := details["after"].(map[string]any)
	// Details beside before and after (such as which obligation a marked
	// occurrence belongs to) are facts, as are fields a change left alone.
	facts := map[string]string{}
	for k, x := range details {
		if k != "before" && k != "after" {
			facts[k] = v.text(k, x)
		}
	}
	var changed []string
	for _, k := range fieldNames(before, after) {
		b, inBefore := before[k]
		a, inAfter := after[k]
		if inBefore && inAfter && fmt.Sprint(b) == fmt.Sprint(a) {
			facts[k] = v.text(k, a)
			continue
		}
		if hasBefore != hasAfter && isZeroNumber(b) && isZeroNumber(a) {
			continue // a creation or deletion need not list its zero counts
		}
		changed = append(changed, k)
	}
	for _, k := range factOrder(facts) {
		if k != omit && facts[k] != "" {
			e.Changes = append(e.Changes, templates.FieldChange{Field: fieldLabel(l, v.fieldKey(k)), After: facts[k], Fact: true})
		}
	}
	for _, k := range changed {
		if k == omit {
			continue
		}
		b, a := v.text(k, before[k]), v.text(k, after[k])
		if b == "" && a == "" {
			continue // a creation lists only the fields it filled
		}
		e.Changes = append(e.Changes, templates.FieldChange{Field: fieldLabel(l, v.fieldKey(k)), Before: b, After: a})
	}
	return e
}

// fieldNames are the fields recorded before or after a change, sorted.
func fieldNames(before, after map[string]any) []string {
	seen := map[string]bool{}
	for k := range before {
		seen[k] = true
	}
	for k := range after {
		seen[k] = true
	}
	names := make([]string, 0, len(seen))
	for k := range seen {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// leadingFacts come first, in this order: what a change concerned before
// the details of it.
var leadingFacts = []string{"agreement", "obligation", "due_on"}

// factOrder sorts facts' names: leadingFacts first, then alphabetically.
func factOrder(facts map[string]string) []string {
	var names []string
	for _, k := range leadingFacts {
		if _, ok := facts[k]; ok {
			names = append(names, k)
		}
	}
	var rest []string
	for k := range facts {
		if !slices.Contains(leadingFacts, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// isZeroNumber reports whether v is absent or the number 0.
func isZeroNumber(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case float64:
		return v == 0
	}
	return false
}

// actionPart is the kind of record an action changed: obligation for an
// occurrence of an obligation marked. An agreement's history holds its
// grants', assignments', obligations' and documents' rows, so a field such
// as status means what it means for that part.
func actionPart(action string) string {
	part, _, _ := strings.Cut(action, ".")
	return part
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
// A name with a dot is a catalog key of its own (see valueReader.fieldKey).
func fieldLabel(l *i18n.Locale, name string) string {
	if strings.Contains(name, ".") && l.Has(name) {
		return l.T(name)
	}
	if key := "field." + name; l.Has(key) {
		return l.T(key)
	}
	return name
}

// valueReader shows the values of one kind of record (an action's part) in
// the user's language.
type valueReader struct {
	l    *i18n.Locale
	part string
}

// fieldKey is the name fieldLabel looks up for a field of the part: an
// agreement's parent is the agreement it amends, not a parent company.
func (v valueReader) fieldKey(name string) string {
	if v.part == "agreement" && name == "parent" {
		return "agreement.parent"
	}
	return name
}

// enumPrefix is the catalog prefix naming the values of a field that holds
// one of the domain's enumerations, or "" for free text.
func (v valueReader) enumPrefix(field string) string {
	switch field {
	case "status":
		switch v.part {
		case "agreement":
			return "enum.agreement_status."
		case "obligation":
			return "enum.obligation_status."
		case "patent":
			return "patents.status."
		}
	case "kind":
		switch v.part {
		case "agreement":
			return "enum.agreement_kind."
		case "obligation":
			return "enum.obligation_kind."
		}
	case "exclusivity":
		return "enum.exclusivity."
	case "scope":
		return "enum.scope."
	case "recurrence":
		return "enum.recurrence."
	case "activities":
		return "enum.activity."
	case "role":
		if v.part == "user" {
			return "role."
		}
	case "signin_reason":
		return "audit.signin_reason."
	}
	return ""
}

// text shows a recorded value of field: enumerations, dates and yes or no
// in the user's language, lists (stored joined with "|") with commas.
func (v valueReader) text(field string, x any) string {
	switch x := x.(type) {
	case bool:
		if x {
			return v.l.T("form.yes")
		}
		return v.l.T("form.no")
	case float64:
		if field == "parent_grant" && x == 0 {
			return "" // not a sublicence
		}
	case string:
		return v.words(field, x)
	}
	return auditValue(x)
}

// words shows a recorded string of field.
func (v valueReader) words(field, s string) string {
	if field == "recurrence" && s == "" {
		s = "once" // recorded empty, as licensing.Once is
	}
	if s == "" {
		return ""
	}
	items := strings.Split(s, "|")
	for i, item := range items {
		items[i] = v.item(field, item)
	}
	return strings.Join(items, ", ")
}

// item shows one value of a field's list.
func (v valueReader) item(field, s string) string {
	if prefix := v.enumPrefix(field); prefix != "" && v.l.Has(prefix+s) {
		return v.l.T(prefix + s)
	}
	switch field {
	case "done_by":
		if via, ok := appVia(s); ok {
			return appName + " (" + v.l.T(via) + ")"
		}
	case "amount":
		// Recorded exactly, as 2500000.00; written as the locale writes money.
		if a, err := licensing.ParseAmount(s); err == nil {
			return amountText(v.l, a)
		}
	case "parties":
		// "Nokia Corporation (licensor)": the role in the user's language.
		if name, role, ok := cutSuffix(s, " (", ")"); ok && v.l.Has("enum.party_role."+role) {
			return name + " (" + v.l.T("enum.party_role."+role) + ")"
		}
	}
	if isoDate.MatchString(s) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return v.l.Date(t)
		}
	}
	if isoMoment.MatchString(s) {
		// A moment, such as the end of a sign-in lockout, recorded in UTC
		// as the trail's times are: 21.11.2026 09:15 in German.
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return v.l.DateTime(t, time.UTC)
		}
	}
	return s
}

// isoDate is a recorded date, as licensing.Date writes it.
var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// isoMoment is a recorded moment in UTC, as time.RFC3339 writes it.
var isoMoment = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)

// cutSuffix splits "name (role)" into name and role.
func cutSuffix(s, open, close string) (before, inside string, ok bool) {
	i := strings.LastIndex(s, open)
	if i < 0 || !strings.HasSuffix(s, close) || i+len(open) > len(s)-len(close) {
		return "", "", false
	}
	return s[:i], s[i+len(open) : len(s)-len(close)], true
}

// auditValue shows a recorded value as recorded; lists were stored joined
// with "|".
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
		// JSON numbers arrive as float64; %v would show a size of three
		// million bytes as 3e+06.
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
