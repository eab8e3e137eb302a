package demo

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	t.Run("EmptyDatabaseGetsOneAccountPerRole", func(t *testing.T) {
		db := openDB(t)
		accounts, err := Load(ctx, db, issueDay)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(accounts) != 3 {
			t.Fatalf("Load returned %d accounts, want 3", len(accounts))
		}
		roles := map[auth.Role]bool{}
		passwords := map[string]bool{}
		for _, a := range accounts {
			t.Run(string(a.Role), func(t *testing.T) {
				u, err := db.UserByEmail(ctx, a.Email)
				if err != nil {
					t.Fatalf("printed account %s not stored: %v", a.Email, err)
				}
				if u.Role != a.Role || u.Disabled() {
					t.Errorf("stored %s as %s (disabled %v), printed as %s", a.Email, u.Role, u.Disabled(), a.Role)
				}
				ok, _, err := auth.VerifyPassword(u.PasswordHash, a.Password)
				if err != nil || !ok {
					t.Errorf("printed password of %s does not sign in (ok %v, err %v)", a.Email, ok, err)
				}
				if strings.Contains(u.PasswordHash, a.Password) {
					t.Error("password stored in readable form")
				}
			})
			roles[a.Role] = true
			passwords[a.Password] = true
		}
		for _, r := range []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleViewer} {
			if !roles[r] {
				t.Errorf("no demo account with role %s", r)
			}
		}
		if len(passwords) != len(accounts) {
			t.Errorf("demo accounts share passwords: %d distinct of %d", len(passwords), len(accounts))
		}
		if n, _ := db.CountUsers(ctx); n != len(accounts) {
			t.Errorf("CountUsers = %d, want %d", n, len(accounts))
		}
		if kind, err := db.Demo(ctx); err != nil || kind != sqlite.DemoIllustrative {
			t.Errorf("Demo = %q, %v; want the illustrative data set, so every page says what it is", kind, err)
		}
	})
	t.Run("DatabaseWithUsersRefusedUnchanged", func(t *testing.T) {
		db := openDB(t)
		existing, err := auth.NewUser("counsel@example.org", "Real Counsel", auth.RoleAdmin, NewPassword())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, sqlite.CLIActor(), existing); err != nil {
			t.Fatal(err)
		}
		auditBefore, _ := db.RecentAudit(ctx, 100)
		accounts, err := Load(ctx, db, issueDay)
		if err == nil {
			t.Fatalf("Load into a database with users succeeded and printed %d accounts", len(accounts))
		}
		users, _ := db.ListUsers(ctx)
		if len(users) != 1 || users[0].Email != existing.Email {
			t.Errorf("users after refused Load = %d (first %v); want only %s", len(users), users, existing.Email)
		}
		if demo, _ := db.IsDemo(ctx); demo {
			t.Error("refused Load marked the database as demo")
		}
		if auditAfter, _ := db.RecentAudit(ctx, 100); len(auditAfter) != len(auditBefore) {
			t.Errorf("refused Load wrote %d audit rows", len(auditAfter)-len(auditBefore))
		}
	})
}

func TestNewPassword(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, pw string)
	}{
		{name: "FourGroupsOfFive", check: func(t *testing.T, pw string) {
			groups := strings.Split(pw, "-")
			if len(pw) != 23 || len(groups) != 4 {
				t.Fatalf("password %q: length %d, %d groups; want 23 characters in 4 groups", pw, len(pw), len(groups))
			}
			for _, g := range groups {
				if len(g) != 5 {
					t.Errorf("password %q has group %q, want 5 characters each", pw, g)
				}
			}
		}},
		{name: "OnlyUnambiguousCharacters", check: func(t *testing.T, pw string) {
			for _, r := range strings.ReplaceAll(pw, "-", "") {
				if !strings.ContainsRune(passwordAlphabet, r) {
					t.Errorf("password %q has %q, outside the alphabet", pw, r)
				}
				if strings.ContainsRune("0O1lI", r) {
					t.Errorf("password %q has the easily confused %q", pw, r)
				}
			}
		}},
		{name: "AcceptedByPasswordPolicy", check: func(t *testing.T, pw string) {
			if err := auth.ValidatePassword(pw); err != nil {
				t.Errorf("ValidatePassword(%q) = %v", pw, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 20 {
				tc.check(t, NewPassword())
			}
		})
	}
	t.Run("CallsDiffer", func(t *testing.T) {
		seen := map[string]bool{}
		for range 100 {
			pw := NewPassword()
			if seen[pw] {
				t.Fatalf("NewPassword repeated %q", pw)
			}
			seen[pw] = true
		}
	})
	t.Run("UsesWholeAlphabet", func(t *testing.T) {
		// 200 passwords draw 4000 characters; every one of the 31 letters
		// should turn up, or the choice is biased.
		used := map[rune]bool{}
		for range 200 {
			for _, r := range NewPassword() {
				used[r] = true
			}
		}
		for _, r := range passwordAlphabet {
			if !used[r] {
				t.Errorf("character %q never drawn in 4000 draws", r)
			}
		}
	})
}

// issueDay is the morning of the issue's "Done means", a Saturday, as the
// tests of other packages hold their clock at it: loaded on it, the demo is
// what the issue tells of (see agreementsOn).
var issueDay = licensing.MustDate("2026-11-21")

// loadDemo opens a fresh database and loads the demo data set into it on
// issueDay.
func loadDemo(t *testing.T) *sqlite.DB {
	t.Helper()
	db := openDB(t)
	if _, err := Load(context.Background(), db, issueDay); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return db
}

// allPatents lists every stored patent.
func allPatents(t *testing.T, db *sqlite.DB) []*sqlite.PatentRecord {
	t.Helper()
	list, next, err := db.Patents(context.Background(), sqlite.PatentFilter{Limit: 1000})
	if err != nil || next != "" {
		t.Fatalf("Patents: %v (next page %q)", err, next)
	}
	return list
}

// companyID finds a demo company by legal name.
func companyID(t *testing.T, db *sqlite.DB, name string) int64 {
	t.Helper()
	c, err := db.CompanyByName(context.Background(), name)
	if err != nil {
		t.Fatalf("company %q: %v", name, err)
	}
	return c.ID
}

func TestLoadCompanies(t *testing.T) {
	ctx := context.Background()
	db := loadDemo(t)
	t.Run("GroupsOfTheDesign", func(t *testing.T) {
		tests := []struct {
			name, parent, country string
		}{
			{"Nokia Corporation", "", "FI"},
			{"Nokia Technologies Oy", "Nokia Corporation", "FI"},
			{"Nokia Solutions and Networks Oy", "Nokia Corporation", "FI"},
			{"Xiaomi Corporation", "", "CN"},
			{"Beijing Xiaomi Mobile Software Co., Ltd.", "Xiaomi Corporation", "CN"},
			{"Xiaomi Communications Co., Ltd.", "Xiaomi Corporation", "CN"},
			{"HMD Global Oy", "", "FI"},
			{"Apple Inc.", "", "US"},
			{"Inter IKEA Systems B.V.", "", "NL"},
			{"Signify N.V.", "Koninklijke Philips N.V.", "NL"},
			{"Signify Holding B.V.", "Signify N.V.", "NL"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c, err := db.CompanyByName(ctx, tc.name)
				if err != nil {
					t.Fatalf("not loaded: %v", err)
				}
				if c.Country != tc.country {
					t.Errorf("country %q, want %q", c.Country, tc.country)
				}
				var parent string
				if c.ParentID != 0 {
					p, err := db.Company(ctx, c.ParentID)
					if err != nil {
						t.Fatal(err)
					}
					parent = p.Name
				}
				if parent != tc.parent {
					t.Errorf("parent %q, want %q", parent, tc.parent)
				}
			})
		}
	})
	t.Run("AliasesFindTheirCompany", func(t *testing.T) {
		for alias, want := range map[string]string{
			"NOKIA CORP":                            "Nokia Corporation",
			"XIAOMI INC":                            "Xiaomi Corporation",
			"BEIJING XIAOMI MOBILE SOFTWARE CO LTD": "Beijing Xiaomi Mobile Software Co., Ltd.",
			"APPLE INC":                             "Apple Inc.",
			"Philips Lighting Holding B.V.":         "Signify Holding B.V.",
		} {
			c, err := db.CompanyByName(ctx, alias)
			if err != nil || c.Name != want {
				t.Errorf("CompanyByName(%q) = %v, %v; want %s", alias, c, err, want)
			}
		}
	})

	links, err := db.ControlLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	affiliates := func(name string, on licensing.Date) map[string]bool {
		out := map[string]bool{}
		for _, id := range licensing.Affiliates(links, companyID(t, db, name), on) {
			c, err := db.Company(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out[c.Name] = true
		}
		return out
	}
	t.Run("XiaomiAffiliatesTodayAreItsSubsidiaries", func(t *testing.T) {
		got := affiliates("Xiaomi Corporation", licensing.DateOf(time.Now()))
		want := map[string]bool{"Beijing Xiaomi Mobile Software Co., Ltd.": true, "Xiaomi Communications Co., Ltd.": true}
		if !maps.Equal(got, want) {
			t.Errorf("affiliates of Xiaomi Corporation today = %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
	})
	t.Run("ControlPeriodsChangeGroups", func(t *testing.T) {
		tests := []struct {
			name, company, other string
			on                   string
			want                 bool
		}{
			{"AlcatelLucentNotYetNokia", "Nokia Corporation", "Alcatel Lucent", "2015-12-31", false},
			{"AlcatelLucentNokiaIn2017", "Nokia Technologies Oy", "Alcatel Lucent", "2017-07-05", true},
			{"SignifyUnderPhilipsIn2017", "Signify Holding B.V.", "Koninklijke Philips N.V.", "2017-07-05", true},
			{"SignifyIndependentIn2018", "Signify Holding B.V.", "Koninklijke Philips N.V.", "2018-01-01", false},
			{"NokiaAndXiaomiNeverAffiliated", "Nokia Corporation", "Xiaomi Corporation", "2017-07-05", false},
			{"HMDNotInNokiaGroup", "HMD Global Oy", "Nokia Corporation", "2017-07-05", false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := affiliates(tc.company, licensing.MustDate(tc.on))[tc.other]; got != tc.want {
					t.Errorf("%s an affiliate of %s on %s = %v, want %v", tc.other, tc.company, tc.on, got, tc.want)
				}
			})
		}
	})
}

func TestLoadPatents(t *testing.T) {
	ctx := context.Background()
	db := loadDemo(t)
	list := allPatents(t, db)
	today := licensing.DateOf(time.Now())

	t.Run("EveryListedPatentStored", func(t *testing.T) {
		if len(list) != len(patents) || len(list) < 40 {
			t.Fatalf("%d patents stored, %d listed; want all of at least 40", len(list), len(patents))
		}
		owners := map[string]bool{}
		for _, p := range list {
			owners[p.Owner] = true
			// What the store read back must still pass the checks it
			// made on the way in, e.g. after a date round trip.
			if errs := p.Validate(); len(errs) > 0 {
				t.Errorf("%s stored with invalid fields: %v", p.Normalized, errs)
			}
		}
		if len(owners) < 5 {
			t.Errorf("patents owned by %d companies, want at least 5: %v", len(owners), owners)
		}
	})
	t.Run("FamilyAcrossOffices", func(t *testing.T) {
		members, err := db.FamilyMembers(ctx, "FAM-NOK-0001")
		if err != nil {
			t.Fatal(err)
		}
		offices := map[string]bool{}
		for _, m := range members {
			offices[m.Office] = true
		}
		if len(members) < 3 || len(offices) < 3 {
			t.Errorf("family FAM-NOK-0001 has %d members in offices %v, want at least 3 offices", len(members), offices)
		}
	})
	t.Run("LegalStatuses", func(t *testing.T) {
		tests := []struct {
			name string
			has  func(p *sqlite.PatentRecord) bool
		}{
			{"ExpiredByStatus", func(p *sqlite.PatentRecord) bool { return p.Status == licensing.StatusExpired }},
			{"ExpiredByTermOnly", func(p *sqlite.PatentRecord) bool {
				end, _ := p.Expiry()
				return p.Status == licensing.StatusGranted && end.Before(today)
			}},
			{"Pending", func(p *sqlite.PatentRecord) bool {
				return p.Status == licensing.StatusPending && p.GrantedOn.IsZero() && p.Office != "WO"
			}},
			{"Lapsed", func(p *sqlite.PatentRecord) bool {
				return p.Status == licensing.StatusLapsed && !p.StatusOn.IsZero() && p.StatusOn.Before(today)
			}},
			{"TermAdjusted", func(p *sqlite.PatentRecord) bool { _, overridden := p.Expiry(); return overridden }},
			{"EPWithDesignatedStates", func(p *sqlite.PatentRecord) bool {
				return p.Office == "EP" && slices.Contains(p.DesignatedStates, "DE")
			}},
			{"EPForAllEPCStates", func(p *sqlite.PatentRecord) bool {
				return p.Office == "EP" && !p.GrantedOn.IsZero() && len(p.DesignatedStates) == 0
			}},
			{"DENational", func(p *sqlite.PatentRecord) bool { return p.Office == "DE" }},
			{"USPreGrantPublication", func(p *sqlite.PatentRecord) bool { return p.Office == "US" && p.Kind == "A1" }},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if !slices.ContainsFunc(list, tc.has) {
					t.Error("no demo patent of this kind")
				}
			})
		}
	})
	t.Run("LTEStandardEssential", func(t *testing.T) {
		std, sep := "3GPP LTE", true
		seps, _, err := db.Patents(ctx, sqlite.PatentFilter{Standard: &std, SEP: &sep, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(seps) == 0 {
			t.Fatal("no declared 3GPP LTE SEP")
		}
		for _, p := range seps {
			if p.SEPReference == "" {
				t.Errorf("%s declared essential without a declaration reference", p.Normalized)
			}
		}
	})
	t.Run("NokiaTechnologiesHasCellularPatentsToSell", func(t *testing.T) {
		// Xiaomi's purchase of July 2017 needs patents Nokia Technologies
		// owned and that were in force the day before title passed.
		owner := []int64{companyID(t, db, "Nokia Technologies Oy")}
		tag, on := "cellular", licensing.MustDate("2017-07-04")
		forSale, _, err := db.Patents(ctx, sqlite.PatentFilter{OwnerIDs: owner, OwnerOn: &on, Tag: &tag, InForceOn: &on, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(forSale) < 5 {
			t.Errorf("Nokia Technologies owns %d cellular patents in force on %s, want at least 5", len(forSale), on)
		}
	})
}

func TestLoadIsDeterministic(t *testing.T) {
	describe := func(db *sqlite.DB) []string {
		var out []string
		for _, p := range allPatents(t, db) {
			end, _ := p.Expiry()
			out = append(out, strings.Join([]string{p.Normalized, p.Owner, p.Family, p.FiledOn.String(), end.String(),
				string(p.Status), strings.Join(p.DesignatedStates, ",")}, "|"))
		}
		return out
	}
	first, second := describe(loadDemo(t)), describe(loadDemo(t))
	if !slices.Equal(first, second) {
		t.Errorf("two loads differ:\n%v\n%v", first, second)
	}
}

func TestLoadRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("SecondLoadRefusedUnchanged", func(t *testing.T) {
		db := loadDemo(t)
		before := len(allPatents(t, db))
		if _, err := Load(ctx, db, issueDay); err == nil {
			t.Fatal("second Load succeeded")
		}
		if after := len(allPatents(t, db)); after != before {
			t.Errorf("second Load changed the patents from %d to %d", before, after)
		}
	})
	t.Run("CompaniesWithoutUsersRefused", func(t *testing.T) {
		db := openDB(t)
		if err := db.CreateCompany(ctx, sqlite.CLIActor(), &licensing.Company{Name: "Nokia Corporation"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(ctx, db, issueDay); err == nil {
			t.Fatal("Load into a database with companies succeeded")
		}
		if n, _ := db.CountUsers(ctx); n != 0 {
			t.Errorf("refused Load created %d users", n)
		}
	})
	t.Run("FailedLoadLeavesNothingBehind", func(t *testing.T) {
		// A record the store refuses halfway through: the first patent
		// again, which is already recorded.
		listed := patents
		patents = append(slices.Clone(listed), listed[0])
		t.Cleanup(func() { patents = listed })

		db := openDB(t)
		accounts, err := Load(ctx, db, issueDay)
		if err == nil {
			t.Fatalf("Load with a duplicate patent succeeded and printed %d accounts", len(accounts))
		}
		if !strings.Contains(err.Error(), listed[0].Number) {
			t.Errorf("error %q does not name the refused patent %s", err, listed[0].Number)
		}
		if left := allPatents(t, db); len(left) > 0 {
			t.Errorf("%d patents left behind", len(left))
		}
		if left, _, _ := db.Companies(ctx, sqlite.CompanyFilter{}); len(left) > 0 {
			t.Errorf("%d companies left behind", len(left))
		}
		if n, _ := db.CountUsers(ctx); n != 0 {
			t.Errorf("%d users created", n)
		}
		if demo, _ := db.IsDemo(ctx); demo {
			t.Error("failed Load marked the database as demo")
		}
		patents = listed
		if _, err := Load(ctx, db, issueDay); err != nil {
			t.Errorf("Load after a failed one: %v", err)
		}
	})
}

// storedAgreement reads a demo agreement back in full.
func storedAgreement(t *testing.T, db *sqlite.DB, ref string) *licensing.Agreement {
	t.Helper()
	a, err := db.AgreementByReference(context.Background(), ref)
	if err != nil {
		t.Fatalf("agreement %s: %v", ref, err)
	}
	return a
}

// patentByNumber finds a stored patent by its number in any notation.
func patentByNumber(t *testing.T, db *sqlite.DB, number string) *sqlite.PatentRecord {
	t.Helper()
	n, err := licensing.NormalizePatentNumber(number)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range allPatents(t, db) {
		if p.Normalized == n {
			return p
		}
	}
	t.Fatalf("no patent %s", number)
	return nil
}

func TestLoadAgreements(t *testing.T) {
	ctx := context.Background()
	db := loadDemo(t)
	today := issueDay // the day it was loaded on

	t.Run("EveryAgreementStoredInItsStatus", func(t *testing.T) {
		list, _, err := db.Agreements(ctx, sqlite.AgreementFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(agreements) {
			t.Errorf("%d agreements stored, %d listed", len(list), len(agreements))
		}
		for _, da := range agreements {
			t.Run(da.Reference, func(t *testing.T) {
				a := storedAgreement(t, db, da.Reference)
				if a.Status != da.Status {
					t.Errorf("status %s, want %s", a.Status, da.Status)
				}
				if errs := a.Validate(); len(errs) > 0 {
					t.Errorf("stored with invalid fields: %v", errs)
				}
				if len(a.Parties) != len(da.Parties) || len(a.Grants) != len(da.Grants) ||
					len(a.Assignments) != len(da.Assignments) || len(a.Obligations) != len(da.Obligations) {
					t.Errorf("stored %d parties, %d grants, %d assignments, %d obligations; listed %d, %d, %d, %d",
						len(a.Parties), len(a.Grants), len(a.Assignments), len(a.Obligations),
						len(da.Parties), len(da.Grants), len(da.Assignments), len(da.Obligations))
				}
			})
		}
	})

	t.Run("SoldPatentsOwnedByXiaomiSinceTheSale", func(t *testing.T) {
		for _, ref := range soldToXiaomi {
			t.Run(ref.Number, func(t *testing.T) {
				p := patentByNumber(t, db, ref.Number)
				now, err := db.Patent(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if now.Owner != "Xiaomi Corporation" {
					t.Errorf("owner today %q, want Xiaomi Corporation", now.Owner)
				}
				title, err := db.ChainOfTitle(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				var chain []string
				for _, h := range title.Chain {
					chain = append(chain, h.Owner+" "+h.From.String()+".."+h.To.String()+" "+h.Agreement)
				}
				want := []string{"Nokia Technologies Oy " + p.FiledOn.String() + "..2017-07-04 ",
					"Xiaomi Corporation 2017-07-05.. " + refPurchase}
				if !slices.Equal(chain, want) {
					t.Errorf("chain of title %q, want %q", chain, want)
				}
				if len(title.Breaks) > 0 || len(title.Pending) > 0 {
					t.Errorf("%d title breaks and %d pending transfers, want none", len(title.Breaks), len(title.Pending))
				}
			})
		}
	})
	t.Run("UnsoldPatentStaysWithNokia", func(t *testing.T) {
		if p := patentByNumber(t, db, "EP 3 158 812 B1"); p.Owner != "Nokia Technologies Oy" {
			t.Errorf("owner %q, want Nokia Technologies Oy", p.Owner)
		}
	})
	t.Run("ExistingLicencesStillBurdenASoldPatent", func(t *testing.T) {
		touches, err := db.GrantsOnPatent(ctx, patentByNumber(t, db, "US 9,668,203 B2").ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, g := range touches {
			got[g.Agreement] = true
		}
		for _, ref := range []string{refCrossLicence, refPurchase, refHMD, refApple} {
			if !got[ref] {
				t.Errorf("no grant of %s on the patent; grants of %v", ref, slices.Sorted(maps.Keys(got)))
			}
		}
	})

	t.Run("CrossLicenceGrantsBothWays", func(t *testing.T) {
		a := storedAgreement(t, db, refCrossLicence)
		var ways []string
		for _, g := range a.Grants {
			ways = append(ways, g.Licensor+" → "+g.Licensee)
			if g.Scope.Kind != licensing.ScopePortfolio || !slices.Contains(g.Scope.Standards, "3GPP LTE") ||
				!slices.Contains(g.Fields, "mobile devices") {
				t.Errorf("grant %s → %s: scope %s %v, fields %v; want a 3GPP LTE portfolio for mobile devices",
					g.Licensor, g.Licensee, g.Scope.Kind, g.Scope.Standards, g.Fields)
			}
		}
		slices.Sort(ways)
		if want := []string{"Nokia Corporation → Xiaomi Corporation", "Xiaomi Corporation → Nokia Corporation"}; !slices.Equal(ways, want) {
			t.Errorf("grants %q, want %q", ways, want)
		}
		n, err := db.GrantScopeCount(ctx, &a.Grants[0], licensing.MustDate("2020-03-01"))
		if err != nil || n == 0 {
			t.Errorf("the grant %s → %s covers %d patents on 2020-03-01 (%v), want some", a.Grants[0].Licensor, a.Grants[0].Licensee, n, err)
		}
		if !a.InForce(licensing.MustDate("2020-03-01")) || a.InForce(today) {
			t.Errorf("in force on 2020-03-01 %v and today %v; want in force in 2020 and expired now",
				a.InForce(licensing.MustDate("2020-03-01")), a.InForce(today))
		}
	})
	t.Run("LicenceBackUnderThePatentsSold", func(t *testing.T) {
		a := storedAgreement(t, db, refPurchase)
		if len(a.Grants) != 1 || a.Grants[0].Licensor != "Xiaomi Corporation" || a.Grants[0].Licensee != "Nokia Technologies Oy" {
			t.Fatalf("grants %+v, want one from Xiaomi Corporation to Nokia Technologies Oy", a.Grants)
		}
		if got, want := len(a.Grants[0].Scope.Patents), len(soldToXiaomi); got != want {
			t.Errorf("the licence back names %d patents, %d were sold", got, want)
		}
		if len(a.Assignments) != 1 || len(a.Assignments[0].Patents) != len(soldToXiaomi) {
			t.Errorf("assignments %+v, want one of the %d patents sold", a.Assignments, len(soldToXiaomi))
		}
	})

	t.Run("HMDReportOverdue", func(t *testing.T) {
		a := storedAgreement(t, db, refHMD)
		i := slices.IndexFunc(a.Obligations, func(o licensing.Obligation) bool { return o.Kind == licensing.ObligationReport })
		if i < 0 {
			t.Fatal("no report obligation")
		}
		o := &a.Obligations[i]
		if o.Recurrence != licensing.Quarterly || o.Payer != "HMD Global Oy" || o.Payee != "Nokia Technologies Oy" {
			t.Errorf("report %q: %s from %q to %q, want quarterly from HMD Global Oy to Nokia Technologies Oy",
				o.Title, o.Recurrence, o.Payer, o.Payee)
		}
		if got := o.OccurrenceOn(licensing.MustDate("2026-07-31")); got.Status != licensing.ObligationDone || got.DoneOn.IsZero() {
			t.Errorf("report due 2026-07-31: %+v, want done with a date", got)
		}
		var overdue []string
		for _, d := range o.DueDates(a, today) {
			if d.Before(today) && o.OccurrenceOn(d).Status == licensing.ObligationOpen {
				overdue = append(overdue, d.String())
			}
		}
		if !slices.Contains(overdue, "2026-10-31") {
			t.Errorf("overdue reports %v, want the one due 2026-10-31", overdue)
		}
	})
	t.Run("RoyaltiesAreExactDecimals", func(t *testing.T) {
		a := storedAgreement(t, db, refCrossLicence)
		o := a.Obligations[slices.IndexFunc(a.Obligations, func(o licensing.Obligation) bool { return o.Kind == licensing.ObligationPayment })]
		if o.Amount.String() != "12500000.00" || o.Currency != "EUR" || o.Recurrence != licensing.Yearly {
			t.Errorf("royalty %s %s %s, want 12500000.00 EUR yearly", o.Amount, o.Currency, o.Recurrence)
		}
		for _, d := range o.DueDates(a, licensing.Date{}) {
			if o.OccurrenceOn(d).Status != licensing.ObligationDone {
				t.Errorf("royalty due %s of the expired cross-licence still %s", d, o.OccurrenceOn(d).Status)
			}
		}
	})
	t.Run("HMDNoticeDeadlineAhead", func(t *testing.T) {
		a := storedAgreement(t, db, refHMD)
		if got := a.NoticeDeadline().String(); got != "2027-01-05" || a.RenewalMonths != 24 {
			t.Errorf("notice deadline %s, renewal %d months; want 2027-01-05 and 24", got, a.RenewalMonths)
		}
		// The issue's morning, Saturday 2026-11-21: notice must be given in 45 days.
		if !a.NoticeDeadline().Equal(issueDay.AddDays(45)) {
			t.Errorf("notice deadline %s is not 45 days after %s", a.NoticeDeadline(), issueDay)
		}
		if !a.InForce(today) {
			t.Error("the HMD licence is not in force today")
		}
	})
	t.Run("AmendmentExtendsTheHMDLicence", func(t *testing.T) {
		parent := storedAgreement(t, db, refHMD)
		amendments, err := db.Amendments(ctx, parent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(amendments) != 1 || amendments[0].Reference != refHMDAmendment || amendments[0].Parent != refHMD {
			t.Errorf("amendments %+v, want %s amending %s", amendments, refHMDAmendment, refHMD)
		}
	})
	t.Run("OtherDeals", func(t *testing.T) {
		tests := []struct {
			ref    string
			status licensing.AgreementStatus
			field  string // a field of use one of its grants names
			warns  bool   // the status contradicts the dates today
		}{
			{refApple, licensing.AgreementActive, "", true},
			{refOption, licensing.AgreementNegotiation, "IoT devices", false},
			{refIKEA, licensing.AgreementActive, "smart home", false},
		}
		for _, tc := range tests {
			t.Run(tc.ref, func(t *testing.T) {
				a := storedAgreement(t, db, tc.ref)
				if a.Status != tc.status {
					t.Errorf("status %s, want %s", a.Status, tc.status)
				}
				if tc.field != "" && !slices.ContainsFunc(a.Grants, func(g licensing.Grant) bool { return slices.Contains(g.Fields, tc.field) }) {
					t.Errorf("no grant in the field %q", tc.field)
				}
				if warns := len(a.StatusWarnings(today)) > 0; warns != tc.warns {
					t.Errorf("status warnings %q, want some: %v", a.StatusWarnings(today), tc.warns)
				}
			})
		}
	})
}

func TestLoadAgreementRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("RuleBreakRefusedBeforeAnythingIsWritten", func(t *testing.T) {
		listed := agreements
		bad := listed[len(listed)-1]
		bad.Grants = append(slices.Clone(bad.Grants), licensing.Grant{Licensor: apple, Licensee: xiaomi,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}, Exclusivity: licensing.NonExclusive})
		agreements = append(slices.Clone(listed[:len(listed)-1]), bad)
		t.Cleanup(func() { agreements = listed })

		db := openDB(t)
		_, err := Load(ctx, db, issueDay)
		if err == nil || !strings.Contains(err.Error(), bad.Reference) || !strings.Contains(err.Error(), "licensor") {
			t.Fatalf("Load = %v, want a refusal naming %s and the licensor", err, bad.Reference)
		}
		if audit, _ := db.RecentAudit(ctx, 10); len(audit) > 0 {
			t.Errorf("the refused Load wrote %d audit rows", len(audit))
		}
	})
	t.Run("StoreRefusalLeavesNothingBehind", func(t *testing.T) {
		// The first agreement again, at the end: the store refuses its
		// reference once every agreement, amendment and marked occurrence
		// is written, and all of it must go again.
		listed := agreements
		agreements = append(slices.Clone(listed), listed[0])
		t.Cleanup(func() { agreements = listed })

		db := openDB(t)
		_, err := Load(ctx, db, issueDay)
		if err == nil || !strings.Contains(err.Error(), listed[0].Reference) {
			t.Fatalf("Load = %v, want a refusal naming %s", err, listed[0].Reference)
		}
		if left, _, _ := db.Agreements(ctx, sqlite.AgreementFilter{Limit: 100}); len(left) > 0 {
			t.Errorf("%d agreements left behind", len(left))
		}
		if left := allPatents(t, db); len(left) > 0 {
			t.Errorf("%d patents left behind", len(left))
		}
		if left, _, _ := db.Companies(ctx, sqlite.CompanyFilter{}); len(left) > 0 {
			t.Errorf("%d companies left behind", len(left))
		}
		if n, _ := db.CountUsers(ctx); n != 0 {
			t.Errorf("%d users created", n)
		}
		agreements = listed
		if _, err := Load(ctx, db, issueDay); err != nil {
			t.Errorf("Load after a failed one: %v", err)
		}
	})
}
