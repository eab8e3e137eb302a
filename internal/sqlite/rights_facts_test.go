package sqlite

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
)

// rightsFixture adds to the scope fixture the grants the rights engine
// reaches beyond a patent's own: Apple Inc.; HMD Devices Ltd, an HMD
// subsidiary from 2016 to 2018; a sublicensable licence of family F1 from
// Nokia to HMD (2019) with a sublicence to Apple listing the GB patent,
// sublicensed on in turn back to HMD; a licence of the GB patent to HMD
// Devices; a Xiaomi portfolio licence to HMD whose capture window closed
// in 2010, before Xiaomi filed its IoT application; and two Xiaomi
// licences to Apple, one of them exclusive.
type rightsFixture struct {
	*scopeFixture
	apple, hmdDevices                               *licensing.Company
	subParent, toDevices, sublicence, subSub, early licensing.Grant
	appleOpen, appleExclusive                       licensing.Grant
}

func newRightsFixture(t *testing.T) *rightsFixture {
	t.Helper()
	f := &rightsFixture{scopeFixture: newScopeFixture(t)}
	f.apple = mustCreateCompany(t, f.db, &licensing.Company{Name: "Apple Inc."})
	f.hmdDevices = mustCreateCompany(t, f.db, &licensing.Company{Name: "HMD Devices Ltd", ParentID: f.hmd.ID,
		ControlFrom: day("2016-01-01"), ControlTo: day("2018-12-31")})
	grant := func(licensor, licensee *licensing.Company, scope licensing.GrantScope) licensing.Grant {
		return licensing.Grant{LicensorID: licensor.ID, LicenseeID: licensee.ID, Exclusivity: licensing.NonExclusive, Scope: scope}
	}
	gb := licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: f.gb2.Number}}}
	parent := grant(f.nokia, f.hmd, licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}})
	parent.Sublicensable = true
	nok := f.agreement(t, "NOK-HMD-2019", licensing.AgreementActive, "2019-01-01", nil, parent, grant(f.nokia, f.hmdDevices, gb))
	f.subParent, f.toDevices = nok.Grants[0], nok.Grants[1]
	sub := grant(f.hmd, f.apple, gb)
	sub.ParentGrantID, sub.Sublicensable = f.subParent.ID, true
	f.sublicence = f.agreement(t, "HMD-APL-2019", licensing.AgreementActive, "2019-01-01", nil, sub).Grants[0]
	subSub := grant(f.apple, f.hmd, licensing.GrantScope{Kind: licensing.ScopePortfolio})
	subSub.ParentGrantID = f.sublicence.ID
	f.subSub = f.agreement(t, "APL-HMD-2019", licensing.AgreementActive, "2019-01-01", nil, subSub).Grants[0]
	f.early = f.agreement(t, "XIA-HMD-2010", licensing.AgreementActive, "2010-01-01", nil,
		grant(f.xiaomi, f.hmd, licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureTo: day("2010-12-31")})).Grants[0]
	exclusive := grant(f.xiaomi, f.apple, licensing.GrantScope{Kind: licensing.ScopePatents,
		Patents: []licensing.PatentRef{{Number: f.iot.Number}}})
	exclusive.Exclusivity = licensing.Exclusive
	xa := f.agreement(t, "XIA-APL-2019", licensing.AgreementActive, "2019-01-01", nil,
		grant(f.xiaomi, f.apple, licensing.GrantScope{Kind: licensing.ScopePortfolio}), exclusive)
	f.appleOpen, f.appleExclusive = xa.Grants[0], xa.Grants[1]
	return f
}

// name says which fixture grant has the id.
func (f *rightsFixture) name(id int64) string {
	for name, g := range map[string]licensing.Grant{"sub-parent": f.subParent, "to-devices": f.toDevices, "sublicence": f.sublicence,
		"sub-sub": f.subSub, "xiaomi-early": f.early, "apple-open": f.appleOpen, "apple-exclusive": f.appleExclusive} {
		if g.ID == id {
			return name
		}
	}
	return f.scopeFixture.name(id)
}

// grantNames writes grants as "agreement grant" in the order given,
// checking that each carries the head of its own agreement.
func (f *rightsFixture) grantNames(t *testing.T, grants []GrantFact) string {
	t.Helper()
	names := make([]string, len(grants))
	for i, g := range grants {
		a := g.Agreement
		if a == nil || a.ID != g.Grant.AgreementID || a.Status != licensing.AgreementActive || a.EffectiveOn.IsZero() {
			t.Errorf("grant %s: agreement head %+v", f.name(g.Grant.ID), a)
			continue
		}
		names[i] = a.Reference + " " + f.name(g.Grant.ID)
	}
	return strings.Join(names, ", ")
}

func TestPatentFacts(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t)
	for _, c := range []struct {
		name   string
		patent *licensing.Patent
		want   string
	}{
		// The licensor's affiliates' portfolio, the family, the listing, the
		// buyer's portfolios including one whose window closed long before,
		// and the sublicences under the family licence.
		{"SoldPatentWithEveryCandidate", f.lte, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, " +
			"NOK-HMD-2016 family, NOK-HMD-2019 sub-parent, TECH-HMD-2016 listed, XIA-APL-2019 apple-open, XIA-HMD-2010 xiaomi-early, XIA-HMD-2018 xiaomi"},
		// Sublicences under a grant that takes the patent in, at any depth.
		{"SublicencesUnderAFamilyLicence", f.nr, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, " +
			"NOK-HMD-2016 nokia-nr, NOK-HMD-2016 family, NOK-HMD-2019 sub-parent"},
		// The sublicence lists the GB patent; its parent (family F1) does
		// not take it in but is needed to judge the sublicence. Nokia's NR
		// portfolio, narrowed to NR patents at the US office, is left for
		// the engine to name as a near miss.
		{"ParentOfAListingSublicenceAndNarrowedPortfolio", f.gb2, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, " +
			"NOK-HMD-2016 nokia-group, NOK-HMD-2016 nokia-nr, NOK-HMD-2019 sub-parent, NOK-HMD-2019 to-devices"},
		// Xiaomi filed in 2016: the portfolio captured up to 2010 is a
		// candidate all the same.
		{"PortfolioWhoseWindowClosedBeforeFiling", f.iot,
			"XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive, XIA-HMD-2010 xiaomi-early, XIA-HMD-2018 xiaomi"},
	} {
		t.Run(c.name, func(t *testing.T) {
			facts, err := f.db.PatentFacts(ctx, c.patent.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.grantNames(t, facts.Grants); got != c.want {
				t.Errorf("grants of %s:\n got %s\nwant %s", c.patent.Normalized, got, c.want)
			}
			// Every company the facts mention has its name.
			mentioned := []int64{}
			for _, h := range facts.Chain {
				mentioned = append(mentioned, h.OwnerID)
			}
			for _, l := range facts.Links {
				mentioned = append(mentioned, l.Company, l.Parent)
			}
			for _, g := range facts.Grants {
				mentioned = append(mentioned, g.Grant.LicensorID, g.Grant.LicenseeID)
			}
			for _, id := range mentioned {
				if facts.Names[id] == "" {
					t.Errorf("no name for company %d in %v", id, facts.Names)
				}
			}
		})
	}
	t.Run("PatentChainAndLinks", func(t *testing.T) {
		facts, err := f.db.PatentFacts(ctx, f.lte.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := facts.Patent
		if p.Normalized != "EP1234567B1" || p.Family != "F1" || strings.Join(p.Standards, "|") != "3GPP LTE" ||
			strings.Join(p.Tags, "|") != "cellular" {
			t.Errorf("patent %+v: want EP1234567B1 with its labels", p)
		}
		chain := []string{}
		for _, h := range facts.Chain {
			chain = append(chain, facts.Names[h.OwnerID]+" "+h.From.String()+".."+h.To.String())
		}
		if got := strings.Join(chain, " | "); got != "Nokia Technologies Oy 2005-03-01..2017-07-04 | Xiaomi Corporation 2017-07-05.." {
			t.Errorf("chain %s", got)
		}
		if len(facts.Links) != 2 || facts.Names[f.hmdDevices.ID] != "HMD Devices Ltd" {
			t.Errorf("links %v, names %v: want both parent links and their companies", facts.Links, facts.Names)
		}
	})
	t.Run("UnknownPatent", func(t *testing.T) {
		if _, err := f.db.PatentFacts(ctx, 9999); licensing.ErrorCode(err) != licensing.NotFound {
			t.Errorf("patent 9999: %v, want not found", err)
		}
	})
}

// TestPatentFactsReadIndexesOnly: the grants a check reads are found
// through indexes, never by reading every grant or patent; only the JSON
// arrays of ids and holdings the statements are given are scanned.
func TestPatentFactsReadIndexesOnly(t *testing.T) {
	f := newRightsFixture(t)
	listed, args := listedOrFamilyGrants(f.lte.ID, "F1")
	holding := `[["2005-03-01","9999-12-31"]]`
	for _, c := range []struct {
		name, query string
		args        []any
		uses        []string
	}{
		{"Candidates", strings.Replace(candidateFactsSQL, "%s", listed, 1),
			append(args, idArray([]int64{f.nokia.ID, f.tech.ID}), idArray([]int64{f.tech.ID}), 1, f.hmd.ID, idArray([]int64{f.hmd.ID}), holding, "[]"),
			[]string{"grant_patents_patent (patent_id=?)", "grant_terms_value (kind=? AND value=?)", "grants_licensor (licensor_id=?)",
				"SEARCH t USING PRIMARY KEY (grant_id=?)", "SEARCH gp USING PRIMARY KEY (grant_id=?)"}},
		{"GrantsByID", grantFactsByIDSQL, []any{idArray([]int64{1, 2})}, []string{"SEARCH g USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"Sublicences", `SELECT id, parent_grant_id FROM grants WHERE parent_grant_id IS NOT NULL`, nil,
			[]string{"USING COVERING INDEX grants_parent"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := queryPlan(t, f.db, c.query, c.args...)
			for _, want := range c.uses {
				if !strings.Contains(plan, want) {
					t.Errorf("plan does not use %s:\n%s", want, plan)
				}
			}
			for _, line := range strings.Split(plan, "\n") {
				if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "VIRTUAL TABLE") {
					t.Errorf("plan scans a table: %s\n%s", line, plan)
				}
			}
		})
	}
}

// TestPatentFactsFor: the facts of one company's question leave out only
// portfolio grants that cannot bear on its answer, and the engine gives
// every company, for every patent, day and country, the same answer over
// them as over all the facts.
func TestPatentFactsFor(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t)
	nobody := mustCreateCompany(t, f.db, &licensing.Company{Name: "Nobody GmbH"})
	record := func(t *testing.T, p *licensing.Patent) *PatentRecord {
		t.Helper()
		rec, err := f.db.Patent(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	for _, c := range []struct {
		name    string
		patent  *licensing.Patent
		company *licensing.Company
		want    string
	}{
		// Xiaomi's portfolio licence to HMD captured up to 2010, before
		// Xiaomi filed: for HMD it is a grant that fails on its scope, for
		// Apple one that fails on its licensee as well, and is left out. The
		// listed grant, the portfolio that takes the patent in and the
		// exclusive grant stay, whoever asks.
		{"LicenseeKeepsItsGrant", f.iot, f.hmd,
			"XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive, XIA-HMD-2010 xiaomi-early, XIA-HMD-2018 xiaomi"},
		{"OtherCompanyLosesWhatCannotBear", f.iot, f.apple, "XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive, XIA-HMD-2018 xiaomi"},
		// HMD Devices was in HMD's group, but the grant does not reach the
		// licensee's affiliates.
		{"AffiliateOfALicenseeWithoutAffiliates", f.iot, f.hmdDevices,
			"XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive, XIA-HMD-2018 xiaomi"},
		// Grants of every scope: listed, family, portfolio, and the
		// sublicences with their parents, which are never left out.
		{"EveryScopeAndTheSublicences", f.lte, nobody, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, " +
			"NOK-HMD-2016 family, NOK-HMD-2019 sub-parent, TECH-HMD-2016 listed, XIA-APL-2019 apple-open, XIA-HMD-2018 xiaomi"},
	} {
		t.Run(c.name, func(t *testing.T) {
			facts, err := f.db.PatentFactsFor(ctx, record(t, c.patent), c.company.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.grantNames(t, facts.Grants); got != c.want {
				t.Errorf("grants of %s for %s:\n got %s\nwant %s", c.patent.Normalized, c.company.Name, got, c.want)
			}
			for _, g := range facts.Grants {
				if facts.Names[g.Grant.LicensorID] == "" || facts.Names[g.Grant.LicenseeID] == "" {
					t.Errorf("grant %s: no name for licensor or licensee in %v", f.name(g.Grant.ID), facts.Names)
				}
			}
		})
	}
	t.Run("SameAnswers", func(t *testing.T) {
		companies := []*licensing.Company{f.nokia, f.tech, f.hmd, f.hmdDevices, f.xiaomi, f.apple, nobody}
		engine := func(p *PatentFacts, company *licensing.Company) *rights.Facts {
			names := maps.Clone(p.Names)
			names[company.ID] = company.Name
			grants := make([]rights.GrantFact, len(p.Grants))
			for i, g := range p.Grants {
				grants[i] = rights.GrantFact(g)
			}
			return &rights.Facts{Patent: p.Patent, Chain: p.Chain, Links: p.Links, Names: names, Grants: grants}
		}
		left := 0
		for _, p := range []*licensing.Patent{f.lte, f.nr, f.gb2, f.iot} {
			all, err := f.db.PatentFacts(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, company := range companies {
				some, err := f.db.PatentFactsFor(ctx, record(t, p), company.ID)
				if err != nil {
					t.Fatal(err)
				}
				left += len(all.Grants) - len(some.Grants)
				for _, on := range []string{"2009-06-01", "2016-06-01", "2017-07-05", "2019-06-01", "2030-01-01"} {
					for _, territory := range []string{rights.DefaultTerritory(p), "DE", "US"} {
						if territory == "" {
							continue
						}
						q := rights.Question{Company: company.ID, On: day(on), Territory: territory}
						want, wantErr := rights.Check(q, engine(all, company))
						got, err := rights.Check(q, engine(some, company))
						if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
							t.Errorf("%s for %s in %s on %s: answers differ\n got %+v\nwant %+v", p.Normalized, company.Name, territory, on, got, want)
						}
					}
				}
			}
		}
		if left == 0 {
			t.Error("no grant was left out: the comparison proves nothing")
		}
	})
}

func TestWithRelatives(t *testing.T) {
	// 2 sublicenses under 1, 3 under 2, 4 under 2; 5 under 6 under 5 (a
	// loop only bad data can make).
	parentOf := map[int64]int64{2: 1, 3: 2, 4: 2, 5: 6, 6: 5}
	for _, c := range []struct {
		name                 string
		ids                  []int64
		parents, sublicences bool
		want                 string
	}{
		{"ParentsAtAnyDepth", []int64{3, 7}, true, false, "[1 2 3 7]"},
		{"SublicencesAtAnyDepth", []int64{1}, false, true, "[1 2 3 4]"},
		{"BothWaysNotSiblings", []int64{3}, true, true, "[1 2 3]"},
		{"LoopEnds", []int64{5}, true, true, "[5 6]"},
		{"Neither", []int64{3, 1}, false, false, "[1 3]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fmt.Sprint(withRelatives(c.ids, parentOf, c.parents, c.sublicences)); got != c.want {
				t.Errorf("grants %s, want %s", got, c.want)
			}
		})
	}
}

func TestCoverageGrants(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t)
	nobody := mustCreateCompany(t, f.db, &licensing.Company{Name: "Nobody GmbH"})
	hmdGrants := "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, NOK-HMD-2016 nokia-nr, " +
		"NOK-HMD-2016 family, NOK-HMD-2019 sub-parent, NOK-HMD-2019 to-devices, TECH-HMD-2016 listed, XIA-APL-2019 apple-exclusive, " +
		"XIA-HMD-2010 xiaomi-early, XIA-HMD-2018 xiaomi"
	for _, c := range []struct {
		name    string
		company *licensing.Company
		want    string
	}{
		// HMD's own grants, its former subsidiary's, the chain of parents
		// above the sub-sublicence back to HMD, and Xiaomi's exclusive
		// grant to Apple, which may shut an owner out.
		{"LicenseeGroupParentsAndExclusiveGrants", f.hmd, hmdGrants},
		// A company that left the group is kin all the same: the engine
		// reads the group on the date asked.
		{"SubsidiaryThatLeftTheGroup", f.hmdDevices, hmdGrants},
		{"SublicenceWithItsParent", f.apple,
			"HMD-APL-2019 sublicence, NOK-HMD-2019 sub-parent, XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive"},
		{"NoLicencesOnlyExclusiveGrants", nobody, "XIA-APL-2019 apple-exclusive"},
	} {
		t.Run(c.name, func(t *testing.T) {
			grants, links, names, err := f.db.CoverageGrants(ctx, c.company.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.grantNames(t, grants); got != c.want {
				t.Errorf("grants:\n got %s\nwant %s", got, c.want)
			}
			if len(links) != 2 || names[c.company.ID] != c.company.Name || names[f.tech.ID] != "Nokia Technologies Oy" {
				t.Errorf("links %v, names %v: want every link and the names of the company and the links", links, names)
			}
			for _, g := range grants {
				if names[g.Grant.LicensorID] == "" || names[g.Grant.LicenseeID] == "" {
					t.Errorf("grant %s: no name for licensor or licensee in %v", f.name(g.Grant.ID), names)
				}
			}
		})
	}
}

func TestOutLicensingGrants(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t)
	for _, c := range []struct {
		name    string
		company *licensing.Company
		want    string
	}{
		// Nokia's and Nokia Technologies' grants with the sublicences
		// granted under them.
		{"GroupWithSublicences", f.nokia, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, " +
			"NOK-HMD-2016 nokia-nr, NOK-HMD-2016 family, NOK-HMD-2019 sub-parent, NOK-HMD-2019 to-devices, TECH-HMD-2016 listed"},
		{"SubsidiaryNamesTheGroup", f.tech, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence, NOK-HMD-2016 nokia-group, " +
			"NOK-HMD-2016 nokia-nr, NOK-HMD-2016 family, NOK-HMD-2019 sub-parent, NOK-HMD-2019 to-devices, TECH-HMD-2016 listed"},
		{"SublicensorWithTheSublicenceUnderIt", f.hmd, "APL-HMD-2019 sub-sub, HMD-APL-2019 sublicence"},
		{"Licensor", f.xiaomi, "XIA-APL-2019 apple-open, XIA-APL-2019 apple-exclusive, XIA-HMD-2010 xiaomi-early, XIA-HMD-2018 xiaomi"},
	} {
		t.Run(c.name, func(t *testing.T) {
			grants, err := f.db.OutLicensingGrants(ctx, c.company.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.grantNames(t, grants); got != c.want {
				t.Errorf("grants:\n got %s\nwant %s", got, c.want)
			}
		})
	}
}
