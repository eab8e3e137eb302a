package web

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
	"patentdesk/internal/sqlite"
)

// TestScaleRightsCheckAnswersAsOverAllFacts: on a demo --scale data set
// (PATENTDESK_SCALE_DATA; skipped without one), a rights check, which
// reads only the facts that can bear on the company's answer and none
// where the patent needs no licence, answers every question exactly as
// the engine does over all the facts of the patent.
func TestScaleRightsCheckAnswersAsOverAllFacts(t *testing.T) {
	db := scaleDB(t)
	ctx := context.Background()
	n, err := db.CountPatents(ctx, sqlite.PatentFilter{})
	if err != nil || n < 200 {
		t.Fatalf("%d patents, %v", n, err)
	}
	today := licensing.DateOf(time.Now())
	for k := range 200 {
		p, err := db.Patent(ctx, int64(1+k*(n/200)))
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.PatentFacts(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{1, int64(1 + (k*37)%200), int64(1 + (k*11)%200)} {
			c, err := db.Company(ctx, id)
			if err != nil {
				continue
			}
			for _, on := range []string{"", "2012-06-01"} {
				req := RightsRequest{Company: c.Name, Patent: strconv.FormatInt(p.ID, 10), On: on}
				q := rights.Question{Company: c.ID, On: today, Territory: rights.DefaultTerritory(&p.Patent)}
				if p.Office == "EP" {
					req.Territory, q.Territory = "DE", "DE"
				}
				if on != "" {
					q.On = licensing.MustDate(on)
				}
				got, err := CheckRights(ctx, db, req, today)
				facts := engineFacts(all)
				facts.Names = map[int64]string{c.ID: c.Name}
				for k, v := range all.Names {
					facts.Names[k] = v
				}
				want, wantErr := rights.Check(q, facts)
				if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
					t.Errorf("%s for %s on %q: the answers differ\n got %+v (%v)\nwant %+v (%v)", p.Normalized, c.Name, on, got, err, want, wantErr)
				}
			}
		}
	}
}
