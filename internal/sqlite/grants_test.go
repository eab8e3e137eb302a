package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

func TestGrants(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, f *agreementFixture, a *licensing.Agreement)
	}{
		{"AddedGrantReadsBack", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			g := &licensing.Grant{LicensorID: f.xiaomi.ID, LicenseeID: f.nokia.ID, Exclusivity: licensing.Exclusive,
				Scope:       licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureTo: dd("2017-07-05"), Tags: []string{" iot "}, Offices: []string{"cn"}},
				Territories: []string{"CN"}, Fields: []string{"Smart home"}, StartsOn: dd("2018-01-01"), PastRelease: true}
			if err := f.db.AddGrant(ctx, CLIActor(), a.ID, g); err != nil {
				t.Fatal(err)
			}
			got, err := f.db.Grant(ctx, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AgreementID != a.ID || got.Licensor != "Xiaomi Corporation" || got.Exclusivity != licensing.Exclusive ||
				strings.Join(got.Scope.Tags, "|") != "iot" || strings.Join(got.Scope.Offices, "|") != "CN" ||
				got.Scope.CaptureTo != dd("2017-07-05") || !got.Scope.CaptureFrom.IsZero() || got.StartsOn != dd("2018-01-01") || !got.PastRelease {
				t.Errorf("grant read back as %+v", got)
			}
			full, _ := f.db.Agreement(ctx, a.ID)
			if len(full.Grants) != 5 || full.Grants[4].ID != g.ID {
				t.Errorf("the new grant is not last of the agreement's %d grants", len(full.Grants))
			}
		}},
		{"TermOutsideAgreementRefused", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			g := &licensing.Grant{LicensorID: f.nokia.ID, LicenseeID: f.hmd.ID, Exclusivity: licensing.NonExclusive,
				Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}, StartsOn: dd("2017-01-01"), EndsOn: dd("2025-01-01")}
			fields := invalidFieldsOf(t, f.db.AddGrant(ctx, CLIActor(), a.ID, g))
			for _, k := range []string{"licensee", "starts_on", "ends_on"} {
				if fields[k] == "" {
					t.Errorf("no message for %s in %v", k, fields)
				}
			}
		}},
		{"UpdateAuditsOnlyWhatChanged", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			g, _ := f.db.Grant(ctx, a.Grants[2].ID)
			g.Scope.Patents = append(g.Scope.Patents, licensing.PatentRef{Number: "DE 10 2015 000 001 B4"})
			g.Fields = []string{"Mobile Devices"}
			if err := f.db.UpdateGrant(ctx, CLIActor(), g); err != nil {
				t.Fatal(err)
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			var details struct{ Before, After map[string]any }
			json.Unmarshal([]byte(e[0].Details), &details)
			if e[0].Action != "grant.update" || details.After["patents"] != "EP1234567B1|US9123456B2|DE102015000001B4" ||
				details.Before["fields"] != "" || details.After["fields"] != "Mobile Devices" || len(details.After) != 2 {
				t.Errorf("audit %s %s", e[0].Action, e[0].Details)
			}
			got, _ := f.db.Grant(ctx, g.ID)
			if refNumbers(got.Scope.Patents) != "EP1234567B1,US9123456B2,DE102015000001B4" || got.AgreementID != a.ID {
				t.Errorf("updated grant %+v", got)
			}
		}},
		{"UpdateWithUnknownNumberKeepsGrant", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			g, _ := f.db.Grant(ctx, a.Grants[2].ID)
			g.Scope.Patents = []licensing.PatentRef{{Number: "EP 7 777 777 B1"}}
			if msg := invalidFieldsOf(t, f.db.UpdateGrant(ctx, CLIActor(), g))["patents"]; msg != "Line 1: no patent EP7777777B1." {
				t.Errorf("patents = %q", msg)
			}
			got, _ := f.db.Grant(ctx, g.ID)
			if refNumbers(got.Scope.Patents) != "EP1234567B1,US9123456B2" {
				t.Errorf("scope after a refused update: %v", got.Scope.Patents)
			}
		}},
		{"SublicenceUnderNonSublicensableRefused", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			sub := f.sublicenceAgreement(a.Grants[0].ID, f.xiaomi.ID)
			msg := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), sub))["grants.0.parent_grant"]
			if !strings.Contains(msg, "is not sublicensable") {
				t.Errorf("grants.0.parent_grant = %q", msg)
			}
		}},
		{"SublicenceByAffiliateOfLicensee", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			parent, _ := f.db.Grant(ctx, a.Grants[0].ID)
			parent.Sublicensable = true
			if err := f.db.UpdateGrant(ctx, CLIActor(), parent); err != nil {
				t.Fatal(err)
			}
			// Xiaomi Inc. is controlled by the licensee since 2010, and
			// the parent grant covers the licensee's affiliates.
			f.mustCreate(t, f.sublicenceAgreement(parent.ID, f.xiaomiInc.ID))
			// Nokia Technologies is no affiliate of Xiaomi.
			sub := f.sublicenceAgreement(parent.ID, f.tech.ID)
			sub.Reference = "TECH-HMD-2018"
			msg := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), sub))["grants.0.parent_grant"]
			if !strings.Contains(msg, "Only the licensee of grant") {
				t.Errorf("grants.0.parent_grant = %q", msg)
			}
			err := f.db.DeleteGrant(ctx, CLIActor(), parent.ID)
			if licensing.ErrorCode(err) != licensing.Conflict || !strings.Contains(err.Error(), "sublicences") {
				t.Errorf("delete of a parent grant: %v", err)
			}
		}},
		{"ParentKeepsWhatItsSublicenceNeeds", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			// Apple joins the agreement so that the licensee could change
			// to a party of it.
			full, _ := f.db.Agreement(ctx, a.ID)
			full.Parties = append(full.Parties, licensing.Party{CompanyID: f.apple.ID, Role: licensing.RoleParty})
			if err := f.db.UpdateAgreement(ctx, CLIActor(), full); err != nil {
				t.Fatal(err)
			}
			parent, _ := f.db.Grant(ctx, a.Grants[0].ID)
			parent.Sublicensable = true
			if err := f.db.UpdateGrant(ctx, CLIActor(), parent); err != nil {
				t.Fatal(err)
			}
			// Xiaomi Inc., an affiliate of the licensee, sublicenses.
			sub := f.mustCreate(t, f.sublicenceAgreement(parent.ID, f.xiaomiInc.ID)).Grants[0]
			named := fmt.Sprintf("grant %d (XIA-HMD-2018)", sub.ID)
			for _, c := range []struct {
				field string
				edit  func(g *licensing.Grant)
			}{
				{"sublicensable", func(g *licensing.Grant) { g.Sublicensable = false }},
				{"licensee", func(g *licensing.Grant) { g.LicenseeID = f.apple.ID }},
				{"licensee_affiliates", func(g *licensing.Grant) { g.LicenseeAffiliates = false }},
			} {
				g, _ := f.db.Grant(ctx, parent.ID)
				c.edit(g)
				if msg := invalidFieldsOf(t, f.db.UpdateGrant(ctx, CLIActor(), g))[c.field]; !strings.Contains(msg, named) {
					t.Errorf("%s = %q, want a refusal naming %s", c.field, msg, named)
				}
			}
			got, _ := f.db.Grant(ctx, parent.ID)
			if !got.Sublicensable || got.LicenseeID != f.xiaomi.ID || !got.LicenseeAffiliates {
				t.Errorf("refused edits changed the parent grant: %+v", got)
			}
			// Edits that leave the sublicence valid go through.
			got.Fields = []string{"mobile devices", "tablets"}
			if err := f.db.UpdateGrant(ctx, CLIActor(), got); err != nil {
				t.Errorf("an edit the sublicence does not depend on: %v", err)
			}
		}},
		{"NoLoopOfSublicences", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			parent, _ := f.db.Grant(ctx, a.Grants[0].ID)
			parent.Sublicensable = true
			if err := f.db.UpdateGrant(ctx, CLIActor(), parent); err != nil {
				t.Fatal(err)
			}
			sub := f.mustCreate(t, f.sublicenceAgreement(parent.ID, f.xiaomi.ID))
			parent.ParentGrantID = sub.Grants[0].ID
			msg := invalidFieldsOf(t, f.db.UpdateGrant(ctx, CLIActor(), parent))["parent_grant"]
			if msg != "A grant cannot sublicense under one of its own sublicences." {
				t.Errorf("parent_grant = %q", msg)
			}
		}},
		{"UnknownParentGrant", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			msg := invalidFieldsOf(t, f.db.CreateAgreement(ctx, CLIActor(), f.sublicenceAgreement(4242, f.xiaomi.ID)))["grants.0.parent_grant"]
			if msg != "There is no grant 4242." {
				t.Errorf("grants.0.parent_grant = %q", msg)
			}
		}},
		{"DeleteRemovesGrantOnly", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			if err := f.db.DeleteGrant(ctx, CLIActor(), a.Grants[1].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.Grant(ctx, a.Grants[1].ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted grant still read: %v", err)
			}
			full, _ := f.db.Agreement(ctx, a.ID)
			if len(full.Grants) != 3 {
				t.Errorf("%d grants left, want 3", len(full.Grants))
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			if e[0].Action != "grant.delete" || !strings.Contains(e[0].Details, "CN105123456A") {
				t.Errorf("audit %s %s", e[0].Action, e[0].Details)
			}
		}},
		{"FieldsOfUseOnceEachIgnoringCase", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			for _, field := range []string{"Smart home", "MOBILE DEVICES", "automotive"} {
				g := &licensing.Grant{LicensorID: f.xiaomi.ID, LicenseeID: f.nokia.ID, Exclusivity: licensing.NonExclusive,
					Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}, Fields: []string{field}}
				if err := f.db.AddGrant(ctx, CLIActor(), a.ID, g); err != nil {
					t.Fatal(err)
				}
			}
			got, err := f.db.FieldsOfUse(ctx)
			if err != nil || strings.Join(got, "|") != "automotive|mobile devices|Smart home" {
				t.Errorf("FieldsOfUse = %q, %v", got, err)
			}
		}},
		{"EachGrantFollowsTheFilter", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			other := f.sublicenceAgreement(0, f.xiaomi.ID)
			other.Grants[0].LicenseeID = f.nokia.ID
			other.Parties = append(other.Parties, licensing.Party{CompanyID: f.nokia.ID, Role: licensing.RoleLicensee})
			f.mustCreate(t, other)
			var all, cross []string
			collect := func(list *[]string) func(*GrantRow) error {
				return func(r *GrantRow) error {
					*list = append(*list, r.Agreement+"/"+r.Licensee+"/"+refNumbers(r.Scope.Patents))
					return nil
				}
			}
			if err := f.db.EachGrant(ctx, AgreementFilter{}, collect(&all)); err != nil {
				t.Fatal(err)
			}
			kind := licensing.KindCrossLicense
			if err := f.db.EachGrant(ctx, AgreementFilter{Kind: &kind}, collect(&cross)); err != nil {
				t.Fatal(err)
			}
			if len(all) != 5 || all[4] != "XIA-HMD-2018/Nokia Corporation/" || len(cross) != 4 ||
				cross[2] != "NOK-XIA-2017/Xiaomi Corporation/EP1234567B1,US9123456B2" {
				t.Errorf("all %q\ncross-licences %q", all, cross)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newAgreementFixture(t)
			tc.run(t, f, f.mustCreate(t, f.crossLicence()))
		})
	}
}

// sublicenceAgreement is a licence from licensor to HMD Global under the
// parent grant (none when 0).
func (f *agreementFixture) sublicenceAgreement(parent, licensor int64) *licensing.Agreement {
	return &licensing.Agreement{Reference: "XIA-HMD-2018", Title: "Sublicence", Kind: licensing.KindLicense, Status: licensing.AgreementActive,
		EffectiveOn: dd("2018-01-01"), ExpiresOn: dd("2020-12-31"),
		Parties: []licensing.Party{{CompanyID: licensor, Role: licensing.RoleLicensor}},
		Grants: []licensing.Grant{{LicensorID: licensor, LicenseeID: f.hmd.ID, ParentGrantID: parent, Exclusivity: licensing.NonExclusive,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}}}
}
