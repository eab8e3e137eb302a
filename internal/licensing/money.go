package licensing

import (
	"strings"
)

// maxAmountDigits bounds an amount's integer digits: a trillion in any
// currency is more than any licence pays, and the bound keeps input sane.
const maxAmountDigits = 15

// maxAmountDecimals allows the four decimals some royalty rates are quoted in.
const maxAmountDecimals = 4

// Amount is an exact, non-negative decimal sum of money in its canonical
// form ("1000000.00"), never a float; the zero value means no amount.
type Amount struct{ s string }

// ParseAmount reads an amount as people write it: "1000000.00",
// "1,000,000.00", German "1.000.000,00" or "1000,5", with spaces or
// apostrophes between thousands. The separator that comes last is the
// decimal one where both appear; a lone comma is decimal unless three digits
// follow it and the number does not start with 0 ("250,000" is a quarter
// million, "0,125" an eighth); several points are thousands separators.
// Empty text is no amount.
func ParseAmount(text string) (Amount, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return Amount{}, nil
	}
	bad := Errorf(Invalid, "%s is not an amount such as 1000000.00", quoteInput(text))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "").Replace(s)
	decimal, thousands := decimalSeparator(s)
	whole, frac, hasPoint := s, "", false
	if i := strings.LastIndexByte(s, decimal); i >= 0 && decimal != thousands {
		whole, frac, hasPoint = s[:i], s[i+1:], true
	}
	if strings.ContainsRune(whole, rune(thousands)) {
		groups := strings.Split(whole, string(thousands))
		for i, g := range groups {
			if (i > 0 && len(g) != 3) || (i == 0 && (len(g) == 0 || len(g) > 3)) {
				return Amount{}, bad
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !allDigits(whole) || (hasPoint && (frac == "" || !allDigits(frac))) {
		return Amount{}, bad
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if len(whole) > maxAmountDigits {
		return Amount{}, Errorf(Invalid, "%s is larger than any amount PatentDesk records (%d digits before the decimal point)", quoteInput(text), maxAmountDigits)
	}
	if len(frac) > maxAmountDecimals {
		return Amount{}, Errorf(Invalid, "%s has more than %d decimals", quoteInput(text), maxAmountDecimals)
	}
	if len(frac) < 2 {
		frac += strings.Repeat("0", 2-len(frac))
	}
	return Amount{s: whole + "." + frac}, nil
}

// decimalSeparator decides which of point and comma is the decimal
// separator of s and which the thousands one; equal results mean s has
// thousands separators only.
func decimalSeparator(s string) (decimal, thousands byte) {
	points, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case points > 0 && commas > 0:
		if strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.') {
			return ',', '.'
		}
		return '.', ','
	case commas == 1 && (len(s)-strings.IndexByte(s, ',')-1 != 3 || s[0] == '0'):
		return ',', '.'
	case commas > 0:
		return ',', ','
	case points > 1:
		return '.', '.'
	}
	return '.', ','
}

// MustAmount parses a canonical amount written in code, panicking on a typo.
func MustAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// IsZero reports whether no amount is given.
func (a Amount) IsZero() bool { return a.s == "" }

// String returns the canonical form, "1000000.00", or "" for no amount.
func (a Amount) String() string { return a.s }

// Parts returns the integer digits and the decimals, for locale formatting
// that must not pass through a float.
func (a Amount) Parts() (whole, frac string) {
	whole, frac, _ = strings.Cut(a.s, ".")
	return whole, frac
}

// MarshalText writes the canonical form.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.s), nil }

// UnmarshalText reads an amount as ParseAmount does.
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
