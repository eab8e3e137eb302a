package web

import (
	"context"
	"sort"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
)

// companyGroupFilter is what a list filter naming a company asks for: the
// company, and with "include affiliates" every company of its corporate
// group on a day, with a note saying which those are.
type companyGroupFilter struct {
	company *licensing.Company
	ids     []int64
	note    string // empty unless affiliates were asked for
}

// resolveCompanyGroup finds the company named by ref (id, legal name or
// alias; sqlite.ErrNotFound when none) and, with affiliates, its group on
// day on. The note names the affiliates in the locale's words: noneKey
// takes the company and the day, someKey the day and the names.
func (s *Server) resolveCompanyGroup(ctx context.Context, l *i18n.Locale, ref string, affiliates bool, on licensing.Date, noneKey, someKey string) (*companyGroupFilter, error) {
	c, err := s.patentCompanyRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	f := &companyGroupFilter{company: c, ids: []int64{c.ID}}
	if !affiliates {
		return f, nil
	}
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, id := range licensing.Affiliates(links, c.ID, on) {
		a, err := s.db.Company(ctx, id)
		if err != nil {
			return nil, err
		}
		names = append(names, a.Name)
	}
	f.ids = licensing.Group(links, c.ID, on)
	day := l.Date(on.Time())
	if len(names) == 0 {
		f.note = l.T(noneKey, c.Name, day)
	} else {
		sort.Strings(names)
		f.note = l.T(someKey, day, strings.Join(names, ", "))
	}
	return f, nil
}
