package csvio

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriterOptions chooses the dialect of an export.
type WriterOptions struct {
	Semicolon bool // ';' as delimiter, as German spreadsheets expect
	BOM       bool // a UTF-8 byte-order mark first, so that Excel reads UTF-8
}

// Writer streams spreadsheet-safe RFC 4180 CSV records.
//
// It writes what encoding/csv writes with UseCRLF, byte for byte (the test
// TestWriterWritesWhatEncodingCSVWrites holds it to that), but encodes
// each cell straight into one buffer: a million-row export would otherwise
// spend a good part of its time on a slice of escaped cells per record and
// on small writes to the client.
type Writer struct {
	out        io.Writer
	buf        []byte
	comma      byte
	bom        bool
	bomWritten bool
	err        error // the first write to out that failed; every later call returns it
}

// writerBuffer is how much a Writer collects before it writes to its
// io.Writer: large writes are what a network connection sends fastest.
const writerBuffer = 64 << 10

// NewWriter returns a Writer that writes to w with CRLF line endings.
func NewWriter(w io.Writer, opt WriterOptions) *Writer {
	comma := byte(',')
	if opt.Semicolon {
		comma = ';'
	}
	return &Writer{out: w, buf: make([]byte, 0, writerBuffer), comma: comma, bom: opt.BOM}
}

// Write writes one record, passing every cell through EscapeCell.
//
// Line breaks inside a cell are written as CRLF and read back as "\n" (a
// lone carriage return counts as a line break, because encoding/csv would
// otherwise drop it), and
// NUL characters are dropped, since readers, ours included, take a NUL for
// the sign of a binary file. Rows are buffered up to a bounded size, so an
// export runs in constant memory; call Flush to push them out.
func (w *Writer) Write(record []string) error {
	if w.err != nil {
		return w.err
	}
	w.appendBOM()
	for i, s := range record {
		if i > 0 {
			w.buf = append(w.buf, w.comma)
		}
		w.appendCell(cleanCell(s))
	}
	w.buf = append(w.buf, '\r', '\n')
	if len(w.buf) >= writerBuffer {
		return w.writeOut()
	}
	return nil
}

// Flush writes any buffered rows to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.appendBOM()
	return w.writeOut()
}

// writeOut hands the buffer to the underlying writer.
func (w *Writer) writeOut() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, w.err = w.out.Write(w.buf)
	w.buf = w.buf[:0]
	return w.err
}

// appendBOM puts the byte-order mark first, once, when one is asked for.
func (w *Writer) appendBOM() {
	if w.bom && !w.bomWritten {
		w.bomWritten = true
		w.buf = append(w.buf, bom...)
	}
}

// appendCell encodes one cleaned cell: EscapeCell's apostrophe where it
// needs one, then quoted as encoding/csv quotes a field: when it holds the
// delimiter, a quote or a line break, starts with a space, or is `\.`;
// inside quotes a quote is doubled and a line break written as CRLF.
func (w *Writer) appendCell(s string) {
	escape := needsEscape(s)
	if !w.needsQuotes(s, escape) {
		if escape {
			w.buf = append(w.buf, '\'')
		}
		w.buf = append(w.buf, s...)
		return
	}
	w.buf = append(w.buf, '"')
	if escape {
		w.buf = append(w.buf, '\'')
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, "\"\r\n")
		if i < 0 {
			w.buf = append(w.buf, s...)
			break
		}
		w.buf = append(w.buf, s[:i]...)
		switch s[i] {
		case '"':
			w.buf = append(w.buf, '"', '"')
		case '\n':
			w.buf = append(w.buf, '\r', '\n')
		} // a '\r' is dropped, as encoding/csv drops it with UseCRLF
		s = s[i+1:]
	}
	w.buf = append(w.buf, '"')
}

// needsQuotes is encoding/csv's rule for the cell s, with EscapeCell's
// apostrophe in front of it when escape is set.
func (w *Writer) needsQuotes(s string, escape bool) bool {
	if s == "" {
		return false
	}
	if !escape && s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' || c == '"' || c == w.comma {
			return true
		}
	}
	if escape {
		return false // the cell starts with the apostrophe
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
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
