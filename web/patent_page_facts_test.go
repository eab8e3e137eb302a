package web

import (
	"context"
	"reflect"
	"testing"
	"time"

	"patentdesk/internal/demo/demotest"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// TestPatentPageFactsShowWhatAllFactsShow: a patent's page reads only the
// grants that can take the patent in (PatentPageFacts), not every grant a
// rights question about it reads (PatentFacts); on a generated data set
// (corporate groups changing over the years, sales, portfolio grants with
// capture windows and narrowing, exclusive grants, sublicences) its rights
// panel and the grants taking the patent in are the same from both, for
// every patent, on days before, within and after most grants' terms.
func TestPatentPageFactsShowWhatAllFactsShow(t *testing.T) {
	ctx := context.Background()
	db, _ := demotest.World(t, 1000, 5)
	s := &Server{db: db, now: time.Now}
	l := i18n.For("en")
	days := []licensing.Date{licensing.NewDate(2012, time.March, 1), licensing.NewDate(2019, time.June, 1), licensing.DateOf(time.Now())}
	var read, fewer, licences, conflicts, grants int
	err := db.EachPatent(ctx, sqlite.PatentFilter{}, func(r *sqlite.PatentRecord) error {
		all, err := db.PatentFacts(ctx, r.ID)
		if err != nil {
			return err
		}
		page, err := db.PatentPageFacts(ctx, r)
		if err != nil {
			return err
		}
		read, fewer = read+len(all.Grants), fewer+len(all.Grants)-len(page.Grants)
		for _, on := range days {
			want, got := patentRightsView(l, all, on), patentRightsView(l, page, on)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %s: the rights panel from the page's facts\n%+v\nfrom all facts\n%+v", r.Normalized, on, got, want)
			}
			licences, conflicts = licences+len(want.Licences), conflicts+len(want.Conflicts)
			wantTitle, err := s.patentTitleView(ctx, l, all, on)
			if err != nil {
				return err
			}
			gotTitle, err := s.patentTitleView(ctx, l, page, on)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(gotTitle, wantTitle) {
				t.Errorf("%s on %s: the grants taking it in from the page's facts\n%+v\nfrom all facts\n%+v", r.Normalized, on, gotTitle.Grants, wantTitle.Grants)
			}
			grants += len(wantTitle.Grants)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The data set must hold the cases for the comparison to mean anything.
	if fewer == 0 || licences == 0 || conflicts == 0 || grants == 0 {
		t.Errorf("%d grants read for all facts, %d fewer for the page; %d licences, %d conflicts, %d grants taking patents in shown",
			read, fewer, licences, conflicts, grants)
	}
	t.Logf("%d grants read for all facts, %d fewer for the page; %d licences, %d conflicts, %d grants taking patents in shown",
		read, fewer, licences, conflicts, grants)
}
