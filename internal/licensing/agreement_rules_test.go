package licensing

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// Company ids of the test agreements.
const (
	nokiaID  = 1
	xiaomiID = 2
	hmdID    = 3
)

// crossLicence returns the July 2017 Nokia–Xiaomi cross-licence, valid and
// active; each test case changes what it is about.
func crossLicence() Agreement {
	return Agreement{
		ID:          7,
		Reference:   "NOK-XIA-2017",
		Title:       "Patent cross-licence, cellular",
		Kind:        KindCrossLicense,
		Status:      AgreementActive,
		SignedOn:    MustDate("2017-07-05"),
		EffectiveOn: MustDate("2017-07-05"),
		ExpiresOn:   MustDate("2024-07-04"),
		NoticeDays:  180,
		Parties:     []Party{{CompanyID: nokiaID, Role: RoleParty}, {CompanyID: xiaomiID, Role: RoleParty}},
	}
}

// checkFields fails unless errs flags exactly field (none when field is "")
// with a message containing says.
func checkFields(t *testing.T, errs map[string]string, field, says string) {
	t.Helper()
	if field == "" {
		if len(errs) != 0 {
			t.Fatalf("Validate() = %v, want no errors", errs)
		}
		return
	}
	if fields := slices.Sorted(maps.Keys(errs)); !slices.Equal(fields, []string{field}) {
		t.Fatalf("Validate() flags %v (%v), want only %q", fields, errs, field)
	}
	if !strings.Contains(errs[field], says) {
		t.Errorf("message %q does not say %q", errs[field], says)
	}
}

func TestAgreementValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Agreement)
		field  string // "" for a valid agreement
		says   string
	}{
		{"ValidActive", nil, "", ""},
		{"ValidDraftWithoutDates", func(a *Agreement) {
			a.Status, a.SignedOn, a.EffectiveOn, a.ExpiresOn, a.NoticeDays = AgreementDraft, Date{}, Date{}, Date{}, 0
		}, "", ""},
		{"ValidOneDayTerm", func(a *Agreement) { a.ExpiresOn = a.EffectiveOn }, "", ""},
		{"ValidOpenEnded", func(a *Agreement) { a.ExpiresOn, a.NoticeDays = Date{}, 0 }, "", ""},
		{"ValidTerminatedOnExpiryDay", func(a *Agreement) {
			a.Status, a.TerminatedOn = AgreementTerminated, a.ExpiresOn
		}, "", ""},
		{"ValidTerminatedOnEffectiveDay", func(a *Agreement) {
			a.Status, a.TerminatedOn = AgreementTerminated, a.EffectiveOn
		}, "", ""},
		{"ValidRenewalWithNotice", func(a *Agreement) { a.RenewalMonths = 240 }, "", ""},
		{"ValidNoticeWithRenewalOnly", func(a *Agreement) { a.RenewalMonths = 12 }, "", ""},
		{"ValidAmendment", func(a *Agreement) { a.ParentID = 3 }, "", ""},
		{"ValidWithoutParties", func(a *Agreement) { a.Parties = nil }, "", ""},

		{"ReferenceMissing", func(a *Agreement) { a.Reference = " \t" }, "reference", "A reference is required."},
		{"ReferenceTooLong", func(a *Agreement) { a.Reference = strings.Repeat("R", 101) }, "reference",
			"The reference is longer than 100 characters."},
		{"TitleMissing", func(a *Agreement) { a.Title = "" }, "title", "A title is required."},
		{"TitleTooLong", func(a *Agreement) { a.Title = strings.Repeat("T", 501) }, "title",
			"The title is longer than 500 characters."},
		{"KindUnknown", func(a *Agreement) { a.Kind = "patent_pool" }, "kind",
			"The kind must be one of cross_license, license, assignment, covenant_not_to_sue, settlement, collaboration or option."},
		{"KindMissing", func(a *Agreement) { a.Kind = "" }, "kind", "cross_license"},
		{"StatusUnknown", func(a *Agreement) { a.Status = "signed" }, "status",
			"The status must be one of draft, negotiation, active, expired or terminated."},
		{"ActiveWithoutEffectiveDate", func(a *Agreement) { a.EffectiveOn = Date{} }, "effective_on",
			"An agreement that is active needs the date it took effect."},
		{"ExpiredWithoutEffectiveDate", func(a *Agreement) { a.Status, a.EffectiveOn = AgreementExpired, Date{} }, "effective_on",
			"expired"},
		{"ExpiresBeforeEffective", func(a *Agreement) { a.ExpiresOn = MustDate("2017-07-04") }, "expires_on",
			"The expiry date 2017-07-04 is before the effective date 2017-07-05."},
		{"TerminatedWithoutDate", func(a *Agreement) { a.Status = AgreementTerminated }, "terminated_on",
			"A terminated agreement needs the date of termination."},
		{"TerminationDateWhileActive", func(a *Agreement) { a.TerminatedOn = MustDate("2020-01-31") }, "terminated_on",
			"Only a terminated agreement has a termination date."},
		{"TerminatedBeforeEffective", func(a *Agreement) {
			a.Status, a.TerminatedOn = AgreementTerminated, MustDate("2017-07-04")
		}, "terminated_on", "The termination date 2017-07-04 is before the effective date 2017-07-05."},
		{"TerminatedAfterExpiry", func(a *Agreement) {
			a.Status, a.TerminatedOn = AgreementTerminated, MustDate("2024-07-05")
		}, "terminated_on", "The termination date 2024-07-05 is after the expiry date 2024-07-04: the agreement had already expired."},
		{"TerminatedInALaterRenewalTerm", func(a *Agreement) {
			a.Status, a.TerminatedOn, a.RenewalMonths = AgreementTerminated, MustDate("2026-03-31"), 24
		}, "", ""},
		{"RenewalNegative", func(a *Agreement) { a.RenewalMonths = -1 }, "renewal_months",
			"The renewal term must be between 0 and 240 months."},
		{"RenewalTooLong", func(a *Agreement) { a.RenewalMonths = 241 }, "renewal_months", "between 0 and 240"},
		{"RenewalWithoutExpiry", func(a *Agreement) { a.ExpiresOn, a.RenewalMonths = Date{}, 12 }, "renewal_months",
			"An automatic renewal needs an expiry date to renew from."},
		{"NoticeNegative", func(a *Agreement) { a.NoticeDays = -1 }, "notice_days",
			"The notice period must be between 0 and 3650 days."},
		{"NoticeTooLong", func(a *Agreement) { a.NoticeDays = 3651 }, "notice_days", "between 0 and 3650"},
		{"NoticeWithoutExpiry", func(a *Agreement) { a.ExpiresOn = Date{} }, "notice_days",
			"A notice period needs an expiry date to count back from."},
		{"GoverningLawTooLong", func(a *Agreement) { a.GoverningLaw = strings.Repeat("L", 101) }, "governing_law",
			"The governing law is longer than 100 characters."},
		{"SummaryTooLong", func(a *Agreement) { a.Summary = strings.Repeat("S", 20001) }, "summary",
			"The summary is longer than 20000 characters."},
		{"AmendsItself", func(a *Agreement) { a.ParentID = a.ID }, "parent", "An agreement cannot amend itself."},
		{"PartyWithoutCompany", func(a *Agreement) { a.Parties[1].CompanyID = 0 }, "parties",
			"The party in position 2 names no company."},
		{"PartyRoleUnknown", func(a *Agreement) { a.Parties[0].Role = "buyer" }, "parties",
			`The role "buyer" of party 1 is not one of party, licensor, licensee, assignor, assignee, collaborator or guarantor.`},
		{"PartyNamedTwice", func(a *Agreement) {
			a.Parties = append(a.Parties, Party{CompanyID: nokiaID, Role: RoleLicensor})
		}, "parties", "The party in position 3 is named twice."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := crossLicence()
			if tc.change != nil {
				tc.change(&a)
			}
			checkFields(t, a.Validate(), tc.field, tc.says)
		})
	}
	t.Run("SummaryOfMaximumLengthInRunes", func(t *testing.T) {
		a := crossLicence()
		a.Summary = strings.Repeat("ü", 20000) // 40000 bytes, 20000 characters
		checkFields(t, a.Validate(), "", "")
	})
}

func TestCanMove(t *testing.T) {
	allowed := map[[2]AgreementStatus]bool{
		{AgreementDraft, AgreementNegotiation}:       true,
		{AgreementDraft, AgreementActive}:            true,
		{AgreementNegotiation, AgreementDraft}:       true,
		{AgreementNegotiation, AgreementActive}:      true,
		{AgreementActive, AgreementExpired}:          true,
		{AgreementActive, AgreementTerminated}:       true,
		{AgreementExpired, AgreementActive}:          true, // renewed
		{AgreementExpired, AgreementTerminated}:      true,
		{AgreementDraft, AgreementDraft}:             true,
		{AgreementNegotiation, AgreementNegotiation}: true,
		{AgreementActive, AgreementActive}:           true,
		{AgreementExpired, AgreementExpired}:         true,
		{AgreementTerminated, AgreementTerminated}:   true,
	}
	for _, from := range AgreementStatuses {
		for _, to := range AgreementStatuses {
			t.Run(string(from)+"To"+string(to), func(t *testing.T) {
				err := CanMove(from, to)
				if allowed[[2]AgreementStatus{from, to}] {
					if err != nil {
						t.Fatalf("CanMove(%s, %s) = %v, want allowed", from, to, err)
					}
					return
				}
				if err == nil {
					t.Fatalf("CanMove(%s, %s) allowed, want refused", from, to)
				}
				if ErrorCode(err) != Invalid {
					t.Errorf("code %s, want invalid", ErrorCode(err))
				}
			})
		}
	}
	t.Run("NewAgreementMayStartAnywhere", func(t *testing.T) {
		for _, to := range AgreementStatuses {
			if err := CanMove("", to); err != nil {
				t.Errorf("CanMove(\"\", %s) = %v", to, err)
			}
		}
	})
	messages := []struct {
		name     string
		from, to AgreementStatus
		says     string
	}{
		{"TerminationIsFinal", AgreementTerminated, AgreementActive, "a terminated agreement stays terminated"},
		{"DraftCannotExpire", AgreementDraft, AgreementExpired,
			"an agreement cannot go from draft to expired: the next steps are negotiation or active"},
		{"ActiveCannotGoBackToNegotiation", AgreementActive, AgreementNegotiation,
			"an agreement cannot go from active to negotiation: the next steps are expired or terminated"},
		{"ExpiredCannotBecomeDraft", AgreementExpired, AgreementDraft,
			"an agreement cannot go from expired to draft: the next steps are active or terminated"},
		{"NegotiationCannotTerminate", AgreementNegotiation, AgreementTerminated,
			"an agreement cannot go from negotiation to terminated: the next steps are draft or active"},
	}
	for _, tc := range messages {
		t.Run(tc.name, func(t *testing.T) {
			err := CanMove(tc.from, tc.to)
			if err == nil {
				t.Fatal("allowed")
			}
			if msg := err.(*Error).Message; msg != tc.says {
				t.Errorf("message %q, want %q", msg, tc.says)
			}
		})
	}
}

func TestStatusWarnings(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Agreement)
		today  string
		want   string // "" for no warning
	}{
		{"ActiveOnExpiryDay", nil, "2024-07-04", ""},
		{"ActiveDayAfterExpiry", nil, "2024-07-05", "The status is active, but the term ended on 2024-07-04."},
		{"ActiveOpenEnded", func(a *Agreement) { a.ExpiresOn = Date{} }, "2099-01-01", ""},
		{"ExpiredOnExpiryDay", func(a *Agreement) { a.Status = AgreementExpired }, "2024-07-04",
			"The status is expired, but the term runs until 2024-07-04."},
		{"ExpiredDayAfterExpiry", func(a *Agreement) { a.Status = AgreementExpired }, "2024-07-05", ""},
		{"ExpiredWithoutExpiryDate", func(a *Agreement) { a.Status, a.ExpiresOn = AgreementExpired, Date{} }, "2024-07-05",
			"The status is expired, but the agreement has no expiry date."},
		{"DraftAlreadySigned", func(a *Agreement) { a.Status = AgreementDraft }, "2017-07-06",
			"The status is draft, but the agreement was signed on 2017-07-05."},
		{"NegotiationAlreadySigned", func(a *Agreement) { a.Status = AgreementNegotiation }, "2017-07-06",
			"The status is negotiation, but the agreement was signed on 2017-07-05."},
		{"NegotiationUnsigned", func(a *Agreement) { a.Status, a.SignedOn = AgreementNegotiation, Date{} }, "2030-01-01", ""},
		{"TerminatedAfterExpiry", func(a *Agreement) {
			a.Status, a.TerminatedOn = AgreementTerminated, MustDate("2020-01-31")
		}, "2030-01-01", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := crossLicence()
			if tc.change != nil {
				tc.change(&a)
			}
			got := a.StatusWarnings(MustDate(tc.today))
			var want []string
			if tc.want != "" {
				want = []string{tc.want}
			}
			if !slices.Equal(got, want) {
				t.Errorf("StatusWarnings(%s) = %q, want %q", tc.today, got, want)
			}
		})
	}
}

func TestAgreementTerm(t *testing.T) {
	terminated := func(on string) func(*Agreement) {
		return func(a *Agreement) { a.Status, a.TerminatedOn = AgreementTerminated, MustDate(on) }
	}
	tests := []struct {
		name    string
		change  func(*Agreement)
		end     string // End(), "" for open-ended
		inForce map[string]bool
	}{
		{"Active", nil, "2024-07-04", map[string]bool{
			"2017-07-04": false, "2017-07-05": true, "2020-02-29": true, "2024-07-04": true, "2024-07-05": false,
		}},
		{"ExpiredStillCountsWithinItsTerm", func(a *Agreement) { a.Status = AgreementExpired }, "2024-07-04", map[string]bool{
			"2017-07-05": true, "2024-07-04": true, "2024-07-05": false,
		}},
		{"OpenEnded", func(a *Agreement) { a.ExpiresOn = Date{} }, "", map[string]bool{
			"2017-07-04": false, "2017-07-05": true, "2999-12-31": true,
		}},
		{"TerminatedBeforeExpiry", terminated("2020-01-31"), "2020-01-31", map[string]bool{
			"2017-07-05": true, "2020-01-31": true, "2020-02-01": false, "2024-07-04": false,
		}},
		{"TerminatedOnEffectiveDay", terminated("2017-07-05"), "2017-07-05", map[string]bool{
			"2017-07-04": false, "2017-07-05": true, "2017-07-06": false,
		}},
		{"TerminatedOpenEnded", func(a *Agreement) {
			a.ExpiresOn = Date{}
			terminated("2021-06-30")(a)
		}, "2021-06-30", map[string]bool{"2021-06-30": true, "2021-07-01": false}},
		{"TerminatedWithoutDateKeepsExpiry", func(a *Agreement) { a.Status = AgreementTerminated }, "2024-07-04", map[string]bool{
			"2024-07-04": true, "2024-07-05": false,
		}},
		{"DraftNeverInForce", func(a *Agreement) { a.Status = AgreementDraft }, "2024-07-04", map[string]bool{
			"2017-07-05": false, "2020-01-01": false,
		}},
		{"NegotiationNeverInForce", func(a *Agreement) { a.Status = AgreementNegotiation }, "2024-07-04", map[string]bool{
			"2020-01-01": false,
		}},
		{"WithoutEffectiveDateNeverInForce", func(a *Agreement) { a.EffectiveOn = Date{} }, "2024-07-04", map[string]bool{
			"2020-01-01": false,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := crossLicence()
			if tc.change != nil {
				tc.change(&a)
			}
			if got := a.End().String(); got != tc.end {
				t.Errorf("End() = %q, want %q", got, tc.end)
			}
			for day, want := range tc.inForce {
				if got := a.InForce(MustDate(day)); got != want {
					t.Errorf("InForce(%s) = %v, want %v", day, got, want)
				}
			}
			if a.InForce(Date{}) {
				t.Error("in force on no date")
			}
		})
	}
}

func TestNoticeDeadline(t *testing.T) {
	tests := []struct {
		name    string
		expires string
		days    int
		want    string
	}{
		{"HalfAYearBeforeExpiry", "2024-07-04", 180, "2024-01-06"},
		{"NinetyDaysAcrossNewYear", "2027-01-05", 90, "2026-10-07"},
		{"OneDay", "2024-03-01", 1, "2024-02-29"},
		{"NoNoticePeriod", "2024-07-04", 0, ""},
		{"NoExpiry", "", 180, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := crossLicence()
			a.ExpiresOn, a.NoticeDays = MustDate(tc.expires), tc.days
			if got := a.NoticeDeadline().String(); got != tc.want {
				t.Errorf("NoticeDeadline() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseAgreementChoices(t *testing.T) {
	t.Run("Kinds", func(t *testing.T) {
		for in, want := range map[string]AgreementKind{
			"cross_license": KindCrossLicense, "Cross-License": KindCrossLicense, " covenant not to sue ": KindCovenantNotToSue,
			"OPTION": KindOption,
		} {
			if got, err := ParseAgreementKind(in); err != nil || got != want {
				t.Errorf("ParseAgreementKind(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
		if _, err := ParseAgreementKind("patent pool"); err == nil || !strings.Contains(err.Error(), `"patent pool" is not an agreement kind`) {
			t.Errorf("ParseAgreementKind(patent pool) = %v", err)
		}
	})
	t.Run("Statuses", func(t *testing.T) {
		if got, err := ParseAgreementStatus(" Active "); err != nil || got != AgreementActive {
			t.Errorf("ParseAgreementStatus(Active) = %q, %v", got, err)
		}
		if _, err := ParseAgreementStatus("signed"); err == nil {
			t.Error("ParseAgreementStatus(signed) accepted")
		}
	})
	t.Run("ObligationKinds", func(t *testing.T) {
		if got, err := ParseObligationKind("Milestone"); err != nil || got != ObligationMilestone {
			t.Errorf("ParseObligationKind(Milestone) = %q, %v", got, err)
		}
		if _, err := ParseObligationKind("invoice"); err == nil {
			t.Error("ParseObligationKind(invoice) accepted")
		}
	})
	t.Run("Recurrences", func(t *testing.T) {
		for in, want := range map[string]Recurrence{"": Once, "once": Once, "None": Once, "Quarterly": Quarterly, "yearly": Yearly} {
			if got, err := ParseRecurrence(in); err != nil || got != want {
				t.Errorf("ParseRecurrence(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
		if _, err := ParseRecurrence("weekly"); err == nil {
			t.Error("ParseRecurrence(weekly) accepted")
		}
	})
}

// nokiaToXiaomi returns a valid grant of crossLicence: Nokia's cellular
// portfolio to Xiaomi.
func nokiaToXiaomi() Grant {
	return Grant{
		ID:                 11,
		LicensorID:         nokiaID,
		Licensor:           "Nokia Corporation",
		LicenseeID:         xiaomiID,
		Licensee:           "Xiaomi Corporation",
		LicenseeAffiliates: true,
		LicensorAffiliates: true,
		Scope: GrantScope{Kind: ScopePortfolio, CaptureFrom: MustDate("2000-01-01"), CaptureTo: MustDate("2017-07-05"),
			Standards: []string{"3GPP LTE"}},
		Territories:    []string{TerritoryWorld},
		Fields:         []string{"mobile devices"},
		Exclusivity:    NonExclusive,
		RoyaltyBearing: true,
	}
}

func TestGrantValidate(t *testing.T) {
	patentsScope := func(g *Grant) {
		g.Scope = GrantScope{Kind: ScopePatents, Patents: []PatentRef{{Number: "EP1234567B1"}}}
	}
	tests := []struct {
		name   string
		change func(*Grant)
		field  string
		says   string
	}{
		{"ValidPortfolio", nil, "", ""},
		{"ValidPatentList", patentsScope, "", ""},
		{"ValidFamilies", func(g *Grant) { g.Scope = GrantScope{Kind: ScopeFamilies, Families: []string{"FAM-NOK-0001"}} }, "", ""},
		{"ValidOpenCaptureWindow", func(g *Grant) { g.Scope.CaptureFrom, g.Scope.CaptureTo = Date{}, Date{} }, "", ""},
		{"ValidCaptureWindowOfOneDay", func(g *Grant) { g.Scope.CaptureFrom = g.Scope.CaptureTo }, "", ""},
		{"ValidOffices", func(g *Grant) { g.Scope.Offices = []string{"EP", "US", "CN", "WO"} }, "", ""},
		{"ValidWorldwideWhenEmpty", func(g *Grant) { g.Territories = nil }, "", ""},
		{"TerritoryWORLD", func(g *Grant) { g.Territories = []string{"WORLD"} }, "", ""},
		{"TerritoryEU", func(g *Grant) { g.Territories = []string{"EU"} }, "", ""},
		{"TerritoryEPC", func(g *Grant) { g.Territories = []string{"EPC"} }, "", ""},
		{"TerritoryCountries", func(g *Grant) { g.Territories = []string{"DE", "FI", "CN", "US"} }, "", ""},
		{"TerritoryUnknown", func(g *Grant) { g.Territories = []string{"DE", "XX"} }, "territories",
			`"XX" is not a country code such as DE, nor WORLD, EU or EPC.`},
		{"TerritoryLowerCase", func(g *Grant) { g.Territories = []string{"world"} }, "territories", `"world"`},
		{"AllActivitiesNamed", func(g *Grant) { g.Activities = slices.Clone(Activities) }, "", ""},
		{"ActivityUnknown", func(g *Grant) { g.Activities = []Activity{ActivityMake, "distribute"} }, "activities",
			`"distribute" is not an activity: use make, use, sell, offer_to_sell, import or have_made.`},
		{"FieldEmpty", func(g *Grant) { g.Fields = []string{"mobile devices", " "} }, "fields",
			"The field of use in position 2 is empty."},
		{"FieldTooLong", func(g *Grant) { g.Fields = []string{strings.Repeat("f", 101)} }, "fields", "The field of use"},
		{"ExclusivityMissing", func(g *Grant) { g.Exclusivity = "" }, "exclusivity",
			"The exclusivity must be one of non_exclusive, sole or exclusive."},
		{"SoleAndExclusiveAllowed", func(g *Grant) { g.Exclusivity = Exclusive }, "", ""},

		{"LicensorMissing", func(g *Grant) { g.LicensorID = 0 }, "licensor", "A licensor is required."},
		{"LicensorNotParty", func(g *Grant) { g.LicensorID = hmdID }, "licensor",
			"The licensor must be a party to the agreement."},
		{"LicenseeMissing", func(g *Grant) { g.LicenseeID = 0 }, "licensee", "A licensee is required."},
		{"LicenseeIsLicensor", func(g *Grant) { g.LicenseeID = nokiaID }, "licensee",
			"The licensee must be another company than the licensor."},
		{"LicenseeNotParty", func(g *Grant) { g.LicenseeID = hmdID }, "licensee",
			"The licensee must be a party to the agreement."},
		{"SublicenseeNeedNotBeParty", func(g *Grant) { g.LicenseeID, g.ParentGrantID = hmdID, 5 }, "", ""},

		{"ScopeMissing", func(g *Grant) { g.Scope = GrantScope{} }, "scope",
			"The scope must be one of patents, families or portfolio."},
		{"PatentListEmpty", func(g *Grant) { g.Scope = GrantScope{Kind: ScopePatents} }, "patents",
			"A scope of listed patents needs at least one patent number."},
		{"FamiliesEmpty", func(g *Grant) { g.Scope = GrantScope{Kind: ScopeFamilies} }, "families",
			"A scope of families needs at least one family key."},
		{"FamilyKeyBlank", func(g *Grant) { g.Scope = GrantScope{Kind: ScopeFamilies, Families: []string{"FAM-1", ""}} }, "families",
			"The family in position 2 is empty."},
		{"CaptureWindowReversed", func(g *Grant) { g.Scope.CaptureTo = MustDate("1999-12-31") }, "capture_to",
			"The capture window ends on 1999-12-31, before it begins on 2000-01-01."},
		{"CaptureWindowOnPatentList", func(g *Grant) {
			patentsScope(g)
			g.Scope.CaptureTo = MustDate("2017-07-05")
		}, "capture_from", "Only a portfolio scope has a capture window."},
		{"TagEmpty", func(g *Grant) { g.Scope.Tags = []string{""} }, "tags", "The tag in position 1 is empty."},
		{"StandardTooLong", func(g *Grant) { g.Scope.Standards = []string{strings.Repeat("s", 101)} }, "standards",
			"is longer than 100 characters"},
		{"OfficeUnknown", func(g *Grant) { g.Scope.Offices = []string{"EP", "XX"} }, "offices",
			`"XX" is not a known patent office code.`},

		{"StartsOnEffectiveDay", func(g *Grant) { g.StartsOn = MustDate("2017-07-05") }, "", ""},
		{"StartsDayBeforeAgreement", func(g *Grant) { g.StartsOn = MustDate("2017-07-04") }, "starts_on",
			"The grant cannot start on 2017-07-04, before the agreement takes effect on 2017-07-05."},
		{"StartsOnLastDay", func(g *Grant) { g.StartsOn = MustDate("2024-07-04") }, "", ""},
		{"StartsDayAfterAgreementEnds", func(g *Grant) { g.StartsOn = MustDate("2024-07-05") }, "starts_on",
			"The grant cannot start on 2024-07-05, after the agreement ends on 2024-07-04."},
		{"EndsOnExpiryDay", func(g *Grant) { g.EndsOn = MustDate("2024-07-04") }, "", ""},
		{"EndsDayAfterExpiry", func(g *Grant) { g.EndsOn = MustDate("2024-07-05") }, "ends_on",
			"The grant cannot end on 2024-07-05, after the agreement expires on 2024-07-04."},
		{"EndsOnEffectiveDay", func(g *Grant) { g.EndsOn = MustDate("2017-07-05") }, "", ""},
		{"EndsDayBeforeAgreement", func(g *Grant) { g.EndsOn = MustDate("2017-07-04") }, "ends_on",
			"The grant cannot end on 2017-07-04, before the agreement takes effect on 2017-07-05."},
		{"EndsBeforeItStarts", func(g *Grant) {
			g.StartsOn, g.EndsOn = MustDate("2019-01-01"), MustDate("2018-12-31")
		}, "ends_on", "The grant ends on 2018-12-31, before it starts on 2019-01-01."},
		{"OwnTermOfOneDay", func(g *Grant) { g.StartsOn, g.EndsOn = MustDate("2019-01-01"), MustDate("2019-01-01") }, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, g := crossLicence(), nokiaToXiaomi()
			if tc.change != nil {
				tc.change(&g)
			}
			checkFields(t, g.Validate(&a), tc.field, tc.says)
		})
	}
	t.Run("OpenEndedAgreementTakesAnyLaterTerm", func(t *testing.T) {
		a, g := crossLicence(), nokiaToXiaomi()
		a.ExpiresOn, a.NoticeDays = Date{}, 0
		g.StartsOn, g.EndsOn = MustDate("2030-01-01"), MustDate("2040-12-31")
		checkFields(t, g.Validate(&a), "", "")
	})
	t.Run("NoStartAfterTermination", func(t *testing.T) {
		a, g := crossLicence(), nokiaToXiaomi()
		a.Status, a.TerminatedOn = AgreementTerminated, MustDate("2020-01-31")
		g.StartsOn = MustDate("2020-02-01")
		checkFields(t, g.Validate(&a), "starts_on", "after the agreement ends on 2020-01-31")
	})
}

func TestGrantTerm(t *testing.T) {
	tests := []struct {
		name                  string
		starts, ends          string
		terminated            string
		wantStart, wantFinish string
	}{
		{"AgreementTerm", "", "", "", "2017-07-05", "2024-07-04"},
		{"OwnTerm", "2018-01-01", "2020-12-31", "", "2018-01-01", "2020-12-31"},
		{"TerminationCutsOwnEnd", "", "2022-12-31", "2020-01-31", "2017-07-05", "2020-01-31"},
		{"OwnEndBeforeTermination", "", "2019-06-30", "2020-01-31", "2017-07-05", "2019-06-30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, g := crossLicence(), nokiaToXiaomi()
			g.StartsOn, g.EndsOn = MustDate(tc.starts), MustDate(tc.ends)
			if tc.terminated != "" {
				a.Status, a.TerminatedOn = AgreementTerminated, MustDate(tc.terminated)
			}
			if got := g.Start(&a).String(); got != tc.wantStart {
				t.Errorf("Start = %s, want %s", got, tc.wantStart)
			}
			if got := g.Finish(&a).String(); got != tc.wantFinish {
				t.Errorf("Finish = %s, want %s", got, tc.wantFinish)
			}
		})
	}
	t.Run("OpenEndedAgreementOpenGrant", func(t *testing.T) {
		a, g := crossLicence(), nokiaToXiaomi()
		a.ExpiresOn = Date{}
		if !g.Finish(&a).IsZero() {
			t.Errorf("Finish = %s, want open", g.Finish(&a))
		}
		g.EndsOn = MustDate("2030-01-01")
		if got := g.Finish(&a).String(); got != "2030-01-01" {
			t.Errorf("Finish = %s, want the grant's own end", got)
		}
	})
}

func TestValidateSublicence(t *testing.T) {
	// Xiaomi sublicenses HMD under Nokia's grant to Xiaomi.
	tests := []struct {
		name        string
		change      func(sub, parent *Grant)
		isAffiliate bool
		says        string // "" for a sound sublicence
	}{
		{"LicenseeSublicenses", nil, false, ""},
		{"ParentNotSublicensable", func(_, p *Grant) { p.Sublicensable = false }, false,
			"Grant 11 is not sublicensable, so it cannot carry a sublicence."},
		{"SublicensorNotTheLicensee", func(s, _ *Grant) { s.LicensorID = hmdID }, false,
			"Only the licensee of grant 11, Xiaomi Corporation, can sublicense under it."},
		{"AffiliateOfCoveredLicensee", func(s, _ *Grant) { s.LicensorID = 9 }, true, ""},
		{"AffiliateWhereParentLeavesAffiliatesOut", func(s, p *Grant) {
			s.LicensorID, p.LicenseeAffiliates = 9, false
		}, true, "Only the licensee of grant 11, Xiaomi Corporation, can sublicense under it."},
		{"GrantUnderItself", func(s, p *Grant) { s.ID = p.ID }, false, "A grant cannot sublicense itself."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := nokiaToXiaomi()
			parent.Sublicensable = true
			sub := Grant{ID: 12, LicensorID: xiaomiID, LicenseeID: hmdID, ParentGrantID: parent.ID,
				Scope: GrantScope{Kind: ScopePortfolio}, Exclusivity: NonExclusive}
			if tc.change != nil {
				tc.change(&sub, &parent)
			}
			if got := sub.ValidateSublicence(&parent, tc.isAffiliate); got != tc.says {
				t.Errorf("ValidateSublicence = %q, want %q", got, tc.says)
			}
		})
	}
}

func TestAssignmentValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Assignment)
		field  string
		says   string
	}{
		{"Valid", nil, "", ""},
		{"ValidUnrecorded", func(as *Assignment) { as.RecordedOn, as.OfficeRef = Date{}, "" }, "", ""},
		{"ValidRecordedSameDay", func(as *Assignment) { as.RecordedOn = as.EffectiveOn }, "", ""},
		{"AssignorMissing", func(as *Assignment) { as.AssignorID = 0 }, "assignor", "An assignor is required."},
		{"AssigneeMissing", func(as *Assignment) { as.AssigneeID = 0 }, "assignee", "An assignee is required."},
		{"AssigneeIsAssignor", func(as *Assignment) { as.AssigneeID = as.AssignorID }, "assignee",
			"The assignee must be another company than the assignor."},
		{"EffectiveDateMissing", func(as *Assignment) { as.EffectiveOn, as.RecordedOn = Date{}, Date{} }, "effective_on",
			"The effective (execution) date is required: title passes on it."},
		{"RecordedBeforeExecution", func(as *Assignment) { as.RecordedOn = MustDate("2017-07-04") }, "recorded_on",
			"The recording date 2017-07-04 is before the execution date 2017-07-05."},
		{"OfficeRefTooLong", func(as *Assignment) { as.OfficeRef = strings.Repeat("9", 101) }, "office_ref",
			"The office reference is longer than 100 characters."},
		{"NoPatents", func(as *Assignment) { as.Patents = nil }, "patents", "An assignment transfers at least one patent."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			as := Assignment{AssignorID: nokiaID, AssigneeID: xiaomiID, EffectiveOn: MustDate("2017-07-05"),
				RecordedOn: MustDate("2017-08-14"), OfficeRef: "USPTO reel/frame 043210/0001",
				Patents: []PatentRef{{Number: "US 9,668,203 B2"}}}
			if tc.change != nil {
				tc.change(&as)
			}
			checkFields(t, as.Validate(), tc.field, tc.says)
		})
	}
}

// royalties returns a valid yearly payment of crossLicence.
func royalties() Obligation {
	return Obligation{
		Kind: ObligationPayment, Title: "Running royalty", DueOn: MustDate("2018-01-31"),
		Recurrence: Yearly, Until: MustDate("2024-01-31"), Amount: MustAmount("1000000.00"), Currency: "EUR",
		PayerID: xiaomiID, PayeeID: nokiaID, Status: ObligationOpen,
	}
}

func TestObligationValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Obligation, *Agreement)
		field  string
		says   string
	}{
		{"Valid", nil, "", ""},
		{"ValidOnceWithoutAmount", func(o *Obligation, _ *Agreement) {
			o.Kind, o.Recurrence, o.Until, o.Amount, o.Currency = ObligationNotice, Once, Date{}, Amount{}, ""
		}, "", ""},
		{"ValidRecurringUntilAgreementEnd", func(o *Obligation, _ *Agreement) { o.Until = Date{} }, "", ""},
		{"ValidWithoutPayerAndPayee", func(o *Obligation, _ *Agreement) { o.PayerID, o.PayeeID = 0, 0 }, "", ""},
		{"ValidUntilFirstDueDate", func(o *Obligation, _ *Agreement) { o.Until = o.DueOn }, "", ""},
		{"KindUnknown", func(o *Obligation, _ *Agreement) { o.Kind = "invoice" }, "kind",
			"The kind must be one of payment, report, notice, milestone or other."},
		{"TitleMissing", func(o *Obligation, _ *Agreement) { o.Title = " " }, "title", "A title is required."},
		{"DueDateMissing", func(o *Obligation, _ *Agreement) { o.DueOn, o.Until = Date{}, Date{} }, "due_on",
			"A due date is required."},
		{"RecurrenceUnknown", func(o *Obligation, _ *Agreement) { o.Recurrence = "weekly" }, "recurrence",
			"The recurrence must be monthly, quarterly, yearly or none."},
		{"UntilOnSingleObligation", func(o *Obligation, _ *Agreement) { o.Recurrence = Once }, "until",
			"Only a recurring obligation has an end of recurrence."},
		{"UntilBeforeFirstDueDate", func(o *Obligation, _ *Agreement) { o.Until = MustDate("2018-01-30") }, "until",
			"The recurrence ends on 2018-01-30, before the first due date 2018-01-31."},
		{"RecurringWithoutEndInOpenEndedAgreement", func(o *Obligation, a *Agreement) {
			o.Until, a.ExpiresOn = Date{}, Date{}
		}, "until", "A recurring obligation of an open-ended agreement needs the date its recurrence ends."},
		{"CurrencyWithoutAmount", func(o *Obligation, _ *Agreement) { o.Amount = Amount{} }, "amount",
			"A currency needs an amount."},
		{"AmountWithoutCurrency", func(o *Obligation, _ *Agreement) { o.Currency = "" }, "currency",
			"An amount needs its currency as a three-letter code such as EUR or USD."},
		{"CurrencyLowerCase", func(o *Obligation, _ *Agreement) { o.Currency = "eur" }, "currency", "three-letter code"},
		{"CurrencyTooLong", func(o *Obligation, _ *Agreement) { o.Currency = "EURO" }, "currency", "three-letter code"},
		{"PayeeIsPayer", func(o *Obligation, _ *Agreement) { o.PayeeID = o.PayerID }, "payee",
			"The payee must be another company than the payer."},
		{"StatusUnknown", func(o *Obligation, _ *Agreement) { o.Status = "late" }, "status",
			"The status must be open, done or waived."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, a := royalties(), crossLicence()
			if tc.change != nil {
				tc.change(&o, &a)
			}
			checkFields(t, o.Validate(&a), tc.field, tc.says)
		})
	}
}

func TestDueDates(t *testing.T) {
	tests := []struct {
		name       string
		due        string
		recurrence Recurrence
		until      string
		expires    string // the agreement's expiry; "" open-ended
		terminated string
		to         string
		want       []string
	}{
		{"Once", "2018-01-31", Once, "", "2024-07-04", "", "", []string{"2018-01-31"}},
		{"OnceOnTheLastDayAsked", "2018-01-31", Once, "", "2024-07-04", "", "2018-01-31", []string{"2018-01-31"}},
		{"OnceAfterTheLastDayAsked", "2018-01-31", Once, "", "2024-07-04", "", "2018-01-30", nil},
		{"MonthlyFrom31January", "2023-01-31", Monthly, "2023-05-31", "2024-07-04", "", "",
			[]string{"2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31"}},
		{"MonthlyFrom31JanuaryInLeapYear", "2024-01-31", Monthly, "2024-03-31", "2024-07-04", "", "",
			[]string{"2024-01-31", "2024-02-29", "2024-03-31"}},
		{"Quarterly", "2018-01-31", Quarterly, "2018-12-31", "2024-07-04", "", "",
			[]string{"2018-01-31", "2018-04-30", "2018-07-31", "2018-10-31"}},
		{"YearlyUntilInclusive", "2018-01-31", Yearly, "2021-01-31", "2024-07-04", "", "",
			[]string{"2018-01-31", "2019-01-31", "2020-01-31", "2021-01-31"}},
		{"YearlyUntilDayBefore", "2018-01-31", Yearly, "2021-01-30", "2024-07-04", "", "",
			[]string{"2018-01-31", "2019-01-31", "2020-01-31"}},
		{"YearlyFromLeapDay", "2016-02-29", Yearly, "2020-03-01", "2024-07-04", "", "",
			[]string{"2016-02-29", "2017-02-28", "2018-02-28", "2019-02-28", "2020-02-29"}},
		{"CappedByAgreementExpiry", "2021-07-04", Yearly, "", "2024-07-04", "", "",
			[]string{"2021-07-04", "2022-07-04", "2023-07-04", "2024-07-04"}},
		{"CappedByTermination", "2018-01-31", Yearly, "", "2024-07-04", "2020-01-30", "",
			[]string{"2018-01-31", "2019-01-31"}},
		{"CappedByTo", "2018-01-31", Yearly, "2024-01-31", "2024-07-04", "", "2020-01-31",
			[]string{"2018-01-31", "2019-01-31", "2020-01-31"}},
		{"UntilBeforeTo", "2018-01-31", Yearly, "2019-01-31", "2024-07-04", "", "2030-01-01",
			[]string{"2018-01-31", "2019-01-31"}},
		{"OpenEndedCappedByTo", "2018-03-31", Quarterly, "", "", "", "2018-12-31",
			[]string{"2018-03-31", "2018-06-30", "2018-09-30", "2018-12-31"}},
		{"ToBeforeFirstDueDate", "2018-01-31", Monthly, "", "2024-07-04", "", "2018-01-30", nil},
		{"NoDueDate", "", Yearly, "", "2024-07-04", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := crossLicence()
			a.ExpiresOn = MustDate(tc.expires)
			if tc.terminated != "" {
				a.Status, a.TerminatedOn = AgreementTerminated, MustDate(tc.terminated)
			}
			o := royalties()
			o.DueOn, o.Recurrence, o.Until = MustDate(tc.due), tc.recurrence, MustDate(tc.until)
			var got []string
			for _, d := range o.DueDates(&a, MustDate(tc.to)) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("DueDates = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("OpenEndedWithoutLimitStops", func(t *testing.T) {
		o := Obligation{DueOn: MustDate("2018-01-31"), Recurrence: Monthly}
		dates := o.DueDates(nil, Date{})
		if len(dates) != maxOccurrences {
			t.Fatalf("%d due dates, want the bound %d", len(dates), maxOccurrences)
		}
		if last := dates[len(dates)-1].String(); last != "2117-12-31" {
			t.Errorf("last due date %s, want 2117-12-31", last)
		}
	})
}

func TestOccurrenceOn(t *testing.T) {
	done := Occurrence{DueOn: MustDate("2019-01-31"), Status: ObligationDone, DoneOn: MustDate("2019-01-28"), DoneBy: "Anna Legal"}
	tests := []struct {
		name   string
		status ObligationStatus
		due    string
		want   ObligationStatus
		doneBy string
	}{
		{"MarkedDone", ObligationOpen, "2019-01-31", ObligationDone, "Anna Legal"},
		{"UnmarkedIsOpen", ObligationOpen, "2020-01-31", ObligationOpen, ""},
		{"WholeObligationWaived", ObligationWaived, "2020-01-31", ObligationWaived, ""},
		{"WholeObligationDone", ObligationDone, "2020-01-31", ObligationDone, ""},
		{"MarkWinsOverWaiver", ObligationWaived, "2019-01-31", ObligationDone, "Anna Legal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := royalties()
			o.Status, o.Occurrences = tc.status, []Occurrence{done}
			got := o.OccurrenceOn(MustDate(tc.due))
			if got.Status != tc.want || got.DoneBy != tc.doneBy || got.DueOn != MustDate(tc.due) {
				t.Errorf("OccurrenceOn(%s) = %+v, want status %s by %q", tc.due, got, tc.want, tc.doneBy)
			}
		})
	}
}
