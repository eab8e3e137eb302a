package csvio

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// encodingError reports a byte that makes the file unreadable as text.
type encodingError struct {
	line int
	b    byte
}

func (e *encodingError) Error() string {
	if e.b == 0 {
		return fmt.Sprintf("line %d: the file contains NUL bytes, so it is not a CSV text file; save it as CSV (UTF-8)", e.line)
	}
	return fmt.Sprintf("line %d: byte 0x%02X is neither UTF-8 nor Windows-1252 text; save the file as CSV (UTF-8)", e.line, e.b)
}

// textDecoder turns a file's bytes into UTF-8, one sequence at a time: valid
// UTF-8 passes through and every other byte is read as Windows-1252.
//
// Deciding per sequence rather than per file is what the real Espacenet
// export needs: it writes abstracts in Windows-1252 but inventor and
// applicant names in UTF-8 within the same file, so either whole-file choice
// garbles one of them. The price is that Windows-1252 text which happens to
// form valid UTF-8 (such as "Ã©") is read as UTF-8, which real text almost
// never does.
type textDecoder struct {
	line       int // physical line of the next byte, 1-based
	legacyLine int // line of the first byte read as Windows-1252; 0 if none
}

func newTextDecoder() *textDecoder { return &textDecoder{line: 1} }

// Reset makes the decoder ready for a new file.
func (d *textDecoder) Reset() { *d = textDecoder{line: 1} }

// Transform implements transform.Transformer.
func (d *textDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if b == 0 {
				return nDst, nSrc, &encodingError{line: d.line}
			}
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			if b == '\n' {
				d.line++
			}
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			r = charmap.Windows1252.DecodeByte(b)
			if r == utf8.RuneError {
				return nDst, nSrc, &encodingError{line: d.line, b: b}
			}
			if d.legacyLine == 0 {
				d.legacyLine = d.line
			}
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}
