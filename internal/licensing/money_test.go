package licensing

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Canonical", "1000000.00", "1000000.00"},
		{"EnglishThousands", "1,000,000.00", "1000000.00"},
		{"GermanThousands", "1.000.000,00", "1000000.00"},
		{"GermanDecimalComma", "1000,5", "1000.50"},
		{"SpacesBetweenThousands", "1 000 000", "1000000.00"},
		{"NoBreakSpaces", "1\u00a0000\u202f000,25", "1000000.25"},
		{"SwissApostrophes", "1'000'000.50", "1000000.50"},
		{"GermanThousandsWithoutDecimals", "1.000.000", "1000000.00"},
		{"EnglishThousandsWithoutDecimals", "1,000,000", "1000000.00"},
		{"LoneCommaWithThreeDigitsIsThousands", "250,000", "250000.00"},
		{"LoneCommaWithFourDigitsIsDecimal", "1,2500", "1.2500"},
		// No thousands group follows a zero: German 0,125 is an eighth.
		{"LoneCommaAfterZeroIsDecimal", "0,125", "0.125"},
		{"WholeNumber", "1000000", "1000000.00"},
		{"OneDecimal", "0.5", "0.50"},
		{"FourDecimals", "0.0125", "0.0125"},
		{"LeadingZeros", "007", "7.00"},
		{"Zero", "0", "0.00"},
		{"SurroundingSpaces", "  42,00 ", "42.00"},
		{"FifteenDigits", "999999999999999.99", "999999999999999.99"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAmount(tc.in)
			if err != nil {
				t.Fatalf("ParseAmount(%q): %v", tc.in, err)
			}
			if a.String() != tc.want {
				t.Errorf("ParseAmount(%q) = %q, want %q", tc.in, a, tc.want)
			}
			if a.IsZero() {
				t.Errorf("ParseAmount(%q) is no amount", tc.in)
			}
			again, err := ParseAmount(a.String())
			if err != nil || again != a {
				t.Errorf("canonical %q reads back as %q, %v", a, again, err)
			}
		})
	}
	t.Run("EmptyIsNoAmount", func(t *testing.T) {
		for _, in := range []string{"", "   "} {
			a, err := ParseAmount(in)
			if err != nil || !a.IsZero() || a.String() != "" {
				t.Errorf("ParseAmount(%q) = %q, %v; want no amount", in, a, err)
			}
		}
	})
}

func TestParseAmountRejects(t *testing.T) {
	tests := []struct {
		name, in, says string
	}{
		{"IndianGrouping", "1,00,000", `"1,00,000" is not an amount such as 1000000.00`},
		{"ShortLastGroup", "12.345.67", `"12.345.67" is not an amount`},
		{"Negative", "-5", `"-5" is not an amount`},
		{"Exponent", "1e6", `"1e6" is not an amount`},
		{"FiveDecimals", "1.23456", `"1.23456" has more than 4 decimals`},
		{"SixteenDigits", "1000000000000000", `"1000000000000000" is larger than any amount PatentDesk records (15 digits before the decimal point)`},
		{"Currency", "EUR 100", "not an amount"},
		{"LongFirstGroup", "1000,000.00", "not an amount"},
		{"TwoDecimalPoints", "1,000,000.00.00", "not an amount"},
		{"NothingBeforePoint", ".5", "not an amount"},
		{"NothingAfterPoint", "5.", "not an amount"},
		{"EmptyGroup", "1,,000", "not an amount"},
		{"ArabicIndicDigits", "١٢٣", "not an amount"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAmount(tc.in)
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %q, want an error", tc.in, a)
			}
			if ErrorCode(err) != Invalid || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("ParseAmount(%q) = %v, want invalid saying %q", tc.in, err, tc.says)
			}
		})
	}
}

func TestAmountParts(t *testing.T) {
	whole, frac := MustAmount("1.234.567,8").Parts()
	if whole != "1234567" || frac != "80" {
		t.Errorf("Parts() = %q, %q; want 1234567, 80", whole, frac)
	}
	if whole, frac := (Amount{}).Parts(); whole != "" || frac != "" {
		t.Errorf("no amount has parts %q, %q", whole, frac)
	}
}

func TestAmountJSON(t *testing.T) {
	type payment struct {
		Amount Amount `json:"amount"`
	}
	b, err := json.Marshal(payment{MustAmount("1,000,000.00")})
	if err != nil || string(b) != `{"amount":"1000000.00"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var p payment
	if err := json.Unmarshal([]byte(`{"amount":"2.500,5"}`), &p); err != nil || p.Amount.String() != "2500.50" {
		t.Errorf("Unmarshal = %q, %v", p.Amount, err)
	}
	if err := json.Unmarshal([]byte(`{"amount":"-1"}`), &p); err == nil {
		t.Error("Unmarshal accepted a negative amount")
	}
	if err := json.Unmarshal([]byte(`{"amount":""}`), &p); err != nil || !p.Amount.IsZero() {
		t.Errorf("empty amount = %q, %v", p.Amount, err)
	}
}

func TestMustAmountPanicsOnTypo(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustAmount(1e6) did not panic")
		}
	}()
	MustAmount("1e6")
}
