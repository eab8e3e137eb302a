package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// patentJSON is a patent as the API answers it: owner is the owner today
// (the chain of title's), original_owner the applicant; expires_on is the
// end of the term, recorded or computed from the filing date.
type patentJSON struct {
	ID                int64    `json:"id"`
	Number            string   `json:"number"`
	Normalized        string   `json:"normalized"`
	Office            string   `json:"office"`
	Kind              *string  `json:"kind"`
	ApplicationNumber *string  `json:"application_number"`
	Title             string   `json:"title"`
	Family            *string  `json:"family"`
	PriorityOn        *string  `json:"priority_on"`
	FiledOn           *string  `json:"filed_on"`
	PublishedOn       *string  `json:"published_on"`
	GrantedOn         *string  `json:"granted_on"`
	ExpiresOn         *string  `json:"expires_on"`
	ExpiryOverridden  bool     `json:"expiry_overridden"`
	Status            string   `json:"status"`
	StatusOn          *string  `json:"status_on"`
	InForce           bool     `json:"in_force"`
	Owner             string   `json:"owner"`
	OwnerID           int64    `json:"owner_id"`
	OriginalOwner     string   `json:"original_owner"`
	OriginalOwnerID   int64    `json:"original_owner_id"`
	Tags              []string `json:"tags"`
	Standards         []string `json:"standards"`
	SEP               bool     `json:"sep"`
	SEPReference      *string  `json:"sep_reference"`
	DesignatedStates  []string `json:"designated_states"`
	CPC               []string `json:"cpc"`
}

// newPatentJSON answers a stored patent; in_force is judged on today.
func newPatentJSON(r *sqlite.PatentRecord, today licensing.Date) patentJSON {
	expiry, overridden := r.Expiry()
	return patentJSON{
		ID: r.ID, Number: r.Number, Normalized: r.Normalized, Office: r.Office, Kind: jsonText(r.Kind),
		ApplicationNumber: jsonText(r.ApplicationNumber), Title: r.Title, Family: jsonText(r.Family),
		PriorityOn: jsonDate(r.PriorityOn), FiledOn: jsonDate(r.FiledOn), PublishedOn: jsonDate(r.PublishedOn),
		GrantedOn: jsonDate(r.GrantedOn), ExpiresOn: jsonDate(expiry), ExpiryOverridden: overridden,
		Status: string(r.Status), StatusOn: jsonDate(r.StatusOn), InForce: r.InForce(today),
		Owner: r.Owner, OwnerID: r.OwnerID, OriginalOwner: r.OriginalOwner, OriginalOwnerID: r.OriginalOwnerID,
		Tags: jsonList(r.Tags), Standards: jsonList(r.Standards), SEP: r.SEP, SEPReference: jsonText(r.SEPReference),
		DesignatedStates: jsonList(r.DesignatedStates), CPC: jsonList(r.CPC),
	}
}

// patentBody is the body of a create (POST) or an update (PATCH): each
// field sent replaces the patent's, null clears it. On a create, owner is
// the original owner (applicant), as the contract says; original_owner
// says the same and may be sent instead. An update changes the applicant
// with original_owner only: the owner today follows from the assignments.
type patentBody struct {
	Number            bodyField[string]   `json:"number"`
	Title             bodyField[string]   `json:"title"`
	Office            bodyField[string]   `json:"office"`
	Kind              bodyField[string]   `json:"kind"`
	ApplicationNumber bodyField[string]   `json:"application_number"`
	Family            bodyField[string]   `json:"family"`
	PriorityOn        bodyField[string]   `json:"priority_on"`
	FiledOn           bodyField[string]   `json:"filed_on"`
	PublishedOn       bodyField[string]   `json:"published_on"`
	GrantedOn         bodyField[string]   `json:"granted_on"`
	ExpiresOn         bodyField[string]   `json:"expires_on"`
	Status            bodyField[string]   `json:"status"`
	StatusOn          bodyField[string]   `json:"status_on"`
	Owner             bodyField[apiRef]   `json:"owner"`
	OriginalOwner     bodyField[apiRef]   `json:"original_owner"`
	Tags              bodyField[[]string] `json:"tags"`
	Standards         bodyField[[]string] `json:"standards"`
	SEP               bodyField[bool]     `json:"sep"`
	SEPReference      bodyField[string]   `json:"sep_reference"`
	DesignatedStates  bodyField[[]string] `json:"designated_states"`
	CPC               bodyField[[]string] `json:"cpc"`
}

// apply writes the fields sent into p. It refuses (422) with a message for
// each field that is wrong. creating says whether p is new, which decides
// what owner means.
func (b patentBody) apply(s *Server, ctx context.Context, p *licensing.Patent, creating bool) error {
	errs := map[string]string{}
	b.applyText(p, errs)
	for _, d := range []struct {
		field bodyField[string]
		name  string
		dst   *licensing.Date
	}{
		{b.PriorityOn, "priority_on", &p.PriorityOn}, {b.FiledOn, "filed_on", &p.FiledOn},
		{b.PublishedOn, "published_on", &p.PublishedOn}, {b.GrantedOn, "granted_on", &p.GrantedOn},
		{b.ExpiresOn, "expires_on", &p.ExpiresOn}, {b.StatusOn, "status_on", &p.StatusOn},
	} {
		d.field.date(errs, d.name, d.dst)
	}
	if b.Status.Set {
		p.Status = licensing.StatusPending
		if v := b.Status.text(); v != "" {
			st, err := licensing.ParseStatus(v)
			if err != nil {
				errs["status"] = errorText(err)
			}
			p.Status = st
		}
	}
	if err := b.applyOwner(s, ctx, p, creating, errs); err != nil {
		return err
	}
	mergeDomainErrors(errs, p.Validate(), nil)
	if _, bad := errs["number"]; !bad {
		if err := p.Normalize(); err != nil {
			errs["number"] = errorText(err)
		}
	}
	return fieldErrors("the patent has invalid fields", errs)
}

// applyText writes the number, the text fields and the lists.
func (b patentBody) applyText(p *licensing.Patent, errs map[string]string) {
	if b.Number.Set {
		p.Number = b.Number.text()
		// Office and kind follow a new number unless they are sent too.
		if !b.Office.Set {
			p.Office = ""
		}
		if !b.Kind.Set {
			p.Kind = ""
		}
	}
	for _, f := range []struct {
		field bodyField[string]
		name  string
		dst   *string
		upper bool
	}{
		{b.Title, "title", &p.Title, false}, {b.Office, "office", &p.Office, true}, {b.Kind, "kind", &p.Kind, true},
		{b.ApplicationNumber, "application_number", &p.ApplicationNumber, false}, {b.Family, "family", &p.Family, false},
		{b.SEPReference, "sep_reference", &p.SEPReference, false},
	} {
		if !f.field.Set {
			continue
		}
		*f.dst = f.field.text()
		if f.upper {
			*f.dst = strings.ToUpper(*f.dst)
		}
		if f.name != "title" && utf8.RuneCountInString(*f.dst) > patentMaxText {
			errs[f.name] = fmt.Sprintf("is longer than %d characters", patentMaxText)
		}
	}
	for _, l := range []struct {
		field bodyField[[]string]
		dst   *[]string
		upper bool
	}{{b.Tags, &p.Tags, false}, {b.Standards, &p.Standards, false}, {b.CPC, &p.CPC, false}, {b.DesignatedStates, &p.DesignatedStates, true}} {
		if !l.field.Set {
			continue
		}
		*l.dst = trimLabels(l.field.Value)
		if l.upper {
			for i, v := range *l.dst {
				(*l.dst)[i] = strings.ToUpper(v)
			}
		}
	}
	if b.SEP.Set {
		p.SEP = b.SEP.Value
	}
}

// applyOwner finds the original owner the body names.
func (b patentBody) applyOwner(s *Server, ctx context.Context, p *licensing.Patent, creating bool, errs map[string]string) error {
	field, ref := "original_owner", b.OriginalOwner
	switch {
	case !creating && b.Owner.Set:
		errs["owner"] = "is the owner today, which follows from the chain of title; change original_owner (the applicant) or record an assignment"
		return nil
	case creating && b.Owner.Set && b.OriginalOwner.Set && b.Owner.text() != b.OriginalOwner.text():
		errs["original_owner"] = "on a new patent, owner and original_owner both name the applicant; send one of the two"
		return nil
	case creating && !b.OriginalOwner.Set:
		field, ref = "owner", b.Owner
	case !ref.Set:
		return nil
	}
	if ref.text() == "" {
		errs[field] = "is required: the applicant, by company id or legal name"
		return nil
	}
	co, err := s.companyRef(ctx, ref.text())
	if err != nil && !refProblem(errs, field, err) {
		return err
	}
	if co != nil {
		p.OriginalOwnerID = co.ID
	}
	return nil
}

// apiPatentCreate records a new patent: 201 with the patent as GET
// answers it, its number normalized and its expiry computed; a number
// already recorded is a 409.
func (s *Server) apiPatentCreate(c echo.Context) error {
	var body patentBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := &licensing.Patent{Status: licensing.StatusPending}
	if err := body.apply(s, c.Request().Context(), p, true); err != nil {
		return err
	}
	if err := s.db.CreatePatent(c.Request().Context(), s.actor(c), p); err != nil {
		return err
	}
	return s.answerPatent(c, http.StatusCreated, p.ID)
}

// apiPatentUpdate changes the fields of a patent that the body sends.
func (s *Server) apiPatentUpdate(c echo.Context) error {
	r, err := s.patentInPath(c)
	if err != nil {
		return err
	}
	var body patentBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := r.Patent
	if _, overridden := p.Expiry(); !overridden {
		p.ExpiresOn = licensing.Date{} // a computed expiry follows a new filing date
	}
	if err := body.apply(s, c.Request().Context(), &p, false); err != nil {
		return err
	}
	if err := s.db.UpdatePatent(c.Request().Context(), s.actor(c), &p); err != nil {
		return err
	}
	return s.answerPatent(c, http.StatusOK, p.ID)
}

// apiPatentDelete deletes a patent that no agreement names: 204; one that
// an agreement names is a 409 saying which.
func (s *Server) apiPatentDelete(c echo.Context) error {
	r, err := s.patentInPath(c)
	if err != nil {
		return err
	}
	if err := s.db.DeletePatent(c.Request().Context(), s.actor(c), r.ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiPatentShow answers one patent, named in the path by id or by number
// in any notation.
func (s *Server) apiPatentShow(c echo.Context) error {
	r, err := s.patentInPath(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPatentJSON(r, s.apiToday()))
}

// patentInPath finds the patent the path names: 404 when none, 409
// (listing the candidates) when a number without kind code fits several.
func (s *Server) patentInPath(c echo.Context) (*sqlite.PatentRecord, error) {
	return s.patentRef(c.Request().Context(), pathRef(c, "ref"))
}

// answerPatent reads a patent afresh and answers it with status.
func (s *Server) answerPatent(c echo.Context, status int, id int64) error {
	r, err := s.db.Patent(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(status, newPatentJSON(r, s.apiToday()))
}

// apiPatents lists patents by normalized number, a page at a time. q
// searches numbers, titles and the names of every owner in the chain;
// owner is the owner today, with its corporate group (today) when
// affiliates=true.
func (s *Server) apiPatents(c echo.Context) error {
	if err := rejectUnknownParams(c, "q", "owner", "affiliates", "office", "tag", "standard", "status", "family",
		"sep", "in_force_on", "limit", "cursor"); err != nil {
		return err
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	cursor, err := decodeAPICursor(c, filteredList(c, "patents"))
	if err != nil {
		return err
	}
	f, err := s.apiPatentFilter(c)
	if err != nil {
		return err
	}
	f.Limit, f.Cursor = limit, cursor
	page, next, err := s.db.Patents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	today := s.apiToday()
	items := make([]patentJSON, 0, len(page))
	for _, r := range page {
		items = append(items, newPatentJSON(r, today))
	}
	return c.JSON(http.StatusOK, newListPage(items, encodeAPICursor(filteredList(c, "patents"), next)))
}

// apiPatentFilter reads the filters of the patents list.
func (s *Server) apiPatentFilter(c echo.Context) (sqlite.PatentFilter, error) {
	var f sqlite.PatentFilter
	errs := map[string]string{}
	param := func(name string) *string {
		if v := strings.TrimSpace(c.QueryParam(name)); v != "" {
			return &v
		}
		return nil
	}
	f.Query, f.Tag, f.Standard, f.Family = param("q"), param("tag"), param("standard"), param("family")
	if v := param("office"); v != nil {
		office := strings.ToUpper(*v)
		f.Office = &office
	}
	if v := param("status"); v != nil {
		st, err := licensing.ParseStatus(*v)
		if err != nil {
			errs["status"] = errorText(err)
		}
		status := string(st)
		f.Status = &status
	}
	f.SEP = apiQueryBool(c, errs, "sep")
	if d := queryDate(c, errs, "in_force_on"); !d.IsZero() {
		f.InForceOn = &d
	}
	affiliates := apiQueryBool(c, errs, "affiliates")
	if v := param("owner"); v != nil {
		co, err := s.companyRef(c.Request().Context(), *v)
		if err != nil && !refProblem(errs, "owner", err) {
			return f, err
		}
		if co != nil {
			if f.OwnerIDs, err = s.ownerGroup(c.Request().Context(), co, affiliates != nil && *affiliates); err != nil {
				return f, err
			}
		}
	} else if affiliates != nil && *affiliates {
		errs["affiliates"] = "needs owner: the company whose corporate group to include"
	}
	return f, fieldErrors("the filters cannot be applied", errs)
}
