package licensing

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseDate feeds the date parser anything a form, a CSV cell or an
// API body might hold. It must never panic; a date it accepts is written
// back exactly as given (YYYY-MM-DD is the only form), and reads back as
// the same date, through ParseDate and through UnmarshalText.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2017-07-05", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "0000-01-01",
		"2017-13-01", "2017-00-10", "2017-7-5", "05.07.2017", " 2017-07-05 ", "", "２０１７-07-05", "2017-07-05T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if ErrorCode(err) != Invalid {
				t.Fatalf("%q: error %v is not Invalid", s, err)
			}
			return
		}
		want := strings.TrimSpace(s)
		if d.String() != want {
			t.Fatalf("%q read as %s", s, d)
		}
		if d.IsZero() {
			return
		}
		var back Date
		if err := back.UnmarshalText([]byte(d.String())); err != nil || back != d {
			t.Fatalf("%s does not read back: %v, %v", d, back, err)
		}
		// The first day's Time is the zero time, which DateOf reads as no
		// date: 0001-01-01 stands for "since ever" and shows as blank.
		if d != firstDate && !DateOf(d.Time()).Equal(d) {
			t.Fatalf("%s → %v → %s", d, d.Time(), DateOf(d.Time()))
		}
	})
}

// FuzzDateArithmetic: the calendar sums agreements and patents rely on
// stay within the writable years, never panic, and undo each other where
// nothing was clamped.
func FuzzDateArithmetic(f *testing.F) {
	f.Add(2017, 7, 5, 365, 12)
	f.Add(2024, 2, 29, -1, 1)
	f.Add(1, 1, 1, -10, -13)
	f.Add(9999, 12, 31, 10, 24)
	f.Add(2020, 1, 31, 0, 1)
	f.Fuzz(func(t *testing.T, y, m, d, days, months int) {
		date := NewDate(y, time.Month(m), d)
		if date.IsZero() || date.Before(firstDate) || date.After(lastDate) {
			t.Fatalf("NewDate(%d, %d, %d) = %v, outside the writable years", y, m, d, date)
		}
		if back, err := ParseDate(date.String()); err != nil || back != date {
			t.Fatalf("%s does not read back: %v, %v", date, back, err)
		}
		later := date.AddDays(days)
		if later.Before(firstDate) || later.After(lastDate) {
			t.Fatalf("%s + %d days = %v", date, days, later)
		}
		if later != firstDate && later != lastDate && later.AddDays(-days) != date {
			t.Fatalf("%s + %d - %d days = %s", date, days, days, later.AddDays(-days))
		}
		for _, sum := range []Date{date.AddMonths(months), date.AddYears(months)} {
			if sum.IsZero() || sum.Before(firstDate) || sum.After(lastDate) {
				t.Fatalf("%s + %d months or years = %v", date, months, sum)
			}
		}
		if m := date.AddMonths(months); months >= 0 && m.Before(date) || months <= 0 && m.After(date) {
			t.Fatalf("%s + %d months = %s, the wrong way", date, months, m)
		}
	})
}
