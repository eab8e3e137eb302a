package sqlite

import (
	"context"
	"reflect"
	"testing"

	"patentdesk/internal/licensing"
)

func TestWholeAgreements(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	f.mustCreate(t, f.crossLicence())
	f.mustCreate(t, &licensing.Agreement{Reference: "NOK-XIA-2017-SALE", Title: "Sale of patents", Kind: licensing.KindAssignment,
		Status: licensing.AgreementActive, SignedOn: dd("2017-07-05"), EffectiveOn: dd("2017-07-05"),
		Parties: []licensing.Party{{CompanyID: f.tech.ID, Role: licensing.RoleAssignor}, {CompanyID: f.xiaomi.ID, Role: licensing.RoleAssignee}},
		Assignments: []licensing.Assignment{{AssignorID: f.tech.ID, AssigneeID: f.xiaomi.ID, EffectiveOn: dd("2017-07-05"),
			Patents: []licensing.PatentRef{{Number: "EP1234567B1"}}}},
		Obligations: []licensing.Obligation{{Kind: licensing.ObligationPayment, Title: "Purchase price", DueOn: dd("2017-08-01"),
			Amount: licensing.MustAmount("5000000"), Currency: "EUR", PayerID: f.xiaomi.ID, PayeeID: f.tech.ID}}})
	f.mustCreate(t, &licensing.Agreement{Reference: "HMD-DRAFT", Title: "Draft licence", Kind: licensing.KindLicense,
		Status: licensing.AgreementDraft, Parties: []licensing.Party{{CompanyID: f.nokia.ID, Role: licensing.RoleLicensor}}})

	t.Run("EachAgreementReadsAsAlone", func(t *testing.T) {
		var refs []string
		after := ""
		for page := 0; page < 5; page++ {
			filter := AgreementFilter{Limit: 2}
			if after != "" {
				filter.After = &after
			}
			list, next, err := f.db.WholeAgreements(ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				refs = append(refs, a.Reference)
				alone, err := f.db.Agreement(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(a, alone) {
					t.Errorf("%s in a page differs from its own read:\n page %+v\n alone %+v", a.Reference, a, alone)
				}
			}
			if next == "" {
				break
			}
			after = next
		}
		want := []string{"HMD-DRAFT", "NOK-XIA-2017", "NOK-XIA-2017-SALE"}
		if !reflect.DeepEqual(refs, want) {
			t.Errorf("pages held %v, want %v", refs, want)
		}
	})
	t.Run("FilterApplies", func(t *testing.T) {
		kind := licensing.KindAssignment
		list, next, err := f.db.WholeAgreements(ctx, AgreementFilter{Kind: &kind})
		if err != nil || next != "" || len(list) != 1 {
			t.Fatalf("list %v, next %q, err %v", list, next, err)
		}
		if a := list[0]; len(a.Assignments) != 1 || len(a.Obligations) != 1 || len(a.Grants) != 0 {
			t.Errorf("items of %s: %d grants, %d assignments, %d obligations", a.Reference, len(a.Grants), len(a.Assignments), len(a.Obligations))
		}
	})
	t.Run("EmptyPage", func(t *testing.T) {
		q := "nothing-matches-this"
		list, next, err := f.db.WholeAgreements(ctx, AgreementFilter{Query: &q})
		if err != nil || len(list) != 0 || next != "" {
			t.Errorf("list %v, next %q, err %v", list, next, err)
		}
	})
}
