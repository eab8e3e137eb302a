package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// The portfolio part of the JSON API: companies, patents and a patent's
// chain of title. Handlers live in api_companies.go and api_patents.go;
// this file holds their routes and what both share.

// apiPortfolioRoutes registers this part of the JSON API.
func (s *Server) apiPortfolioRoutes(e *echo.Echo, read, write echo.MiddlewareFunc) {
	e.POST(apiPrefix+"/companies", s.apiCompanyCreate, write)
	e.GET(apiPrefix+"/companies", s.apiCompanies, read)
	e.GET(apiPrefix+"/companies/:ref", s.apiCompanyShow, read)
	e.PATCH(apiPrefix+"/companies/:ref", s.apiCompanyUpdate, write)
	e.DELETE(apiPrefix+"/companies/:ref", s.apiCompanyDelete, write)

	e.POST(apiPrefix+"/patents", s.apiPatentCreate, write)
	e.GET(apiPrefix+"/patents", s.apiPatents, read)
	e.GET(apiPrefix+"/patents/:ref", s.apiPatentShow, read)
	e.PATCH(apiPrefix+"/patents/:ref", s.apiPatentUpdate, write)
	e.DELETE(apiPrefix+"/patents/:ref", s.apiPatentDelete, write)
	e.GET(apiPrefix+"/patents/:ref/title", s.apiPatentTitle, read)
}

// trimLabels is a list of labels trimmed, nil when empty or null.
func trimLabels(list []string) []string {
	var out []string
	for _, v := range list {
		out = append(out, strings.TrimSpace(v))
	}
	return out
}

// mergeDomainErrors adds the domain's validation messages to errs, under
// the request's field names (rename maps the domain's where they differ),
// for fields that have no message yet.
func mergeDomainErrors(errs, domain map[string]string, rename map[string]string) {
	for field, msg := range domain {
		if n, ok := rename[field]; ok {
			field = n
		}
		if _, taken := errs[field]; !taken {
			errs[field] = msg
		}
	}
}

// renameFields gives a storage error's field messages the request's field
// names, so that a script finds each message under the key it sent.
func renameFields(err error, rename map[string]string) error {
	var de *licensing.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	out := *de
	out.Fields = make(map[string]string, len(de.Fields))
	for field, msg := range de.Fields {
		if n, ok := rename[field]; ok {
			field = n
		}
		out.Fields[field] = msg
	}
	return &out
}

// titleJSON is a patent's chain of title: who owned it when, the
// assignments that broke the chain (on record, moving no title), and the
// assignments of agreements not yet signed, which move no title until they are.
type titleJSON struct {
	Patent   string              `json:"patent"`
	PatentID int64               `json:"patent_id"`
	Owner    string              `json:"owner"`
	OwnerID  int64               `json:"owner_id"`
	Chain    []holdingJSON       `json:"chain"`
	Breaks   []titleBreakJSON    `json:"breaks"`
	Pending  []titleTransferJSON `json:"pending"`
}

// holdingJSON is one link of a chain: from is null when the filing date is
// unknown, to is null for the owner today, via names the agreement whose
// assignment brought the title (null for the original owner).
type holdingJSON struct {
	Owner      string  `json:"owner"`
	OwnerID    int64   `json:"owner_id"`
	From       *string `json:"from"`
	To         *string `json:"to"`
	Via        *string `json:"via"`
	ViaID      *int64  `json:"via_id"`
	Assignment *int64  `json:"assignment"`
	Current    bool    `json:"current"`
}

// titleBreakKind is the kind of every break the chain knows: an assignment
// by a company that did not own the patent on its effective date.
const titleBreakKind = "assignor_not_owner"

// titleBreakJSON is one break: the assignment, who made it, and who did
// own the patent that day.
type titleBreakJSON struct {
	Kind        string  `json:"kind"`
	Message     string  `json:"message"`
	On          *string `json:"on"`
	Agreement   string  `json:"agreement"`
	AgreementID int64   `json:"agreement_id"`
	Assignment  int64   `json:"assignment"`
	Assignor    string  `json:"assignor"`
	AssignorID  int64   `json:"assignor_id"`
	Assignee    string  `json:"assignee"`
	AssigneeID  int64   `json:"assignee_id"`
	Owner       string  `json:"owner"`
	OwnerID     int64   `json:"owner_id"`
}

// titleTransferJSON is an assignment of an agreement not yet signed.
type titleTransferJSON struct {
	Agreement       string  `json:"agreement"`
	AgreementID     int64   `json:"agreement_id"`
	AgreementStatus string  `json:"agreement_status"`
	Assignment      int64   `json:"assignment"`
	Assignor        string  `json:"assignor"`
	AssignorID      int64   `json:"assignor_id"`
	Assignee        string  `json:"assignee"`
	AssigneeID      int64   `json:"assignee_id"`
	EffectiveOn     *string `json:"effective_on"`
}

// apiPatentTitle answers the chain of title of the patent the path names.
func (s *Server) apiPatentTitle(c echo.Context) error {
	r, err := s.patentInPath(c)
	if err != nil {
		return err
	}
	rec, err := s.db.ChainOfTitle(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	today := s.apiToday()
	ans := titleJSON{Patent: r.Normalized, PatentID: r.ID, Owner: r.Owner, OwnerID: r.OwnerID,
		Chain: []holdingJSON{}, Breaks: []titleBreakJSON{}, Pending: []titleTransferJSON{}}
	for _, h := range rec.Chain {
		j := holdingJSON{Owner: h.Owner, OwnerID: h.OwnerID, From: jsonDate(h.From), To: jsonDate(h.To),
			Current: today.Within(h.From, h.To)}
		if h.Via != nil {
			agreement, assignment := h.AgreementID, h.Via.AssignmentID
			j.Via, j.ViaID, j.Assignment = &h.Agreement, &agreement, &assignment
		}
		ans.Chain = append(ans.Chain, j)
	}
	for _, b := range rec.Breaks {
		ans.Breaks = append(ans.Breaks, newTitleBreakJSON(b))
	}
	for _, a := range rec.Pending {
		ans.Pending = append(ans.Pending, titleTransferJSON{Agreement: a.Agreement, AgreementID: a.AgreementID,
			AgreementStatus: string(a.AgreementStatus), Assignment: a.ID, Assignor: a.Assignor, AssignorID: a.AssignorID,
			Assignee: a.Assignee, AssigneeID: a.AssigneeID, EffectiveOn: jsonDate(a.EffectiveOn)})
	}
	return c.JSON(http.StatusOK, ans)
}

// newTitleBreakJSON answers one break, its message the conflicts list's.
func newTitleBreakJSON(b sqlite.TitleBreakRow) titleBreakJSON {
	msg := rights.TitleBreakConflict(rights.PatentRef{ID: b.PatentID, Number: b.Patent},
		rights.AgreementRef{ID: b.AgreementID, Reference: b.Agreement, Title: b.AgreementTitle},
		b.Assignor, b.Owner, b.EffectiveOn).Message.String()
	return titleBreakJSON{Kind: titleBreakKind, Message: msg, On: jsonDate(b.EffectiveOn),
		Agreement: b.Agreement, AgreementID: b.AgreementID, Assignment: b.AssignmentID,
		Assignor: b.Assignor, AssignorID: b.AssignorID, Assignee: b.Assignee, AssigneeID: b.AssigneeID,
		Owner: b.Owner, OwnerID: b.OwnerID}
}
