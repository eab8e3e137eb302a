package sqlite

import (
	"context"
	"fmt"
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
