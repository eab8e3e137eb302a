package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// What the forms of grants, assignments, obligations and documents share:
// finding the agreement they belong to, its parties as choices, lists of
// patent numbers read line by line, and the store's refusals on the fields.

// partID reads the :id of the path; what names the record for the 404.
func partID(c echo.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, licensing.Errorf(licensing.NotFound, "no %s %q", what, c.Param("id"))
	}
	return id, nil
}

// partFound turns the store's ErrNotFound into the 404 of the record named.
func partFound(err error, what string, id int64) error {
	if errors.Is(err, sqlite.ErrNotFound) {
		return licensing.Errorf(licensing.NotFound, "no %s with id %d", what, id)
	}
	return err
}

// partAgreement reads an agreement with its parties and everything inside it.
func (s *Server) partAgreement(ctx context.Context, id int64) (*licensing.Agreement, error) {
	a, err := s.db.Agreement(ctx, id)
	return a, partFound(err, "agreement", id)
}

// partOfParam reads the part of an agreement (a grant, an assignment, an
// obligation) named by the :id of the path, with its agreement; what names
// the record for the 404.
func partOfParam[T any](s *Server, c echo.Context, what string, read func(context.Context, int64) (T, error),
	agreementOf func(T) int64) (T, *licensing.Agreement, error) {
	var zero T
	ctx := c.Request().Context()
	id, err := partID(c, what)
	if err != nil {
		return zero, nil, err
	}
	part, err := read(ctx, id)
	if err = partFound(err, what, id); err != nil {
		return zero, nil, err
	}
	a, err := s.partAgreement(ctx, agreementOf(part))
	return part, a, err
}

// agreementHead reads an agreement's own fields only (no parties, grants
// or obligations), for pages that merely name it; sqlite.ErrNotFound when
// it is not recorded.
func (s *Server) agreementHead(ctx context.Context, id int64) (*licensing.Agreement, error) {
	heads, err := s.db.AgreementHeads(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if a, ok := heads[id]; ok {
		return a, nil
	}
	return nil, sqlite.ErrNotFound
}

// partAgreementParam reads the agreement named by the :id of the path.
func (s *Server) partAgreementParam(c echo.Context) (*licensing.Agreement, error) {
	id, err := partID(c, "agreement")
	if err != nil {
		return nil, err
	}
	return s.partAgreement(c.Request().Context(), id)
}

// partHref is the agreement page at one of its sections (grants,
// assignments, obligations, documents).
func partHref(agreementID int64, section string) string {
	return fmt.Sprintf("/agreements/%d#%s", agreementID, section)
}

// partDone flashes what was done and leads back to the agreement's section.
func (s *Server) partDone(c echo.Context, agreementID int64, section, key string, args ...string) error {
	if err := s.flash(c, key, args...); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, partHref(agreementID, section))
}

// partParties offers the agreement's parties, by company id.
func partParties(a *licensing.Agreement) []templates.PartChoice {
	out := make([]templates.PartChoice, len(a.Parties))
	for i, p := range a.Parties {
		out[i] = templates.PartChoice{Value: strconv.FormatInt(p.CompanyID, 10), Label: p.Company}
	}
	return out
}

// partPartyName names a party of the agreement by company id.
func partPartyName(a *licensing.Agreement, id int64) string {
	for _, p := range a.Parties {
		if p.CompanyID == id {
			return p.Company
		}
	}
	return ""
}

// partCompanyID reads a select of companies: "" is none; anything else must
// be a party of the agreement.
func partCompanyID(l *i18n.Locale, a *licensing.Agreement, errs templates.FieldErrors, field, value string) int64 {
	if value == "" {
		return 0
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || !a.IsParty(id) {
		errs[field] = l.T("grant.error.not_party")
		return 0
	}
	return id
}

// enumChoices offers the values of a domain enumeration with their labels
// from the catalog (prefix + value; the empty value is "once").
func enumChoices[T ~string](l *i18n.Locale, prefix string, values []T) []templates.PartChoice {
	out := make([]templates.PartChoice, len(values))
	for i, v := range values {
		key := string(v)
		if key == "" {
			key = "once"
		}
		out[i] = templates.PartChoice{Value: string(v), Label: l.T(prefix + key)}
	}
	return out
}

// partDate reads one date field into dst, or notes why it is no date.
func partDate(l *i18n.Locale, errs templates.FieldErrors, field, value string, dst *licensing.Date) {
	d, err := parseFormDate(value)
	if err != nil {
		errs[field] = domainMessage(l, err)
		return
	}
	*dst = d
}

// partDomainErrors adds the domain's messages to the form's, where the
// form has not already said something about the field.
func partDomainErrors(l *i18n.Locale, errs templates.FieldErrors, domain map[string]string) {
	for field, msg := range domain {
		if _, taken := errs[field]; !taken {
			errs[field] = l.Domain(msg)
		}
	}
}

// partStoreErrors shows the store's refusal on a form whose fields are
// named: messages of nested items ("grants.0.patents") go beside the field
// they name, and messages for fields the form does not have go on top, so
// that no refusal goes unseen.
func partStoreErrors(l *i18n.Locale, de *licensing.Error, fields []string) (templates.FieldErrors, string) {
	errs := templates.FieldErrors{}
	var top []string
	for key, msg := range de.Fields {
		field := key
		if i := strings.LastIndexByte(key, '.'); i >= 0 {
			field = key[i+1:]
		}
		field = strings.TrimSuffix(formField(field), "_id")
		if slices.Contains(fields, field) {
			errs[field] = l.Domain(msg)
		} else {
			top = append(top, l.Domain(msg))
		}
	}
	slices.Sort(top)
	if len(errs) == 0 && len(top) == 0 {
		return errs, l.Domain(de.Message)
	}
	return errs, strings.Join(top, " ")
}

// partStoreRefusal reports whether err is a refusal to show on the form
// (invalid input or a conflict), rather than a failure.
func partStoreRefusal(err error) (*licensing.Error, bool) {
	var de *licensing.Error
	if errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict) {
		return de, true
	}
	return nil, false
}

// partMaxLineProblems bounds the unknown numbers listed one by one; a
// pasted list of a thousand wrong numbers needs no thousand lines.
const partMaxLineProblems = 30

// partLines collects what is wrong with a list typed line by line.
type partLines struct {
	l        *i18n.Locale
	problems []string
	more     int
}

func (p *partLines) add(key string, args ...any) {
	if len(p.problems) == partMaxLineProblems {
		p.more++
		return
	}
	p.problems = append(p.problems, p.l.T(key, args...))
}

// message is the problems as one text, or "" when there are none.
func (p *partLines) message() string {
	msg := strings.Join(p.problems, " ")
	if p.more > 0 {
		msg += " " + p.l.T("grant.line.more", p.more)
	}
	return msg
}

// partPatentRefs reads a list of patent numbers in any notation, one per
// line or several separated by commas or semicolons, and finds each
// patent. What cannot be found is listed by the line it is on, so that a
// pasted list of hundreds can be corrected. A patent named twice counts once.
func (s *Server) partPatentRefs(ctx context.Context, l *i18n.Locale, text string) ([]licensing.PatentRef, string, error) {
	lines := partLines{l: l}
	var refs []licensing.PatentRef
	seen := map[int64]bool{}
	for i, line := range strings.Split(text, "\n") {
		for _, number := range licensing.SplitNumbers(line) {
			r, err := s.db.PatentByNumber(ctx, number)
			switch {
			case errors.Is(err, sqlite.ErrNotFound):
				lines.add("grant.line.no_patent", i+1, number)
			case licensing.ErrorCode(err) == licensing.Invalid || licensing.ErrorCode(err) == licensing.Conflict:
				lines.add("grant.line.problem", i+1, domainMessage(l, err))
			case err != nil:
				return nil, "", err
			case !seen[r.ID]:
				seen[r.ID] = true
				refs = append(refs, licensing.PatentRef{ID: r.ID, Number: r.Normalized})
			}
		}
	}
	return refs, lines.message(), nil
}

// partNumbersText writes resolved patents one per line, spaced for reading.
func partNumbersText(refs []licensing.PatentRef) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = patentDisplayNumber(r.Number)
	}
	return strings.Join(out, "\n")
}

// partSplit reads a list typed with commas, semicolons or line breaks.
func partSplit(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// partPage is the page data of an agreement-part page with its own title.
func (s *Server) partPage(c echo.Context, title string) (templates.Page, error) {
	p, err := s.page(c, "grant.page", "agreements")
	p.Title = title
	return p, err
}

// partConfirmDelete asks to confirm a removal, or with a refusal says why
// it was refused.
func (s *Server) partConfirmDelete(c echo.Context, status int, v templates.PartDeleteView) error {
	p, err := s.partPage(c, v.Heading)
	if err != nil {
		return err
	}
	return render(c, status, templates.PartDelete(p, v))
}

// partDelete removes a record through del and leads back to its
// agreement's section; a refusal (something still refers to it) comes back
// on the confirmation page.
func (s *Server) partDelete(c echo.Context, v templates.PartDeleteView, del func() error, agreementID int64, section, flash string, args ...string) error {
	err := del()
	if de, ok := partStoreRefusal(err); ok {
		v.Refusal = state(c).locale.Domain(de.Message)
		return s.partConfirmDelete(c, statusOf[de.Code], v)
	}
	if err != nil {
		return err
	}
	return s.partDone(c, agreementID, section, flash, args...)
}
