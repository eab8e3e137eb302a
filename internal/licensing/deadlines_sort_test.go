package licensing

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeadlinesSortedAsCompared: the deadlines list keeps the order of
// compareDeadlines — day, kind, reference whatever its case, agreement,
// what falls due, ids — now that it sorts on keys worked out once. Lists
// of a few to some thousands of deadlines drawn at random over a few
// days, kinds, agreements whose references differ only in case, and
// obligations and patents sharing titles and numbers, so that every key
// decides some pairs.
func TestDeadlinesSortedAsCompared(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 14))
	refs := []string{"NOK-XIA-2017", "nok-xia-2017", "Nok-Hmd-2016", "APL-1", "apl-1", "Ärger-1", "z", ""}
	var agreements []*Agreement
	for i, ref := range refs {
		for j := range 2 { // two agreements of each reference: the id decides
			agreements = append(agreements, &Agreement{ID: int64(10*i + j + 1), Reference: ref})
		}
	}
	obligations := []*Obligation{{ID: 3, Title: "Royalty report"}, {ID: 1, Title: "Royalty report"}, {ID: 2, Title: "Annual fee"}}
	kinds := append(slices.Clone(DeadlineKinds), "unknown")
	day := MustDate("2026-11-21")
	for _, n := range []int{0, 1, 2, 7, 50, 500, 4000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			list := make([]Deadline, n)
			for i := range list {
				d := Deadline{Date: day.AddDays(r.IntN(4)), Kind: kinds[r.IntN(len(kinds))], Agreement: agreements[r.IntN(len(agreements))],
					Status: DeadlineOpen}
				switch r.IntN(3) {
				case 0:
					d.Obligation = obligations[r.IntN(len(obligations))]
				case 1:
					d.PatentID = int64(r.IntN(5))
					d.Patent = fmt.Sprintf("EP%dB1", r.IntN(3))
				}
				list[i] = d
			}
			want := slices.Clone(list)
			slices.SortFunc(want, compareDeadlines)
			got := sortDeadlines(slices.Clone(list))
			if len(got) != len(want) {
				t.Fatalf("%d deadlines sorted, want %d", len(got), len(want))
			}
			for i := range want {
				if compareDeadlines(got[i], want[i]) != 0 {
					t.Fatalf("deadline %d of %d: %s %s %q obligation %d patent %d %q, want %s %s %q obligation %d patent %d %q", i, n,
						got[i].Date, got[i].Kind, got[i].Agreement.Reference, got[i].obligationID(), got[i].PatentID, got[i].subject(),
						want[i].Date, want[i].Kind, want[i].Agreement.Reference, want[i].obligationID(), want[i].PatentID, want[i].subject())
				}
			}
		})
	}
}

// BenchmarkSortDeadlines sorts a day's worth of patent expiries under a
// few hundred agreements, as the deadlines page at a million patents has
// them, by keys (sortDeadlines) and by compareDeadlines.
func BenchmarkSortDeadlines(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var agreements []*Agreement
	for i := range 300 {
		agreements = append(agreements, &Agreement{ID: int64(i + 1), Reference: fmt.Sprintf("GEN-%04d-LIC", r.IntN(5000))})
	}
	list := make([]Deadline, 4000)
	day := MustDate("2026-11-21")
	for i := range list {
		p := r.IntN(100000)
		list[i] = Deadline{Date: day.AddDays(r.IntN(2)), Kind: DeadlinePatentExpiry, Agreement: agreements[r.IntN(len(agreements))],
			PatentID: int64(p), Patent: fmt.Sprintf("US%dB2", 9000000+p)}
	}
	b.Run("Keys", func(b *testing.B) {
		for b.Loop() {
			sortDeadlines(slices.Clone(list))
		}
	})
	b.Run("Compare", func(b *testing.B) {
		for b.Loop() {
			slices.SortFunc(slices.Clone(list), compareDeadlines)
		}
	})
}
