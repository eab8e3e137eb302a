package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/templates"
)

// rightsRoutes registers the rights check page.
func (s *Server) rightsRoutes(e *echo.Echo, viewer echo.MiddlewareFunc) {
	e.GET("/rights", s.rightsCheck, viewer)
}

// rightsCountries are offered as territories besides the EPC states: the
// offices legal staff ask about most. Any other country can be typed.
var rightsCountries = []string{"US", "CN", "JP", "KR", "IN", "TW", "HK", "BR", "CA", "AU", "RU", "UA", "MX", "ZA", "IL", "SG"}

// rightsCheck asks the rights engine the question of the form, a GET form
// so that an answer can be bookmarked and sent to a colleague. The form
// alone (or prefilled from a patent page) asks nothing; submitting it does.
func (s *Server) rightsCheck(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	today := patentDay(s)
	form := readRightsForm(c)
	v := templates.RightsCheckView{Form: form, Errors: templates.FieldErrors{}}
	if v.Form.On == "" {
		v.Form.On = today.String()
	}
	status := http.StatusOK
	if c.QueryParam("ask") != "" {
		ans, err := CheckRights(ctx, s.db, RightsRequest(form), today)
		var de *licensing.Error
		switch {
		case errors.As(err, &de) && de.Code == licensing.Invalid:
			status = http.StatusUnprocessableEntity
			v.Errors, v.Problem = storeFieldErrors(l, de)
		case err != nil:
			return err
		default:
			answer := rightsAnswerView(l, &ans)
			v.Answer = &answer
		}
	}
	if err := s.rightsChoices(ctx, l, &v); err != nil {
		return err
	}
	p, err := s.page(c, "rights.title", "rights")
	if err != nil {
		return err
	}
	return render(c, status, templates.RightsCheck(p, v))
}

// readRightsForm reads the question from the query, as typed.
func readRightsForm(c echo.Context) templates.RightsForm {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return templates.RightsForm{Company: get("company"), Patent: get("patent"), Activity: get("activity"),
		Territory: get("territory"), Field: get("field"), On: get("on"), WhatIf: get("what_if") != ""}
}

// rightsChoices fills the form's suggestions: companies, fields of use,
// countries and activities.
func (s *Server) rightsChoices(ctx context.Context, l *i18n.Locale, v *templates.RightsCheckView) error {
	var err error
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	if v.Fields, err = s.db.FieldsOfUse(ctx); err != nil {
		return err
	}
	v.Activities = catalogChoices(l, "enum.activity.", licensing.Activities)
	for _, code := range slices.Concat(licensing.EPCStates, rightsCountries) {
		v.Countries = append(v.Countries, templates.PatentChoice{Value: code, Label: countryName(l, code)})
	}
	order := collate.New(language.Make(l.Code()))
	slices.SortFunc(v.Countries, func(a, b templates.PatentChoice) int { return order.CompareString(a.Label, b.Label) })
	return nil
}

// countryName names a country in the reader's language, as a label on its
// own ("Vereinigte Staaten", not the "den Vereinigten Staaten" a sentence
// needs).
func countryName(l *i18n.Locale, code string) string {
	if key := "rights.country." + code; l.Has(key) {
		return l.T(key)
	}
	return plainText(plainTerritory(l, code))
}

// rightsAnswerView shows the engine's answer in the reader's language.
func rightsAnswerView(l *i18n.Locale, a *rights.Answer) templates.RightsAnswerView {
	v := templates.RightsAnswerView{
		Verdict: string(a.Verdict), Pending: a.Pending, WhatIf: a.WhatIf,
		Company: companyRef(a.Company),
		Patent:  templates.PatentRef{ID: a.PatentID, Number: patentDisplayNumber(a.Patent)},
		Field:   a.Field, On: a.On.Time(),
	}
	if a.Territory != "" {
		v.Territory = countryName(l, a.Territory) + " (" + a.Territory + ")"
	}
	if a.Activity != "" {
		v.Activity = l.T("enum.activity." + string(a.Activity))
	}
	v.Label, v.Tone, v.Headline = rightsHeadline(l, a)
	for _, b := range a.Bases {
		v.Bases = append(v.Bases, rightsBasisView(l, b, a.On))
	}
	for _, b := range a.ShutOut {
		v.ShutOut = append(v.ShutOut, rightsBasisView(l, b, a.On))
	}
	for _, n := range a.NearMisses {
		v.NearMisses = append(v.NearMisses, rightsMissView(l, n.Agreement, n.Grant, n.Licensor, n.Licensee, rights.Failure{Failed: n.Failed, Reason: n.Reason}))
	}
	for _, m := range a.Misses {
		var failures []templates.RightsNearMissView
		for _, f := range m.Failures {
			failures = append(failures, rightsMissView(l, m.Agreement, m.Grant, m.Licensor, m.Licensee, f))
		}
		v.Misses = append(v.Misses, failures)
	}
	for _, r := range a.Reasons {
		v.Reasons = append(v.Reasons, sentence(l, r))
	}
	// Where no licence is needed, the engine's one reason says why: the
	// answer shows it where a basis would stand.
	if a.Verdict == rights.NotRequired && !a.Pending {
		v.NoneNeeded = v.Reasons[0]
	}
	return v
}

// rightsMissView shows one condition a grant fails.
func rightsMissView(l *i18n.Locale, a rights.AgreementRef, grant int64, licensor, licensee rights.Party, f rights.Failure) templates.RightsNearMissView {
	return templates.RightsNearMissView{Agreement: titleAgreement(a), GrantID: grant, Licensor: companyRef(licensor),
		Licensee: companyRef(licensee), Failed: string(f.Failed), FailedLabel: l.T("rights.failed." + string(f.Failed)),
		Reason: sentence(l, f.Reason)}
}

// rightsHeadline is the verdict in a word (with the tone that marks it) and
// in one plain sentence, composed from the catalog rather than taken from
// the engine's first reason, so that it names the verdict in the reader's
// words.
func rightsHeadline(l *i18n.Locale, a *rights.Answer) (label, tone, headline string) {
	company, patent, on := a.Company.Name, patentDisplayNumber(a.Patent), l.Date(a.On.Time())
	// Every basis comes from an agreement not yet signed: the answer holds
	// only if it is signed as drafted.
	hypothetical := len(a.Bases) > 0 && !slices.ContainsFunc(a.Bases, func(b rights.Basis) bool { return !b.Hypothetical })
	where := ""
	if a.Territory != "" {
		where = plainText(plainTerritory(l, a.Territory))
	}
	switch {
	case a.Pending && len(a.Bases) > 0:
		return l.T("rights.label.pending"), "neutral", l.T("rights.verdict.pending_covered", patent, company)
	case a.Pending:
		return l.T("rights.label.pending"), "neutral", l.T("rights.verdict.pending_not_covered", patent, company)
	case a.Verdict == rights.NotRequired && where == "":
		return l.T("rights.label.not_required"), "neutral", l.T("rights.verdict.not_required_anywhere", patent, on)
	case a.Verdict == rights.NotRequired:
		return l.T("rights.label.not_required"), "neutral", l.T("rights.verdict.not_required", patent, where, on)
	case a.Verdict == rights.Covered && hypothetical:
		return l.T("rights.label.hypothetical"), "hypothetical", l.T("rights.verdict.covered_hypothetical", company, patent, where, on)
	case a.Verdict == rights.Covered:
		return l.T("rights.label.covered"), "ok", l.T("rights.verdict.covered", company, patent, where, on)
	}
	return l.T("rights.label.not_covered"), "bad", l.T("rights.verdict.not_covered", company, patent, where, on)
}

// rightsBasisView shows one basis: ownership or a grant, with its limits
// and, under a renewing agreement, the term its last day rests on, for a
// question about day on.
func rightsBasisView(l *i18n.Locale, b rights.Basis, on licensing.Date) templates.RightsBasisView {
	v := templates.RightsBasisView{
		Kind: string(b.Kind), KindLabel: l.T("rights.basis.kind." + string(b.Kind)),
		Agreement: titleAgreement(b.Agreement), GrantID: b.Grant,
		Licensor: companyRef(b.Licensor), Licensee: companyRef(b.Licensee), Holder: companyRef(b.Holder),
		Through: companyRef(b.Through), Until: b.Until.Time(), Fields: b.Fields,
		Renewal: renewalNote(l, b.Renewal, on), Hypothetical: b.Hypothetical, Reason: sentence(l, b.Reason),
	}
	if b.Kind == rights.License {
		v.Territories = rightsTerritories(l, b.Territories)
	}
	for _, a := range b.Activities {
		v.Activities = append(v.Activities, l.T("enum.activity."+string(a)))
	}
	return v
}

// rightsTerritories names a grant's territories as a label: worldwide, or
// the countries and regions by name.
func rightsTerritories(l *i18n.Locale, codes []string) string {
	if len(codes) == 0 || slices.Contains(codes, licensing.TerritoryWorld) {
		return l.T("rights.basis.worldwide")
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		switch c {
		case licensing.TerritoryEU:
			names[i] = l.T("rights.territory.eu")
		case licensing.TerritoryEPC:
			names[i] = l.T("rights.territory.epc")
		default:
			names[i] = countryName(l, c)
		}
	}
	return strings.Join(names, ", ")
}

// titleAgreement links an agreement the engine names.
func titleAgreement(a rights.AgreementRef) templates.TitleAgreement {
	return templates.TitleAgreement{ID: a.ID, Reference: a.Reference, Title: a.Title}
}

// companyRef links a company the engine names; an empty party stays empty.
func companyRef(p rights.Party) templates.CompanyRef {
	return templates.CompanyRef{ID: p.ID, Name: p.Name}
}
