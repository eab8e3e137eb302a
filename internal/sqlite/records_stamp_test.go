package sqlite

import (
	"context"
	"testing"

	"patentdesk/internal/licensing"
)

// TestRecordsStampMovesWithRecordsOnly: a figure cached under the stamp
// is worked out again after a record changes, and not after a sign-in.
func TestRecordsStampMovesWithRecordsOnly(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	stamp := func() int64 {
		t.Helper()
		s, err := db.RecordsStamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
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
