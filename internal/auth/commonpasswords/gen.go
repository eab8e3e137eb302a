//go:build ignore

// gen writes long.txt.gz: the passwords of a list, one a line, that the
// password policy would otherwise accept (12 to 256 characters, as
// auth.MinPasswordLength and auth.MaxPasswordLength, no control characters),
// in the list's order and in the form Canonical compares, each once.
// README.md says where the list comes from. It imports neither package, so
// that it runs while long.txt.gz is missing; the package's tests check that
// what it wrote is in that form and within those bounds.
//
//	go run gen.go -in package/data/passwords.txt.gz -out long.txt.gz
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const minLength, maxLength = 12, 256

func main() {
	in := flag.String("in", "", "gzipped list, one password a line")
	out := flag.String("out", "long.txt.gz", "where to write the filtered list")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	seen := map[string]bool{}
	var kept []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		raw := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(raw) { // checked before ToLower, which would mend it into U+FFFD
			continue
		}
		w := strings.ToLower(norm.NFC.String(raw))
		n := utf8.RuneCountInString(w)
		if strings.IndexFunc(w, unicode.IsControl) >= 0 ||
			n < minLength || n > maxLength || seen[w] {
			continue
		}
		seen[w] = true
		kept = append(kept, w)
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	o, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw := gzip.NewWriter(o) // no name, no time: the same input gives the same bytes
	if _, err := zw.Write([]byte(strings.Join(kept, "\n") + "\n")); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := o.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d passwords of %d to %d characters written to %s\n", len(kept), minLength, maxLength, *out)
}
