package licensing

// FuzzParsePatentNumber lives in number_test.go.

import (
	"strings"
	"testing"
)

// FuzzSplitNumbers: splitting a cell of several numbers never panics,
// gives no empty part and no part holding a separator, and never invents
// text that was not in the cell.
func FuzzSplitNumbers(f *testing.F) {
	for _, s := range []string{"EP1234567B1, US9123456B2", "US 9,123,456 B2", "EP1234567B1 | US9123456B2\nWO2017123456A1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		for _, part := range SplitNumbers(cell) {
			if part == "" || strings.ContainsAny(part, ";|\n\r") {
				t.Fatalf("%q: part %q", cell, part)
			}
			for _, word := range strings.Fields(part) {
				if !strings.Contains(cell, word) {
					t.Fatalf("%q: part %q holds %q, which the cell does not", cell, part, word)
				}
			}
		}
	})
}
