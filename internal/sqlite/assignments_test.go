package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// addTestAssignment records a seller, a buyer, a patent and a signed
// agreement, then adds to it, as actor, an assignment of the patent.
func addTestAssignment(db *DB, actor Actor) (*licensing.Assignment, error) {
	ctx := context.Background()
	seller, buyer := &licensing.Company{Name: "Audit Seller Oy"}, &licensing.Company{Name: "Audit Buyer Ltd"}
	for _, c := range []*licensing.Company{seller, buyer} {
		if err := db.CreateCompany(ctx, CLIActor(), c); err != nil {
			return nil, err
		}
	}
	p := &licensing.Patent{Number: "EP 2 000 001 B1", Title: "Audited antenna", Status: licensing.StatusGranted, OriginalOwnerID: seller.ID}
	if err := db.CreatePatent(ctx, CLIActor(), p); err != nil {
		return nil, err
	}
	a := &licensing.Agreement{Reference: "AUDIT-2019", Title: "Audited sale", Kind: licensing.KindAssignment,
		Status: licensing.AgreementActive, EffectiveOn: day("2019-01-01"),
		Parties: []licensing.Party{{CompanyID: seller.ID, Role: licensing.RoleAssignor}, {CompanyID: buyer.ID, Role: licensing.RoleAssignee}}}
	if err := db.CreateAgreement(ctx, CLIActor(), a); err != nil {
		return nil, err
	}
	as := &licensing.Assignment{AssignorID: seller.ID, AssigneeID: buyer.ID, EffectiveOn: day("2019-01-01"),
		Patents: []licensing.PatentRef{{Number: "EP2000001B1"}}}
	return as, db.AddAssignment(ctx, actor, a.ID, as)
}

func TestAssignmentValidation(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.patent(t, &licensing.Patent{Number: "EP 1 234 567 A1", Title: "Handover (application)", Status: licensing.StatusPending,
		OriginalOwnerID: f.tech.ID})
	a := f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05", nil)
	refs := func(numbers ...string) []licensing.PatentRef {
		out := make([]licensing.PatentRef, len(numbers))
		for i, n := range numbers {
			out[i] = licensing.PatentRef{Number: n}
		}
		return out
	}
	for _, c := range []struct {
		name           string
		as             licensing.Assignment
		field, message string
	}{
		{"UnknownNumberByLine", licensing.Assignment{AssignorID: f.nokia.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: day("2017-07-05"),
			Patents: refs("US 9,123,456 B2", "", "EP 9 999 999 B1")}, "patents", "Line 3: no patent EP9999999B1."},
		{"AmbiguousNumberWithoutKind", licensing.Assignment{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: day("2017-07-05"),
			Patents: refs("EP1234567")}, "patents", "Line 1: EP1234567 matches several patents: EP1234567A1, EP1234567B1; add the kind code."},
		{"UnknownPatentID", licensing.Assignment{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: day("2017-07-05"),
			Patents: []licensing.PatentRef{{ID: 9999}}}, "patents", "Line 1: no patent with id 9999."},
		{"OnlyBlankLines", licensing.Assignment{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: day("2017-07-05"),
			Patents: refs(" ")}, "patents", "An assignment transfers at least one patent."},
		{"SameCompanyBothSides", licensing.Assignment{AssignorID: f.nokia.ID, AssigneeID: f.nokia.ID, EffectiveOn: day("2017-07-05"),
			Patents: refs("US9123456B2")}, "assignee", "The assignee must be another company than the assignor."},
		{"UnknownCompany", licensing.Assignment{AssignorID: 9999, AssigneeID: f.xiaomi.ID, EffectiveOn: day("2017-07-05"),
			Patents: refs("US9123456B2")}, "assignor", "no such company"},
		{"NoEffectiveDate", licensing.Assignment{AssignorID: f.nokia.ID, AssigneeID: f.xiaomi.ID, Patents: refs("US9123456B2")},
			"effective_on", "The effective (execution) date is required: title passes on it."},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := c.as
			err := f.db.AddAssignment(ctx, CLIActor(), a.ID, &as)
			wantCode(t, err, licensing.Invalid, c.field)
			var de *licensing.Error
			if errors.As(err, &de) && de.Fields[c.field] != c.message {
				t.Errorf("%s: %q, want %q", c.field, de.Fields[c.field], c.message)
			}
		})
	}
	t.Run("NestedInANewAgreement", func(t *testing.T) {
		bad := transfer(f.nokia, f.xiaomi, "2017-07-05", f.nr)
		bad.Patents = append(bad.Patents, licensing.PatentRef{Number: "EP9999999B1"})
		err := f.db.CreateAgreement(ctx, CLIActor(), &licensing.Agreement{Reference: "BAD-1", Title: "Bad", Kind: licensing.KindAssignment,
			Status: licensing.AgreementDraft, Assignments: []licensing.Assignment{bad}})
		var de *licensing.Error
		if !errors.As(err, &de) || de.Fields["assignments.0.patents"] != "Line 2: no patent EP9999999B1." {
			t.Errorf("error %v, want the unknown number under assignments.0.patents", err)
		}
	})
	if err := f.db.AddAssignment(ctx, CLIActor(), 9999, &licensing.Assignment{}); licensing.ErrorCode(err) != licensing.NotFound {
		t.Errorf("an assignment in no agreement: %v", err)
	}
	if _, err := f.db.Assignment(ctx, 9999); licensing.ErrorCode(err) != licensing.NotFound {
		t.Errorf("no assignment 9999: %v", err)
	}
}

func TestAssignmentLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	a := f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05", nil)
	as := transfer(f.nokia, f.xiaomi, "2017-07-05", f.nr)
	as.Patents = append(as.Patents, licensing.PatentRef{Number: "US-9123456-B2"}) // the same patent in Google's notation
	as.OfficeRef = " 043210/0001 "

	t.Run("AddMovesTitle", func(t *testing.T) {
		if err := f.db.AddAssignment(ctx, CLIActor(), a.ID, &as); err != nil {
			t.Fatal(err)
		}
		got, err := f.db.Assignment(ctx, as.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Assignor != "Nokia Corporation" || got.Assignee != "Xiaomi Corporation" || got.OfficeRef != "043210/0001" ||
			len(got.Patents) != 1 || got.Patents[0].Number != "US9123456B2" || got.AgreementID != a.ID {
			t.Errorf("read back %+v", got)
		}
		if owner := f.ownerToday(t, f.nr); owner != "Xiaomi Corporation" {
			t.Errorf("owner %s after the sale", owner)
		}
		last, _ := f.db.RecentAudit(ctx, 1)
		if last[0].Action != "assignment.create" {
			t.Errorf("audit action %s", last[0].Action)
		}
		for _, want := range []string{`"assignor":"Nokia Corporation"`, `"assignee":"Xiaomi Corporation"`, `"patents":"US9123456B2"`,
			`"agreement":"NOK-XIA-2017"`, `"effective_on":"2017-07-05"`, `"office_ref":"043210/0001"`} {
			if !strings.Contains(last[0].Details, want) {
				t.Errorf("audit row %s lacks %s", last[0].Details, want)
			}
		}
	})
	t.Run("UpdateMovesTheDateAndThePatents", func(t *testing.T) {
		as.EffectiveOn = day("2018-01-01")
		as.Patents = []licensing.PatentRef{{Number: "GB2500000B"}}
		if err := f.db.UpdateAssignment(ctx, CLIActor(), &as); err != nil {
			t.Fatal(err)
		}
		if got := f.chain(t, f.nr); got != "Nokia Corporation 2014-01-15.." {
			t.Errorf("the patent taken out of the assignment: %s", got)
		}
		if got := f.chain(t, f.gb2); got != "Nokia Corporation 2012-04-04..2017-12-31 | Xiaomi Corporation 2018-01-01.. via NOK-XIA-2017" {
			t.Errorf("the patent put into the assignment: %s", got)
		}
		last, _ := f.db.RecentAudit(ctx, 1)
		if !strings.Contains(last[0].Details, `"before":{"effective_on":"2017-07-05","patents":"US9123456B2"}`) {
			t.Errorf("update audit %s", last[0].Details)
		}
	})
	t.Run("ListedByAgreement", func(t *testing.T) {
		draft := f.agreement(t, "NOK-XIA-2019", licensing.AgreementDraft, "",
			[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2019-01-01", f.nr)})
		var got []string
		err := f.db.EachAssignment(ctx, AgreementFilter{}, func(r *AssignmentRow) error {
			got = append(got, r.Agreement+" "+string(r.AgreementStatus)+" "+r.Patents[0].Number)
			return nil
		})
		if err != nil || strings.Join(got, ", ") != "NOK-XIA-2017 active GB2500000B, NOK-XIA-2019 draft US9123456B2" {
			t.Errorf("EachAssignment: %v %v", err, got)
		}
		agreement := draft.ID
		list, _, err := f.db.Patents(ctx, PatentFilter{Agreement: &agreement})
		if err != nil || numbers(list) != "US9123456B2" {
			t.Errorf("patents of the draft's assignments: %v %s", err, numbers(list))
		}
	})
	t.Run("DeleteGivesTitleBack", func(t *testing.T) {
		if err := f.db.DeleteAssignment(ctx, CLIActor(), as.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.chain(t, f.gb2); got != "Nokia Corporation 2012-04-04.." {
			t.Errorf("after the deletion: %s", got)
		}
		if _, err := f.db.Assignment(ctx, as.ID); licensing.ErrorCode(err) != licensing.NotFound {
			t.Errorf("deleted assignment still read: %v", err)
		}
	})
}
