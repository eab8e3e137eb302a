package licensing

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// cellular returns a valid granted EP patent of the kind the demo holds;
// each test case changes what it is about.
func cellular() Patent {
	return Patent{
		Number:      "EP 1 234 567 B1",
		Normalized:  "EP1234567B1",
		Office:      "EP",
		Kind:        "B1",
		Title:       "Method for uplink power control in a cellular network",
		PriorityOn:  MustDate("2005-01-10"),
		FiledOn:     MustDate("2005-07-05"),
		PublishedOn: MustDate("2006-01-11"),
		GrantedOn:   MustDate("2009-03-04"),
		Status:      StatusGranted,
		Tags:        []string{"cellular", "5g"},
		Standards:   []string{"3GPP LTE"},
	}
}

func TestPatentExpiry(t *testing.T) {
	tests := []struct {
		name           string
		filed, expires string
		want           string
		overridden     bool
	}{
		{"ComputedFromFiling", "2005-07-05", "", "2025-07-05", false},
		{"LeapDayFilingToLeapYear", "2016-02-29", "", "2036-02-29", false},
		{"LeapDayFiling2020", "2020-02-29", "", "2040-02-29", false},
		{"ExtensionOverrides", "2005-07-05", "2027-01-10", "2027-01-10", true},
		{"RecordedSameAsComputed", "2005-07-05", "2025-07-05", "2025-07-05", false},
		{"RecordedWithoutFiling", "", "2030-05-01", "2030-05-01", true},
		{"UnknownWithoutEither", "", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Patent{FiledOn: MustDate(tc.filed), ExpiresOn: MustDate(tc.expires)}
			got, overridden := p.Expiry()
			if got.String() != tc.want || overridden != tc.overridden {
				t.Errorf("Expiry() = %s, %v; want %s, %v", got, overridden, tc.want, tc.overridden)
			}
		})
	}
	t.Run("ComputedIgnoresOverride", func(t *testing.T) {
		p := Patent{FiledOn: MustDate("2005-07-05"), ExpiresOn: MustDate("2027-01-10")}
		if got := p.ComputedExpiry().String(); got != "2025-07-05" {
			t.Errorf("ComputedExpiry() = %s, want 2025-07-05", got)
		}
	})
}

func TestPatentInForce(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Patent)
		on     string
		want   bool
	}{
		{"GrantedDuringTerm", nil, "2017-07-05", true},
		{"OnExpiryDay", nil, "2025-07-05", true},
		{"DayAfterExpiry", nil, "2025-07-06", false},
		{"OnGrantDay", nil, "2009-03-04", true},
		{"BeforeGrant", nil, "2009-03-03", false},
		{"ExtendedTerm", func(p *Patent) { p.ExpiresOn = MustDate("2027-01-10") }, "2026-01-01", true},
		{"DayAfterExtendedTerm", func(p *Patent) { p.ExpiresOn = MustDate("2027-01-10") }, "2027-01-11", false},
		{"DayBeforeRevocation", revokedOn("2019-03-01"), "2019-02-28", true},
		{"OnRevocationDay", revokedOn("2019-03-01"), "2019-03-01", false},
		{"DayBeforeLapse", endedOn(StatusLapsed, "2019-03-01"), "2019-02-28", true},
		{"OnLapseDay", endedOn(StatusLapsed, "2019-03-01"), "2019-03-01", false},
		{"OnAbandonmentDay", endedOn(StatusAbandoned, "2019-03-01"), "2019-03-01", false},
		{"ExpiredStatusFollowsTerm", endedOn(StatusExpired, "2025-07-06"), "2025-07-05", true},
		{"ExpiredStatusWithoutDates", func(p *Patent) { p.Status, p.FiledOn, p.GrantedOn = StatusExpired, Date{}, Date{} }, "2017-07-05", false},
		{"UnknownTermStaysInForce", func(p *Patent) { p.FiledOn = Date{} }, "2040-01-01", true},
		{"PendingApplication", func(p *Patent) { p.Status, p.GrantedOn = StatusPending, Date{} }, "2017-07-05", false},
		{"EmptyStatusIsPending", func(p *Patent) { p.Status = "" }, "2017-07-05", false},
		{"WOApplication", func(p *Patent) { p.Office, p.Number = "WO", "WO 2006/123456 A1" }, "2017-07-05", false},
		{"NoDateAsked", nil, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := cellular()
			if tc.change != nil {
				tc.change(&p)
			}
			if got := p.InForce(MustDate(tc.on)); got != tc.want {
				t.Errorf("InForce(%s) = %v, want %v", tc.on, got, tc.want)
			}
		})
	}
}

func revokedOn(d string) func(*Patent) { return endedOn(StatusRevoked, d) }

func endedOn(s PatentStatus, d string) func(*Patent) {
	return func(p *Patent) { p.Status, p.StatusOn = s, MustDate(d) }
}

func TestPatentValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Patent)
		field  string // "" for a valid patent
		says   string
	}{
		{"ValidPatent", nil, "", ""},
		{"ValidWithDesignatedStates", func(p *Patent) { p.DesignatedStates = []string{"DE", "FR", "GB"} }, "", ""},
		{"ValidWithoutKindField", func(p *Patent) { p.Kind = "" }, "", ""},
		{"ValidExpiredWithoutStatusDate", func(p *Patent) { p.Status = StatusExpired }, "", ""},
		{"NumberMissing", func(p *Patent) { p.Number = " " }, "number", "required"},
		{"NumberUnreadable", func(p *Patent) { p.Number = "EP 12AB34" }, "number", `"EP 12AB34"`},
		{"OfficeDisagrees", func(p *Patent) { p.Office = "US" }, "office", "EP 1234567 B1"},
		{"OfficeUnknown", func(p *Patent) { p.Office = "EB" }, "office", `"EB"`},
		{"KindDisagrees", func(p *Patent) { p.Kind = "A1" }, "kind", "A1"},
		{"KindMalformed", func(p *Patent) { p.Kind = "B12" }, "kind", `"B12"`},
		{"TitleMissing", func(p *Patent) { p.Title = "" }, "title", "required"},
		{"TitleTooLong", func(p *Patent) { p.Title = strings.Repeat("a", 501) }, "title", "500"},
		{"TitleAtLimit", func(p *Patent) { p.Title = strings.Repeat("ä", 500) }, "", ""},
		{"StatusMissing", func(p *Patent) { p.Status = "" }, "status", "pending, granted"},
		{"StatusUnknown", func(p *Patent) { p.Status = "in force" }, "status", "pending, granted"},
		{"RevokedWithoutDate", func(p *Patent) { p.Status = StatusRevoked }, "status_on", "revoked"},
		{"LapsedWithoutDate", func(p *Patent) { p.Status = StatusLapsed }, "status_on", "lapsed"},
		{"FiledBeforePriority", func(p *Patent) { p.PriorityOn = MustDate("2005-08-01") }, "filed_on", "priority date 2005-08-01"},
		{"PublishedBeforeFiling", func(p *Patent) { p.PublishedOn = MustDate("2005-07-04") }, "published_on", "filing date 2005-07-05"},
		{"PublishedBeforePriorityWithoutFiling", func(p *Patent) {
			p.FiledOn, p.GrantedOn, p.PublishedOn = Date{}, Date{}, MustDate("2004-12-31")
		}, "published_on", "priority date"},
		{"GrantedBeforeFiling", func(p *Patent) { p.GrantedOn = MustDate("2005-07-01") }, "granted_on", "filing date"},
		{"ExpiryBeforeGrant", func(p *Patent) { p.ExpiresOn = MustDate("2009-03-03") }, "expires_on", "grant date 2009-03-04"},
		{"GrantAfterEndOfTerm", func(p *Patent) { p.GrantedOn = MustDate("2025-07-06") }, "granted_on", "2025-07-05"},
		{"DesignatedStatesOnUSPatent", func(p *Patent) {
			p.Number, p.Office, p.Kind, p.DesignatedStates = "US 9,123,456 B2", "US", "B2", []string{"DE"}
		}, "designated_states", "EP"},
		{"DesignatedStateNotACountry", func(p *Patent) { p.DesignatedStates = []string{"DE", "UK"} }, "designated_states", `"UK"`},
		{"DesignatedStateLowerCase", func(p *Patent) { p.DesignatedStates = []string{"de"} }, "designated_states", `"de"`},
		{"DesignatedStateTwice", func(p *Patent) { p.DesignatedStates = []string{"DE", "FR", "DE"} }, "designated_states", "DE"},
		{"EmptyTag", func(p *Patent) { p.Tags = []string{"iot", " "} }, "tags", "position 2"},
		{"StandardTooLong", func(p *Patent) { p.Standards = []string{strings.Repeat("x", 101)} }, "standards", "100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := cellular()
			if tc.change != nil {
				tc.change(&p)
			}
			errs := p.Validate()
			if tc.field == "" {
				if len(errs) != 0 {
					t.Fatalf("Validate() = %v, want no errors", errs)
				}
				return
			}
			if fields := slices.Sorted(maps.Keys(errs)); !slices.Equal(fields, []string{tc.field}) {
				t.Fatalf("Validate() flags %v (%v), want only %q", fields, errs, tc.field)
			}
			if !strings.Contains(errs[tc.field], tc.says) {
				t.Errorf("message %q does not say %q", errs[tc.field], tc.says)
			}
		})
	}
}

func TestPatentNormalize(t *testing.T) {
	tests := []struct {
		name                     string
		number, office, kind     string
		normalized, wOffice, wKd string
	}{
		{"FillsEverything", "us 2019/0198156 a1", "", "", "US2019198156A1", "US", "A1"},
		{"KindFieldCompletesNumber", "EP 1 234 567", "", "B1", "EP1234567B1", "EP", "B1"},
		{"NumberWithoutKindLeavesKindEmpty", "9,123,456", "", "", "US9123456", "US", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Patent{Number: tc.number, Office: tc.office, Kind: tc.kind}
			if err := p.Normalize(); err != nil {
				t.Fatal(err)
			}
			if p.Normalized != tc.normalized || p.Office != tc.wOffice || p.Kind != tc.wKd {
				t.Errorf("got %q %q %q, want %q %q %q", p.Normalized, p.Office, p.Kind, tc.normalized, tc.wOffice, tc.wKd)
			}
		})
	}
	t.Run("UnreadableNumber", func(t *testing.T) {
		p := Patent{Number: "XX1234567"}
		if err := p.Normalize(); ErrorCode(err) != Invalid || p.Normalized != "" {
			t.Errorf("Normalize() = %v, Normalized %q; want an invalid error and nothing filled", err, p.Normalized)
		}
	})
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name, in string
		want     PatentStatus
		wantErr  string
	}{
		{"Granted", "granted", StatusGranted, ""},
		{"SpreadsheetCapitals", " Revoked ", StatusRevoked, ""},
		{"EveryStatusOfDesign", "abandoned", StatusAbandoned, ""},
		{"Empty", "", "", "required"},
		{"Unknown", "in force", "", `"in force" is not a patent status`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStatus(tc.in)
			if tc.wantErr != "" {
				if err == nil || ErrorCode(err) != Invalid || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseStatus(%q) = %q, %v; want an invalid error saying %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseStatus(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	t.Run("AllSixStatusesParse", func(t *testing.T) {
		for _, s := range Statuses {
			if got, err := ParseStatus(string(s)); err != nil || got != s {
				t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
			}
		}
	})
}
