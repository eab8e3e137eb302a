package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// At a million patents reading the deadlines of a year takes about half a
// second of CPU (years of recurring obligations with their marks, the
// patent expiries of thousands of portfolio grants), and the list stays
// the same until a record changes or the day turns (the filter holds the
// day). So the server keeps the last few lists it read, each under its
// filter and the records stamp read before reading it
// (sqlite.DB.RecordsStamps, leaving out the changes the filter's list
// does not read: documents always, obligations and grants where it has no
// obligations or patent expiries): paging back and forth, or coming back
// to the list, reads it once; the first visit after a change reads it
// anew.

// deadlineMemoSize is how many lists are kept: a few users' current
// filters and pages.
const deadlineMemoSize = 8

// deadlineMemo holds a server's last lists read, the latest first.
type deadlineMemo struct {
	mu    sync.Mutex
	kept  []keptDeadlines
	reads int // how many lists were read and kept: what tests watch
}

// keptDeadlines is a list read by readDeadlines, for a filter and a
// number wanted, while the records stamp was stamp.
type keptDeadlines struct {
	key     string
	stamp   int64
	list    []licensing.Deadline
	through licensing.Date
}

// deadlineMemo is the server's memo of deadline lists.
func (s *Server) deadlineMemo() *deadlineMemo { return &s.deadMemo }

// readDeadlinesKept is readDeadlines, answered from the memo when the same
// filter and number were read since the last record change. The list is
// shared: callers only read it.
func (s *Server) readDeadlinesKept(ctx context.Context, f sqlite.DeadlineFilter, want int) ([]licensing.Deadline, licensing.Date, error) {
	stamps, err := s.db.RecordsStamps(ctx, f.ChangesIgnored())
	if err != nil {
		return nil, licensing.Date{}, err
	}
	stamp := stamps[0]
	key, m := deadlineMemoKey(f, want), s.deadlineMemo()
	m.mu.Lock()
	i := slices.IndexFunc(m.kept, func(k keptDeadlines) bool { return k.key == key && k.stamp == stamp })
	if i >= 0 {
		k := m.kept[i]
		m.mu.Unlock()
		return k.list, k.through, nil
	}
	m.mu.Unlock()
	list, through, err := s.readDeadlines(ctx, f, want)
	if err != nil {
		return nil, through, err
	}
	m.mu.Lock()
	m.kept = slices.DeleteFunc(m.kept, func(k keptDeadlines) bool { return k.key == key })
	m.kept = slices.Insert(m.kept, 0, keptDeadlines{key: key, stamp: stamp, list: withoutMarks(list), through: through})
	m.kept = m.kept[:min(len(m.kept), deadlineMemoSize)]
	m.reads++
	m.mu.Unlock()
	return list, through, nil
}

// deadlineMemoKey writes every field of a filter, and the number wanted.
func deadlineMemoKey(f sqlite.DeadlineFilter, want int) string {
	var b strings.Builder
	for _, d := range []licensing.Date{f.From, f.To, f.Today} {
		b.WriteString(d.String() + "|")
	}
	if f.Kind != nil {
		b.WriteString(string(*f.Kind))
	}
	b.WriteString("|")
	for _, k := range f.Kinds {
		b.WriteString(string(k) + ",")
	}
	b.WriteString("|")
	for _, st := range f.Statuses {
		b.WriteString(string(st) + ",")
	}
	for _, n := range []int64{f.Company, f.Agreement, int64(f.PatentLimit), int64(want)} {
		b.WriteString("|" + strconv.FormatInt(n, 10))
	}
	for _, flag := range []bool{f.Affiliates, f.Overdue, f.Portfolios} {
		b.WriteString("|" + strconv.FormatBool(flag))
	}
	return b.String()
}

// withoutMarks copies a list of deadlines for keeping, each obligation
// copied once without its marked occurrences: a deadline carries the one
// it shows, and the pages use no other, while the obligations of a year
// with what is overdue carry some ninety thousand at a million patents
// (megabytes for each list kept).
func withoutMarks(list []licensing.Deadline) []licensing.Deadline {
	out := slices.Clone(list)
	copies := map[*licensing.Obligation]*licensing.Obligation{}
	for i := range out {
		o := out[i].Obligation
		if o == nil {
			continue
		}
		c, ok := copies[o]
		if !ok {
			bare := *o
			bare.Occurrences = nil
			c, copies[o] = &bare, &bare
		}
		out[i].Obligation = c
	}
	return out
}
