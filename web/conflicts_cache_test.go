package web

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// countingFinder wraps the server's conflict finder: it counts the counts,
// the most at once, and holds each at the gate while the gate is shut.
type countingFinder struct {
	srv     *Server
	calls   atomic.Int32
	running atomic.Int32
	most    atomic.Int32
	entered chan struct{} // a count has begun (buffered, not required to be read)
	mu      sync.Mutex
	gate    chan struct{} // nil: open
}

func watchConflictCounts(t *testing.T, app *testApp) *countingFinder {
	t.Helper()
	f := &countingFinder{srv: app.srv, entered: make(chan struct{}, 16)}
	app.srv.conflicts.find = f.find
	t.Cleanup(func() { f.open(); app.srv.Close() })
	return f
}

func (f *countingFinder) find(ctx context.Context, today licensing.Date) (*conflictReport, error) {
	f.calls.Add(1)
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for m := f.most.Load(); n > m && !f.most.CompareAndSwap(m, n); m = f.most.Load() {
	}
	select {
	case f.entered <- struct{}{}:
	default:
	}
	f.mu.Lock()
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.srv.findConflicts(ctx, today)
}

func (f *countingFinder) shut() {
	f.mu.Lock()
	f.gate = make(chan struct{})
	f.mu.Unlock()
}

func (f *countingFinder) open() {
	f.mu.Lock()
	if f.gate != nil {
		close(f.gate)
		f.gate = nil
	}
	f.mu.Unlock()
}

// startPageConflicts is the conflicts figure of the start page in lang,
// waiting budget for the slow figures.
func startPageConflicts(t *testing.T, app *testApp, lang string, budget time.Duration) templates.DashboardFigure {
	t.Helper()
	today := licensing.DateOf(app.clock.Now())
	f, err := app.srv.dashboardFigures(context.Background(), today, budget)
	if err != nil {
		t.Fatal(err)
	}
	for _, fig := range f.numbers(i18n.For(lang), today) {
		if fig.TestID == "figure-conflicts" {
			return fig
		}
	}
	t.Fatal("no conflicts figure")
	return templates.DashboardFigure{}
}

// settleAppleLicence records that the demo's Apple licence, past its
// term, has expired: the demo's one conflict (its stale status) goes.
func settleAppleLicence(t *testing.T, app *testApp) {
	t.Helper()
	ctx := context.Background()
	a, err := app.db.AgreementByReference(ctx, "NOK-APL-2017")
	if err != nil {
		t.Fatal(err)
	}
	a.Status = licensing.AgreementExpired
	if err := app.db.UpdateAgreement(ctx, sqlite.CLIActor(), a); err != nil {
		t.Fatal(err)
	}
}

// TestConflictCountComesFromTheCache: once counted, the start page shows
// the conflicts at once, however little time it has, until a record
// changes; the conflicts page uses the same count. A sign-in changes no
// record and keeps it.
func TestConflictCountComesFromTheCache(t *testing.T) {
	app := newDashboardDemo(t)
	counts := watchConflictCounts(t, app)
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "1" || c.Note != "" {
		t.Fatalf("first visit: conflicts %q (note %q), want the demo's one conflict counted", c.Value, c.Note)
	}
	if err := app.db.RecordEvent(context.Background(), sqlite.Actor{Email: "a@example.com", Via: sqlite.ViaWeb},
		sqlite.Change{Action: "session.signin", Entity: "user", EntityID: "1"}); err != nil {
		t.Fatal(err)
	}
	if c := startPageConflicts(t, app, "en", 0); c.Value != "1" || c.Note != "" || !c.Attention {
		t.Errorf("second visit, no time to count: conflicts %+v, want 1 from the cache", c)
	}
	b := app.browser()
	b.mustSignIn(app.addUser("reader@example.com", auth.RoleViewer))
	doc := parseHTML(t, b.get("/conflicts"))
	if got := testid(doc, "conflict").Length(); got != 1 {
		t.Errorf("conflicts page lists %d conflicts, want 1", got)
	}
	if n := counts.calls.Load(); n != 1 {
		t.Errorf("conflicts counted %d times, want once for the start page, the page and a sign-in", n)
	}
	settleAppleLicence(t, app)
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "0" || c.Note != "" {
		t.Errorf("after the Apple licence expired: conflicts %q (note %q), want 0 counted again", c.Value, c.Note)
	}
	if n := counts.calls.Load(); n != 2 {
		t.Errorf("conflicts counted %d times, want twice: a record changed", n)
	}
}

// TestConflictCountStaleWhileRecounted: while a record change is being
// counted, the start page shows the count from before with the time it was
// counted, in the user's language; the next visit gets the new count.
func TestConflictCountStaleWhileRecounted(t *testing.T) {
	app := newDashboardDemo(t)
	counts := watchConflictCounts(t, app)
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "1" {
		t.Fatalf("first visit: conflicts %q, want 1", c.Value)
	}
	app.clock.Advance(95 * time.Minute) // 10:35, counted at 09:00
	settleAppleLicence(t, app)
	counts.shut()
	for _, tc := range []struct{ lang, note, about string }{
		{"en", "Counted today at 09:00", "Records have changed since"},
		{"de", "Heute um 09:00 Uhr gezählt", "Seitdem haben sich Daten"},
	} {
		c := startPageConflicts(t, app, tc.lang, 20*time.Millisecond)
		if c.Value != "1" || c.Note != tc.note || len(c.About) < len(tc.about) || c.About[:len(tc.about)] != tc.about {
			t.Errorf("%s, recount held: conflicts %q, note %q, about %q; want the old 1, %q, %q…", tc.lang, c.Value, c.Note, c.About, tc.note, tc.about)
		}
	}
	app.clock.Advance(24 * time.Hour) // a day later, still held: the day is named
	if c := startPageConflicts(t, app, "de", 20*time.Millisecond); c.Note != "Am 21.11.2026 um 09:00 Uhr gezählt" {
		t.Errorf("a day later: note %q, want the day and time of the count", c.Note)
	}
	counts.open()
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "0" || c.Note != "" {
		t.Errorf("after the recount: conflicts %q (note %q), want 0", c.Value, c.Note)
	}
	if m := counts.most.Load(); m != 1 {
		t.Errorf("%d counts ran at once, want one at a time", m)
	}
}

// TestConflictCountOneAtATime: visits while a count runs join it, and a
// record changed meanwhile is counted after it, not beside it.
func TestConflictCountOneAtATime(t *testing.T) {
	app := newDashboardDemo(t)
	counts := watchConflictCounts(t, app)
	counts.shut()
	today := licensing.DateOf(app.clock.Now())
	ask := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		if _, _, err := app.srv.conflicts.report(ctx, today); err != context.DeadlineExceeded {
			t.Errorf("a visit while the count is held: %v, want the deadline", err)
		}
	}
	for range 3 {
		ask()
	}
	<-counts.entered
	settleAppleLicence(t, app)
	for range 3 {
		ask()
	}
	if n := counts.calls.Load(); n != 1 {
		t.Errorf("%d counts began while the first was held, want 1", n)
	}
	counts.open()
	fresh, _, err := app.srv.conflicts.report(context.Background(), today)
	if err != nil || fresh == nil || len(fresh.report.items) != 0 {
		t.Fatalf("after the hold: %+v, %v; want the count after the change, with no conflict", fresh, err)
	}
	if n, m := counts.calls.Load(), counts.most.Load(); n != 2 || m != 1 {
		t.Errorf("%d counts, at most %d at once; want 2 (before and after the change), one at a time", n, m)
	}
}

// TestConflictCountStopsWithTheServer: a count under way ends when the
// server closes, and none begins after.
func TestConflictCountStopsWithTheServer(t *testing.T) {
	app := newDashboardDemo(t)
	counts := watchConflictCounts(t, app)
	counts.shut()
	if c := startPageConflicts(t, app, "en", 10*time.Millisecond); c.Value != "Not counted" {
		t.Fatalf("never counted and held: conflicts %q, want Not counted", c.Value)
	}
	<-counts.entered
	closed := make(chan struct{})
	go func() { app.srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the count under way")
	}
	if n := counts.running.Load(); n != 0 {
		t.Errorf("%d counts still running after Close", n)
	}
	counts.open()
	if c := startPageConflicts(t, app, "en", time.Minute); c.Value != "Not counted" {
		t.Errorf("after Close: conflicts %q, want Not counted", c.Value)
	}
	if n := counts.calls.Load(); n != 1 {
		t.Errorf("%d counts began, want none after Close", n)
	}
}
