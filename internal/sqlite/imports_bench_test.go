package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"patentdesk/internal/csvio"
)

// importBenchRows is the size of the file the import benchmarks read:
// PATENTDESK_BENCH_PATENTS=100000 go test ./internal/sqlite -run '^$' -bench ImportNative
// measures the 100,000 rows docs/perf.md reports.
func importBenchRows() int {
	if n, err := strconv.Atoi(os.Getenv("PATENTDESK_BENCH_PATENTS")); err == nil && n > 0 {
		return n
	}
	return 5_000
}

// nativePatentsFile is a native patents file of n rows as an export writes
// it, owned by 200 companies of which the file names some by alias (owner
// today) and all by legal name (original owner), so that the importer
// creates every owner: labels, EP designated states, overridden expiries
// and lapsed patents all occur.
func nativePatentsFile(n, offset int) []byte {
	var buf bytes.Buffer
	w := csvio.NewWriter(&buf, csvio.WriterOptions{})
	w.Write(csvio.NativeHeader(csvio.KindPatents))
	offices := []string{"EP", "US", "CN", "DE", "JP", "KR", "WO"}
	words := []string{"handover", "paging", "beam", "antenna", "codec", "lighting", "sensor", "display", "battery", "sidelink",
		"scheduling", "retransmission", "encoder", "pairing", "hub"}
	tags := []string{"cellular", "5g", "iot", "ar", "vr", "ai", "smart-home"}
	standards := []string{"3GPP LTE", "3GPP NR", "Wi-Fi", "Zigbee"}
	for k := range n {
		i := k + offset
		office := offices[i%len(offices)]
		kind := "B1"
		switch office {
		case "US":
			kind = "B2"
		case "CN", "WO":
			kind = "A1"
		}
		owner := fmt.Sprintf("Bench Holder %03d Corporation", i%200)
		filed := fmt.Sprintf("%d-%02d-%02d", 1998+i%25, 1+i%12, 1+i%28)
		p := csvio.PatentRecord{
			Number: benchNumber(office, i) + kind, Office: office, Kind: kind,
			Title:  fmt.Sprintf("%s %s for %s devices, variant %d", words[i%len(words)], words[(i/15)%len(words)], tags[i%len(tags)], i),
			Family: "BF" + strconv.Itoa(i/5), PriorityOn: filed, FiledOn: filed,
			PublishedOn: fmt.Sprintf("%d-%02d-%02d", 2000+i%25, 1+i%12, 1+i%28), Status: "pending",
			Owner: owner, OriginalOwner: owner, SEP: "false",
			Tags: []string{tags[i%len(tags)]}, CPC: []string{fmt.Sprintf("H04W %d/%02d", 4+i%60, i%100)},
		}
		if office == "WO" {
			p.Kind = "A1"
		} else if i%3 != 0 {
			p.GrantedOn = fmt.Sprintf("%d-%02d-%02d", 2003+i%25, 1+i%12, 1+i%28)
			p.Status = "granted"
		}
		if i%5 == 0 {
			p.Tags = append(p.Tags, tags[(i/5)%len(tags)])
		}
		if i%4 == 0 {
			p.Standards, p.SEP = []string{standards[i%len(standards)]}, "true"
		}
		if office == "EP" && i%2 == 0 {
			p.DesignatedStates = []string{"DE", "FR", "GB"}
		}
		if i%17 == 0 {
			p.ExpiresOn = fmt.Sprintf("%d-%02d-%02d", 2023+i%25, 1+i%12, 1+i%28) // a term extension
		}
		if i%23 == 0 && p.Status == "granted" {
			p.Status, p.StatusOn = "lapsed", fmt.Sprintf("%d-06-30", 2010+i%15)
		}
		if i%9 == 0 {
			p.Owner = fmt.Sprintf("Bench Holder %03d Corporation", (i+1)%200) // the owner today differs: a warning
		}
		w.Write(csvio.PatentRow(p))
	}
	w.Flush()
	return buf.Bytes()
}

// benchNumber is the i-th synthetic publication number of an office, in
// that office's shape: EP seven digits, WO a year and six, CN nine.
func benchNumber(office string, i int) string {
	switch office {
	case "EP":
		return fmt.Sprintf("EP%07d", 1_000_000+i)
	case "WO":
		return fmt.Sprintf("WO%04d%06d", 2005+i/1_000_000, i%1_000_000)
	case "CN":
		return fmt.Sprintf("CN%d", 100_000_000+i)
	case "KR":
		return fmt.Sprintf("KR%04d%07d", 2005+i%15, i)
	}
	return fmt.Sprintf("%s%d", office, 10_000_000+i)
}

// importBenchFile reads and imports a native file as the command line does,
// failing on any rejected row.
func importBenchFile(b *testing.B, db *DB, file []byte) *ImportReport {
	read, err := csvio.ReadProposals(bytes.NewReader(file), csvio.KindPatents, csvio.Options{Format: csvio.FormatNative})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := db.ImportPatents(context.Background(), CLIActor(), read.Patents,
		ImportOptions{Source: "bench.csv", Rejected: read.Rejected, Warnings: read.Warnings})
	if err != nil {
		b.Fatal(err)
	}
	if len(rep.Rejected) > 0 || !rep.Applied {
		b.Fatalf("import not applied: %v", rep.Rejected[:min(3, len(rep.Rejected))])
	}
	return rep
}

// BenchmarkImportNative measures a native import, reading the file
// included, in rows per second: into an empty database (whose indexes are
// built once at the end), into one that already holds as many patents
// (every index kept in step row by row), and again without the indexes of
// migrations 00008 (patents_owner_in_force) and 00009
// (patents_status_expiry), to show what each costs.
//
//	PATENTDESK_BENCH_PATENTS=100000 go test ./internal/sqlite -run '^$' -bench ImportNative -benchtime 1x
func BenchmarkImportNative(b *testing.B) {
	n := importBenchRows()
	file := nativePatentsFile(n, 0)
	drop := func(index string) func(b *testing.B, db *DB) {
		return func(b *testing.B, db *DB) {
			if _, err := db.sql.Exec(`DROP INDEX ` + index); err != nil {
				b.Fatal(err)
			}
		}
	}
	dropOwnerInForce, dropStatusExpiry := drop("patents_owner_in_force"), drop("patents_status_expiry")
	fill := func(b *testing.B, db *DB) { importBenchFile(b, db, nativePatentsFile(n, n)) }
	cases := []struct {
		name  string
		setup func(b *testing.B, db *DB)
	}{
		{"EmptyDB", func(*testing.B, *DB) {}},
		{"EmptyDBWithoutOwnerInForceIndex", dropOwnerInForce},
		{"LargeDB", fill},
		{"LargeDBWithoutOwnerInForceIndex", func(b *testing.B, db *DB) { dropOwnerInForce(b, db); fill(b, db) }},
		{"LargeDBWithoutStatusExpiryIndex", func(b *testing.B, db *DB) { dropStatusExpiry(b, db); fill(b, db) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db, err := Open(context.Background(), b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				c.setup(b, db)
				b.StartTimer()
				rep := importBenchFile(b, db, file)
				b.StopTimer()
				if rep.Created != n {
					b.Fatalf("created %d of %d", rep.Created, n)
				}
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
