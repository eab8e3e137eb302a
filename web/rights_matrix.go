package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The rights matrix: companies by companies on a day, each cell the count
// of in-force patents of the row company (their owner that day) that the
// column company may practise, through ownership, an affiliate's ownership
// or a licence. A patent the column company reaches by two routes counts
// once: see disjointQueries.

func (s *Server) rightsMatrix(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	v := templates.MatrixView{On: strings.TrimSpace(c.QueryParam("on")), Errors: templates.FieldErrors{}}
	on := s.filterDay(l, &v.On, v.Errors)
	v.Day = on.Time()
	if v.On == "" {
		v.On = on.String()
	}
	p, err := s.page(c, "coverage.matrix.title", "rights")
	if err != nil {
		return err
	}
	if len(v.Errors) == 0 {
		if v.Companies, v.Rows, err = s.matrixOn(ctx, on); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, templates.RightsMatrix(p, v))
}

// matrixOn computes the matrix of day on. Its companies are those that own
// patents in force that day and the licensees of grants in force that day,
// each group together, its top company first.
func (s *Server) matrixOn(ctx context.Context, on licensing.Date) ([]templates.MatrixCompany, []templates.MatrixRow, error) {
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return nil, nil, err
	}
	all := map[int64]*licensing.Company{}
	names := map[int64]string{}
	var spans []licensing.GroupSpan
	err = s.db.EachCompany(ctx, sqlite.CompanyFilter{}, func(co *licensing.Company) error {
		all[co.ID], names[co.ID] = co, co.Name
		spans = append(spans, licensing.GroupSpan{Owner: co.ID, From: on, To: on})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	owned, err := s.db.CountPatentsInByOwner(ctx, sqlite.PatentSetQuery{Sets: []licensing.PatentSet{{HeldBy: spans}}, InForceOn: on}, on)
	if err != nil {
		return nil, nil, err
	}
	var grants []rights.GrantFact
	member := map[int64]bool{} // owners in force, licensees in force
	for id := range owned {
		member[id] = true
	}
	err = s.db.EachGrantFact(ctx, func(g sqlite.GrantFact) error {
		grants = append(grants, rights.GrantFact(g))
		if grantInForce(g.Agreement, &g.Grant, on) {
			member[g.Grant.LicenseeID] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var ids []int64
	for id := range member {
		if all[id] != nil {
			ids = append(ids, id)
		}
	}
	companies := matrixOrder(links, ids, all, on)
	rows := make([]templates.MatrixRow, len(companies))
	for i, co := range companies {
		rows[i] = templates.MatrixRow{Owner: co, Owned: owned[co.ID], Cells: make([]templates.MatrixCell, len(companies))}
	}
	for j, col := range companies {
		var queries []sqlite.PatentSetQuery
		for _, rt := range rights.Routes(rights.CoverageQuestion{Company: col.ID, On: on}, links, names, grants) {
			queries = append(queries, sqlite.PatentSetQuery{Sets: rt.Sets, Except: rt.Except, InForceOn: on})
		}
		counts, err := s.countDistinctByOwner(ctx, queries, on)
		if err != nil {
			return nil, nil, err
		}
		for i, row := range companies {
			cell := templates.MatrixCell{Count: counts[row.ID], Diagonal: i == j}
			if cell.Count > 0 { // the coverage behind the cell: the row company's patents on the day
				cell.Href = coverageQuery{CoverageFilterForm: templates.CoverageFilterForm{On: on.String(), Owner: strconv.FormatInt(row.ID, 10)}}.href(col.ID, "")
			}
			rows[i].Cells[j] = cell
		}
	}
	return companies, rows, nil
}

// grantInForce reports whether a grant gives rights on day on: its
// agreement signed and in force, and the day within the grant's own term.
func grantInForce(a *licensing.Agreement, g *licensing.Grant, on licensing.Date) bool {
	return a.InForce(on) && on.Within(g.Start(a), g.Finish(a))
}

// matrixOrder sorts the matrix's companies so that each corporate group of
// the day stands together: by the name of its top company, the top company
// first, then its members by name.
func matrixOrder(links []licensing.Control, ids []int64, all map[int64]*licensing.Company, on licensing.Date) []templates.MatrixCompany {
	parent := map[int64]int64{}
	for _, l := range links {
		if on.Within(l.From, l.To) {
			parent[l.Company] = l.Parent
		}
	}
	top := func(id int64) int64 {
		for seen := 0; parent[id] != 0 && seen < len(links); seen++ {
			id = parent[id]
		}
		return id
	}
	name := func(id int64) string {
		if co := all[id]; co != nil {
			return co.Name
		}
		return ""
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	slices.SortFunc(ids, func(a, b int64) int {
		ta, tb := top(a), top(b)
		return cmp.Or(cmp.Compare(name(ta), name(tb)), cmp.Compare(ta, tb),
			cmp.Compare(btoi(a != ta), btoi(b != tb)), cmp.Compare(name(a), name(b)), cmp.Compare(a, b))
	})
	out := make([]templates.MatrixCompany, len(ids))
	for i, id := range ids {
		co := all[id]
		short := co.ShortName
		if short == "" {
			short = co.Name
		}
		out[i] = templates.MatrixCompany{CompanyRef: templates.CompanyRef{ID: id, Name: co.Name}, Short: short,
			Subsidiary: top(id) != id && in[top(id)]}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// disjointQueries returns queries that together take in the patents of
// qs, each patent exactly once: each query less the patents of those
// before it, which it lists as exceptions. That is exact for an earlier
// query without exceptions of its own, whose patents are just those in all
// its sets; so queries without exceptions go first. The queries with
// exceptions are a company's and its affiliates' holdings on one day, less
// what exclusive grants shut them out of: held by different companies, so
// already disjoint from each other.
func disjointQueries(qs []sqlite.PatentSetQuery) []sqlite.PatentSetQuery {
	order := make([]int, len(qs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(btoi(len(qs[a].Except) > 0), btoi(len(qs[b].Except) > 0)) })
	out := make([]sqlite.PatentSetQuery, 0, len(qs))
	var earlier [][]licensing.PatentSet
	for _, i := range order {
		q := qs[i]
		q.Except = slices.Concat(q.Except, earlier)
		out = append(out, q)
		earlier = append(earlier, qs[i].Sets)
	}
	return out
}

// countDistinct counts the patents of any of the queries, each once.
func (s *Server) countDistinct(ctx context.Context, qs []sqlite.PatentSetQuery) (int, error) {
	total := 0
	for _, q := range disjointQueries(qs) {
		n, err := s.db.CountPatentsIn(ctx, q)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// countDistinctByOwner counts the patents of any of the queries, each
// once, by their owner on day on.
func (s *Server) countDistinctByOwner(ctx context.Context, qs []sqlite.PatentSetQuery, on licensing.Date) (map[int64]int, error) {
	total := map[int64]int{}
	for _, q := range disjointQueries(qs) {
		counts, err := s.db.CountPatentsInByOwner(ctx, q, on)
		if err != nil {
			return nil, err
		}
		for owner, n := range counts {
			total[owner] += n
		}
	}
	return total, nil
}
