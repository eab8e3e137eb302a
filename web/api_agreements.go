package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// apiAgreementRoutes registers this part of the JSON API: agreements as a
// whole, and (api_agreement_parts.go) the grants, assignments and
// obligations inside one.
func (s *Server) apiAgreementRoutes(e *echo.Echo, read, write echo.MiddlewareFunc) {
	e.GET(apiPrefix+"/agreements", s.apiAgreements, read)
	e.POST(apiPrefix+"/agreements", s.apiAgreementCreate, write)
	e.GET(apiPrefix+"/agreements/:ref", s.apiAgreement, read)
	e.PATCH(apiPrefix+"/agreements/:ref", s.apiAgreementUpdate, write)
	e.DELETE(apiPrefix+"/agreements/:ref", s.apiAgreementDelete, write)
	s.apiAgreementPartRoutes(e, read, write)
}

// apiAgreementParams are the query parameters of the agreements list.
var apiAgreementParams = []string{"q", "kind", "status", "party", "affiliates", "in_force_on", "expires_from", "expires_before", "limit", "cursor"}

// apiAgreements lists agreements by reference, each nested as posted.
func (s *Server) apiAgreements(c echo.Context) error {
	if err := rejectUnknownParams(c, apiAgreementParams...); err != nil {
		return err
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	after, err := decodeAPICursor(c, filteredList(c, "agreements"))
	if err != nil {
		return err
	}
	f, err := s.apiAgreementFilter(c)
	if err != nil {
		return err
	}
	if f.Limit = limit; after != "" {
		f.After = &after
	}
	list, next, err := s.db.WholeAgreements(c.Request().Context(), f)
	if err != nil {
		return err
	}
	items := make([]apiAgreement, len(list))
	for i, a := range list {
		items[i] = apiAgreementOf(a)
	}
	return c.JSON(http.StatusOK, newListPage(items, encodeAPICursor(filteredList(c, "agreements"), next)))
}

// apiAgreementFilter reads the list's filters: the same as the agreements
// page's, with party a company reference whose corporate group today
// counts too when affiliates is true.
func (s *Server) apiAgreementFilter(c echo.Context) (sqlite.AgreementFilter, error) {
	var f sqlite.AgreementFilter
	errs := map[string]string{}
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		f.Query = &q
	}
	if v := c.QueryParam("kind"); v != "" {
		k, err := licensing.ParseAgreementKind(v)
		if err != nil {
			errs["kind"] = errorText(err)
		}
		f.Kind = &k
	}
	if v := c.QueryParam("status"); v != "" {
		st, err := licensing.ParseAgreementStatus(v)
		if err != nil {
			errs["status"] = errorText(err)
		}
		f.Status = &st
	}
	if d := queryDate(c, errs, "in_force_on"); !d.IsZero() {
		f.InForceOn = &d
	}
	if d := queryDate(c, errs, "expires_from"); !d.IsZero() {
		f.ExpiresFrom = &d
	}
	if d := queryDate(c, errs, "expires_before"); !d.IsZero() {
		f.ExpiresBefore = &d
	}
	affiliates := apiQueryBool(c, errs, "affiliates")
	if ref := c.QueryParam("party"); ref != "" {
		co, err := s.companyRef(c.Request().Context(), ref)
		if err != nil && !refProblem(errs, "party", err) {
			return f, err
		}
		if co != nil {
			if f.Parties, err = s.ownerGroup(c.Request().Context(), co, affiliates != nil && *affiliates); err != nil {
				return f, err
			}
		}
	} else if affiliates != nil && *affiliates {
		errs["affiliates"] = "needs party: the company whose corporate group to include"
	}
	return f, fieldErrors("the list cannot be filtered so", errs)
}

// apiAgreement answers one agreement, nested as posted.
func (s *Server) apiAgreement(c echo.Context) error {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiAgreementOf(a))
}

// apiAgreementCreate stores an agreement with everything inside it, all
// or nothing: references that name no company or patent, values that are
// not what their field takes, and every rule the store checks are
// answered together, and nothing is written.
func (s *Server) apiAgreementCreate(c echo.Context) error {
	var body apiAgreementBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Status) == "" {
		body.Status = string(licensing.AgreementDraft)
	}
	r := s.newAPIAgreementRefs(c)
	a := &licensing.Agreement{}
	r.agreement(&body, a)
	for i, raw := range body.Grants {
		a.Grants = append(a.Grants, r.grant("grants."+strconv.Itoa(i), raw))
	}
	for i, raw := range body.Assignments {
		a.Assignments = append(a.Assignments, r.assignment("assignments."+strconv.Itoa(i), raw))
	}
	for i, raw := range body.Obligations {
		a.Obligations = append(a.Obligations, r.obligation("obligations."+strconv.Itoa(i), raw))
	}
	if err := r.refusal("the agreement has invalid fields"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.db.CreateAgreement(ctx, s.actor(c), a); err != nil {
		return apiStoreFields(err, false)
	}
	return s.apiAgreementAnswer(c, http.StatusCreated, a.ID)
}

// apiAgreementItems are the lists inside an agreement, which a change of
// the agreement's own fields leaves alone.
var apiAgreementItems = []string{"grants", "assignments", "obligations"}

// apiAgreementUpdate changes an agreement's own fields: those the body
// names, as a JSON merge patch (null clears a field; parties, when given,
// replace the parties). Grants, assignments and obligations are changed
// one by one under the agreement.
func (s *Server) apiAgreementUpdate(c echo.Context) error {
	stored, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	var patch map[string]json.RawMessage
	if err := decodeJSON(c, &patch); err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	for _, items := range apiAgreementItems {
		if _, ok := patch[items]; ok {
			r.errs[items] = "is not a top-level field of the agreement: change " + items + " one by one under " +
				apiPrefix + "/agreements/{id}/" + items
		}
	}
	if len(r.errs) > 0 {
		return r.refusal("the change names fields that cannot be changed so")
	}
	base, err := json.Marshal(apiAgreementBodyOf(stored))
	if err != nil {
		return err
	}
	merged := mergeAPIPatch(base, mustRawJSON(patch))
	var body apiAgreementBody
	a := &licensing.Agreement{ID: stored.ID}
	if decodeAPIPart(r.errs, "", merged, &body) {
		r.agreement(&body, a)
	}
	if err := r.refusal("the change has invalid fields"); err != nil {
		return err
	}
	if err := s.db.UpdateAgreement(c.Request().Context(), s.actor(c), a); err != nil {
		return apiStoreFields(err, false)
	}
	return s.apiAgreementAnswer(c, http.StatusOK, a.ID)
}

// mustRawJSON marshals a parsed body back; it cannot fail.
func mustRawJSON(v map[string]json.RawMessage) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// apiAgreementBodyOf is a stored agreement's own fields as a body, the
// base a change applies to. Companies and the parent are named by id, so
// that reading the body back finds exactly them.
func apiAgreementBodyOf(a *licensing.Agreement) apiAgreementBody {
	b := apiAgreementBody{Reference: a.Reference, Title: a.Title, Kind: string(a.Kind), Status: string(a.Status),
		SignedOn: jsonDate(a.SignedOn), EffectiveOn: jsonDate(a.EffectiveOn), ExpiresOn: jsonDate(a.ExpiresOn),
		TerminatedOn: jsonDate(a.TerminatedOn), RenewalMonths: a.RenewalMonths, NoticeDays: a.NoticeDays,
		GoverningLaw: a.GoverningLaw, Summary: a.Summary}
	if a.ParentID != 0 {
		b.Parent = apiRef(strconv.FormatInt(a.ParentID, 10))
	}
	for _, p := range a.Parties {
		raw, _ := json.Marshal(apiPartyBody{Company: apiRef(strconv.FormatInt(p.CompanyID, 10)), Role: string(p.Role)})
		b.Parties = append(b.Parties, raw)
	}
	return b
}

// apiAgreementDelete deletes a draft agreement with everything inside it;
// the store refuses signed agreements (409): they are terminated instead.
func (s *Server) apiAgreementDelete(c echo.Context) error {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	if err := s.db.DeleteAgreement(c.Request().Context(), s.actor(c), a.ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiAgreementAnswer answers with the agreement as stored now.
func (s *Server) apiAgreementAnswer(c echo.Context, status int, id int64) error {
	a, err := s.db.Agreement(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(status, apiAgreementOf(a))
}

// apiPathAgreement reads the agreement the path names by id or reference,
// in full; 404 when there is none.
func (s *Server) apiPathAgreement(c echo.Context) (*licensing.Agreement, error) {
	return s.apiFindAgreement(c.Request().Context(), pathRef(c, "ref"))
}

// apiFindAgreement finds an agreement by id or, failing that, by
// reference (ignoring case), in full; a NotFound error when there is none.
// A reference that is a number names the agreement of that id if there is
// one.
func (s *Server) apiFindAgreement(ctx context.Context, ref string) (*licensing.Agreement, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		a, err := s.db.Agreement(ctx, id)
		if !errors.Is(err, sqlite.ErrNotFound) {
			return a, err
		}
	}
	a, err := s.db.AgreementByReference(ctx, ref)
	if errors.Is(err, sqlite.ErrNotFound) || (err == nil && ref == "") {
		return nil, licensing.Errorf(licensing.NotFound, "no agreement has the id or reference %q", ref)
	}
	return a, err
}
