package csvio

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"patentdesk/internal/licensing"
)

// row is one data record being mapped, with the problems found so far.
type row struct {
	line   int
	header []string
	col    map[string]int
	cells  []string
	errs   []RowError
}

// fits reports whether the row has as many cells as the header. Extra cells
// that are empty are dropped: spreadsheets add trailing separators.
func (r *row) fits() bool {
	n := len(r.header)
	if len(r.cells) > n && isBlank(r.cells[n:]) {
		r.cells = r.cells[:n]
	}
	if len(r.cells) != n {
		r.errs = append(r.errs, RowError{Line: r.line,
			Reason: fmt.Sprintf("the row has %d cells but the header has %d", len(r.cells), n)})
		return false
	}
	return true
}

// cell returns the trimmed cell of the named (lower-case) column, or "" if
// the file has no such column. A lone carriage return becomes a line break
// and a NUL is dropped, as the export writes them (cleanCell), so that what
// is imported is what a later export carries and re-imports unchanged.
func (r *row) cell(name string) string {
	i, ok := r.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(cleanCell(r.cells[i]))
}

// native returns a native cell with our export's formula escape removed.
func (r *row) native(name string) string {
	return unescapeCell(r.cell(name))
}

func (r *row) fail(name, format string, args ...any) {
	column := name
	if i, ok := r.col[name]; ok {
		column = r.header[i]
	}
	r.errs = append(r.errs, RowError{Line: r.line, Column: column, Reason: fmt.Sprintf(format, args...)})
}

// require reports an empty cell that the row cannot do without.
func (r *row) require(name, value string) {
	if value == "" {
		r.fail(name, "is empty")
	}
}

var (
	isoDate    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	dottedDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	compactDay = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// date checks a date cell and returns it as YYYY-MM-DD. Native files take
// only that form; foreign ones also dd.mm.yyyy (Espacenet) and yyyymmdd.
// Slashed dates are refused: 05/01/2024 is a different day in Europe and
// in the US, and guessing wrong would go unnoticed.
func (r *row) date(name, value string, strict bool) string {
	if value == "" || isISODate(value) {
		return value
	}
	var y, m, d string
	if g := isoDate.FindStringSubmatch(value); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := dottedDate.FindStringSubmatch(value); g != nil && !strict {
		y, m, d = g[3], twoDigits(g[2]), twoDigits(g[1])
	} else if g := compactDay.FindStringSubmatch(value); g != nil && !strict {
		y, m, d = g[1], g[2], g[3]
	}
	iso := y + "-" + m + "-" + d
	if _, err := time.Parse(time.DateOnly, iso); y == "" || err != nil {
		if strings.Contains(value, "/") {
			r.fail(name, "%q is not a date in the form YYYY-MM-DD (a spreadsheet may have reformatted it; day/month order is ambiguous)", value)
		} else if strict {
			r.fail(name, "%q is not a date in the form YYYY-MM-DD", value)
		} else {
			r.fail(name, "%q is not a date", value)
		}
		return ""
	}
	return iso
}

// isISODate reports whether s is a valid date written YYYY-MM-DD, the
// form of every date in a native file, without the regular expressions and
// time.Parse that the other forms need: a large import reads millions.
func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := licensing.ParseDate(s)
	return err == nil
}

// sep normalizes a standard-essential flag written in English or German.
func (r *row) sep(name, value string) string {
	switch strings.ToLower(value) {
	case "":
		return ""
	case "true", "yes", "y", "1", "ja", "j", "x":
		return "true"
	case "false", "no", "n", "0", "nein":
		return "false"
	}
	r.fail(name, "%q is not yes or no", value)
	return ""
}

func twoDigits(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
