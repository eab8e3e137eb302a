package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// companyJSON is a company as the API answers it: the parent by legal name
// with its id beside it, absent values as null, lists never null.
type companyJSON struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	ShortName   *string  `json:"short_name"`
	Country     *string  `json:"country"`
	Parent      *string  `json:"parent"`
	ParentID    *int64   `json:"parent_id"`
	ControlFrom *string  `json:"control_from"`
	ControlTo   *string  `json:"control_to"`
	Aliases     []string `json:"aliases"`
}

// newCompanyJSON answers a company whose parent bears parentName.
func newCompanyJSON(co *licensing.Company, parentName string) companyJSON {
	j := companyJSON{ID: co.ID, Name: co.Name, ShortName: jsonText(co.ShortName), Country: jsonText(co.Country),
		ControlFrom: jsonDate(co.ControlFrom), ControlTo: jsonDate(co.ControlTo), Aliases: jsonList(co.Aliases)}
	if co.ParentID != 0 {
		id := co.ParentID
		j.Parent, j.ParentID = &parentName, &id
	}
	return j
}

// companyBody is the body of a create (POST) or an update (PATCH): each
// field sent replaces the company's, null clears it.
type companyBody struct {
	Name        bodyField[string]   `json:"name"`
	ShortName   bodyField[string]   `json:"short_name"`
	Country     bodyField[string]   `json:"country"`
	Parent      bodyField[apiRef]   `json:"parent"`
	ControlFrom bodyField[string]   `json:"control_from"`
	ControlTo   bodyField[string]   `json:"control_to"`
	Aliases     bodyField[[]string] `json:"aliases"`
}

// companyFieldNames maps the domain's field names to the request's.
var companyFieldNames = map[string]string{"parent_id": "parent"}

// apply writes the fields sent into co. It refuses (422) with a message
// for each field that is wrong: references that name no company, dates
// that are no dates, then the domain's rules.
func (b companyBody) apply(s *Server, ctx context.Context, co *licensing.Company) error {
	errs := map[string]string{}
	if b.Name.Set {
		co.Name = b.Name.text()
	}
	if b.ShortName.Set {
		co.ShortName = b.ShortName.text()
	}
	if b.Country.Set {
		co.Country = strings.ToUpper(b.Country.text())
	}
	if b.Parent.Set {
		co.ParentID = 0
		if ref := b.Parent.text(); ref != "" {
			p, err := s.companyRef(ctx, ref)
			if err != nil && !refProblem(errs, "parent", err) {
				return err
			}
			if p != nil {
				co.ParentID = p.ID
			}
		}
	}
	b.ControlFrom.date(errs, "control_from", &co.ControlFrom)
	b.ControlTo.date(errs, "control_to", &co.ControlTo)
	if b.Aliases.Set {
		co.Aliases = trimLabels(b.Aliases.Value)
	}
	domain := co.Validate()
	if errs["parent"] != "" {
		// Without the parent found, "a control period needs a parent" says nothing new.
		delete(domain, "control_from")
		delete(domain, "control_to")
	}
	mergeDomainErrors(errs, domain, companyFieldNames)
	return fieldErrors("the company has invalid fields", errs)
}

// apiCompanyCreate records a new company: 201 with the company as GET
// answers it; a legal name or alias already taken is a 409.
func (s *Server) apiCompanyCreate(c echo.Context) error {
	var body companyBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	co := &licensing.Company{}
	if err := body.apply(s, c.Request().Context(), co); err != nil {
		return err
	}
	if err := s.db.CreateCompany(c.Request().Context(), s.actor(c), co); err != nil {
		return renameFields(err, companyFieldNames)
	}
	return s.answerCompany(c, http.StatusCreated, co.ID)
}

// apiCompanyUpdate changes the fields of a company that the body sends.
func (s *Server) apiCompanyUpdate(c echo.Context) error {
	co, err := s.companyInPath(c)
	if err != nil {
		return err
	}
	var body companyBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if err := body.apply(s, c.Request().Context(), co); err != nil {
		return err
	}
	if err := s.db.UpdateCompany(c.Request().Context(), s.actor(c), co); err != nil {
		return renameFields(err, companyFieldNames)
	}
	return s.answerCompany(c, http.StatusOK, co.ID)
}

// apiCompanyDelete deletes a company that nothing refers to: 204; a
// company with subsidiaries, patents or agreements is a 409 saying which.
func (s *Server) apiCompanyDelete(c echo.Context) error {
	co, err := s.companyInPath(c)
	if err != nil {
		return err
	}
	if err := s.db.DeleteCompany(c.Request().Context(), s.actor(c), co.ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiCompanyShow answers one company, named in the path by id, legal name,
// alias or a short name only it bears.
func (s *Server) apiCompanyShow(c echo.Context) error {
	co, err := s.companyInPath(c)
	if err != nil {
		return err
	}
	return s.answerCompany(c, http.StatusOK, co.ID)
}

// companyInPath finds the company the path names: 404 when none, 409
// (listing the candidates) when several.
func (s *Server) companyInPath(c echo.Context) (*licensing.Company, error) {
	return s.companyRef(c.Request().Context(), pathRef(c, "ref"))
}

// answerCompany reads a company afresh and answers it with status.
func (s *Server) answerCompany(c echo.Context, status int, id int64) error {
	ctx := c.Request().Context()
	co, err := s.db.Company(ctx, id)
	if err != nil {
		return err
	}
	parent, err := s.parentName(ctx, co)
	if err != nil {
		return err
	}
	return c.JSON(status, newCompanyJSON(co, parent))
}

// parentName is the legal name of a company's parent, "" without one.
func (s *Server) parentName(ctx context.Context, co *licensing.Company) (string, error) {
	if co.ParentID == 0 {
		return "", nil
	}
	p, err := s.db.Company(ctx, co.ParentID)
	if errors.Is(err, sqlite.ErrNotFound) {
		return "", nil // deleted in between; the answer shows the id alone
	}
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

// apiCompanies lists companies by legal name, a page at a time; q finds a
// part of the legal name, short name or an alias.
func (s *Server) apiCompanies(c echo.Context) error {
	if err := rejectUnknownParams(c, "q", "limit", "cursor"); err != nil {
		return err
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	after, err := decodeAPICursor(c, filteredList(c, "companies"))
	if err != nil {
		return err
	}
	f := sqlite.CompanyFilter{Limit: limit}
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		f.Query = &q
	}
	if after != "" {
		f.After = &after
	}
	ctx := c.Request().Context()
	page, next, err := s.db.Companies(ctx, f)
	if err != nil {
		return err
	}
	names, err := s.companyNames(ctx)
	if err != nil {
		return err
	}
	items := make([]companyJSON, 0, len(page))
	for _, co := range page {
		items = append(items, newCompanyJSON(co, names[co.ParentID]))
	}
	return c.JSON(http.StatusOK, newListPage(items, encodeAPICursor(filteredList(c, "companies"), next)))
}
