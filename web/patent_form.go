package web

import (
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

// ---- The form ----

// patentForm is the patent form as submitted.
type patentForm struct {
	templates.PatentForm
}

// patentMaxText bounds free-text fields the domain does not limit itself.
const patentMaxText = 200

func readPatentForm(c echo.Context) patentForm {
	get := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	return patentForm{templates.PatentForm{
		Number: get("number"), Title: get("title"), Office: strings.ToUpper(get("office")), Kind: strings.ToUpper(get("kind")),
		ApplicationNumber: get("application_number"), Family: get("family"), PriorityOn: get("priority_on"),
		FiledOn: get("filed_on"), PublishedOn: get("published_on"), GrantedOn: get("granted_on"),
		ExpiresOn: get("expires_on"), Status: get("status"), StatusOn: get("status_on"), Owner: get("owner"),
		Tags: c.FormValue("tags"), Standards: c.FormValue("standards"), CPC: c.FormValue("cpc"),
		DesignatedStates: c.FormValue("designated_states"), SEP: c.FormValue("sep") == "yes", SEPReference: get("sep_reference"),
	}}
}

// patentFormOf fills the form from a stored patent. A recorded expiry equal
// to the computed one is left empty, so that it follows a corrected filing date.
func patentFormOf(r *sqlite.PatentRecord) patentForm {
	expires := ""
	if _, overridden := r.Expiry(); overridden {
		expires = r.ExpiresOn.String()
	}
	return patentForm{templates.PatentForm{
		Number: r.Number, Title: r.Title, Office: r.Office, Kind: r.Kind, ApplicationNumber: r.ApplicationNumber,
		Family: r.Family, PriorityOn: r.PriorityOn.String(), FiledOn: r.FiledOn.String(), PublishedOn: r.PublishedOn.String(),
		GrantedOn: r.GrantedOn.String(), ExpiresOn: expires, Status: string(r.Status), StatusOn: r.StatusOn.String(),
		Owner: r.OriginalOwner, Tags: strings.Join(r.Tags, ", "), Standards: strings.Join(r.Standards, ", "),
		CPC: strings.Join(r.CPC, ", "), DesignatedStates: strings.Join(r.DesignatedStates, ", "), SEP: r.SEP,
		SEPReference: r.SEPReference,
	}}
}

// patentSplitList reads a list field: entries separated by commas or line breaks.
func patentSplitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Validate checks the form as far as it can without the database and
// returns the patent it describes; the owner is looked up by the handler.
// Messages are in the user's language; the domain's own come through Domain.
func (f patentForm) Validate(l *i18n.Locale) (*licensing.Patent, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	p := &licensing.Patent{
		Number: f.Number, Title: f.Title, Office: f.Office, Kind: f.Kind, ApplicationNumber: f.ApplicationNumber,
		Family: f.Family, Tags: patentSplitList(f.Tags), Standards: patentSplitList(f.Standards), CPC: patentSplitList(f.CPC),
		DesignatedStates: patentSplitList(strings.ToUpper(f.DesignatedStates)), SEP: f.SEP, SEPReference: f.SEPReference,
	}
	for _, d := range []struct {
		field, value string
		dst          *licensing.Date
	}{
		{"priority_on", f.PriorityOn, &p.PriorityOn}, {"filed_on", f.FiledOn, &p.FiledOn},
		{"published_on", f.PublishedOn, &p.PublishedOn}, {"granted_on", f.GrantedOn, &p.GrantedOn},
		{"expires_on", f.ExpiresOn, &p.ExpiresOn}, {"status_on", f.StatusOn, &p.StatusOn},
	} {
		date, err := parseFormDate(d.value)
		if err != nil {
			errs[d.field] = domainMessage(l, err)
			continue
		}
		*d.dst = date
	}
	p.Status = licensing.StatusPending
	if f.Status != "" {
		st, err := licensing.ParseStatus(f.Status)
		if err != nil {
			errs["status"] = domainMessage(l, err)
		} else {
			p.Status = st
		}
	}
	for field, value := range map[string]string{"application_number": f.ApplicationNumber, "family": f.Family, "sep_reference": f.SEPReference} {
		if len([]rune(value)) > patentMaxText {
			errs[field] = l.T("error.field.too_long", patentMaxText)
		}
	}
	for field, msg := range p.Validate() {
		if _, seen := errs[field]; !seen {
			errs[field] = l.Domain(msg)
		}
	}
	if _, bad := errs["number"]; !bad {
		if err := p.Normalize(); err != nil {
			errs["number"] = domainMessage(l, err)
		}
	}
	if f.Owner == "" {
		errs["owner"] = l.T("patent.error.owner_required")
	}
	return p, errs
}

// renderPatentForm shows the new or edit form; id 0 is a new patent.
func (s *Server) renderPatentForm(c echo.Context, status int, id int64, f patentForm, errs templates.FieldErrors, message string) error {
	ctx, l := c.Request().Context(), state(c).locale
	v := templates.PatentFormView{ID: id, Form: f.PatentForm, Errors: errs, Message: message, Statuses: patentStatusChoices(l)}
	if id == 0 {
		v.Heading, v.Action, v.CancelURL = l.T("patents.new"), "/patents", "/patents"
	} else {
		v.Heading = l.T("patent.edit.title", f.Number)
		v.Action = fmt.Sprintf("/patents/%d", id)
		v.CancelURL = v.Action
	}
	if len(errs) > 0 && message == "" {
		v.Message = l.T("form.invalid")
	}
	var err error
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	p, err := s.page(c, "patents.title", "patents")
	if err != nil {
		return err
	}
	p.Title = v.Heading
	return render(c, status, templates.PatentFormPage(p, v))
}

func (s *Server) patentNew(c echo.Context) error {
	f := patentForm{templates.PatentForm{Status: string(licensing.StatusPending)}}
	if owner := strings.TrimSpace(c.QueryParam("owner")); owner != "" {
		if co, err := s.patentCompanyRef(c.Request().Context(), owner); err == nil {
			f.Owner = co.Name
		}
	}
	return s.renderPatentForm(c, http.StatusOK, 0, f, nil, "")
}

func (s *Server) patentEdit(c echo.Context) error {
	r, err := s.patentOf(c)
	if err != nil {
		return err
	}
	return s.renderPatentForm(c, http.StatusOK, r.ID, patentFormOf(r), nil, "")
}

func (s *Server) patentCreate(c echo.Context) error {
	return s.savePatent(c, 0, readPatentForm(c))
}

func (s *Server) patentUpdate(c echo.Context) error {
	r, err := s.patentOf(c)
	if err != nil {
		return err
	}
	return s.savePatent(c, r.ID, readPatentForm(c))
}

// savePatent creates (id 0) or updates a patent from the form; an invalid
// form comes back with the input kept and each problem beside its field.
func (s *Server) savePatent(c echo.Context, id int64, f patentForm) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, errs := f.Validate(l)
	if f.Owner != "" {
		owner, err := s.db.CompanyByName(ctx, f.Owner)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			errs["owner"] = l.T("patent.error.owner_unknown", f.Owner)
		case err != nil:
			return err
		default:
			p.OriginalOwnerID = owner.ID
		}
	}
	if len(errs) > 0 {
		return s.renderPatentForm(c, http.StatusUnprocessableEntity, id, f, errs, "")
	}
	p.ID = id
	var err error
	if id == 0 {
		err = s.db.CreatePatent(ctx, s.actor(c), p)
	} else {
		err = s.db.UpdatePatent(ctx, s.actor(c), p)
	}
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict) {
		errs, message := storeFieldErrors(l, de)
		return s.renderPatentForm(c, statusOf[de.Code], id, f, errs, message)
	}
	if err != nil {
		return err
	}
	key := "patents.flash.updated"
	if id == 0 {
		key = "patents.flash.created"
	}
	if err := s.flash(c, key, patentDisplayNumber(p.Normalized)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/patents/%d", p.ID))
}

// ---- Deleting ----

func (s *Server) patentDeleteForm(c echo.Context) error {
	r, err := s.patentOf(c)
	if err != nil {
		return err
	}
	return s.renderPatentDelete(c, http.StatusOK, r, nil, "")
}

func (s *Server) renderPatentDelete(c echo.Context, status int, r *sqlite.PatentRecord, errs templates.FieldErrors, refusal string) error {
	l := state(c).locale
	p, err := s.page(c, "patents.title", "patents")
	if err != nil {
		return err
	}
	row := patentRow(l, r, patentDay(s))
	p.Title = l.T("patent.delete.title", row.Number)
	return render(c, status, templates.PatentDelete(p, templates.PatentDeleteView{Row: row, Errors: errs, Refusal: refusal}))
}

// patentDelete deletes a patent once the box is ticked. The store refuses
// to delete a patent that agreements refer to; the refusal is shown on the page.
func (s *Server) patentDelete(c echo.Context) error {
	l := state(c).locale
	r, err := s.patentOf(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.renderPatentDelete(c, http.StatusUnprocessableEntity, r, templates.FieldErrors{"confirm": l.T("patent.delete.required")}, "")
	}
	err = s.db.DeletePatent(c.Request().Context(), s.actor(c), r.ID)
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Conflict || de.Code == licensing.Invalid) {
		return s.renderPatentDelete(c, statusOf[de.Code], r, nil, l.Domain(de.Message))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "patents.flash.deleted", patentDisplayNumber(r.Normalized)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/patents")
}
