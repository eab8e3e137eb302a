package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The start page: a number for each thing that must not go unseen, each
// linking to the list behind it (filtered by the parameters that list
// reads, so that the number and the list agree), the next deadlines, and
// the patents in force of each corporate group.

const (
	// dashboardDeadlines is how many upcoming deadlines the page lists,
	// after every overdue obligation (up to dashboardOverdue of them).
	dashboardDeadlines = 10
	dashboardOverdue   = 10
	// dashboardGroups is how many corporate groups the page counts the
	// patents in force of, the largest portfolios first.
	dashboardGroups = 8
	// dashboardSoonDays marks a deadline this close as near.
	dashboardSoonDays = 14
	// slowBudget is how long the page waits, all in all, for the two
	// figures whose cost grows with the whole record: the patents in force
	// of each corporate group (counted on the owner index that holds the
	// in-force columns, migration 00008; it was about 3.5 s for 400,000
	// patents without it) and the conflicts (every
	// grant judged against the others, and the patents their scopes
	// share). Past the budget what is left reads "not counted" and links
	// to the list, which counts it.
	slowBudget = 3 * time.Second
	// dashboardPatentLimit bounds the count of licensed patents expiring
	// this year: each costs a few lookups (about a second for a whole
	// year at a million patents), so past this many distinct patents the
	// figure says "at least", and the list shows them all.
	dashboardPatentLimit = 2000
)

// dashboard is the start page.
func (s *Server) dashboard(c echo.Context) error {
	ctx, l := c.Request().Context(), state(c).locale
	p, err := s.page(c, "dashboard.title", "dashboard")
	if err != nil {
		return err
	}
	v := templates.DashboardView{CanEdit: canEdit(c), Sections: templates.Nav[1:]}
	some, err := s.db.HasRecords(ctx)
	if err != nil {
		return err
	}
	if !some {
		v.Empty = true
		return render(c, http.StatusOK, templates.Dashboard(p, v))
	}
	today := licensing.DateOf(s.now())
	f, err := s.dashboardFigures(ctx, today, slowBudget)
	if err != nil {
		return err
	}
	f.fill(l, today, &v)
	return render(c, http.StatusOK, templates.Dashboard(p, v))
}

// dashboardFigures are the start page's numbers and lists, before they are
// put into words.
type dashboardFigures struct {
	active, ending90, ending180 int
	notices, due                int
	overdue                     []licensing.Deadline // every overdue obligation, oldest first
	upcoming                    []licensing.Deadline // the next deadlines from today, still to be met
	patentsEnding               int                  // distinct licensed patents whose term ends this year
	patentsCut                  bool                 // the count stopped at dashboardPatentLimit: at least
	conflicts                   int
	conflictsCounted            bool      // conflicts is today's count as the records stand
	conflictsAt                 time.Time // when not counted: when the count shown was counted, if any
	groupsRanked                bool      // the groups were ranked in time: groups holds them
	groups                      []groupInForce
	moreGroups                  int // groups owning patents that are not shown
}

// groupInForce is a corporate group, named by the company at its top, and
// how many patents its companies own that are in force, if counted in time.
type groupInForce struct {
	top     *licensing.Company
	inForce int
	counted bool
}

// dashboardFigures counts everything the start page shows on day today.
// The patents in force of the groups and the conflicts are counted within
// budget, as far as it goes; what it does not reach is left uncounted.
// They are counted while the agreements and deadlines are, so that the
// page takes the longer of the two, not their sum. Each part is kept for
// the next visits until a record it reads changes or the day turns
// (dashboard_memo.go).
func (s *Server) dashboardFigures(ctx context.Context, today licensing.Date, budget time.Duration) (*dashboardFigures, error) {
	// The stamps before counting: a change made while counting makes the
	// next visit count again.
	keys, err := s.dashboardKeys(ctx, today)
	if err != nil {
		return nil, err
	}
	memo := s.memo()
	slow, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	counted := &dashboardFigures{}
	done := make(chan error, 1)
	go func() { done <- s.countSlowFigures(slow, today, counted, memo, keys[partGroups]) }()
	f := &dashboardFigures{}
	var todo []dashboardPart
	for _, p := range []dashboardPart{partAgreements, partDueSoon, partNext, partExpiries} {
		if !memo.take(p, keys[p], f) {
			todo = append(todo, p)
		}
	}
	if err = s.countParts(ctx, today, f, todo); err == nil {
		for _, p := range todo {
			memo.keep(p, keys[p], f)
		}
	}
	if err != nil {
		cancel()
		<-done
		return nil, err
	}
	if err := <-done; err != nil && (slow.Err() == nil || ctx.Err() != nil) {
		return nil, err // a fault, not the end of the budget
	}
	figureParts[partGroups].take(f, counted)
	f.conflicts, f.conflictsCounted, f.conflictsAt = counted.conflicts, counted.conflictsCounted, counted.conflictsAt
	return f, nil
}

// countSlowFigures counts the groups' patents in force and then the
// conflicts into f until ctx ends. Both come from the server's caches
// when no record they read changed since they were last counted (the
// groups for key; the conflicts even when the groups used up the budget).
func (s *Server) countSlowFigures(ctx context.Context, today licensing.Date, f *dashboardFigures, memo *dashboardMemo, key dashboardKey) error {
	var groups error
	if !memo.take(partGroups, key, f) {
		groups = s.countGroups(ctx, today, f)
		if groups == nil {
			memo.keep(partGroups, key, f)
		}
	}
	if groups != nil && ctx.Err() == nil {
		return groups // a fault, not the end of the budget
	}
	return cmp.Or(s.countConflicts(ctx, today, f), groups)
}

// countConflicts counts the conflicts into f: those cached if no record
// changed since, else a count started (or joined) in the background,
// waited for until ctx ends. Past ctx, the count goes on for the next
// visit, and f holds the last count there is with when it was counted.
func (s *Server) countConflicts(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	fresh, last, err := s.conflicts.report(ctx, today)
	switch {
	case fresh != nil:
		f.conflicts, f.conflictsCounted = len(fresh.report.items), true
	case last != nil:
		f.conflicts, f.conflictsAt = len(last.report.items), last.at
	}
	return err
}

// countAgreements counts the active agreements and those in force today
// that come to an end from today to 90 and 180 days ahead, as the
// agreements list filters them (sqlite.AgreementsEnding): by the end of
// the term running today, so that one that renews itself counts when its
// current term ends, and without the amendments that restate their
// parent's term, which end with it.
func (s *Server) countAgreements(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	active := licensing.AgreementActive
	var err error
	if f.active, err = s.db.CountAgreements(ctx, sqlite.AgreementFilter{Status: &active}); err != nil {
		return err
	}
	for _, c := range []struct {
		days int
		n    *int
	}{{90, &f.ending90}, {180, &f.ending180}} {
		ending := sqlite.AgreementFilter{Ending: &sqlite.AgreementsEnding{On: today, Last: today.AddDays(c.days)}}
		if *c.n, err = s.db.CountAgreements(ctx, ending); err != nil {
			return err
		}
	}
	return nil
}

// countDeadlines counts the notice deadlines and the obligations of the
// coming weeks, with every obligation still overdue, as the deadlines list
// finds them; then lists the next deadlines and counts the licensed
// patents expiring this year.
func (s *Server) countDeadlines(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	return s.countParts(ctx, today, f, deadlineParts)
}

// countParts counts the parts of the figures named into f.
//
// They are counted at once: each fills fields of its own, and the page
// then waits for the longest, not their sum (the machine has two cores).
func (s *Server) countParts(ctx context.Context, today licensing.Date, f *dashboardFigures, parts []dashboardPart) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			if errs[i] = figureParts[p].count(s, ctx, today, f); errs[i] != nil {
				cancel() // the others need not finish
			}
		})
	}
	wg.Wait()
	// The fault itself, not the cancellation it caused in the others;
	// else the request's own end.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return cmp.Or(errs...)
}

// countDueSoon counts the notice deadlines of the next 60 days and the
// obligations of the next 30, and lists every obligation still overdue.
func (s *Server) countDueSoon(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	list, err := s.db.Deadlines(ctx, dueSoonFilter(today))
	if err != nil {
		return err
	}
	for _, d := range list {
		switch {
		case d.Status == licensing.DeadlineOverdue:
			f.overdue = append(f.overdue, d)
		case !toBeMet(d, today):
		case d.Kind == licensing.DeadlineNotice:
			f.notices++
		case !d.Date.After(today.AddDays(30)):
			f.due++
		}
	}
	return nil
}

// dueSoonFilter is the filter of countDueSoon.
func dueSoonFilter(today licensing.Date) sqlite.DeadlineFilter {
	return sqlite.DeadlineFilter{From: today, To: today.AddDays(60), Today: today, Overdue: true,
		Kinds: []licensing.DeadlineKind{licensing.DeadlineNotice, licensing.DeadlineObligation}}
}

// nextDeadlines lists the next deadlines still to be met, of every kind.
// The expiries of patents under portfolio grants are read only as far as
// the first few of each grant reach: the list is complete up to the day
// the store returns, which is far enough for the first ten.
func (s *Server) nextDeadlines(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	next, _, err := s.db.DeadlinesThrough(ctx, nextDeadlinesFilter(today))
	if err != nil {
		return err
	}
	for _, d := range next {
		if toBeMet(d, today) && len(f.upcoming) < dashboardDeadlines {
			f.upcoming = append(f.upcoming, d)
		}
	}
	return nil
}

// nextDeadlinesFilter is the filter of nextDeadlines.
func nextDeadlinesFilter(today licensing.Date) sqlite.DeadlineFilter {
	return sqlite.DeadlineFilter{From: today, To: today.AddDays(365), Today: today, Portfolios: true, PatentLimit: dashboardDeadlines}
}

// countPatentExpiries counts the distinct patents under licence whose
// term ends from today to the end of the year, as the deadlines list of
// patent expiries shows them (portfolio grants included), each patent
// once however many portfolios take it in, up to dashboardPatentLimit.
func (s *Server) countPatentExpiries(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	var err error
	f.patentsEnding, f.patentsCut, err = s.db.CountExpiringPatents(ctx, today, yearEnd(today), dashboardPatentLimit)
	return err
}

// yearEnd is the last day of today's year.
func yearEnd(today licensing.Date) licensing.Date {
	return licensing.NewDate(today.Time().Year(), time.December, 31)
}

// toBeMet reports whether a deadline still lies ahead of today, open.
func toBeMet(d licensing.Deadline, today licensing.Date) bool {
	return !d.Date.Before(today) && d.Status == licensing.DeadlineOpen
}

// countGroups counts the patents in force today of the corporate groups
// with the largest portfolios: each group's companies as they stand
// today, under the company at its top. The patents each company owns are
// counted on the owner index alone first, to rank the groups; then the
// groups shown are counted in force, largest first, through the owner
// index too, until ctx ends (the budget): the groups not reached by then
// stay uncounted, and the error is ctx's.
func (s *Server) countGroups(ctx context.Context, today licensing.Date, f *dashboardFigures) error {
	owned, err := s.db.PatentOwners(ctx)
	if err != nil {
		return err
	}
	links, err := s.db.ControlLinks(ctx)
	if err != nil {
		return err
	}
	sizes, topOf := map[int64]int{}, groupTops(links, today)
	for owner, n := range owned {
		sizes[topOf(owner)] += n
	}
	tops := make([]int64, 0, len(sizes))
	for top := range sizes {
		tops = append(tops, top)
	}
	slices.SortFunc(tops, func(a, b int64) int { return cmp.Or(cmp.Compare(sizes[b], sizes[a]), cmp.Compare(a, b)) })
	if len(tops) > dashboardGroups {
		f.moreGroups, tops = len(tops)-dashboardGroups, tops[:dashboardGroups]
	}
	for _, top := range tops {
		company, err := s.db.Company(ctx, top)
		if err != nil {
			return err
		}
		f.groups = append(f.groups, groupInForce{top: company})
	}
	f.groupsRanked = true
	defer byInForce(f.groups) // also those counted before the budget ran out
	for i := range f.groups {
		g := &f.groups[i]
		n, err := s.db.CountPatents(ctx, sqlite.PatentFilter{OwnerIDs: licensing.Group(links, g.top.ID, today), InForceOn: &today})
		if err != nil {
			return err
		}
		g.inForce, g.counted = n, true
	}
	return nil
}

// byInForce orders the groups shown by their patents in force, the most
// first, as the table says; the groups were picked by all the patents they
// own (counted on the owner index alone), which keeps their order where
// the counts in force are equal. Groups not counted stay at the end.
func byInForce(groups []groupInForce) {
	slices.SortStableFunc(groups, func(a, b groupInForce) int {
		if a.counted != b.counted {
			if a.counted {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.inForce, a.inForce)
	})
}

// topOfGroup is the company at the top of c's corporate tree on day on:
// c's parent, its parent's parent and so on, following the parent links
// whose control period contains the day.
func topOfGroup(links []licensing.Control, c int64, on licensing.Date) int64 {
	return groupTops(links, on)(c)
}

// groupTops returns topOfGroup for day on, the parent links read once for
// every company asked about.
func groupTops(links []licensing.Control, on licensing.Date) func(c int64) int64 {
	parent := map[int64]int64{}
	for _, l := range links {
		if l.Company != l.Parent && on.Within(l.From, l.To) {
			parent[l.Company] = l.Parent // the rule of licensing.Affiliates
		}
	}
	return func(c int64) int64 {
		seen := map[int64]bool{c: true}
		for {
			p, ok := parent[c]
			if !ok || seen[p] {
				return c
			}
			seen[p], c = true, p
		}
	}
}

// fill puts the figures into the view in the user's language.
func (f *dashboardFigures) fill(l *i18n.Locale, today licensing.Date, v *templates.DashboardView) {
	v.Figures = f.numbers(l, today)
	for _, g := range f.groups {
		p := newListParams()
		p.set("owner", strconv.FormatInt(g.top.ID, 10))
		p.flag("affiliates", true)
		p.set("in_force_on", today.String())
		count := l.T("dashboard.not_counted")
		if g.counted {
			count = l.Int(int64(g.inForce))
		}
		v.Groups = append(v.Groups, templates.DashboardGroup{ID: g.top.ID, Name: g.top.Name, Count: count, Href: p.href("/patents")})
	}
	v.GroupsRanked, v.MoreGroups = f.groupsRanked, f.moreGroups
	shown := f.overdue[:min(len(f.overdue), dashboardOverdue)]
	for _, d := range shown {
		v.Overdue = append(v.Overdue, dashboardDeadline(l, d, today))
	}
	v.MoreOverdue = len(f.overdue) - len(shown)
	v.OverdueHref = deadlinesHref("obligation", "overdue", "", "")
	for _, d := range f.upcoming {
		v.Upcoming = append(v.Upcoming, dashboardDeadline(l, d, today))
	}
}

// numbers are the figures in the order the page shows them: what needs
// acting on first.
func (f *dashboardFigures) numbers(l *i18n.Locale, today licensing.Date) []templates.DashboardFigure {
	day := func(d licensing.Date) string { return l.Date(d.Time()) }
	num := func(n int) string { return l.Int(int64(n)) }
	t, end := today.String(), yearEnd(today)
	agreements := func(days int) string {
		p := newListParams()
		p.set("ending_from", t)
		p.set("ending_by", today.AddDays(days).String())
		return p.href("/agreements")
	}
	patents := templates.DashboardFigure{TestID: "figure-patents-expiring", Label: l.T("dashboard.figure.patents_expiring"),
		Value: num(f.patentsEnding), About: l.T("dashboard.figure.patents_expiring.about", day(end)),
		Href: deadlinesHref("patent_expiry", "", t, end.String())}
	if f.patentsCut {
		patents.Value, patents.About = l.T("dashboard.at_least", num(f.patentsEnding)), l.T("dashboard.at_least.about")
	}
	conflicts := templates.DashboardFigure{TestID: "figure-conflicts", Label: l.T("dashboard.figure.conflicts"),
		Value: num(f.conflicts), About: l.T("dashboard.figure.conflicts.about"), Href: "/conflicts", Attention: f.conflicts > 0}
	switch {
	case f.conflictsCounted:
	case !f.conflictsAt.IsZero():
		conflicts.Note, conflicts.About = countedAt(l, f.conflictsAt, today), l.T("dashboard.recounting.about")
	default:
		conflicts.Value, conflicts.About, conflicts.Attention = l.T("dashboard.not_counted"), l.T("dashboard.not_counted.about"), false
	}
	return []templates.DashboardFigure{
		{TestID: "figure-notices", Label: l.T("dashboard.figure.notices_60"), Value: num(f.notices),
			About: l.T("dashboard.figure.notices_60.about", day(today.AddDays(60))),
			Href:  deadlinesHref("notice", "", t, today.AddDays(60).String()), Attention: f.notices > 0},
		{TestID: "figure-overdue", Label: l.T("dashboard.figure.overdue"), Value: num(len(f.overdue)),
			About: l.T("dashboard.figure.overdue.about"), Href: deadlinesHref("obligation", "overdue", "", ""), Attention: len(f.overdue) > 0},
		{TestID: "figure-due", Label: l.T("dashboard.figure.due_30"), Value: num(f.due),
			About: l.T("dashboard.figure.due_30.about", day(today.AddDays(30))),
			Href:  deadlinesHref("obligation", "open", t, today.AddDays(30).String())},
		{TestID: "figure-ending-90", Label: l.T("dashboard.figure.expiring_90"), Value: num(f.ending90),
			About: l.T("dashboard.figure.expiring.about", day(today.AddDays(90))), Href: agreements(90)},
		{TestID: "figure-ending-180", Label: l.T("dashboard.figure.expiring_180"), Value: num(f.ending180),
			About: l.T("dashboard.figure.expiring.about", day(today.AddDays(180))), Href: agreements(180)},
		{TestID: "figure-active", Label: l.T("dashboard.figure.agreements_active"), Value: num(f.active),
			About: l.T("dashboard.figure.agreements_active.about"), Href: "/agreements?status=active"},
		patents,
		conflicts,
	}
}

// countedAt says when a figure shown from an earlier count was counted:
// the time of day if today, else the day and time (UTC, as every time the
// pages show).
func countedAt(l *i18n.Locale, at time.Time, today licensing.Date) string {
	at = at.UTC()
	if licensing.DateOf(at) == today {
		return l.T("dashboard.counted_at", at.Format("15:04"))
	}
	return l.T("dashboard.counted_on", l.Date(at), at.Format("15:04"))
}

// deadlinesHref links to the deadlines list of one kind, status and period
// (each left out when empty): the parameters helper pages share with it.
func deadlinesHref(kind, status, from, to string) string {
	p := newListParams()
	p.set("kind", kind)
	p.set("status", status)
	p.set("from", from)
	p.set("to", to)
	return p.href("/deadlines")
}

// dashboardDeadline is a deadline as the start page lists it: its title
// naming kind and agreement, linking to the agreement, and how far away it
// is in the words of the deadlines list.
func dashboardDeadline(l *i18n.Locale, d licensing.Deadline, today licensing.Date) templates.DashboardDeadline {
	days := daysBetween(today, d.Date)
	return templates.DashboardDeadline{Date: d.Date.Time(), Kind: string(d.Kind), When: deadlineWhen(l, d, today),
		Title: deadlineTitle(l, d), Href: "/agreements/" + strconv.FormatInt(d.Agreement.ID, 10),
		Status: l.T("calendar.status." + string(d.Status)), Overdue: d.Status == licensing.DeadlineOverdue,
		Soon: days >= 0 && days <= dashboardSoonDays}
}
