package sqlite

import (
	"context"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// BenchmarkScalePatentsList reads pages of the patents list with the
// filters and sorts users combine, on the data set PATENTDESK_SCALE_DATA
// names, and reports the median and 95th percentile of one page: the first
// page, and a deep one twenty pages on (reached by its cursor, as a user
// paging through gets there), and for the sorts that allow it a page far
// into the list, reached by a cursor half-way through the sort order.
func BenchmarkScalePatentsList(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	ep, granted, jp, tag := "EP", "granted", "JP", "5g"
	today := licensing.MustDate("2026-07-01")
	method, wireless, rare := "method", "wireless", "zigbee"
	cases := []struct {
		name string
		f    PatentFilter
		far  string // the sort key half-way through the list; "": no far page
	}{
		{"no filter by number", PatentFilter{}, ""},
		{"EP by filing date desc", PatentFilter{Office: &ep, Sort: SortFiled, Desc: true}, "2012-01-01"},
		{"granted by expiry", PatentFilter{Status: &granted, Sort: SortExpiry}, "2034-01-01"},
		{"in force by expiry", PatentFilter{InForceOn: &today, Sort: SortExpiry}, "2034-01-01"},
		{"in force by expiry desc", PatentFilter{InForceOn: &today, Sort: SortExpiry, Desc: true}, "2034-01-01"},
		{"JP granted by title", PatentFilter{Office: &jp, Status: &granted, Sort: SortTitle}, "m"},
		{"tag by filing date", PatentFilter{Tag: &tag, Sort: SortFiled}, "2012-01-01"},
		{"owner group by expiry", PatentFilter{OwnerIDs: []int64{1, 2, 3, 4, 5}, Sort: SortExpiry}, ""},
		{"search method", PatentFilter{Query: &method}, ""},
		{"search wireless by filing date", PatentFilter{Query: &wireless, Sort: SortFiled}, ""},
		{"search zigbee", PatentFilter{Query: &rare}, ""},
	}
	for _, c := range cases {
		for _, page := range []string{"first page", "page 21", "far page"} {
			name := c.name + ", " + page
			f := c.f
			switch {
			case page == "page 21":
				for range 20 {
					_, next, err := db.Patents(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					if next == "" {
						break
					}
					f.Cursor = next
				}
			case page == "far page" && c.far == "":
				continue
			case page == "far page":
				f.Cursor = encodeCursor(cursor{Key: c.far})
			}
			b.Run(name, func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					start := time.Now()
					if _, _, err := db.Patents(ctx, f); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				reportPercentiles(b, took)
			})
		}
	}
}
