package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// assignmentFields are the assignment form's fields, where the store's
// refusals go.
var assignmentFields = []string{"assignor", "assignee", "effective_on", "recorded_on", "office_ref", "patents"}

// pickerLimit is the most patents the picker lists; a narrower filter
// finds the rest.
const pickerLimit = 200

// assignmentForm is the assignment form as submitted (POST) or carried
// through the picker's filter (GET).
type assignmentForm struct {
	templates.AssignmentFormInput
	picking bool // the picker's filter was sent
	seen    bool // the picker was open before, so its owner is as the user left it
	owner   string
	office  string
	tag     string
	query   string
}

// readAssignmentForm reads the form and adds the ticked patents of the
// picker to the typed list.
func readAssignmentForm(c echo.Context) assignmentForm {
	get := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	f := assignmentForm{AssignmentFormInput: templates.AssignmentFormInput{
		Assignor: get("assignor"), Assignee: get("assignee"), EffectiveOn: get("effective_on"),
		RecordedOn: get("recorded_on"), OfficeRef: get("office_ref"), Patents: strings.TrimRight(c.FormValue("patents"), " \r\n"),
	}, picking: c.FormValue("picking") == "1", seen: c.FormValue("pick_seen") == "1",
		owner: get("pick_owner"), office: strings.ToUpper(get("pick_office")), tag: get("pick_tag"), query: get("pick_q")}
	ticked, _ := c.FormParams() // a form that cannot be parsed was refused by limitBody
	f.Patents = mergePicks(f.Patents, ticked["pick"])
	return f
}

// mergePicks appends the ticked numbers that the list does not hold yet,
// one per line.
func mergePicks(list string, picks []string) string {
	have := listedNumbers(list)
	for _, pick := range picks {
		n, err := licensing.NormalizePatentNumber(pick)
		if err != nil || have[n] {
			continue
		}
		have[n] = true
		if strings.TrimSpace(list) != "" {
			list += "\n"
		}
		list += patentDisplayNumber(n)
	}
	return list
}

// listedNumbers are the normalized numbers of a typed list, as far as they
// can be read.
func listedNumbers(list string) map[string]bool {
	have := map[string]bool{}
	for _, number := range licensing.SplitNumbers(list) {
		if n, err := licensing.NormalizePatentNumber(number); err == nil {
			have[n] = true
		}
	}
	return have
}

// assignmentFormOf fills the form with a stored assignment, for editing.
func assignmentFormOf(as *licensing.Assignment) assignmentForm {
	return assignmentForm{AssignmentFormInput: templates.AssignmentFormInput{
		Assignor: as.Assignor, Assignee: as.Assignee, EffectiveOn: as.EffectiveOn.String(),
		RecordedOn: as.RecordedOn.String(), OfficeRef: as.OfficeRef, Patents: partNumbersText(as.Patents),
	}}
}

// assignmentOf turns the form into an assignment and checks it: companies
// that exist (any company, not only the parties: title may pass between
// affiliates), dates, the patents by line, then the domain's rules.
func (s *Server) assignmentOf(ctx context.Context, l *i18n.Locale, f assignmentForm) (*licensing.Assignment, templates.FieldErrors, error) {
	errs := templates.FieldErrors{}
	as := &licensing.Assignment{OfficeRef: f.OfficeRef}
	for _, c := range []struct {
		field, name string
		id          *int64
	}{{"assignor", f.Assignor, &as.AssignorID}, {"assignee", f.Assignee, &as.AssigneeID}} {
		if c.name == "" {
			continue // the domain says it is required
		}
		co, err := s.patentCompanyRef(ctx, c.name)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			errs[c.field] = l.T("assignment.error.company_unknown", c.name)
		case err != nil:
			return nil, nil, err
		default:
			*c.id = co.ID
		}
	}
	partDate(l, errs, "effective_on", f.EffectiveOn, &as.EffectiveOn)
	partDate(l, errs, "recorded_on", f.RecordedOn, &as.RecordedOn)
	refs, problems, err := s.partPatentRefs(ctx, l, f.Patents)
	if err != nil {
		return nil, nil, err
	}
	as.Patents = refs
	if problems != "" {
		errs["patents"] = problems
	}
	partDomainErrors(l, errs, as.Validate())
	return as, errs, nil
}

// assignmentPicker lists the patents the filter finds: by default those
// the assignor owned the day before the assignment takes effect (or today,
// without a date), so that the patents it can transfer are at hand.
func (s *Server) assignmentPicker(ctx context.Context, l *i18n.Locale, f assignmentForm) (templates.PatentPicker, error) {
	pk := templates.PatentPicker{Open: f.picking, Owner: f.owner, Office: f.office, Tag: f.tag, Query: f.query,
		Errors: templates.FieldErrors{}, Limit: pickerLimit}
	if !f.seen {
		pk.Owner = f.Assignor
	}
	var err error
	if pk.Offices, err = s.db.PatentOffices(ctx); err != nil {
		return pk, err
	}
	if pk.Tags, err = s.db.PatentLabels(ctx, "tag"); err != nil {
		return pk, err
	}
	if !pk.Open {
		return pk, nil
	}
	filter := sqlite.PatentFilter{Limit: pickerLimit}
	if pk.Owner != "" {
		owner, err := s.patentCompanyRef(ctx, pk.Owner)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			pk.Errors["pick_owner"] = l.T("assignment.error.company_unknown", pk.Owner)
			return pk, nil
		case err != nil:
			return pk, err
		}
		pk.Owner = owner.Name
		filter.OwnerIDs = []int64{owner.ID}
		if on, err := parseFormDate(f.EffectiveOn); err == nil && !on.IsZero() {
			before := on.AddDays(-1)
			filter.OwnerOn = &before
		}
	}
	for _, v := range []struct {
		value string
		dst   **string
	}{{pk.Office, &filter.Office}, {pk.Tag, &filter.Tag}, {pk.Query, &filter.Query}} {
		if v.value != "" {
			value := v.value
			*v.dst = &value
		}
	}
	list, next, err := s.db.Patents(ctx, filter)
	if err != nil {
		return pk, err
	}
	listed := listedNumbers(f.Patents)
	for _, r := range list {
		pk.Rows = append(pk.Rows, templates.PickRow{Number: r.Normalized, Shown: patentDisplayNumber(r.Normalized),
			Title: r.Title, Owner: r.Owner, Listed: listed[r.Normalized]})
	}
	pk.More = next != ""
	return pk, nil
}

// renderAssignmentForm shows the form for a new assignment of agreement a
// (id 0) or for changing assignment id, with the picker as filtered.
func (s *Server) renderAssignmentForm(c echo.Context, status int, a *licensing.Agreement, id int64, f assignmentForm, errs templates.FieldErrors, message string) error {
	ctx, l := c.Request().Context(), state(c).locale
	v := templates.AssignmentFormView{
		PartFormHead: templates.PartFormHead{About: l.T("assignment.form.about"), Agreement: a.Reference, Errors: errs,
			Message: message, CancelURL: partHref(a.ID, "assignments")},
		Form: f.AssignmentFormInput,
	}
	if id == 0 {
		v.Heading, v.Action = l.T("assignment.new.title", a.Reference), fmt.Sprintf("/agreements/%d/assignments", a.ID)
		v.PickAction = fmt.Sprintf("/agreements/%d/assignments/new", a.ID)
	} else {
		v.Heading, v.Action = l.T("assignment.edit.title", a.Reference), fmt.Sprintf("/assignments/%d", id)
		v.PickAction = fmt.Sprintf("/assignments/%d/edit", id)
	}
	if !a.Status.Signed() {
		v.About += " " + l.T("assignment.form.unsigned")
	}
	if len(errs) > 0 && message == "" {
		v.Message = l.T("form.invalid")
	}
	var err error
	if v.Picker, err = s.assignmentPicker(ctx, l, f); err != nil {
		return err
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	p, err := s.partPage(c, v.Heading)
	if err != nil {
		return err
	}
	return render(c, status, templates.AssignmentFormPage(p, v))
}

// assignmentOfParam reads the assignment named by the :id of the path and
// its agreement.
func (s *Server) assignmentOfParam(c echo.Context) (*licensing.Assignment, *licensing.Agreement, error) {
	return partOfParam(s, c, "assignment", s.db.Assignment, func(x *licensing.Assignment) int64 { return x.AgreementID })
}

// assignmentNew shows an empty form; with the picker's filter in the query
// it shows the form as it was sent, and the patents the filter finds.
func (s *Server) assignmentNew(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	f := readAssignmentForm(c)
	if !f.picking {
		f = assignmentForm{}
		f.Assignor, f.Assignee = assignmentParty(a, licensing.RoleAssignor), assignmentParty(a, licensing.RoleAssignee)
	}
	return s.renderAssignmentForm(c, http.StatusOK, a, 0, f, nil, "")
}

// assignmentParty names the agreement's party in the given role, to
// prefill a new assignment; "" when no party, or more than one, has it.
func assignmentParty(a *licensing.Agreement, role licensing.PartyRole) string {
	name := ""
	for _, p := range a.Parties {
		if p.Role == role {
			if name != "" {
				return ""
			}
			name = p.Company
		}
	}
	return name
}

func (s *Server) assignmentEdit(c echo.Context) error {
	as, a, err := s.assignmentOfParam(c)
	if err != nil {
		return err
	}
	f := readAssignmentForm(c)
	if !f.picking {
		f = assignmentFormOf(as)
	}
	return s.renderAssignmentForm(c, http.StatusOK, a, as.ID, f, nil, "")
}

func (s *Server) assignmentCreate(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	return s.saveAssignment(c, a, 0)
}

func (s *Server) assignmentUpdate(c echo.Context) error {
	as, a, err := s.assignmentOfParam(c)
	if err != nil {
		return err
	}
	return s.saveAssignment(c, a, as.ID)
}

// saveAssignment records an assignment in agreement a (id 0) or changes
// assignment id. The store moves title at once when a is signed.
func (s *Server) saveAssignment(c echo.Context, a *licensing.Agreement, id int64) error {
	ctx, l := c.Request().Context(), state(c).locale
	f := readAssignmentForm(c)
	f.picking = false // the list stays folded unless asked for again
	as, errs, err := s.assignmentOf(ctx, l, f)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderAssignmentForm(c, http.StatusUnprocessableEntity, a, id, f, errs, "")
	}
	as.ID = id
	flash := "assignment.flash.updated"
	if id == 0 {
		err, flash = s.db.AddAssignment(ctx, s.actor(c), a.ID, as), "assignment.flash.created"
	} else {
		err = s.db.UpdateAssignment(ctx, s.actor(c), as)
	}
	if de, ok := partStoreRefusal(err); ok {
		errs, message := partStoreErrors(l, de, assignmentFields)
		return s.renderAssignmentForm(c, statusOf[de.Code], a, id, f, errs, message)
	}
	if err != nil {
		return err
	}
	return s.partDone(c, a.ID, "assignments", flash, as.Assignor, as.Assignee)
}

// assignmentDeleteView describes the assignment whose removal is to be confirmed.
func assignmentDeleteView(l *i18n.Locale, as *licensing.Assignment, a *licensing.Agreement) templates.PartDeleteView {
	return templates.PartDeleteView{
		Heading: l.T("assignment.delete.title", a.Reference),
		Subject: l.T("assignment.delete.subject", as.Assignor, as.Assignee, l.Date(as.EffectiveOn.Time())),
		Body:    l.T("assignment.delete.body"), Action: fmt.Sprintf("/assignments/%d/delete", as.ID),
		CancelURL: partHref(a.ID, "assignments"),
	}
}

func (s *Server) assignmentConfirmDelete(c echo.Context) error {
	as, a, err := s.assignmentOfParam(c)
	if err != nil {
		return err
	}
	return s.partConfirmDelete(c, http.StatusOK, assignmentDeleteView(state(c).locale, as, a))
}

// assignmentDelete removes an assignment; the titles it moved are rebuilt
// by the store.
func (s *Server) assignmentDelete(c echo.Context) error {
	as, a, err := s.assignmentOfParam(c)
	if err != nil {
		return err
	}
	del := func() error { return s.db.DeleteAssignment(c.Request().Context(), s.actor(c), as.ID) }
	return s.partDelete(c, assignmentDeleteView(state(c).locale, as, a), del, a.ID, "assignments", "assignment.flash.deleted", as.Assignor, as.Assignee)
}
