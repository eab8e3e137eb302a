package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// scaleWorld is a generated data set and what the store says it holds.
type scaleWorld struct {
	db     *sqlite.DB
	report *ScaleReport
}

func generate(t *testing.T, n int, seed uint64) scaleWorld {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rep, err := Scale(context.Background(), db, ScaleOptions{Patents: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return scaleWorld{db: db, report: rep}
}

// fingerprint digests every patent, agreement, grant, assignment and
// obligation as the store reads them back, without ids and timestamps.
func (w scaleWorld) fingerprint(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	h := sha256.New()
	err := w.db.EachPatent(ctx, sqlite.PatentFilter{}, func(p *sqlite.PatentRecord) error {
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%v|%v|%v|%v|%v\n", p.Normalized, p.Title, p.Family, p.FiledOn, p.GrantedOn,
			p.ExpiresOn, p.Status, p.StatusOn, p.Owner, p.OriginalOwner, p.Tags, p.Standards, p.SEP, p.CPC, p.DesignatedStates)
		return nil
	})
	if err == nil {
		err = w.db.EachAgreement(ctx, sqlite.AgreementFilter{}, func(a *licensing.Agreement) error {
			fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%s|%d|%d\n", a.Reference, a.Title, a.Kind, a.Status, a.EffectiveOn, a.ExpiresOn,
				a.TerminatedOn, a.RenewalMonths, a.NoticeDays)
			return nil
		})
	}
	if err == nil {
		err = w.db.EachGrant(ctx, sqlite.AgreementFilter{}, func(g *sqlite.GrantRow) error {
			fmt.Fprintf(h, "%s|%s|%s|%s|%v|%v|%v|%v|%s\n", g.Agreement, g.Licensor, g.Licensee, g.Scope.Kind, g.Scope.CaptureFrom,
				g.Scope.CaptureTo, g.Territories, g.Fields, g.Exclusivity)
			return nil
		})
	}
	if err == nil {
		err = w.db.EachAssignment(ctx, sqlite.AgreementFilter{}, func(a *sqlite.AssignmentRow) error {
			fmt.Fprintf(h, "%s|%s|%s|%s|%d\n", a.Agreement, a.Assignor, a.Assignee, a.EffectiveOn, len(a.Patents))
			return nil
		})
	}
	if err == nil {
		err = w.db.EachObligation(ctx, sqlite.AgreementFilter{}, func(o *sqlite.ObligationRow) error {
			fmt.Fprintf(h, "%s|%s|%s|%s|%s|%d\n", o.Agreement, o.Title, o.DueOn, o.Recurrence, o.Amount, len(o.Occurrences))
			return nil
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// seedSevenFingerprint is the fingerprint of 1,500 patents of seed 7. The
// same seed gives the same data set from one version to the next, so that
// figures measured on "demo --scale N" stay comparable: a change to the
// generator or to the store's bulk paths that changes the data set must say
// so by changing this value. (Changed when family members not yet filed on
// the anchor day stopped being generated on it.)
const seedSevenFingerprint = "04ca6f7a144f1003a7fc82630e5ae2231c5c0317b0927cbd28ee1aca8e4ebc34"

func TestScaleIsDeterministicForASeed(t *testing.T) {
	first := generate(t, 1500, 7).fingerprint(t)
	if first != seedSevenFingerprint {
		t.Errorf("seed 7 gave fingerprint %s; the data set of a seed changed (was %s)", first, seedSevenFingerprint)
	}
	if again := generate(t, 1500, 7).fingerprint(t); again != first {
		t.Error("the same seed gave a different data set")
	}
	if other := generate(t, 1500, 8).fingerprint(t); other == first {
		t.Error("another seed gave the same data set")
	}
}

// TestScaleWorldIsRealistic checks the shape issue 9 asks for: some 200
// companies in 40 groups, families of 1 to 12 across offices, tags,
// standards and SEP declarations, every status, every kind of agreement,
// portfolio grants with capture windows, sales of about 2% of the
// patents, recurring obligations, and a sound database.
func TestScaleWorldIsRealistic(t *testing.T) {
	const n = 20_000
	w := generate(t, n, 1)
	ctx := context.Background()
	rep := w.report
	if kind, err := w.db.Demo(ctx); err != nil || kind != sqlite.DemoSynthetic {
		t.Errorf("Demo = %q, %v; want the synthetic data set, so every page says it is invented", kind, err)
	}
	if rep.Patents != n || rep.Companies != 200 || rep.Groups != 40 {
		t.Errorf("report: %d patents, %d companies in %d groups; want %d, 200 in 40", rep.Patents, rep.Companies, rep.Groups, n)
	}
	companies, _, err := w.db.Companies(ctx, sqlite.CompanyFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	subsidiaries, controlEnds := 0, 0
	for _, c := range companies {
		if c.ParentID != 0 {
			subsidiaries++
		}
		if !c.ControlFrom.IsZero() || !c.ControlTo.IsZero() {
			controlEnds++
		}
	}
	if len(companies) != 200 || subsidiaries != 160 || controlEnds < 60 {
		t.Errorf("%d companies, %d subsidiaries, %d with control dates; want 200, 160 and some acquired or sold", len(companies), subsidiaries, controlEnds)
	}

	families := map[string]int{}
	offices, statuses, tags, standards := map[string]int{}, map[licensing.PatentStatus]int{}, map[string]bool{}, map[string]bool{}
	sep, sold := 0, 0
	filedOn := map[licensing.Date]int{}
	err = w.db.EachPatent(ctx, sqlite.PatentFilter{}, func(p *sqlite.PatentRecord) error {
		families[p.Family]++
		filedOn[p.FiledOn]++
		offices[p.Office]++
		statuses[p.Status]++
		for _, tag := range p.Tags {
			tags[tag] = true
		}
		for _, s := range p.Standards {
			standards[s] = true
		}
		if p.SEP {
			sep++
		}
		if p.OwnerID != p.OriginalOwnerID {
			sold++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]int{}
	for _, size := range families {
		sizes[size]++
		if size < 1 || size > 12 {
			t.Errorf("a family of %d members; want 1 to 12", size)
		}
	}
	if sizes[1] == 0 || sizes[12] == 0 || len(families) != rep.Families {
		t.Errorf("family sizes %v (%d families, report %d); want singles up to twelve", sizes, len(families), rep.Families)
	}
	if len(offices) < 8 || len(tags) < 20 || len(standards) < 8 || sep < n/50 {
		t.Errorf("%d offices, %d tags, %d standards, %d SEPs: too uniform", len(offices), len(tags), len(standards), sep)
	}
	for _, s := range licensing.Statuses {
		if statuses[s] == 0 {
			t.Errorf("no patent is %s: %v", s, statuses)
		}
	}
	// Filings spread over the years: no day holds a pile of them (a list
	// sorted by filing date would otherwise open on one day's thousands).
	for day, count := range filedOn {
		if count > n/1000 {
			t.Errorf("%d patents filed on %s; want them spread over the days", count, day)
		}
	}
	if sold < n/100 || sold > n*3/100 {
		t.Errorf("%d patents changed hands (report: %d transferred); want about 2%% of %d", sold, rep.Assigned, n)
	}

	kinds := map[licensing.AgreementKind]int{}
	err = w.db.EachAgreement(ctx, sqlite.AgreementFilter{}, func(a *licensing.Agreement) error {
		kinds[a.Kind]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range licensing.AgreementKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s agreement: %v", k, kinds)
		}
	}
	if total := rep.Agreements; total < n/200 || total > n/200+10 {
		t.Errorf("%d agreements; want about %d", total, n/200)
	}
	windows, scopes := 0, map[licensing.ScopeKind]int{}
	err = w.db.EachGrant(ctx, sqlite.AgreementFilter{}, func(g *sqlite.GrantRow) error {
		scopes[g.Scope.Kind]++
		if g.Scope.Kind == licensing.ScopePortfolio && !g.Scope.CaptureTo.IsZero() {
			windows++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scopes) != 3 || windows < 20 {
		t.Errorf("grant scopes %v with %d capture windows; want every scope and many windows", scopes, windows)
	}
	recurring := 0
	err = w.db.EachObligation(ctx, sqlite.AgreementFilter{}, func(o *sqlite.ObligationRow) error {
		if o.Recurrence != licensing.Once && len(o.Occurrences) > 0 {
			recurring++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if recurring < 20 {
		t.Errorf("%d recurring obligations with a history; want many", recurring)
	}
	problems, err := w.db.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
	if !strings.HasPrefix(rep.LargestLicensee, "Aurora") || len(rep.Accounts) != 3 {
		t.Errorf("broad licensee %q, %d accounts", rep.LargestLicensee, len(rep.Accounts))
	}
}

func TestScaleRefusesADatabaseWithData(t *testing.T) {
	w := generate(t, 100, 1)
	_, err := Scale(context.Background(), w.db, ScaleOptions{Patents: 100, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "empty data directory") {
		t.Errorf("a second run: %v; want a refusal naming the empty data directory", err)
	}
}
