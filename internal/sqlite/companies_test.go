package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

func mustCreateCompany(t *testing.T, db *DB, c *licensing.Company) *licensing.Company {
	t.Helper()
	if err := db.CreateCompany(context.Background(), CLIActor(), c); err != nil {
		t.Fatalf("create %s: %v", c.Name, err)
	}
	return c
}

func wantCode(t *testing.T, err error, code licensing.Code, field string) {
	t.Helper()
	var de *licensing.Error
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if field != "" && de.Fields[field] == "" {
		t.Errorf("no message for field %s in %v", field, de.Fields)
	}
}

func TestCompanies(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	nokia := mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia", Country: "FI", Aliases: []string{"NOKIA OYJ"}})
	tech := mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Technologies Oy", Country: "FI", ParentID: nokia.ID,
		ControlFrom: licensing.MustDate("2014-01-01"), Aliases: []string{"NOKIA TECHNOLOGIES OY"}})

	t.Run("ReadBackFieldByField", func(t *testing.T) {
		got, err := db.Company(ctx, tech.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != tech.Name || got.ParentID != nokia.ID || got.ControlFrom.String() != "2014-01-01" || !got.ControlTo.IsZero() ||
			got.Country != "FI" || strings.Join(got.Aliases, "|") != "NOKIA TECHNOLOGIES OY" {
			t.Errorf("read back %+v", got)
		}
	})
	t.Run("FoundByNameOrAliasIgnoringCase", func(t *testing.T) {
		for _, name := range []string{"nokia corporation", "Nokia Oyj", " NOKIA TECHNOLOGIES OY "} {
			if _, err := db.CompanyByName(ctx, name); err != nil {
				t.Errorf("%q: %v", name, err)
			}
		}
		if _, err := db.CompanyByName(ctx, "Xiaomi"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown name: %v", err)
		}
	})
	t.Run("DuplicateNameIsAConflictOnTheNameField", func(t *testing.T) {
		wantCode(t, db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "NOKIA CORPORATION"}), licensing.Conflict, "name")
	})
	t.Run("AliasOfAnotherCompanyRefused", func(t *testing.T) {
		wantCode(t, db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Other", Aliases: []string{"nokia oyj"}}), licensing.Conflict, "aliases")
		wantCode(t, db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Other", Aliases: []string{"Nokia Corporation"}}), licensing.Conflict, "aliases")
	})
	t.Run("LoopInTheTreeRefused", func(t *testing.T) {
		loop := *nokia
		loop.ParentID = tech.ID
		wantCode(t, db.UpdateCompany(ctx, CLIActor(), &loop), licensing.Invalid, "parent")
	})
	t.Run("UnknownParentRefused", func(t *testing.T) {
		wantCode(t, db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Orphan", ParentID: 9999}), licensing.Invalid, "parent")
	})
	t.Run("DeleteRefusedWhileReferenced", func(t *testing.T) {
		err := db.DeleteCompany(ctx, CLIActor(), nokia.ID)
		wantCode(t, err, licensing.Conflict, "")
		if !strings.Contains(err.Error(), "1 subsidiary") {
			t.Errorf("refusal does not say why: %v", err)
		}
	})
	t.Run("UpdateAuditsBeforeAndAfter", func(t *testing.T) {
		changed := *tech
		changed.ControlTo = licensing.MustDate("2020-12-31")
		if err := db.UpdateCompany(ctx, CLIActor(), &changed); err != nil {
			t.Fatal(err)
		}
		entries, _ := db.RecentAudit(ctx, 1)
		var d struct{ Before, After map[string]string }
		if err := json.Unmarshal([]byte(entries[0].Details), &d); err != nil {
			t.Fatal(err)
		}
		if entries[0].Action != "company.update" || d.Before["control_to"] != "" || d.After["control_to"] != "2020-12-31" || len(d.After) != 1 {
			t.Errorf("audit %s %s", entries[0].Action, entries[0].Details)
		}
	})
	t.Run("DeleteLeafAudited", func(t *testing.T) {
		if err := db.DeleteCompany(ctx, CLIActor(), tech.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Company(ctx, tech.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("still there: %v", err)
		}
		if _, err := db.CompanyByName(ctx, "NOKIA TECHNOLOGIES OY"); !errors.Is(err, ErrNotFound) {
			t.Errorf("alias outlived its company: %v", err)
		}
		entries, _ := db.RecentAudit(ctx, 1)
		if entries[0].Action != "company.delete" || !strings.Contains(entries[0].Details, "Nokia Technologies Oy") {
			t.Errorf("audit %s %s", entries[0].Action, entries[0].Details)
		}
	})
}

func TestCompaniesPaging(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for _, n := range []string{"Delta AG", "Alpha Oy", "Charlie Ltd", "Bravo Inc", "Echo GmbH"} {
		mustCreateCompany(t, db, &licensing.Company{Name: n})
	}
	var seen []string
	var after *string
	for {
		page, next, err := db.Companies(ctx, CompanyFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			seen = append(seen, c.Name)
		}
		if next == "" {
			break
		}
		// A company inserted before the cursor must not shift the pages.
		mustCreateCompany(t, db, &licensing.Company{Name: "Aaa " + next})
		after = &next
	}
	if got := strings.Join(seen, ","); got != "Alpha Oy,Bravo Inc,Charlie Ltd,Delta AG,Echo GmbH" {
		t.Errorf("pages gave %s", got)
	}
	q := "ALPHA"
	page, _, _ := db.Companies(ctx, CompanyFilter{Query: &q})
	if len(page) != 1 || page[0].Name != "Alpha Oy" {
		t.Errorf("search found %v", page)
	}
	pct := "%"
	if page, _, _ := db.Companies(ctx, CompanyFilter{Query: &pct}); len(page) != 0 {
		t.Errorf("%% is a wildcard in search: %d results", len(page))
	}
}
