package csvio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/transform"
)

// The native headers of CONTRACT.md, in column order.
var (
	patentColumns = []string{"number", "office", "kind", "title", "family",
		"priority_on", "filed_on", "published_on", "granted_on", "expires_on",
		"status", "status_on", "owner", "original_owner", "tags", "standards",
		"sep", "designated_states", "cpc"}
	companyColumns = []string{"name", "short_name", "country", "parent",
		"control_from", "control_to", "aliases"}
)

// The foreign headers, lower-cased; a file must have the required columns
// and may order them as it likes.
var (
	googleRequired = []string{"id", "title", "assignee", "inventor/author",
		"priority date", "filing/creation date", "publication date", "grant date"}
	espacenetRequired = []string{"title", "publication number"}
)

// NativeHeader returns the header row of a native file of kind k.
func NativeHeader(k Kind) []string {
	if k == KindCompanies {
		return slices.Clone(companyColumns)
	}
	return slices.Clone(patentColumns)
}

// layout is what detection learns about a file: its format, where the
// header is and how its cells are separated.
type layout struct {
	format     Format
	kind       Kind
	delim      rune
	headerLine int            // physical line of the header, 1-based
	header     []string       // header cells as written, trimmed
	col        map[string]int // lower-cased header cell → index
}

// Detect tells the format of a file from its first bytes; head should hold
// at least the lines up to and including the header (Espacenet puts a few
// lines before it), and a few kilobytes always do.
func Detect(head []byte) (Format, error) {
	if err := checkMagic(head); err != nil {
		return "", err
	}
	text, err := decodeHead(head)
	if err != nil {
		return "", err
	}
	l, err := detectLayout(text, true)
	if err != nil {
		return "", err
	}
	return l.format, nil
}

// decodeHead decodes the start of a file as read does; a character cut off
// at the end is left out rather than misread.
func decodeHead(head []byte) (string, error) {
	dst := make([]byte, 3*len(head))
	n, _, err := newTextDecoder().Transform(dst, head, false)
	if err != nil && err != transform.ErrShortSrc {
		return "", err
	}
	return string(dst[:n]), nil
}

// detectLayout finds the header in the decoded start of a file. complete
// says whether text is the whole file; if not, its last line may be cut off
// and is not looked at.
func detectLayout(text string, complete bool) (*layout, error) {
	text = strings.TrimPrefix(text, bom)
	if strings.TrimSpace(text) == "" {
		if complete {
			return nil, errors.New("the file is empty")
		}
		return nil, errors.New("no header in the first 64 KB of the file")
	}
	lines := strings.SplitAfter(text, "\n")
	if !complete && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}

	// Blank lines before the header are harmless; skip them.
	top := 0
	for top < len(lines) && strings.TrimSpace(lines[top]) == "" {
		top++
	}
	if top == len(lines) {
		return nil, errors.New("no header in the first 64 KB of the file")
	}
	first := lineCells(lines[top])
	if len(first[0]) > 0 && strings.EqualFold(first[0][0], "search URL:") ||
		len(first[1]) > 0 && strings.EqualFold(first[1][0], "search URL:") {
		// Google puts the query on line 1 and the header on line 2.
		if top+1 < len(lines) {
			if l := matchHeader(lineCells(lines[top+1]), top+2, FormatGoogle); l != nil {
				return l, l.requireColumns()
			}
		}
		return nil, fmt.Errorf("line %d: expected the Google Patents header (%s) after the search URL line", top+2, strings.Join(googleRequired, ","))
	}
	for _, f := range []Format{FormatNative, FormatGoogle, FormatEspacenet} {
		if l := matchHeader(first, top+1, f); l != nil {
			return l, l.requireColumns()
		}
	}
	if err := nativeMismatch(first, top+1); err != nil {
		return nil, err
	}
	// Espacenet writes a few lines about the search before its header.
	for i := top + 1; i < len(lines); i++ {
		if l := matchHeader(lineCells(lines[i]), i+1, FormatEspacenet); l != nil {
			return l, l.requireColumns()
		}
	}
	return nil, fmt.Errorf("line %d: unknown header %q; expected the PatentDesk patents header (%s), the PatentDesk companies header (%s), a Google Patents \"Download (CSV)\" file or an Espacenet result list",
		top+1, shorten(strings.TrimRight(lines[top], "\r\n"), 80), strings.Join(patentColumns, ","), strings.Join(companyColumns, ","))
}

// delims are the cell separators detection tries, in this order.
var delims = [2]rune{',', ';'}

// lineCells splits one line with each delimiter, trimming the cells; a line
// that does not parse gives nil.
func lineCells(line string) [2][]string {
	var out [2][]string
	for i, d := range delims {
		r := csv.NewReader(strings.NewReader(line))
		r.Comma = d
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			continue
		}
		for j := range rec {
			rec[j] = strings.TrimSpace(strings.TrimPrefix(rec[j], bom))
		}
		out[i] = rec
	}
	return out
}

// matchHeader returns the layout if one of the line's readings is a header of
// format f.
func matchHeader(cells [2][]string, line int, f Format) *layout {
	for i, rec := range cells {
		if rec == nil {
			continue
		}
		l := &layout{format: f, kind: KindPatents, delim: delims[i], headerLine: line, header: rec, col: map[string]int{}}
		for j, c := range rec {
			if _, dup := l.col[strings.ToLower(c)]; !dup {
				l.col[strings.ToLower(c)] = j
			}
		}
		switch f {
		case FormatNative:
			if slices.Equal(rec, patentColumns) {
				return l
			}
			if slices.Equal(rec, companyColumns) {
				l.kind = KindCompanies
				return l
			}
		case FormatGoogle:
			if l.has("id") && l.has("inventor/author") {
				return l
			}
		case FormatEspacenet:
			if l.has("publication number") && (l.has("applicants") || l.has("family number")) {
				return l
			}
		}
	}
	return nil
}

func (l *layout) has(name string) bool {
	_, ok := l.col[name]
	return ok
}

// requireColumns reports the columns a foreign header lacks.
func (l *layout) requireColumns() error {
	var required []string
	switch l.format {
	case FormatGoogle:
		required = googleRequired
	case FormatEspacenet:
		required = espacenetRequired
	}
	var missing []string
	for _, c := range required {
		if !l.has(c) {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("line %d: the header lacks the column(s) %s that %s has", l.headerLine, strings.Join(missing, ", "), l.format.title())
	}
	return nil
}

// nativeMismatch explains how a header that looks native differs from the
// contract, so that a user who edited an export can fix it.
func nativeMismatch(cells [2][]string, line int) error {
	for _, rec := range cells {
		if len(rec) < 2 {
			continue
		}
		var want []string
		var kind Kind
		switch strings.ToLower(rec[0]) {
		case "number":
			want, kind = patentColumns, KindPatents
		case "name":
			want, kind = companyColumns, KindCompanies
		default:
			continue
		}
		for i, c := range want {
			if i >= len(rec) {
				return fmt.Errorf("line %d: the PatentDesk %s header ends after %q; column %d must be %q", line, kind, rec[i-1], i+1, c)
			}
			if rec[i] != c {
				return fmt.Errorf("line %d: column %d of the PatentDesk %s header is %q; it must be %q (the header is %s)", line, i+1, kind, rec[i], c, strings.Join(want, ","))
			}
		}
		return fmt.Errorf("line %d: the PatentDesk %s header has %d columns; it must have %d (%s)", line, kind, len(rec), len(want), strings.Join(want, ","))
	}
	return nil
}

// check compares what the file is with what the caller asked for.
func (l *layout) check(asked Format, want Kind) error {
	if asked != "" && asked != l.format {
		return fmt.Errorf("the file is %s, not %s", l.format.title(), asked.title())
	}
	if want == KindCompanies && l.format != FormatNative {
		return fmt.Errorf("the file is %s, which lists patents, not companies", l.format.title())
	}
	if l.kind != want {
		return fmt.Errorf("the file is a PatentDesk %s file, not a %s file", l.kind, want)
	}
	return nil
}

// title names a format in messages.
func (f Format) title() string {
	switch f {
	case FormatNative:
		return "a PatentDesk file"
	case FormatGoogle:
		return "a Google Patents export"
	case FormatEspacenet:
		return "an Espacenet result list"
	}
	return string(f)
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
