package sqlite

import (
	"context"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

var nativeFields = []string{"number", "office", "kind", "title", "family", "priority_on", "filed_on", "published_on",
	"granted_on", "expires_on", "status", "status_on", "owner", "tags", "standards", "sep", "designated_states", "cpc"}

func patentRow(line int, number, title, owner string) licensing.PatentImport {
	return licensing.PatentImport{Line: line, Owner: owner, Present: nativeFields,
		Patent: licensing.Patent{Number: number, Title: title, Status: licensing.StatusGranted,
			FiledOn: licensing.MustDate("2012-03-01"), GrantedOn: licensing.MustDate("2016-05-10")}}
}

func countPatents(t *testing.T, db *DB) int {
	t.Helper()
	n := 0
	if err := db.EachPatent(context.Background(), PatentFilter{}, func(*PatentRecord) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportPatents(t *testing.T) {
	ctx := context.Background()

	t.Run("DryRunReportsAndChangesNothing", func(t *testing.T) {
		db := openTestDB(t)
		rows := []licensing.PatentImport{patentRow(2, "EP 1 234 567 B1", "Handover", "Nokia Technologies Oy")}
		rep, err := db.ImportPatents(ctx, CLIActor(), rows, ImportOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applied || rep.Created != 1 || len(rep.NewCompanies) != 1 || rep.Rows[0].Key != "EP1234567B1" {
			t.Fatalf("report %+v", rep)
		}
		if n := countPatents(t, db); n != 0 {
			t.Errorf("a dry run stored %d patents", n)
		}
		if _, err := db.CompanyByName(ctx, "Nokia Technologies Oy"); err != ErrNotFound {
			t.Errorf("a dry run created the owner: %v", err)
		}
	})

	t.Run("OwnersMatchAliasesBeforeCreating", func(t *testing.T) {
		db := openTestDB(t)
		nokia := &licensing.Company{Name: "Nokia Technologies Oy", Aliases: []string{"NOKIA TECHNOLOGIES OY"}}
		if err := db.CreateCompany(ctx, CLIActor(), nokia); err != nil {
			t.Fatal(err)
		}
		rows := []licensing.PatentImport{
			patentRow(2, "US 9,123,456 B2", "Beam management", "nokia technologies oy"),
			patentRow(3, "WO 2017/123456 A1", "Sidelink", "Xiaomi Inc."),
		}
		rep, err := db.ImportPatents(ctx, CLIActor(), rows, ImportOptions{Source: "test.csv"})
		if err != nil || !rep.Applied {
			t.Fatalf("%v %+v", err, rep)
		}
		us, err := db.PatentByNumber(ctx, "US9123456B2")
		if err != nil || us.OriginalOwnerID != nokia.ID {
			t.Fatalf("owner by alias: %v %+v", err, us)
		}
		if len(rep.NewCompanies) != 1 || rep.NewCompanies[0] != "Xiaomi Inc." {
			t.Errorf("new companies %v", rep.NewCompanies)
		}
		audit, err := db.RecentAudit(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range audit {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "import.patents,patent.create,company.create,patent.create,company.create" {
			t.Errorf("audit trail %s: want one row per record and one for the import", got)
		}
	})

	t.Run("GoogleAssigneeSplitAtCommaIsRejoined", func(t *testing.T) {
		db := openTestDB(t)
		bd := &licensing.Company{Name: "Becton, Dickinson And Company"}
		if err := db.CreateCompany(ctx, CLIActor(), bd); err != nil {
			t.Fatal(err)
		}
		row := patentRow(3, "US-9254383-B2", "Syringe", "Becton")
		row.OwnerNames = []string{"Becton, Dickinson And Company"}
		rep, err := db.ImportPatents(ctx, CLIActor(), []licensing.PatentImport{row}, ImportOptions{})
		if err != nil || len(rep.NewCompanies) != 0 {
			t.Fatalf("%v, created %v", err, rep.NewCompanies)
		}
	})

	t.Run("OneBadRowStopsTheWholeImport", func(t *testing.T) {
		db := openTestDB(t)
		bad := patentRow(4, "EP 1 234 568 B1", "", "Nokia Oyj")
		bad.Columns = map[string]string{"title": "title"}
		rows := []licensing.PatentImport{patentRow(2, "EP 1 234 567 B1", "Handover", "Nokia Oyj"),
			patentRow(3, "not a number", "Paging", "Nokia Oyj"), bad,
			patentRow(5, "EP1234567B1", "Handover again", "Nokia Oyj")}
		rep, err := db.ImportPatents(ctx, CLIActor(), rows, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applied {
			t.Fatal("an import with rejected rows was applied")
		}
		want := map[int]string{3: "number", 4: "title", 5: "number"}
		if len(rep.Rejected) != len(want) {
			t.Fatalf("rejected %+v", rep.Rejected)
		}
		for _, r := range rep.Rejected {
			if want[r.Line] != r.Column || r.Reason == "" {
				t.Errorf("rejection %+v, want column %q", r, want[r.Line])
			}
		}
		if !strings.Contains(rep.Rejected[2].Reason, "line 2") {
			t.Errorf("a duplicate should name the first line: %s", rep.Rejected[2].Reason)
		}
		if n := countPatents(t, db); n != 0 {
			t.Errorf("%d patents stored by a refused import", n)
		}
	})

	t.Run("ReimportIsUnchangedAndKeepsComputedExpiry", func(t *testing.T) {
		db := openTestDB(t)
		row := patentRow(2, "EP 1 234 567 B1", "Handover", "Nokia Oyj")
		if _, err := db.ImportPatents(ctx, CLIActor(), []licensing.PatentImport{row}, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		again := row
		again.Patent.Number = "EP1234567B1"
		again.Patent.ExpiresOn = licensing.MustDate("2032-03-01") // the computed expiry, as exports write it
		rep, err := db.ImportPatents(ctx, CLIActor(), []licensing.PatentImport{again}, ImportOptions{})
		if err != nil || rep.Unchanged != 1 || rep.Updated != 0 {
			t.Fatalf("%v %+v", err, rep)
		}
		p, _ := db.PatentByNumber(ctx, "EP1234567B1")
		if _, overridden := p.Expiry(); overridden || !p.ExpiresOn.IsZero() {
			t.Errorf("re-import turned the computed expiry into an override: %v", p.ExpiresOn)
		}
	})

	t.Run("GoogleUpdateKeepsWhatTheFileLacks", func(t *testing.T) {
		db := openTestDB(t)
		row := patentRow(2, "US9254383B2", "Old title", "Nokia Oyj")
		row.Patent.Tags, row.Patent.Standards, row.Patent.SEP = []string{"5g"}, []string{"3GPP NR"}, true
		if _, err := db.ImportPatents(ctx, CLIActor(), []licensing.PatentImport{row}, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		google := licensing.PatentImport{Line: 3, Owner: "Xiaomi Inc.", OwnerIsAssignee: true,
			Present: []string{"number", "office", "kind", "title", "owner", "priority_on", "filed_on", "published_on", "granted_on"},
			Columns: map[string]string{"owner": "assignee"},
			Patent:  licensing.Patent{Number: "US-9254383-B2", Title: "New title", FiledOn: licensing.MustDate("2012-03-01")}}
		rep, err := db.ImportPatents(ctx, CLIActor(), []licensing.PatentImport{google}, ImportOptions{})
		if err != nil || rep.Updated != 1 {
			t.Fatalf("%v %+v", err, rep)
		}
		p, _ := db.PatentByNumber(ctx, "US9254383B2")
		if p.Title != "New title" || !p.SEP || len(p.Tags) != 1 || p.Status != licensing.StatusGranted || p.OriginalOwner != "Nokia Oyj" {
			t.Errorf("after a Google update: %+v", p)
		}
		if len(rep.Warnings) != 1 || rep.Warnings[0].Column != "assignee" {
			t.Errorf("a different assignee should warn, not change the owner: %+v", rep.Warnings)
		}
	})
}

func TestImportCompanies(t *testing.T) {
	ctx := context.Background()

	t.Run("ParentsInAnyOrder", func(t *testing.T) {
		db := openTestDB(t)
		rows := []licensing.CompanyImport{
			{Line: 2, Company: licensing.Company{Name: "Nokia Technologies Oy", ControlFrom: licensing.MustDate("2014-01-01")}, Parent: "Nokia Corporation"},
			{Line: 3, Company: licensing.Company{Name: "Nokia Corporation", Country: "FI", Aliases: []string{"NOKIA CORP"}}},
		}
		rep, err := db.ImportCompanies(ctx, CLIActor(), rows, ImportOptions{})
		if err != nil || !rep.Applied || rep.Created != 2 {
			t.Fatalf("%v %+v", err, rep)
		}
		child, err := db.CompanyByName(ctx, "Nokia Technologies Oy")
		if err != nil {
			t.Fatal(err)
		}
		parent, _ := db.CompanyByName(ctx, "NOKIA CORP")
		if child.ParentID != parent.ID || child.ControlFrom != licensing.MustDate("2014-01-01") {
			t.Errorf("child %+v, parent %d", child, parent.ID)
		}
		rep, err = db.ImportCompanies(ctx, CLIActor(), rows, ImportOptions{})
		if err != nil || rep.Unchanged != 2 {
			t.Errorf("re-import: %v %+v", err, rep)
		}
	})

	t.Run("LoopsUnknownParentsAndAliasesAreRejected", func(t *testing.T) {
		db := openTestDB(t)
		if err := db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Xiaomi Corporation", Aliases: []string{"XIAOMI INC"}}); err != nil {
			t.Fatal(err)
		}
		rows := []licensing.CompanyImport{
			{Line: 2, Company: licensing.Company{Name: "A Oy"}, Parent: "B Oy"},
			{Line: 3, Company: licensing.Company{Name: "B Oy"}, Parent: "A Oy"},
			{Line: 4, Company: licensing.Company{Name: "C Oy"}, Parent: "Nowhere Ltd"},
			{Line: 5, Company: licensing.Company{Name: "Xiaomi Inc"}},
			{Line: 6, Company: licensing.Company{Name: "Fine GmbH", Country: "DE"}},
		}
		rep, err := db.ImportCompanies(ctx, CLIActor(), rows, ImportOptions{})
		if err != nil || rep.Applied {
			t.Fatalf("%v applied=%v", err, rep.Applied)
		}
		lines := map[int]string{}
		for _, r := range rep.Rejected {
			lines[r.Line] += r.Reason + ";"
		}
		if !strings.Contains(lines[2]+lines[3], "loop") || !strings.Contains(lines[4], "neither in the file nor recorded") ||
			!strings.Contains(lines[5], "alias of Xiaomi Corporation") || lines[6] != "" {
			t.Errorf("rejections %v", lines)
		}
		if _, err := db.CompanyByName(ctx, "Fine GmbH"); err != ErrNotFound {
			t.Errorf("a refused import stored a good row: %v", err)
		}
	})
}
