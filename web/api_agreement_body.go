package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
)

// Agreements as the JSON API reads them from a request: the bodies of a
// new agreement and of its grants, assignments and obligations, read item
// by item so that every message names its full path (grants.1.licensee),
// and turned into the domain's values with every company and patent they
// name resolved. The store then checks the rules.

// apiAgreementBody is an agreement as posted: its own fields, with the
// items inside it read one by one, so that each message names its item.
type apiAgreementBody struct {
	Reference     string            `json:"reference"`
	Title         string            `json:"title"`
	Kind          string            `json:"kind"`
	Status        string            `json:"status"`
	SignedOn      *string           `json:"signed_on"`
	EffectiveOn   *string           `json:"effective_on"`
	ExpiresOn     *string           `json:"expires_on"`
	TerminatedOn  *string           `json:"terminated_on"`
	RenewalMonths int               `json:"renewal_months"`
	NoticeDays    int               `json:"notice_days"`
	GoverningLaw  string            `json:"governing_law"`
	Summary       string            `json:"summary"`
	Parent        apiRef            `json:"parent"`
	Parties       []json.RawMessage `json:"parties"`
	Grants        []json.RawMessage `json:"grants,omitempty"`
	Assignments   []json.RawMessage `json:"assignments,omitempty"`
	Obligations   []json.RawMessage `json:"obligations,omitempty"`
}

// apiPartyBody is a party as posted.
type apiPartyBody struct {
	Company apiRef `json:"company"`
	Role    string `json:"role"`
}

// apiGrantBody is a grant as posted; the scope is read on its own so that
// its messages say scope.….
type apiGrantBody struct {
	Licensor           apiRef          `json:"licensor"`
	Licensee           apiRef          `json:"licensee"`
	LicenseeAffiliates bool            `json:"licensee_affiliates"`
	LicensorAffiliates bool            `json:"licensor_affiliates"`
	Scope              json.RawMessage `json:"scope"`
	Activities         []string        `json:"activities"`
	Territories        []string        `json:"territories"`
	Fields             []string        `json:"fields"`
	Exclusivity        string          `json:"exclusivity"`
	Sublicensable      bool            `json:"sublicensable"`
	StartsOn           *string         `json:"starts_on"`
	EndsOn             *string         `json:"ends_on"`
	RoyaltyBearing     bool            `json:"royalty_bearing"`
	ParentGrant        apiRef          `json:"parent_grant"`
	PastRelease        bool            `json:"past_release"`
}

// apiScopeBody is a grant's scope as posted.
type apiScopeBody struct {
	Kind        string   `json:"kind"`
	Patents     []apiRef `json:"patents"`
	Families    []string `json:"families"`
	CaptureFrom *string  `json:"capture_from"`
	CaptureTo   *string  `json:"capture_to"`
	Tags        []string `json:"tags"`
	Standards   []string `json:"standards"`
	Offices     []string `json:"offices"`
}

// apiAssignmentBody is an assignment as posted.
type apiAssignmentBody struct {
	Assignor    apiRef   `json:"assignor"`
	Assignee    apiRef   `json:"assignee"`
	EffectiveOn *string  `json:"effective_on"`
	RecordedOn  *string  `json:"recorded_on"`
	OfficeRef   string   `json:"office_ref"`
	Patents     []apiRef `json:"patents"`
}

// apiObligationBody is an obligation as posted; status is an addition
// (open unless given).
type apiObligationBody struct {
	Kind       string  `json:"kind"`
	Title      string  `json:"title"`
	DueOn      *string `json:"due_on"`
	Recurrence string  `json:"recurrence"`
	Until      *string `json:"until"`
	Amount     apiRef  `json:"amount"`
	Currency   string  `json:"currency"`
	Payer      apiRef  `json:"payer"`
	Payee      apiRef  `json:"payee"`
	Status     string  `json:"status"`
}

// apiEnumWord brings a choice written as people write it ("Cross-License")
// to its stored form ("cross_license").
func apiEnumWord(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// apiAgreementRefs turns request bodies into the domain's agreement,
// grants, assignments and obligations: it resolves the companies and
// patents they name, each reference once per request, and gathers every
// message by field, so that one answer lists all that is wrong.
type apiAgreementRefs struct {
	s         *Server
	ctx       context.Context
	errs      map[string]string
	fault     error // of the store, met on the way: the answer, before any message
	companies map[apiRef]apiResolved
	patents   map[apiRef]apiResolved
}

// apiResolved is what a reference came to: an id and name, or an error.
type apiResolved struct {
	id   int64
	name string
	err  error
}

func (s *Server) newAPIAgreementRefs(c echo.Context) *apiAgreementRefs {
	return &apiAgreementRefs{s: s, ctx: c.Request().Context(), errs: map[string]string{},
		companies: map[apiRef]apiResolved{}, patents: map[apiRef]apiResolved{}}
}

// refusal is what reading the request came to: a fault of the store, the
// fields at fault (422, under message), or nil.
func (r *apiAgreementRefs) refusal(message string) error {
	if r.fault != nil {
		return r.fault
	}
	return fieldErrors(message, r.errs)
}

// problem records why a reference under field names nothing: a message,
// or a fault of the store.
func (r *apiAgreementRefs) problem(field string, err error) {
	if !refProblem(r.errs, field, err) && r.fault == nil {
		r.fault = err
	}
}

// company is the id of the company ref names; a required reference that
// is missing, or one naming no company or several, is a message under
// field (and 0).
func (r *apiAgreementRefs) company(field string, ref apiRef, required bool) int64 {
	if ref == "" {
		if required {
			r.errs[field] = "is required: name a company by its id or legal name"
		}
		return 0
	}
	hit, ok := r.companies[ref]
	if !ok {
		co, err := r.s.companyRef(r.ctx, string(ref))
		if hit.err = err; err == nil {
			hit.id, hit.name = co.ID, co.Name
		}
		r.companies[ref] = hit
	}
	if hit.err != nil {
		r.problem(field, hit.err)
	}
	return hit.id
}

// patentList resolves a list of patent references; each one that names no
// single patent is a message under field.N.
func (r *apiAgreementRefs) patentList(field string, refs []apiRef) []licensing.PatentRef {
	out := make([]licensing.PatentRef, 0, len(refs))
	for i, ref := range refs {
		hit, ok := r.patents[ref]
		if !ok {
			p, err := r.s.patentRef(r.ctx, string(ref))
			if hit.err = err; err == nil {
				hit.id, hit.name = p.ID, p.Normalized
			}
			r.patents[ref] = hit
		}
		if hit.err != nil {
			r.problem(field+"."+strconv.Itoa(i), hit.err)
			continue
		}
		out = append(out, licensing.PatentRef{ID: hit.id, Number: hit.name})
	}
	return out
}

// date reads an optional date under field.
func (r *apiAgreementRefs) date(field string, s *string) licensing.Date {
	return apiDate(r.errs, field, s)
}

// agreement fills a's own fields and parties from the body. Grants,
// assignments and obligations are read by their own methods.
func (r *apiAgreementRefs) agreement(b *apiAgreementBody, a *licensing.Agreement) {
	a.Reference, a.Title, a.GoverningLaw, a.Summary = b.Reference, b.Title, b.GoverningLaw, b.Summary
	a.RenewalMonths, a.NoticeDays = b.RenewalMonths, b.NoticeDays
	a.Kind, a.Status = licensing.AgreementKind(b.Kind), licensing.AgreementStatus(b.Status)
	if b.Kind != "" {
		k, err := licensing.ParseAgreementKind(b.Kind)
		r.choice("kind", err)
		a.Kind = k
	}
	if b.Status != "" {
		st, err := licensing.ParseAgreementStatus(b.Status)
		r.choice("status", err)
		a.Status = st
	}
	a.SignedOn, a.EffectiveOn = r.date("signed_on", b.SignedOn), r.date("effective_on", b.EffectiveOn)
	a.ExpiresOn, a.TerminatedOn = r.date("expires_on", b.ExpiresOn), r.date("terminated_on", b.TerminatedOn)
	a.ParentID, a.Parent = 0, ""
	if b.Parent != "" {
		parent, err := r.s.apiFindAgreement(r.ctx, string(b.Parent))
		if err != nil {
			r.problem("parent", err)
		} else {
			a.ParentID, a.Parent = parent.ID, parent.Reference
		}
	}
	a.Parties = nil
	for i, raw := range b.Parties {
		path := "parties." + strconv.Itoa(i)
		var p apiPartyBody
		if !decodeAPIPart(r.errs, path, raw, &p) {
			continue
		}
		id := r.company(path+".company", p.Company, true)
		role := licensing.PartyRole(apiEnumWord(p.Role))
		if role == "" {
			role = licensing.RoleParty
		}
		if !slices.Contains(licensing.PartyRoles, role) {
			r.errs[path+".role"] = fmt.Sprintf("%q is not a party role: use %s", p.Role, apiChoices(licensing.PartyRoles))
		}
		a.Parties = append(a.Parties, licensing.Party{CompanyID: id, Role: role})
	}
}

// choice records the message of a choice that is not one of its values.
func (r *apiAgreementRefs) choice(field string, err error) {
	if err != nil {
		r.errs[field] = errorText(err)
	}
}

// apiChoices lists the values of a choice for a message.
func apiChoices[T ~string](values []T) string {
	words := make([]string, 0, len(values))
	for _, v := range values {
		if v != "" {
			words = append(words, string(v))
		}
	}
	return strings.Join(words, ", ")
}

// grant reads the grant at path (e.g. grants.0); licensor and licensee may
// be any company here, the store checks that they are parties.
func (r *apiAgreementRefs) grant(path string, raw json.RawMessage) licensing.Grant {
	var b apiGrantBody
	var g licensing.Grant
	if !decodeAPIPart(r.errs, path, raw, &b) {
		return g
	}
	at := func(name string) string { return joinAPIPath(path, name) }
	g.LicensorID = r.company(at("licensor"), b.Licensor, true)
	g.LicenseeID = r.company(at("licensee"), b.Licensee, true)
	g.LicenseeAffiliates, g.LicensorAffiliates = b.LicenseeAffiliates, b.LicensorAffiliates
	for _, act := range b.Activities {
		g.Activities = append(g.Activities, licensing.Activity(apiEnumWord(act)))
	}
	g.Territories, g.Fields = b.Territories, b.Fields
	g.Exclusivity = licensing.Exclusivity(apiEnumWord(b.Exclusivity))
	if g.Exclusivity == "" {
		g.Exclusivity = licensing.NonExclusive
	}
	g.Sublicensable, g.RoyaltyBearing, g.PastRelease = b.Sublicensable, b.RoyaltyBearing, b.PastRelease
	g.StartsOn, g.EndsOn = r.date(at("starts_on"), b.StartsOn), r.date(at("ends_on"), b.EndsOn)
	if b.ParentGrant != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(string(b.ParentGrant), "#"), 10, 64)
		if err != nil || id <= 0 {
			r.errs[at("parent_grant")] = fmt.Sprintf("must be the id of a grant, such as 12, not %q", b.ParentGrant)
		}
		g.ParentGrantID = id
	}
	r.scope(at("scope"), b.Scope, &g.Scope)
	return g
}

// scopeLists says which lists of a scope belong to which kind.
var scopeLists = map[string]licensing.ScopeKind{"patents": licensing.ScopePatents, "families": licensing.ScopeFamilies,
	"capture_from": licensing.ScopePortfolio, "capture_to": licensing.ScopePortfolio, "tags": licensing.ScopePortfolio,
	"standards": licensing.ScopePortfolio, "offices": licensing.ScopePortfolio}

// scope reads a grant's scope at path. Lists that belong to another kind
// of scope than the one named are refused rather than dropped.
func (r *apiAgreementRefs) scope(path string, raw json.RawMessage, sc *licensing.GrantScope) {
	var b apiScopeBody
	if len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		r.errs[path+".kind"] = "is required: patents, families or portfolio"
		return
	}
	if !decodeAPIPart(r.errs, path, raw, &b) {
		return
	}
	sc.Kind = licensing.ScopeKind(apiEnumWord(b.Kind))
	if !slices.Contains(licensing.ScopeKinds, sc.Kind) {
		r.errs[path+".kind"] = fmt.Sprintf("%q is not a scope kind: use patents, families or portfolio", b.Kind)
		return
	}
	given := map[string]bool{"patents": len(b.Patents) > 0, "families": len(b.Families) > 0,
		"capture_from": b.CaptureFrom != nil && *b.CaptureFrom != "", "capture_to": b.CaptureTo != nil && *b.CaptureTo != "",
		"tags": len(b.Tags) > 0, "standards": len(b.Standards) > 0, "offices": len(b.Offices) > 0}
	for name, kind := range scopeLists {
		if given[name] && kind != sc.Kind {
			r.errs[path+"."+name] = fmt.Sprintf("belongs to a scope of kind %s, not %s", kind, sc.Kind)
		}
	}
	switch sc.Kind {
	case licensing.ScopePatents:
		sc.Patents = r.patentList(path+".patents", b.Patents)
	case licensing.ScopeFamilies:
		sc.Families = b.Families
	case licensing.ScopePortfolio:
		sc.CaptureFrom, sc.CaptureTo = r.date(path+".capture_from", b.CaptureFrom), r.date(path+".capture_to", b.CaptureTo)
		sc.Tags, sc.Standards, sc.Offices = b.Tags, b.Standards, b.Offices
	}
}

// assignment reads the assignment at path (e.g. assignments.0).
func (r *apiAgreementRefs) assignment(path string, raw json.RawMessage) licensing.Assignment {
	var b apiAssignmentBody
	var as licensing.Assignment
	if !decodeAPIPart(r.errs, path, raw, &b) {
		return as
	}
	at := func(name string) string { return joinAPIPath(path, name) }
	as.AssignorID = r.company(at("assignor"), b.Assignor, true)
	as.AssigneeID = r.company(at("assignee"), b.Assignee, true)
	as.EffectiveOn, as.RecordedOn = r.date(at("effective_on"), b.EffectiveOn), r.date(at("recorded_on"), b.RecordedOn)
	as.OfficeRef = b.OfficeRef
	as.Patents = r.patentList(at("patents"), b.Patents)
	return as
}

// obligation reads the obligation at path (e.g. obligations.0).
func (r *apiAgreementRefs) obligation(path string, raw json.RawMessage) licensing.Obligation {
	var b apiObligationBody
	var o licensing.Obligation
	if !decodeAPIPart(r.errs, path, raw, &b) {
		return o
	}
	at := func(name string) string { return joinAPIPath(path, name) }
	o.Kind = licensing.ObligationKind(b.Kind)
	if b.Kind != "" {
		k, err := licensing.ParseObligationKind(b.Kind)
		r.choice(at("kind"), err)
		o.Kind = k
	}
	rec, err := licensing.ParseRecurrence(b.Recurrence)
	r.choice(at("recurrence"), err)
	o.Title, o.Recurrence, o.Currency = b.Title, rec, b.Currency
	o.DueOn, o.Until = r.date(at("due_on"), b.DueOn), r.date(at("until"), b.Until)
	amount, err := licensing.ParseAmount(string(b.Amount))
	r.choice(at("amount"), err)
	o.Amount = amount
	o.PayerID = r.company(at("payer"), b.Payer, false)
	o.PayeeID = r.company(at("payee"), b.Payee, false)
	o.Status = licensing.ObligationStatus(apiEnumWord(b.Status))
	if o.Status == "" {
		o.Status = licensing.ObligationOpen
	}
	return o
}

// apiStoreFields renames the field keys of a storage refusal to the JSON
// names of the request: a grant's scope fields sit inside its scope, so
// grants.0.patents is grants.0.scope.patents and grants.0.scope is
// grants.0.scope.kind. grant says that the refusal is of a single grant,
// whose keys have no prefix.
func apiStoreFields(err error, grant bool) error {
	var de *licensing.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(de.Fields))
	for k, v := range de.Fields {
		fields[apiGrantKey(k, grant)] = v
	}
	return &licensing.Error{Code: de.Code, Message: de.Message, Fields: fields, Err: de.Err}
}

// apiGrantKey moves a grant's scope keys into its scope: "patents" of a
// single grant, or "grants.1.patents" of an agreement, becomes
// "scope.patents" or "grants.1.scope.patents".
func apiGrantKey(key string, grant bool) string {
	head, name := "", key
	if parts := strings.Split(key, "."); len(parts) == 3 && parts[0] == "grants" {
		head, name = strings.Join(parts[:2], ".")+".", parts[2]
	} else if !grant || len(parts) != 1 {
		return key
	}
	if name == "scope" {
		return head + "scope.kind"
	}
	if _, ok := scopeLists[name]; ok {
		return head + "scope." + name
	}
	return key
}
