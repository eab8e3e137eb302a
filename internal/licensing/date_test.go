package licensing

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Plain", "2017-07-05", "2017-07-05"},
		{"SurroundingSpaces", " 2017-07-05\t", "2017-07-05"},
		{"LeapDay", "2016-02-29", "2016-02-29"},
		{"FirstDay", "0001-01-01", "0001-01-01"},
		{"LastDay", "9999-12-31", "9999-12-31"},
		{"EmptyIsNoDate", "", ""},
		{"BlankIsNoDate", "   ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if d.String() != tc.want {
				t.Errorf("ParseDate(%q) = %q, want %q", tc.in, d, tc.want)
			}
			if d.IsZero() != (tc.want == "") {
				t.Errorf("ParseDate(%q).IsZero() = %v", tc.in, d.IsZero())
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"GermanNotation", "31.02.2017", `"31.02.2017" is not a date in the form YYYY-MM-DD`},
		{"SlashNotation", "2017/07/05", "in the form YYYY-MM-DD"},
		{"MissingLeadingZeros", "2017-7-5", "in the form YYYY-MM-DD"},
		{"TwoDigitYear", "17-07-05", "in the form YYYY-MM-DD"},
		{"WithTime", "2017-07-05T10:00:00Z", "in the form YYYY-MM-DD"},
		{"ImpossibleDay", "2017-02-30", "February 2017 has 28 days"},
		{"LeapDayInCommonYear", "2017-02-29", "February 2017 has 28 days"},
		{"DayZero", "2017-07-00", "July 2017 has 31 days"},
		{"MonthThirteen", "2017-13-01", "there is no month 13"},
		{"YearZero", "0000-01-01", "there is no year 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %s, want an error", tc.in, d)
			}
			if ErrorCode(err) != Invalid {
				t.Errorf("code = %q, want %q", ErrorCode(err), Invalid)
			}
			msg := err.(*Error).Message
			if !strings.Contains(msg, `"`+tc.in+`"`) || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q should quote %q and say %q", msg, tc.in, tc.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"AddDaysAcrossYearEnd", MustDate("2017-12-31").AddDays(1), "2018-01-01"},
		{"AddDaysBackwards", MustDate("2017-03-01").AddDays(-1), "2017-02-28"},
		{"AddDaysIntoLeapDay", MustDate("2016-02-28").AddDays(1), "2016-02-29"},
		{"AddYearsSameMonthAndDay", MustDate("2017-07-05").AddYears(7), "2024-07-05"},
		{"AddYearsLeapDayToLeapYear", MustDate("2020-02-29").AddYears(20), "2040-02-29"},
		{"AddYearsLeapDayToCommonYear", MustDate("2016-02-29").AddYears(1), "2017-02-28"},
		{"AddYearsBackwards", MustDate("2017-07-05").AddYears(-20), "1997-07-05"},
		{"NoDatePlusDaysIsNoDate", Date{}.AddDays(30), ""},
		{"NoDatePlusYearsIsNoDate", Date{}.AddYears(20), ""},
		{"NewDateRollsOver", NewDate(2017, time.February, 30), "2017-03-02"},
		{"NewDateClampsYear", NewDate(12000, time.January, 1), "9999-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.String() != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func TestDateComparison(t *testing.T) {
	early, late := MustDate("2017-07-04"), MustDate("2017-07-05")
	tests := []struct {
		name       string
		d, o       Date
		cmp        int
		equalByEqs bool
	}{
		{"Earlier", early, late, -1, false},
		{"Later", late, early, 1, false},
		{"SameDay", late, NewDate(2017, time.July, 5), 0, true},
		{"NoDateBeforeEveryDate", Date{}, early, -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.Compare(tc.o); got != tc.cmp {
				t.Errorf("Compare = %d, want %d", got, tc.cmp)
			}
			if tc.d.Before(tc.o) != (tc.cmp < 0) || tc.d.After(tc.o) != (tc.cmp > 0) || tc.d.Equal(tc.o) != (tc.cmp == 0) {
				t.Errorf("Before/After/Equal disagree with Compare %d", tc.cmp)
			}
			if (tc.d == tc.o) != tc.equalByEqs {
				t.Errorf("(%s == %s) = %v", tc.d, tc.o, tc.d == tc.o)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	helsinki := time.FixedZone("EEST", 3*60*60)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"LocalDayNotUTCDay", time.Date(2017, time.July, 5, 0, 30, 0, 0, helsinki), "2017-07-05"},
		{"LateEveningUTC", time.Date(2017, time.July, 4, 23, 59, 0, 0, time.UTC), "2017-07-04"},
		{"ZeroTimeIsNoDate", time.Time{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DateOf(tc.t).String(); got != tc.want {
				t.Errorf("DateOf(%v) = %q, want %q", tc.t, got, tc.want)
			}
		})
	}
	t.Run("TimeIsMidnightUTC", func(t *testing.T) {
		want := time.Date(2017, time.July, 5, 0, 0, 0, 0, time.UTC)
		if got := MustDate("2017-07-05").Time(); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Time() = %v, want %v", got, want)
		}
	})
}

func TestDateWithin(t *testing.T) {
	// The Nokia–Xiaomi example of DESIGN.md: in force on both end days.
	from, to := MustDate("2017-07-05"), MustDate("2024-07-04")
	tests := []struct {
		name     string
		d        string
		from, to Date
		want     bool
	}{
		{"FirstDayIncluded", "2017-07-05", from, to, true},
		{"LastDayIncluded", "2024-07-04", from, to, true},
		{"DayBeforeExcluded", "2017-07-04", from, to, false},
		{"DayAfterExcluded", "2024-07-05", from, to, false},
		{"OpenStart", "1990-01-01", Date{}, to, true},
		{"OpenEnd", "2999-01-01", from, Date{}, true},
		{"OpenBothEnds", "2017-07-05", Date{}, Date{}, true},
		{"NoDateIsInNoPeriod", "", Date{}, Date{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MustDate(tc.d).Within(tc.from, tc.to); got != tc.want {
				t.Errorf("%q.Within(%s, %s) = %v, want %v", tc.d, tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type agreement struct {
		Effective Date `json:"effective_on"`
		Expires   Date `json:"expires_on,omitzero"`
	}
	t.Run("WritesYYYYMMDD", func(t *testing.T) {
		b, err := json.Marshal(agreement{Effective: MustDate("2017-07-05")})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != `{"effective_on":"2017-07-05"}` {
			t.Errorf("got %s", b)
		}
	})
	t.Run("NoDateWritesEmptyString", func(t *testing.T) {
		b, _ := json.Marshal(agreement{})
		if string(b) != `{"effective_on":""}` {
			t.Errorf("got %s", b)
		}
	})
	tests := []struct {
		name, in, want string
	}{
		{"ReadsYYYYMMDD", `{"effective_on":"2017-07-05"}`, "2017-07-05"},
		{"EmptyStringIsNoDate", `{"effective_on":""}`, ""},
		{"NullIsNoDate", `{"effective_on":null}`, ""},
		{"MissingIsNoDate", `{}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a agreement
			if err := json.Unmarshal([]byte(tc.in), &a); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tc.in, err)
			}
			if a.Effective.String() != tc.want {
				t.Errorf("got %q, want %q", a.Effective, tc.want)
			}
		})
	}
	t.Run("RejectsOtherForms", func(t *testing.T) {
		var a agreement
		err := json.Unmarshal([]byte(`{"effective_on":"05.07.2017"}`), &a)
		if err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("got %v, want an error naming the form YYYY-MM-DD", err)
		}
	})
}
