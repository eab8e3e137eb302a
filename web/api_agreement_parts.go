package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The grants, assignments and obligations inside an agreement, one by one
// (additions to the contract): each is posted in the shape it has inside
// an agreement, changed with a JSON merge patch, and deleted; obligations
// also have their occurrences marked done or waived. Every write goes
// through the same store method as the agreement page's forms.

// apiAgreementPartRoutes registers the routes of the items of an agreement.
func (s *Server) apiAgreementPartRoutes(e *echo.Echo, read, write echo.MiddlewareFunc) {
	for _, list := range apiAgreementItems {
		e.GET(apiPrefix+"/agreements/:ref/"+list+"/:id", s.apiPartShow(list), read)
		e.DELETE(apiPrefix+"/agreements/:ref/"+list+"/:id", s.apiPartDelete(list), write)
	}
	e.POST(apiPrefix+"/agreements/:ref/grants", s.apiGrantCreate, write)
	e.PATCH(apiPrefix+"/agreements/:ref/grants/:id", s.apiGrantUpdate, write)
	e.POST(apiPrefix+"/agreements/:ref/assignments", s.apiAssignmentCreate, write)
	e.PATCH(apiPrefix+"/agreements/:ref/assignments/:id", s.apiAssignmentUpdate, write)
	e.POST(apiPrefix+"/agreements/:ref/obligations", s.apiObligationCreate, write)
	e.PATCH(apiPrefix+"/agreements/:ref/obligations/:id", s.apiObligationUpdate, write)
	e.POST(apiPrefix+"/agreements/:ref/obligations/:id/occurrences", s.apiOccurrenceMark, write)
}

// apiPart is what the API does with one kind of item: read it, say
// which agreement it belongs to, answer it, delete it.
type apiPart struct {
	what   string // "grant"
	read   func(s *Server, ctx context.Context, id int64) (any, int64, error)
	answer func(item any, a *licensing.Agreement) any
	delete func(s *Server, ctx context.Context, actor sqlite.Actor, id int64) error
}

var apiParts = map[string]apiPart{
	"grants": {what: "grant",
		read: func(s *Server, ctx context.Context, id int64) (any, int64, error) {
			g, err := s.db.Grant(ctx, id)
			if err != nil {
				return nil, 0, err
			}
			return g, g.AgreementID, nil
		},
		answer: func(item any, _ *licensing.Agreement) any { return apiGrantOf(item.(*licensing.Grant)) },
		delete: func(s *Server, ctx context.Context, actor sqlite.Actor, id int64) error {
			return s.db.DeleteGrant(ctx, actor, id)
		}},
	"assignments": {what: "assignment",
		read: func(s *Server, ctx context.Context, id int64) (any, int64, error) {
			as, err := s.db.Assignment(ctx, id)
			if err != nil {
				return nil, 0, err
			}
			return as, as.AgreementID, nil
		},
		answer: func(item any, _ *licensing.Agreement) any { return apiAssignmentOf(item.(*licensing.Assignment)) },
		delete: func(s *Server, ctx context.Context, actor sqlite.Actor, id int64) error {
			return s.db.DeleteAssignment(ctx, actor, id)
		}},
	"obligations": {what: "obligation",
		read: func(s *Server, ctx context.Context, id int64) (any, int64, error) {
			o, err := s.db.Obligation(ctx, id)
			if err != nil {
				return nil, 0, err
			}
			return o, o.AgreementID, nil
		},
		answer: func(item any, a *licensing.Agreement) any { return apiObligationOf(item.(*licensing.Obligation), a) },
		delete: func(s *Server, ctx context.Context, actor sqlite.Actor, id int64) error {
			return s.db.DeleteObligation(ctx, actor, id)
		}},
}

// apiPathPart reads the agreement and the item of it that the path names:
// 404 when either is missing or the item is another agreement's.
func (s *Server) apiPathPart(c echo.Context, list string) (*licensing.Agreement, any, error) {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return nil, nil, err
	}
	part := apiParts[list]
	notFound := licensing.Errorf(licensing.NotFound, "%s has no %s with the id %q", a.Reference, part.what, c.Param("id"))
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, notFound
	}
	item, agreementID, err := part.read(s, c.Request().Context(), id)
	if errors.Is(err, sqlite.ErrNotFound) || licensing.ErrorCode(err) == licensing.NotFound || (err == nil && agreementID != a.ID) {
		return nil, nil, notFound
	}
	return a, item, err
}

// apiPartShow answers one item of an agreement.
func (s *Server) apiPartShow(list string) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, item, err := s.apiPathPart(c, list)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, apiParts[list].answer(item, a))
	}
}

// apiPartDelete deletes one item of an agreement; the store refuses what
// would break others (a grant under which sublicences are granted).
func (s *Server) apiPartDelete(list string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, _, err := s.apiPathPart(c, list); err != nil {
			return err
		}
		id, _ := strconv.ParseInt(c.Param("id"), 10, 64) // apiPathPart read it
		if err := apiParts[list].delete(s, c.Request().Context(), s.actor(c), id); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// apiPartAnswer answers the item of the given id of agreement a as stored
// now.
func (s *Server) apiPartAnswer(c echo.Context, status int, a *licensing.Agreement, list string, id int64) error {
	item, _, err := apiParts[list].read(s, c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(status, apiParts[list].answer(item, a))
}

// apiPartBody reads the body of a new item, or of a change: one JSON value.
func apiPartBody(c echo.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	return raw, decodeJSON(c, &raw)
}

// apiPartPatch reads a change as a JSON merge patch onto base, the item
// as stored in its posted shape; replaced names members that a change
// replaces as a whole rather than merging into them.
func apiPartPatch(c echo.Context, base any, replaced ...string) (json.RawMessage, error) {
	var patch map[string]json.RawMessage
	if err := decodeJSON(c, &patch); err != nil {
		return nil, err
	}
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	for _, name := range replaced {
		if _, ok := patch[name]; ok {
			delete(fields, name)
		}
	}
	return mergeAPIPatch(mustRawJSON(fields), mustRawJSON(patch)), nil
}

// apiIDRef names a stored company, patent or grant by id in a base body.
func apiIDRef(id int64) apiRef {
	if id == 0 {
		return ""
	}
	return apiRef(strconv.FormatInt(id, 10))
}

// ---- Grants ----

func (s *Server) apiGrantCreate(c echo.Context) error {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	raw, err := apiPartBody(c)
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	g := r.grant("", raw)
	if err := r.refusal("the grant has invalid fields"); err != nil {
		return err
	}
	if err := s.db.AddGrant(c.Request().Context(), s.actor(c), a.ID, &g); err != nil {
		return apiStoreFields(err, true)
	}
	return s.apiPartAnswer(c, http.StatusCreated, a, "grants", g.ID)
}

// apiGrantUpdate changes a grant: the fields the body names; a scope,
// when given, replaces the scope as a whole.
func (s *Server) apiGrantUpdate(c echo.Context) error {
	a, item, err := s.apiPathPart(c, "grants")
	if err != nil {
		return err
	}
	stored := item.(*licensing.Grant)
	merged, err := apiPartPatch(c, apiGrantBodyOf(stored), "scope")
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	g := r.grant("", merged)
	if err := r.refusal("the change has invalid fields"); err != nil {
		return err
	}
	g.ID = stored.ID
	if err := s.db.UpdateGrant(c.Request().Context(), s.actor(c), &g); err != nil {
		return apiStoreFields(err, true)
	}
	return s.apiPartAnswer(c, http.StatusOK, a, "grants", g.ID)
}

// apiGrantBodyOf is a stored grant as a body, companies, patents and the
// parent grant by id.
func apiGrantBodyOf(g *licensing.Grant) any {
	type body struct {
		apiGrantBody
		Scope apiScopeBody `json:"scope"`
	}
	activities := make([]string, len(g.Activities))
	for i, act := range g.Activities {
		activities[i] = string(act)
	}
	patents := make([]apiRef, len(g.Scope.Patents))
	for i, p := range g.Scope.Patents {
		patents[i] = apiIDRef(p.ID)
	}
	return body{apiGrantBody: apiGrantBody{Licensor: apiIDRef(g.LicensorID), Licensee: apiIDRef(g.LicenseeID),
		LicenseeAffiliates: g.LicenseeAffiliates, LicensorAffiliates: g.LicensorAffiliates, Activities: activities,
		Territories: g.Territories, Fields: g.Fields, Exclusivity: string(g.Exclusivity), Sublicensable: g.Sublicensable,
		StartsOn: jsonDate(g.StartsOn), EndsOn: jsonDate(g.EndsOn), RoyaltyBearing: g.RoyaltyBearing,
		ParentGrant: apiIDRef(g.ParentGrantID), PastRelease: g.PastRelease},
		Scope: apiScopeBody{Kind: string(g.Scope.Kind), Patents: patents, Families: g.Scope.Families,
			CaptureFrom: jsonDate(g.Scope.CaptureFrom), CaptureTo: jsonDate(g.Scope.CaptureTo),
			Tags: g.Scope.Tags, Standards: g.Scope.Standards, Offices: g.Scope.Offices}}
}

// ---- Assignments ----

func (s *Server) apiAssignmentCreate(c echo.Context) error {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	raw, err := apiPartBody(c)
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	as := r.assignment("", raw)
	if err := r.refusal("the assignment has invalid fields"); err != nil {
		return err
	}
	if err := s.db.AddAssignment(c.Request().Context(), s.actor(c), a.ID, &as); err != nil {
		return err
	}
	return s.apiPartAnswer(c, http.StatusCreated, a, "assignments", as.ID)
}

func (s *Server) apiAssignmentUpdate(c echo.Context) error {
	a, item, err := s.apiPathPart(c, "assignments")
	if err != nil {
		return err
	}
	stored := item.(*licensing.Assignment)
	patents := make([]apiRef, len(stored.Patents))
	for i, p := range stored.Patents {
		patents[i] = apiIDRef(p.ID)
	}
	merged, err := apiPartPatch(c, apiAssignmentBody{Assignor: apiIDRef(stored.AssignorID), Assignee: apiIDRef(stored.AssigneeID),
		EffectiveOn: jsonDate(stored.EffectiveOn), RecordedOn: jsonDate(stored.RecordedOn), OfficeRef: stored.OfficeRef, Patents: patents})
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	as := r.assignment("", merged)
	if err := r.refusal("the change has invalid fields"); err != nil {
		return err
	}
	as.ID = stored.ID
	if err := s.db.UpdateAssignment(c.Request().Context(), s.actor(c), &as); err != nil {
		return err
	}
	return s.apiPartAnswer(c, http.StatusOK, a, "assignments", as.ID)
}

// ---- Obligations ----

func (s *Server) apiObligationCreate(c echo.Context) error {
	a, err := s.apiPathAgreement(c)
	if err != nil {
		return err
	}
	raw, err := apiPartBody(c)
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	o := r.obligation("", raw)
	if err := r.refusal("the obligation has invalid fields"); err != nil {
		return err
	}
	if err := s.db.AddObligation(c.Request().Context(), s.actor(c), a.ID, &o); err != nil {
		return err
	}
	return s.apiPartAnswer(c, http.StatusCreated, a, "obligations", o.ID)
}

func (s *Server) apiObligationUpdate(c echo.Context) error {
	a, item, err := s.apiPathPart(c, "obligations")
	if err != nil {
		return err
	}
	stored := item.(*licensing.Obligation)
	merged, err := apiPartPatch(c, apiObligationBody{Kind: string(stored.Kind), Title: stored.Title, DueOn: jsonDate(stored.DueOn),
		Recurrence: string(stored.Recurrence), Until: jsonDate(stored.Until), Amount: apiRef(stored.Amount.String()),
		Currency: stored.Currency, Payer: apiIDRef(stored.PayerID), Payee: apiIDRef(stored.PayeeID), Status: string(stored.Status)})
	if err != nil {
		return err
	}
	r := s.newAPIAgreementRefs(c)
	o := r.obligation("", merged)
	if err := r.refusal("the change has invalid fields"); err != nil {
		return err
	}
	o.ID = stored.ID
	if err := s.db.UpdateObligation(c.Request().Context(), s.actor(c), &o); err != nil {
		return err
	}
	return s.apiPartAnswer(c, http.StatusOK, a, "obligations", o.ID)
}

// apiOccurrenceBody marks one occurrence of an obligation.
type apiOccurrenceBody struct {
	DueOn  *string `json:"due_on"`
	Status string  `json:"status"`
	DoneOn *string `json:"done_on"`
}

// apiOccurrenceMark records that the occurrence of an obligation due on a
// date was met (done) or waived, or (open) takes the mark back; done_on
// defaults to today. It answers the obligation.
func (s *Server) apiOccurrenceMark(c echo.Context) error {
	a, item, err := s.apiPathPart(c, "obligations")
	if err != nil {
		return err
	}
	o := item.(*licensing.Obligation)
	var b apiOccurrenceBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	errs := map[string]string{}
	due, on := apiDate(errs, "due_on", b.DueOn), apiDate(errs, "done_on", b.DoneOn)
	if due.IsZero() && errs["due_on"] == "" {
		errs["due_on"] = "is required: the due date of the occurrence"
	}
	status := licensing.ObligationStatus(apiEnumWord(b.Status))
	if err := fieldErrors("the occurrence cannot be marked so", errs); err != nil {
		return err
	}
	if err := s.db.MarkOccurrence(c.Request().Context(), s.actor(c), o.ID, due, status, on); err != nil {
		return err
	}
	return s.apiPartAnswer(c, http.StatusOK, a, "obligations", o.ID)
}
