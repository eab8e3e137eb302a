package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

// obligationFields are the obligation form's fields, where the store's
// refusals go.
var obligationFields = []string{"kind", "title", "due_on", "recurrence", "until", "amount", "currency", "payer", "payee", "status"}

// obligationForm is the obligation form as submitted.
type obligationForm struct {
	templates.ObligationFormInput
}

func readObligationForm(c echo.Context) obligationForm {
	get := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	return obligationForm{templates.ObligationFormInput{
		Kind: get("kind"), Title: get("title"), DueOn: get("due_on"), Recurrence: get("recurrence"), Until: get("until"),
		Amount: get("amount"), Currency: strings.ToUpper(get("currency")), Payer: get("payer"), Payee: get("payee"),
		Status: get("status"),
	}}
}

// obligationFormOf fills the form with a stored obligation, for editing;
// the amount is written as the user's language writes numbers.
func obligationFormOf(l *i18n.Locale, o *licensing.Obligation) obligationForm {
	f := obligationForm{templates.ObligationFormInput{
		Kind: string(o.Kind), Title: o.Title, DueOn: o.DueOn.String(), Recurrence: string(o.Recurrence),
		Until: o.Until.String(), Amount: amountText(l, o.Amount), Currency: o.Currency, Status: string(o.Status),
	}}
	if o.PayerID != 0 {
		f.Payer = strconv.FormatInt(o.PayerID, 10)
	}
	if o.PayeeID != 0 {
		f.Payee = strconv.FormatInt(o.PayeeID, 10)
	}
	return f
}

// amountText writes an exact amount with the user's separators, e.g.
// 1,000,000.00 or (German) 1.000.000,00; ParseAmount reads both back.
func amountText(l *i18n.Locale, a licensing.Amount) string {
	if a.IsZero() {
		return ""
	}
	thousands, decimal := ",", "."
	if l.Code() == "de" {
		thousands, decimal = ".", ","
	}
	whole, frac := a.Parts()
	var groups []string
	for len(whole) > 3 {
		groups = append([]string{whole[len(whole)-3:]}, groups...)
		whole = whole[:len(whole)-3]
	}
	groups = append([]string{whole}, groups...)
	return strings.Join(groups, thousands) + decimal + frac
}

// Validate turns the form into an obligation of agreement a and checks it:
// dates, the amount as people write it (German "1.000.000,00" too), payer
// and payee among the parties, then the domain's rules. Messages are in l's
// language.
func (f obligationForm) Validate(l *i18n.Locale, a *licensing.Agreement) (*licensing.Obligation, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	o := &licensing.Obligation{AgreementID: a.ID, Kind: licensing.ObligationKind(f.Kind), Title: f.Title,
		Recurrence: licensing.Recurrence(f.Recurrence), Currency: f.Currency, Status: licensing.ObligationStatus(f.Status)}
	partDate(l, errs, "due_on", f.DueOn, &o.DueOn)
	partDate(l, errs, "until", f.Until, &o.Until)
	amount, err := licensing.ParseAmount(f.Amount)
	if err != nil {
		errs["amount"] = domainMessage(l, err)
	}
	o.Amount = amount
	o.PayerID = partCompanyID(l, a, errs, "payer", f.Payer)
	o.PayeeID = partCompanyID(l, a, errs, "payee", f.Payee)
	partDomainErrors(l, errs, o.Validate(a))
	return o, errs
}

// renderObligationForm shows the form for a new obligation of agreement a
// (id 0) or for changing obligation id.
func (s *Server) renderObligationForm(c echo.Context, status int, a *licensing.Agreement, id int64, f obligationForm, errs templates.FieldErrors, message string) error {
	l := state(c).locale
	v := templates.ObligationFormView{
		PartFormHead: templates.PartFormHead{About: l.T("obligation.form.about"), Agreement: a.Reference, Errors: errs,
			Message: message, CancelURL: partHref(a.ID, "obligations")},
		Form: f.ObligationFormInput, Kinds: enumChoices(l, "enum.obligation_kind.", licensing.ObligationKinds),
		Recurrences: enumChoices(l, "enum.recurrence.", licensing.Recurrences),
		Statuses:    enumChoices(l, "enum.obligation_status.", licensing.ObligationStatuses), Parties: partParties(a),
	}
	if id == 0 {
		v.Heading, v.Action = l.T("obligation.new.title", a.Reference), fmt.Sprintf("/agreements/%d/obligations", a.ID)
	} else {
		v.Heading, v.Action = l.T("obligation.edit.title", f.Title, a.Reference), fmt.Sprintf("/obligations/%d", id)
	}
	if len(errs) > 0 && message == "" {
		v.Message = l.T("form.invalid")
	}
	p, err := s.partPage(c, v.Heading)
	if err != nil {
		return err
	}
	return render(c, status, templates.ObligationFormPage(p, v))
}

// obligationOfParam reads the obligation named by the :id of the path and
// its agreement.
func (s *Server) obligationOfParam(c echo.Context) (*licensing.Obligation, *licensing.Agreement, error) {
	return partOfParam(s, c, "obligation", s.db.Obligation, func(x *licensing.Obligation) int64 { return x.AgreementID })
}

func (s *Server) obligationNew(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	f := obligationForm{templates.ObligationFormInput{Kind: string(licensing.ObligationPayment), Status: string(licensing.ObligationOpen)}}
	return s.renderObligationForm(c, http.StatusOK, a, 0, f, nil, "")
}

func (s *Server) obligationEdit(c echo.Context) error {
	o, a, err := s.obligationOfParam(c)
	if err != nil {
		return err
	}
	return s.renderObligationForm(c, http.StatusOK, a, o.ID, obligationFormOf(state(c).locale, o), nil, "")
}

func (s *Server) obligationCreate(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	return s.saveObligation(c, a, 0)
}

func (s *Server) obligationUpdate(c echo.Context) error {
	o, a, err := s.obligationOfParam(c)
	if err != nil {
		return err
	}
	return s.saveObligation(c, a, o.ID)
}

// saveObligation adds an obligation to agreement a (id 0) or changes
// obligation id; refusals come back on the form, input kept.
func (s *Server) saveObligation(c echo.Context, a *licensing.Agreement, id int64) error {
	ctx, l := c.Request().Context(), state(c).locale
	f := readObligationForm(c)
	o, errs := f.Validate(l, a)
	if len(errs) > 0 {
		return s.renderObligationForm(c, http.StatusUnprocessableEntity, a, id, f, errs, "")
	}
	o.ID = id
	var err error
	flash := "obligation.flash.updated"
	if id == 0 {
		err, flash = s.db.AddObligation(ctx, s.actor(c), a.ID, o), "obligation.flash.created"
	} else {
		err = s.db.UpdateObligation(ctx, s.actor(c), o)
	}
	if de, ok := partStoreRefusal(err); ok {
		errs, message := partStoreErrors(l, de, obligationFields)
		return s.renderObligationForm(c, statusOf[de.Code], a, id, f, errs, message)
	}
	if err != nil {
		return err
	}
	return s.partDone(c, a.ID, "obligations", flash, o.Title)
}

// obligationDeleteView describes the obligation whose removal is to be confirmed.
func obligationDeleteView(l *i18n.Locale, o *licensing.Obligation, a *licensing.Agreement) templates.PartDeleteView {
	return templates.PartDeleteView{
		Heading: l.T("obligation.delete.title", o.Title),
		Subject: l.T("obligation.delete.subject", a.Reference, l.Date(o.DueOn.Time())),
		Body:    l.T("obligation.delete.body"), Action: fmt.Sprintf("/obligations/%d/delete", o.ID),
		CancelURL: partHref(a.ID, "obligations"),
	}
}

func (s *Server) obligationConfirmDelete(c echo.Context) error {
	o, a, err := s.obligationOfParam(c)
	if err != nil {
		return err
	}
	return s.partConfirmDelete(c, http.StatusOK, obligationDeleteView(state(c).locale, o, a))
}

func (s *Server) obligationDelete(c echo.Context) error {
	o, a, err := s.obligationOfParam(c)
	if err != nil {
		return err
	}
	del := func() error { return s.db.DeleteObligation(c.Request().Context(), s.actor(c), o.ID) }
	return s.partDelete(c, obligationDeleteView(state(c).locale, o, a), del, a.ID, "obligations", "obligation.flash.deleted", o.Title)
}

// occurrenceFlash says what marking an occurrence did, by its new status.
var occurrenceFlash = map[licensing.ObligationStatus]string{
	licensing.ObligationDone:   "obligation.flash.occurrence_done",
	licensing.ObligationWaived: "obligation.flash.occurrence_waived",
	licensing.ObligationOpen:   "obligation.flash.occurrence_open",
}

// occurrenceMark marks one due date of an obligation done or waived (the
// store records who and when) or opens it again, and leads back to the
// agreement's obligations, or to the local page named by next.
func (s *Server) occurrenceMark(c echo.Context) error {
	l := state(c).locale
	o, a, err := s.obligationOfParam(c)
	if err != nil {
		return err
	}
	status := licensing.ObligationStatus(strings.TrimSpace(c.FormValue("status")))
	due, derr := parseFormDate(c.FormValue("due_on"))
	errs := map[string]string{}
	if derr != nil || due.IsZero() {
		errs["due_on"] = l.T("obligation.error.due_on")
	}
	if !slices.Contains(licensing.ObligationStatuses, status) {
		errs["status"] = l.T("obligation.error.occurrence_status")
	}
	if len(errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the occurrence cannot be marked", Fields: errs}
	}
	today := licensing.DateOf(s.now())
	if err := s.db.MarkOccurrence(c.Request().Context(), s.actor(c), o.ID, due, status, today); err != nil {
		return err
	}
	if next := c.FormValue("next"); next != "" {
		// Marked from another list (the deadlines page): back to it, if local.
		if err := s.flash(c, occurrenceFlash[status], o.Title, l.Date(due.Time())); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, safeNext(next))
	}
	return s.partDone(c, a.ID, "obligations", occurrenceFlash[status], o.Title, l.Date(due.Time()))
}
