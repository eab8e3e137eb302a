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

// agreementPartRoutes registers the forms that change what lives inside an
// agreement: grants, assignments, obligations (and their occurrences) and
// documents. Every change needs an editor; downloading a document, a viewer.
// Each change leads back to its section of the agreement page.
func (s *Server) agreementPartRoutes(e *echo.Echo, viewer, editor echo.MiddlewareFunc) {
	e.GET("/agreements/:id/grants/new", s.grantNew, editor)
	e.POST("/agreements/:id/grants", s.grantCreate, editor)
	e.GET("/grants/:id/edit", s.grantEdit, editor)
	e.POST("/grants/:id", s.grantUpdate, editor)
	e.GET("/grants/:id/delete", s.grantConfirmDelete, editor)
	e.POST("/grants/:id/delete", s.grantDelete, editor)

	e.GET("/agreements/:id/assignments/new", s.assignmentNew, editor)
	e.POST("/agreements/:id/assignments", s.assignmentCreate, editor)
	e.GET("/assignments/:id/edit", s.assignmentEdit, editor)
	e.POST("/assignments/:id", s.assignmentUpdate, editor)
	e.GET("/assignments/:id/delete", s.assignmentConfirmDelete, editor)
	e.POST("/assignments/:id/delete", s.assignmentDelete, editor)

	e.GET("/agreements/:id/obligations/new", s.obligationNew, editor)
	e.POST("/agreements/:id/obligations", s.obligationCreate, editor)
	e.GET("/obligations/:id/edit", s.obligationEdit, editor)
	e.POST("/obligations/:id", s.obligationUpdate, editor)
	e.GET("/obligations/:id/delete", s.obligationConfirmDelete, editor)
	e.POST("/obligations/:id/delete", s.obligationDelete, editor)
	e.POST("/obligations/:id/occurrences", s.occurrenceMark, editor)

	e.POST("/agreements/:id/documents", s.documentCreate, editor)
	e.GET("/documents/:id", s.documentDownload, viewer)
	e.GET("/documents/:id/delete", s.documentConfirmDelete, editor)
	e.POST("/documents/:id/delete", s.documentDelete, editor)
}

// grantFields are the grant form's fields, where the store's refusals go.
var grantFields = []string{"licensor", "licensee", "licensee_affiliates", "licensor_affiliates", "scope", "patents",
	"families", "capture_from", "capture_to", "tags", "standards", "offices", "activities", "territories", "fields",
	"exclusivity", "sublicensable", "parent_grant", "starts_on", "ends_on", "royalty_bearing", "past_release"}

// grantForm is the grant form as submitted.
type grantForm struct {
	templates.GrantFormInput
}

func readGrantForm(c echo.Context) grantForm {
	get := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	yes := func(name string) bool { return c.FormValue(name) == "yes" }
	ticked, _ := c.FormParams() // a form that cannot be parsed was refused by limitBody
	return grantForm{templates.GrantFormInput{
		Licensor: get("licensor"), Licensee: get("licensee"), LicenseeAffiliates: yes("licensee_affiliates"),
		LicensorAffiliates: yes("licensor_affiliates"), Scope: get("scope"), Patents: c.FormValue("patents"),
		Families: c.FormValue("families"), CaptureFrom: get("capture_from"), CaptureTo: get("capture_to"),
		Tags: get("tags"), Standards: get("standards"), Offices: get("offices"),
		Activities: ticked["activities"], Territories: get("territories"), Fields: get("fields"),
		Exclusivity: get("exclusivity"), Sublicensable: yes("sublicensable"), ParentGrant: get("parent_grant"),
		StartsOn: get("starts_on"), EndsOn: get("ends_on"), RoyaltyBearing: yes("royalty_bearing"), PastRelease: yes("past_release"),
	}}
}

// grantFormOf fills the form with a stored grant, for editing.
func grantFormOf(g *licensing.Grant) grantForm {
	f := grantForm{templates.GrantFormInput{
		Licensor: strconv.FormatInt(g.LicensorID, 10), Licensee: strconv.FormatInt(g.LicenseeID, 10),
		LicenseeAffiliates: g.LicenseeAffiliates, LicensorAffiliates: g.LicensorAffiliates, Scope: string(g.Scope.Kind),
		Patents: partNumbersText(g.Scope.Patents), Families: strings.Join(g.Scope.Families, "\n"),
		CaptureFrom: g.Scope.CaptureFrom.String(), CaptureTo: g.Scope.CaptureTo.String(),
		Tags: strings.Join(g.Scope.Tags, ", "), Standards: strings.Join(g.Scope.Standards, ", "),
		Offices: strings.Join(g.Scope.Offices, ", "), Territories: strings.Join(g.Territories, ", "),
		Fields: strings.Join(g.Fields, ", "), Exclusivity: string(g.Exclusivity), Sublicensable: g.Sublicensable,
		StartsOn: g.StartsOn.String(), EndsOn: g.EndsOn.String(), RoyaltyBearing: g.RoyaltyBearing, PastRelease: g.PastRelease,
	}}
	for _, a := range g.Activities {
		f.Activities = append(f.Activities, string(a))
	}
	if g.ParentGrantID != 0 {
		f.ParentGrant = strconv.FormatInt(g.ParentGrantID, 10)
	}
	return f
}

// scopeFields are, for each scope, the form fields that belong to it alone.
var scopeFields = map[licensing.ScopeKind][]string{
	licensing.ScopePatents:   {"patents"},
	licensing.ScopeFamilies:  {"families"},
	licensing.ScopePortfolio: {"capture_from", "capture_to", "tags", "standards", "offices"},
}

// values are the form's list and date fields by name, for the scope check.
func (f grantForm) values() map[string]string {
	return map[string]string{"patents": strings.TrimSpace(f.Patents), "families": strings.TrimSpace(f.Families),
		"capture_from": f.CaptureFrom, "capture_to": f.CaptureTo, "tags": f.Tags, "standards": f.Standards, "offices": f.Offices}
}

// grantOf turns the form into a grant of agreement a and checks it: the
// form's own reading (dates, numbers, families, the parent grant), then the
// domain's rules. A list filled in for another scope than the one chosen
// is pointed out rather than silently dropped.
func (s *Server) grantOf(ctx context.Context, l *i18n.Locale, a *licensing.Agreement, f grantForm) (*licensing.Grant, templates.FieldErrors, error) {
	errs := templates.FieldErrors{}
	g := &licensing.Grant{AgreementID: a.ID, LicenseeAffiliates: f.LicenseeAffiliates, LicensorAffiliates: f.LicensorAffiliates,
		Territories: partSplit(strings.ToUpper(strings.ReplaceAll(f.Territories, " ", ","))), Fields: partSplit(f.Fields),
		Exclusivity: licensing.Exclusivity(f.Exclusivity), Sublicensable: f.Sublicensable,
		RoyaltyBearing: f.RoyaltyBearing, PastRelease: f.PastRelease}
	g.LicensorID = partCompanyID(l, a, errs, "licensor", f.Licensor)
	g.LicenseeID = partCompanyID(l, a, errs, "licensee", f.Licensee)
	for _, act := range f.Activities {
		g.Activities = append(g.Activities, licensing.Activity(act))
	}
	partDate(l, errs, "starts_on", f.StartsOn, &g.StartsOn)
	partDate(l, errs, "ends_on", f.EndsOn, &g.EndsOn)
	kind := licensing.ScopeKind(f.Scope)
	g.Scope.Kind = kind
	values := f.values()
	for other, fields := range scopeFields {
		if other == kind || !slices.Contains(licensing.ScopeKinds, kind) {
			continue
		}
		for _, field := range fields {
			if values[field] != "" {
				errs[field] = l.T("grant.error.other_scope", l.T("enum.scope."+string(other)))
			}
		}
	}
	switch kind {
	case licensing.ScopePatents:
		refs, problems, err := s.partPatentRefs(ctx, l, f.Patents)
		if err != nil {
			return nil, nil, err
		}
		g.Scope.Patents = refs
		if problems != "" {
			errs["patents"] = problems
		}
	case licensing.ScopeFamilies:
		families, problems, err := s.grantFamilies(ctx, l, f.Families)
		if err != nil {
			return nil, nil, err
		}
		g.Scope.Families = families
		if problems != "" {
			errs["families"] = problems
		}
	case licensing.ScopePortfolio:
		partDate(l, errs, "capture_from", f.CaptureFrom, &g.Scope.CaptureFrom)
		partDate(l, errs, "capture_to", f.CaptureTo, &g.Scope.CaptureTo)
		g.Scope.Tags, g.Scope.Standards = partSplit(f.Tags), partSplit(f.Standards)
		g.Scope.Offices = partSplit(strings.ToUpper(f.Offices))
	}
	if f.ParentGrant != "" {
		if err := s.grantParent(ctx, l, g, f.ParentGrant, errs); err != nil {
			return nil, nil, err
		}
	}
	partDomainErrors(l, errs, g.Validate(a))
	if errs["scope"] != "" {
		// Without a scope the lists have not been read; the scope is the problem.
		delete(errs, "patents")
		delete(errs, "families")
	}
	return g, errs, nil
}

// grantFamilies reads family keys, one per line or separated by commas,
// and lists by line those of which no patent is recorded.
func (s *Server) grantFamilies(ctx context.Context, l *i18n.Locale, text string) ([]string, string, error) {
	lines := partLines{l: l}
	var keys []string
	for i, line := range strings.Split(text, "\n") {
		for _, key := range partSplit(line) {
			if slices.Contains(keys, key) {
				continue
			}
			members, err := s.db.FamilyMembers(ctx, key)
			if err != nil {
				return nil, "", err
			}
			if len(members) == 0 {
				lines.add("grant.line.no_family", i+1, key)
				continue
			}
			keys = append(keys, key)
		}
	}
	return keys, lines.message(), nil
}

// grantParent reads the parent grant's number; the store checks that it
// may carry this sublicence.
func (s *Server) grantParent(ctx context.Context, l *i18n.Locale, g *licensing.Grant, text string, errs templates.FieldErrors) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(text, "#"), 10, 64)
	if err != nil || id <= 0 {
		errs["parent_grant"] = l.T("grant.error.parent_number", text)
		return nil
	}
	if _, err := s.db.Grant(ctx, id); errors.Is(err, sqlite.ErrNotFound) {
		errs["parent_grant"] = l.T("grant.error.parent_unknown", strconv.FormatInt(id, 10))
		return nil
	} else if err != nil {
		return err
	}
	g.ParentGrantID = id
	return nil
}

// renderGrantForm shows the form for a new grant of agreement a (id 0) or
// for changing grant id.
func (s *Server) renderGrantForm(c echo.Context, status int, a *licensing.Agreement, id int64, f grantForm, errs templates.FieldErrors, message string) error {
	ctx, l := c.Request().Context(), state(c).locale
	v := templates.GrantFormView{
		PartFormHead: templates.PartFormHead{About: l.T("grant.form.about"), Agreement: a.Reference, Errors: errs,
			Message: message, CancelURL: partHref(a.ID, "grants")},
		Form: f.GrantFormInput, Parties: partParties(a), ScopeKinds: enumChoices(l, "enum.scope.", licensing.ScopeKinds),
		Activities: enumChoices(l, "enum.activity.", licensing.Activities), Exclusivities: enumChoices(l, "enum.exclusivity.", licensing.Exclusivities),
	}
	if id == 0 {
		v.Heading, v.Action = l.T("grant.new.title", a.Reference), fmt.Sprintf("/agreements/%d/grants", a.ID)
	} else {
		v.Heading, v.Action = l.T("grant.edit.title", strconv.FormatInt(id, 10), a.Reference), fmt.Sprintf("/grants/%d", id)
	}
	if len(errs) > 0 && message == "" {
		v.Message = l.T("form.invalid")
	}
	var err error
	if v.FieldsOfUse, err = s.db.FieldsOfUse(ctx); err != nil {
		return err
	}
	if parent, err := strconv.ParseInt(f.ParentGrant, 10, 64); err == nil && parent > 0 {
		if pg, err := s.db.Grant(ctx, parent); err == nil {
			if pa, err := s.agreementHead(ctx, pg.AgreementID); err == nil {
				v.ParentAgreement, v.ParentHref = pa.Reference, partHref(pa.ID, "grants")
			}
		}
	}
	p, err := s.partPage(c, v.Heading)
	if err != nil {
		return err
	}
	return render(c, status, templates.GrantFormPage(p, v))
}

// grantOfParam reads the grant named by the :id of the path and its agreement.
func (s *Server) grantOfParam(c echo.Context) (*licensing.Grant, *licensing.Agreement, error) {
	return partOfParam(s, c, "grant", s.db.Grant, func(x *licensing.Grant) int64 { return x.AgreementID })
}

func (s *Server) grantNew(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	f := grantForm{templates.GrantFormInput{Exclusivity: string(licensing.NonExclusive)}}
	licensor, licensee := grantPartyID(a, licensing.RoleLicensor), grantPartyID(a, licensing.RoleLicensee)
	if licensor == 0 && licensee == 0 && len(a.Parties) == 2 {
		// The usual cross-licence: one grant each way; the first is prefilled.
		licensor, licensee = a.Parties[0].CompanyID, a.Parties[1].CompanyID
	}
	if licensor != 0 {
		f.Licensor = strconv.FormatInt(licensor, 10)
	}
	if licensee != 0 {
		f.Licensee = strconv.FormatInt(licensee, 10)
	}
	return s.renderGrantForm(c, http.StatusOK, a, 0, f, nil, "")
}

// grantPartyID is the agreement's only party in the given role, to prefill
// a new grant; 0 when no party, or more than one, has it.
func grantPartyID(a *licensing.Agreement, role licensing.PartyRole) int64 {
	var id int64
	for _, p := range a.Parties {
		if p.Role == role {
			if id != 0 {
				return 0
			}
			id = p.CompanyID
		}
	}
	return id
}

func (s *Server) grantEdit(c echo.Context) error {
	g, a, err := s.grantOfParam(c)
	if err != nil {
		return err
	}
	return s.renderGrantForm(c, http.StatusOK, a, g.ID, grantFormOf(g), nil, "")
}

func (s *Server) grantCreate(c echo.Context) error {
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	return s.saveGrant(c, a, 0)
}

func (s *Server) grantUpdate(c echo.Context) error {
	g, a, err := s.grantOfParam(c)
	if err != nil {
		return err
	}
	return s.saveGrant(c, a, g.ID)
}

// saveGrant adds a grant to agreement a (id 0) or changes grant id; what
// the form or the store refuses comes back on the form, input kept.
func (s *Server) saveGrant(c echo.Context, a *licensing.Agreement, id int64) error {
	ctx, l := c.Request().Context(), state(c).locale
	f := readGrantForm(c)
	g, errs, err := s.grantOf(ctx, l, a, f)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderGrantForm(c, http.StatusUnprocessableEntity, a, id, f, errs, "")
	}
	g.ID = id
	flash := "grant.flash.updated"
	if id == 0 {
		err, flash = s.db.AddGrant(ctx, s.actor(c), a.ID, g), "grant.flash.created"
	} else {
		err = s.db.UpdateGrant(ctx, s.actor(c), g)
	}
	if de, ok := partStoreRefusal(err); ok {
		errs, message := partStoreErrors(l, de, grantFields)
		return s.renderGrantForm(c, statusOf[de.Code], a, id, f, errs, message)
	}
	if err != nil {
		return err
	}
	return s.partDone(c, a.ID, "grants", flash, partPartyName(a, g.LicensorID), partPartyName(a, g.LicenseeID))
}

// grantDeleteView describes the grant whose removal is to be confirmed.
func grantDeleteView(l *i18n.Locale, g *licensing.Grant, a *licensing.Agreement) templates.PartDeleteView {
	return templates.PartDeleteView{
		Heading: l.T("grant.delete.title", strconv.FormatInt(g.ID, 10)), Subject: l.T("grant.delete.subject", g.Licensor, g.Licensee, a.Reference),
		Body: l.T("grant.delete.body"), Action: fmt.Sprintf("/grants/%d/delete", g.ID), CancelURL: partHref(a.ID, "grants"),
	}
}

func (s *Server) grantConfirmDelete(c echo.Context) error {
	g, a, err := s.grantOfParam(c)
	if err != nil {
		return err
	}
	return s.partConfirmDelete(c, http.StatusOK, grantDeleteView(state(c).locale, g, a))
}

// grantDelete removes a grant; the store refuses while sublicences name it.
func (s *Server) grantDelete(c echo.Context) error {
	g, a, err := s.grantOfParam(c)
	if err != nil {
		return err
	}
	del := func() error { return s.db.DeleteGrant(c.Request().Context(), s.actor(c), g.ID) }
	return s.partDelete(c, grantDeleteView(state(c).locale, g, a), del, a.ID, "grants", "grant.flash.deleted", g.Licensor, g.Licensee)
}
