package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

const companiesCSV = `name,short_name,country,parent,control_from,control_to,aliases
Nokia Technologies Oy,,FI,Nokia Corporation,2014-01-01,,NOKIA TECHNOLOGIES OY
Nokia Corporation,Nokia,FI,,,,NOKIA CORP|Nokia Oyj
`

const patentsCSV = `number,office,kind,title,family,priority_on,filed_on,published_on,granted_on,expires_on,status,status_on,owner,original_owner,tags,standards,sep,designated_states,cpc
EP 1 234 567 B1,,,Handover in LTE,FAM-1,2011-02-01,2012-01-15,2012-08-01,2016-05-10,,granted,,,NOKIA TECHNOLOGIES OY,cellular|5g,3GPP LTE,yes,DE|FR,H04W36/00
"US 9,123,456 B2",,,Paging,FAM-1,2011-02-01,2012-01-20,,2015-09-01,2032-06-30,granted,,,Xiaomi Inc.,,,,,
`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportAndExport(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	addUser(t, dir, "admin@example.com", "admin", "correct horse battery staple")
	companies := writeFile(t, t.TempDir(), "companies.csv", companiesCSV)
	patents := writeFile(t, t.TempDir(), "patents.csv", patentsCSV)

	out := mustRun(t, "", "import", "companies", companies, "--dry-run", "--data", dir)
	if !strings.Contains(out, "dry run, nothing changed): 2 to create") {
		t.Errorf("dry run printed %q", out)
	}
	if out := mustRun(t, "", "export", "companies", "--data", dir); strings.Count(out, "\n") != 1 {
		t.Fatalf("a dry run stored companies:\n%s", out)
	}
	mustRun(t, "", "import", "companies", companies, "--data", dir)
	out = mustRun(t, "", "import", "patents", "--format", "native", patents, "--data", dir)
	if !strings.Contains(out, "2 to create") || !strings.Contains(out, "new company: Xiaomi Inc.") {
		t.Errorf("import printed %q", out)
	}

	db := openDB(t, dir)
	ep, err := db.PatentByNumber(context.Background(), "EP1234567")
	if err != nil {
		t.Fatal(err)
	}
	if ep.OriginalOwner != "Nokia Technologies Oy" || !ep.SEP || strings.Join(ep.DesignatedStates, ",") != "DE,FR" {
		t.Errorf("imported %+v", ep)
	}
	db.Close()

	exported := mustRun(t, "", "export", "patents", "--data", dir)
	lines := strings.Split(strings.TrimSpace(exported), "\r\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "EP1234567B1,EP,B1,Handover in LTE,FAM-1,2011-02-01,2012-01-15,2012-08-01,2016-05-10,2032-01-15,granted") {
		t.Fatalf("export:\n%s", exported)
	}
	// The export re-imports unchanged.
	again := writeFile(t, t.TempDir(), "again.csv", exported)
	if out := mustRun(t, "", "import", "patents", again, "--data", dir); !strings.Contains(out, "0 to create, 0 to update, 2 unchanged") {
		t.Errorf("re-import printed %q", out)
	}
	semi := mustRun(t, "", "export", "companies", "--semicolon", "--bom", "--data", dir)
	if !strings.HasPrefix(semi, "\ufeffname;short_name;country;parent") || !strings.Contains(semi, "Nokia Technologies Oy;;FI;Nokia Corporation;2014-01-01;;NOKIA TECHNOLOGIES OY") {
		t.Errorf("German export:\n%s", semi)
	}
	audit := mustRun(t, "", "export", "audit", "--data", dir)
	if !strings.Contains(audit, "import.patents") || !strings.Contains(audit, "patent.create") {
		t.Errorf("audit export lacks the import:\n%s", audit)
	}
}

func TestImportRejectsAndChangesNothing(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	addUser(t, dir, "admin@example.com", "admin", "correct horse battery staple")
	bad := writeFile(t, t.TempDir(), "bad.csv", strings.Replace(patentsCSV, "2012-01-20", "20.01.2012x", 1))
	out, _, err := runCmd(t, "", "import", "patents", bad, "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "1 row(s) rejected; nothing was imported") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out, "rejected: line 3, column filed_on:") {
		t.Errorf("the report does not name line and column:\n%s", out)
	}
	db := openDB(t, dir)
	if list, _, _ := db.Patents(context.Background(), sqlite.PatentFilter{}); len(list) != 0 {
		t.Errorf("%d patents stored by a refused import", len(list))
	}
	if _, _, err := runCmd(t, "", "import", "patents", filepath.Join(t.TempDir(), "missing.csv"), "--data", dir); err == nil ||
		!strings.Contains(err.Error(), "cannot open the file") {
		t.Errorf("missing file: %v", err)
	}
	notCSV := writeFile(t, t.TempDir(), "x.csv", "\x89PNG\r\n\x1a\n")
	if _, _, err := runCmd(t, "", "import", "patents", notCSV, "--data", dir); err == nil {
		t.Error("a PNG was accepted")
	}
}

// TestExportAgreements exports a patent sale with its licence back, its
// assignment and its royalty, each in its own CSV, names and references in
// place of ids, and the patent's owner today following the sale.
func TestExportAgreements(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	addUser(t, dir, "admin@example.com", "admin", "correct horse battery staple")
	mustRun(t, "", "import", "companies", writeFile(t, t.TempDir(), "companies.csv", companiesCSV+"Xiaomi Corporation,Xiaomi,CN,,,,Xiaomi Inc.\n"), "--data", dir)
	mustRun(t, "", "import", "patents", writeFile(t, t.TempDir(), "patents.csv", patentsCSV), "--data", dir)

	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	id := func(name string) int64 {
		c, err := db.CompanyByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	nokiaTech, xiaomi := id("Nokia Technologies Oy"), id("Xiaomi Corporation")
	sale := &licensing.Agreement{Reference: "NOK-XIA-SALE", Title: "Patent purchase", Kind: licensing.KindAssignment,
		Status: licensing.AgreementActive, EffectiveOn: licensing.MustDate("2017-07-05"),
		Parties: []licensing.Party{{CompanyID: nokiaTech, Role: licensing.RoleAssignor}, {CompanyID: xiaomi, Role: licensing.RoleAssignee}},
		Grants: []licensing.Grant{{LicensorID: xiaomi, LicenseeID: nokiaTech, Exclusivity: licensing.NonExclusive,
			Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP 1 234 567 B1"}}}}},
		Assignments: []licensing.Assignment{{AssignorID: nokiaTech, AssigneeID: xiaomi, EffectiveOn: licensing.MustDate("2017-07-05"),
			OfficeRef: "=cmd|' /C calc'!A0", Patents: []licensing.PatentRef{{Number: "EP1234567B1"}}}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Purchase price", DueOn: licensing.MustDate("2017-08-01"),
			Amount: licensing.MustAmount("12500000.00"), Currency: "EUR", PayerID: xiaomi, PayeeID: nokiaTech, Status: licensing.ObligationDone}},
	}
	if err := db.CreateAgreement(ctx, sqlite.CLIActor(), sale); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tc := range []struct{ what, header, row string }{
		{"agreements", "reference,title,kind,status,", "NOK-XIA-SALE,Patent purchase,assignment,active,,2017-07-05,"},
		{"grants", "agreement,grant,licensor,licensee,", ",Xiaomi Corporation,Nokia Technologies Oy,"},
		{"assignments", "agreement,assignor,assignee,effective_on,recorded_on,office_ref,patents", "NOK-XIA-SALE,Nokia Technologies Oy,Xiaomi Corporation,2017-07-05,,'=cmd|' /C calc'!A0,EP1234567B1"},
		{"obligations", "agreement,kind,title,due_on,", "NOK-XIA-SALE,payment,Purchase price,2017-08-01,,,12500000.00,EUR,Xiaomi Corporation,Nokia Technologies Oy,done"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			lines := strings.Split(strings.TrimSpace(mustRun(t, "", "export", tc.what, "--data", dir)), "\r\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], tc.header) || !strings.Contains(lines[1], tc.row) {
				t.Errorf("export %s:\n%s\nwant header %q and a row with %q", tc.what, strings.Join(lines, "\n"), tc.header, tc.row)
			}
		})
	}
	patents := mustRun(t, "", "export", "patents", "--data", dir)
	if !strings.Contains(patents, "EP1234567B1,EP,B1,Handover in LTE,") || !strings.Contains(patents, ",Xiaomi Corporation,Nokia Technologies Oy,") {
		t.Errorf("the sold patent's owner today is not the buyer:\n%s", patents)
	}
}
