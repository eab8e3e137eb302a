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
	From, To   licensing.Date          // both included; both required
	Today      licensing.Date          // decides open and passed; zero: the store's today
	Kind       *licensing.DeadlineKind // nil: every kind
	Company    int64                   // 0: every agreement; else the agreements the company is a party to
	Affiliates bool                    // with Company: also those to which a company of its group on the deadline's day is a party
}

// Deadlines returns the deadlines of the period, worked out by
// licensing.Deadlines and sorted as it sorts them. Only agreements that can
// make one within the period are read, each through an index on its dates
// or status: those whose expiry (or, for a notice, whose expiry up to the
// longest notice period later) falls within it, those that renew
// themselves, those terminated within it; the obligations falling due
// within it or recurring into it, with their marked occurrences; and the
// patents whose term ends within it that a grant lists by number or by
// family. Portfolio scopes are left out: they can take in hundreds of
// thousands of patents, and are not read here.
func (db *DB) Deadlines(ctx context.Context, f DeadlineFilter) ([]licensing.Deadline, error) {
	w := licensing.DeadlineWindow{From: f.From, To: f.To, Today: f.Today}
	if w.Today.IsZero() {
		w.Today = licensing.DateOf(db.now())
	}
	if f.Kind != nil {
		w.Kinds = []licensing.DeadlineKind{*f.Kind}
	}
	var spans []licensing.GroupSpan
	party, partyArgs := "", []any(nil)
	if f.Company != 0 {
		spans = []licensing.GroupSpan{{Owner: f.Company, From: f.From, To: f.To}}
		if f.Affiliates {
			links, err := db.ControlLinks(ctx)
			if err != nil {
				return nil, err
			}
			spans = licensing.GroupSpans(links, f.Company, true, f.From, f.To)
		}
		owners := map[int64]bool{}
		for _, s := range spans {
			owners[s.Owner] = true
		}
		var in string
		in, partyArgs = inList("ap.company_id", slices.Sorted(maps.Keys(owners)))
		party = ` AND a.id IN (SELECT ap.agreement_id FROM agreement_parties ap WHERE ` + in + `)`
	}
	facts, err := deadlineFacts(ctx, db.sql, w, party, partyArgs)
	if err != nil {
		return nil, err
	}
	list := licensing.Deadlines(facts, w)
	if spans != nil {
		list = licensing.DeadlinesOfGroup(list, spans)
	}
	return list, nil
}

// deadlineFacts reads what the deadlines of window w are worked out from.
// party is "" or a further condition on agreements a (" AND …"), with its
// placeholders' values in args.
func deadlineFacts(ctx context.Context, q querier, w licensing.DeadlineWindow, party string, args []any) (*licensing.DeadlineFacts, error) {
	f := &licensing.DeadlineFacts{Agreements: map[int64]*licensing.Agreement{}}
	// Only signed agreements in effect from a known day make deadlines.
	signed := `a.status IN ('active', 'expired', 'terminated') AND a.effective_on IS NOT NULL` + party
	wants := func(kinds ...licensing.DeadlineKind) bool {
		return len(w.Kinds) == 0 || slices.ContainsFunc(kinds, func(k licensing.DeadlineKind) bool { return slices.Contains(w.Kinds, k) })
	}
	from, to := w.From.String(), w.To.String()
	if wants(licensing.DeadlineExpiry, licensing.DeadlineNotice, licensing.DeadlineRenewal) {
		reach := to
		if wants(licensing.DeadlineNotice) {
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
			return nil, err
		}
		for _, a := range list {
			f.Agreements[a.ID] = a
		}
	}
	var more []int64
	if wants(licensing.DeadlineObligation) {
		rows, err := loadObligations(ctx, q, `o.agreement_id IN (SELECT a.id FROM agreements a WHERE `+signed+`)
			AND (o.due_on BETWEEN ? AND ? OR (o.recurrence <> '' AND o.due_on < ? AND (o.until IS NULL OR o.until >= ?)))`,
			append(slices.Clone(args), from, to, from, from)...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			f.Obligations = append(f.Obligations, r.Obligation)
			more = append(more, r.AgreementID)
		}
	}
	if wants(licensing.DeadlinePatentExpiry) {
		listed, err := listedPatentsEnding(ctx, q, from, to, signed, args)
		if err != nil {
			return nil, err
		}
		f.Listed = listed
		for _, lp := range listed {
			more = append(more, lp.Grant.AgreementID)
		}
	}
	more = slices.DeleteFunc(uniqueIDs(more), func(id int64) bool { return f.Agreements[id] != nil })
	if len(more) > 0 {
		in, ids := inList("a.id", more)
		list, err := queryAgreements(ctx, q, `SELECT `+agreementColumns+agreementFrom+` WHERE `+in, ids...)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			f.Agreements[a.ID] = a
		}
	}
	return f, nil
}

// listedPatentsEnding reads the patents whose term ends from … to that a
// grant of an agreement matching signed lists, by number or by family,
// with the grant's term. Family keys match exactly, as in
// listedOrFamilyGrants.
func listedPatentsEnding(ctx context.Context, q querier, from, to, signed string, args []any) ([]licensing.ListedPatent, error) {
	const columns = `g.id, g.agreement_id, g.starts_on, g.ends_on, p.id, p.normalized, p.office, p.status, p.status_on, p.granted_on, p.expiry`
	query := `SELECT ` + columns + ` FROM grant_patents gp JOIN grants g ON g.id = gp.grant_id JOIN patents p ON p.id = gp.patent_id
		WHERE g.scope = 'patents' AND p.expiry BETWEEN ? AND ? AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE ` + signed + `)
		UNION ALL
		SELECT ` + columns + ` FROM grant_terms t JOIN grants g ON g.id = t.grant_id JOIN patents p ON p.family = t.value
		WHERE t.kind = 'family' AND g.scope = 'families' AND p.family <> '' AND t.value COLLATE BINARY = p.family
			AND p.expiry BETWEEN ? AND ? AND g.agreement_id IN (SELECT a.id FROM agreements a WHERE ` + signed + `)`
	all := append(append([]any{from, to}, args...), from, to)
	rows, err := q.QueryContext(ctx, query, append(all, args...)...)
	return scanAll(rows, err, scanListedPatent)
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
