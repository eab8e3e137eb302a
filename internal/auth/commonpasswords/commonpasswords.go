// Package commonpasswords knows the passwords people choose most often, so
// that PatentDesk can refuse them: a vendored list of 30,000 from zxcvbn
// (MIT licence; README.md beside this file names the source).
package commonpasswords

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

//go:embed passwords.txt.gz
var packed []byte

// list is read on first use: a server that never sets a password need not
// hold the list in memory.
var list = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		panic("commonpasswords: embedded list unreadable: " + err.Error())
	}
	set := make(map[string]struct{}, 30000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			set[w] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		panic("commonpasswords: embedded list unreadable: " + err.Error())
	}
	return set
})

// Contains reports whether pw is one of the common passwords, compared
// after Unicode normalisation (NFC) and in lower case, so that "Qwerty123456"
// counts as "qwerty123456".
func Contains(pw string) bool {
	_, ok := list()[Canonical(pw)]
	return ok
}

// Canonical is the form in which passwords are compared with the list.
func Canonical(pw string) string { return strings.ToLower(norm.NFC.String(pw)) }

// Count is how many passwords the list holds.
func Count() int { return len(list()) }
