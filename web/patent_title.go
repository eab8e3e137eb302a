package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// titleBreaksPerPage is one screen of the title-break report.
const titleBreaksPerPage = 100

// patentTitleView reads a patent's chain of title and shows it with the
// grants whose scope takes the patent in, picked from its facts (which the
// rights panel reads too), for its page.
func (s *Server) patentTitleView(ctx context.Context, l *i18n.Locale, facts *sqlite.PatentFacts, today licensing.Date) (templates.PatentTitleView, error) {
	var v templates.PatentTitleView
	rec, err := s.db.ChainOfTitle(ctx, facts.Patent.ID)
	if err != nil {
		return v, err
	}
	for _, h := range rec.Chain {
		th := templates.TitleHolding{
			Owner: templates.CompanyRef{ID: h.OwnerID, Name: h.Owner}, From: h.From.Time(), To: h.To.Time(),
			Current: today.Within(h.From, h.To),
		}
		if h.Via != nil {
			th.ViaID = h.Via.AssignmentID
			th.Via = templates.TitleAgreement{ID: h.AgreementID, Reference: h.Agreement, Title: h.AgreementTitle}
		}
		v.Chain = append(v.Chain, th)
	}
	for _, b := range rec.Breaks {
		v.Breaks = append(v.Breaks, titleBreakItem(b))
	}
	for _, a := range rec.Pending {
		v.Pending = append(v.Pending, templates.TitleTransfer{
			Assignor: templates.CompanyRef{ID: a.AssignorID, Name: a.Assignor}, Assignee: templates.CompanyRef{ID: a.AssigneeID, Name: a.Assignee},
			EffectiveOn: a.EffectiveOn.Time(), Status: l.T("enum.agreement_status." + string(a.AgreementStatus)),
			Agreement: templates.TitleAgreement{ID: a.AgreementID, Reference: a.Agreement, Title: a.AgreementTitle},
		})
	}
	for _, t := range facts.GrantsTakingIn() {
		a := t.Head
		v.Grants = append(v.Grants, templates.PatentGrant{
			Agreement: templates.TitleAgreement{ID: t.AgreementID, Reference: t.Agreement, Title: t.AgreementTitle},
			GrantID:   t.ID, Licensor: templates.CompanyRef{ID: t.LicensorID, Name: t.Licensor},
			Licensee: templates.CompanyRef{ID: t.LicenseeID, Name: t.Licensee}, Affiliates: t.LicenseeAffiliates,
			Via: l.T("patent.grants.via." + t.Via), Exclusivity: l.T("enum.exclusivity." + string(t.Exclusivity)),
			Starts: t.Start(a).Time(), Ends: t.Finish(a).Time(),
			Status: l.T("enum.agreement_status." + string(a.Status)), Signed: a.Status.Signed(),
			Ended: !t.Finish(a).IsZero() && t.Finish(a).Before(today),
		})
	}
	return v, nil
}

// titleBreakItem shows one break of a chain of title.
func titleBreakItem(b sqlite.TitleBreakRow) templates.TitleTransfer {
	return templates.TitleTransfer{
		Patent:      templates.PatentRef{ID: b.PatentID, Number: patentDisplayNumber(b.Patent)},
		Assignor:    templates.CompanyRef{ID: b.AssignorID, Name: b.Assignor},
		Assignee:    templates.CompanyRef{ID: b.AssigneeID, Name: b.Assignee},
		Owner:       templates.CompanyRef{ID: b.OwnerID, Name: b.Owner},
		EffectiveOn: b.EffectiveOn.Time(),
		Agreement:   templates.TitleAgreement{ID: b.AgreementID, Reference: b.Agreement, Title: b.AgreementTitle},
	}
}

// titleBreakReport lists every chain-of-title break, page by page.
func (s *Server) titleBreakReport(c echo.Context) error {
	ctx := c.Request().Context()
	f := sqlite.TitleBreakFilter{Limit: titleBreaksPerPage}
	after := c.QueryParam("after")
	if after != "" {
		f.After = &after
	}
	rows, next, err := s.db.TitleBreaks(ctx, f)
	if err != nil {
		return err
	}
	p, err := s.page(c, "reports.title_breaks.title", "reports")
	if err != nil {
		return err
	}
	var v templates.TitleBreaksView
	for _, b := range rows {
		v.Items = append(v.Items, titleBreakItem(b))
	}
	if after != "" {
		v.FirstHref = "/reports/title-breaks"
	}
	if next != "" {
		v.NextHref = "/reports/title-breaks?after=" + url.QueryEscape(next)
	}
	return render(c, http.StatusOK, templates.TitleBreaks(p, v))
}

// reports lists the reports.
func (s *Server) reports(c echo.Context) error {
	p, err := s.page(c, "nav.reports", "reports")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Reports(p))
}
