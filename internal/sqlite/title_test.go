package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

// titleFixture is a small Nokia–Xiaomi world on a fixed clock (2020-01-01):
// Nokia Technologies Oy (a Nokia subsidiary) filed the LTE patent, Nokia
// filed the NR patent (same family F1), Xiaomi the IoT patent.
type titleFixture struct {
	db                        *DB
	nokia, tech, xiaomi, hmd  *licensing.Company
	lte, nr, iot, lapsed, gb2 *licensing.Patent
}

// day reads a YYYY-MM-DD date.
var day = licensing.MustDate

func newTitleFixture(t *testing.T) *titleFixture {
	t.Helper()
	db := openTestDB(t)
	setToday(db, "2020-01-01")
	f := &titleFixture{db: db}
	f.nokia = mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Corporation", ShortName: "Nokia"})
	f.tech = mustCreateCompany(t, db, &licensing.Company{Name: "Nokia Technologies Oy", ParentID: f.nokia.ID})
	f.xiaomi = mustCreateCompany(t, db, &licensing.Company{Name: "Xiaomi Corporation", Aliases: []string{"Beijing Xiaomi Mobile Software"}})
	f.hmd = mustCreateCompany(t, db, &licensing.Company{Name: "HMD Global Oy"})
	f.lte = f.patent(t, &licensing.Patent{Number: "EP 1 234 567 B1", Title: "Handover in LTE radio networks", Family: "F1",
		FiledOn: day("2005-03-01"), GrantedOn: day("2009-06-10"), Status: licensing.StatusGranted, OriginalOwnerID: f.tech.ID,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}})
	f.nr = f.patent(t, &licensing.Patent{Number: "US 9,123,456 B2", Title: "Beam management for NR", Family: "F1",
		FiledOn: day("2014-01-15"), GrantedOn: day("2015-09-01"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}})
	f.iot = f.patent(t, &licensing.Patent{Number: "CN 105123456 A", Title: "Smart-home hub pairing", FiledOn: day("2016-05-05"),
		Status: licensing.StatusPending, OriginalOwnerID: f.xiaomi.ID, Tags: []string{"iot"}})
	f.lapsed = f.patent(t, &licensing.Patent{Number: "DE 10 2015 000 001 B4", Title: "Antenna array with lapsed fees",
		FiledOn: day("2015-01-02"), GrantedOn: day("2017-01-01"), Status: licensing.StatusLapsed, StatusOn: day("2020-03-01"),
		OriginalOwnerID: f.tech.ID, Tags: []string{"cellular"}})
	f.gb2 = f.patent(t, &licensing.Patent{Number: "GB 2 500 000 B", Title: "Antenna tuning", FiledOn: day("2012-04-04"),
		GrantedOn: day("2014-04-04"), Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID, Tags: []string{"cellular"}})
	return f
}

// setToday fixes the store's clock at noon of the given day.
func setToday(db *DB, today string) {
	at := day(today).Time().Add(12 * time.Hour)
	db.SetClock(func() time.Time { return at })
}

func (f *titleFixture) patent(t *testing.T, p *licensing.Patent) *licensing.Patent {
	t.Helper()
	if err := f.db.CreatePatent(context.Background(), CLIActor(), p); err != nil {
		t.Fatalf("create %s: %v", p.Number, err)
	}
	return p
}

// transfer is an assignment of patents from one company to another.
func transfer(from, to *licensing.Company, on string, patents ...*licensing.Patent) licensing.Assignment {
	as := licensing.Assignment{AssignorID: from.ID, AssigneeID: to.ID, EffectiveOn: day(on)}
	for _, p := range patents {
		as.Patents = append(as.Patents, licensing.PatentRef{Number: p.Number})
	}
	return as
}

// agreement records an assignment agreement between the companies its
// assignments and grants name; a signed status takes effect on effective.
func (f *titleFixture) agreement(t *testing.T, ref string, status licensing.AgreementStatus, effective string,
	assignments []licensing.Assignment, grants ...licensing.Grant) *licensing.Agreement {
	t.Helper()
	a := &licensing.Agreement{Reference: ref, Title: "Agreement " + ref, Kind: licensing.KindAssignment, Status: status,
		Assignments: assignments, Grants: grants}
	if status.Signed() {
		a.EffectiveOn, a.SignedOn = day(effective), day(effective)
	}
	if len(grants) > 0 {
		a.Kind = licensing.KindLicense
	}
	seen := map[int64]bool{}
	party := func(id int64) {
		if !seen[id] {
			seen[id] = true
			a.Parties = append(a.Parties, licensing.Party{CompanyID: id, Role: licensing.RoleParty})
		}
	}
	for _, as := range assignments {
		party(as.AssignorID)
		party(as.AssigneeID)
	}
	for _, g := range grants {
		party(g.LicensorID)
		party(g.LicenseeID)
	}
	if err := f.db.CreateAgreement(context.Background(), CLIActor(), a); err != nil {
		t.Fatalf("create agreement %s: %v", ref, err)
	}
	return a
}

// chain writes a patent's chain of title as "owner from..to via" links.
func (f *titleFixture) chain(t *testing.T, p *licensing.Patent) string {
	t.Helper()
	rec, err := f.db.ChainOfTitle(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	links := make([]string, len(rec.Chain))
	for i, h := range rec.Chain {
		links[i] = fmt.Sprintf("%s %s..%s", h.Owner, h.From, h.To)
		if h.Via != nil {
			links[i] += " via " + h.Agreement
		}
	}
	return strings.Join(links, " | ")
}

// ownerToday is the owner the patents list shows today.
func (f *titleFixture) ownerToday(t *testing.T, p *licensing.Patent) string {
	t.Helper()
	r, err := f.db.Patent(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r.Owner
}

func TestChainOfTitleFollowsSignedAssignments(t *testing.T) {
	f := newTitleFixture(t)
	f.agreement(t, "NOK-INT-2015", licensing.AgreementActive, "2015-01-01",
		[]licensing.Assignment{transfer(f.tech, f.nokia, "2015-02-01", f.lte)})
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2017-07-05", f.lte)})

	want := "Nokia Technologies Oy 2005-03-01..2015-01-31 | Nokia Corporation 2015-02-01..2017-07-04 via NOK-INT-2015 | " +
		"Xiaomi Corporation 2017-07-05.. via NOK-XIA-2017"
	if got := f.chain(t, f.lte); got != want {
		t.Errorf("chain of title:\n got %s\nwant %s", got, want)
	}
	if got := f.ownerToday(t, f.lte); got != "Xiaomi Corporation" {
		t.Errorf("owner today %s, want the buyer Xiaomi Corporation", got)
	}
	if got := f.chain(t, f.nr); got != "Nokia Corporation 2014-01-15.." {
		t.Errorf("an untouched patent's chain is its applicant from filing: %s", got)
	}
	for _, c := range []struct {
		name  string
		owner *licensing.Company
		on    string
		want  bool
	}{
		{"ApplicantOnTheDayBeforeTheFirstTransfer", f.tech, "2015-01-31", true},
		{"ApplicantNoLongerOnTheEffectiveDay", f.tech, "2015-02-01", false},
		{"SellerOnTheDayBeforeTheSale", f.nokia, "2017-07-04", true},
		{"SellerNoLongerOnTheSaleDay", f.nokia, "2017-07-05", false},
		{"BuyerOnTheSaleDay", f.xiaomi, "2017-07-05", true},
		{"BuyerNotTheDayBefore", f.xiaomi, "2017-07-04", false},
		{"BuyerToday", f.xiaomi, "2020-01-01", true},
		// Before the chain begins at the filing date the original owner
		// owns the patent, as OwnersOn and the owner today say too.
		{"ApplicantBeforeFiling", f.tech, "2005-02-28", true},
		{"BuyerNotBeforeFiling", f.xiaomi, "2005-02-28", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			on := day(c.on)
			list, _, err := f.db.Patents(context.Background(), PatentFilter{OwnerIDs: []int64{c.owner.ID}, OwnerOn: &on})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(numbers(list), f.lte.Normalized); got != c.want {
				t.Errorf("%s owns %s on %s: %v, want %v (list %s)", c.owner.Name, f.lte.Normalized, c.on, got, c.want, numbers(list))
			}
			owners, err := f.db.OwnersOn(context.Background(), []int64{f.lte.ID}, on)
			if err != nil {
				t.Fatal(err)
			}
			if got := owners[f.lte.ID].ID == c.owner.ID; got != c.want {
				t.Errorf("OwnersOn %s names %q; the list filter and OwnersOn disagree", c.on, owners[f.lte.ID].Name)
			}
		})
	}
}

func TestTitleBreakIsKeptAndMovesNoTitle(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	// HMD never owned the NR patent or the GB patent: both transfers break the chain.
	bad := f.agreement(t, "HMD-XIA-2018", licensing.AgreementActive, "2018-03-01",
		[]licensing.Assignment{transfer(f.hmd, f.xiaomi, "2018-03-01", f.nr, f.gb2)})

	if got := f.ownerToday(t, f.nr); got != "Nokia Corporation" {
		t.Errorf("a break moved title: owner %s", got)
	}
	rec, err := f.db.ChainOfTitle(ctx, f.nr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Chain) != 1 || len(rec.Breaks) != 1 {
		t.Fatalf("chain %d links, %d breaks; want 1 and 1", len(rec.Chain), len(rec.Breaks))
	}
	b := rec.Breaks[0]
	if b.Assignor != "HMD Global Oy" || b.Owner != "Nokia Corporation" || b.Agreement != "HMD-XIA-2018" || b.EffectiveOn != day("2018-03-01") {
		t.Errorf("break %+v: want HMD Global Oy assigning on 2018-03-01 what Nokia Corporation owned, under HMD-XIA-2018", b)
	}
	for _, c := range []struct {
		name   string
		filter TitleBreakFilter
		want   string
	}{
		{"ByAgreement", TitleBreakFilter{AgreementID: bad.ID}, "GB2500000B,US9123456B2"},
		{"ByPatent", TitleBreakFilter{PatentID: f.gb2.ID}, "GB2500000B"},
		{"OtherPatent", TitleBreakFilter{PatentID: f.lte.ID}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, _, err := f.db.TitleBreaks(ctx, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := breakNumbers(list); got != c.want {
				t.Errorf("breaks %s, want %s", got, c.want)
			}
		})
	}
	t.Run("PagesByCursor", func(t *testing.T) {
		var got []string
		var after *string
		for range 3 {
			page, next, err := f.db.TitleBreaks(ctx, TitleBreakFilter{Limit: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, breakNumbers(page))
			if next == "" {
				break
			}
			after = &next
		}
		if strings.Join(got, ",") != "GB2500000B,US9123456B2" {
			t.Errorf("pages %v", got)
		}
		bad := "nonsense"
		if _, _, err := f.db.TitleBreaks(ctx, TitleBreakFilter{After: &bad}); licensing.ErrorCode(err) != licensing.Invalid {
			t.Errorf("a bad cursor: %v", err)
		}
	})
}

func breakNumbers(list []TitleBreakRow) string {
	out := make([]string, len(list))
	for i, b := range list {
		out[i] = b.Patent
	}
	return strings.Join(out, ",")
}

func TestUnsignedAssignmentWaitsForSignature(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	a := f.agreement(t, "NOK-XIA-2018", licensing.AgreementNegotiation, "",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2018-06-01", f.nr)})

	rec, err := f.db.ChainOfTitle(ctx, f.nr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.ownerToday(t, f.nr); got != "Nokia Corporation" || len(rec.Chain) != 1 {
		t.Errorf("an agreement under negotiation moved title: owner %s, %d links", got, len(rec.Chain))
	}
	if len(rec.Pending) != 1 || rec.Pending[0].Agreement != "NOK-XIA-2018" || rec.Pending[0].AgreementStatus != licensing.AgreementNegotiation {
		t.Errorf("pending transfers %+v, want the one of NOK-XIA-2018", rec.Pending)
	}

	a.Status, a.EffectiveOn, a.SignedOn = licensing.AgreementActive, day("2018-06-01"), day("2018-06-01")
	if err := f.db.UpdateAgreement(ctx, CLIActor(), a); err != nil {
		t.Fatal(err)
	}
	if got := f.chain(t, f.nr); got != "Nokia Corporation 2014-01-15..2018-05-31 | Xiaomi Corporation 2018-06-01.. via NOK-XIA-2018" {
		t.Errorf("after signature the chain is %s", got)
	}
	if got := f.ownerToday(t, f.nr); got != "Xiaomi Corporation" {
		t.Errorf("after signature the owner is %s", got)
	}
	if rec, err := f.db.ChainOfTitle(ctx, f.nr.ID); err != nil || len(rec.Pending) != 0 {
		t.Errorf("still pending after signature: %v %+v", err, rec)
	}
}

func TestSearchFindsEveryOwnerInTheChain(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.tech, f.xiaomi, "2017-07-05", f.lte)})
	for _, c := range []struct{ name, query, want string }{
		{"BuyerName", "Xiaomi Corporation", "CN105123456A,EP1234567B1"},
		{"BuyerAlias", "Beijing Xiaomi", "CN105123456A,EP1234567B1"},
		{"SellerName", "Nokia Technologies", "DE102015000001B4,EP1234567B1"},
		{"BuyerAndTitle", "Xiaomi handover", "EP1234567B1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := c.query
			list, _, err := f.db.Patents(ctx, PatentFilter{Query: &q})
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(list); got != c.want {
				t.Errorf("search %q found %s, want %s", c.query, got, c.want)
			}
		})
	}
	t.Run("RenamedBuyer", func(t *testing.T) {
		f.xiaomi.Aliases = append(f.xiaomi.Aliases, "XIAOMI INC")
		if err := f.db.UpdateCompany(ctx, CLIActor(), f.xiaomi); err != nil {
			t.Fatal(err)
		}
		q := "XIAOMI INC"
		list, _, err := f.db.Patents(ctx, PatentFilter{Query: &q})
		if err != nil || numbers(list) != "CN105123456A,EP1234567B1" {
			t.Errorf("search by the buyer's new alias: %v %s", err, numbers(list))
		}
	})
}

func TestRefreshOwnersWhenATransferDayComes(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.agreement(t, "NOK-XIA-2021", licensing.AgreementActive, "2019-12-01",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2021-06-01", f.nr)})
	steps := []struct {
		name, today, owner string
		changed            int
	}{
		{"BeforeTheDay", "2020-01-01", "Nokia Corporation", 0},
		{"TheDayBefore", "2021-05-31", "Nokia Corporation", 0},
		{"OnTheDay", "2021-06-01", "Xiaomi Corporation", 1},
		{"AgainTheSameDay", "2021-06-01", "Xiaomi Corporation", 0},
		{"ClockSetBack", "2021-05-31", "Nokia Corporation", 1},
	}
	refreshRows := func() []AuditEntry {
		all, err := f.db.RecentAudit(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var rows []AuditEntry
		for _, e := range all {
			if e.Action == "patent.owners_refreshed" {
				rows = append(rows, e)
			}
		}
		return rows
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			setToday(f.db, s.today)
			before := len(refreshRows())
			n, err := f.db.RefreshOwners(ctx, day(s.today))
			if err != nil {
				t.Fatal(err)
			}
			if n != s.changed {
				t.Errorf("%d patents changed owner, want %d", n, s.changed)
			}
			if got := f.ownerToday(t, f.nr); got != s.owner {
				t.Errorf("owner on %s is %s, want %s", s.today, got, s.owner)
			}
			rows := refreshRows()
			if added := len(rows) - before; added != min(s.changed, 1) {
				t.Fatalf("%d refresh audit rows written; want one only when owners changed", added)
			}
			if s.changed > 0 && (rows[0].Via != ViaSystem || !strings.Contains(rows[0].Details, f.nr.Normalized)) {
				t.Errorf("refresh audit row %+v: want the system naming %s", rows[0], f.nr.Normalized)
			}
		})
	}
	t.Run("ListFollowsTheRefresh", func(t *testing.T) {
		list, _, err := f.db.Patents(ctx, PatentFilter{OwnerIDs: []int64{f.nokia.ID}})
		if err != nil || !strings.Contains(numbers(list), f.nr.Normalized) {
			t.Errorf("Nokia's patents on 2021-05-31: %v %s", err, numbers(list))
		}
	})
}

func TestPatentNamedByAnAgreementCannotBeDeleted(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2017-07-05", f.nr)})
	f.agreement(t, "NOK-HMD-2016", licensing.AgreementActive, "2016-12-01", nil, licensing.Grant{
		LicensorID: f.tech.ID, LicenseeID: f.hmd.ID, Exclusivity: licensing.NonExclusive,
		Scope: licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: "EP1234567B1"}}}})
	for _, c := range []struct {
		name   string
		patent *licensing.Patent
		want   string
	}{
		{"Assigned", f.nr, "US9123456B2 cannot be deleted while agreements refer to it (NOK-XIA-2017)"},
		{"Licensed", f.lte, "EP1234567B1 cannot be deleted while agreements refer to it (NOK-HMD-2016)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := f.db.DeletePatent(ctx, CLIActor(), c.patent.ID)
			wantCode(t, err, licensing.Conflict, "")
			var de *licensing.Error
			if !errors.As(err, &de) || de.Message != c.want {
				t.Errorf("message %v, want %q", err, c.want)
			}
		})
	}
	if err := f.db.DeletePatent(ctx, CLIActor(), f.iot.ID); err != nil {
		t.Errorf("a patent no agreement names is deleted: %v", err)
	}
}

func TestPatentEditsKeepTheChainOfTitle(t *testing.T) {
	ctx := context.Background()
	f := newTitleFixture(t)
	f.agreement(t, "NOK-XIA-2017", licensing.AgreementActive, "2017-07-05",
		[]licensing.Assignment{transfer(f.nokia, f.xiaomi, "2017-07-05", f.nr)})
	for _, c := range []struct {
		name  string
		edit  func(p *licensing.Patent)
		chain string
	}{
		{"TitleOnly", func(p *licensing.Patent) { p.Title = "Beam management for 5G NR" },
			"Nokia Corporation 2014-01-15..2017-07-04 | Xiaomi Corporation 2017-07-05.. via NOK-XIA-2017"},
		{"FilingDate", func(p *licensing.Patent) { p.FiledOn = day("2014-02-01") },
			"Nokia Corporation 2014-02-01..2017-07-04 | Xiaomi Corporation 2017-07-05.. via NOK-XIA-2017"},
		// The applicant corrected to Nokia Technologies: Nokia's sale is now a break.
		{"OriginalOwner", func(p *licensing.Patent) { p.OriginalOwnerID = f.tech.ID }, "Nokia Technologies Oy 2014-02-01.."},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.edit(f.nr)
			if err := f.db.UpdatePatent(ctx, CLIActor(), f.nr); err != nil {
				t.Fatal(err)
			}
			if got := f.chain(t, f.nr); got != c.chain {
				t.Errorf("chain %s, want %s", got, c.chain)
			}
			want := "Xiaomi Corporation"
			if c.name == "OriginalOwner" {
				want = "Nokia Technologies Oy"
			}
			if got := f.ownerToday(t, f.nr); got != want {
				t.Errorf("owner today %s, want %s", got, want)
			}
		})
	}
}
