package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/transform"
)

// Format names a CSV layout that PatentDesk reads.
type Format string

// The formats of the contract's `--format` option.
const (
	FormatNative    Format = "native"    // PatentDesk's own export
	FormatGoogle    Format = "google"    // Google Patents "Download (CSV)"
	FormatEspacenet Format = "espacenet" // Espacenet result list
)

// Kind says what a native file lists.
type Kind string

// The kinds of native file.
const (
	KindPatents   Kind = "patents"
	KindCompanies Kind = "companies"
)

// RowError is one rejected row or cell: line number in the file (1-based,
// physical line where the record starts), column name, reason.
type RowError struct {
	Line   int
	Column string // the header cell as written in the file; "" for the whole row
	Reason string
}

// Error formats the problem as a user would look for it in a spreadsheet.
func (e RowError) Error() string {
	switch {
	case e.Line == 0:
		return e.Reason
	case e.Column == "":
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	default:
		return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Reason)
	}
}

// PatentRecord is one patent as read from any format, before domain
// validation.
//
// Dates are normalized to "YYYY-MM-DD" strings (or "" when absent); numbers
// are as written in the file (the importer normalizes them); company names
// are as written.
type PatentRecord struct {
	Line        int
	Number      string
	Office      string // Google and Espacenet: taken from the number
	Kind        string // Google and Espacenet: taken from the number
	Title       string
	Family      string
	PriorityOn  string
	FiledOn     string
	PublishedOn string
	GrantedOn   string
	ExpiresOn   string
	Status      string // "" where the format has none: the importer decides
	StatusOn    string
	Owner       string // Google and Espacenet: the first of Assignees
	// OriginalOwner is the applicant at filing; only the native format has it.
	OriginalOwner string
	// Assignees lists every assignee (Google) or applicant (Espacenet) in
	// the file's order; nil for the native format, which has one owner.
	// Google separates names with ", " as company names do; a legal form
	// such as "Inc." stays with its name, but "Becton, Dickinson And
	// Company" still comes out as two names, so an importer that knows the
	// company should match the leading names joined with ", " as well.
	Assignees        []string
	Inventors        []string
	Tags             []string
	Standards        []string
	DesignatedStates []string
	CPC              []string
	SEP              string   // "", "true" or "false"
	Link             string   // Google's result link
	AlsoPublishedAs  []string // Espacenet: the other numbers of the row
}

// CompanyRecord is one company as read from a native companies file.
type CompanyRecord struct {
	Line        int
	Name        string
	ShortName   string
	Country     string
	Parent      string
	ControlFrom string
	ControlTo   string
	Aliases     []string
}

// DefaultMaxRows is the row limit when Options.MaxRows is 0.
const DefaultMaxRows = 1_000_000

// Options controls a read.
type Options struct {
	Format  Format // "" = detect automatically
	MaxRows int    // 0 = DefaultMaxRows; a longer file is refused
}

// Result is what a read found: the records it accepted and every problem.
type Result struct {
	Format    Format
	Kind      Kind
	Patents   []PatentRecord
	Companies []CompanyRecord
	Errors    []RowError // rejected rows, left out of Patents and Companies
	Warnings  []RowError // accepted, but worth a look
}

// ReadPatents reads a patents file in any supported format.
//
// The error is for a file that cannot be read at all; a rejected row is
// reported in Result.Errors and left out of Result.Patents.
func ReadPatents(r io.Reader, opt Options) (*Result, error) {
	return read(r, opt, KindPatents)
}

// ReadCompanies reads a native companies file.
//
// The error is for a file that cannot be read at all; a rejected row is
// reported in Result.Errors and left out of Result.Companies.
func ReadCompanies(r io.Reader, opt Options) (*Result, error) {
	return read(r, opt, KindCompanies)
}

// headSize is how much of the decoded file detection looks at; Espacenet's
// preamble, query included, must fit.
const headSize = 64 << 10

func read(r io.Reader, opt Options, want Kind) (*Result, error) {
	switch opt.Format {
	case "", FormatNative, FormatGoogle, FormatEspacenet:
	default:
		return nil, fmt.Errorf("unknown format %q; use native, google or espacenet", opt.Format)
	}
	maxRows := opt.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	raw := bufio.NewReader(r)
	magic, err := raw.Peek(4)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	if err := checkMagic(magic); err != nil {
		return nil, err
	}
	dec := newTextDecoder()
	text := bufio.NewReaderSize(transform.NewReader(raw, dec), headSize)
	head, err := text.Peek(headSize)
	if err != nil && err != io.EOF {
		return nil, readError(err)
	}
	lay, err := detectLayout(string(head), len(head) < headSize)
	if err != nil {
		return nil, err
	}
	if err := lay.check(opt.Format, want); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(head, []byte(bom)) {
		text.Discard(len(bom))
	}
	for i := 1; i < lay.headerLine; i++ {
		if _, err := text.ReadString('\n'); err != nil {
			return nil, readError(err)
		}
	}

	cr := csv.NewReader(text)
	cr.Comma = lay.delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return nil, lay.parseError(err)
	}
	res := &Result{Format: lay.format, Kind: lay.kind}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, lay.parseError(err)
		}
		if isBlank(rec) {
			continue // spreadsheets leave rows of empty cells behind
		}
		if rows++; rows > maxRows {
			return nil, fmt.Errorf("the file has more than %d rows; split it", maxRows)
		}
		line, _ := cr.FieldPos(0)
		row := &row{line: line + lay.headerLine - 1, header: lay.header, col: lay.col, cells: rec}
		if !row.fits() {
			res.Errors = append(res.Errors, row.errs...)
			continue
		}
		switch lay.kind {
		case KindCompanies:
			c := lay.company(row)
			if len(row.errs) == 0 {
				res.Companies = append(res.Companies, c)
			}
		default:
			p := lay.patent(row)
			if len(row.errs) == 0 {
				res.Patents = append(res.Patents, p)
			}
		}
		res.Errors = append(res.Errors, row.errs...)
	}
	if dec.legacyLine > 0 {
		res.Warnings = append(res.Warnings, RowError{Line: dec.legacyLine,
			Reason: "the file is not all UTF-8; characters that are not were read as Windows-1252 (first on this line)"})
	}
	return res, nil
}

// checkMagic recognizes files that are plainly not CSV text, to say what
// they are instead of reporting a meaningless header.
func checkMagic(b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return errors.New("the file is a ZIP archive (an .xlsx workbook?), not CSV; save it as CSV (UTF-8)")
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return errors.New("the file is UTF-16 text; save it as CSV (UTF-8)")
	}
	return nil
}

// readError explains an error from reading the decoded text.
func readError(err error) error {
	var enc *encodingError
	if errors.As(err, &enc) {
		return enc
	}
	return fmt.Errorf("reading the file: %w", err)
}

// parseError turns encoding/csv's errors into a message with the file's line.
func (l *layout) parseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return readError(err)
	}
	off := l.headerLine - 1
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Errorf("line %d: a quoted cell starting in this row is never closed (a \" is missing)", pe.StartLine+off)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("line %d: a \" inside a cell that is not quoted; quote the whole cell and double the \"", pe.Line+off)
	default:
		return fmt.Errorf("line %d: %v", pe.Line+off, pe.Err)
	}
}

func isBlank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
