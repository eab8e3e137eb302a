package sqlite

import (
	"context"
	"database/sql"
	"maps"
	"slices"

	"patentdesk/internal/licensing"
)

// DeadlineFilter selects the deadlines of a period.
type DeadlineFilter struct {
	From, To   licensing.Date             // both included; both required
	Today      licensing.Date             // decides open and passed; zero: the store's today
	Kind       *licensing.DeadlineKind    // nil: every kind (or those of Kinds)
	Kinds      []licensing.DeadlineKind   // several kinds; with Kind, any of them
	Statuses   []licensing.DeadlineStatus // empty: every status
	Company    int64                      // 0: every agreement; else the agreements the company is a party to
	Affiliates bool                       // with Company: also those to which a company of its group on the deadline's day is a party
	Agreement  int64                      // 0: every agreement; else this one alone
	// Overdue also takes in the occurrences still open that fell due before
	// From, however long ago (licensing.DeadlineWindow.Overdue).
	Overdue bool
	// Portfolios also takes in, for patent_expiry, the patents of portfolio
	// grants: every patent the licensor (or its group) held in the capture
	// window, narrowed as the grant says. These can be many; set
	// PatentLimit with it.
	Portfolios bool
	// PatentLimit bounds the patent expiries read: 0 reads them all; else
	// each source of them (the listed patents, each portfolio grant) is
	// read in expiry order up to about this many, and the list ends on the
	// last day read in full, which DeadlinesThrough returns.
	PatentLimit int
}

// window is the filter as licensing.Deadlines takes it.
func (f *DeadlineFilter) window(today licensing.Date) licensing.DeadlineWindow {
	w := licensing.DeadlineWindow{From: f.From, To: f.To, Today: f.Today, Statuses: f.Statuses, Overdue: f.Overdue}
	if w.Today.IsZero() {
		w.Today = today
	}
	if f.Kind != nil || len(f.Kinds) > 0 {
		w.Kinds = slices.Clone(f.Kinds)
		if f.Kind != nil {
			w.Kinds = append(w.Kinds, *f.Kind)
		}
	}
	return w
}

// ChangesIgnored are the kinds of record change that cannot alter the
// deadlines of f (for RecordsStamps): no list reads the agreements'
// documents; obligations make only obligation deadlines, and grants only
// patent expiries (their agreements' terms make the others), so a list
// without those kinds reads neither.
func (f DeadlineFilter) ChangesIgnored() ChangeKinds {
	w, ignored := f.window(licensing.Date{}), DocumentChanges
	if !w.Wants(licensing.DeadlineObligation) {
		ignored |= ObligationChanges
	}
	if !w.Wants(licensing.DeadlinePatentExpiry) {
		ignored |= GrantChanges
	}
	return ignored
}

// Deadlines returns the deadlines of the period, worked out by
// licensing.Deadlines and sorted as it sorts them. Only agreements that can
// make one within the period are read, each through an index on its dates
// or status: those whose expiry (or, for a notice, whose expiry up to the
// longest notice period later) falls within it, those that renew
// themselves, those terminated within it; the obligations falling due
// within it or recurring into it (and with f.Overdue those still open from
// before it), with their marked occurrences; and the patents whose term
// ends within it that a grant lists by number or by family, or with
// f.Portfolios takes in by its portfolio. Portfolio scopes can take in
// hundreds of thousands of patents: with f.PatentLimit set, use
// DeadlinesThrough, which says how far the list goes.
func (db *DB) Deadlines(ctx context.Context, f DeadlineFilter) ([]licensing.Deadline, error) {
	list, _, err := db.DeadlinesThrough(ctx, f)
	return list, err
}

// DeadlinesThrough is Deadlines, and the last day of the period the list
// covers in full: f.To, unless f.PatentLimit cut the patent expiries
// short. The list then ends on that day (the overdue occurrences before
// the period aside), and the rest of the period can be asked for from the
// next day on.
func (db *DB) DeadlinesThrough(ctx context.Context, f DeadlineFilter) ([]licensing.Deadline, licensing.Date, error) {
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
	facts, through, err := deadlineFacts(ctx, db.sql, w, sc)
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

// deadlineScope is what, besides the window, decides which agreements and
// patents deadlineFacts reads.
type deadlineScope struct {
	party      string // "" or a further condition on agreements a (" AND …")
	args       []any  // the values of party's placeholders
	portfolios bool   // read the patents of portfolio grants too
	links      []licensing.Control
	limit      int // PatentLimit
	// listed, when read, are the grants that name patents, found on the
	// portfolios' walk of the expiry range (deadlines_listed.go); grants
	// the portfolio grants running within the period.
	listed *listedGrants
	grants []runningGrant
}

// deadlineFacts reads what the deadlines of window w are worked out from,
// and the last day up to which the patent expiries were read in full.
//
// The patent expiries come first: where the limit cuts them short, the
// list ends on the day they were read through, and the agreements and
// obligations are read only up to that day. Every deadline of that day or
// before comes from the same facts: the conditions below take in every
// agreement and obligation with a deadline from w.From to that day, an
// amendment's parent with it (the same dates meet the same conditions),
// and the marks of occurrences after it decide nothing before it.
func deadlineFacts(ctx context.Context, q querier, w licensing.DeadlineWindow, sc deadlineScope) (*licensing.DeadlineFacts, licensing.Date, error) {
	f := &licensing.DeadlineFacts{Agreements: map[int64]*licensing.Agreement{}}
	through := w.To
	party, args := sc.party, sc.args
	// Only signed agreements in effect from a known day make deadlines.
	signed := `a.status IN ('active', 'expired', 'terminated') AND a.effective_on IS NOT NULL` + party
	var more []int64
	if w.Wants(licensing.DeadlinePatentExpiry) {
		listed, last, err := patentsEnding(ctx, q, w.From, w.To, signed, sc)
		if err != nil {
			return nil, through, err
		}
		f.Listed, through = listed, last
		for _, lp := range listed {
			more = append(more, lp.Grant.AgreementID)
		}
	}
	if through.Before(w.To) {
		w.To = through // nothing after it is listed
	}
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
	if w.Wants(licensing.DeadlineObligation) {
		recurring, recurringArgs := `o.recurrence <> '' AND o.due_on < ? AND (o.until IS NULL OR o.until >= ?)`, []any{from, from}
		if days := daysOfMonthDue(w.From, w.To); days != nil {
			in, dayArgs := inList(`CAST(substr(o.due_on, 9, 2) AS INTEGER)`, days)
			recurring, recurringArgs = recurring+` AND `+in, append(recurringArgs, dayArgs...)
		}
		due := `o.due_on BETWEEN ? AND ? OR (` + recurring + `)`
		dueArgs := append([]any{from, to}, recurringArgs...)
		if w.Overdue {
			// Only an obligation still open can have an occurrence open;
			// first due before today, it may have one overdue.
			due, dueArgs = due+` OR (o.due_on < ? AND o.status = 'open')`, append(dueArgs, w.Today.String())
		}
		rows, err := deadlineObligations(ctx, q, w, `o.agreement_id IN (SELECT a.id FROM agreements a WHERE `+signed+`) AND (`+due+`)`,
			append(slices.Clone(args), dueArgs...))
		if err != nil {
			return nil, through, err
		}
		for _, r := range rows {
			f.Obligations = append(f.Obligations, r.Obligation)
			more = append(more, r.AgreementID)
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

// daysOfMonthDue are the days of the month on which an obligation
// recurring from an earlier date can fall due from … to, a period shorter
// than any month; nil for a longer one. An occurrence falls on the day of
// the month of the first due date, or on the last day of a shorter month
// (licensing.Date.AddMonths): so on a day of the period, or it is due on
// a later day of the month than a period's last day of a month. The list
// of the next few days then reads the few recurring obligations that can
// fall due in them, not the thousands that recur (licensing.Deadlines
// still decides which do).
func daysOfMonthDue(from, to licensing.Date) []int {
	if to.After(from.AddDays(26)) {
		return nil
	}
	var days []int
	for d := from; !d.After(to); d = d.AddDays(1) {
		day := d.Time().Day()
		days = append(days, day)
		if d.AddDays(1).Time().Day() == 1 { // the last day of its month
			for later := day + 1; later <= 31; later++ {
				days = append(days, later)
			}
		}
	}
	slices.Sort(days)
	return slices.Compact(days)
}

// patentsEnding reads the patents whose term ends from … to in the scope
// of a grant of an agreement matching signed, with the grant's term, and
// the last day up to which it read them all: to, unless sc.limit cut them
// short. Each source is read up to the limit in expiry order, and about
// limit of them are kept, but always every one of the first day on which
// any ends, so that a list continued from the next day moves on.
func patentsEnding(ctx context.Context, q querier, from, to licensing.Date, signed string, sc deadlineScope) ([]licensing.ListedPatent, licensing.Date, error) {
	if sc.portfolios {
		// Read once for both reads below.
		var err error
		if sc.listed, err = loadListedGrants(ctx, q, signed, sc.args); err != nil {
			return nil, to, err
		}
		if sc.grants, err = portfolioGrantsRunning(ctx, q, from, to, signed, sc.args); err != nil {
			return nil, to, err
		}
	}
	all, through, err := patentSources(ctx, q, from, to, signed, sc)
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
		all, _, err = patentSources(ctx, q, from, first, signed, full)
		return all, first, err
	}
	return slices.DeleteFunc(all, func(lp licensing.ListedPatent) bool { return lp.Patent.ExpiresOn.After(through) }), through, nil
}

// patentSources reads the patents of patentsEnding from each source, the
// listed ones and the portfolio grants', each up to sc.limit, and the
// last day up to which every source was read in full.
func patentSources(ctx context.Context, q querier, from, to licensing.Date, signed string, sc deadlineScope) ([]licensing.ListedPatent, licensing.Date, error) {
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
	// Those of the grants running within from … to that are in effect by
	// to, as portfolioGrantsRunning reads them for this period.
	var grants []*GrantRow
	for _, g := range sc.grants {
		if !g.effective.After(to) {
			grants = append(grants, g.GrantRow)
		}
	}
	if sc.listed != nil && len(grants) > 0 {
		// All portfolio grants are one source, read in one walk of the
		// expiry range (deadlines_portfolio.go), which also finds the
		// named patents (deadlines_listed.go) as far as it goes: as far
		// as the list can reach.
		portfolio, named, err := expiringPatents(ctx, q, grants, sc.links, sc.listed, from, to, sc.limit)
		if err != nil {
			return nil, through, err
		}
		if sc.limit > 0 {
			// As listedPatentsEnding reads them: the first limit+1.
			named = named[:min(len(named), sc.limit+1)]
		}
		if err := read(named, nil); err != nil {
			return nil, through, err
		}
		err = read(portfolio, nil)
		return all, through, err
	}
	if err := read(listedPatentsEnding(ctx, q, from, to, signed, sc.args, sc.limit)); err != nil {
		return nil, through, err
	}
	if sc.portfolios {
		if err := read(portfolioPatentsEnding(ctx, q, grants, sc.links, from, to, sc.limit)); err != nil {
			return nil, through, err
		}
	}
	return all, through, nil
}

const listedColumns = `g.id, g.agreement_id, g.starts_on, g.ends_on, p.id, p.normalized, p.office, p.status, p.status_on, p.granted_on, p.expiry`

// listedPatentsEnding reads the patents whose term ends from … to that a
// grant of an agreement matching signed lists, by number or by family,
// with the grant's term; with a limit, the first limit+1 by expiry.
// Family keys match exactly, as in listedOrFamilyGrants.
func listedPatentsEnding(ctx context.Context, q querier, from, to licensing.Date, signed string, args []any, limit int) ([]licensing.ListedPatent, error) {
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

// portfolioGrantsRunning reads the portfolio grants of the agreements
// matching signed that can be in force within from … to: in effect by its
// end, not ended (renewing ones run on) nor terminated before its start.
// Sublicences are read like any grant: their portfolio is their
// licensor's holdings, as the scope reads.
func portfolioGrantsRunning(ctx context.Context, q querier, from, to licensing.Date, signed string, args []any) ([]runningGrant, error) {
	return loadPortfolioScopes(ctx, q, `g.scope = 'portfolio' AND `+signed+`
		AND a.effective_on <= ? AND (a.expires_on IS NULL OR a.expires_on >= ? OR (a.status = 'active' AND a.renewal_months > 0))
		AND (a.terminated_on IS NULL OR a.terminated_on >= ?)`, append(slices.Clone(args), to.String(), from.String(), from.String())...)
}

// runningGrant is a portfolio grant and the day its agreement took
// effect, with the agreement's status and dates (agreementTermColumns).
type runningGrant struct {
	*GrantRow
	effective licensing.Date
	agreement *licensing.Agreement
}

// grantsOfAgreements joins each grant g to its agreement a, the grants
// read in table order and each agreement looked up by id: a condition on
// the agreements in an IN (SELECT …) made SQLite walk the agreements and
// look up the grants of each, some thousands of seeks for a few hundred
// grants.
const grantsOfAgreements = ` FROM grants g CROSS JOIN agreements a ON a.id = g.agreement_id`

// loadPortfolioScopes reads the portfolio grants matching cond (a
// condition on grants g and their agreements a, with placeholders) in the
// order of loadGrants, with only what the deadlines need of them: id,
// agreement (and the day it took effect), term, licensor (and whether its
// group counts) and scope. Thousands of grants were read in full twice
// for every start page.
func loadPortfolioScopes(ctx context.Context, q querier, cond string, args ...any) ([]runningGrant, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.agreement_id, g.licensor_id, g.licensor_affiliates, g.capture_from, g.capture_to,
		g.starts_on, g.ends_on, `+agreementTermColumns+grantsOfAgreements+` WHERE `+cond+`
		ORDER BY a.reference, g.position, g.id`, args...)
	list, err := scanAll(rows, err, func(row rowScanner) (runningGrant, error) {
		r := runningGrant{GrantRow: &GrantRow{}}
		g := &r.Grant
		var dates [4]sql.NullString
		var a agreementTerm
		if err := row.Scan(append([]any{&g.ID, &g.AgreementID, &g.LicensorID, &g.LicensorAffiliates, &dates[0], &dates[1], &dates[2], &dates[3]},
			a.dst()...)...); err != nil {
			return r, err
		}
		g.Scope.Kind = licensing.ScopePortfolio
		var err error
		for i, dst := range []*licensing.Date{&g.Scope.CaptureFrom, &g.Scope.CaptureTo, &g.StartsOn, &g.EndsOn} {
			if *dst, err = scanDate(dates[i]); err != nil {
				return r, err
			}
		}
		if r.agreement, err = a.agreement(g.AgreementID); err == nil {
			r.effective = r.agreement.EffectiveOn
		}
		return r, err
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := make(map[int64]*GrantRow, len(list))
	for _, r := range list {
		byID[r.ID] = r.GrantRow
	}
	// The narrowing terms alone, through the index on kind: those of every
	// grant (a thousand rows at a million patents), the grants' own kept.
	rows, err = q.QueryContext(ctx, `SELECT t.grant_id, t.kind, t.value FROM grant_terms t INDEXED BY grant_terms_value
		WHERE t.kind IN ('tag', 'standard', 'office') ORDER BY t.grant_id, t.kind, t.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, value string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return nil, err
		}
		g := byID[id]
		if g == nil {
			continue
		}
		for _, l := range grantLists {
			if l.kind == kind {
				l.add(&g.Grant, value)
			}
		}
	}
	return list, rows.Err()
}

func scanListedPatent(row rowScanner) (licensing.ListedPatent, error) {
	var lp licensing.ListedPatent
	g, p := &lp.Grant, &lp.Patent
	var status string
	var dates [5]sql.NullString
	err := row.Scan(&g.ID, &g.AgreementID, &dates[0], &dates[1], &p.ID, &p.Normalized, &p.Office, &status,
		&dates[2], &dates[3], &dates[4])
	if err != nil {
		return lp, err
	}
	p.Status = licensing.PatentStatus(status)
	for i, dst := range []*licensing.Date{&g.StartsOn, &g.EndsOn, &p.StatusOn, &p.GrantedOn, &p.ExpiresOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return lp, err
		}
	}
	return lp, nil
}

// earlier is the earlier of two dates.
func earlier(x, y licensing.Date) licensing.Date {
	if y.Before(x) {
		return y
	}
	return x
}
