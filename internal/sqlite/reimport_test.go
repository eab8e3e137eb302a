package sqlite

import (
	"context"
	"strings"
	"testing"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
)

// TestReimportKeepsTheChainOfTitle re-imports a sold patent from a native
// file whose original_owner cell was left empty: the owner column, which is
// the owner today, must not become the original owner and break the chain.
func TestReimportKeepsTheChainOfTitle(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2017-07-05", f.nr)})
	const want = "Nokia Corporation 2014-01-15..2017-07-04 | Xiaomi Corporation 2017-07-05.. via NOK-XIA-2017"
	header := strings.Join(csvio.NativeHeader(csvio.KindPatents), ",") + "\n"
	for _, c := range []struct {
		name, row string
		warnings  int
	}{
		{"OwnerTodayOnly", "US9123456B2,US,B2,Beam management for NR,F1,,2014-01-15,,2015-09-01,,granted,,Xiaomi Corporation,,,,,,\n", 0},
		{"OwnerTodayDisagrees", "US9123456B2,US,B2,Beam management for NR,F1,,2014-01-15,,2015-09-01,,granted,,HMD Global Oy,,,,,,\n", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			read, err := csvio.ReadProposals(strings.NewReader(header+c.row), csvio.KindPatents, csvio.Options{})
			if err != nil || len(read.Rejected) > 0 {
				t.Fatalf("read: %v %v", err, read.Rejected)
			}
			rep, err := f.db.ImportPatents(ctx, CLIActor(), read.Patents, ImportOptions{Warnings: read.Warnings})
			if err != nil || len(rep.Rejected) > 0 {
				t.Fatalf("import: %v %v", err, rep.Rejected)
			}
			if len(rep.Warnings) != c.warnings {
				t.Errorf("warnings %v, want %d", rep.Warnings, c.warnings)
			}
			if got := f.chain(t, f.nr); got != want {
				t.Errorf("chain %s\nwant %s", got, want)
			}
			if got := f.ownerToday(t, f.nr); got != "Xiaomi Corporation" {
				t.Errorf("owner today %s", got)
			}
		})
	}
}
