package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// conflictsShown bounds the conflicts of one kind the page lists; the
// export has them all.
const conflictsShown = 200

// conflictQuery is the conflicts page's filters as its URL carries them.
type conflictQuery struct{ templates.ConflictFilterForm }

func readConflictQuery(c echo.Context) conflictQuery {
	get := func(name string) string { return strings.TrimSpace(c.QueryParam(name)) }
	return conflictQuery{templates.ConflictFilterForm{Kind: strings.ToLower(get("kind")), Agreement: get("agreement"),
		Company: get("company"), Affiliates: get("affiliates") == "1"}}
}

func (q conflictQuery) filterValues() listParams {
	v := newListParams()
	v.set("kind", q.Kind)
	v.set("agreement", q.Agreement)
	v.set("company", q.Company)
	v.flag("affiliates", q.Affiliates)
	return v
}

// conflictFilter decides which conflicts a query keeps.
type conflictFilter struct {
	kind      rights.ConflictKind
	agreement int64
	companies []int64
	errs      templates.FieldErrors
	notes     []string
}

// keeps reports whether c passes the filters other than the kind.
func (f *conflictFilter) keeps(c *foundConflict) bool {
	if f.agreement != 0 && !slices.ContainsFunc(c.Agreements, func(a rights.AgreementRef) bool { return a.ID == f.agreement }) {
		return false
	}
	return f.companies == nil || slices.ContainsFunc(c.companies, func(id int64) bool { return slices.Contains(f.companies, id) })
}

func (s *Server) resolveConflictQuery(ctx context.Context, l *i18n.Locale, q *conflictQuery) (*conflictFilter, error) {
	f := &conflictFilter{errs: templates.FieldErrors{}}
	if q.Kind != "" {
		if !slices.Contains(rights.ConflictKinds, rights.ConflictKind(q.Kind)) {
			f.errs["kind"] = l.T("coverage.conflicts.kind_invalid")
		}
		f.kind = rights.ConflictKind(q.Kind)
	}
	if q.Agreement != "" {
		a, err := s.conflictAgreement(ctx, q.Agreement)
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			f.errs["agreement"] = l.T("coverage.conflicts.agreement_unknown", q.Agreement)
		case err != nil:
			return nil, err
		default:
			f.agreement, q.Agreement = a.ID, a.Reference
		}
	}
	if q.Company != "" {
		g, err := s.resolveCompanyGroup(ctx, l, q.Company, q.Affiliates, licensing.DateOf(s.now()),
			"coverage.conflicts.no_affiliates", "coverage.conflicts.affiliates_included")
		switch {
		case errors.Is(err, sqlite.ErrNotFound):
			f.errs["company"] = l.T("coverage.filter.company_unknown", q.Company)
		case err != nil:
			return nil, err
		default:
			f.companies, q.Company = g.ids, g.company.Name
			if g.note != "" {
				f.notes = append(f.notes, g.note)
			}
		}
	}
	return f, nil
}

// conflictAgreement finds an agreement by its reference or id.
func (s *Server) conflictAgreement(ctx context.Context, ref string) (*licensing.Agreement, error) {
	a, err := s.db.AgreementByReference(ctx, ref)
	if errors.Is(err, sqlite.ErrNotFound) {
		if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
			return s.db.Agreement(ctx, id)
		}
	}
	return a, err
}

func (s *Server) conflictList(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	q := readConflictQuery(c)
	f, err := s.resolveConflictQuery(ctx, l, &q)
	if err != nil {
		return err
	}
	p, err := s.page(c, "coverage.conflicts.title", "reports")
	if err != nil {
		return err
	}
	params := q.filterValues()
	v := templates.ConflictListView{Filter: q.ConflictFilterForm, FilterErrors: f.errs, Notes: f.notes,
		Kinds: catalogChoices(l, "rights.conflict_kind.", rights.ConflictKinds), ExportParams: params.exportParams(),
		Filtered: filtersBesides(params, "affiliates")}
	if len(f.errs) == 0 {
		report, err := s.currentConflicts(ctx, licensing.DateOf(s.now()))
		if err != nil {
			return err
		}
		fillConflicts(l, report, f, q, &v)
	}
	if v.Companies, err = s.patentOwnerChoices(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Conflicts(p, v))
}

// fillConflicts groups the kept conflicts by kind, with a count of each
// kind linking to the page filtered to it.
func fillConflicts(l *i18n.Locale, report *conflictReport, f *conflictFilter, q conflictQuery, v *templates.ConflictListView) {
	groups := map[rights.ConflictKind]*templates.ConflictGroup{}
	for _, kind := range rights.ConflictKinds {
		groups[kind] = &templates.ConflictGroup{Kind: string(kind), Label: l.T("rights.conflict_kind." + string(kind)),
			About: l.T("coverage.conflicts.about." + string(kind))}
	}
	for i := range report.items {
		c := &report.items[i]
		if !f.keeps(c) {
			continue
		}
		g := groups[c.Kind]
		if g == nil {
			continue
		}
		if g.Count++; g.Count > conflictsShown {
			g.Truncated++
			continue
		}
		g.Items = append(g.Items, conflictItem(l, c, report.grantAgreement))
	}
	for _, kind := range rights.ConflictKinds {
		g := groups[kind]
		kq := q
		kq.Kind = string(kind)
		v.Counts = append(v.Counts, templates.ConflictKindCount{Kind: g.Kind, Label: g.Label, Count: g.Count,
			Href: kq.filterValues().href("/conflicts")})
		v.Total += g.Count
		if f.kind == "" && g.Count > 0 || f.kind == kind {
			v.Groups = append(v.Groups, *g)
		}
	}
}

// conflictItem is one conflict as the page lists it.
func conflictItem(l *i18n.Locale, c *foundConflict, grantAgreement map[int64]int64) templates.ConflictItem {
	it := templates.ConflictItem{Message: c.message(l), More: c.More}
	for _, a := range c.Agreements {
		it.Agreements = append(it.Agreements, titleAgreement(a))
	}
	for _, id := range c.Grants {
		if a, ok := grantAgreement[id]; ok {
			it.Grants = append(it.Grants, templates.ConflictGrant{ID: id, Agreement: a})
		}
	}
	for _, p := range c.Patents {
		it.Patents = append(it.Patents, templates.PatentRef{ID: p.ID, Number: patentDisplayNumber(p.Number)})
	}
	return it
}

// conflictHeader is the conflicts export's columns.
var conflictHeader = []string{"kind", "message", "agreements", "grants", "patents"}

// conflictExport writes every conflict the filters keep as CSV, messages
// in English; the patents are those the conflict names (an overlap names
// the first few and counts all in its message).
func (s *Server) conflictExport(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	q := readConflictQuery(c)
	f, err := s.resolveConflictQuery(ctx, l, &q)
	if err != nil {
		return err
	}
	if len(f.errs) > 0 {
		return &licensing.Error{Code: licensing.Invalid, Message: "the filters cannot be applied", Fields: f.errs}
	}
	report, err := s.currentConflicts(ctx, licensing.DateOf(s.now()))
	if err != nil {
		return err
	}
	return s.streamCSV(c, "conflicts", conflictHeader, func(write func([]string) error) error {
		for i := range report.items {
			fc := &report.items[i]
			if !f.keeps(fc) || f.kind != "" && fc.Kind != f.kind {
				continue
			}
			var agreements, grants, patents []string
			for _, a := range fc.Agreements {
				agreements = append(agreements, a.Reference)
			}
			for _, g := range fc.Grants {
				grants = append(grants, strconv.FormatInt(g, 10))
			}
			for _, p := range fc.Patents {
				patents = append(patents, p.Number)
			}
			if err := write([]string{string(fc.Kind), fc.english(), strings.Join(agreements, "|"), strings.Join(grants, "|"),
				strings.Join(patents, "|")}); err != nil {
				return err
			}
		}
		return nil
	})
}
