package web

import (
	"sync"

	"patentdesk/internal/licensing"
)

// The start page's figures stay the same until a record changes or the
// day turns, and at a million patents counting them takes some hundreds
// of milliseconds of CPU (the deadline figures, read in part from years of
// recurring obligations; the patents in force of the largest groups, half
// a million index entries). So the server keeps the last ones it counted,
// under the day and the records stamp (sqlite.DB.RecordsStamp) read
// before counting them, and counts anew only for another day or stamp:
// the first visit after a change counts, the others read. The conflicts
// have their own cache (conflicts_cache.go), which also counts in the
// background.

// dashboardKey is what the figures were counted for: the day, and the
// newest audited record change then.
type dashboardKey struct {
	today licensing.Date
	stamp int64
}

// dashboardMemo holds a server's last counted figures: the deadline
// figures with the agreements', and the groups when all were counted.
type dashboardMemo struct {
	mu        sync.Mutex
	deadlines *dashboardFigures // the agreements and deadlines part
	deadKey   dashboardKey
	groups    *dashboardFigures // the groups part, every group counted
	groupsKey dashboardKey
}

// memo is the server's memo of start page figures.
func (s *Server) memo() *dashboardMemo { return &s.dashMemo }

// deadlinesFor copies the agreements and deadline figures counted for key
// into f, if there are any.
func (m *dashboardMemo) deadlinesFor(key dashboardKey, f *dashboardFigures) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.deadlines == nil || m.deadKey != key {
		return false
	}
	d := m.deadlines
	f.active, f.ending90, f.ending180 = d.active, d.ending90, d.ending180
	f.notices, f.due, f.overdue, f.upcoming = d.notices, d.due, d.overdue, d.upcoming
	f.patentsEnding, f.patentsCut = d.patentsEnding, d.patentsCut
	return true
}

// keepDeadlines keeps the agreements and deadline figures of f, counted
// for key, the lists without the obligations' marks (withoutMarks). They
// are shared from then on: nothing changes them.
func (m *dashboardMemo) keepDeadlines(key dashboardKey, f *dashboardFigures) {
	d := &dashboardFigures{active: f.active, ending90: f.ending90, ending180: f.ending180, notices: f.notices, due: f.due,
		overdue: withoutMarks(f.overdue), upcoming: withoutMarks(f.upcoming), patentsEnding: f.patentsEnding, patentsCut: f.patentsCut}
	m.mu.Lock()
	m.deadlines, m.deadKey = d, key
	m.mu.Unlock()
}

// groupsFor copies the groups counted for key into f, if there are any.
func (m *dashboardMemo) groupsFor(key dashboardKey, f *dashboardFigures) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.groups == nil || m.groupsKey != key {
		return false
	}
	f.groups, f.groupsRanked, f.moreGroups = m.groups.groups, m.groups.groupsRanked, m.groups.moreGroups
	return true
}

// keepGroups keeps the groups of f, every one counted for key.
func (m *dashboardMemo) keepGroups(key dashboardKey, f *dashboardFigures) {
	g := &dashboardFigures{groups: f.groups, groupsRanked: f.groupsRanked, moreGroups: f.moreGroups}
	m.mu.Lock()
	m.groups, m.groupsKey = g, key
	m.mu.Unlock()
}
