package licensing

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// PatentNumber is a patent or publication number split into its DOCDB parts,
// so that one document written in the many ways of the patent world is
// recognised as one.
type PatentNumber struct {
	Office string // WIPO ST.3 code, e.g. "US"
	Number string // as DOCDB writes it: digits, after a US series such as "RE" or "D"
	Kind   string // e.g. "B2"; empty when not given
}

// The limits of what can be a patent number: longer input is a pasted
// paragraph, and no office uses fewer than 4 or more than 15 digits.
const (
	maxNumberInput = 40
	minDigits      = 4
	maxDigits      = 15
)

// offices holds the WIPO ST.3 codes PatentDesk accepts. It is a closed list
// so that a typo such as "EB" is caught at entry instead of making a patent
// no rights check will ever find. SU and DD are gone but still number much of
// the old prior art.
var offices = setOf(
	"AL", "AP", "AR", "AT", "AU", "BA", "BE", "BG", "BR", "BY", "CA", "CH", "CL", "CN", "CO",
	"CY", "CZ", "DD", "DE", "DK", "EA", "EE", "EG", "EP", "ES", "FI", "FR", "GB", "GC", "GR",
	"HK", "HR", "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JP", "KR", "KZ", "LI", "LT", "LU",
	"LV", "MA", "MC", "MD", "ME", "MK", "MT", "MX", "MY", "NL", "NO", "NZ", "OA", "PE", "PH",
	"PL", "PT", "RO", "RS", "RU", "SA", "SE", "SG", "SI", "SK", "SM", "SU", "TH", "TR", "TW",
	"UA", "US", "VN", "WO", "ZA",
)

// seriesKinds maps each US document series, written before the digits, to
// the letter its kind code must start with; reissues, designs and statutory
// invention registrations have a single kind, so a missing kind is filled in
// and the same document entered with or without it normalizes alike. Plant
// patents have P, P2 or P3, so theirs is never guessed.
var seriesKinds = map[string]string{"RE": "E", "D": "S", "H": "H", "PP": "P"}

// seriesNames names the US series in messages.
var seriesNames = map[string]string{
	"RE": "reissue", "D": "design patent", "H": "statutory invention registration", "PP": "plant patent",
}

// Letters that some offices write before the digits and DOCDB keeps: the
// eras of old Japanese numbers (Showa, Heisei: JPH10123456A) and Taiwan's
// inventions, utility models and designs (TWI612345B, TWM512345U).
var (
	jpEras   = setOf("S", "H")
	twSeries = setOf("I", "M", "D")
)

// ParsePatentNumber reads a patent or publication number as people and
// databases write it and returns its DOCDB parts. Spaces, dots, commas,
// slashes and hyphens are separators; letters may be lower case; a number
// without office is taken as US, because that is how US practitioners write
// their own numbers. Rules beyond dropping separators, all from DOCDB:
//   - US pre-grant publications drop the zero that starts the 7-digit serial
//     (US 2019/0198156 → US2019198156), and zero-padded US grants lose their
//     padding (US 09123456 → US9123456);
//   - US reissues (RE), designs (D), plant patents (PP) and statutory
//     invention registrations (H) keep their letters in Number, and reissues,
//     designs and registrations get their only possible kind (E, S, H);
//   - Japanese era letters (JP H10-123456) and Taiwanese series letters
//     (TW I612345) stay in Number as DOCDB keeps them;
//   - EP numbers are padded to 7 digits;
//   - WO numbers keep the year as written: WO 01/12345 → WO0112345 (two-digit
//     year, before 2004), WO 2001/012345 → WO2001012345, and a serial after a
//     four-digit year is padded to 6 digits (WO 2004/12345 → WO2004012345);
//   - Korean publications drop the type of right before the year
//     (KR 10-2017-0012345 → KR20170012345);
//   - other offices keep their digits as written (DE 10 2015 000 001 →
//     DE102015000001, JP 2017-123456 → JP2017123456).
func ParsePatentNumber(s string) (PatentNumber, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return PatentNumber{}, Errorf(Invalid, "no patent number given")
	}
	if utf8.RuneCountInString(in) > maxNumberInput {
		return PatentNumber{}, Errorf(Invalid, "%s is too long to be a patent number (at most %d characters)",
			quoteInput(in), maxNumberInput)
	}
	p := numberParser{input: in}
	return p.parse()
}

// NormalizePatentNumber returns the DOCDB form of s, e.g. "EP1234567B1".
func NormalizePatentNumber(s string) (string, error) {
	n, err := ParsePatentNumber(s)
	if err != nil {
		return "", err
	}
	return n.String(), nil
}

// String returns the normalized DOCDB form, e.g. "US2019198156A1", used as
// the key that finds a patent however it was entered.
func (n PatentNumber) String() string { return n.Office + n.Number + n.Kind }

// Display returns the number spaced for reading, e.g. "EP 1234567 B1".
func (n PatentNumber) Display() string {
	if n.Kind == "" {
		return strings.TrimSpace(n.Office + " " + n.Number)
	}
	return n.Office + " " + n.Number + " " + n.Kind
}

// run is a stretch of letters or of digits in the input, with the separators
// that came before it.
type run struct {
	text    string
	letters bool
	sep     string
}

// numberParser carries the input so that every error can quote it.
type numberParser struct {
	input string
}

// fail returns an Invalid error that names the input, so that a paralegal
// importing hundreds of rows sees which one is wrong.
func (p numberParser) fail(format string, args ...any) error {
	return Errorf(Invalid, "%s "+format, append([]any{quoteInput(p.input)}, args...)...)
}

func (p numberParser) parse() (PatentNumber, error) {
	runs, err := p.scan()
	if err != nil {
		return PatentNumber{}, err
	}
	office, rest, err := p.office(runs)
	if err != nil {
		return PatentNumber{}, err
	}
	if !hasNumber(rest) {
		if len(runs) == 1 {
			return PatentNumber{}, p.fail("alone has no number")
		}
		return PatentNumber{}, p.fail("has no number")
	}
	rest, kind, err := p.kind(rest)
	if err != nil {
		return PatentNumber{}, err
	}
	series := ""
	if rest[0].letters {
		if !seriesOf(office, rest[0].text) {
			return PatentNumber{}, p.fail("is not a patent number: unexpected letters %q before the number", rest[0].text)
		}
		series, rest = rest[0].text, rest[1:]
	}
	for _, r := range rest {
		if r.letters {
			return PatentNumber{}, p.fail("is not a patent number: letters inside the number")
		}
	}
	digits := joinRuns(rest)
	if err := p.checkDigits(digits); err != nil {
		return PatentNumber{}, err
	}
	number, err := p.officeNumber(office, series, digits, slashAt(rest))
	if err != nil {
		return PatentNumber{}, err
	}
	kind, err = p.seriesKind(series, kind, office)
	if err != nil {
		return PatentNumber{}, err
	}
	return PatentNumber{Office: office, Number: series + number, Kind: kind}, nil
}

// scan splits the input into runs of letters and of digits. Full-width
// characters, as Japanese and Chinese documents write them, are folded to
// ASCII first.
func (p numberParser) scan() ([]run, error) {
	var runs []run
	sep := ""
	for _, r := range width.Fold.String(p.input) {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			letters := !(r >= '0' && r <= '9')
			c := string(unicode.ToUpper(r))
			if n := len(runs); n > 0 && sep == "" && runs[n-1].letters == letters {
				runs[n-1].text += c
				continue
			}
			runs = append(runs, run{text: c, letters: letters, sep: sep})
			sep = ""
		case isNumberSeparator(r):
			sep += string(r)
		default:
			return nil, p.fail("is not a patent number: unexpected character %q", r)
		}
	}
	if len(runs) == 0 {
		return nil, p.fail("is not a patent number: it has neither letters nor digits")
	}
	return runs, nil
}

// isNumberSeparator reports whether r only groups digits for reading.
func isNumberSeparator(r rune) bool {
	switch r {
	case '.', ',', '/', '-':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}

// office takes the office code from the front of runs and returns the runs
// after it.
func (p numberParser) office(runs []run) (string, []run, error) {
	first := runs[0]
	switch {
	case !first.letters:
		return "US", runs, nil
	case len(first.text) >= 2 && offices[first.text[:2]]:
		rest := runs[1:]
		if len(first.text) > 2 {
			rest = append([]run{{text: first.text[2:], letters: true}}, rest...)
		}
		return first.text[:2], rest, nil
	case seriesKinds[first.text] != "":
		return "US", runs, nil
	case first.text == "PCT":
		return "", nil, p.fail("is a PCT application number; enter the WO publication number instead, e.g. WO 2017/123456 A1")
	case len(first.text) >= 2:
		return "", nil, p.fail("names no known patent office")
	}
	return "", nil, p.fail("is not a patent number: it should start with an office code such as EP or US")
}

// hasNumber reports whether runs hold digits other than those of a kind code.
func hasNumber(runs []run) bool {
	for i, r := range runs {
		if r.letters {
			continue
		}
		isKindDigit := i == len(runs)-1 && i > 0 && len(r.text) == 1 && r.sep == "" &&
			runs[i-1].letters && len(runs[i-1].text) == 1
		if !isKindDigit {
			return true
		}
	}
	return false
}

// kind takes the kind code (one letter, optionally one digit) from the end of
// runs.
func (p numberParser) kind(runs []run) ([]run, string, error) {
	n := len(runs)
	last := runs[n-1]
	switch {
	case last.letters && len(last.text) == 1:
		return runs[:n-1], last.text, nil
	case last.letters && n > 1:
		return nil, "", p.fail("is not a patent number: %q is not a kind code (one letter, optionally one digit, e.g. B1)", last.text)
	case !last.letters && last.sep == "" && n > 2 && runs[n-2].letters && len(runs[n-2].text) == 1 &&
		!runs[n-3].letters:
		if len(last.text) > 1 {
			return nil, "", p.fail("is not a patent number: %q is not a kind code (one letter, optionally one digit, e.g. B1)",
				runs[n-2].text+last.text)
		}
		return runs[:n-2], runs[n-2].text + last.text, nil
	}
	return runs, "", nil
}

// seriesOf reports whether letters before the digits are a document series
// that office writes there.
func seriesOf(office, letters string) bool {
	switch office {
	case "US":
		return seriesKinds[letters] != ""
	case "JP":
		return jpEras[letters]
	case "TW":
		return twSeries[letters]
	}
	return false
}

// seriesKind fills in or checks the kind code a US series requires.
func (p numberParser) seriesKind(series, kind, office string) (string, error) {
	want := seriesKinds[series]
	if office != "US" || want == "" {
		return kind, nil
	}
	if kind == "" {
		if series == "PP" {
			return "", nil
		}
		return want, nil
	}
	if !strings.HasPrefix(kind, want) {
		return "", p.fail("is not a patent number: a US %s has kind code %s…, not %s", seriesNames[series], want, kind)
	}
	return kind, nil
}

// joinRuns concatenates the text of runs.
func joinRuns(runs []run) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// slashAt returns the number of digits before the one "/" that splits a year
// from a serial (WO 2017/123456): -1 when there is none, -2 when there are
// several.
func slashAt(runs []run) int {
	at, n := -1, 0
	for i, r := range runs {
		if i > 0 && strings.Contains(r.sep, "/") {
			if at >= 0 {
				return -2
			}
			at = n
		}
		n += len(r.text)
	}
	return at
}

// checkDigits rejects digit strings no office uses.
func (p numberParser) checkDigits(digits string) error {
	switch {
	case len(digits) < minDigits:
		return p.fail("is too short to be a patent number (at least %d digits)", minDigits)
	case len(digits) > maxDigits:
		return p.fail("is too long to be a patent number (at most %d digits)", maxDigits)
	case strings.Trim(digits, "0") == "":
		return p.fail("is not a patent number: its digits are all zeros")
	}
	return nil
}

// officeNumber applies the DOCDB rules of office to the digits; slash is the
// position of a year/serial "/" (-1: none, -2: several).
func (p numberParser) officeNumber(office, series, digits string, slash int) (string, error) {
	if slash == -2 && (office == "US" || office == "WO") {
		return "", p.fail(`is not a patent number: more than one "/"`)
	}
	switch {
	case office == "US" && series != "":
		return p.significant(digits)
	case office == "US":
		return p.usNumber(digits, slash)
	case office == "WO":
		return p.woNumber(digits, slash)
	case office == "EP":
		if len(digits) > 7 {
			return "", p.fail("looks like a European application number; enter the publication number (7 digits, e.g. EP 1 234 567 B1)")
		}
		return pad(digits, 7), nil
	case office == "KR" && len(digits) == 13 && (digits[:2] == "10" || digits[:2] == "20") && isYear(digits[2:6], 1999):
		return digits[2:], nil
	}
	return digits, nil
}

// significant strips leading zeros, which US grants and series numbers do not
// carry in DOCDB, and checks that enough digits remain.
func (p numberParser) significant(digits string) (string, error) {
	d := strings.TrimLeft(digits, "0")
	if len(d) < minDigits {
		return "", p.fail("is too short to be a patent number (at least %d digits)", minDigits)
	}
	return d, nil
}

// usNumber handles US grants (up to 8 digits) and pre-grant publications
// (year + serial).
func (p numberParser) usNumber(digits string, slash int) (string, error) {
	if slash >= 0 {
		year, serial := digits[:slash], digits[slash:]
		switch {
		case len(year) == 2:
			return "", p.fail("looks like a US application number; enter the patent or publication number")
		case len(year) != 4 || !isYear(year, 2000):
			return "", p.fail(`is not a patent number: a US publication number starts with its year before the "/"`)
		case len(serial) > 7:
			return "", p.fail("is not a patent number: the serial after the year has more than 7 digits")
		}
		return year + usSerial(serial), nil
	}
	switch {
	case len(digits) <= 8:
		return p.significant(digits)
	case len(digits) == 11 && isYear(digits[:4], 2000) && digits[4] == '0':
		return digits[:4] + digits[5:], nil
	}
	return digits, nil
}

// usSerial writes the serial of a US publication as DOCDB does: six digits,
// without the leading zero of the printed seven.
func usSerial(serial string) string {
	if len(serial) == 7 && serial[0] == '0' {
		return serial[1:]
	}
	return pad(serial, 6)
}

// woNumber handles WO publication numbers: YY + 5 digits (1978 to mid-2002),
// YY + 6 digits (to 2003), YYYY + 6 digits (since 2004).
func (p numberParser) woNumber(digits string, slash int) (string, error) {
	year, serial := "", ""
	switch {
	case slash == 2 || slash == 4:
		year, serial = digits[:slash], digits[slash:]
	case slash >= 0:
		return "", p.fail(`is not a WO publication number: write the year before the "/", e.g. WO 2017/123456 A1`)
	case len(digits) == 7 || len(digits) == 8:
		year, serial = digits[:2], digits[2:]
	case len(digits) == 9 || len(digits) == 10:
		year, serial = digits[:4], digits[4:]
	default:
		return "", p.fail("is not a WO publication number; write it as year/serial, e.g. WO 2017/123456 A1")
	}
	if len(year) == 2 {
		if year > "03" && year < "78" {
			return "", p.fail("is not a WO publication number: since 2004 the year has four digits, e.g. WO 2017/123456 A1")
		}
		if len(serial) > 6 {
			return "", p.fail("is not a WO publication number: the serial after the year has more than 6 digits")
		}
		return year + pad(serial, 5), nil
	}
	if !isYear(year, 1978) {
		return "", p.fail("is not a WO publication number: %s is not a year of PCT publication", year)
	}
	if len(serial) > 6 {
		return "", p.fail("is not a WO publication number: the serial after the year has more than 6 digits")
	}
	return year + pad(serial, 6), nil
}

// isYear reports whether four digits are a year from since to 2099.
func isYear(digits string, since int) bool {
	if len(digits) != 4 || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	y := atoi(digits)
	return y >= since && y <= 2099
}

// pad adds leading zeros up to n digits.
func pad(digits string, n int) string {
	if len(digits) >= n {
		return digits
	}
	return strings.Repeat("0", n-len(digits)) + digits
}

// SplitNumbers splits a spreadsheet cell that holds several numbers, as
// Espacenet writes them ("EP1234567A1 EP1234567B1"), into one string per
// number. It splits at ";", "|" and line breaks, and at a space or comma only
// where an office code and a number follow, so that "EP 1 234 567 B1" and
// "US 9,123,456 B2" stay whole. Numbers without an office code separated by
// spaces alone cannot be told apart and stay together.
func SplitNumbers(cell string) []string {
	var out []string
	flush := func(words []string) {
		if s := strings.Trim(strings.Join(words, " "), " ,"); s != "" {
			out = append(out, s)
		}
	}
	parts := strings.FieldsFunc(cell, func(r rune) bool {
		return r == ';' || r == '|' || r == '\n' || r == '\r'
	})
	for _, part := range parts {
		words := splitCommas(strings.Fields(part))
		var cur []string
		for i, w := range words {
			next := ""
			if i+1 < len(words) {
				next = words[i+1]
			}
			if len(cur) > 0 && startsNumber(w, next) {
				flush(cur)
				cur = nil
			}
			cur = append(cur, w)
		}
		flush(cur)
	}
	return out
}

// splitCommas splits words at commas followed by a new number
// ("EP1234567B1,US9123456B2") but not at thousands commas ("9,123,456").
func splitCommas(words []string) []string {
	var out []string
	for _, w := range words {
		pieces := strings.Split(w, ",")
		cur := pieces[0]
		for _, piece := range pieces[1:] {
			if startsNumber(piece, "") {
				out = append(out, cur)
				cur = piece
				continue
			}
			cur += "," + piece
		}
		out = append(out, cur)
	}
	return out
}

// startsNumber reports whether word begins a patent number: an office code
// followed, in the word or the next one, by digits or a US series.
func startsNumber(word, next string) bool {
	w := strings.ToUpper(word)
	if len(w) < 2 || !offices[w[:2]] {
		return false
	}
	rest := strings.TrimLeft(w[2:], "-")
	if rest == "" {
		rest = strings.ToUpper(next)
	}
	for series := range seriesKinds {
		if strings.HasPrefix(rest, series) && len(rest) > len(series) && isDigit(rest[len(series)]) {
			return true
		}
	}
	return rest != "" && isDigit(rest[0])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// setOf builds a set from a list.
func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}
