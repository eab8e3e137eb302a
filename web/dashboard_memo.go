package web

import (
	"context"
	"sync"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// The start page's figures stay the same until a record changes or the
// day turns, and at a million patents counting them takes some hundreds
// of milliseconds of CPU (the deadline figures, read in part from years of
// recurring obligations; the patents in force of the largest groups, half
// a million index entries). So the server keeps the last ones it counted,
// part by part, each under the day and its own records stamp
// (sqlite.DB.RecordsStamps) read before counting it, and counts a part
// anew only for another day or stamp. A part's stamp leaves out the kinds
// of change the part does not read: marking an occurrence done, the
// commonest change made from the start page, counts the obligations'
// figures again and keeps the agreements, the patent expiries and the
// groups. The conflicts have their own cache (conflicts_cache.go), which
// also counts in the background.

// dashboardKey is what a part of the figures was counted for: the day,
// and the part's records stamp then.
type dashboardKey struct {
	today licensing.Date
	stamp int64
}

// dashboardPart is a part of the start page's figures, counted and kept
// on its own.
type dashboardPart int

const (
	partAgreements dashboardPart = iota // active, ending in 90 and 180 days
	partDueSoon                         // notices, obligations due, overdue
	partNext                            // the next deadlines
	partExpiries                        // licensed patents expiring this year
	partGroups                          // the groups' patents in force
	dashboardParts
)

// deadlineParts are the parts countDeadlines counts.
var deadlineParts = []dashboardPart{partDueSoon, partNext, partExpiries}

// figurePart is how a part is counted, what it reads, and its fields.
type figurePart struct {
	// ignored are the kinds of record change the part does not read.
	ignored sqlite.ChangeKinds
	count   func(s *Server, ctx context.Context, today licensing.Date, f *dashboardFigures) error
	// take copies the part's fields from one set of figures to another.
	take func(to, from *dashboardFigures)
}

// figureParts: what each part reads, from the code that counts it. The
// agreements' counts read agreements alone; the groups read companies,
// their control links and the patents with their owners (assignments
// move them: a change of any kind not named); the deadline parts as
// their filters say (DeadlineFilter.ChangesIgnored,
// sqlite.ExpiringPatentsChangesIgnored).
var figureParts = [dashboardParts]figurePart{
	partAgreements: {ignored: sqlite.ObligationChanges | sqlite.DocumentChanges | sqlite.GrantChanges,
		count: (*Server).countAgreements,
		take: func(to, from *dashboardFigures) {
			to.active, to.ending90, to.ending180 = from.active, from.ending90, from.ending180
		}},
	partDueSoon: {ignored: dueSoonFilter(licensing.Date{}).ChangesIgnored(), count: (*Server).countDueSoon,
		take: func(to, from *dashboardFigures) {
			to.notices, to.due, to.overdue = from.notices, from.due, from.overdue
		}},
	partNext: {ignored: nextDeadlinesFilter(licensing.Date{}).ChangesIgnored(), count: (*Server).nextDeadlines,
		take: func(to, from *dashboardFigures) { to.upcoming = from.upcoming }},
	partExpiries: {ignored: sqlite.ExpiringPatentsChangesIgnored, count: (*Server).countPatentExpiries,
		take: func(to, from *dashboardFigures) {
			to.patentsEnding, to.patentsCut = from.patentsEnding, from.patentsCut
		}},
	partGroups: {ignored: sqlite.ObligationChanges | sqlite.DocumentChanges | sqlite.GrantChanges, count: (*Server).countGroups,
		take: func(to, from *dashboardFigures) {
			to.groups, to.groupsRanked, to.moreGroups = from.groups, from.groupsRanked, from.moreGroups
		}},
}

// dashboardKeys reads the stamp of every part and makes its key for today.
func (s *Server) dashboardKeys(ctx context.Context, today licensing.Date) ([dashboardParts]dashboardKey, error) {
	var keys [dashboardParts]dashboardKey
	ignored := make([]sqlite.ChangeKinds, dashboardParts)
	for p := range dashboardParts {
		ignored[p] = figureParts[p].ignored
	}
	stamps, err := s.db.RecordsStamps(ctx, ignored...)
	if err != nil {
		return keys, err
	}
	for p := range dashboardParts {
		keys[p] = dashboardKey{today: today, stamp: stamps[p]}
	}
	return keys, nil
}

// keptPart is a part's figures as counted for key.
type keptPart struct {
	key     dashboardKey
	figures *dashboardFigures
}

// dashboardMemo holds a server's last counted figures, part by part (the
// groups when all were counted).
type dashboardMemo struct {
	mu      sync.Mutex
	kept    [dashboardParts]keptPart
	counted [dashboardParts]int // how many times each part was counted and kept
}

// memo is the server's memo of start page figures.
func (s *Server) memo() *dashboardMemo { return &s.dashMemo }

// take copies part p's figures counted for key into f, if there are any.
func (m *dashboardMemo) take(p dashboardPart, key dashboardKey, f *dashboardFigures) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.kept[p]
	if k.figures == nil || k.key != key {
		return false
	}
	figureParts[p].take(f, k.figures)
	return true
}

// keep keeps part p's figures of f, counted for key, the lists without
// the obligations' marks (withoutMarks). They are shared from then on:
// nothing changes them.
func (m *dashboardMemo) keep(p dashboardPart, key dashboardKey, f *dashboardFigures) {
	kept := &dashboardFigures{}
	figureParts[p].take(kept, f)
	kept.overdue, kept.upcoming = withoutMarks(kept.overdue), withoutMarks(kept.upcoming)
	m.mu.Lock()
	m.kept[p] = keptPart{key: key, figures: kept}
	m.counted[p]++
	m.mu.Unlock()
}

// counts is how many times each part was counted: what tests watch.
func (m *dashboardMemo) counts() [dashboardParts]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counted
}
