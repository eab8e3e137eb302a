package csvio

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestWriterQuotesLikeRFC4180(t *testing.T) {
	tests := []struct {
		name   string
		record []string
		want   string
	}{
		{"PlainCells", []string{"EP1234567B1", "Nokia Oyj"}, "EP1234567B1,Nokia Oyj\r\n"},
		{"CommaIsQuoted", []string{"Gearbox, Inc.", "x"}, "\"Gearbox, Inc.\",x\r\n"},
		{"QuoteIsDoubled", []string{`the "best" bat`}, "\"the \"\"best\"\" bat\"\r\n"},
		{"NewlineBecomesCRLFInsideQuotes", []string{"line one\nline two"}, "\"line one\r\nline two\"\r\n"},
		{"LoneCarriageReturnIsALineBreak", []string{"a\rb"}, "\"a\r\nb\"\r\n"},
		{"NULIsDropped", []string{"a\x00b"}, "ab\r\n"},
		{"EmptyCellsStayEmpty", []string{"a", "", "b"}, "a,,b\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, WriterOptions{})
			if err := w.Write(tt.record); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEscapeCellDefusesFormulas(t *testing.T) {
	tests := []struct {
		name, cell, want string
	}{
		{"Equals", "=SUM(A1)", "'=SUM(A1)"},
		{"Plus", "+1", "'+1"},
		{"Minus", "-1", "'-1"},
		{"At", "@x", "'@x"},
		{"Tab", "\tx", "'\tx"},
		{"CarriageReturn", "\rx", "'\rx"},
		{"FormulaCharLaterIsSafe", "x=1", "x=1"},
		{"Empty", "", ""},
		{"ApostropheAloneIsKept", "'quoted", "'quoted"},
		{"ApostropheBeforeFormulaIsEscapedToo", "'=x", "''=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeCell(tt.cell); got != tt.want {
				t.Errorf("EscapeCell(%q) = %q, want %q", tt.cell, got, tt.want)
			}
			if back := unescapeCell(EscapeCell(tt.cell)); back != tt.cell {
				t.Errorf("import would read %q back as %q", tt.cell, back)
			}
		})
	}
}

func TestWriterDialects(t *testing.T) {
	tests := []struct {
		name string
		opt  WriterOptions
		want string
	}{
		{"CommaWithoutBOM", WriterOptions{}, "number,title\r\nEP1,\"a;b, c\"\r\nEP2,'=1+1\r\n"},
		{"SemicolonWithBOM", WriterOptions{Semicolon: true, BOM: true}, "\uFEFFnumber;title\r\nEP1;\"a;b, c\"\r\nEP2;'=1+1\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, tt.opt)
			for _, rec := range [][]string{{"number", "title"}, {"EP1", "a;b, c"}, {"EP2", "=1+1"}} {
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriterStreamsRowsOnFlush(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{BOM: true})
	if err := w.Write([]string{"a"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"b"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "\uFEFFa\r\nb\r\n"; got != want {
		t.Errorf("wrote %q, want %q (one BOM, rows in order)", got, want)
	}
}

func TestLists(t *testing.T) {
	tests := []struct {
		name string
		cell string
		want []string
	}{
		{"Empty", "", nil},
		{"One", "cellular", []string{"cellular"}},
		{"SpacesTrimmedEmptiesDropped", " 3GPP LTE | |3GPP NR|", []string{"3GPP LTE", "3GPP NR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitList(tt.cell)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitList(%q) = %q, want %q", tt.cell, got, tt.want)
			}
			if again := SplitList(JoinList(got)); !slices.Equal(again, got) {
				t.Errorf("JoinList does not round-trip %q: %q", got, again)
			}
		})
	}
}

// FuzzEscapeCell writes any cell and reads it back as a spreadsheet would
// see it: the escape is applied exactly once, and no cell starts a formula.
func FuzzEscapeCell(f *testing.F) {
	for _, s := range []string{"", "x", "=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''", "a,b", "\"q\"", "a\r\nb", "\x00=x"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, semicolon bool) {
		var buf bytes.Buffer
		w := NewWriter(&buf, WriterOptions{Semicolon: semicolon})
		if err := w.Write([]string{s, "end"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(&buf)
		if semicolon {
			r.Comma = ';'
		}
		rec, err := r.Read()
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		// What the writer stores: NUL dropped, then every line break as "\n".
		stored := strings.ReplaceAll(s, "\x00", "")
		stored = strings.ReplaceAll(strings.ReplaceAll(stored, "\r\n", "\n"), "\r", "\n")
		want := stored
		if t0 := strings.TrimLeft(stored, "'"); t0 != "" && strings.ContainsRune("=+-@\t\r", rune(t0[0])) {
			want = "'" + stored
		}
		if len(rec) != 2 || rec[0] != want {
			t.Fatalf("cell %q read back as %q, want %q", s, rec, want)
		}
		if got := rec[0]; got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Errorf("cell %q starts a formula", got)
		}
		if back := unescapeCell(rec[0]); back != stored {
			t.Errorf("import reads %q back as %q, want %q", s, back, stored)
		}
	})
}

// encodingCSV is what the Writer wrote before it encoded cells itself:
// each cell cleaned and escaped, then written by encoding/csv with CRLF.
func encodingCSV(records [][]string, opt WriterOptions) string {
	var buf bytes.Buffer
	if opt.BOM {
		buf.WriteString(bom)
	}
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if opt.Semicolon {
		cw.Comma = ';'
	}
	for _, r := range records {
		cells := make([]string, len(r))
		for i, s := range r {
			cells[i] = EscapeCell(cleanCell(s))
		}
		cw.Write(cells)
	}
	cw.Flush()
	return buf.String()
}

// writeAll writes records with a Writer and returns the bytes.
func writeAll(t testing.TB, records [][]string, opt WriterOptions) string {
	var buf bytes.Buffer
	w := NewWriter(&buf, opt)
	for _, r := range records {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The export must not change by a byte when the writer gets faster: a
// file exported before and after compares equal, and spreadsheets and
// scripts read it the same.
func TestWriterWritesWhatEncodingCSVWrites(t *testing.T) {
	cells := []string{"", "x", "EP1234567B1", "Gearbox, Inc.", "a;b", `the "best"`, "line\nbreak", "a\r\nb", "a\rb", "\r", "\n",
		"=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''", "'", " leading space", "\u00a0nbsp", "\u3000ideographic",
		`\.`, `'\.`, "\x00=x", "a\x00", "tab\tinside", "ü Straße", "3GPP LTE|3GPP NR", "trailing ", `"`, `""`, "\u2028"}
	var records [][]string
	for i, a := range cells {
		for j, b := range cells {
			if (i+j)%3 == 0 {
				records = append(records, []string{a, b, cells[(i*j)%len(cells)]})
			}
		}
	}
	// Enough rows that the buffer is written out several times on the way.
	for i := range 5000 {
		records = append(records, []string{"EP" + strings.Repeat("1", i%40), cells[i%len(cells)], strings.Repeat("title ", i%30)})
	}
	for _, opt := range []WriterOptions{{}, {Semicolon: true}, {BOM: true}, {Semicolon: true, BOM: true}} {
		if got, want := writeAll(t, records, opt), encodingCSV(records, opt); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%+v: the bytes differ at %d of %d: %q, encoding/csv wrote %q", opt, i, len(want), got[i:min(i+40, len(got))], want[i:min(i+40, len(want))])
		}
	}
}

// FuzzWriterWritesWhatEncodingCSVWrites compares any record with what
// encoding/csv writes of it.
func FuzzWriterWritesWhatEncodingCSVWrites(f *testing.F) {
	for _, s := range []string{"", " x", "=x", "\"", `\.`, "a\r\nb", "\u00a0", "'-"} {
		f.Add(s, "y", false)
		f.Add(s, ";", true)
	}
	f.Fuzz(func(t *testing.T, a, b string, semicolon bool) {
		opt := WriterOptions{Semicolon: semicolon}
		records := [][]string{{a, b}, {b}, {a}}
		if got, want := writeAll(t, records, opt), encodingCSV(records, opt); got != want {
			t.Fatalf("wrote %q, encoding/csv wrote %q", got, want)
		}
	})
}

// BenchmarkWriter writes rows shaped like the patents export.
func BenchmarkWriter(b *testing.B) {
	row := []string{"EP1234567B1", "EP", "B1", "Method and apparatus for beam management in a wireless network", "F123456",
		"2014-01-02", "2015-01-02", "2016-07-06", "2018-03-04", "2035-01-02", "granted", "", "Aurora Telecom Oyj",
		"Aurora Telecom Oyj", "cellular|5g", "3GPP NR", "true", "", "H04W 72/04|H04B 7/06"}
	w := NewWriter(io.Discard, WriterOptions{})
	for b.Loop() {
		if err := w.Write(row); err != nil {
			b.Fatal(err)
		}
	}
}
