package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"patentdesk/internal/licensing"
)

const agreementColumns = `a.id, a.reference, a.title, a.kind, a.status, a.signed_on, a.effective_on, a.expires_on,
	a.terminated_on, a.renewal_months, a.notice_days, a.governing_law, a.summary, COALESCE(a.parent_id, 0),
	COALESCE(pa.reference, '')`

const agreementFrom = ` FROM agreements a LEFT JOIN agreements pa ON pa.id = a.parent_id`

func scanAgreement(row interface{ Scan(...any) error }) (*licensing.Agreement, error) {
	var a licensing.Agreement
	var kind, status string
	var dates [4]sql.NullString
	err := row.Scan(&a.ID, &a.Reference, &a.Title, &kind, &status, &dates[0], &dates[1], &dates[2], &dates[3],
		&a.RenewalMonths, &a.NoticeDays, &a.GoverningLaw, &a.Summary, &a.ParentID, &a.Parent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Kind, a.Status = licensing.AgreementKind(kind), licensing.AgreementStatus(status)
	for i, dst := range []*licensing.Date{&a.SignedOn, &a.EffectiveOn, &a.ExpiresOn, &a.TerminatedOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// queryAgreements reads the agreements a query selects, in its order, with
// their parties.
func queryAgreements(ctx context.Context, q querier, query string, args ...any) ([]*licensing.Agreement, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	list, err := scanAll(rows, err, scanAgreement)
	if err != nil {
		return nil, err
	}
	return list, loadParties(ctx, q, list)
}

// loadParties fills the parties of a page of agreements with one query.
func loadParties(ctx context.Context, q querier, list []*licensing.Agreement) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*licensing.Agreement{}
	ids := make([]any, 0, len(list))
	for _, a := range list {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT ap.agreement_id, ap.company_id, c.name, ap.role
		FROM agreement_parties ap JOIN companies c ON c.id = ap.company_id
		WHERE ap.agreement_id IN (`+placeholders(len(ids))+`) ORDER BY ap.agreement_id, ap.position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p licensing.Party
		var role string
		if err := rows.Scan(&id, &p.CompanyID, &p.Company, &role); err != nil {
			return err
		}
		p.Role = licensing.PartyRole(role)
		byID[id].Parties = append(byID[id].Parties, p)
	}
	return rows.Err()
}

// agreementTx reads an agreement's top-level fields and parties inside a
// write, or answers that it does not exist.
func agreementTx(tx *sql.Tx, id int64) (*licensing.Agreement, error) {
	list, err := queryAgreements(context.Background(), tx, `SELECT `+agreementColumns+agreementFrom+` WHERE a.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no agreement with id %d", id)
	}
	return list[0], nil
}

// Agreement returns one agreement with everything inside it: parties,
// grants (scope patents by normalized number), assignments and obligations
// with their marked occurrences; or ErrNotFound.
func (db *DB) Agreement(ctx context.Context, id int64) (*licensing.Agreement, error) {
	return db.fullAgreement(ctx, `a.id = ?`, id)
}

// AgreementByReference finds an agreement by its reference, ignoring case,
// or returns ErrNotFound.
func (db *DB) AgreementByReference(ctx context.Context, ref string) (*licensing.Agreement, error) {
	return db.fullAgreement(ctx, `a.reference = ?`, strings.TrimSpace(ref))
}

func (db *DB) fullAgreement(ctx context.Context, cond string, arg any) (*licensing.Agreement, error) {
	list, err := queryAgreements(ctx, db.sql, `SELECT `+agreementColumns+agreementFrom+` WHERE `+cond, arg)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	a := list[0]
	grants, err := loadGrants(ctx, db.sql, `g.agreement_id = ?`, a.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		a.Grants = append(a.Grants, g.Grant)
	}
	assignments, err := agreementAssignments(ctx, db.sql, a.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range assignments {
		a.Assignments = append(a.Assignments, r.Assignment)
	}
	obligations, err := loadObligations(ctx, db.sql, `o.agreement_id = ?`, a.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range obligations {
		a.Obligations = append(a.Obligations, o.Obligation)
	}
	return a, nil
}

// Amendments lists the agreements that amend parentID, top-level fields
// and parties only, by effective date (undated last) and then by id.
func (db *DB) Amendments(ctx context.Context, parentID int64) ([]*licensing.Agreement, error) {
	return queryAgreements(ctx, db.sql, `SELECT `+agreementColumns+agreementFrom+` WHERE a.parent_id = ?
		ORDER BY a.effective_on IS NULL, a.effective_on, a.id`, parentID)
}

// AgreementFilter selects agreements for a list, an export, or the grants,
// assignments and obligations inside them; nil fields do not filter.
type AgreementFilter struct {
	Query         *string                    // full-text: reference, title and summary, every word as a prefix
	Kind          *licensing.AgreementKind   // e.g. cross_license
	Status        *licensing.AgreementStatus // e.g. active
	Parties       []int64                    // any of these companies is a party (the caller expands affiliates)
	InForceOn     *licensing.Date            // signed, and the date lies within effective_on … End()
	ExpiresBefore *licensing.Date            // expires_on is before this date
	ExpiresFrom   *licensing.Date            // expires_on is on or after this date
	Ending        *AgreementsEnding          // in force that day and coming to an end by its Last
	endingIDs     []int64                    // Ending, resolved (resolveEnding)
	After         *string                    // cursor handed out with the previous page
	Limit         int                        // 0: 50
}

// agreementWhere builds the WHERE clause of a filter, with placeholders only.
func agreementWhere(f AgreementFilter) ([]string, []any, error) {
	where, args := []string{"1"}, []any{}
	if f.Query != nil {
		if q := ftsQuery(*f.Query); q != "" {
			where = append(where, "a.id IN (SELECT rowid FROM agreements_fts WHERE agreements_fts MATCH ?)")
			args = append(args, q)
		}
	}
	if f.Kind != nil {
		where = append(where, "a.kind = ?")
		args = append(args, string(*f.Kind))
	}
	if f.Status != nil {
		where = append(where, "a.status = ?")
		args = append(args, string(*f.Status))
	}
	if len(f.Parties) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM agreement_parties ap WHERE ap.agreement_id = a.id AND ap.company_id IN ("+
			placeholders(len(f.Parties))+"))")
		for _, id := range f.Parties {
			args = append(args, id)
		}
	}
	if f.InForceOn != nil {
		// The same rule as licensing.Agreement.InForce (End), as SQL: the
		// end is the termination date when that comes first or the
		// agreement renews itself; a renewing agreement not expired runs
		// on, term after term; else the end is the expiry.
		d := f.InForceOn.String()
		where = append(where, `a.status IN ('active', 'expired', 'terminated') AND a.effective_on <= ?
			AND COALESCE(CASE
				WHEN a.status = 'terminated' AND a.terminated_on IS NOT NULL
					AND (a.expires_on IS NULL OR a.terminated_on < a.expires_on OR a.renewal_months > 0) THEN a.terminated_on
				WHEN a.renewal_months > 0 AND a.status <> 'expired' THEN NULL
				ELSE a.expires_on END, '9999-12-31') >= ?`)
		args = append(args, d, d)
	}
	if f.ExpiresBefore != nil {
		where = append(where, "a.expires_on < ?")
		args = append(args, f.ExpiresBefore.String())
	}
	if f.ExpiresFrom != nil {
		where = append(where, "a.expires_on >= ?")
		args = append(args, f.ExpiresFrom.String())
	}
	if f.Ending != nil {
		if f.endingIDs == nil { // resolveEnding makes it non-nil, even when empty
			return nil, nil, errors.New("sqlite: the ending filter was not resolved")
		}
		where = append(where, "a.id IN (SELECT value FROM json_each(?))")
		args = append(args, idArray(f.endingIDs))
	}
	if f.After != nil && *f.After != "" {
		c, err := decodeCursor(*f.After)
		if err != nil {
			return nil, nil, err
		}
		where = append(where, "a.reference > ?")
		args = append(args, c.Key)
	}
	return where, args, nil
}

// Agreements lists the agreements matching f by reference (ignoring case),
// top-level fields and parties, a page at a time; next is the cursor of
// the following page, "" after the last.
func (db *DB) Agreements(ctx context.Context, f AgreementFilter) (list []*licensing.Agreement, next string, err error) {
	if err := resolveEnding(ctx, db.sql, &f); err != nil {
		return nil, "", err
	}
	where, args, err := agreementWhere(f)
	if err != nil {
		return nil, "", err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit+1)
	list, err = queryAgreements(ctx, db.sql, `SELECT `+agreementColumns+agreementFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.reference LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		list = list[:limit]
		next = encodeCursor(cursor{Key: list[limit-1].Reference})
	}
	return list, next, nil
}

const grantColumns = `g.id, g.agreement_id, g.licensor_id, lr.name, g.licensee_id, le.name, g.licensee_affiliates,
	g.licensor_affiliates, g.scope, g.capture_from, g.capture_to, g.exclusivity, g.sublicensable,
	COALESCE(g.parent_grant_id, 0), g.starts_on, g.ends_on, g.royalty_bearing, g.past_release, ag.reference, ag.title`

const grantFrom = ` FROM grants g JOIN agreements ag ON ag.id = g.agreement_id
	JOIN companies lr ON lr.id = g.licensor_id JOIN companies le ON le.id = g.licensee_id`

// loadGrants reads the grants matching cond (a condition on grants g, with
// placeholders) by agreement reference and position, each with its lists
// and scope patents.
func loadGrants(ctx context.Context, q querier, cond string, args ...any) ([]*GrantRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+grantColumns+grantFrom+` WHERE `+cond+` ORDER BY ag.reference, g.position, g.id`, args...)
	list, err := scanAll(rows, err, scanGrant)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := make(map[int64]*GrantRow, len(list))
	for _, r := range list {
		byID[r.ID] = r
	}
	if err := loadGrantTerms(ctx, q, byID, cond, args); err != nil {
		return nil, err
	}
	return list, loadGrantPatents(ctx, q, byID, cond, args)
}

func scanGrant(rows rowScanner) (*GrantRow, error) {
	var r GrantRow
	g := &r.Grant
	var scope, exclusivity string
	var dates [4]sql.NullString
	err := rows.Scan(&g.ID, &g.AgreementID, &g.LicensorID, &g.Licensor, &g.LicenseeID, &g.Licensee, &g.LicenseeAffiliates,
		&g.LicensorAffiliates, &scope, &dates[0], &dates[1], &exclusivity, &g.Sublicensable, &g.ParentGrantID,
		&dates[2], &dates[3], &g.RoyaltyBearing, &g.PastRelease, &r.Agreement, &r.AgreementTitle)
	if err != nil {
		return nil, err
	}
	g.Scope.Kind, g.Exclusivity = licensing.ScopeKind(scope), licensing.Exclusivity(exclusivity)
	for i, dst := range []*licensing.Date{&g.Scope.CaptureFrom, &g.Scope.CaptureTo, &g.StartsOn, &g.EndsOn} {
		if *dst, err = scanDate(dates[i]); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

func loadGrantTerms(ctx context.Context, q querier, byID map[int64]*GrantRow, cond string, args []any) error {
	rows, err := q.QueryContext(ctx, `SELECT t.grant_id, t.kind, t.value FROM grant_terms t
		WHERE t.grant_id IN (SELECT g.id FROM grants g WHERE `+cond+`) ORDER BY t.grant_id, t.kind, t.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, value string
		if err := rows.Scan(&id, &kind, &value); err != nil {
			return err
		}
		for _, l := range grantLists {
			if l.kind == kind {
				l.add(&byID[id].Grant, value)
			}
		}
	}
	return rows.Err()
}

func loadGrantPatents(ctx context.Context, q querier, byID map[int64]*GrantRow, cond string, args []any) error {
	rows, err := q.QueryContext(ctx, `SELECT gp.grant_id, p.id, p.normalized FROM grant_patents gp JOIN patents p ON p.id = gp.patent_id
		WHERE gp.grant_id IN (SELECT g.id FROM grants g WHERE `+cond+`) ORDER BY gp.grant_id, gp.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref licensing.PatentRef
		if err := rows.Scan(&id, &ref.ID, &ref.Number); err != nil {
			return err
		}
		g := &byID[id].Grant
		g.Scope.Patents = append(g.Scope.Patents, ref)
	}
	return rows.Err()
}
