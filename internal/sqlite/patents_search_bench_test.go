package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// BenchmarkScaleSearchWords searches the data set PATENTDESK_SCALE_DATA
// names for the words of the titles of patents drawn at random (words of
// five letters or more, as pdperf's {word} draws them: a common word comes
// up as often as it is common), as the search page (50 a page) and the
// API (20 a page) ask, by number, and reports the median and 95th
// percentile of a page. PATENTDESK_SEARCH_SLOWEST=n lists the n slowest
// searches with the plan each took.
func BenchmarkScaleSearchWords(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	words := sampleTitleWords(b, db, 400)
	if only := os.Getenv("PATENTDESK_SEARCH_WORDS"); only != "" {
		words = strings.Split(only, ",")
	}
	for _, limit := range []int{50, 20} {
		b.Run(fmt.Sprintf("%d a page", limit), func(b *testing.B) {
			type search struct {
				word string
				took time.Duration
			}
			var all []search
			for b.Loop() {
				for _, w := range words {
					start := time.Now()
					if _, _, err := db.Patents(ctx, PatentFilter{Query: &w, Limit: limit}); err != nil {
						b.Fatal(err)
					}
					all = append(all, search{w, time.Since(start)})
				}
			}
			took := make([]time.Duration, len(all))
			for i, s := range all {
				took[i] = s.took
			}
			reportPercentiles(b, took)
			var n int
			fmt.Sscan(os.Getenv("PATENTDESK_SEARCH_SLOWEST"), &n)
			slices.SortFunc(all, func(x, y search) int { return cmp.Compare(y.took, x.took) })
			for _, s := range all[:min(n, len(all))] {
				plan, err := db.planSearch(ctx, s.word, limit, true)
				if err != nil {
					b.Fatal(err)
				}
				var matches int
				if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM patents_fts WHERE patents_fts MATCH ?`, plan.match).Scan(&matches); err != nil {
					b.Fatal(err)
				}
				b.Logf("%-16s %8.2f ms  walk=%v sift=%v matches=%d", s.word, float64(s.took.Microseconds())/1000, plan.walk, plan.sift, matches)
			}
		})
	}
}

// sampleTitleWords draws n patents at random by id (the same ones for the
// same data set) and returns the words of five letters or more of their
// titles.
func sampleTitleWords(b *testing.B, db *DB, n int) []string {
	b.Helper()
	var top int64
	if err := db.sql.QueryRow(`SELECT max(id) FROM patents`).Scan(&top); err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var words []string
	for drawn := 0; drawn < n; {
		var title string
		err := db.sql.QueryRow(`SELECT title FROM patents WHERE id = ?`, 1+rnd.Int64N(top)).Scan(&title)
		if err != nil {
			continue // a gap in the ids
		}
		drawn++
		for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 5 {
				words = append(words, strings.ToLower(w))
			}
		}
	}
	return words
}
