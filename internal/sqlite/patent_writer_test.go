package sqlite

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
)

// TestCreatedSnapshotIsThePatentSnapshot holds the audit row of a created
// patent to what patentSnapshot records, which updates and deletions
// compare against.
func TestCreatedSnapshotIsThePatentSnapshot(t *testing.T) {
	for _, c := range []struct {
		name string
		p    licensing.Patent
	}{
		{"FewFields", licensing.Patent{Number: "US 9,123,456 B2", Title: "Antenna", Status: licensing.StatusPending}},
		{"EveryField", licensing.Patent{Number: "EP 1 234 567 B1", Title: `Handover <fast> & "safe" — für Geräte`, Family: "F1",
			ApplicationNumber: "EP05012345", PriorityOn: day("2004-03-01"), FiledOn: day("2005-03-01"), PublishedOn: day("2006-09-01"),
			GrantedOn: day("2009-06-10"), ExpiresOn: day("2026-08-31"), Status: licensing.StatusLapsed, StatusOn: day("2019-01-31"),
			SEP: true, SEPReference: "ETSI ISLD-201701", Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP LTE"},
			DesignatedStates: []string{"DE", "FR"}, CPC: []string{"H04W 36/00"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.p.Normalize(); err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(map[string]any{"after": patentSnapshot(&c.p, "Nokia <Oyj>")})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(map[string]any{"after": createdSnapshot(&c.p, "Nokia <Oyj>")})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("audit details\n got %s\nwant %s", got, want)
			}
		})
	}
}

// importNative imports a native patents file, failing on any rejection.
func importNative(t *testing.T, db *DB, file string, dryRun bool) *ImportReport {
	t.Helper()
	read, err := csvio.ReadProposals(strings.NewReader(file), csvio.KindPatents, csvio.Options{})
	if err != nil || len(read.Rejected) > 0 {
		t.Fatalf("read: %v %v", err, read.Rejected)
	}
	rep, err := db.ImportPatents(context.Background(), CLIActor(), read.Patents, ImportOptions{DryRun: dryRun, Warnings: read.Warnings})
	if err != nil || len(rep.Rejected) > 0 {
		t.Fatalf("import: %v %v", err, rep.Rejected)
	}
	return rep
}

// indexes lists the database's indexes with their definitions.
func indexes(t *testing.T, db *DB) string {
	t.Helper()
	var list []string
	rows, err := db.sql.Query(`SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		list = append(list, s)
	}
	return strings.Join(list, "\n")
}

// TestImportIntoAnEmptyDatabase covers the fast path of an import into a
// database without patents (indexes built at the end, labels written
// sorted at the end): what the user gets is what a row-by-row import gives.
func TestImportIntoAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	header := strings.Join(csvio.NativeHeader(csvio.KindPatents), ",") + "\n"
	const (
		lte = "EP 1 234 567 B1,EP,B1,Handover in LTE,F1,,2005-03-01,,2009-06-10,,granted,,Nokia Oyj,,cellular|5G|5g,3GPP LTE,true,DE|FR,H04W 36/00\n"
		nr  = "US 9123456 B2,US,B2,Beam management,F1,,2014-01-15,,2015-09-01,,granted,,Nokia Oyj,,cellular,3GPP NR,true,,\n"
		// The same number without kind code: the patent of the lte row,
		// which this row then updates.
		again = "EP1234567,EP,,Handover in LTE networks,F1,,2005-03-01,,2009-06-10,,granted,,Nokia Oyj,,iot,,false,,\n"
	)
	for _, c := range []struct {
		name             string
		file             string
		dryRun           bool
		created, updated int
		search           map[string]string // query → the number it finds
		tags             map[string]string // number → its tags
	}{
		{name: "EveryNumberWithKind", file: header + lte + nr, created: 2,
			search: map[string]string{"1234567": "EP1234567B1", "9123456": "US9123456B2", "handover": "EP1234567B1", "beam": "US9123456B2"},
			tags:   map[string]string{"EP1234567B1": "cellular|5G", "US9123456B2": "cellular"}},
		{name: "NumberWithoutKindUpdatesARowOfTheSameFile", file: header + lte + nr + again, created: 2, updated: 1,
			search: map[string]string{"networks": "EP1234567B1"},
			tags:   map[string]string{"EP1234567B1": "iot", "US9123456B2": "cellular"}},
		{name: "DryRun", file: header + lte + nr, dryRun: true, created: 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := openTestDB(t)
			schema := indexes(t, db)
			rep := importNative(t, db, c.file, c.dryRun)
			if rep.Created != c.created || rep.Updated != c.updated || rep.Applied == c.dryRun {
				t.Errorf("created %d, updated %d, applied %v; want %d, %d, %v", rep.Created, rep.Updated, rep.Applied, c.created, c.updated, !c.dryRun)
			}
			if got := indexes(t, db); got != schema {
				t.Errorf("indexes after the import:\n%s\nwant\n%s", got, schema)
			}
			if c.dryRun {
				if n := countPatents(t, db); n != 0 {
					t.Errorf("a dry run stored %d patents", n)
				}
				return
			}
			for q, want := range c.search {
				list, _, err := db.Patents(ctx, PatentFilter{Query: &q})
				if err != nil || len(list) != 1 || list[0].Normalized != want {
					t.Errorf("search %q: %v %d found, want %s", q, err, len(list), want)
				}
			}
			for number, want := range c.tags {
				p, err := db.PatentByNumber(ctx, number)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(p.Tags, "|"); got != want {
					t.Errorf("%s tags %s, want %s", number, got, want)
				}
				cellular := "cellular"
				list, _, err := db.Patents(ctx, PatentFilter{Tag: &cellular})
				if err != nil {
					t.Fatal(err)
				}
				tagged := slices.ContainsFunc(list, func(r *PatentRecord) bool { return r.Normalized == number })
				if tagged != slices.Contains(p.Tags, "cellular") {
					t.Errorf("%s in the list of cellular patents: %v, tags %v", number, tagged, p.Tags)
				}
			}
		})
	}
}

// TestImportedPatentIsFoundUnderEveryName holds the search row an import
// writes to the one indexPatent writes: numbers in every spelling, title,
// and the owner's legal name, short name and aliases.
func TestImportedPatentIsFoundUnderEveryName(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Technologies Oy", ShortName: "NokiaTech", Aliases: []string{"NOKIA TECH OY"}})
	header := strings.Join(csvio.NativeHeader(csvio.KindPatents), ",") + "\n"
	importNative(t, db, header+"EP 1 234 567 B1,EP,B1,Sidelink relay selection,,,2015-03-01,,,,pending,,Nokia Technologies Oy,,,,,,\n", false)
	for _, c := range []struct{ name, query string }{
		{"Normalized", "EP1234567B1"},
		{"WithoutKind", "EP1234567"},
		{"DigitsAsEntered", "1234567"},
		{"TitleWord", "sidelink"},
		{"LegalName", "Technologies"},
		{"ShortName", "NokiaTech"},
		{"Alias", "TECH OY"},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, _, err := db.Patents(ctx, PatentFilter{Query: &c.query})
			if err != nil || len(list) != 1 {
				t.Errorf("search %q: %v, %d found", c.query, err, len(list))
			}
		})
	}
}
