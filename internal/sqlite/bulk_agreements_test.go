package sqlite

import (
	"context"
	"testing"

	"patentdesk/internal/licensing"
)

// TestLoadAgreements: agreements written through one load are stored,
// settled and audited as the single writes store them (the demo package
// compares whole data sets), and a refused agreement ends the load with
// nothing written, even when the writer carries on.
func TestLoadAgreements(t *testing.T) {
	ctx := context.Background()
	t.Run("StoredAndSettled", func(t *testing.T) {
		f := newAgreementFixture(t)
		a := f.crossLicence()
		settled := 0
		err := f.db.LoadAgreements(ctx, CLIActor(), func(l *AgreementLoad) error {
			if err := l.CreateAgreement(a); err != nil {
				return err
			}
			var err error
			settled, err = l.SettleOccurrences(a.Obligations[0].ID, dd("2020-06-30"), licensing.ObligationDone)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.db.AgreementByReference(ctx, "NOK-XIA-2017")
		if err != nil || len(stored.Grants) != 4 || stored.ID != a.ID {
			t.Fatalf("stored %+v, %v; want the cross-licence with its four grants", stored, err)
		}
		if settled != 3 || rowsIn(t, f.db, "obligation_occurrences") != 3 { // 2018, 2019, 2020
			t.Errorf("settled %d occurrences, %d rows; want 3", settled, rowsIn(t, f.db, "obligation_occurrences"))
		}
		var audited int
		if err := f.db.sql.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'agreement' AND entity_id = ?`, a.ID).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 1+4+1+1 { // the agreement, its grants, its obligation, the settlement
			t.Errorf("%d audit rows of the agreement; want 7", audited)
		}
	})
	t.Run("RefusalEndsTheLoad", func(t *testing.T) {
		f := newAgreementFixture(t)
		bad := f.crossLicence()
		bad.Reference, bad.Grants[0].LicenseeID = "BAD-1", 0
		var refused error
		err := f.db.LoadAgreements(ctx, CLIActor(), func(l *AgreementLoad) error {
			good := f.crossLicence()
			if err := l.CreateAgreement(good); err != nil {
				return err
			}
			refused = l.CreateAgreement(bad)
			later := f.crossLicence()
			later.Reference = "LATER-1"
			_ = l.CreateAgreement(later) // a writer that ignores the refusal
			return nil
		})
		if err == nil || err != refused {
			t.Fatalf("load: %v; want the refusal of BAD-1 (%v)", err, refused)
		}
		if n := rowsIn(t, f.db, "agreements"); n != 0 {
			t.Errorf("%d agreements kept from a refused load", n)
		}
	})
}
