package licensing

import (
	"slices"
	"strings"
	"testing"
)

// notations are patent numbers as they appear in the wild — typed by hand,
// pasted from PDFs, exported by Google Patents and Espacenet — with the
// DOCDB form worked out by hand from the rules in DESIGN.md.
var notations = []struct {
	name, in, want string
}{
	{"EPSpacedGroups", "EP 1 234 567 B1", "EP1234567B1"},
	{"EPCompact", "EP1234567B1", "EP1234567B1"},
	{"EPLowerCase", "ep1234567b1", "EP1234567B1"},
	{"EPDottedGroups", "EP 1.234.567 B1", "EP1234567B1"},
	{"EPWithoutKind", "EP 1234567", "EP1234567"},
	{"EPSixDigitsPaddedToSeven", "EP 123 456 A1", "EP0123456A1"},
	{"EPGoogleHyphens", "EP-3123456-A1", "EP3123456A1"},
	{"EPTrailingComma", "EP1234567B1,", "EP1234567B1"},
	{"EPNonBreakingSpaces", "EP\u00a01\u00a0234\u00a0567\u00a0B1", "EP1234567B1"},
	{"EPSurroundingSpaces", "  EP1234567B1\t", "EP1234567B1"},
	{"USGrantWithCommas", "US 9,123,456 B2", "US9123456B2"},
	{"USGrantGoogleHyphens", "US-9254383-B2", "US9254383B2"},
	{"USGrantEnDashes", "US–9254383–B2", "US9254383B2"},
	{"USGrantZeroPadded", "US 09123456 B2", "US9123456B2"},
	{"USGrantBefore2001KindA", "US 5,123,456 A", "US5123456A"},
	{"BareNumberIsUS", "9123456", "US9123456"},
	{"BareNumberWithCommasIsUS", "9,123,456", "US9123456"},
	{"USPublicationWithSlash", "US 2019/0198156 A1", "US2019198156A1"},
	{"USPublicationElevenDigits", "US20190198156A1", "US2019198156A1"},
	{"USPublicationGoogle", "US-2019198156-A1", "US2019198156A1"},
	{"USPublicationDocdb", "US2019198156A1", "US2019198156A1"},
	{"USPublicationShortSerialPadded", "US 2004/46892 A1", "US2004046892A1"},
	{"ReissueWithComma", "RE45,000", "USRE45000E"},
	{"ReissueWithOfficeAndKind", "US RE45000 E", "USRE45000E"},
	{"ReissueCompact", "USRE45000E", "USRE45000E"},
	{"DesignWithComma", "D612,345", "USD612345S"},
	{"DesignWithOfficeAndKind", "US D612,345 S", "USD612345S"},
	{"PlantPatentWithKind", "US PP12,345 P2", "USPP12345P2"},
	{"PlantPatentKindNotGuessed", "PP12345", "USPP12345"},
	{"StatutoryInventionRegistration", "H1,234", "USH1234H"},
	{"WOFourDigitYear", "WO 2017/123456 A1", "WO2017123456A1"},
	{"WOCompact", "WO2017123456A1", "WO2017123456A1"},
	{"WOGoogleHyphens", "WO-2017123456-A1", "WO2017123456A1"},
	{"WOTwoDigitYear", "WO 01/12345", "WO0112345"},
	{"WOTwoDigitYearWithKind", "WO 01/12345 A1", "WO0112345A1"},
	{"WOTwoDigitYearShortSerialPadded", "WO 99/1234", "WO9901234"},
	{"WOTwoDigitYearSixDigitSerial", "WO 03/123456 A2", "WO03123456A2"},
	{"WOFourDigitYearBefore2004KeptAsWritten", "WO 2001/012345", "WO2001012345"},
	{"WOFiveDigitSerialPaddedToSix", "WO 2004/12345", "WO2004012345"},
	{"WONineDigitsPaddedToSix", "WO200412345A1", "WO2004012345A1"},
	{"DEPublication", "DE 10 2015 000 001 A1", "DE102015000001A1"},
	{"DEOldGrant", "DE 198 12 345 C2", "DE19812345C2"},
	{"DEUtilityModel", "DE 20 2004 009 768 U1", "DE202004009768U1"},
	{"CNApplication", "CN 105123456 A", "CN105123456A"},
	{"CNGrantCompact", "CN105123456B", "CN105123456B"},
	{"JPPublication", "JP 2017-123456 A", "JP2017123456A"},
	{"JPGrant", "JP 6123456 B2", "JP6123456B2"},
	{"JPHeiseiEra", "JP H10-123456 A", "JPH10123456A"},
	{"JPFullWidth", "ＪＰ２０１７－１２３４５６Ａ", "JP2017123456A"},
	{"KRPublicationDropsTypeOfRight", "KR 10-2017-0012345 A", "KR20170012345A"},
	{"KRUtilityModelPublication", "KR 20-2017-0001234 U", "KR20170001234U"},
	{"KRGrant", "KR 101234567 B1", "KR101234567B1"},
	{"KRGrantHyphen", "KR 10-1234567 B1", "KR101234567B1"},
	{"TWInvention", "TW I612345 B", "TWI612345B"},
	{"TWUtilityModel", "TWM512345U", "TWM512345U"},
	{"GBPublication", "GB 2 123 456 A", "GB2123456A"},
	{"FRPublication", "FR 3 012 345 A1", "FR3012345A1"},
	{"CAGrant", "CA 2 912 345 C", "CA2912345C"},
	{"AUGrant", "AU 2017 123 456 B2", "AU2017123456B2"},
}

func TestParsePatentNumber(t *testing.T) {
	for _, tc := range notations {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizePatentNumber(tc.in)
			if err != nil {
				t.Fatalf("NormalizePatentNumber(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("NormalizePatentNumber(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParsePatentNumberParts(t *testing.T) {
	tests := []struct {
		name, in string
		want     PatentNumber
		display  string
	}{
		{"EPGrant", "EP 1 234 567 B1", PatentNumber{"EP", "1234567", "B1"}, "EP 1234567 B1"},
		{"USWithoutKind", "9,123,456", PatentNumber{"US", "9123456", ""}, "US 9123456"},
		{"ReissueKeepsRE", "RE45,000", PatentNumber{"US", "RE45000", "E"}, "US RE45000 E"},
		{"USPublication", "US 2019/0198156 A1", PatentNumber{"US", "2019198156", "A1"}, "US 2019198156 A1"},
		{"WOPublication", "wo 2017/123456 a1", PatentNumber{"WO", "2017123456", "A1"}, "WO 2017123456 A1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePatentNumber(tc.in)
			if err != nil {
				t.Fatalf("ParsePatentNumber(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParsePatentNumber(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if d := got.Display(); d != tc.display {
				t.Errorf("Display() = %q, want %q", d, tc.display)
			}
		})
	}
}

// badNumbers are inputs a paralegal might type or import; each error must
// quote the input and say what is wrong with it.
var badNumbers = []struct {
	name, in, hint string
}{
	{"OfficeAlone", "EP", "alone has no number"},
	{"OfficeAndKindOnly", "EP B1", "has no number"},
	{"LettersInsideNumber", "12AB34", "letters inside the number"},
	{"UnknownOffice", "XX1234567", "names no known patent office"},
	{"NoOfficeCode", "X1234567", "office code such as EP or US"},
	{"LettersBeforeNumber", "EP AB1234567", `unexpected letters "AB"`},
	{"TooFewDigits", "EP 123", "too short"},
	{"TooManyDigits", "US 1234567890123456", "too long"},
	{"AllZeros", "EP 0000000", "all zeros"},
	{"KindCodeTooLong", "EP1234567B12", `"B12" is not a kind code`},
	{"WordAfterNumber", "EP 1234567 granted", "is not a kind code"},
	{"UnexpectedCharacter", "EP 1234567 #1", "unexpected character '#'"},
	{"PCTApplicationNumber", "PCT/US2017/012345", "PCT application number"},
	{"USApplicationNumber", "US 12/345,678", "US application number"},
	{"EPApplicationNumber", "EP 17 123 456.7", "European application number"},
	{"WOWithoutYear", "WO 12345", "year/serial"},
	{"WOTwoDigitYearAfter2003", "WO 05/12345", "four digits"},
	{"WOImpossibleYear", "WO 1850/123456", "1850 is not a year"},
	{"ReissueWithGrantKind", "USRE45000B2", "reissue has kind code E"},
	{"PastedSentence", "Patent EP 1 234 567 B1 granted to Nokia Technologies Oy in 2019", "too long"},
}

func TestParsePatentNumberRejects(t *testing.T) {
	for _, tc := range badNumbers {
		t.Run(tc.name, func(t *testing.T) {
			n, err := ParsePatentNumber(tc.in)
			if err == nil {
				t.Fatalf("ParsePatentNumber(%q) = %q, want an error", tc.in, n)
			}
			if code := ErrorCode(err); code != Invalid {
				t.Errorf("code = %q, want %q", code, Invalid)
			}
			msg := err.(*Error).Message
			quoted := quoteInput(tc.in)
			if len(tc.in) > 40 {
				quoted = `"` + tc.in[:30] // shortened, but recognisable
			}
			if !strings.Contains(msg, quoted) {
				t.Errorf("message %q does not quote the input %s", msg, quoted)
			}
			if !strings.Contains(msg, tc.hint) {
				t.Errorf("message %q does not say %q", msg, tc.hint)
			}
		})
	}
	t.Run("Empty", func(t *testing.T) {
		for _, in := range []string{"", "   "} {
			_, err := ParsePatentNumber(in)
			if err == nil || ErrorCode(err) != Invalid || !strings.Contains(err.Error(), "no patent number") {
				t.Errorf("ParsePatentNumber(%q) = %v, want an invalid error saying no number was given", in, err)
			}
		}
	})
}

func TestSplitNumbers(t *testing.T) {
	tests := []struct {
		name, cell string
		want       []string
	}{
		{"EspacenetSpaceSeparated", "EP1234567A1 EP1234567B1 US2019198156A1",
			[]string{"EP1234567A1", "EP1234567B1", "US2019198156A1"}},
		{"SpacedNumberStaysWhole", "EP 1 234 567 B1", []string{"EP 1 234 567 B1"}},
		{"SpacedNumbersInARow", "EP 1 234 567 B1 US 9,123,456 B2", []string{"EP 1 234 567 B1", "US 9,123,456 B2"}},
		{"ThousandsCommasStay", "US 9,123,456 B2", []string{"US 9,123,456 B2"}},
		{"Semicolons", "EP1234567B1; US 9,123,456 B2;", []string{"EP1234567B1", "US 9,123,456 B2"}},
		{"LineBreaks", "EP1234567B1\nUS9123456B2\r\nWO2017123456A1", []string{"EP1234567B1", "US9123456B2", "WO2017123456A1"}},
		{"Pipes", "EP1234567B1|US9123456B2", []string{"EP1234567B1", "US9123456B2"}},
		{"CommaAndSpace", "EP1234567B1, US9123456B2", []string{"EP1234567B1", "US9123456B2"}},
		{"CommaWithoutSpace", "EP1234567B1,US9123456B2", []string{"EP1234567B1", "US9123456B2"}},
		{"GoogleHyphens", "US-9254383-B2 EP-1234567-B1", []string{"US-9254383-B2", "EP-1234567-B1"}},
		{"ReissueAfterAnotherNumber", "EP1234567B1 US RE45000 E", []string{"EP1234567B1", "US RE45000 E"}},
		{"LowerCase", "ep1234567b1 us9123456b2", []string{"ep1234567b1", "us9123456b2"}},
		{"EmptyCell", " ; \n ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitNumbers(tc.cell)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("SplitNumbers(%q) = %q, want %q", tc.cell, got, tc.want)
			}
			for _, s := range got {
				if _, err := ParsePatentNumber(s); err != nil {
					t.Errorf("piece %q does not parse: %v", s, err)
				}
			}
		})
	}
}

func FuzzParsePatentNumber(f *testing.F) {
	for _, tc := range notations {
		f.Add(tc.in)
	}
	for _, tc := range badNumbers {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParsePatentNumber(in)
		if err != nil {
			if ErrorCode(err) != Invalid {
				t.Fatalf("ParsePatentNumber(%q): error %v is not Invalid", in, err)
			}
			return
		}
		s := n.String()
		if strings.ContainsFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) {
			t.Fatalf("String() = %q for %q: want only digits and capital letters", s, in)
		}
		again, err := ParsePatentNumber(s)
		if err != nil {
			t.Fatalf("%q normalizes to %q, which does not parse: %v", in, s, err)
		}
		if again != n {
			t.Fatalf("%q normalizes to %q, which normalizes to %q", in, s, again.String())
		}
		if d, err := ParsePatentNumber(n.Display()); err != nil || d != n {
			t.Fatalf("%q displays as %q, which parses to %+v, %v", in, n.Display(), d, err)
		}
	})
}
