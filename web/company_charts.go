package web

import (
	"context"
	"strconv"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

const (
	// chartTags is how many tags the tag chart shows, the most used first.
	chartTags = 12
	// chartExpiryYears is how many years the expiry chart looks ahead,
	// this year included: a patent's whole term is twenty.
	chartExpiryYears = 20
)

// companyCharts counts a company's portfolio for its page: the patents the
// company and its affiliates own today, since legal staff think of a
// portfolio as the group's (the page's patent list shows the company's
// own). Each bar links to the patents list with the same filters. Nil when
// the group owns no patent. Each count is one GROUP BY over the owner
// index: it reads the group's patents, not the others.
func (s *Server) companyCharts(ctx context.Context, l *i18n.Locale, co *licensing.Company, links []licensing.Control, today licensing.Date) (*templates.PortfolioCharts, error) {
	group := licensing.Group(links, co.ID, today)
	offices, err := s.db.PortfolioByOffice(ctx, group)
	if err != nil || len(offices) == 0 {
		return nil, err
	}
	tags, err := s.db.PortfolioByTag(ctx, group)
	if err != nil {
		return nil, err
	}
	years, err := s.db.PatentExpiriesByYear(ctx, group, today, chartExpiryYears)
	if err != nil {
		return nil, err
	}
	list := func(set func(listParams)) string {
		v := newListParams()
		v.set("owner", strconv.FormatInt(co.ID, 10))
		v.flag("affiliates", len(group) > 1)
		set(v)
		return v.href("/patents")
	}
	c := &templates.PortfolioCharts{Scope: l.T("charts.scope.own", co.Name)}
	if len(group) > 1 {
		c.Scope = l.T("charts.scope.group", co.Name, len(group))
	}
	for _, o := range offices {
		c.Offices = append(c.Offices, templates.ChartBar{Label: o.Value, Count: o.Count,
			Href: list(func(v listParams) { v.set("office", o.Value) })})
	}
	if len(tags) > chartTags {
		tags, c.MoreTags = tags[:chartTags], len(tags)-chartTags
	}
	for _, t := range tags {
		c.Tags = append(c.Tags, templates.ChartBar{Label: t.Value, Count: t.Count,
			Href: list(func(v listParams) { v.set("tag", t.Value) })})
	}
	counts := map[string]int{}
	for _, y := range years {
		counts[y.Value] = y.Count
	}
	for i := range chartExpiryYears {
		y := today.Time().Year() + i
		inForce := licensing.NewDate(y, 1, 1)
		if inForce.Before(today) {
			inForce = today
		}
		year := strconv.Itoa(y)
		c.Expiries = append(c.Expiries, templates.ChartBar{Label: year, Count: counts[year], Href: list(func(v listParams) {
			v.set("in_force_on", inForce.String())
			v.set("expires_before", licensing.NewDate(y+1, 1, 1).String())
		})})
	}
	return c, nil
}
