package csvio

import (
	"encoding/csv"
	"io"
	"strings"
)

// WriterOptions chooses the dialect of an export.
type WriterOptions struct {
	Semicolon bool // ';' as delimiter, as German spreadsheets expect
	BOM       bool // a UTF-8 byte-order mark first, so that Excel reads UTF-8
}

// Writer streams spreadsheet-safe RFC 4180 CSV records.
type Writer struct {
	out        io.Writer
	csv        *csv.Writer
	bom        bool
	bomWritten bool
}

// NewWriter returns a Writer that writes to w with CRLF line endings.
func NewWriter(w io.Writer, opt WriterOptions) *Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if opt.Semicolon {
		cw.Comma = ';'
	}
	return &Writer{out: w, csv: cw, bom: opt.BOM}
}

// Write writes one record, passing every cell through EscapeCell.
//
// Line breaks inside a cell are written as CRLF and read back as "\n" (a
// lone carriage return counts as a line break, because encoding/csv would
// otherwise drop it), and
// NUL characters are dropped, since readers, ours included, take a NUL for
// the sign of a binary file. Rows are not buffered beyond encoding/csv's own
// buffer, so an export runs in constant memory; call Flush to push them out.
func (w *Writer) Write(record []string) error {
	if err := w.writeBOM(); err != nil {
		return err
	}
	cells := make([]string, len(record))
	for i, s := range record {
		cells[i] = EscapeCell(cleanCell(s))
	}
	return w.csv.Write(cells)
}

// Flush writes any buffered rows to the underlying writer.
func (w *Writer) Flush() error {
	if err := w.writeBOM(); err != nil {
		return err
	}
	w.csv.Flush()
	return w.csv.Error()
}

// writeBOM writes the byte-order mark once, before the first row; the csv
// writer has not written anything yet at that point, so order is kept.
func (w *Writer) writeBOM() error {
	if !w.bom || w.bomWritten {
		return nil
	}
	w.bomWritten = true
	_, err := io.WriteString(w.out, bom)
	return err
}

const bom = "\uFEFF"

// cleanCell normalizes what encoding/csv and spreadsheets cannot carry.
func cleanCell(s string) string {
	if !strings.ContainsAny(s, "\r\x00") {
		return s
	}
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// EscapeCell makes a cell safe to open in a spreadsheet: a cell starting with
// '=', '+', '-', '@', tab or carriage return gets a leading "'".
//
// Spreadsheets run such cells as formulas (CSV injection); the apostrophe
// makes them text and is hidden on display. PatentDesk exports no negative
// numbers, so escaping '-' costs nothing. A cell that already starts with
// apostrophes followed by one of those characters is escaped too, so that
// removing exactly one leading "'" on import (see unescapeCell) restores
// every cell as it was.
func EscapeCell(s string) string {
	if needsEscape(s) {
		return "'" + s
	}
	return s
}

// needsEscape reports whether s, after any leading apostrophes, starts with a
// character that spreadsheets treat as the start of a formula.
func needsEscape(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0
}

// unescapeCell undoes EscapeCell.
func unescapeCell(s string) string {
	if strings.HasPrefix(s, "'") && needsEscape(s[1:]) {
		return s[1:]
	}
	return s
}

// JoinList joins a list into one cell, separated by "|"; items may not
// contain "|" (tags, standards, CPC symbols and country codes never do).
func JoinList(items []string) string {
	return strings.Join(items, "|")
}

// SplitList splits a list cell on "|", trimming spaces and dropping empty
// items; an empty cell gives nil.
func SplitList(cell string) []string {
	var items []string
	for _, s := range strings.Split(cell, "|") {
		if s = strings.TrimSpace(s); s != "" {
			items = append(items, s)
		}
	}
	return items
}
