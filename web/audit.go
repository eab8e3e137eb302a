package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// auditRoutes registers the administrators' view of the audit trail.
func (s *Server) auditRoutes(e *echo.Echo, admin echo.MiddlewareFunc) {
	e.GET("/admin/audit", s.auditList, admin)
	e.GET("/admin/audit.csv", s.auditExport, admin)
}

// auditPerPage is one screen of the audit trail.
const auditPerPage = 50

// auditEntities are the kinds of record the trail can be narrowed to, in
// the order the filter offers them, with their names in the catalog.
var auditEntities = []struct{ value, label string }{
	{"company", "audit.page.entity.company"},
	{"patent", "audit.page.entity.patent"},
	{"agreement", "audit.page.entity.agreement"}, // with its grants, assignments, obligations and documents
	{"user", "audit.page.entity.user"},
	{"session", "audit.page.entity.session"},
	{"import", "audit.page.entity.import"},
	{"settings", "audit.page.entity.settings"},
}

// auditActors are those who change data without an account: the filter
// offers them beside the users, by the name their rows are recorded under.
var auditActors = []struct{ value, recorded, label string }{
	{"cli", sqlite.CLIActor().Email, "audit.page.actor.cli"},
	{"system", sqlite.SystemActor().Email, "audit.page.actor.system"},
}

// auditActorNamed is the name recorded for a non-user actor of the filter.
func auditActorNamed(value string) (recorded string, ok bool) {
	for _, a := range auditActors {
		if a.value == value {
			return a.recorded, true
		}
	}
	return "", false
}

// auditEntityLabel is the catalog key naming an entity, or "" for an
// entity the filter does not offer.
func auditEntityLabel(entity string) string {
	for _, e := range auditEntities {
		if e.value == entity {
			return e.label
		}
	}
	return ""
}

// auditQuery is the trail's filters as the URL carries them.
type auditQuery struct {
	User     string // an account's id, or "cli" / "system"
	Entity   string
	EntityID string
	From     string // YYYY-MM-DD, a UTC calendar day
	To       string // YYYY-MM-DD, inclusive
}

func readAuditQuery(c echo.Context) auditQuery {
	v := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return auditQuery{User: v("user"), Entity: v("entity"), EntityID: v("entity_id"), From: v("from"), To: v("to")}
}

// params are the query's filters that are set, in a fixed order, for the
// page links and the export form.
func (q auditQuery) params() []templates.Param {
	var out []templates.Param
	for _, p := range []templates.Param{{Name: "user", Value: q.User}, {Name: "entity", Value: q.Entity},
		{Name: "entity_id", Value: q.EntityID}, {Name: "from", Value: q.From}, {Name: "to", Value: q.To}} {
		if p.Value != "" {
			out = append(out, p)
		}
	}
	return out
}

// href is the page's address for these filters, continuing after a cursor.
func (q auditQuery) href(after string) string {
	v := url.Values{}
	for _, p := range q.params() {
		v.Set(p.Name, p.Value)
	}
	if after != "" {
		v.Set("after", after)
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}

// filter turns the query into a store filter. A filter that cannot be
// applied is reported by field rather than ignored, since a trail quietly
// showing more than was asked for would mislead.
func (q auditQuery) filter(l *i18n.Locale, users []*auth.User) (sqlite.AuditFilter, templates.FieldErrors) {
	var f sqlite.AuditFilter
	errs := templates.FieldErrors{}
	if q.User != "" {
		if recorded, ok := auditActorNamed(q.User); ok {
			f.Actor = &recorded
		} else if id, err := strconv.ParseInt(q.User, 10, 64); err == nil && slices.ContainsFunc(users, func(u *auth.User) bool { return u.ID == id }) {
			f.UserID = &id
		} else {
			errs["user"] = l.T("audit.page.error.user")
		}
	}
	if q.Entity != "" {
		if auditEntityLabel(q.Entity) != "" {
			f.Entity = &q.Entity
		} else {
			errs["entity"] = l.T("audit.page.error.entity")
		}
	}
	if q.EntityID != "" {
		if q.Entity == "" {
			errs["entity_id"] = l.T("audit.page.error.entity_id")
		} else {
			f.EntityID = &q.EntityID
		}
	}
	from, fromOK := auditDay(q.From, "from", l, errs)
	to, toOK := auditDay(q.To, "to", l, errs)
	if fromOK {
		f.From = &from
	}
	if toOK {
		// The range is inclusive: up to the start of the day after.
		before := to.AddDate(0, 0, 1)
		f.Before = &before
	}
	if fromOK && toOK && to.Before(from) {
		errs["to"] = l.T("audit.page.error.range")
	}
	return f, errs
}

// auditDay reads a date filter as the start of that UTC calendar day; ok is
// false when it is empty or, with its error noted, not a date.
func auditDay(value, field string, l *i18n.Locale, errs templates.FieldErrors) (day time.Time, ok bool) {
	if value == "" {
		return time.Time{}, false
	}
	day, err := time.Parse(time.DateOnly, value)
	if err != nil {
		errs[field] = l.T("audit.page.error.date")
		return time.Time{}, false
	}
	return day, true
}

func (s *Server) auditList(c echo.Context) error {
	ctx := c.Request().Context()
	l := state(c).locale
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	q := readAuditQuery(c)
	f, errs := q.filter(l, users)
	v := templates.AuditView{User: q.User, Entity: q.Entity, EntityID: q.EntityID, From: q.From, To: q.To,
		Errors: errs, Filtered: q != auditQuery{}, ResetHref: "/admin/audit", Export: q.params()}
	for _, u := range users {
		v.Users = append(v.Users, templates.AuditChoice{Value: strconv.FormatInt(u.ID, 10), Label: u.Email})
	}
	for _, a := range auditActors {
		v.Actors = append(v.Actors, templates.AuditChoice{Value: a.value, Label: l.T(a.label)})
	}
	for _, e := range auditEntities {
		v.Entities = append(v.Entities, templates.AuditChoice{Value: e.value, Label: l.T(e.label)})
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		after := c.QueryParam("after")
		f.Cursor, f.Limit = after, auditPerPage
		rows, next, err := s.db.AuditTrail(ctx, f)
		if err != nil {
			return err
		}
		for _, r := range rows {
			v.Rows = append(v.Rows, auditRow(l, r))
		}
		if after != "" {
			v.FirstHref = q.href("")
		}
		if next != "" {
			v.NextHref = q.href(next)
		}
	}
	p, err := s.page(c, "audit.page.title", "admin")
	if err != nil {
		return err
	}
	return render(c, status, templates.AuditTrail(p, v))
}

// auditRow is one row of the trail as an administrator reads it, with the
// changed fields before and after as a record's history shows them.
func auditRow(l *i18n.Locale, r sqlite.AuditEntry) templates.AuditRow {
	h := historyEntry(l, r)
	row := templates.AuditRow{ID: r.ID, At: r.At, Actor: r.Actor, Via: h.Via, Address: r.Address,
		Action: h.Action, Entity: r.Entity, EntityID: r.EntityID, Changes: h.Changes}
	if r.UserID == 0 {
		for _, a := range auditActors {
			if r.Actor == a.recorded {
				row.Actor = l.T(a.label)
			}
		}
	}
	if key := auditEntityLabel(r.Entity); key != "" {
		row.Entity = l.T(key)
	}
	if id, err := strconv.ParseInt(r.EntityID, 10, 64); err == nil && id > 0 {
		switch r.Entity {
		case "company":
			row.Href = "/companies/" + strconv.FormatInt(id, 10)
		case "patent":
			row.Href = "/patents/" + strconv.FormatInt(id, 10)
		case "agreement":
			row.Href = "/agreements/" + strconv.FormatInt(id, 10)
		case "user":
			row.Href = adminUserHref(id) // the trail is for administrators only
		}
	}
	return row
}

// auditHeader names the export's columns, as the raw trail records them.
var auditHeader = []string{"at", "actor", "via", "address", "action", "entity", "entity_id", "details"}

// auditExport streams the trail, filtered as on the page, with every value
// as recorded (times in RFC 3339, UTC), for auditors and spreadsheets.
func (s *Server) auditExport(c echo.Context) error {
	ctx := c.Request().Context()
	l := state(c).locale
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	f, errs := readAuditQuery(c).filter(l, users)
	if len(errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "invalid audit filter", Fields: errs}
	}
	return s.streamCSV(c, "audit", auditHeader, func(write func([]string) error) error {
		return s.db.EachAudit(ctx, f, func(e sqlite.AuditEntry) error {
			return write([]string{e.At.UTC().Format(time.RFC3339), e.Actor, e.Via, e.Address, e.Action,
				e.Entity, e.EntityID, e.Details})
		})
	})
}
