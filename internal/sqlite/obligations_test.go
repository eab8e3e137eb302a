package sqlite

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

func TestMarkOccurrence(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, f.crossLicence())
	royalty := a.Obligations[0].ID // yearly on 31 January, 2018 to 2024
	ada := addUser(t, f.db, "ada@example.com", auth.RoleEditor)
	actor := Actor{UserID: ada.ID, Email: ada.Email, Via: ViaWeb}
	f.db.SetClock(func() time.Time { return time.Date(2019, 2, 3, 10, 0, 0, 0, time.UTC) })
	tests := []struct {
		name   string
		due    string
		status licensing.ObligationStatus
		on     string
		field  string // the refused field; "" when accepted
		want   licensing.Occurrence
	}{
		{"DoneRecordsWhoAndWhen", "2019-01-31", licensing.ObligationDone, "2019-01-28", "",
			licensing.Occurrence{Status: licensing.ObligationDone, DoneOn: dd("2019-01-28"), DoneBy: "ada@example.com", DoneByUser: ada.ID}},
		{"DoneWithoutDateIsToday", "2020-01-31", licensing.ObligationDone, "", "",
			licensing.Occurrence{Status: licensing.ObligationDone, DoneOn: dd("2019-02-03"), DoneBy: "ada@example.com", DoneByUser: ada.ID}},
		{"WaivedReplacesDone", "2020-01-31", licensing.ObligationWaived, "2019-03-01", "",
			licensing.Occurrence{Status: licensing.ObligationWaived, DoneOn: dd("2019-03-01"), DoneBy: "ada@example.com", DoneByUser: ada.ID}},
		{"OpenRemovesTheMark", "2020-01-31", licensing.ObligationOpen, "", "",
			licensing.Occurrence{Status: licensing.ObligationOpen}},
		{"DateNotInRecurrenceRefused", "2019-02-28", licensing.ObligationDone, "", "due_on", licensing.Occurrence{}},
		{"DateAfterRecurrenceEndsRefused", "2025-01-31", licensing.ObligationDone, "", "due_on", licensing.Occurrence{}},
		{"UnknownStatusRefused", "2021-01-31", "paid", "", "status", licensing.Occurrence{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			on := licensing.Date{}
			if tc.on != "" {
				on = dd(tc.on)
			}
			err := f.db.MarkOccurrence(ctx, actor, royalty, dd(tc.due), tc.status, on)
			o, _ := f.db.Obligation(ctx, royalty)
			if tc.field != "" {
				if fields := invalidFieldsOf(t, err); fields[tc.field] == "" {
					t.Errorf("fields %v, want a message for %s", fields, tc.field)
				}
				if got := o.OccurrenceOn(dd(tc.due)); got.Status != licensing.ObligationOpen {
					t.Errorf("refused mark stored: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.DueOn = dd(tc.due)
			if got := o.OccurrenceOn(dd(tc.due)); got != want {
				t.Errorf("occurrence %+v, want %+v", got, want)
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			if e[0].Action != "obligation.occurrence" || e[0].UserID != ada.ID || !strings.Contains(e[0].Details, tc.due) {
				t.Errorf("audit %+v", e[0])
			}
		})
	}
	t.Run("OtherOccurrencesStayOpen", func(t *testing.T) {
		o, _ := f.db.Obligation(ctx, royalty)
		if len(o.Occurrences) != 1 || o.OccurrenceOn(dd("2018-01-31")).Status != licensing.ObligationOpen {
			t.Errorf("occurrences %+v", o.Occurrences)
		}
	})
}

func TestObligations(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, f *agreementFixture, a *licensing.Agreement)
	}{
		{"AddedObligationReadsBack", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			o := &licensing.Obligation{Kind: licensing.ObligationReport, Title: " Sales report ", DueOn: dd("2017-10-31"),
				Recurrence: licensing.Quarterly, PayerID: f.xiaomi.ID}
			if err := f.db.AddObligation(ctx, CLIActor(), a.ID, o); err != nil {
				t.Fatal(err)
			}
			got, err := f.db.Obligation(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Sales report" || got.Status != licensing.ObligationOpen || got.Payer != "Xiaomi Corporation" || got.PayeeID != 0 ||
				!got.Amount.IsZero() || got.Recurrence != licensing.Quarterly {
				t.Errorf("obligation read back as %+v", got)
			}
			// Until the agreement's end, 2024-07-04: the last report is due 2024-04-30.
			dates := got.DueDates(a, licensing.Date{})
			if last := dates[len(dates)-1]; last != dd("2024-04-30") {
				t.Errorf("last due date %s", last)
			}
		}},
		{"InvalidFieldsNamed", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			o := &licensing.Obligation{Kind: licensing.ObligationPayment, Title: "Fee", DueOn: dd("2018-01-31"),
				Amount: licensing.MustAmount("500"), PayerID: 4242}
			fields := invalidFieldsOf(t, f.db.AddObligation(ctx, CLIActor(), a.ID, o))
			if fields["currency"] == "" || fields["payer"] != "no such company" {
				t.Errorf("fields %v", fields)
			}
		}},
		{"UpdateKeepsMarks", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			id := a.Obligations[0].ID
			if err := f.db.MarkOccurrence(ctx, CLIActor(), id, dd("2018-01-31"), licensing.ObligationDone, dd("2018-01-30")); err != nil {
				t.Fatal(err)
			}
			o, _ := f.db.Obligation(ctx, id)
			o.Amount = licensing.MustAmount("1,250,000.50")
			if err := f.db.UpdateObligation(ctx, CLIActor(), o); err != nil {
				t.Fatal(err)
			}
			got, _ := f.db.Obligation(ctx, id)
			if got.Amount.String() != "1250000.50" || len(got.Occurrences) != 1 {
				t.Errorf("after update %+v", got)
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			if e[0].Action != "obligation.update" || !strings.Contains(e[0].Details, `"before":{"amount":"1000000.00"}`) {
				t.Errorf("audit %s %s", e[0].Action, e[0].Details)
			}
		}},
		{"ScheduleEditKeepsMarkedOccurrences", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			// Yearly on 31 January 2018 to 2024; 2019 is done, 2020 waived.
			id := a.Obligations[0].ID
			for _, m := range []struct {
				due    string
				status licensing.ObligationStatus
			}{{"2019-01-31", licensing.ObligationDone}, {"2020-01-31", licensing.ObligationWaived}} {
				if err := f.db.MarkOccurrence(ctx, CLIActor(), id, dd(m.due), m.status, dd(m.due)); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range []struct {
				name  string
				edit  func(o *licensing.Obligation)
				field string // "" when the marks stay due dates and the edit goes through
				named string
			}{
				{"FirstDueDateMoved", func(o *licensing.Obligation) { o.DueOn = dd("2018-02-28") }, "due_on", "2019-01-31, 2020-01-31"},
				{"RecurrenceChanged", func(o *licensing.Obligation) { o.Recurrence = licensing.Quarterly; o.DueOn = dd("2018-03-31") },
					"due_on", "2019-01-31, 2020-01-31"},
				{"NoLongerRecurring", func(o *licensing.Obligation) { o.Recurrence = licensing.Once; o.Until = licensing.Date{} },
					"recurrence", "2019-01-31, 2020-01-31"},
				{"EndsBeforeAMark", func(o *licensing.Obligation) { o.Until = dd("2019-06-30") }, "until", "2020-01-31"},
				{"QuarterlyFromTheSameDayKeepsThem", func(o *licensing.Obligation) { o.Recurrence = licensing.Quarterly }, "", ""},
				{"EndsAfterTheMarks", func(o *licensing.Obligation) { o.Until = dd("2021-01-31") }, "", ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					o, _ := f.db.Obligation(ctx, id)
					c.edit(o)
					err := f.db.UpdateObligation(ctx, CLIActor(), o)
					if c.field == "" {
						if err != nil {
							t.Fatal(err)
						}
					} else if msg := invalidFieldsOf(t, err)[c.field]; !strings.Contains(msg, c.named) {
						t.Errorf("%s = %q, want a refusal naming %s", c.field, msg, c.named)
					}
					got, _ := f.db.Obligation(ctx, id)
					dates := got.DueDates(a, licensing.Date{})
					for _, oc := range got.Occurrences {
						if !slices.Contains(dates, oc.DueOn) {
							t.Errorf("the mark of %s is off the schedule %v", oc.DueOn, dates)
						}
					}
				})
			}
		}},
		{"DeleteRemovesMarksToo", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			id := a.Obligations[0].ID
			if err := f.db.MarkOccurrence(ctx, CLIActor(), id, dd("2018-01-31"), licensing.ObligationDone, dd("2018-01-30")); err != nil {
				t.Fatal(err)
			}
			if err := f.db.DeleteObligation(ctx, CLIActor(), id); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.Obligation(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted obligation read: %v", err)
			}
			if n := rowsIn(t, f.db, "obligation_occurrences"); n != 0 {
				t.Errorf("%d marks left", n)
			}
		}},
		{"EachObligationFollowsTheFilter", func(t *testing.T, f *agreementFixture, a *licensing.Agreement) {
			f.mustCreate(t, &licensing.Agreement{Reference: "NOK-HMD-2016", Title: "Licence", Kind: licensing.KindLicense,
				Status: licensing.AgreementActive, EffectiveOn: dd("2016-12-01"), ExpiresOn: dd("2026-11-30"),
				Parties: []licensing.Party{{CompanyID: f.nokia.ID, Role: licensing.RoleLicensor}, {CompanyID: f.hmd.ID, Role: licensing.RoleLicensee}},
				Obligations: []licensing.Obligation{
					{Kind: licensing.ObligationMilestone, Title: "Launch", DueOn: dd("2017-06-30")},
					{Kind: licensing.ObligationNotice, Title: "Renewal notice", DueOn: dd("2017-01-15")}}})
			var all []string
			if err := f.db.EachObligation(ctx, AgreementFilter{}, func(r *ObligationRow) error {
				all = append(all, r.Agreement+"/"+r.Title)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(all, "|") != "NOK-HMD-2016/Renewal notice|NOK-HMD-2016/Launch|NOK-XIA-2017/Annual royalty" {
				t.Errorf("obligations %q", all)
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
