package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// ---- The form ----

// agreementFormRows is how many party rows the form offers at least; blank
// rows are ignored, so that no script is needed to add one.
const agreementFormRows = 6

// agreementMaxReferences bounds the parent suggestions.
const agreementMaxReferences = 1000

// agreementForm is the agreement form as submitted.
type agreementForm struct {
	templates.AgreementForm
}

func readAgreementForm(c echo.Context) (agreementForm, error) {
	values, err := c.FormParams()
	if err != nil {
		return agreementForm{}, err
	}
	get := func(name string) string { return strings.TrimSpace(values.Get(name)) }
	f := agreementForm{templates.AgreementForm{
		Reference: get("reference"), Title: get("title"), Kind: get("kind"), Status: get("status"),
		SignedOn: get("signed_on"), EffectiveOn: get("effective_on"), ExpiresOn: get("expires_on"),
		TerminatedOn: get("terminated_on"), RenewalMonths: get("renewal_months"), NoticeDays: get("notice_days"),
		GoverningLaw: get("governing_law"), Summary: strings.TrimSpace(values.Get("summary")), Parent: get("parent"),
	}}
	companies, roles := values["party_company"], values["party_role"]
	for i, name := range companies {
		row := templates.AgreementPartyInput{Company: strings.TrimSpace(name)}
		if i < len(roles) {
			row.Role = strings.TrimSpace(roles[i])
		}
		if row.Company != "" {
			f.Parties = append(f.Parties, row)
		}
	}
	return f, nil
}

// agreementFormOf fills the form from a stored agreement.
func agreementFormOf(a *licensing.Agreement) agreementForm {
	f := agreementForm{templates.AgreementForm{
		Reference: a.Reference, Title: a.Title, Kind: string(a.Kind), Status: string(a.Status),
		SignedOn: a.SignedOn.String(), EffectiveOn: a.EffectiveOn.String(), ExpiresOn: a.ExpiresOn.String(),
		TerminatedOn: a.TerminatedOn.String(), GoverningLaw: a.GoverningLaw, Summary: a.Summary, Parent: a.Parent,
	}}
	if a.RenewalMonths != 0 {
		f.RenewalMonths = strconv.Itoa(a.RenewalMonths)
	}
	if a.NoticeDays != 0 {
		f.NoticeDays = strconv.Itoa(a.NoticeDays)
	}
	for _, p := range a.Parties {
		f.Parties = append(f.Parties, templates.AgreementPartyInput{Company: p.Company, Role: string(p.Role)})
	}
	return f
}

// Validate checks what it can without the database and returns the
// agreement the form describes; parties and the parent are found by
// resolve. Messages are in the user's language.
func (f agreementForm) Validate(l *i18n.Locale, id int64) (*licensing.Agreement, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	a := &licensing.Agreement{ID: id, Reference: f.Reference, Title: f.Title, GoverningLaw: f.GoverningLaw, Summary: f.Summary,
		Kind: licensing.AgreementKind(f.Kind), Status: licensing.AgreementStatus(f.Status)}
	if f.Kind != "" {
		if k, err := licensing.ParseAgreementKind(f.Kind); err == nil {
			a.Kind = k
		}
	}
	if f.Status != "" {
		if st, err := licensing.ParseAgreementStatus(f.Status); err == nil {
			a.Status = st
		}
	}
	for _, d := range []struct {
		field, value string
		dst          *licensing.Date
	}{
		{"signed_on", f.SignedOn, &a.SignedOn}, {"effective_on", f.EffectiveOn, &a.EffectiveOn},
		{"expires_on", f.ExpiresOn, &a.ExpiresOn}, {"terminated_on", f.TerminatedOn, &a.TerminatedOn},
	} {
		date, err := parseFormDate(d.value)
		if err != nil {
			errs[d.field] = domainMessage(l, err)
			continue
		}
		*d.dst = date
	}
	for _, n := range []struct {
		field, value string
		dst          *int
	}{{"renewal_months", f.RenewalMonths, &a.RenewalMonths}, {"notice_days", f.NoticeDays, &a.NoticeDays}} {
		if n.value == "" {
			continue
		}
		v, err := strconv.Atoi(n.value)
		if err != nil {
			errs[n.field] = l.T("agreement.error.whole_number", n.value)
			continue
		}
		*n.dst = v
	}
	for field, msg := range a.Validate() {
		if field == "parties" {
			continue // checked once the companies are found
		}
		if _, taken := errs[formField(field)]; !taken {
			errs[formField(field)] = l.Domain(msg)
		}
	}
	return a, errs
}

// resolveAgreementForm finds the parties' companies and the parent agreement the form
// names, adding a message for each it cannot find, then checks the parties.
func (s *Server) resolveAgreementForm(ctx context.Context, l *i18n.Locale, f agreementForm, a *licensing.Agreement, errs templates.FieldErrors) error {
	for i, row := range f.Parties {
		co, err := s.patentCompanyRef(ctx, row.Company)
		if errors.Is(err, sqlite.ErrNotFound) {
			if _, taken := errs["parties"]; !taken {
				errs["parties"] = l.T("agreement.error.party_unknown", i+1, row.Company)
			}
			continue
		}
		if err != nil {
			return err
		}
		role := licensing.PartyRole(row.Role)
		if role == "" {
			role = licensing.RoleParty
		}
		a.Parties = append(a.Parties, licensing.Party{CompanyID: co.ID, Company: co.Name, Role: role})
	}
	if _, taken := errs["parties"]; !taken {
		if msg := a.Validate()["parties"]; msg != "" {
			errs["parties"] = l.Domain(msg)
		}
	}
	if f.Parent == "" {
		return nil
	}
	parent, err := s.db.AgreementByReference(ctx, f.Parent)
	switch {
	case errors.Is(err, sqlite.ErrNotFound):
		errs["parent"] = l.T("agreement.error.parent_unknown", f.Parent)
	case err != nil:
		return err
	case parent.ID == a.ID && a.ID != 0:
		errs["parent"] = l.Domain("An agreement cannot amend itself.")
	default:
		a.ParentID, a.Parent = parent.ID, parent.Reference
	}
	return nil
}

// renderAgreementForm shows the new or edit form; stored is nil for a new
// agreement. The status offers only the moves the lifecycle allows.
func (s *Server) renderAgreementForm(c echo.Context, status int, stored *licensing.Agreement, f agreementForm, errs templates.FieldErrors, message string) error {
	ctx, l := c.Request().Context(), state(c).locale
	v := templates.AgreementFormView{Form: f.AgreementForm, Errors: errs, Message: message,
		Kinds: agreementChoices(l, "agreement_kind", licensing.AgreementKinds),
		Roles: agreementChoices(l, "party_role", licensing.PartyRoles)}
	statuses := licensing.AgreementStatuses
	if stored == nil {
		v.Heading, v.Action, v.CancelURL = l.T("agreements.new"), "/agreements", "/agreements"
	} else {
		v.ID = stored.ID
		v.Heading = l.T("agreement.edit.title", stored.Reference)
		v.Action = templates.AgreementHref(stored.ID)
		v.CancelURL = v.Action
		statuses = nil
		for _, st := range licensing.AgreementStatuses {
			if licensing.CanMove(stored.Status, st) == nil {
				statuses = append(statuses, st)
			}
		}
	}
	v.Statuses = agreementChoices(l, "agreement_status", statuses)
	if len(errs) > 0 && message == "" {
		v.Message = l.T("form.invalid")
	}
	for len(v.Form.Parties) < max(agreementFormRows, len(f.Parties)+2) {
		v.Form.Parties = append(v.Form.Parties, templates.AgreementPartyInput{})
	}
	var err error
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	others, _, err := s.db.Agreements(ctx, sqlite.AgreementFilter{Limit: agreementMaxReferences})
	if err != nil {
		return err
	}
	for _, o := range others {
		if stored == nil || o.ID != stored.ID {
			v.References = append(v.References, o.Reference)
		}
	}
	p, err := s.page(c, "agreements.title", "agreements")
	if err != nil {
		return err
	}
	p.Title = v.Heading
	return render(c, status, templates.AgreementFormPage(p, v))
}

func (s *Server) agreementNew(c echo.Context) error {
	f := agreementForm{templates.AgreementForm{Kind: string(licensing.KindLicense), Status: string(licensing.AgreementDraft)}}
	if parent := strings.TrimSpace(c.QueryParam("parent")); parent != "" {
		f.Parent = parent // "add an amendment" from the parent's page
	}
	return s.renderAgreementForm(c, http.StatusOK, nil, f, nil, "")
}

func (s *Server) agreementEdit(c echo.Context) error {
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	return s.renderAgreementForm(c, http.StatusOK, a, agreementFormOf(a), nil, "")
}

func (s *Server) agreementCreate(c echo.Context) error {
	return s.saveAgreement(c, nil)
}

func (s *Server) agreementUpdate(c echo.Context) error {
	a, err := s.agreementOf(c)
	if err != nil {
		return err
	}
	return s.saveAgreement(c, a)
}

// saveAgreement creates (stored nil) or updates an agreement from the form;
// an invalid form comes back with the input kept and each problem beside
// its field.
func (s *Server) saveAgreement(c echo.Context, stored *licensing.Agreement) error {
	ctx, l := c.Request().Context(), state(c).locale
	f, err := readAgreementForm(c)
	if err != nil {
		return err
	}
	var id int64
	if stored != nil {
		id = stored.ID
	}
	a, errs := f.Validate(l, id)
	if err := s.resolveAgreementForm(ctx, l, f, a, errs); err != nil {
		return err
	}
	if stored != nil {
		if err := licensing.CanMove(stored.Status, a.Status); err != nil {
			errs["status"] = domainMessage(l, err)
		}
	}
	if len(errs) > 0 {
		return s.renderAgreementForm(c, http.StatusUnprocessableEntity, stored, f, errs, "")
	}
	flash := "agreements.flash.updated"
	if stored == nil {
		err, flash = s.db.CreateAgreement(ctx, s.actor(c), a), "agreements.flash.created"
	} else {
		err = s.db.UpdateAgreement(ctx, s.actor(c), a)
	}
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict) {
		errs, message := storeFieldErrors(l, de)
		return s.renderAgreementForm(c, statusOf[de.Code], stored, f, errs, message)
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, flash, a.Reference); err != nil {
		return err
	}
	return agreementRedirect(c, a.ID)
}
