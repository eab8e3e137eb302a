package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// scopeFixture adds to the title fixture Xiaomi's purchase of the LTE
// patent (2017-07-05) and licences of every scope kind to HMD Global.
type scopeFixture struct {
	*titleFixture
	groupGrant, nrGrant, familyGrant, listedGrant, xiaomiGrant licensing.Grant
}

func newScopeFixture(t *testing.T) *scopeFixture {
	t.Helper()
	f := &scopeFixture{titleFixture: newTitleFixture(t)}
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.tech, f.xiaomi, "2017-07-05", f.lte)})
	grant := func(licensor *licensing.Company, scope licensing.GrantScope) licensing.Grant {
		return licensing.Grant{LicensorID: licensor.ID, LicenseeID: f.hmd.ID, Exclusivity: licensing.NonExclusive, Scope: scope}
	}
	group := grant(f.nokia, licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day("2000-01-01"), CaptureTo: day("2016-12-01")})
	group.LicensorAffiliates = true
	nok := f.agreement(t, "NOK-HMD-2016", licensing.AgreementActive, "2016-12-01", nil, group,
		grant(f.nokia, licensing.GrantScope{Kind: licensing.ScopePortfolio, Standards: []string{"3GPP NR"}, Offices: []string{"US"}}),
		grant(f.nokia, licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}}))
	tech := f.agreement(t, "TECH-HMD-2016", licensing.AgreementActive, "2016-12-01", nil,
		grant(f.tech, licensing.GrantScope{Kind: licensing.ScopePatents,
			Patents: []licensing.PatentRef{{Number: "EP1234567B1"}, {Number: "DE102015000001B4"}}}))
	xia := f.agreement(t, "XIA-HMD-2018", licensing.AgreementActive, "2018-01-01", nil,
		grant(f.xiaomi, licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day("2018-01-01")}))
	f.groupGrant, f.nrGrant, f.familyGrant, f.listedGrant, f.xiaomiGrant = nok.Grants[0], nok.Grants[1], nok.Grants[2], tech.Grants[0], xia.Grants[0]
	return f
}

// name says which fixture grant has the id.
func (f *scopeFixture) name(id int64) string {
	for name, g := range map[string]licensing.Grant{"nokia-group": f.groupGrant, "nokia-nr": f.nrGrant, "family": f.familyGrant,
		"listed": f.listedGrant, "xiaomi": f.xiaomiGrant} {
		if g.ID == id {
			return name
		}
	}
	return fmt.Sprint(id)
}

func TestGrantsOnPatent(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	for _, c := range []struct {
		name   string
		patent *licensing.Patent
		want   string
	}{
		// Sold to Xiaomi in 2017, the LTE patent stays under Nokia's group
		// licence, whose capture window it was in through Nokia Technologies.
		{"SoldPatentUnderTheSellersEarlierPortfolio", f.lte,
			"NOK-HMD-2016 nokia-group portfolio, NOK-HMD-2016 family families, TECH-HMD-2016 listed patents, XIA-HMD-2018 xiaomi portfolio"},
		{"NarrowedToStandardAndOffice", f.nr, "NOK-HMD-2016 nokia-group portfolio, NOK-HMD-2016 nokia-nr portfolio, NOK-HMD-2016 family families"},
		{"OnlyTheOwnersPortfolio", f.iot, "XIA-HMD-2018 xiaomi portfolio"},
		{"ListedAndInTheGroupPortfolio", f.lapsed, "NOK-HMD-2016 nokia-group portfolio, TECH-HMD-2016 listed patents"},
	} {
		t.Run(c.name, func(t *testing.T) {
			touches, err := f.db.GrantsOnPatent(ctx, c.patent.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(touches))
			for i, g := range touches {
				got[i] = g.Agreement + " " + f.name(g.ID) + " " + g.Via
			}
			if strings.Join(got, ", ") != c.want {
				t.Errorf("grants on %s:\n got %s\nwant %s", c.patent.Normalized, strings.Join(got, ", "), c.want)
			}
		})
	}
	if _, err := f.db.GrantsOnPatent(ctx, 9999); licensing.ErrorCode(err) != licensing.NotFound {
		t.Errorf("no patent 9999: %v", err)
	}
}

func TestGrantScopeCount(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	unsaved := licensing.Grant{LicensorID: f.tech.ID, Scope: licensing.GrantScope{Kind: licensing.ScopePatents,
		Patents: []licensing.PatentRef{{Number: "EP 1 234 567 B1"}, {Number: "CN105123456A"}}}}
	for _, c := range []struct {
		name  string
		grant licensing.Grant
		on    string
		want  int
	}{
		{"ListedPatents", f.listedGrant, "2019-06-01", 2},
		{"ListedPatentOneLapsed", f.listedGrant, "2020-06-01", 1},
		{"ListedByNumberNotYetSaved", unsaved, "2019-06-01", 1}, // the Chinese application is pending
		{"Family", f.familyGrant, "2019-06-01", 2},
		{"FamilyAfterTheLTEPatentExpires", f.familyGrant, "2025-03-02", 1},
		{"PortfolioOfTheGroup", f.groupGrant, "2019-06-01", 4},
		{"PortfolioOfTheGroupOneLapsed", f.groupGrant, "2020-06-01", 3},
		{"PortfolioNarrowed", f.nrGrant, "2019-06-01", 1},
		{"PortfolioCapturedAfterAPurchase", f.xiaomiGrant, "2019-06-01", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := f.db.GrantScopeCount(ctx, &c.grant, day(c.on))
			if err != nil {
				t.Fatal(err)
			}
			if n != c.want {
				t.Errorf("%d patents in force on %s, want %d", n, c.on, c.want)
			}
		})
	}
}

// TestGrantScopeCountUpTo: the agreement page's count reads at most a
// budget of a portfolio's holdings; with enough it is the exact count,
// with too few a lower bound that says so, never more than the count.
func TestGrantScopeCountUpTo(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	for _, c := range []struct {
		name  string
		grant licensing.Grant
		on    string
	}{
		{"ListedPatents", f.listedGrant, "2019-06-01"},
		{"Family", f.familyGrant, "2019-06-01"},
		{"PortfolioOfTheGroup", f.groupGrant, "2019-06-01"},
		{"PortfolioOfTheGroupOneLapsed", f.groupGrant, "2020-06-01"},
		{"PortfolioNarrowed", f.nrGrant, "2019-06-01"},
		{"PortfolioCapturedAfterAPurchase", f.xiaomiGrant, "2019-06-01"},
		{"PortfolioNothingInForce", f.groupGrant, "2060-01-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := f.db.GrantScopeCount(ctx, &c.grant, day(c.on))
			if err != nil {
				t.Fatal(err)
			}
			n, complete, err := f.db.GrantScopeCountUpTo(ctx, &c.grant, day(c.on), 100)
			if err != nil || n != want || !complete {
				t.Errorf("budget 100: %d patents, complete %v (%v); want %d, complete", n, complete, err, want)
			}
			for budget := 0; budget < 8; budget++ {
				n, complete, err := f.db.GrantScopeCountUpTo(ctx, &c.grant, day(c.on), budget)
				if err != nil || n > want || (complete && n != want) {
					t.Errorf("budget %d: %d patents, complete %v (%v); want at most %d, and exactly that where complete", budget, n, complete, err, want)
				}
			}
		})
	}
	t.Run("BudgetCutsTheCount", func(t *testing.T) {
		n, complete, err := f.db.GrantScopeCountUpTo(ctx, &f.groupGrant, day("2019-06-01"), 1)
		if err != nil || complete || n > 1 {
			t.Errorf("budget 1: %d patents, complete %v (%v); want at most 1, not complete", n, complete, err)
		}
	})
	t.Run("PatentHeldTwiceCountsOnce", func(t *testing.T) {
		// The LTE patent passed from Nokia Technologies to Xiaomi: spans of
		// both meet it in two holdings.
		g := f.groupGrant
		spans := []licensing.GroupSpan{{Owner: f.tech.ID, From: licensing.FirstDay, To: licensing.LastDay},
			{Owner: f.xiaomi.ID, From: licensing.FirstDay, To: licensing.LastDay}}
		on := day("2019-06-01")
		cond, condArgs := scopeWhere(&g, spans)
		inForce, inForceArgs := patentWhere(PatentFilter{InForceOn: &on})
		var want int
		if err := f.db.sql.QueryRow(`SELECT count(*) FROM patents p WHERE `+cond+` AND `+strings.Join(inForce, " AND "),
			append(condArgs, inForceArgs...)...).Scan(&want); err != nil || want < 2 {
			t.Fatalf("%d patents of both in force (%v)", want, err)
		}
		n, complete, err := f.db.countHeldInForce(ctx, spans, &g.Scope, on, 100)
		if err != nil || n != want || !complete {
			t.Errorf("%d patents counted, complete %v (%v); want %d", n, complete, err, want)
		}
	})
}

// TestGrantScopeCountUpToReadsIndexRanges: the bounded count of a
// portfolio walks an owner's holdings back from the latest through
// patent_owners_owner, reads each patent by its id and sorts nothing.
func TestGrantScopeCountUpToReadsIndexRanges(t *testing.T) {
	f := newScopeFixture(t)
	on := day("2019-06-01")
	where, args := patentWhere(PatentFilter{InForceOn: &on})
	narrowed, narrowedArgs := narrowing([]string{"cellular"}, nil, []string{"EP"})
	query := strings.Replace(heldInForceSQL, "%s", strings.Join(append(where, narrowed...), " AND "), 1)
	plan := queryPlan(t, f.db, query, slices.Concat([]any{f.nokia.ID, "2014-01-01", "2017-07-05", "2000-01-01", 1000}, args, narrowedArgs)...)
	for _, want := range []string{"patent_owners_owner (owner_id=? AND from_on>? AND from_on<?)", "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan does not use %s:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "SCAN p") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("plan scans the patents or sorts:\n%s", plan)
	}
}

func TestPatentsInAGrantsScope(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	for _, c := range []struct {
		name  string
		grant licensing.Grant
		want  string
	}{
		{"Portfolio", f.groupGrant, "DE102015000001B4,EP1234567B1,GB2500000B,US9123456B2"},
		{"Family", f.familyGrant, "EP1234567B1,US9123456B2"},
		{"Listed", f.listedGrant, "DE102015000001B4,EP1234567B1"},
		{"PortfolioIncludingPending", f.xiaomiGrant, "CN105123456A,EP1234567B1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := c.grant.ID
			var got []string
			err := f.db.EachPatent(ctx, PatentFilter{Grant: &id}, func(r *PatentRecord) error {
				got = append(got, r.Normalized)
				return nil
			})
			if err != nil || strings.Join(got, ",") != c.want {
				t.Errorf("scope %v %s, want %s", err, strings.Join(got, ","), c.want)
			}
			// One patent a page: the keyset cursor walks the same list.
			var paged []string
			cursor := ""
			for range 10 {
				page, next, err := f.db.Patents(ctx, PatentFilter{Grant: &id, Limit: 1, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, numbers(page))
				if cursor = next; cursor == "" {
					break
				}
			}
			if strings.Join(paged, ",") != c.want {
				t.Errorf("paged %s, want %s", strings.Join(paged, ","), c.want)
			}
		})
	}
	missing := int64(9999)
	if _, _, err := f.db.Patents(ctx, PatentFilter{Grant: &missing}); licensing.ErrorCode(err) != licensing.NotFound {
		t.Errorf("no grant 9999: %v", err)
	}
}

// TestPortfolioTakesTheGroupOfTheCaptureWindow: a portfolio of Nokia and
// its affiliates captured from 2010 to 2015 takes in what a company held
// while it belonged to Nokia's group within that window, not what today's
// group holds.
func TestPortfolioTakesTheGroupOfTheCaptureWindow(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t) // today is 2020-01-01
	company := func(name string, parent *licensing.Company, from, to string) *licensing.Company {
		c := &licensing.Company{Name: name}
		if parent != nil {
			c.ParentID = parent.ID
			if from != "" {
				c.ControlFrom = day(from)
			}
			if to != "" {
				c.ControlTo = day(to)
			}
		}
		return mustCreateCompany(t, f.db, c)
	}
	acquired := company("Acquired Later Oy", f.nokia, "2017-01-01", "")
	divested := company("Divested Later Oy", f.nokia, "", "2016-06-30")
	brief := company("Brief Affiliate Oy", f.nokia, "2011-01-01", "2012-12-31")
	outsider := company("Outsider Ltd", nil, "", "")
	patent := func(number, filed string, owner *licensing.Company) *licensing.Patent {
		return f.patent(t, &licensing.Patent{Number: number, Title: "Patent " + number, FiledOn: day(filed),
			GrantedOn: day(filed).AddYears(3), Status: licensing.StatusGranted, OriginalOwnerID: owner.ID})
	}
	boughtInside := patent("EP 2 000 001 B1", "2008-01-10", outsider)
	soldBefore := patent("EP 2 000 002 B1", "2005-01-10", f.nokia)
	ofAcquired := patent("EP 2 000 003 B1", "2012-01-10", acquired)
	ofDivested := patent("EP 2 000 004 B1", "2012-01-10", divested)
	soldByBrief := patent("EP 2 000 005 B1", "2010-03-01", brief)
	boughtByBrief := patent("EP 2 000 006 B1", "2009-03-01", outsider)
	f.agreement(t, "TRANSFERS", licensing.AgreementActive, "2009-06-01", []licensing.Assignment{
		transfer(outsider, f.nokia, "2013-05-01", boughtInside),
		transfer(f.nokia, outsider, "2009-06-01", soldBefore),
		transfer(brief, outsider, "2011-06-01", soldByBrief),   // brief held it in Nokia's group from 2011-01-01
		transfer(outsider, brief, "2014-02-01", boughtByBrief), // brief had left the group by then
	})
	window := licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day("2010-01-01"), CaptureTo: day("2015-12-31")}
	group := licensing.Grant{LicensorID: f.nokia.ID, LicenseeID: f.hmd.ID, LicensorAffiliates: true,
		Exclusivity: licensing.NonExclusive, Scope: window}
	own := group
	own.LicensorAffiliates = false
	a := f.agreement(t, "NOK-HMD-2016", licensing.AgreementActive, "2016-01-01", nil, group, own)
	group, own = a.Grants[0], a.Grants[1]

	mine := []*licensing.Patent{boughtInside, soldBefore, ofAcquired, ofDivested, soldByBrief, boughtByBrief}
	for _, c := range []struct {
		name  string
		grant licensing.Grant
		want  string // of mine, the patents in the scope
	}{
		{"GroupOfTheWindow", group, "EP2000001B1,EP2000004B1,EP2000005B1"},
		{"LicensorAlone", own, "EP2000001B1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := c.grant.ID
			var listed []string
			err := f.db.EachPatent(ctx, PatentFilter{Grant: &id}, func(r *PatentRecord) error {
				if slices.ContainsFunc(mine, func(p *licensing.Patent) bool { return p.ID == r.ID }) {
					listed = append(listed, r.Normalized)
				}
				return nil
			})
			if err != nil || strings.Join(listed, ",") != c.want {
				t.Errorf("patents list of the scope: %v %s, want %s", err, strings.Join(listed, ","), c.want)
			}
			var touched []string
			for _, p := range mine {
				touches, err := f.db.GrantsOnPatent(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if slices.ContainsFunc(touches, func(g GrantTouch) bool { return g.ID == id }) {
					touched = append(touched, p.Normalized)
				}
			}
			if strings.Join(touched, ",") != c.want {
				t.Errorf("patent pages name the grant on %s, want %s", strings.Join(touched, ","), c.want)
			}
		})
	}
	// The count adds the fixture's four Nokia-group patents, all in force.
	if n, err := f.db.GrantScopeCount(ctx, &group, day("2019-06-01")); err != nil || n != 4+3 {
		t.Errorf("scope count %d, %v; want 7", n, err)
	}
}

func TestPortfolioSpans(t *testing.T) {
	const nokia, tech, later, brief = 1, 2, 3, 4
	links := []licensing.Control{{Company: tech, Parent: nokia}, {Company: later, Parent: nokia, From: day("2017-01-01")},
		{Company: brief, Parent: tech, From: day("2011-01-01"), To: day("2012-12-31")}}
	span := func(owner int64, from, to string) licensing.GroupSpan {
		return licensing.GroupSpan{Owner: owner, From: day(from), To: day(to)}
	}
	for _, c := range []struct {
		name  string
		grant licensing.Grant
		want  []licensing.GroupSpan
	}{
		{"LicensorAloneOpenWindow", licensing.Grant{LicensorID: nokia},
			[]licensing.GroupSpan{span(nokia, "0001-01-01", "9999-12-31")}},
		{"GroupCutAtControlDays", licensing.Grant{LicensorID: nokia, LicensorAffiliates: true,
			Scope: licensing.GrantScope{CaptureFrom: day("2010-01-01"), CaptureTo: day("2018-12-31")}},
			[]licensing.GroupSpan{span(nokia, "2010-01-01", "2018-12-31"), span(tech, "2010-01-01", "2018-12-31"),
				span(brief, "2011-01-01", "2012-12-31"), span(later, "2017-01-01", "2018-12-31")}},
		{"GroupFromASubsidiary", licensing.Grant{LicensorID: brief, LicensorAffiliates: true,
			Scope: licensing.GrantScope{CaptureFrom: day("2012-01-01"), CaptureTo: day("2013-12-31")}},
			[]licensing.GroupSpan{span(nokia, "2012-01-01", "2012-12-31"), span(tech, "2012-01-01", "2012-12-31"),
				span(brief, "2012-01-01", "2013-12-31")}},
		{"WindowEndingBeforeItBegins", licensing.Grant{LicensorID: nokia,
			Scope: licensing.GrantScope{CaptureFrom: day("2012-01-01"), CaptureTo: day("2011-12-31")}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := portfolioSpans(links, &c.grant)
			slices.SortFunc(got, func(a, b licensing.GroupSpan) int {
				return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.Owner, b.Owner))
			})
			slices.SortFunc(c.want, func(a, b licensing.GroupSpan) int {
				return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.Owner, b.Owner))
			})
			if !slices.Equal(got, c.want) {
				t.Errorf("spans %v, want %v", got, c.want)
			}
		})
	}
}

// queryPlan returns the lines of SQLite's plan for a query.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.sql.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// TestScopeAndOwnerOnAreIndexRanges: at a million patents a portfolio's
// holdings must be read as a range of patent_owners_owner, bounded by the
// window's end, never by walking every holding of the owner or every
// patent (the sentinel dates of open holdings make this possible).
func TestScopeAndOwnerOnAreIndexRanges(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	const ownerRange = "SEARCH po USING COVERING INDEX patent_owners_owner (owner_id=? AND from_on<?)"
	on := day("2030-06-30")
	inForce, inForceArgs := patentWhere(PatentFilter{InForceOn: &on})
	for _, g := range []licensing.Grant{f.groupGrant, f.xiaomiGrant, f.nrGrant} {
		cond, args, err := f.db.grantScopeWhere(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		plan := queryPlan(t, f.db, `SELECT count(*) FROM patents p WHERE `+cond+` AND `+strings.Join(inForce, " AND "),
			append(args, inForceArgs...)...)
		if !strings.Contains(plan, ownerRange) || strings.Contains(plan, "SCAN p\n") || strings.HasSuffix(plan, "SCAN p") {
			t.Errorf("scope of grant %s:\n%s", f.name(g.ID), plan)
		}
	}
	past := day("2004-01-01")
	where, args := patentWhere(PatentFilter{OwnerIDs: []int64{f.nokia.ID, f.tech.ID}, OwnerOn: &past})
	plan := queryPlan(t, f.db, `SELECT p.id FROM patents p WHERE `+strings.Join(where, " AND "), args...)
	if !strings.Contains(plan, ownerRange) || !strings.Contains(plan, "patents_original_owner_filed (original_owner_id=? AND filed_on>?)") {
		t.Errorf("owned on a past day:\n%s", plan)
	}
}

// TestPatentPageReadsOnlyWhatItShows: the patent page asks only about the
// portfolio grants of the patent's holders and of companies ever in a group
// with one, and reads the agreements of the grants it lists without their
// contents.
func TestPatentPageReadsOnlyWhatItShows(t *testing.T) {
	ctx := context.Background()
	t.Run("PortfolioLicensors", func(t *testing.T) {
		const nokia, tech, brief, xiaomi, hmd = 1, 2, 3, 4, 5
		links := []licensing.Control{{Company: tech, Parent: nokia},
			{Company: brief, Parent: nokia, From: day("2011-01-01"), To: day("2012-12-31")}, {Company: hmd, Parent: 6}}
		chain := []licensing.Holding{{OwnerID: brief, To: day("2014-01-31")}, {OwnerID: xiaomi, From: day("2014-02-01")}}
		holders, kin := portfolioLicensors(links, chain)
		if fmt.Sprint(holders) != "[3 4]" || fmt.Sprint(kin) != "[1 2 3 4]" {
			t.Errorf("holders %v, kin %v; want [3 4] and [1 2 3 4]", holders, kin)
		}
	})
	t.Run("AgreementHeads", func(t *testing.T) {
		f := newScopeFixture(t)
		heads, err := f.db.AgreementHeads(ctx, []int64{f.groupGrant.AgreementID, f.groupGrant.AgreementID, f.xiaomiGrant.AgreementID, 9999})
		if err != nil {
			t.Fatal(err)
		}
		nok, xia := heads[f.groupGrant.AgreementID], heads[f.xiaomiGrant.AgreementID]
		if len(heads) != 2 || nok == nil || xia == nil {
			t.Fatalf("heads %v, want the two agreements", heads)
		}
		if nok.Reference != "NOK-HMD-2016" || nok.Status != licensing.AgreementActive || nok.EffectiveOn != day("2016-12-01") ||
			len(nok.Grants) != 0 || len(nok.Parties) != 0 {
			t.Errorf("head %+v: want the fields of NOK-HMD-2016 without its contents", nok)
		}
		if empty, err := f.db.AgreementHeads(ctx, nil); err != nil || len(empty) != 0 {
			t.Errorf("no ids: %v %v", empty, err)
		}
	})
}

// TestFamilyLookupsUseTheFamilyIndex: the family index is partial (only
// patents with a family key), so a query must repeat its condition or
// SQLite scans every patent, 0.2 s a family at a million patents when an
// agreement of families is saved or its scope counted, and on every
// patent page (its family members).
func TestFamilyLookupsUseTheFamilyIndex(t *testing.T) {
	db := newScopeFixture(t).db
	const byFamily = "INDEX patents_family (family=?)"
	cond, args := scopeWhere(&licensing.Grant{Scope: licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1", "F2"}}}, nil)
	family := "F1"
	where, whereArgs := patentWhere(PatentFilter{Family: &family})
	for name, plan := range map[string]string{
		"GrantScope":    queryPlan(t, db, `SELECT p.id FROM patents p WHERE `+cond, args...),
		"FamilyIsKnown": queryPlan(t, db, patentOfFamily, "F1"),
		"FamilyMembers": queryPlan(t, db, `SELECT p.id FROM patents p WHERE `+strings.Join(where, " AND "), whereArgs...),
	} {
		if !strings.Contains(plan, byFamily) {
			t.Errorf("%s: plan\n%s\nwant a search of %s", name, plan, byFamily)
		}
	}
}

// TestGrantsTakingInMatchTheScopeRule: the grants a patent's page lists as
// taking it in, picked in memory from the patent's facts, are those whose
// scope the patents list's grant filter (the SQL rule) finds the patent
// in, for every grant and patent of a world with every scope kind, a
// corporate group that changes within capture windows, narrowing by tag,
// standard and office with labels differing in case; and they come in
// the order SQL sorts them, reference without case, then position.
func TestGrantsTakingInMatchTheScopeRule(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	company := func(name string, from, to string) *licensing.Company {
		c := &licensing.Company{Name: name, ParentID: f.nokia.ID}
		if from != "" {
			c.ControlFrom = day(from)
		}
		if to != "" {
			c.ControlTo = day(to)
		}
		return mustCreateCompany(t, f.db, c)
	}
	acquired := company("Acquired Later Oy", "2017-01-01", "")
	brief := company("Brief Affiliate Oy", "2011-01-01", "2012-12-31")
	patent := func(number, filed string, owner *licensing.Company, tags, standards []string) *licensing.Patent {
		return f.patent(t, &licensing.Patent{Number: number, Title: "Patent " + number, FiledOn: day(filed), Family: "F2",
			GrantedOn: day(filed).AddYears(3), Status: licensing.StatusGranted, OriginalOwnerID: owner.ID, Tags: tags, Standards: standards})
	}
	patent("EP 2 000 003 B1", "2012-01-10", acquired, []string{"IoT"}, nil)
	patent("EP 2 000 005 B1", "2011-03-01", brief, nil, []string{"3gpp nr"})
	patent("US 10,000,001 B2", "2019-05-01", f.nokia, []string{"cellular"}, []string{"3GPP NR"})
	grant := func(licensor *licensing.Company, affiliates bool, scope licensing.GrantScope) licensing.Grant {
		return licensing.Grant{LicensorID: licensor.ID, LicenseeID: f.hmd.ID, LicensorAffiliates: affiliates,
			Exclusivity: licensing.NonExclusive, Scope: scope}
	}
	// Held by Nokia only before the window of the first grant below.
	outsider := mustCreateCompany(t, f.db, &licensing.Company{Name: "Outsider Ltd"})
	soldBefore := patent("EP 2 000 002 B1", "2005-01-10", f.nokia, nil, nil)
	f.agreement(t, "TRANSFERS", licensing.AgreementActive, "2009-06-01",
		[]licensing.Assignment{transfer(f.nokia, outsider, "2009-06-01", soldBefore)})
	f.patent(t, &licensing.Patent{Number: "EP 2 000 007 B1", Title: "Patent of another family", FiledOn: day("2011-01-10"),
		Family: "F3", GrantedOn: day("2014-01-10"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID})
	window := grant(f.nokia, true, licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day("2010-06-01"), CaptureTo: day("2012-06-30")})
	window.Sublicensable = true
	// A lower-case reference sorts first without case and last by bytes.
	aurora := f.agreement(t, "aurora-2019", licensing.AgreementActive, "2019-01-01", nil, window,
		grant(f.nokia, true, licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"iot"}, CaptureFrom: day("2016-06-01")}),
		grant(f.nokia, false, licensing.GrantScope{Kind: licensing.ScopePortfolio, Standards: []string{"3GPP NR"}, Offices: []string{"US", "EP"}}),
		grant(f.nokia, true, licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F2", "F1"}}),
		grant(f.tech, false, licensing.GrantScope{Kind: licensing.ScopePatents,
			Patents: []licensing.PatentRef{{Number: "EP2000005B1"}, {Number: "GB2500000B"}}}))
	// A sublicence of another family under the window's grant: the facts
	// of the window's patents hold it, as a relative, without its scope.
	sub := licensing.Grant{LicensorID: f.hmd.ID, LicenseeID: f.xiaomi.ID, ParentGrantID: aurora.Grants[0].ID,
		Exclusivity: licensing.NonExclusive, Scope: licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F3"}}}
	f.agreement(t, "SUB-2019", licensing.AgreementActive, "2019-02-01", nil, sub)

	grants, err := loadGrants(ctx, f.db.sql, `1`)
	if err != nil {
		t.Fatal(err)
	}
	var patents []*PatentRecord
	if err := f.db.EachPatent(ctx, PatentFilter{}, func(r *PatentRecord) error { patents = append(patents, r); return nil }); err != nil {
		t.Fatal(err)
	}
	want := map[int64][]int64{} // by patent, the grants in SQL's order
	for _, g := range grants {
		cond, args, err := f.db.grantScopeWhere(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := queryIDs(ctx, f.db.sql, `SELECT p.id FROM patents p WHERE `+cond, args...)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			want[id] = append(want[id], g.ID)
		}
	}
	taken := 0
	for _, p := range patents {
		facts, err := f.db.PatentFactsFor(ctx, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, touch := range facts.GrantsTakingIn() {
			got = append(got, touch.ID)
			if touch.Head == nil || touch.Head.ID != touch.AgreementID || touch.Agreement != touch.Head.Reference {
				t.Errorf("%s: grant %d with the head %+v", p.Normalized, touch.ID, touch.Head)
			}
		}
		if !slices.Equal(got, want[p.ID]) {
			t.Errorf("%s: the page lists grants %v, the scope rule %v", p.Normalized, got, want[p.ID])
		}
		taken += len(got)
	}
	// The world's cases must be there for the comparison to mean anything.
	if len(patents) != 10 || taken < 20 {
		t.Errorf("%d patents, %d grants taking them in: the world lost its cases", len(patents), taken)
	}
}
