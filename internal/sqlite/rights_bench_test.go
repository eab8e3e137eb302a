package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"patentdesk/internal/licensing"
)

// rightsBench is the generated world of the rights benchmarks: the patents
// of seedPatents, Owner 01 to 05 in Owner 00's group (Owner 05 from 2012),
// a licensee group licensed to the group's portfolio captured from 2000 to
// 2022 (some 30% of the patents), and some 2,800 other grants.
type rightsBench struct {
	owners   []int64
	licensee int64 // Licensee Holding, whose subsidiaries are licensed too
	links    []licensing.Control
	window   [2]licensing.Date
}

// seedRightsGrants adds to seedPatents' patents the corporate group, the
// licensees and the grants, with prepared statements in one transaction as
// seedPatents writes patents. Each owner licenses in 75 of 1,500
// agreements: each has a listed grant of three patents (one in 23
// exclusive, one in ten carrying a sublicence); a quarter a portfolio
// grant with a capture window (a third of those taking in the licensor's
// affiliates, some narrowed to 5g or the US), so that some 50 portfolio
// grants may take in a patent of the group; half a grant of two
// families. In all some 2,800 grants.
func seedRightsGrants(b *testing.B, db *DB, n int) *rightsBench {
	b.Helper()
	ctx := context.Background()
	rows, err := db.sql.Query(`SELECT id FROM companies ORDER BY name`)
	if err != nil {
		b.Fatal(err)
	}
	w := &rightsBench{window: [2]licensing.Date{licensing.MustDate("2000-01-01"), licensing.MustDate("2022-12-31")}}
	if w.owners, err = scanIDs(rows); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		var from any
		if i == 5 {
			from = "2012-01-01"
		}
		if _, err := db.sql.Exec(`UPDATE companies SET parent_id = ?, control_from = ? WHERE id = ?`, w.owners[0], from, w.owners[i]); err != nil {
			b.Fatal(err)
		}
	}
	company := func(name string, parent int64, from string) int64 {
		c := &licensing.Company{Name: name, ParentID: parent}
		if from != "" {
			c.ControlFrom = licensing.MustDate(from)
		}
		if err := db.CreateCompany(ctx, SystemActor(), c); err != nil {
			b.Fatal(err)
		}
		return c.ID
	}
	w.licensee = company("Licensee Holding", 0, "")
	company("Licensee Devices", w.licensee, "")
	company("Licensee Cloud", w.licensee, "2018-01-01")
	licensees := make([]int64, 60)
	for i := range licensees {
		licensees[i] = company(fmt.Sprintf("Licensee %02d", i), 0, "")
	}
	if w.links, err = db.ControlLinks(ctx); err != nil {
		b.Fatal(err)
	}

	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	agreement, _ := tx.Prepare(`INSERT INTO agreements (reference, title, kind, status, signed_on, effective_on, expires_on, created_at, updated_at)
		VALUES (?, ?, 'license', ?, ?, ?, ?, '', '')`)
	grant, _ := tx.Prepare(`INSERT INTO grants (agreement_id, position, licensor_id, licensee_id, licensee_affiliates, licensor_affiliates,
		scope, capture_from, capture_to, exclusivity, sublicensable, parent_grant_id, royalty_bearing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`)
	term, _ := tx.Prepare(`INSERT OR IGNORE INTO grant_terms (grant_id, kind, value, position) VALUES (?, ?, ?, ?)`)
	listed, _ := tx.Prepare(`INSERT OR IGNORE INTO grant_patents (grant_id, patent_id, position) VALUES (?, ?, ?)`)
	insert := func(res interface{ LastInsertId() (int64, error) }, err error) int64 {
		if err != nil {
			b.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	must := func(_ any, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	firstID := int64(0)
	if err := tx.QueryRow(`SELECT min(id) FROM patents`).Scan(&firstID); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 2026))
	group := insert(agreement.Exec("BENCH-GROUP", "Group portfolio licence", "active", "2019-01-01", "2019-01-01", "2029-12-31"))
	must(grant.Exec(group, 0, w.owners[0], w.licensee, 1, 1, "portfolio", w.window[0].String(), w.window[1].String(),
		"non_exclusive", 0, nil))
	for i := range 1500 {
		status := []string{"active", "active", "active", "expired", "draft"}[i%5]
		a := insert(agreement.Exec(fmt.Sprintf("BENCH-%04d", i), "Licence", status, "2016-01-01", "2016-01-01", fmt.Sprintf("%d-12-31", 2020+i%15)))
		licensor, licensee := w.owners[i%len(w.owners)], licensees[i%len(licensees)]
		round := i / len(w.owners) // the licensor's round of agreements
		exclusivity := "non_exclusive"
		if i%23 == 0 {
			exclusivity = "exclusive"
		}
		list := insert(grant.Exec(a, 0, licensor, licensee, i%3 == 0, 0, "patents", nil, nil, exclusivity, i%10 == 0, nil))
		for pos := range 3 {
			must(listed.Exec(list, firstID+rng.Int64N(int64(n)), pos))
		}
		must(term.Exec(list, "field", []string{"mobile devices", "automotive", "iot"}[i%3], 0))
		switch {
		case round%4 == 0:
			from, to := any(fmt.Sprintf("%d-01-01", 2005+i%10)), any(fmt.Sprintf("%d-12-31", 2015+i%8))
			if round%8 == 0 {
				from = nil
			}
			g := insert(grant.Exec(a, 1, licensor, licensee, 1, round%12 == 0, "portfolio", from, to, "non_exclusive", 0, nil))
			if i%3 == 0 {
				must(term.Exec(g, "tag", "5g", 0))
			}
			if i%5 == 0 {
				must(term.Exec(g, "office", "US", 0))
			}
		case round%2 == 1:
			g := insert(grant.Exec(a, 1, licensor, licensee, 0, 0, "families", nil, nil, "non_exclusive", 0, nil))
			for pos := range 2 {
				must(term.Exec(g, "family", "F"+fmt.Sprint(rng.IntN(n/4)), pos))
			}
		}
		if i%10 == 0 {
			must(grant.Exec(a, 2, licensee, licensees[(i+1)%len(licensees)], 0, 0, "portfolio", nil, nil, "non_exclusive", 0, list))
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return w
}

// route is the licensee group's coverage through the group licence: the
// group's holdings over the capture window.
func (w *rightsBench) route() PatentSetQuery {
	spans := licensing.GroupSpans(w.links, w.owners[0], true, w.window[0], w.window[1])
	return PatentSetQuery{Sets: []licensing.PatentSet{{HeldBy: spans}}, InForceOn: licensing.MustDate("2019-06-30")}
}

// BenchmarkRights measures what a rights check and a coverage cost: the
// facts of one patent (a check must answer in a few milliseconds; the
// facts are the database's share), the grants of a licensee, and
// streaming and counting a route of some 30% of the patents (333,333 at
// PATENTDESK_BENCH_PATENTS=1000000).
//
// At a million patents (2 vCPUs shared with other builds, load about 5)
// the facts of a patent took 2.7 ms with 55 candidate grants and 4.8 ms
// with 74; most of it is preparing some ten statements (0.1–0.3 ms each
// in the pure-Go SQLite) and reading each grant's row, lists and head.
// The route streamed at 82,000 patents a second (4.1 s), counted in
// 2.8 s, counted by owner in 4.8 s.
func BenchmarkRights(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := benchPatents(b)
	seedPatents(b, db, n)
	w := seedRightsGrants(b, db, n)
	patent := func(owner int64, position int) int64 {
		var id int64
		if err := db.sql.QueryRow(`SELECT patent_id FROM patent_owners WHERE owner_id = ? AND position = ? LIMIT 1 OFFSET 7`,
			owner, position).Scan(&id); err != nil {
			b.Fatal(err)
		}
		return id
	}
	for _, c := range []struct {
		name   string
		patent int64
	}{
		{"OwnedByTheGroup", patent(w.owners[0], 0)},
		{"SoldIntoTheGroup", patent(w.owners[0], 1)}, // by Owner 19, outside the group, in 2015
		{"OwnedOutsideTheGroup", patent(w.owners[12], 0)},
	} {
		b.Run("PatentFacts"+c.name, func(b *testing.B) {
			grants := 0
			for b.Loop() {
				f, err := db.PatentFacts(ctx, c.patent)
				if err != nil {
					b.Fatal(err)
				}
				grants = len(f.Grants)
			}
			b.ReportMetric(float64(grants), "grants")
		})
	}
	b.Run("CoverageGrants", func(b *testing.B) {
		for b.Loop() {
			if _, _, _, err := db.CoverageGrants(ctx, w.licensee); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct {
		name      string
		territory string
	}{{"", ""}, {"InGermany", "DE"}} {
		q := w.route()
		q.Territory = c.territory
		b.Run("EachPatentInGroupRoute"+c.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				rows = 0
				if err := db.EachPatentIn(ctx, q, func(*PatentRecord) error { rows++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "rows/op")
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
	b.Run("CountPatentsInGroupRoute", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.CountPatentsIn(ctx, w.route()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CountPatentsInGroupRouteByOwner", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.CountPatentsInByOwner(ctx, w.route(), licensing.MustDate("2019-06-30")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
