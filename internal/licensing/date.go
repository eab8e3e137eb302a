package licensing

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without time of day or zone, because agreements,
// grants and patents run from day to day wherever the reader sits. The zero
// value means "no date"; Dates compare with ==.
type Date struct {
	// n counts days with 0001-01-01 as 1, so that the zero value can stand
	// for "no date" and equal dates are equal structs.
	n int32
}

const (
	dateLayout = "2006-01-02"
	// unixDay1 is the day number of 1970-01-01.
	unixDay1 = 719163
)

// Dates are kept within the years that YYYY-MM-DD can write.
var (
	firstDate = Date{n: 1}
	lastDate  = Date{n: int32(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix()/86400 + unixDay1)}
)

// NewDate returns the date y-m-d; out-of-range months and days roll over as
// in time.Date, and years outside 1–9999 are clamped to that range because
// no date outside it can be written as YYYY-MM-DD.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch {
	case t.Year() < 1:
		return firstDate
	case t.Year() > 9999:
		return lastDate
	}
	return Date{n: int32(t.Unix()/86400 + unixDay1)}
}

// ParseDate reads a date written YYYY-MM-DD, the one form PatentDesk accepts
// everywhere; an empty string gives the zero Date, so optional dates need no
// special case.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if !isDateShape(s) {
		return Date{}, Errorf(Invalid, "%s is not a date in the form YYYY-MM-DD", quoteInput(s))
	}
	y, m, d := atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	switch {
	case y == 0:
		return Date{}, Errorf(Invalid, "%s is not a date: there is no year 0", quoteInput(s))
	case m < 1 || m > 12:
		return Date{}, Errorf(Invalid, "%s is not a date: there is no month %d", quoteInput(s), m)
	case d < 1 || d > daysIn(y, time.Month(m)):
		return Date{}, Errorf(Invalid, "%s is not a date: %s %d has %d days",
			quoteInput(s), time.Month(m), y, daysIn(y, time.Month(m)))
	}
	return NewDate(y, time.Month(m), d), nil
}

// MustDate is ParseDate for tests and constants; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in t's own location, so that a
// timestamp taken in Helsinki at 00:30 counts for that Helsinki day; the zero
// time gives the zero Date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.n == 0 }

// String returns d as YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(dateLayout)
}

// Time returns midnight UTC at the start of d (the zero time for no date).
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Unix(int64(d.n-unixDay1)*86400, 0).UTC()
}

// Before reports whether d is earlier than o; no date is earlier than every
// date.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.n > o.n }

// Equal reports whether d and o are the same day (the same as d == o).
func (d Date) Equal(o Date) bool { return d.n == o.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after o, for use
// with slices.SortFunc.
func (d Date) Compare(o Date) int {
	switch {
	case d.n < o.n:
		return -1
	case d.n > o.n:
		return 1
	}
	return 0
}

// AddDays returns the date n days after d (before, if n is negative); no
// date stays no date.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	v := int64(d.n) + int64(n)
	switch {
	case v < int64(firstDate.n):
		return firstDate
	case v > int64(lastDate.n):
		return lastDate
	}
	return Date{n: int32(v)}
}

// AddYears returns the same month and day n years later, as patent terms
// count; 29 February becomes 28 February in a target year that is not a leap
// year. No date stays no date.
func (d Date) AddYears(n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.Time().Date()
	y += n
	if m == time.February && day == 29 && daysIn(y, m) == 28 {
		day = 28
	}
	return NewDate(y, m, day)
}

// Within reports whether d lies in the period from … to, both days included;
// a zero from or to leaves that end open. No date lies within any period.
func (d Date) Within(from, to Date) bool {
	if d.IsZero() {
		return false
	}
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// MarshalText writes d as YYYY-MM-DD (empty for no date), for JSON and forms.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD; empty text gives no date.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// isDateShape reports whether s is exactly NNNN-NN-NN.
func isDateShape(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string of ASCII digits already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// quoteInput quotes user input for an error message, shortened so that a
// pasted page does not become the message.
func quoteInput(s string) string {
	const max = 40
	r := []rune(s)
	if len(r) > max {
		return fmt.Sprintf("%q", string(r[:max])+"…")
	}
	return fmt.Sprintf("%q", s)
}

// AddMonths returns the date n months later on the same day of the month,
// the last day where that month is shorter, as due dates recur: 31 January
// monthly falls due on 28 (or 29) February. No date stays no date.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.Time().Date()
	total := int(m) - 1 + n
	y += total / 12
	if total%12 < 0 {
		y--
	}
	month := time.Month((total%12+12)%12 + 1)
	if last := daysIn(y, month); day > last {
		day = last
	}
	return NewDate(y, month, day)
}
