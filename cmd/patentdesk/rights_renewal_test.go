package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"patentdesk/internal/sqlite"
)

// TestRightsCheckRenewingAgreement prints, for a licence under an
// agreement that renews itself, the term its until rests on: the
// cross-licence made to renew every 24 months, notice 90 days before.
func TestRightsCheckRenewingAgreement(t *testing.T) {
	hermetic(t)
	dir, _ := rightsData(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.AgreementByReference(ctx, "NOK-XIA-2017")
	if err != nil {
		t.Fatal(err)
	}
	a.RenewalMonths, a.NoticeDays = 24, 90
	if err := db.UpdateAgreement(ctx, sqlite.CLIActor(), a); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := mustRun(t, "", "rights", "check", "--data", dir, "--company", "Xiaomi Corporation", "--patent", "EP1234567B1",
		"--on", "2025-01-01", "--territory", "DE")
	var v struct {
		Bases []map[string]any `json:"bases"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(v.Bases) != 1 {
		t.Fatalf("bases %v, want the cross-licence", v.Bases)
	}
	b := v.Bases[0]
	// The first term ended 2024-07-04; the second runs to 2026-07-04.
	for k, want := range map[string]any{"until": "2032-01-15", "term_ends_on": "2026-07-04", "renews_every_months": 24.0, "notice_by": "2026-04-05"} {
		if b[k] != want {
			t.Errorf("basis %s = %#v, want %#v", k, b[k], want)
		}
	}
	if r, _ := b["reason"].(string); !strings.Contains(r, "until 2032-01-15 if the agreement keeps renewing; the agreement's current term ends 2026-07-04") {
		t.Errorf("reason %q leaves out the renewal", r)
	}
}
