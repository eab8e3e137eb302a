package sqlite

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"patentdesk/internal/licensing"
)

// pagedPatents reads every patent of f through the list's pages.
func pagedPatents(t *testing.T, db *DB, f PatentFilter) []*PatentRecord {
	t.Helper()
	var all []*PatentRecord
	f.Limit = 4
	for {
		page, next, err := db.Patents(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		f.Cursor = next
	}
}

// The export streams exactly the list a user filtered and sorted, every
// field of every patent as the list's pages read it (owners' names,
// labels in their order), in chunks whose edges fall anywhere.
func TestEachPatentReadsWhatTheListPagesRead(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	for i := range 13 {
		tags := []string{"iot", "cellular", "5g"}[:i%4]
		f.patent(t, &licensing.Patent{Number: "US 10," + strconv.Itoa(100+i) + ",000 B2", Title: "Title " + strconv.Itoa(13-i),
			FiledOn: day("2015-0" + strconv.Itoa(1+i%9) + "-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID,
			Tags: tags, CPC: []string{"H04W " + strconv.Itoa(i) + "/00", "H04B 7/06"}})
	}
	defer func(n int) { eachPatentChunk = n }(eachPatentChunk)
	eachPatentChunk = 3
	office, tag := "US", "iot"
	_, cursorAfterFive, err := f.db.Patents(ctx, PatentFilter{Limit: 5})
	if err != nil || cursorAfterFive == "" {
		t.Fatal(cursorAfterFive, err)
	}
	for _, c := range []struct {
		name string
		f    PatentFilter
	}{
		{"ByNumber", PatentFilter{}},
		{"ByTitleDescending", PatentFilter{Sort: SortTitle, Desc: true}},
		{"ByFilingDate", PatentFilter{Sort: SortFiled}},
		{"ByExpiryDescending", PatentFilter{Sort: SortExpiry, Desc: true}},
		{"AnOffice", PatentFilter{Office: &office, Sort: SortTitle}},
		{"ATag", PatentFilter{Tag: &tag}},
		{"TodaysOwner", PatentFilter{OwnerIDs: []int64{f.xiaomi.ID}}},
		{"FromACursor", PatentFilter{Cursor: cursorAfterFive}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := pagedPatents(t, f.db, c.f)
			var got []*PatentRecord
			if err := f.db.EachPatent(ctx, c.f, func(r *PatentRecord) error { got = append(got, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatal("the case lists no patents")
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("streamed %d patents, the pages %d; first difference:", len(got), len(want))
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("%d: %+v\nwant %+v", i, *got[i], *want[i])
						break
					}
				}
			}
		})
	}
	t.Run("UnknownSort", func(t *testing.T) {
		err := f.db.EachPatent(ctx, PatentFilter{Sort: "colour"}, func(*PatentRecord) error { return nil })
		if err == nil {
			t.Error("no error for an unknown sort column")
		}
	})
}
