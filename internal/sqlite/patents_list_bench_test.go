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
// paging through gets there).
func BenchmarkScalePatentsList(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	ep, granted, jp, tag := "EP", "granted", "JP", "5g"
	today := licensing.MustDate("2026-07-01")
	method, wireless, rare := "method", "wireless", "zigbee"
	cases := []struct {
		name string
		f    PatentFilter
	}{
		{"no filter by number", PatentFilter{}},
		{"EP by filing date desc", PatentFilter{Office: &ep, Sort: SortFiled, Desc: true}},
		{"granted by expiry", PatentFilter{Status: &granted, Sort: SortExpiry}},
		{"in force by expiry", PatentFilter{InForceOn: &today, Sort: SortExpiry}},
		{"JP granted by title", PatentFilter{Office: &jp, Status: &granted, Sort: SortTitle}},
		{"tag by filing date", PatentFilter{Tag: &tag, Sort: SortFiled}},
		{"owner group by expiry", PatentFilter{OwnerIDs: []int64{1, 2, 3, 4, 5}, Sort: SortExpiry}},
		{"search method", PatentFilter{Query: &method}},
		{"search wireless by filing date", PatentFilter{Query: &wireless, Sort: SortFiled}},
		{"search zigbee", PatentFilter{Query: &rare}},
	}
	for _, c := range cases {
		for _, deep := range []bool{false, true} {
			name := c.name + ", first page"
			f := c.f
			if deep {
				name = c.name + ", page 21"
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
