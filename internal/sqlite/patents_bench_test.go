package sqlite

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"patentdesk/internal/licensing"
)

// benchPatents is the portfolio size of the benchmarks:
// PATENTDESK_BENCH_PATENTS=1000000 go test ./internal/sqlite -run '^$' -bench Patent
// measures the million patents the design aims at (seeding takes minutes).
func benchPatents(b *testing.B) int {
	if n, err := strconv.Atoi(os.Getenv("PATENTDESK_BENCH_PATENTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// seedPatents writes n synthetic patents in one transaction with prepared
// statements, rows and search index as the store writes them, far faster
// than the audited path, which the benchmarks do not measure.
func seedPatents(b *testing.B, db *DB, n int) {
	b.Helper()
	ctx := context.Background()
	owners := make([]int64, 20)
	for i := range owners {
		c := &licensing.Company{Name: fmt.Sprintf("Owner %02d Oy", i), Aliases: []string{fmt.Sprintf("OWNER %02d", i)}}
		if err := db.CreateCompany(ctx, SystemActor(), c); err != nil {
			b.Fatal(err)
		}
		owners[i] = c.ID
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	ins, _ := tx.Prepare(`INSERT INTO patents (number, normalized, doc_number, office, kind, title, family, filed_on, expiry, status, sep,
		original_owner_id, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')`)
	fts, _ := tx.Prepare(`INSERT INTO patents_fts (rowid, numbers, title, owner) VALUES (?, ?, ?, ?)`)
	words := []string{"handover", "paging", "beam", "antenna", "codec", "lighting", "sensor", "display", "battery", "sidelink"}
	offices := []string{"EP", "US", "CN", "DE", "JP"}
	for i := range n {
		office := offices[i%len(offices)]
		doc := fmt.Sprintf("%s%d", office, 1_000_000+i)
		title := words[i%len(words)] + " " + words[(i/10)%len(words)] + " method " + strconv.Itoa(i)
		owner := owners[i%len(owners)]
		filed := fmt.Sprintf("%d-%02d-%02d", 2000+i%24, 1+i%12, 1+i%28)
		expiry := fmt.Sprintf("%d-%02d-%02d", 2020+i%24, 1+i%12, 1+i%28)
		res, err := ins.Exec(doc, doc+"B1", doc, office, "B1", title, "F"+strconv.Itoa(i/4), filed, expiry, "granted", i%3 == 0, owner, owner)
		if err != nil {
			b.Fatal(err)
		}
		id, _ := res.LastInsertId()
		if _, err := fts.Exec(id, doc+"B1 "+doc, title, fmt.Sprintf("Owner %02d Oy OWNER %02d", owner-owners[0], owner-owners[0])); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPatentQueries measures what a user waits for in the patents
// list and the lookups: each must stay far below a second at a million.
func BenchmarkPatentQueries(b *testing.B) {
	db, err := Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := benchPatents(b)
	seedPatents(b, db, n)
	ctx := context.Background()
	last := fmt.Sprintf("EP%d", 1_000_000+(n-1)/5*5)
	str := func(s string) *string { return &s }
	on := licensing.MustDate("2030-06-30")
	cases := []struct {
		name string
		run  func() error
	}{
		{"ByNumberAnyNotation", func() error { _, err := db.PatentByNumber(ctx, last); return err }},
		{"SearchNumber", func() error { _, _, err := db.Patents(ctx, PatentFilter{Query: str(last + "B1")}); return err }},
		{"SearchTitleWords", func() error { _, _, err := db.Patents(ctx, PatentFilter{Query: str("beam sidelink")}); return err }},
		{"SearchOwnerAlias", func() error { _, _, err := db.Patents(ctx, PatentFilter{Query: str("OWNER 07")}); return err }},
		{"FirstPageSortedByExpiryDesc", func() error { _, _, err := db.Patents(ctx, PatentFilter{Sort: SortExpiry, Desc: true}); return err }},
		{"OfficeAndInForce", func() error {
			_, _, err := db.Patents(ctx, PatentFilter{Office: str("US"), InForceOn: &on})
			return err
		}},
		{"OwnerPageTwo", func() error {
			_, next, err := db.Patents(ctx, PatentFilter{OwnerIDs: []int64{3}})
			if err == nil {
				_, _, err = db.Patents(ctx, PatentFilter{OwnerIDs: []int64{3}, Cursor: next})
			}
			return err
		}},
		{"CountsPerOwner", func() error { _, err := db.PatentCounts(ctx, []int64{1, 2, 3, 4, 5}); return err }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
