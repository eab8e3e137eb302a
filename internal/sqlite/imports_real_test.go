package sqlite

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
)

// importFile reads a real export and imports it as the command line and
// the upload page do.
func importFile(t *testing.T, db *DB, name string, skip map[int]string) *ImportReport {
	t.Helper()
	f, err := os.Open("../../testdata/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read, err := csvio.ReadProposals(f, csvio.KindPatents, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Skipped lines stand for rows the user deleted from the file.
	rejected := slices.DeleteFunc(read.Rejected, func(i ImportIssue) bool { _, ok := skip[i.Line]; return ok })
	imports := slices.DeleteFunc(read.Patents, func(p licensing.PatentImport) bool { _, ok := skip[p.Line]; return ok })
	rep, err := db.ImportPatents(context.Background(), CLIActor(), imports, ImportOptions{Source: name, Rejected: rejected, Warnings: read.Warnings})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportRealExports(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		file     string
		rejected map[int]string // line → column: rows a user must fix
		created  int
		want     []PatentRecord // copied from the file by eye
	}{{
		file: "gp-search.csv", created: 536 - 9,
		// Old records for which Google names neither assignee nor inventor.
		rejected: map[int]string{128: "assignee", 129: "assignee", 248: "assignee", 360: "assignee", 399: "assignee",
			410: "assignee", 434: "assignee", 463: "assignee", 503: "assignee"},
		want: []PatentRecord{{
			Patent: licensing.Patent{Normalized: "US11046037B2", Office: "US", Kind: "B2",
				Title:      "Panel structure with foam core and methods of manufacturing articles using the panel structure",
				PriorityOn: licensing.MustDate("2015-01-06"), FiledOn: licensing.MustDate("2019-07-23"),
				PublishedOn: licensing.MustDate("2019-07-23").AddDays(707), GrantedOn: licensing.MustDate("2021-06-29"),
				Status: licensing.StatusGranted},
			OriginalOwner: "Gearbox, Inc.",
		}, {
			Patent: licensing.Patent{Normalized: "EP3305378B1", Office: "EP", Kind: "B1",
				Title:      "Raquette, en particulier structure de raquette de padel",
				PriorityOn: licensing.MustDate("2016-10-04"), FiledOn: licensing.MustDate("2017-10-02"),
				PublishedOn: licensing.MustDate("2019-03-13"), GrantedOn: licensing.MustDate("2019-03-13"),
				Status: licensing.StatusGranted},
			OriginalOwner: "Skis Rossignol",
		}},
	}, {
		file: "gp-search-20240501-100105.csv", created: 7022 - 7,
		// Line 1069 gives a filing date before the priority date.
		rejected: map[int]string{1069: "filing/creation date", 4217: "assignee", 4633: "assignee", 4761: "assignee",
			4780: "assignee", 5132: "assignee", 7016: "assignee"},
		want: []PatentRecord{{
			// Google's "US-2019198156-A1" is DOCDB's US2019198156A1; an
			// application without grant date is pending.
			Patent: licensing.Patent{Normalized: "US2019198156A1", Office: "US", Kind: "A1",
				Title:      "Medical Image Classification Based on a Generative Adversarial Network Trained Discriminator",
				PriorityOn: licensing.MustDate("2017-12-21"), FiledOn: licensing.MustDate("2017-12-21"),
				PublishedOn: licensing.MustDate("2019-06-27"), Status: licensing.StatusPending},
			OriginalOwner: "International Business Machines Corporation",
		}, {
			Patent: licensing.Patent{Normalized: "WO2021173489A1", Office: "WO", Kind: "A1",
				Title:      "Apparatus, method, and system for providing a three-dimensional texture using uv representation",
				PriorityOn: licensing.MustDate("2020-02-28"), FiledOn: licensing.MustDate("2021-02-22"),
				PublishedOn: licensing.MustDate("2021-09-02"), Status: licensing.StatusPending},
			OriginalOwner: "Nokia Technologies Oy",
		}},
	}, {
		file: "Espacenet_search_result_20250510_1442.csv", created: 307,
		want: []PatentRecord{{
			Patent: licensing.Patent{Normalized: "EP2525365A1", Office: "EP", Kind: "A1",
				Title:  "Nuclear fuel assembly for boiling water reactor comprising a fuel channel spacer",
				Family: "44546021", PriorityOn: licensing.MustDate("2011-05-20"), PublishedOn: licensing.MustDate("2012-11-21"),
				Status: licensing.StatusPending, CPC: []string{"G21C3/332", "G21C3/34", "G21C3/3566", "Y02E30/30"}},
			OriginalOwner: "AREVA NP",
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			db := openTestDB(t)
			refused := importFile(t, db, tt.file, nil)
			if len(tt.rejected) > 0 {
				if refused.Applied {
					t.Fatal("a file with rejected rows was imported")
				}
				got := map[int]string{}
				for _, r := range refused.Rejected {
					got[r.Line] = r.Column
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.rejected) {
					t.Errorf("rejected %v\nwant %v\nfirst: %v", got, tt.rejected, refused.Rejected[:min(3, len(refused.Rejected))])
				}
				if n := countPatents(t, db); n != 0 {
					t.Fatalf("%d patents stored by a refused import", n)
				}
			}
			rep := refused
			if len(tt.rejected) > 0 {
				// The user removes the rejected rows and imports again.
				rep = importFile(t, db, tt.file, tt.rejected)
			}
			if !rep.Applied || len(rep.Rejected) > 0 {
				t.Fatalf("not applied: %d rejected, first %v", len(rep.Rejected), rep.Rejected[:min(3, len(rep.Rejected))])
			}
			if rep.Created != tt.created {
				t.Errorf("created %d patents, want %d", rep.Created, tt.created)
			}
			for _, want := range tt.want {
				got, err := db.PatentByNumber(ctx, want.Normalized)
				if err != nil {
					t.Fatalf("%s: %v", want.Normalized, err)
				}
				checkPatent(t, got, want)
			}
			again := importFile(t, db, tt.file, tt.rejected)
			if again.Created != 0 || again.Updated != 0 || again.Unchanged != tt.created {
				t.Errorf("importing the file again: %d created, %d updated, %d unchanged", again.Created, again.Updated, again.Unchanged)
			}
		})
	}
}

func checkPatent(t *testing.T, got *PatentRecord, want PatentRecord) {
	t.Helper()
	g, w := got.Patent, want.Patent
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"office", g.Office, w.Office}, {"kind", g.Kind, w.Kind}, {"title", g.Title, w.Title}, {"family", g.Family, w.Family},
		{"priority_on", g.PriorityOn, w.PriorityOn}, {"filed_on", g.FiledOn, w.FiledOn},
		{"published_on", g.PublishedOn, w.PublishedOn}, {"granted_on", g.GrantedOn, w.GrantedOn},
		{"status", g.Status, w.Status}, {"owner", got.OriginalOwner, want.OriginalOwner},
		{"expiry", g.ComputedExpiry(), w.FiledOn.AddYears(20)},
		{"cpc", len(g.CPC), len(w.CPC)},
	} {
		if c.got != c.want {
			t.Errorf("%s %s = %v, want %v", w.Normalized, c.field, c.got, c.want)
		}
	}
}
