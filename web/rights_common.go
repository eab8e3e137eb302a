package web

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// RightsRequest is a rights question as a user or a script writes it: the
// company by id or name, the patent by id or by number in any notation,
// and optionally an activity, a country, a field and the day (YYYY-MM-DD
// or DD.MM.YYYY). Its fields are those of the page's templates.RightsForm,
// so that the page converts its form with RightsRequest(form).
type RightsRequest struct {
	Company   string
	Patent    string
	Activity  string
	Territory string
	Field     string
	On        string
	WhatIf    bool
}

// CheckRights answers a rights question with the engine, over the facts
// storage gathers for the one patent asked about. The day defaults to
// today, the territory to the patent's country. Input that names nothing
// or does not parse is an Invalid error with a message per field (company,
// patent, on, territory, activity); nothing is answered then. The command
// line and the rights page share it.
func CheckRights(ctx context.Context, db *sqlite.DB, req RightsRequest, today licensing.Date) (rights.Answer, error) {
	errs := map[string]string{}
	q := rights.Question{On: today, Field: strings.TrimSpace(req.Field), WhatIf: req.WhatIf}
	ref := strings.TrimSpace(req.Company)
	company, err := companyByRef(ctx, db, ref)
	switch {
	case ref == "":
		errs["company"] = "Name the company that wants to practise the patent."
	case errors.Is(err, sqlite.ErrNotFound):
		errs["company"] = "No company of that id or name is recorded."
	case err != nil:
		return rights.Answer{}, err
	default:
		q.Company = company.ID
	}
	patent, problem, err := patentByRef(ctx, db, req.Patent)
	if err != nil {
		return rights.Answer{}, err
	}
	if problem != "" {
		errs["patent"] = problem
	}
	if on, err := parseFormDate(req.On); err != nil {
		errs["on"] = errorText(err)
	} else if !on.IsZero() {
		q.On = on
	}
	if a := strings.TrimSpace(req.Activity); a != "" {
		if !slices.Contains(licensing.Activities, licensing.Activity(a)) {
			errs["activity"] = "Choose one of the activities make, use, sell, offer_to_sell, import or have_made, or none for any."
		}
		q.Activity = licensing.Activity(a)
	}
	// A country typed is checked whatever else is wrong; none typed means
	// the patent's own, which an EP patent lacks (a WO one needs none).
	q.Territory = strings.ToUpper(strings.TrimSpace(req.Territory))
	switch {
	case q.Territory != "":
		if !licensing.ValidCountry(q.Territory) {
			errs["territory"] = "Name one country by its two-letter code, such as DE."
		}
	case patent == nil || patent.Office == "WO":
	default:
		if q.Territory = rights.DefaultTerritory(&patent.Patent); q.Territory == "" {
			errs["territory"] = "An EP patent covers several countries: name the country to ask about, such as DE."
		}
	}
	if len(errs) > 0 {
		return rights.Answer{}, &licensing.Error{Code: licensing.Invalid, Message: "the rights question is incomplete", Fields: errs}
	}
	// Whether a licence is needed at all (the patent in force in the
	// country on the day) rests on the patent alone: the chain of title
	// and the grants are read only where one is needed (or the patent is
	// pending, whose answer says what would cover it).
	names := map[int64]string{company.ID: company.Name}
	if ans, err := rights.Check(q, &rights.Facts{Patent: patent.Patent, Names: names}); err == nil && ans.Verdict == rights.NotRequired && !ans.Pending {
		return ans, nil
	}
	facts, err := db.PatentFactsFor(ctx, patent, company.ID)
	if err != nil {
		return rights.Answer{}, err
	}
	facts.Names[company.ID] = company.Name // storage names those the facts name, not who asks
	return rights.Check(q, engineFacts(facts))
}

// errorText is the English message of a domain error, without its code;
// pages translate it with Locale.Domain.
func errorText(err error) string {
	var de *licensing.Error
	if errors.As(err, &de) && de.Message != "" {
		return de.Message
	}
	return err.Error()
}

// companyByRef finds a company by id, legal name or alias.
func companyByRef(ctx context.Context, db *sqlite.DB, ref string) (*licensing.Company, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		c, err := db.Company(ctx, id)
		if !errors.Is(err, sqlite.ErrNotFound) {
			return c, err
		}
	}
	return db.CompanyByName(ctx, ref)
}

// patentByRef finds a patent by id or by number in any notation; problem
// says why ref names no single patent.
func patentByRef(ctx context.Context, db *sqlite.DB, ref string) (p *sqlite.PatentRecord, problem string, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, "Name the patent by its number, in any notation.", nil
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		p, err := db.Patent(ctx, id)
		if !errors.Is(err, sqlite.ErrNotFound) {
			return p, "", err
		}
	}
	p, err = db.PatentByNumber(ctx, ref)
	var de *licensing.Error
	switch {
	case errors.Is(err, sqlite.ErrNotFound):
		return nil, "No patent of that number is recorded.", nil
	case errors.As(err, &de) && (de.Code == licensing.Invalid || de.Code == licensing.Conflict):
		return nil, de.Message, nil
	}
	return p, "", err
}

// engineFacts hands storage's facts to the engine.
func engineFacts(f *sqlite.PatentFacts) *rights.Facts {
	return &rights.Facts{Patent: f.Patent, Chain: f.Chain, Links: f.Links, Names: f.Names, Grants: engineGrants(f.Grants)}
}

// engineGrants converts storage's grant facts to the engine's.
func engineGrants(grants []sqlite.GrantFact) []rights.GrantFact {
	out := make([]rights.GrantFact, len(grants))
	for i, g := range grants {
		out[i] = rights.GrantFact(g)
	}
	return out
}

// sentence renders an explanation of the engine in the reader's language:
// the catalog's translation of its format, with dates, lists and nested
// sentences in the reader's form.
func sentence(l *i18n.Locale, t rights.Text) string {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch v := a.(type) {
		case licensing.Date:
			args[i] = l.Date(v.Time())
		case []string:
			args[i] = strings.Join(v, ", ")
		case rights.PatentNumber:
			args[i] = patentDisplayNumber(string(v))
		case rights.Country:
			args[i] = plainText(plainTerritory(l, string(v)))
		case rights.Territories:
			names := make([]string, len(v))
			for j, code := range v {
				names[j] = plainTerritory(l, code)
			}
			args[i] = plainText(plainAnd(l, names))
		case []licensing.Activity:
			words := make([]string, len(v))
			for j, act := range v {
				words[j] = activityWord(l, act)
			}
			args[i] = strings.Join(words, ", ")
		case rights.Text:
			args[i] = sentence(l, v)
		default:
			args[i] = a
		}
	}
	return rights.EndOnce(l.DomainFormat(t.Format, args...))
}

// activityWord names an activity inside a sentence, as the plain words
// of a grant do.
func activityWord(l *i18n.Locale, a licensing.Activity) string {
	return l.T("grant.words.activity." + string(a))
}
