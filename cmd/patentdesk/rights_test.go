package main

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// rightsData builds a data directory with the Nokia group, Xiaomi, two
// patents and the Nokia–Xiaomi cross-licence of 2017 (Nokia's LTE
// portfolio and its affiliates', for mobile devices), and returns it with
// the cross-licence's grant id.
func rightsData(t *testing.T) (dir string, grant int64) {
	t.Helper()
	dir = t.TempDir()
	openDB(t, dir).Close() // creates the database the imports need
	mustRun(t, "", "import", "companies", writeFile(t, t.TempDir(), "companies.csv", companiesCSV+"Xiaomi Corporation,Xiaomi,CN,,,,Xiaomi Inc.\n"), "--data", dir)
	mustRun(t, "", "import", "patents", writeFile(t, t.TempDir(), "patents.csv", patentsCSV), "--data", dir)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := func(name string) int64 {
		c, err := db.CompanyByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	nokia, xiaomi := id("Nokia Corporation"), id("Xiaomi Corporation")
	d := licensing.MustDate
	cross := &licensing.Agreement{Reference: "NOK-XIA-2017", Title: "Patent cross-licence", Kind: licensing.KindCrossLicense,
		Status: licensing.AgreementActive, SignedOn: d("2017-07-05"), EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04"),
		Parties: []licensing.Party{{CompanyID: nokia, Role: licensing.RoleParty}, {CompanyID: xiaomi, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{{LicensorID: nokia, LicenseeID: xiaomi, LicensorAffiliates: true, LicenseeAffiliates: true,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2017-07-05"),
				Standards: []string{"3GPP LTE"}},
			Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive}}}
	if err := db.CreateAgreement(ctx, sqlite.CLIActor(), cross); err != nil {
		t.Fatal(err)
	}
	return dir, cross.Grants[0].ID
}

// TestRightsCheckCommand prints the verdict in the shape of CONTRACT.md.
func TestRightsCheckCommand(t *testing.T) {
	hermetic(t)
	dir, grant := rightsData(t)
	check := func(t *testing.T, args ...string) map[string]any {
		t.Helper()
		out := mustRun(t, "", append([]string{"rights", "check", "--data", dir}, args...)...)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		if !strings.HasPrefix(out, "{\n  \"verdict\"") {
			t.Errorf("not indented JSON starting with the verdict:\n%s", out)
		}
		return v
	}
	// The keys CONTRACT.md names, and the additions it allows.
	contract := []string{"bases", "company", "near_misses", "on", "patent", "pending", "reasons", "territory", "verdict"}
	basisKeys := []string{"agreement", "grant", "kind", "licensee", "licensor", "reason", "until"}
	basisExtras := []string{"activities", "fields", "holder", "hypothetical", "through"}
	nearMissKeys := []string{"agreement", "failed", "grant", "reason"}

	t.Run("Covered", func(t *testing.T) {
		v := check(t, "--company", "Xiaomi Corporation", "--patent", "EP 1 234 567 B1", "--on", "2020-03-01", "--territory", "de",
			"--activity", "sell", "--field", "mobile devices")
		for _, k := range contract {
			if _, ok := v[k]; !ok {
				t.Errorf("key %q missing from %v", k, slices.Sorted(maps.Keys(v)))
			}
		}
		want := map[string]any{"verdict": "covered", "pending": false, "company": "Xiaomi Corporation", "patent": "EP1234567B1",
			"on": "2020-03-01", "territory": "DE", "activity": "sell", "field": "mobile devices"}
		for k, w := range want {
			if v[k] != w {
				t.Errorf("%s = %#v, want %#v", k, v[k], w)
			}
		}
		bases, _ := v["bases"].([]any)
		if len(bases) != 1 {
			t.Fatalf("bases %v, want one", v["bases"])
		}
		b := bases[0].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(b)) {
			if !slices.Contains(basisKeys, k) && !slices.Contains(basisExtras, k) {
				t.Errorf("basis key %q is neither in the contract nor an allowed addition", k)
			}
		}
		wantBasis := map[string]any{"kind": "license", "agreement": "NOK-XIA-2017", "grant": float64(grant),
			"licensor": "Nokia Corporation", "licensee": "Xiaomi Corporation", "until": "2024-07-04", "holder": "Nokia Technologies Oy"}
		for k, w := range wantBasis {
			if b[k] != w {
				t.Errorf("basis %s = %#v, want %#v", k, b[k], w)
			}
		}
		if reason, _ := b["reason"].(string); !strings.Contains(reason, "NOK-XIA-2017") {
			t.Errorf("basis reason %q does not name the agreement", reason)
		}
		if nm, ok := v["near_misses"].([]any); !ok || len(nm) != 0 {
			t.Errorf("near_misses = %#v, want []", v["near_misses"])
		}
		reasons, _ := v["reasons"].([]any)
		if len(reasons) < 2 {
			t.Fatalf("reasons %v", v["reasons"])
		}
		if r := reasons[0].(string); r != "Xiaomi Corporation may practise EP1234567B1 in DE on 2020-03-01." {
			t.Errorf("first reason %q", r)
		}
	})
	t.Run("NearMiss", func(t *testing.T) {
		v := check(t, "--company", "Xiaomi Corporation", "--patent", "EP1234567", "--on", "2020-03-01", "--territory", "FR",
			"--field", "smart home")
		if v["verdict"] != "not_covered" {
			t.Errorf("verdict %v", v["verdict"])
		}
		if b, ok := v["bases"].([]any); !ok || len(b) != 0 {
			t.Errorf("bases = %#v, want []", v["bases"])
		}
		nm, _ := v["near_misses"].([]any)
		if len(nm) != 1 {
			t.Fatalf("near_misses %v, want one", v["near_misses"])
		}
		n := nm[0].(map[string]any)
		if got := slices.Sorted(maps.Keys(n)); !slices.Equal(got, nearMissKeys) {
			t.Errorf("near miss keys %v, want %v", got, nearMissKeys)
		}
		if n["agreement"] != "NOK-XIA-2017" || n["grant"] != float64(grant) || n["failed"] != "field" {
			t.Errorf("near miss %v", n)
		}
		if r, _ := n["reason"].(string); !strings.Contains(r, "'mobile devices'") {
			t.Errorf("near miss reason %q does not name the grant's field", r)
		}
	})
	t.Run("DefaultsToTodayInThePatentsCountry", func(t *testing.T) {
		before := licensing.DateOf(time.Now()).String()
		v := check(t, "--company", "Nokia Corporation", "--patent", "US-9123456-B2")
		after := licensing.DateOf(time.Now()).String()
		if v["on"] != before && v["on"] != after {
			t.Errorf("on = %v, want today", v["on"])
		}
		if v["territory"] != "US" {
			t.Errorf("territory = %v, want the patent's country", v["territory"])
		}
	})
	t.Run("WhatIf", func(t *testing.T) {
		v := check(t, "--company", "Xiaomi Corporation", "--patent", "EP1234567B1", "--territory", "DE", "--on", "2020-03-01", "--what-if")
		if v["what_if"] != true {
			t.Errorf("what_if = %v", v["what_if"])
		}
	})
}

// TestRightsCheckCommandRefuses names every flag at fault on one line, and
// prints nothing on stdout.
func TestRightsCheckCommandRefuses(t *testing.T) {
	hermetic(t)
	dir, _ := rightsData(t)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"UnknownCompanyAndNoPatent", []string{"--company", "Nokla"}, []string{"--company", "No company", "--patent", "Name the patent"}},
		{"EuropeanPatentWithoutCountry", []string{"--company", "Xiaomi Corporation", "--patent", "EP1234567B1"}, []string{"--territory", "name the country"}},
		{"ImpossibleDate", []string{"--company", "Xiaomi Corporation", "--patent", "US9123456B2", "--on", "2021-02-30"}, []string{"--on", "28 days"}},
		{"UnknownActivity", []string{"--company", "Xiaomi Corporation", "--patent", "US9123456B2", "--activity", "lease"}, []string{"--activity"}},
		{"Positional", []string{"--company", "Xiaomi Corporation", "US9123456B2"}, []string{"flags only"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runCmd(t, "", append([]string{"rights", "check", "--data", dir}, tc.args...)...)
			if err == nil {
				t.Fatalf("accepted; printed %s", out)
			}
			if out != "" {
				t.Errorf("printed %q on stdout", out)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("message spans lines: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not say %q", msg, w)
				}
			}
		})
	}
	t.Run("NoSubcommand", func(t *testing.T) {
		if _, _, err := runCmd(t, "", "rights"); err == nil || !strings.Contains(err.Error(), "rights check --company") {
			t.Errorf("rights alone: %v", err)
		}
	})
	t.Run("NoDatabase", func(t *testing.T) {
		_, _, err := runCmd(t, "", "rights", "check", "--data", t.TempDir(), "--company", "Nokia Corporation", "--patent", "EP1234567B1")
		if err == nil || !strings.Contains(err.Error(), "no PatentDesk database") {
			t.Errorf("empty data directory: %v", err)
		}
	})
}
