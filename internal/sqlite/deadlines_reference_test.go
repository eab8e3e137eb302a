package sqlite

// The deadlines as they were read before session 12 (commit 34689db),
// kept verbatim but for their names as the reference that
// TestDeadlinesAsBefore holds the faster reading to: the same lists, to
// the same day, on generated data sets.

import (
	"cmp"
	"context"
	"database/sql"
	"maps"
	"slices"

	"patentdesk/internal/licensing"
)

// refDeadlinesThrough is Deadlines, and the last day of the period the list
// covers in full: f.To, unless f.PatentLimit cut the patent expiries
// short. The list then ends on that day (the overdue occurrences before
// the period aside), and the rest of the period can be asked for from the
// next day on.
func (db *DB) refDeadlinesThrough(ctx context.Context, f DeadlineFilter) ([]licensing.Deadline, licensing.Date, error) {
	w := f.window(licensing.DateOf(db.now()))
	sc := deadlineScope{limit: f.PatentLimit, portfolios: f.Portfolios}
	var spans []licensing.GroupSpan
	if f.Company != 0 || (f.Portfolios && w.Wants(licensing.DeadlinePatentExpiry)) {
		links, err := db.ControlLinks(ctx)
		if err != nil {
			return nil, licensing.Date{}, err
		}
		sc.links = links
		if f.Company != 0 {
			// The overdue occurrences of before the period count from
			// the first day on.
			from := f.From
			if f.Overdue {
				from = licensing.FirstDay
			}
			spans = licensing.GroupSpans(links, f.Company, f.Affiliates, from, f.To)
		}
	}
	if spans != nil {
		owners := map[int64]bool{}
		for _, s := range spans {
			owners[s.Owner] = true
		}
		in, args := inList("ap.company_id", slices.Sorted(maps.Keys(owners)))
		sc.party, sc.args = ` AND a.id IN (SELECT ap.agreement_id FROM agreement_parties ap WHERE `+in+`)`, args
	}
	if f.Agreement != 0 {
		sc.party, sc.args = sc.party+` AND a.id = ?`, append(sc.args, f.Agreement)
	}
	facts, through, err := refDeadlineFacts(ctx, db.sql, w, sc)
	if err != nil {
		return nil, licensing.Date{}, err
	}
	list := licensing.Deadlines(facts, w)
	if spans != nil {
		list = licensing.DeadlinesOfGroup(list, spans)
	}
	if through.Before(w.To) {
		list = slices.DeleteFunc(list, func(d licensing.Deadline) bool { return d.Date.After(through) })
	}
	return list, through, nil
}

// refDeadlineFacts reads what the deadlines of window w are worked out from,
// and the last day up to which the patent expiries were read in full.
func refDeadlineFacts(ctx context.Context, q querier, w licensing.DeadlineWindow, sc deadlineScope) (*licensing.DeadlineFacts, licensing.Date, error) {
	f := &licensing.DeadlineFacts{Agreements: map[int64]*licensing.Agreement{}}
	through := w.To
	party, args := sc.party, sc.args
	// Only signed agreements in effect from a known day make deadlines.
	signed := `a.status IN ('active', 'expired', 'terminated') AND a.effective_on IS NOT NULL` + party
	from, to := w.From.String(), w.To.String()
	if w.Wants(licensing.DeadlineExpiry) || w.Wants(licensing.DeadlineNotice) || w.Wants(licensing.DeadlineRenewal) {
		reach := to
		if w.Wants(licensing.DeadlineNotice) {
			reach = w.To.AddDays(licensing.NoticeReach).String()
		}
		// Each branch of the OR is one range of an index: the expiry
		// dates, or the status for the renewing and the terminated ones
		// (the unary + keeps the first branch on the expiry index).
		list, err := queryAgreements(ctx, q, `SELECT `+agreementColumns+agreementFrom+` WHERE a.effective_on IS NOT NULL`+party+`
			AND ((a.expires_on BETWEEN ? AND ? AND +a.status IN ('active', 'expired', 'terminated'))
				OR (a.status = 'active' AND a.renewal_months > 0 AND a.expires_on <= ?)
				OR (a.status = 'terminated' AND a.terminated_on BETWEEN ? AND ?))`,
			append(slices.Clone(args), from, reach, reach, from, to)...)
		if err != nil {
			return nil, through, err
		}
		for _, a := range list {
			f.Agreements[a.ID] = a
		}
	}
	var more []int64
	if w.Wants(licensing.DeadlineObligation) {
		due := `o.due_on BETWEEN ? AND ? OR (o.recurrence <> '' AND o.due_on < ? AND (o.until IS NULL OR o.until >= ?))`
		dueArgs := []any{from, to, from, from}
		if w.Overdue {
			// Only an obligation still open can have an occurrence open;
			// first due before today, it may have one overdue.
			due, dueArgs = due+` OR (o.due_on < ? AND o.status = 'open')`, append(dueArgs, w.Today.String())
		}
		rows, err := loadObligations(ctx, q, `o.agreement_id IN (SELECT a.id FROM agreements a WHERE `+signed+`) AND (`+due+`)`,
			append(slices.Clone(args), dueArgs...)...)
		if err != nil {
			return nil, through, err
		}
		for _, r := range rows {
			f.Obligations = append(f.Obligations, r.Obligation)
			more = append(more, r.AgreementID)
		}
	}
	if w.Wants(licensing.DeadlinePatentExpiry) {
		listed, last, err := refPatentsEnding(ctx, q, w.From, w.To, signed, sc)
		if err != nil {
			return nil, through, err
		}
		f.Listed, through = listed, last
		for _, lp := range listed {
			more = append(more, lp.Grant.AgreementID)
		}
	}
	more = slices.DeleteFunc(uniqueIDs(more), func(id int64) bool { return f.Agreements[id] != nil })
	for page := range slices.Chunk(more, eachPage) {
		in, ids := inList("a.id", page)
		list, err := queryAgreements(ctx, q, `SELECT `+agreementColumns+agreementFrom+` WHERE `+in, ids...)
		if err != nil {
			return nil, through, err
		}
		for _, a := range list {
			f.Agreements[a.ID] = a
		}
	}
	return f, through, nil
}

// refPatentsEnding reads the patents whose term ends from … to in the scope
// of a grant of an agreement matching signed, with the grant's term, and
// the last day up to which it read them all: to, unless sc.limit cut them
// short. Each source is read up to the limit in expiry order, and about
// limit of them are kept, but always every one of the first day on which
// any ends, so that a list continued from the next day moves on.
func refPatentsEnding(ctx context.Context, q querier, from, to licensing.Date, signed string, sc deadlineScope) ([]licensing.ListedPatent, licensing.Date, error) {
	all, through, err := refPatentSources(ctx, q, from, to, signed, sc)
	if err != nil || sc.limit == 0 || len(all) == 0 {
		return all, through, err
	}
	slices.SortStableFunc(all, func(x, y licensing.ListedPatent) int { return x.Patent.ExpiresOn.Compare(y.Patent.ExpiresOn) })
	first := all[0].Patent.ExpiresOn
	if len(all) > sc.limit {
		// Every patent ending before the one past the limit is here.
		through = earlier(through, all[sc.limit].Patent.ExpiresOn.AddDays(-1))
	}
	if through.Before(first) {
		full := sc
		full.limit = 0
		all, _, err = refPatentSources(ctx, q, from, first, signed, full)
		return all, first, err
	}
	return slices.DeleteFunc(all, func(lp licensing.ListedPatent) bool { return lp.Patent.ExpiresOn.After(through) }), through, nil
}

// refPatentSources reads the patents of refPatentsEnding from each source, the
// listed ones and the portfolio grants', each up to sc.limit, and the
// last day up to which every source was read in full.
func refPatentSources(ctx context.Context, q querier, from, to licensing.Date, signed string, sc deadlineScope) ([]licensing.ListedPatent, licensing.Date, error) {
	var all []licensing.ListedPatent
	through := to
	read := func(list []licensing.ListedPatent, err error) error {
		if err != nil {
			return err
		}
		if sc.limit > 0 && len(list) > sc.limit {
			// In expiry order: every patent ending before the last one read is here.
			through = earlier(through, list[len(list)-1].Patent.ExpiresOn.AddDays(-1))
		}
		all = append(all, list...)
		return nil
	}
	if err := read(refListedPatentsEnding(ctx, q, from, to, signed, sc.args, sc.limit)); err != nil {
		return nil, through, err
	}
	if sc.portfolios {
		grants, err := refPortfolioGrantsRunning(ctx, q, from, to, signed, sc.args)
		if err != nil {
			return nil, through, err
		}
		// All portfolio grants are one source, read in one walk of the
		// expiry range (deadlines_portfolio.go).
		if err := read(refPortfolioPatentsEnding(ctx, q, grants, sc.links, from, to, sc.limit)); err != nil {
			return nil, through, err
		}
	}
	return all, through, nil
}

// refListedPatentsEnding reads the patents whose term ends from … to that a
// grant of an agreement matching signed lists, by number or by family,
// with the grant's term; with a limit, the first limit+1 by expiry.
// Family keys match exactly, as in listedOrFamilyGrants.
func refListedPatentsEnding(ctx context.Context, q querier, from, to licensing.Date, signed string, args []any, limit int) ([]licensing.ListedPatent, error) {
	query := `SELECT ` + listedColumns + ` FROM grant_patents gp JOIN grants g ON g.id = gp.grant_id JOIN patents p ON p.id = gp.patent_id
		WHERE g.scope = 'patents' AND p.expiry BETWEEN ? AND ? AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE ` + signed + `)
		UNION ALL
		SELECT ` + listedColumns + ` FROM grant_terms t JOIN grants g ON g.id = t.grant_id JOIN patents p ON p.family = t.value
		WHERE t.kind = 'family' AND g.scope = 'families' AND p.family <> '' AND t.value COLLATE BINARY = p.family
			AND p.expiry BETWEEN ? AND ? AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE ` + signed + `)`
	all := append(append([]any{from.String(), to.String()}, args...), from.String(), to.String())
	all = append(all, args...)
	if limit > 0 {
		query, all = query+` ORDER BY 11, 5 LIMIT ?`, append(all, limit+1)
	}
	rows, err := q.QueryContext(ctx, query, all...)
	return scanAll(rows, err, scanListedPatent)
}

// refPortfolioGrantsRunning reads the portfolio grants of the agreements
// matching signed that can be in force within from … to: in effect by its
// end, not ended (renewing ones run on) nor terminated before its start.
// Sublicences are read like any grant: their portfolio is their
// licensor's holdings, as the scope reads.
func refPortfolioGrantsRunning(ctx context.Context, q querier, from, to licensing.Date, signed string, args []any) ([]*GrantRow, error) {
	return loadGrants(ctx, q, `g.scope = 'portfolio' AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE `+signed+`
		AND a.effective_on <= ? AND (a.expires_on IS NULL OR a.expires_on >= ? OR (a.status = 'active' AND a.renewal_months > 0))
		AND (a.terminated_on IS NULL OR a.terminated_on >= ?))`, append(slices.Clone(args), to.String(), from.String(), from.String())...)
}

// refPortfolioPatentsEnding reads the patents whose term ends from … to in the
// scope of any of the portfolio grants, one entry per patent and grant,
// ordered by expiry, then grant (in the order given), then patent id. With a
// limit it stops after the first patent that takes the count past limit:
// every entry ending before the last one read is then here.
func refPortfolioPatentsEnding(ctx context.Context, q querier, grants []*GrantRow, links []licensing.Control, from, to licensing.Date, limit int) ([]licensing.ListedPatent, error) {
	if len(grants) == 0 {
		return nil, nil
	}
	m := refNewPortfolioMatcher(grants, links)
	type entry struct {
		lp    licensing.ListedPatent
		grant int
	}
	var out []entry
	after, afterID := "", int64(0)
	for {
		query, args := `SELECT p.id, p.normalized, p.office, p.status, p.status_on, p.granted_on, p.expiry
			FROM patents p INDEXED BY patents_expiry WHERE p.expiry BETWEEN ? AND ?`, []any{from.String(), to.String()}
		if after != "" {
			query, args = query+` AND (p.expiry, p.id) > (?, ?)`, append(args, after, afterID)
		}
		rows, err := q.QueryContext(ctx, query+` ORDER BY p.expiry, p.id LIMIT ?`, append(args, expiryChunk)...)
		chunk, err := scanAll(rows, err, refScanExpiringPatent)
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			break
		}
		facts, err := m.refFactsOf(ctx, q, chunk)
		if err != nil {
			return nil, err
		}
		full := false
		for i := range chunk {
			p := &chunk[i]
			for _, gi := range m.match(p, facts[p.ID]) {
				g := grants[gi]
				out = append(out, entry{grant: gi, lp: licensing.ListedPatent{Patent: *p,
					Grant: licensing.Grant{ID: g.ID, AgreementID: g.AgreementID, StartsOn: g.StartsOn, EndsOn: g.EndsOn}}})
			}
			if limit > 0 && len(out) > limit {
				full = true
				break
			}
		}
		if full || len(chunk) < expiryChunk {
			break
		}
		last := chunk[len(chunk)-1]
		after, afterID = last.ExpiresOn.String(), last.ID
	}
	slices.SortStableFunc(out, func(x, y entry) int {
		return cmp.Or(x.lp.Patent.ExpiresOn.Compare(y.lp.Patent.ExpiresOn), cmp.Compare(x.grant, y.grant),
			cmp.Compare(x.lp.Patent.ID, y.lp.Patent.ID))
	})
	list := make([]licensing.ListedPatent, len(out))
	for i, e := range out {
		list[i] = e.lp
	}
	return list, nil
}

func refScanExpiringPatent(row rowScanner) (licensing.Patent, error) {
	var p licensing.Patent
	var status string
	var dates [3]sql.NullString
	if err := row.Scan(&p.ID, &p.Normalized, &p.Office, &status, &dates[0], &dates[1], &dates[2]); err != nil {
		return p, err
	}
	p.Status = licensing.PatentStatus(status)
	var err error
	for i, dst := range []*licensing.Date{&p.StatusOn, &p.GrantedOn, &p.ExpiresOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return p, err
		}
	}
	return p, nil
}

func refNewPortfolioMatcher(grants []*GrantRow, links []licensing.Control) *portfolioMatcher {
	m := &portfolioMatcher{grants: grants, byOwner: map[int64][]heldSpan{}, seen: make([]bool, len(grants))}
	for gi, g := range grants {
		for _, sp := range portfolioSpans(links, &g.Grant) {
			m.byOwner[sp.Owner] = append(m.byOwner[sp.Owner], heldSpan{grant: gi, from: sp.From.String(), to: sp.To.String()})
		}
		if len(g.Scope.Tags) > 0 || len(g.Scope.Standards) > 0 {
			m.labels = true
		}
	}
	return m
}

// refFactsOf reads the holdings, and where a grant needs them the tags and
// standards, of a chunk of patents: two statements for the chunk.
func (m *portfolioMatcher) refFactsOf(ctx context.Context, q querier, chunk []licensing.Patent) (map[int64]*patentHoldings, error) {
	facts := make(map[int64]*patentHoldings, len(chunk))
	ids := make([]any, len(chunk))
	for i := range chunk {
		ids[i] = chunk[i].ID
		facts[chunk[i].ID] = &patentHoldings{}
	}
	in := placeholders(len(ids))
	rows, err := q.QueryContext(ctx, `SELECT patent_id, owner_id, from_on, to_on FROM patent_owners WHERE patent_id IN (`+in+`)`, ids...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var h holding
		if err := rows.Scan(&id, &h.owner, &h.from, &h.to); err != nil {
			rows.Close()
			return nil, err
		}
		facts[id].held = append(facts[id].held, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !m.labels {
		return facts, err
	}
	rows, err = q.QueryContext(ctx, `SELECT patent_id, kind, value FROM patent_labels
		WHERE patent_id IN (`+in+`) AND kind IN ('tag', 'standard')`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l scopeLabelValue
		if err := rows.Scan(&id, &l.kind, &l.value); err != nil {
			return nil, err
		}
		facts[id].labels = append(facts[id].labels, l)
	}
	return facts, rows.Err()
}
