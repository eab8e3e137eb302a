package sqlite

import (
	"context"
	"slices"
	"testing"
)

func TestPatentChoices(t *testing.T) {
	ctx := context.Background()
	f := newPatentFixture(t)
	offices, err := f.db.PatentOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"CN", "DE", "EP", "US"}; !slices.Equal(offices, want) {
		t.Errorf("offices %v, want %v", offices, want)
	}
	tags, err := f.db.PatentLabels(ctx, "tag")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"5g", "cellular", "iot", "smart-home"}; !slices.Equal(tags, want) {
		t.Errorf("tags %v, want %v", tags, want)
	}
	standards, err := f.db.PatentLabels(ctx, "standard")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"3GPP LTE", "3GPP NR"}; !slices.Equal(standards, want) {
		t.Errorf("standards %v, want %v", standards, want)
	}
	empty := openTestDB(t)
	if none, err := empty.PatentOffices(ctx); err != nil || len(none) != 0 {
		t.Errorf("offices of an empty database: %v, %v", none, err)
	}
}
