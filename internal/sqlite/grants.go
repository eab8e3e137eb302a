package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// GrantRow is a grant with the agreement it belongs to, for lists and
// exports.
type GrantRow struct {
	licensing.Grant
	Agreement      string // the agreement's reference
	AgreementTitle string
}

// grantLists maps each list of a grant to its kind in grant_terms.
var grantLists = []struct {
	kind string
	get  func(g *licensing.Grant) []string
	add  func(g *licensing.Grant, v string)
}{
	{"activity", func(g *licensing.Grant) []string { return activityStrings(g.Activities) },
		func(g *licensing.Grant, v string) { g.Activities = append(g.Activities, licensing.Activity(v)) }},
	{"territory", func(g *licensing.Grant) []string { return g.Territories },
		func(g *licensing.Grant, v string) { g.Territories = append(g.Territories, v) }},
	{"field", func(g *licensing.Grant) []string { return g.Fields },
		func(g *licensing.Grant, v string) { g.Fields = append(g.Fields, v) }},
	{"family", func(g *licensing.Grant) []string { return g.Scope.Families },
		func(g *licensing.Grant, v string) { g.Scope.Families = append(g.Scope.Families, v) }},
	{"tag", func(g *licensing.Grant) []string { return g.Scope.Tags },
		func(g *licensing.Grant, v string) { g.Scope.Tags = append(g.Scope.Tags, v) }},
	{"standard", func(g *licensing.Grant) []string { return g.Scope.Standards },
		func(g *licensing.Grant, v string) { g.Scope.Standards = append(g.Scope.Standards, v) }},
	{"office", func(g *licensing.Grant) []string { return g.Scope.Offices },
		func(g *licensing.Grant, v string) { g.Scope.Offices = append(g.Scope.Offices, v) }},
}

func activityStrings(acts []licensing.Activity) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = string(a)
	}
	return out
}

// grantSnapshot is how a grant appears in the audit trail: companies by
// name, patents by normalized number.
func grantSnapshot(g *licensing.Grant, agreement string) map[string]any {
	numbers := make([]string, len(g.Scope.Patents))
	for i, p := range g.Scope.Patents {
		numbers[i] = p.Number
	}
	snap := map[string]any{
		"agreement": agreement, "licensor": g.Licensor, "licensee": g.Licensee,
		"licensee_affiliates": g.LicenseeAffiliates, "licensor_affiliates": g.LicensorAffiliates,
		"scope": string(g.Scope.Kind), "patents": strings.Join(numbers, "|"),
		"capture_from": g.Scope.CaptureFrom.String(), "capture_to": g.Scope.CaptureTo.String(),
		"exclusivity": string(g.Exclusivity), "sublicensable": g.Sublicensable, "parent_grant": g.ParentGrantID,
		"starts_on": g.StartsOn.String(), "ends_on": g.EndsOn.String(),
		"royalty_bearing": g.RoyaltyBearing, "past_release": g.PastRelease,
	}
	for _, l := range grantLists {
		snap[grantListField(l.kind)] = strings.Join(l.get(g), "|")
	}
	return snap
}

// grantListField is the snake_case field name of a grant_terms kind, as
// licensing.Grant.Validate keys it.
func grantListField(kind string) string {
	if kind == "activity" {
		return "activities"
	}
	if kind == "territory" {
		return "territories"
	}
	if kind == "family" {
		return "families"
	}
	return kind + "s"
}

// tidyGrant trims what a form or file may pad, and writes codes in
// capitals, before the grant is validated.
func tidyGrant(g *licensing.Grant) {
	trim := func(list []string, upper bool) []string {
		out := make([]string, len(list))
		for i, v := range list {
			out[i] = strings.TrimSpace(v)
			if upper {
				out[i] = strings.ToUpper(out[i])
			}
		}
		return out
	}
	g.Territories = trim(g.Territories, true)
	g.Scope.Offices = trim(g.Scope.Offices, true)
	g.Fields = trim(g.Fields, false)
	g.Scope.Families = trim(g.Scope.Families, false)
	g.Scope.Tags = trim(g.Scope.Tags, false)
	g.Scope.Standards = trim(g.Scope.Standards, false)
}

// grantChecker checks grants against the records: the patents and families
// of their scopes and their parent grants. It reads the corporate tree
// once, for the sublicences that need it.
type grantChecker struct {
	tx    *sql.Tx
	today licensing.Date
	links []licensing.Control
	read  bool
}

// check returns the field messages of grant g within agreement a (whose
// parties carry their names): its own rules, then the records. It resolves
// the scope's patents and fills the companies' names.
func (c *grantChecker) check(a *licensing.Agreement, g *licensing.Grant) (map[string]string, error) {
	tidyGrant(g)
	errs := g.Validate(a)
	for _, p := range a.Parties {
		if p.CompanyID == g.LicensorID {
			g.Licensor = p.Company
		}
		if p.CompanyID == g.LicenseeID {
			g.Licensee = p.Company
		}
	}
	if g.LicenseeID != 0 && g.Licensee == "" && errs["licensee"] == "" {
		if err := c.tx.QueryRow(`SELECT name FROM companies WHERE id = ?`, g.LicenseeID).Scan(&g.Licensee); errors.Is(err, sql.ErrNoRows) {
			errs["licensee"] = "no such company"
		} else if err != nil {
			return nil, err
		}
	}
	switch g.Scope.Kind {
	case licensing.ScopePatents:
		refs, err := resolvePatentRefs(c.tx, g.Scope.Patents)
		var de *licensing.Error
		switch {
		case errors.As(err, &de) && de.Code == licensing.Invalid:
			maps.Copy(errs, de.Fields)
		case err != nil:
			return nil, err
		case len(refs) == 0 && errs["patents"] == "":
			errs["patents"] = "A scope of listed patents needs at least one patent number."
		default:
			g.Scope.Patents = refs
		}
	case licensing.ScopeFamilies:
		if msg, err := c.unknownFamilies(g.Scope.Families); err != nil {
			return nil, err
		} else if msg != "" && errs["families"] == "" {
			errs["families"] = msg
		}
	}
	// Lists of another scope kind (left over when a form switched kinds)
	// are not kept.
	if g.Scope.Kind != licensing.ScopePatents {
		g.Scope.Patents = nil
	}
	if g.Scope.Kind != licensing.ScopeFamilies {
		g.Scope.Families = nil
	}
	if g.Scope.Kind != licensing.ScopePortfolio {
		g.Scope.Tags, g.Scope.Standards, g.Scope.Offices = nil, nil, nil
	}
	if g.ParentGrantID != 0 {
		if err := c.sublicence(a, g, errs); err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// unknownFamilies lists, by line, the family keys no recorded patent has.
// patentOfFamily finds a patent of a family. The family index holds only
// patents with a family key, and SQLite uses such a partial index only
// when the query repeats its condition.
const patentOfFamily = `SELECT 1 FROM patents WHERE family = ? AND family <> '' LIMIT 1`

func (c *grantChecker) unknownFamilies(families []string) (string, error) {
	var problems []string
	for i, f := range families {
		if f == "" {
			continue
		}
		var one int
		err := c.tx.QueryRow(patentOfFamily, f).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			problems = append(problems, fmt.Sprintf("Line %d: no patent of the family %s.", i+1, f))
		} else if err != nil {
			return "", err
		}
	}
	return strings.Join(problems, " "), nil
}

// sublicence checks g against the parent grant it names, adding the
// message for parent_grant to errs: the parent must exist, allow
// sublicences, not be one of g's own sublicences, and have g's licensor as
// its licensee or, where it covers them, an affiliate of its licensee on
// the day g starts.
func (c *grantChecker) sublicence(a *licensing.Agreement, g *licensing.Grant, errs map[string]string) error {
	parents, err := loadGrants(context.Background(), c.tx, `g.id = ?`, g.ParentGrantID)
	if err != nil {
		return err
	}
	if len(parents) == 0 {
		errs["parent_grant"] = fmt.Sprintf("There is no grant %d.", g.ParentGrantID)
		return nil
	}
	parent := &parents[0].Grant
	if g.ID != 0 {
		var loop int
		err := c.tx.QueryRow(`WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT parent_grant_id FROM grants JOIN up ON grants.id = up.id
			WHERE parent_grant_id IS NOT NULL) SELECT count(*) FROM up WHERE id = ?`, g.ParentGrantID, g.ID).Scan(&loop)
		if err != nil {
			return err
		}
		if loop > 0 {
			errs["parent_grant"] = "A grant cannot sublicense under one of its own sublicences."
			return nil
		}
	}
	affiliate := false
	if parent.LicenseeAffiliates && g.LicensorID != parent.LicenseeID {
		if !c.read {
			if c.links, err = controlLinksIn(c.tx); err != nil {
				return err
			}
			c.read = true
		}
		on := g.Start(a)
		if on.IsZero() {
			on = c.today
		}
		affiliate = slices.Contains(licensing.Affiliates(c.links, parent.LicenseeID, on), g.LicensorID)
	}
	if msg := g.ValidateSublicence(parent, affiliate); msg != "" {
		errs["parent_grant"] = msg
	}
	return nil
}

// controlLinksIn reads the parent links of the corporate trees inside a
// write, as ControlLinks does outside one.
func controlLinksIn(tx *sql.Tx) ([]licensing.Control, error) {
	rows, err := tx.Query(`SELECT id, parent_id, control_from, control_to FROM companies WHERE parent_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []licensing.Control
	for rows.Next() {
		var l licensing.Control
		var from, to sql.NullString
		if err := rows.Scan(&l.Company, &l.Parent, &from, &to); err != nil {
			return nil, err
		}
		if l.From, err = scanDate(from); err == nil {
			l.To, err = scanDate(to)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// insertGrant writes a checked grant at the end of its agreement's grants;
// g.ID is set.
func insertGrant(tx *sql.Tx, g *licensing.Grant) error {
	res, err := tx.Exec(`INSERT INTO grants (agreement_id, position, licensor_id, licensee_id, licensee_affiliates, licensor_affiliates,
			scope, capture_from, capture_to, exclusivity, sublicensable, parent_grant_id, starts_on, ends_on, royalty_bearing, past_release)
		VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM grants WHERE agreement_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.AgreementID, g.AgreementID, g.LicensorID, g.LicenseeID, g.LicenseeAffiliates, g.LicensorAffiliates,
		string(g.Scope.Kind), dateArg(g.Scope.CaptureFrom), dateArg(g.Scope.CaptureTo), string(g.Exclusivity), g.Sublicensable,
		nullID(g.ParentGrantID), dateArg(g.StartsOn), dateArg(g.EndsOn), g.RoyaltyBearing, g.PastRelease)
	if err != nil {
		return err
	}
	if g.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return writeGrantLists(tx, g)
}

// writeGrantLists (re)writes a grant's lists and scope patents.
func writeGrantLists(tx *sql.Tx, g *licensing.Grant) error {
	for _, table := range []string{"grant_terms", "grant_patents"} {
		if _, err := tx.Exec(`DELETE FROM `+table+` WHERE grant_id = ?`, g.ID); err != nil {
			return err
		}
	}
	for _, l := range grantLists {
		for i, v := range l.get(g) {
			if _, err := tx.Exec(`INSERT OR IGNORE INTO grant_terms (grant_id, kind, value, position) VALUES (?, ?, ?, ?)`,
				g.ID, l.kind, v, i); err != nil {
				return err
			}
		}
	}
	for i, p := range g.Scope.Patents {
		if _, err := tx.Exec(`INSERT OR IGNORE INTO grant_patents (grant_id, patent_id, position) VALUES (?, ?, ?)`, g.ID, p.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// AddGrant records a grant inside an agreement; g.ID is set and the
// scope's patent numbers are normalized. Field errors are keyed as
// licensing.Grant.Validate keys them, plus parent_grant.
func (db *DB) AddGrant(ctx context.Context, actor Actor, agreementID int64, g *licensing.Grant) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		a, err := agreementTx(tx, agreementID)
		if err != nil {
			return err
		}
		g.AgreementID = agreementID
		c := &grantChecker{tx: tx, today: licensing.DateOf(db.now())}
		errs, err := c.check(a, g)
		if err != nil {
			return err
		}
		if err := invalidFields("grant", errs); err != nil {
			return err
		}
		if err := insertGrant(tx, g); err != nil {
			return err
		}
		record(Change{Action: "grant.create", Entity: "agreement", EntityID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"after": grantSnapshot(g, a.Reference)}})
		return nil
	})
}

// UpdateGrant replaces a grant's fields, lists and scope; it stays in its
// agreement.
func (db *DB) UpdateGrant(ctx context.Context, actor Actor, g *licensing.Grant) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := grantTx(tx, g.ID)
		if err != nil {
			return err
		}
		a, err := agreementTx(tx, old.AgreementID)
		if err != nil {
			return err
		}
		g.AgreementID = old.AgreementID
		c := &grantChecker{tx: tx, today: licensing.DateOf(db.now())}
		errs, err := c.check(a, g)
		if err != nil {
			return err
		}
		if err := keepSublicences(tx, &old.Grant, g, errs); err != nil {
			return err
		}
		if err := invalidFields("grant", errs); err != nil {
			return err
		}
		d := diff(grantSnapshot(&old.Grant, a.Reference), grantSnapshot(g, a.Reference))
		if len(d["after"].(map[string]any)) == 0 {
			return nil
		}
		_, err = tx.Exec(`UPDATE grants SET licensor_id = ?, licensee_id = ?, licensee_affiliates = ?, licensor_affiliates = ?, scope = ?,
			capture_from = ?, capture_to = ?, exclusivity = ?, sublicensable = ?, parent_grant_id = ?, starts_on = ?, ends_on = ?,
			royalty_bearing = ?, past_release = ? WHERE id = ?`,
			g.LicensorID, g.LicenseeID, g.LicenseeAffiliates, g.LicensorAffiliates, string(g.Scope.Kind),
			dateArg(g.Scope.CaptureFrom), dateArg(g.Scope.CaptureTo), string(g.Exclusivity), g.Sublicensable, nullID(g.ParentGrantID),
			dateArg(g.StartsOn), dateArg(g.EndsOn), g.RoyaltyBearing, g.PastRelease, g.ID)
		if err != nil {
			return err
		}
		if err := writeGrantLists(tx, g); err != nil {
			return err
		}
		record(Change{Action: "grant.update", Entity: "agreement", EntityID: strconv.FormatInt(g.AgreementID, 10), Details: d})
		return nil
	})
}

// keepSublicences adds to errs what an edit of grant old into g must not
// do while sublicences are granted under it, as DeleteGrant refuses its
// deletion: stop being sublicensable, change licensee, or stop covering
// the licensee's affiliates that sublicense under it. Each message names
// the sublicences concerned.
func keepSublicences(tx *sql.Tx, old, g *licensing.Grant, errs map[string]string) error {
	if (!old.Sublicensable || g.Sublicensable) && old.LicenseeID == g.LicenseeID && (!old.LicenseeAffiliates || g.LicenseeAffiliates) {
		return nil
	}
	rows, err := tx.Query(`SELECT s.id, s.licensor_id, a.reference FROM grants s JOIN agreements a ON a.id = s.agreement_id
		WHERE s.parent_grant_id = ? ORDER BY a.reference, s.position, s.id`, old.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var all, byAffiliates []string
	for rows.Next() {
		var id, licensor int64
		var ref string
		if err := rows.Scan(&id, &licensor, &ref); err != nil {
			return err
		}
		name := fmt.Sprintf("%d (%s)", id, ref)
		all = append(all, name)
		if licensor != old.LicenseeID {
			byAffiliates = append(byAffiliates, name)
		}
	}
	if err := rows.Err(); err != nil || len(all) == 0 {
		return err
	}
	if old.Sublicensable && !g.Sublicensable && errs["sublicensable"] == "" {
		errs["sublicensable"] = fmt.Sprintf("The grant must stay sublicensable while sublicences are granted under it: grant %s.",
			strings.Join(all, ", "))
	}
	if old.LicenseeID != g.LicenseeID && errs["licensee"] == "" {
		errs["licensee"] = fmt.Sprintf("The licensee cannot change while sublicences are granted under the grant: grant %s.",
			strings.Join(all, ", "))
	}
	if old.LicenseeAffiliates && !g.LicenseeAffiliates && len(byAffiliates) > 0 && errs["licensee_affiliates"] == "" {
		errs["licensee_affiliates"] = fmt.Sprintf("The grant must keep covering the licensee's affiliates while they sublicense under it: grant %s.",
			strings.Join(byAffiliates, ", "))
	}
	return nil
}

// DeleteGrant removes a grant, unless sublicences are granted under it.
func (db *DB) DeleteGrant(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		old, err := grantTx(tx, id)
		if err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT id FROM grants WHERE parent_grant_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		subs, err := scanIDs(rows)
		if err != nil {
			return err
		}
		if len(subs) > 0 {
			names := make([]string, len(subs))
			for i, s := range subs {
				names[i] = strconv.FormatInt(s, 10)
			}
			return licensing.Errorf(licensing.Conflict, "grant %d cannot be deleted while sublicences are granted under it (grant %s); delete those first",
				id, strings.Join(names, ", "))
		}
		if _, err := tx.Exec(`DELETE FROM grants WHERE id = ?`, id); err != nil {
			return err
		}
		record(Change{Action: "grant.delete", Entity: "agreement", EntityID: strconv.FormatInt(old.AgreementID, 10),
			Details: map[string]any{"before": grantSnapshot(&old.Grant, old.Agreement)}})
		return nil
	})
}

// Grant returns one grant with its companies' names, lists and scope
// patents, or ErrNotFound.
func (db *DB) Grant(ctx context.Context, id int64) (*licensing.Grant, error) {
	list, err := loadGrants(ctx, db.sql, `g.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return &list[0].Grant, nil
}

func grantTx(tx *sql.Tx, id int64) (*GrantRow, error) {
	list, err := loadGrants(context.Background(), tx, `g.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, licensing.Errorf(licensing.NotFound, "no grant with id %d", id)
	}
	return list[0], nil
}

// FieldsOfUse lists the fields of use the grants already name, each once
// whatever its case, sorted ignoring case, for suggestions.
func (db *DB) FieldsOfUse(ctx context.Context) ([]string, error) {
	return db.distinct(ctx, `SELECT DISTINCT value FROM grant_terms WHERE kind = 'field' ORDER BY value`)
}
