package sqlite

import (
	"context"
	"strings"

	"patentdesk/internal/licensing"
)

// TimelineFilter selects the agreements an agreement timeline draws: those
// whose term overlaps From … To; nil and empty fields do not filter.
type TimelineFilter struct {
	From, To licensing.Date           // both included; both required
	Parties  []int64                  // any of these companies is a party (the caller expands affiliates)
	Kind     *licensing.AgreementKind // e.g. cross_license
	Limit    int                      // the most agreements returned; 0: 300
}

// Timeline is what an agreement timeline draws.
type Timeline struct {
	Agreements []*licensing.Agreement // top-level fields and parties, by effective date and reference
	More       bool                   // more agreements matched than Limit
	Undated    int                    // agreements matching the filter but without an effective date, which no timeline can place
}

// timelineEnd is an agreement's last day on the timeline, as SQL: the end
// of licensing.Agreement.End, where one that renews itself runs on without
// end and one never signed ends on its planned expiry.
const timelineEnd = `CASE WHEN a.status = 'terminated' AND a.terminated_on IS NOT NULL
		AND (a.expires_on IS NULL OR a.terminated_on < a.expires_on OR a.renewal_months > 0) THEN a.terminated_on
	WHEN a.status NOT IN ('expired', 'terminated') AND a.renewal_months > 0 AND a.expires_on IS NOT NULL THEN '9999-12-31'
	ELSE COALESCE(a.expires_on, '9999-12-31') END`

// AgreementTimeline returns the agreements whose term overlaps the
// filter's period. They are read through the index on effective dates,
// which bounds the read at the period's end; an agreement that ends before
// the period's start is passed over there.
func (db *DB) AgreementTimeline(ctx context.Context, f TimelineFilter) (*Timeline, error) {
	if f.Limit <= 0 {
		f.Limit = 300
	}
	query, args := timelineQuery(f)
	list, err := queryAgreements(ctx, db.sql, query, args...)
	if err != nil {
		return nil, err
	}
	t := &Timeline{Agreements: list}
	if len(list) > f.Limit {
		t.Agreements, t.More = list[:f.Limit], true
	}
	where, args := timelineWhere(f)
	undated := append([]string{"a.effective_on IS NULL"}, where...)
	err = db.sql.QueryRowContext(ctx, `SELECT count(*) FROM agreements a WHERE `+strings.Join(undated, " AND "), args...).Scan(&t.Undated)
	return t, err
}

// timelineQuery reads the agreements of a timeline, one more than its
// limit to tell whether there are more.
func timelineQuery(f TimelineFilter) (string, []any) {
	where, args := timelineWhere(f)
	dated := append([]string{"a.effective_on IS NOT NULL", "a.effective_on <= ?", "(" + timelineEnd + ") >= ?"}, where...)
	return `SELECT ` + agreementColumns + agreementFrom + ` WHERE ` + strings.Join(dated, " AND ") +
			` ORDER BY a.effective_on, a.reference LIMIT ?`,
		append(append([]any{f.To.String(), f.From.String()}, args...), f.Limit+1)
}

// timelineWhere is the filter's condition on the parties and the kind,
// with placeholders only.
func timelineWhere(f TimelineFilter) ([]string, []any) {
	var where []string
	var args []any
	if f.Kind != nil {
		where = append(where, "a.kind = ?")
		args = append(args, string(*f.Kind))
	}
	if len(f.Parties) > 0 {
		in, ids := inList("ap.company_id", f.Parties)
		where = append(where, "EXISTS (SELECT 1 FROM agreement_parties ap WHERE ap.agreement_id = a.id AND "+in+")")
		args = append(args, ids...)
	}
	return where, args
}
