package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// patentSetFixture adds to the scope fixture (the LTE patent sold by Nokia
// Technologies to Xiaomi on 2017-07-05) a Nokia EP patent designating
// Germany and France, with no filing date and so no known expiry.
type patentSetFixture struct {
	*scopeFixture
	designated *licensing.Patent
}

func newPatentSetFixture(t *testing.T) *patentSetFixture {
	t.Helper()
	f := &patentSetFixture{scopeFixture: newScopeFixture(t)}
	f.designated = f.patent(t, &licensing.Patent{Number: "EP 3 000 001 B1", Title: "Paging in two states", GrantedOn: day("2012-05-02"),
		Status: licensing.StatusGranted, OriginalOwnerID: f.nokia.ID, DesignatedStates: []string{"DE", "FR"}})
	return f
}

// held is one span of a company's holdings.
func held(c *licensing.Company, from, to string) licensing.GroupSpan {
	return licensing.GroupSpan{Owner: c.ID, From: day(from), To: day(to)}
}

// group is the Nokia group's holdings at any time.
func (f *patentSetFixture) group() licensing.PatentSet {
	return licensing.PatentSet{HeldBy: []licensing.GroupSpan{held(f.nokia, "0001-01-01", "9999-12-31"), held(f.tech, "0001-01-01", "9999-12-31")}}
}

// patentsIn lists the normalized numbers EachPatentIn streams.
func (f *patentSetFixture) patentsIn(t *testing.T, q PatentSetQuery) string {
	t.Helper()
	var got []string
	err := f.db.EachPatentIn(context.Background(), q, func(r *PatentRecord) error {
		got = append(got, r.Normalized)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, ",")
}

func TestEachPatentIn(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	const lte, nr, iot, lapsed, gb, ep3 = "EP1234567B1", "US9123456B2", "CN105123456A", "DE102015000001B4", "GB2500000B", "EP3000001B1"
	list := func(numbers ...string) string { return strings.Join(numbers, ",") }
	sets := func(s ...licensing.PatentSet) []licensing.PatentSet { return s }
	heldBy := func(spans ...licensing.GroupSpan) licensing.PatentSet { return licensing.PatentSet{HeldBy: spans} }
	narrowed := func(s licensing.PatentSet, edit func(*licensing.PatentSet)) licensing.PatentSet { edit(&s); return s }
	group := f.group()
	for _, c := range []struct {
		name  string
		q     PatentSetQuery
		want  string
		count int // of the query without its limit, where it has one
	}{
		{"HeldByOwnerAtAnyTime", PatentSetQuery{Sets: sets(heldBy(held(f.tech, "0001-01-01", "9999-12-31")))}, list(lte, lapsed), 0},
		{"HeldOnTheLastDayBeforeTheSale", PatentSetQuery{Sets: sets(heldBy(held(f.tech, "2017-07-04", "2017-07-04")))}, list(lte, lapsed), 0},
		{"NotHeldFromTheDayOfTheSale", PatentSetQuery{Sets: sets(heldBy(held(f.tech, "2017-07-05", "9999-12-31")))}, list(lapsed), 0},
		{"BuyerFromTheDayOfTheSale", PatentSetQuery{Sets: sets(heldBy(held(f.xiaomi, "2017-07-05", "2017-07-05")))}, list(lte, iot), 0},
		{"BuyerNotBefore", PatentSetQuery{Sets: sets(heldBy(held(f.xiaomi, "2017-01-01", "2017-07-04")))}, list(iot), 0},
		{"GroupOfSpans", PatentSetQuery{Sets: sets(group)}, list(lte, nr, lapsed, gb, ep3), 0},
		{"Listed", PatentSetQuery{Sets: sets(licensing.PatentSet{Patents: []int64{f.iot.ID, f.nr.ID, f.iot.ID}})}, list(nr, iot), 0},
		{"Family", PatentSetQuery{Sets: sets(licensing.PatentSet{Families: []string{"F1"}})}, list(lte, nr), 0},
		{"BlankFamilyKey", PatentSetQuery{Sets: sets(licensing.PatentSet{Families: []string{" "}})}, "", 0},
		{"NarrowedToATag", PatentSetQuery{Sets: sets(narrowed(group, func(s *licensing.PatentSet) { s.Tags = []string{"5g"} }))}, list(nr), 0},
		{"NarrowedToAStandardIgnoringCase", PatentSetQuery{Sets: sets(narrowed(group, func(s *licensing.PatentSet) {
			s.Standards = []string{"3gpp lte", "IEEE 802.11"}
		}))}, list(lte), 0},
		{"NarrowedToAnOffice", PatentSetQuery{Sets: sets(narrowed(group, func(s *licensing.PatentSet) { s.Offices = []string{"GB", "JP"} }))},
			list(gb), 0},
		{"HeldAndListed", PatentSetQuery{Sets: sets(licensing.PatentSet{HeldBy: []licensing.GroupSpan{held(f.xiaomi, "0001-01-01", "9999-12-31")},
			Patents: []int64{f.lte.ID, f.nr.ID}})}, list(lte), 0},
		{"LabelsWithoutAWayIn", PatentSetQuery{Sets: sets(licensing.PatentSet{Tags: []string{"cellular"}})}, "", 0},
		{"NoSets", PatentSetQuery{}, "", 0},
		{"InEverySet", PatentSetQuery{Sets: sets(group, heldBy(held(f.xiaomi, "0001-01-01", "9999-12-31")))}, list(lte), 0},
		// An exclusive grant of family F1 shuts the owner out of it.
		{"ExceptAShutOut", PatentSetQuery{Sets: sets(group), Except: [][]licensing.PatentSet{{{Families: []string{"F1"}}}}},
			list(lapsed, gb, ep3), 0},
		{"ExceptOnlyWhereEverySetOfTheEntryHolds", PatentSetQuery{Sets: sets(group),
			Except: [][]licensing.PatentSet{{{Families: []string{"F1"}}, heldBy(held(f.nokia, "0001-01-01", "9999-12-31"))}}},
			list(lte, lapsed, gb, ep3), 0},
		{"ExceptAnyEntry", PatentSetQuery{Sets: sets(group),
			Except: [][]licensing.PatentSet{{{Families: []string{"F1"}}}, {{Patents: []int64{f.gb2.ID}}}}}, list(lapsed, ep3), 0},
		{"EmptyExceptEntryTakesNothingOut", PatentSetQuery{Sets: sets(group), Except: [][]licensing.PatentSet{{}}},
			list(lte, nr, lapsed, gb, ep3), 0},
		{"InForceTheDayBeforeALapse", PatentSetQuery{Sets: sets(group), InForceOn: day("2020-02-29")}, list(lte, nr, lapsed, gb, ep3), 0},
		{"NotInForceOnTheDayOfALapse", PatentSetQuery{Sets: sets(group), InForceOn: day("2020-03-01")}, list(lte, nr, gb, ep3), 0},
		{"PendingApplicationNotInForce", PatentSetQuery{Sets: sets(heldBy(held(f.xiaomi, "0001-01-01", "9999-12-31"))),
			InForceOn: day("2020-01-01")}, list(lte), 0},
		{"NationalPatentInItsCountry", PatentSetQuery{Sets: sets(group), Territory: "US"}, list(nr), 0},
		{"EPWithoutStatesInAnyEPCState", PatentSetQuery{Sets: sets(group), Territory: "CH"}, list(lte), 0},
		{"EPInADesignatedState", PatentSetQuery{Sets: sets(group), Territory: "FR"}, list(lte, ep3), 0},
		{"NationalAndEPInGermany", PatentSetQuery{Sets: sets(group), Territory: "DE"}, list(lte, lapsed, ep3), 0},
		{"EPNotInAStateItDoesNotDesignate", PatentSetQuery{Sets: sets(group), Territory: "GB"}, list(lte, gb), 0},
		{"OutsideTheEPC", PatentSetQuery{Sets: sets(group), Territory: "JP"}, "", 0},
		{"PageAfterACursor", PatentSetQuery{Sets: sets(group), After: f.lte.ID, Limit: 2}, list(nr, lapsed), 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := f.patentsIn(t, c.q); got != c.want {
				t.Errorf("patents %s, want %s", got, c.want)
			}
			want := c.count
			if c.q.Limit == 0 && c.want != "" {
				want = len(strings.Split(c.want, ","))
			}
			if n, err := f.db.CountPatentsIn(ctx, c.q); err != nil || n != want {
				t.Errorf("count %d, %v; want %d", n, err, want)
			}
		})
	}
	t.Run("StopsAtTheCallersError", func(t *testing.T) {
		stop := fmt.Errorf("enough")
		seen := 0
		err := f.db.EachPatentIn(ctx, PatentSetQuery{Sets: []licensing.PatentSet{group}}, func(*PatentRecord) error { seen++; return stop })
		if err != stop || seen != 1 {
			t.Errorf("error %v after %d patents; want the caller's error after one", err, seen)
		}
	})
}

func TestCountPatentsInByOwner(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	for _, c := range []struct {
		name, on string
		q        PatentSetQuery
		want     string
	}{
		{"BeforeTheSale", "2017-07-04", PatentSetQuery{Sets: []licensing.PatentSet{f.group()}}, "Nokia Corporation 3, Nokia Technologies Oy 2"},
		{"AfterTheSale", "2017-07-05", PatentSetQuery{Sets: []licensing.PatentSet{f.group()}},
			"Nokia Corporation 3, Nokia Technologies Oy 1, Xiaomi Corporation 1"},
		// Before its filing date a patent belongs to its original owner.
		{"BeforeFiling", "2004-01-01", PatentSetQuery{Sets: []licensing.PatentSet{{Families: []string{"F1"}}}},
			"Nokia Corporation 1, Nokia Technologies Oy 1"},
		{"InForceOnly", "2020-03-01", PatentSetQuery{Sets: []licensing.PatentSet{f.group()}, InForceOn: day("2020-03-01")},
			"Nokia Corporation 3, Xiaomi Corporation 1"},
		{"None", "2020-03-01", PatentSetQuery{}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			counts, err := f.db.CountPatentsInByOwner(ctx, c.q, day(c.on))
			if err != nil {
				t.Fatal(err)
			}
			names := map[int64]string{f.nokia.ID: f.nokia.Name, f.tech.ID: f.tech.Name, f.xiaomi.ID: f.xiaomi.Name}
			var got []string
			for owner, n := range counts {
				got = append(got, fmt.Sprintf("%s %d", names[owner], n))
			}
			slices.Sort(got)
			if strings.Join(got, ", ") != c.want {
				t.Errorf("counts %s, want %s", strings.Join(got, ", "), c.want)
			}
		})
	}
}

func TestPatentsIn(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	group := PatentSetQuery{Sets: []licensing.PatentSet{f.group()}, Limit: 1}
	for _, c := range []struct {
		name  string
		q     PatentSetQuery
		limit int
		want  string
		total int
	}{
		{"FirstFewOfMany", group, 2, "EP1234567B1,US9123456B2", 5},
		{"CountOnly", group, 0, "", 5},
		{"None", PatentSetQuery{Sets: []licensing.PatentSet{{Families: []string{"F9"}}}}, 3, "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			refs, total, err := f.db.PatentsIn(ctx, c.q, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := refNumbers(refs); got != c.want || total != c.total {
				t.Errorf("patents %s of %d, want %s of %d", got, total, c.want, c.total)
			}
			for _, r := range refs {
				if r.ID == 0 {
					t.Errorf("patent %s without its id", r.Number)
				}
			}
		})
	}
}

func TestLastExpiryIn(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	gb := f.group()
	gb.Offices = []string{"GB"}
	for _, c := range []struct {
		name string
		q    PatentSetQuery
		want string
	}{
		{"LatestOfTheFamily", PatentSetQuery{Sets: []licensing.PatentSet{{Families: []string{"F1"}}}}, "2034-01-15"},
		{"OnePatent", PatentSetQuery{Sets: []licensing.PatentSet{gb}}, "2032-04-04"},
		// The EP patent without a filing date may run past any date.
		{"UnknownExpiryAmongThem", PatentSetQuery{Sets: []licensing.PatentSet{f.group()}}, ""},
		{"NoPatents", PatentSetQuery{Sets: []licensing.PatentSet{{Families: []string{"F9"}}}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			last, err := f.db.LastExpiryIn(ctx, c.q)
			if err != nil || last.String() != c.want {
				t.Errorf("last expiry %q, %v; want %q", last.String(), err, c.want)
			}
		})
	}
}

// TestPatentSetsReadIndexesOnly: at a million patents a route is read from
// its ids, each way in a range of an index, and the patents rows are read
// by id only: never a scan of patents, nor the fifth of them one office
// holds.
func TestPatentSetsReadIndexesOnly(t *testing.T) {
	f := newPatentSetFixture(t)
	group := f.group()
	tagged := f.group()
	tagged.Tags, tagged.Standards, tagged.Offices = []string{"5g"}, []string{"3GPP NR"}, []string{"US"}
	for _, c := range []struct {
		name string
		q    PatentSetQuery
		uses []string
	}{
		{"HoldingsInForceInATerritory", PatentSetQuery{Sets: []licensing.PatentSet{group}, InForceOn: day("2030-06-30"), Territory: "DE"},
			[]string{"patent_owners_owner (owner_id=? AND from_on<?)"}},
		{"NarrowedHoldings", PatentSetQuery{Sets: []licensing.PatentSet{tagged}, Territory: "US"},
			[]string{"patent_owners_owner (owner_id=? AND from_on<?)", "SEARCH l USING PRIMARY KEY (kind=? AND value=?)"}},
		{"FamilyExceptListed", PatentSetQuery{Sets: []licensing.PatentSet{{Families: []string{"F1"}}},
			Except: [][]licensing.PatentSet{{{Patents: []int64{f.nr.ID}}, group}}}, []string{"patents_family (family=?)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			where, args := patentSetWhere(&c.q)
			for _, query := range []string{`SELECT ` + patentColumns + patentFrom + ` WHERE ` + where + ` ORDER BY p.id`,
				`SELECT count(*) FROM patents p WHERE ` + where} {
				plan := queryPlan(t, f.db, query, args...)
				lines := strings.Split(plan, "\n")
				if lines[0] != "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)" {
					t.Errorf("patents not read by id:\n%s", plan)
				}
				for _, l := range lines {
					if (strings.HasPrefix(l, "SCAN ") && !strings.HasSuffix(l, "VALUES CLAUSE")) || strings.Contains(l, "patents_office") {
						t.Errorf("plan reads more than the set: %s\n%s", l, plan)
					}
				}
				for _, u := range c.uses {
					if !strings.Contains(plan, u) {
						t.Errorf("plan does not use %s:\n%s", u, plan)
					}
				}
			}
		})
	}
}

// An owner is shut out only of the patents it holds; the exclusive
// licensors' portfolios it is shut out of are far larger. Their sets are
// asked of each patent the owner holds, by its key, and never gathered
// whole, nor walked through a licensor's holdings for each patent.
func TestShutOutSetsAreAskedOfEachPatent(t *testing.T) {
	f := newPatentSetFixture(t)
	exclusive := f.group()
	exclusive.Tags, exclusive.Families, exclusive.Patents = []string{"5g"}, []string{"F1"}, []int64{f.nr.ID, f.lte.ID}
	q := PatentSetQuery{Sets: []licensing.PatentSet{{HeldBy: []licensing.GroupSpan{held(f.xiaomi, "2020-01-01", "2020-01-01")}}},
		Except: [][]licensing.PatentSet{{exclusive}, {f.group()}}, InForceOn: day("2020-01-01")}
	where, args := patentSetWhere(&q)
	plan := queryPlan(t, f.db, `SELECT count(*) FROM patents p WHERE `+where, args...)
	if n := strings.Count(plan, "patent_owners_owner"); n != 1 {
		t.Errorf("the holdings are walked by owner %d times, want once (the owner's own):\n%s", n, plan)
	}
	for _, want := range []string{"SEARCH po USING PRIMARY KEY (patent_id=?)", "CORRELATED"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan does not show %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "MERGE (INTERSECT)") {
		t.Errorf("a shut-out set is gathered whole:\n%s", plan)
	}
}

// A coverage row reads only a patent's head; what it reads must be what
// the full record says.
func TestEachPatentHeadInReadsTheHeadOfEachPatent(t *testing.T) {
	ctx := context.Background()
	f := newPatentSetFixture(t)
	q := PatentSetQuery{Sets: []licensing.PatentSet{f.group()}}
	var full, heads []*PatentRecord
	if err := f.db.EachPatentIn(ctx, q, func(r *PatentRecord) error { full = append(full, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := f.db.EachPatentHeadIn(ctx, q, func(r *PatentRecord) error { heads = append(heads, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(heads) != len(full) || len(full) < 5 {
		t.Fatalf("%d heads, %d patents", len(heads), len(full))
	}
	for i, h := range heads {
		p := full[i]
		pe, _ := p.Expiry()
		he, _ := h.Expiry()
		if h.ID != p.ID || h.Normalized != p.Normalized || h.Title != p.Title || h.Office != p.Office || he != pe {
			t.Errorf("head %+v of %s, want id %d, title %q, office %s, expiry %s", h.Patent, p.Normalized, p.ID, p.Title, p.Office, pe)
		}
	}
}

// TestEachPatentInHeldTwiceByOneOwner: a patent its owner sold and bought
// back is held twice by that owner; a portfolio over both holdings lists
// it once, alone and among a group's spans.
func TestEachPatentInHeldTwiceByOneOwner(t *testing.T) {
	f := newPatentSetFixture(t)
	f.agreement(t, "XIA-TECH-2019", licensing.AgreementActive, "2019-01-01",
		[]licensing.Assignment{transfer(f.xiaomi, f.tech, "2019-01-01", f.lte)})
	const lte, lapsed, gb, nr, ep3 = "EP1234567B1", "DE102015000001B4", "GB2500000B", "US9123456B2", "EP3000001B1"
	for _, c := range []struct {
		name string
		set  licensing.PatentSet
		want string
	}{
		{"OneSpan", licensing.PatentSet{HeldBy: []licensing.GroupSpan{held(f.tech, "0001-01-01", "9999-12-31")}}, lte + "," + lapsed},
		{"TheSameSpanTwice", licensing.PatentSet{HeldBy: []licensing.GroupSpan{held(f.tech, "2010-01-01", "2020-12-31"), held(f.tech, "2010-01-01", "2020-12-31")}}, lte + "," + lapsed},
		{"Group", f.group(), strings.Join([]string{lte, nr, lapsed, gb, ep3}, ",")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := f.patentsIn(t, PatentSetQuery{Sets: []licensing.PatentSet{c.set}}); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}
