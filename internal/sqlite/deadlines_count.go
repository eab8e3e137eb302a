package sqlite

import (
	"context"
	"database/sql"

	"patentdesk/internal/licensing"
)

// The count of patents under licence whose term ends in a period. The
// deadlines list of patent expiries makes one entry per patent and
// agreement, and each patent of a million-patent file sits in some fifty
// portfolios: a count taken from the list, bounded by the entries read,
// stopped after a few dozen patents. Counted here, each patent ending in
// the period is read once, on the same walk of the expiry range, and
// counts as soon as one grant gives it a deadline.

// ExpiringPatentsChangesIgnored are the kinds of record change that
// cannot alter CountExpiringPatents (for RecordsStamps): it reads grants,
// their agreements, patents, owners and groups, and no obligation or
// document.
const ExpiringPatentsChangesIgnored = ObligationChanges | DocumentChanges

// CountExpiringPatents counts the distinct patents whose end of term the
// deadlines list of patent expiries with portfolio grants (DeadlineFilter
// with Kinds patent_expiry and Portfolios, no company or agreement)
// shows from from to to: every patent ending then that a grant of a signed
// agreement names by number or by family or takes in by its portfolio,
// where the agreement is in force and the grant runs on the patent's last
// day, and the patent is in force on it (licensing.Deadlines). With a
// limit it stops when the count reaches it, and says so: at least that
// many. Each patent ending in the period costs a few lookups (some
// forty microseconds at a million patents, a second for a whole year's).
func (db *DB) CountExpiringPatents(ctx context.Context, from, to licensing.Date, limit int) (n int, reached bool, err error) {
	q := db.sql
	const signed = `a.status IN ('active', 'expired', 'terminated') AND a.effective_on IS NOT NULL`
	listed, err := loadListedGrants(ctx, q, signed, nil)
	if err != nil {
		return 0, false, err
	}
	running, err := portfolioGrantsRunning(ctx, q, from, to, signed, nil)
	if err != nil {
		return 0, false, err
	}
	// Every grant's agreement, read with the grant.
	agreements := listed.agreements
	var grants []*GrantRow
	for _, g := range running {
		if !g.effective.After(to) {
			grants = append(grants, g.GrantRow)
			agreements[g.AgreementID] = g.agreement
		}
	}
	var links []licensing.Control
	if len(grants) > 0 {
		if links, err = db.ControlLinks(ctx); err != nil {
			return 0, false, err
		}
	}
	// The deadlines list's own rule for one patent and one grant.
	makesDeadline := func(p *licensing.Patent, g *licensing.Grant) bool {
		_, ok := licensing.PatentExpiryDeadline(agreements[g.AgreementID], g, p)
		return ok
	}
	m := newPortfolioMatcher(grants, links)
	err = m.walk(ctx, q, listed, from, to, func(chunk []expiringPatent, facts map[int64]*patentHoldings, names map[int64][]int64) bool {
		for i := range chunk {
			p := &chunk[i]
			end, _ := p.Expiry()
			if !p.InForce(end) {
				continue
			}
			if listed.makesDeadline(p, names[p.ID], makesDeadline) ||
				m.makesDeadline(&p.Patent, facts[p.ID], makesDeadline) {
				n++
			}
			if reached = limit > 0 && n >= limit; reached {
				return false
			}
		}
		return true
	})
	return n, reached, err
}

// makesDeadline reports whether a grant of l that names patent p (by
// number among numbered, or by its family) makes a deadline of its end by
// rule.
func (l *listedGrants) makesDeadline(p *expiringPatent, numbered []int64, rule func(*licensing.Patent, *licensing.Grant) bool) bool {
	for _, id := range numbered {
		if g, ok := l.numbered[id]; ok && rule(&p.Patent, &g) {
			return true
		}
	}
	if p.family != "" {
		for _, g := range l.byFamily[p.family] {
			if rule(&p.Patent, &g) {
				return true
			}
		}
	}
	return false
}

// makesDeadline reports whether a portfolio grant of m holding patent p
// makes a deadline of its end by rule.
func (m *portfolioMatcher) makesDeadline(p *licensing.Patent, f *patentHoldings, rule func(*licensing.Patent, *licensing.Grant) bool) bool {
	if len(m.grants) == 0 {
		return false
	}
	for _, gi := range m.match(p, f) {
		g := m.grants[gi]
		lean := licensing.Grant{ID: g.ID, AgreementID: g.AgreementID, StartsOn: g.StartsOn, EndsOn: g.EndsOn}
		if rule(p, &lean) {
			return true
		}
	}
	return false
}

// agreementTermColumns are the columns of an agreement a that decide
// whether it is in force on a day and when its obligations fall due:
// status and dates, the renewal term (agreementTerm reads them).
const agreementTermColumns = `a.status, a.effective_on, a.expires_on, a.terminated_on, a.renewal_months`

// agreementTerm is a row's agreementTermColumns as read.
type agreementTerm struct {
	status  string
	dates   [3]sql.NullString
	renewal int
}

// dst are the places to scan agreementTermColumns into.
func (t *agreementTerm) dst() []any {
	return []any{&t.status, &t.dates[0], &t.dates[1], &t.dates[2], &t.renewal}
}

// agreement is the agreement of id with these terms alone.
func (t *agreementTerm) agreement(id int64) (*licensing.Agreement, error) {
	a := &licensing.Agreement{ID: id, Status: licensing.AgreementStatus(t.status), RenewalMonths: t.renewal}
	var err error
	for i, dst := range []*licensing.Date{&a.EffectiveOn, &a.ExpiresOn, &a.TerminatedOn} {
		if *dst, err = scanDate(t.dates[i]); err != nil {
			return nil, err
		}
	}
	return a, nil
}
