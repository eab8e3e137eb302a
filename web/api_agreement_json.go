package web

import "patentdesk/internal/licensing"

// An agreement in the JSON API: the shape a client posts (CONTRACT.md's
// "agreement as posted") and the same shape answered, with the ids of the
// agreement and of everything inside it and the ids of the companies
// named. Dates are YYYY-MM-DD or null, lists are never null.

// apiAgreement is an agreement as the API answers it.
type apiAgreement struct {
	ID            int64               `json:"id"`
	Reference     string              `json:"reference"`
	Title         string              `json:"title"`
	Kind          string              `json:"kind"`
	Status        string              `json:"status"`
	SignedOn      *string             `json:"signed_on"`
	EffectiveOn   *string             `json:"effective_on"`
	ExpiresOn     *string             `json:"expires_on"`
	TerminatedOn  *string             `json:"terminated_on"`
	RenewalMonths int                 `json:"renewal_months"`
	NoticeDays    int                 `json:"notice_days"`
	GoverningLaw  *string             `json:"governing_law"`
	Summary       *string             `json:"summary"`
	Parent        *string             `json:"parent"`
	ParentID      *int64              `json:"parent_id"`
	Parties       []apiAgreementParty `json:"parties"`
	Grants        []apiGrant          `json:"grants"`
	Assignments   []apiAssignment     `json:"assignments"`
	Obligations   []apiObligation     `json:"obligations"`
}

// apiAgreementParty is a company that signed, in its role.
type apiAgreementParty struct {
	Company   string `json:"company"`
	CompanyID int64  `json:"company_id"`
	Role      string `json:"role"`
}

// apiGrant is a grant as the API answers it.
type apiGrant struct {
	ID                 int64         `json:"id"`
	Licensor           string        `json:"licensor"`
	LicensorID         int64         `json:"licensor_id"`
	Licensee           string        `json:"licensee"`
	LicenseeID         int64         `json:"licensee_id"`
	LicenseeAffiliates bool          `json:"licensee_affiliates"`
	LicensorAffiliates bool          `json:"licensor_affiliates"`
	Scope              apiGrantScope `json:"scope"`
	Activities         []string      `json:"activities"`
	Territories        []string      `json:"territories"`
	Fields             []string      `json:"fields"`
	Exclusivity        string        `json:"exclusivity"`
	Sublicensable      bool          `json:"sublicensable"`
	StartsOn           *string       `json:"starts_on"`
	EndsOn             *string       `json:"ends_on"`
	RoyaltyBearing     bool          `json:"royalty_bearing"`
	ParentGrant        *int64        `json:"parent_grant"`
	PastRelease        bool          `json:"past_release"`
}

// apiGrantScope is a grant's scope; every key is present whatever the
// kind, the lists of other kinds empty.
type apiGrantScope struct {
	Kind        string   `json:"kind"`
	Patents     []string `json:"patents"` // normalized numbers
	Families    []string `json:"families"`
	CaptureFrom *string  `json:"capture_from"`
	CaptureTo   *string  `json:"capture_to"`
	Tags        []string `json:"tags"`
	Standards   []string `json:"standards"`
	Offices     []string `json:"offices"`
}

// apiAssignment is an assignment as the API answers it.
type apiAssignment struct {
	ID          int64    `json:"id"`
	Assignor    string   `json:"assignor"`
	AssignorID  int64    `json:"assignor_id"`
	Assignee    string   `json:"assignee"`
	AssigneeID  int64    `json:"assignee_id"`
	EffectiveOn *string  `json:"effective_on"`
	RecordedOn  *string  `json:"recorded_on"`
	OfficeRef   *string  `json:"office_ref"`
	Patents     []string `json:"patents"` // normalized numbers
}

// apiObligation is an obligation as the API answers it, with the
// occurrences marked done or waived so far.
type apiObligation struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	Title       string          `json:"title"`
	DueOn       *string         `json:"due_on"`
	Recurrence  *string         `json:"recurrence"` // null: falls due once
	Until       *string         `json:"until"`
	Amount      *string         `json:"amount"` // exact decimal, e.g. "1000000.00"
	Currency    *string         `json:"currency"`
	Payer       *string         `json:"payer"`
	PayerID     *int64          `json:"payer_id"`
	Payee       *string         `json:"payee"`
	PayeeID     *int64          `json:"payee_id"`
	Status      string          `json:"status"`   // as recorded: open, done or waived
	Standing    string          `json:"standing"` // done too once every occurrence is met or waived
	Occurrences []apiOccurrence `json:"occurrences"`
}

// apiOccurrence is one due date of an obligation marked done or waived.
type apiOccurrence struct {
	DueOn  string  `json:"due_on"`
	Status string  `json:"status"`
	DoneOn *string `json:"done_on"`
	DoneBy *string `json:"done_by"`
}

// apiAgreementOf is the answer for an agreement read with everything
// inside it.
func apiAgreementOf(a *licensing.Agreement) apiAgreement {
	out := apiAgreement{ID: a.ID, Reference: a.Reference, Title: a.Title, Kind: string(a.Kind), Status: string(a.Status),
		SignedOn: jsonDate(a.SignedOn), EffectiveOn: jsonDate(a.EffectiveOn), ExpiresOn: jsonDate(a.ExpiresOn),
		TerminatedOn: jsonDate(a.TerminatedOn), RenewalMonths: a.RenewalMonths, NoticeDays: a.NoticeDays,
		GoverningLaw: jsonText(a.GoverningLaw), Summary: jsonText(a.Summary),
		Parties: []apiAgreementParty{}, Grants: []apiGrant{}, Assignments: []apiAssignment{}, Obligations: []apiObligation{}}
	if a.ParentID != 0 {
		out.Parent, out.ParentID = jsonText(a.Parent), &a.ParentID
	}
	for _, p := range a.Parties {
		out.Parties = append(out.Parties, apiAgreementParty{Company: p.Company, CompanyID: p.CompanyID, Role: string(p.Role)})
	}
	for i := range a.Grants {
		out.Grants = append(out.Grants, apiGrantOf(&a.Grants[i]))
	}
	for i := range a.Assignments {
		out.Assignments = append(out.Assignments, apiAssignmentOf(&a.Assignments[i]))
	}
	for i := range a.Obligations {
		out.Obligations = append(out.Obligations, apiObligationOf(&a.Obligations[i], a))
	}
	return out
}

// apiGrantOf is the answer for a grant.
func apiGrantOf(g *licensing.Grant) apiGrant {
	activities := make([]string, len(g.Activities))
	for i, act := range g.Activities {
		activities[i] = string(act)
	}
	out := apiGrant{ID: g.ID, Licensor: g.Licensor, LicensorID: g.LicensorID, Licensee: g.Licensee, LicenseeID: g.LicenseeID,
		LicenseeAffiliates: g.LicenseeAffiliates, LicensorAffiliates: g.LicensorAffiliates,
		Scope: apiGrantScope{Kind: string(g.Scope.Kind), Patents: patentNumbersOf(g.Scope.Patents), Families: jsonList(g.Scope.Families),
			CaptureFrom: jsonDate(g.Scope.CaptureFrom), CaptureTo: jsonDate(g.Scope.CaptureTo), Tags: jsonList(g.Scope.Tags),
			Standards: jsonList(g.Scope.Standards), Offices: jsonList(g.Scope.Offices)},
		Activities: activities, Territories: jsonList(g.Territories), Fields: jsonList(g.Fields),
		Exclusivity: string(g.Exclusivity), Sublicensable: g.Sublicensable, StartsOn: jsonDate(g.StartsOn), EndsOn: jsonDate(g.EndsOn),
		RoyaltyBearing: g.RoyaltyBearing, PastRelease: g.PastRelease}
	if g.ParentGrantID != 0 {
		out.ParentGrant = &g.ParentGrantID
	}
	return out
}

// apiAssignmentOf is the answer for an assignment.
func apiAssignmentOf(as *licensing.Assignment) apiAssignment {
	return apiAssignment{ID: as.ID, Assignor: as.Assignor, AssignorID: as.AssignorID, Assignee: as.Assignee, AssigneeID: as.AssigneeID,
		EffectiveOn: jsonDate(as.EffectiveOn), RecordedOn: jsonDate(as.RecordedOn), OfficeRef: jsonText(as.OfficeRef),
		Patents: patentNumbersOf(as.Patents)}
}

// apiObligationOf is the answer for an obligation of agreement a.
func apiObligationOf(o *licensing.Obligation, a *licensing.Agreement) apiObligation {
	out := apiObligation{ID: o.ID, Kind: string(o.Kind), Title: o.Title, DueOn: jsonDate(o.DueOn),
		Recurrence: jsonText(string(o.Recurrence)), Until: jsonDate(o.Until), Amount: jsonText(o.Amount.String()),
		Currency: jsonText(o.Currency), Status: string(o.Status), Standing: string(o.Standing(a)),
		Occurrences: []apiOccurrence{}}
	if o.PayerID != 0 {
		out.Payer, out.PayerID = jsonText(o.Payer), &o.PayerID
	}
	if o.PayeeID != 0 {
		out.Payee, out.PayeeID = jsonText(o.Payee), &o.PayeeID
	}
	for _, oc := range o.Occurrences {
		out.Occurrences = append(out.Occurrences, apiOccurrence{DueOn: oc.DueOn.String(), Status: string(oc.Status),
			DoneOn: jsonDate(oc.DoneOn), DoneBy: jsonText(oc.DoneBy)})
	}
	return out
}

// patentNumbersOf lists resolved patents by normalized number.
func patentNumbersOf(refs []licensing.PatentRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Number
	}
	return out
}
