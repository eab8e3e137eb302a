package sqlite

import (
	"context"
	"slices"
	"strings"

	"patentdesk/internal/licensing"
)

// PortfolioCount is one bar of a portfolio chart: a value (an office, a
// tag, a year) and how many patents have it.
type PortfolioCount struct {
	Value string
	Count int
}

// The chart queries start from the owner index (patents_owner), so that
// they read only the patents of the companies asked about, however many
// others the database holds. The tag query is a CROSS JOIN so that SQLite
// keeps the patents outside and reaches their tags through
// patent_labels_patent, which covers kind and value.
const (
	portfolioByOfficeSQL = `SELECT p.office, count(*) FROM patents p WHERE %s
		GROUP BY p.office ORDER BY count(*) DESC, p.office`
	portfolioByTagSQL = `SELECT l.value, count(*) FROM patents p CROSS JOIN patent_labels l
		ON l.patent_id = p.id AND l.kind = 'tag' WHERE %s
		GROUP BY l.value ORDER BY count(*) DESC, l.value`
	// A patent counts for the year its term ends if it is in force on the
	// first day of that year, or today for the current year: the rule of
	// PatentFilter.InForceOn on that day, so that the patents list with
	// in_force_on and expires_before shows exactly the patents counted.
	expiriesByYearSQL = `SELECT y, count(*) FROM (
			SELECT substr(p.expiry, 1, 4) AS y, max(?, substr(p.expiry, 1, 4) || '-01-01') AS d,
				p.office, p.status, p.status_on, p.granted_on, p.expiry
			FROM patents p WHERE %s AND p.expiry BETWEEN ? AND ?)
		WHERE office <> 'WO' AND status <> 'pending' AND (granted_on IS NULL OR granted_on <= d)
			AND NOT (status IN ('lapsed', 'abandoned', 'revoked') AND COALESCE(status_on, '') <= d)
		GROUP BY y ORDER BY y`
)

// PortfolioByOffice counts the patents the given companies own today, by
// office, the largest first.
func (db *DB) PortfolioByOffice(ctx context.Context, owners []int64) ([]PortfolioCount, error) {
	return db.portfolioCounts(ctx, portfolioByOfficeSQL, owners, nil, nil)
}

// PortfolioByTag counts the patents the given companies own today, by
// technology tag (tags differing only in case count as one), the largest
// first. A patent with several tags counts once for each.
func (db *DB) PortfolioByTag(ctx context.Context, owners []int64) ([]PortfolioCount, error) {
	return db.portfolioCounts(ctx, portfolioByTagSQL, owners, nil, nil)
}

// PatentExpiriesByYear counts, for each year from today's to the year
// years-1 later, the patents the given companies own today whose term
// ends in that year and that are in force on its first day (today, for
// the current year). Years without one are left out.
func (db *DB) PatentExpiriesByYear(ctx context.Context, owners []int64, today licensing.Date, years int) ([]PortfolioCount, error) {
	last := licensing.NewDate(today.Time().Year()+years-1, 12, 31)
	return db.portfolioCounts(ctx, expiriesByYearSQL, owners, []any{today.String()}, []any{today.String(), last.String()})
}

// portfolioCounts runs one of the chart queries: query has one %s for the
// condition on the owners, with before and after the values of the
// placeholders around it.
func (db *DB) portfolioCounts(ctx context.Context, query string, owners []int64, before, after []any) ([]PortfolioCount, error) {
	if len(owners) == 0 {
		return nil, nil
	}
	q, args := portfolioQuery(query, owners, before, after)
	rows, err := db.sql.QueryContext(ctx, q, args...)
	return scanAll(rows, err, func(r rowScanner) (PortfolioCount, error) {
		var c PortfolioCount
		return c, r.Scan(&c.Value, &c.Count)
	})
}

// portfolioQuery fills the condition on the owners into a chart query.
func portfolioQuery(query string, owners []int64, before, after []any) (string, []any) {
	in, ids := inList("p.owner_id", owners)
	return strings.Replace(query, "%s", in, 1), slices.Concat(before, ids, after)
}
