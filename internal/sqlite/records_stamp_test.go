package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// plainRecordsStamp is the stamp that leaves out no kind of change, read
// by SQL of its own rather than by RecordsStamps' walk: the id of the
// newest audit row not about a user or a session, 0 when there is none.
func plainRecordsStamp(ctx context.Context, db *DB) (int64, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, `SELECT coalesce((SELECT id FROM audit_log WHERE entity NOT IN ('user', 'session')
		ORDER BY id DESC LIMIT 1), 0)`).Scan(&id)
	return id, err
}

// TestRecordsStampMovesWithRecordsOnly: a figure cached under the stamp
// is worked out again after a record changes, and not after a sign-in.
func TestRecordsStampMovesWithRecordsOnly(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	stamp := func() int64 {
		t.Helper()
		s, err := db.RecordsStamps(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s[0]
	}
	if s := stamp(); s != 0 {
		t.Fatalf("empty database: stamp %d, want 0", s)
	}
	c := &licensing.Company{Name: "Acme GmbH"}
	if err := db.CreateCompany(ctx, CLIActor(), c); err != nil {
		t.Fatal(err)
	}
	created := stamp()
	if created == 0 {
		t.Fatal("a company was recorded and the stamp did not move")
	}
	for _, e := range []Change{
		{Action: "session.signin", Entity: "user", EntityID: "1"},
		{Action: "session.signin_failed", Entity: "session"},
		{Action: "token.create", Entity: "user", EntityID: "1"},
	} {
		if err := db.RecordEvent(ctx, Actor{Email: "a@example.com", Via: ViaWeb}, e); err != nil {
			t.Fatal(err)
		}
	}
	if s := stamp(); s != created {
		t.Errorf("after sign-ins the stamp is %d, want %d still", s, created)
	}
	c.ShortName = "Acme"
	if err := db.UpdateCompany(ctx, CLIActor(), c); err != nil {
		t.Fatal(err)
	}
	if s := stamp(); s <= created {
		t.Errorf("after a company changed the stamp is %d, want more than %d", s, created)
	}
}

// TestRecordsStampsLeaveOutWhatTheyMay: each kind of record change moves
// the stamps of the figures that read it and no other — marking an
// occurrence done keeps the stamp of the conflicts and of the groups, a
// grant keeps the groups', a document every figure's — while a change of
// a patent, company, assignment or agreement moves every stamp, and a
// sign-in none. A stamp that leaves out nothing is the newest record change.
func TestRecordsStampsLeaveOutWhatTheyMay(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	db := f.db
	a := f.mustCreate(t, f.crossLicence())
	sets := []struct {
		name    string
		ignored ChangeKinds
	}{
		{"every record", 0},
		{"deadlines", DocumentChanges},
		{"conflicts", ObligationChanges | DocumentChanges},
		{"groups", ObligationChanges | DocumentChanges | GrantChanges},
	}
	ignored := make([]ChangeKinds, len(sets))
	for i, s := range sets {
		ignored[i] = s.ignored
	}
	read := func(t *testing.T) []int64 {
		t.Helper()
		stamps, err := db.RecordsStamps(ctx, ignored...)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := plainRecordsStamp(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if stamps[0] != plain {
			t.Fatalf("stamp leaving out nothing %d, the newest record change %d", stamps[0], plain)
		}
		return stamps
	}
	grant := a.Grants[0]
	obligation := a.Obligations[0]
	steps := []struct {
		name   string
		change func() error
		moves  []string // the sets whose stamp moves
	}{
		{"MarkOccurrenceDone", func() error {
			return db.MarkOccurrence(ctx, CLIActor(), obligation.ID, dd("2019-01-31"), licensing.ObligationDone, dd("2019-02-01"))
		}, []string{"every record", "deadlines"}},
		{"SettleOccurrences", func() error {
			_, err := db.SettleOccurrences(ctx, CLIActor(), obligation.ID, dd("2021-12-31"), licensing.ObligationWaived)
			return err
		}, []string{"every record", "deadlines"}},
		{"AddObligation", func() error {
			return db.AddObligation(ctx, CLIActor(), a.ID, &licensing.Obligation{Kind: licensing.ObligationReport, Title: "Sales report",
				DueOn: dd("2019-03-31")})
		}, []string{"every record", "deadlines"}},
		{"AddDocument", func() error {
			_, err := db.AddDocument(ctx, CLIActor(), a.ID, "signed.txt", strings.NewReader("signed copy"))
			return err
		}, []string{"every record"}},
		{"SignIn", func() error {
			return db.RecordEvent(ctx, Actor{Email: "a@example.com", Via: ViaWeb}, Change{Action: "session.signin", Entity: "user", EntityID: "1"})
		}, nil},
		{"UpdateGrant", func() error {
			grant.Fields = []string{"mobile devices", "tablets"}
			return db.UpdateGrant(ctx, CLIActor(), &grant)
		}, []string{"every record", "deadlines", "conflicts"}},
		{"UpdatePatent", func() error {
			f.lte.Title += " (corrected)"
			return db.UpdatePatent(ctx, CLIActor(), f.lte)
		}, []string{"every record", "deadlines", "conflicts", "groups"}},
		{"UpdateCompany", func() error {
			f.hmd.ShortName = "HMD"
			return db.UpdateCompany(ctx, CLIActor(), f.hmd)
		}, []string{"every record", "deadlines", "conflicts", "groups"}},
		{"AddAssignment", func() error {
			return db.AddAssignment(ctx, CLIActor(), a.ID, &licensing.Assignment{AssignorID: f.nokia.ID, AssigneeID: f.xiaomi.ID,
				EffectiveOn: dd("2018-03-01"), Patents: []licensing.PatentRef{{Number: f.nr.Number}}})
		}, []string{"every record", "deadlines", "conflicts", "groups"}},
		{"UpdateAgreement", func() error {
			a.Summary = "Amended summary."
			return db.UpdateAgreement(ctx, CLIActor(), a)
		}, []string{"every record", "deadlines", "conflicts", "groups"}},
	}
	before := read(t)
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if err := step.change(); err != nil {
				t.Fatal(err)
			}
			after := read(t)
			for i, s := range sets {
				moved := after[i] != before[i]
				if want := slices.Contains(step.moves, s.name); moved != want || after[i] < before[i] {
					t.Errorf("stamp of %s: %d, was %d; want it moved: %v", s.name, after[i], before[i], want)
				}
			}
			before = after
		})
	}
}

// TestRecordsStampsPastTheWalk: when more changes that a figure leaves
// out came since its last change than the walk reads, its stamp is the
// newest row — it counts again — and stays so until the next change,
// which moves it again.
func TestRecordsStampsPastTheWalk(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	if err := db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Acme GmbH"}); err != nil {
		t.Fatal(err)
	}
	conflicts := ObligationChanges | DocumentChanges
	read := func() (conflictsStamp, newest int64) {
		t.Helper()
		stamps, err := db.RecordsStamps(ctx, conflicts, 0)
		if err != nil {
			t.Fatal(err)
		}
		return stamps[0], stamps[1]
	}
	company, _ := read()
	mark := Change{Action: "obligation.occurrence", Entity: "agreement", EntityID: "1"}
	for range stampWalk - 1 {
		if err := db.RecordEvent(ctx, CLIActor(), mark); err != nil {
			t.Fatal(err)
		}
	}
	if s, _ := read(); s != company {
		t.Fatalf("the company's change is the walk's last row: stamp %d, want %d", s, company)
	}
	if err := db.RecordEvent(ctx, CLIActor(), mark); err != nil {
		t.Fatal(err)
	}
	past, newest := read()
	if past != newest || past <= company {
		t.Fatalf("past the walk: stamp %d, want the newest row %d", past, newest)
	}
	if again, _ := read(); again != past {
		t.Errorf("nothing changed, and the stamp moved from %d to %d", past, again)
	}
	if err := db.RecordEvent(ctx, CLIActor(), mark); err != nil {
		t.Fatal(err)
	}
	if next, _ := read(); next <= past {
		t.Errorf("after one more change past the walk: stamp %d, want more than %d", next, past)
	}
}
