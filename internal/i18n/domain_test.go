package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
)

// domainPackages are the packages whose messages the web layer shows
// through Locale.Domain.
var domainPackages = []string{"licensing", "csvio", "sqlite", "rights"}

// domainFiles are files outside the domain packages whose messages reach
// the user through Locale.Domain: the field errors of a rights question,
// which the page, the API and the command line share (the latter two in
// English).
var domainFiles = map[string][]string{"web": {"../../web/rights_common.go"}}

// formatCalls says which argument of a call is a message format.
// "fail" is a method in two packages: (*row).fail in csvio takes the column
// first; numberParser.fail in licensing puts the quoted input before its
// format ("%s " + format), so its messages are keyed with that prefix.
var formatCalls = map[string]struct {
	arg    int
	prefix string
}{
	"fmt.Sprintf":      {0, ""},
	"fmt.Errorf":       {0, ""},
	"errors.New":       {0, ""},
	"Errorf":           {1, ""}, // licensing.Errorf inside licensing
	"licensing.Errorf": {1, ""},
	"licensing/.fail":  {0, "%s "},
	"csvio/.fail":      {1, ""},
	"sqlite/.reject":   {2, ""}, // the import's reject(row, column, reason)
	"say":              {0, ""}, // the rights engine's sentences
}

// notShown are formats of the domain packages that never reach a user
// through Locale.Domain: SQL text, and operator messages of the command
// line (startup, backup, integrity check), which stay English.
var notShown = []string{
	"(%s, p.normalized) %s (?, ?)",
	" ORDER BY %s %s, p.normalized %s LIMIT ?",
	"the database file is damaged (%v); restore a backup",
	"%s already exists; choose a new file name",
	"foreign key: %s row %v refers to a missing %s row",
	"import not applied", // errRollback, a sentinel that ends a dry run
	"original_owner",     // a column header in csvio's formatFields
	// An internal error (a disk that lost part of a spooled upload): logged,
	// and the user sees the error page's "something went wrong".
	"spooled document holds %d bytes, %d were received",
}

// fragments are catalog entries for text that the domain builds at run time
// rather than writes as one literal: sqlite's companyReferences counts with
// plural() and joins with " and ", and ParseDate names the month with
// time.Month.String.
var fragments = []string{
	"1 patent", "%d patents", "1 subsidiary", "%d subsidiaries", "%s and %s",
	"1 agreement", "%d agreements", "1 grant", "%d grants", "1 assignment", "%d assignments",
	"1 obligation", "%d obligations",
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
}

// domainSource is what the domain packages' non-test files say.
type domainSource struct {
	formats  map[string]string // message format → where it is written
	literals map[string]bool   // every string literal, for fragments
}

func readDomainSource(t *testing.T) domainSource {
	t.Helper()
	src := domainSource{formats: map[string]string{}, literals: map[string]bool{}}
	skip := map[string]bool{}
	for _, s := range notShown {
		skip[s] = true
	}
	fset := token.NewFileSet()
	sources := map[string][]string{}
	for _, pkg := range domainPackages {
		files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in ../%s", pkg)
		}
		sources[pkg] = files
	}
	for pkg, files := range domainFiles {
		sources[pkg] = append(sources[pkg], files...)
	}
	for pkg, files := range sources {
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			add := func(format string, at token.Pos) {
				if format == "" || skip[format] || strings.Contains(format, "%w") || !hasWords(format) {
					return
				}
				if _, ok := src.formats[format]; !ok {
					src.formats[format] = fset.Position(at).String()
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if s, ok := stringLit(n); ok {
						src.literals[s] = true
					}
				case *ast.CallExpr:
					call, ok := formatCalls[callName(pkg, n.Fun)]
					if ok && call.arg < len(n.Args) {
						if s, ok := stringLit(n.Args[call.arg]); ok {
							add(call.prefix+s, n.Pos())
						}
					}
				case *ast.AssignStmt: // errs["title"] = "A title is required."
					for i, lhs := range n.Lhs {
						if _, ok := lhs.(*ast.IndexExpr); ok && i < len(n.Rhs) {
							if s, ok := messageText(n.Rhs[i]); ok {
								add(s, n.Pos())
							}
						}
					}
				case *ast.KeyValueExpr: // licensing.Error{Message: …, Fields: …}, RowError{Reason: …}
					key, _ := n.Key.(*ast.Ident)
					switch {
					case key == nil:
					case key.Name == "Message" || key.Name == "Reason":
						if s, ok := messageText(n.Value); ok {
							add(s, n.Pos())
						}
					case key.Name == "Fields":
						if lit, ok := n.Value.(*ast.CompositeLit); ok {
							for _, e := range lit.Elts {
								if kv, ok := e.(*ast.KeyValueExpr); ok {
									if s, ok := messageText(kv.Value); ok {
										add(s, kv.Pos())
									}
								}
							}
						}
					}
				}
				return true
			})
		}
	}
	return src
}

// callName names a call for formatCalls: "fmt.Sprintf", "Errorf", or
// "<package>/.method" for a method call.
func callName(pkg string, fun ast.Expr) string {
	switch fun := fun.(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok && (x.Name == "fmt" || x.Name == "errors" || x.Name == "licensing") {
			return x.Name + "." + fun.Sel.Name
		}
		return pkg + "/." + fun.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// messageText reads a message written as a literal, or as literals joined
// with values ("the " + what + " has invalid fields"), which count as %s.
func messageText(e ast.Expr) (string, bool) {
	if s, ok := stringLit(e); ok {
		return s, true
	}
	bin, ok := e.(*ast.BinaryExpr)
	if !ok || bin.Op != token.ADD {
		return "", false
	}
	var b strings.Builder
	var walk func(ast.Expr) bool
	walk = func(e ast.Expr) bool {
		if bin, ok := e.(*ast.BinaryExpr); ok && bin.Op == token.ADD {
			return walk(bin.X) && walk(bin.Y)
		}
		if s, ok := stringLit(e); ok {
			if strings.Contains(s, "%") {
				return false // a format being built, not a message
			}
			b.WriteString(s)
		} else {
			b.WriteString("%s")
		}
		return true
	}
	ok = walk(bin)
	return b.String(), ok
}

// hasWords tells messages from formats that only join others ("%s: %s").
func hasWords(format string) bool {
	return strings.ContainsFunc(domainVerbRE.ReplaceAllString(format, ""), func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	})
}

func domainCatalog(t *testing.T, code string) map[string]string {
	t.Helper()
	b, err := localeFiles.ReadFile("locales/domain." + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := decodeDomain(b)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestDomainCatalogCovers fails when a message of the domain packages has no
// German text, or when the catalog keeps text the domain no longer writes.
func TestDomainCatalogCovers(t *testing.T) {
	src := readDomainSource(t)
	de := domainCatalog(t, "de")
	if len(src.formats) < 50 {
		t.Fatalf("found only %d messages in the domain packages; is the source walk broken?", len(src.formats))
	}
	t.Logf("%d messages in the source, %d catalog entries", len(src.formats), len(de))

	var missing []string
	for format, at := range src.formats {
		if _, ok := de[format]; !ok {
			missing = append(missing, strconv.Quote(format)+"  ("+at+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d message(s) have no entry in locales/domain.de.json:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}

	// A key is in use when the source writes it as a message or a literal,
	// when it is a fragment, or when it is a specific case of a message
	// ("The filing date %s is before the priority date %s.").
	known := map[string]bool{}
	for _, f := range fragments {
		known[f] = true
	}
	var patterns []*regexp.Regexp
	for format := range src.formats {
		f, err := compileDomain(format)
		if err != nil {
			t.Errorf("%q (%s): %v", format, src.formats[format], err)
			continue
		}
		patterns = append(patterns, f.pattern)
	}
	var stale []string
	for key := range de {
		_, isFormat := src.formats[key]
		if isFormat || src.literals[key] || known[key] {
			continue
		}
		specific, example := false, exampleOf(key)
		for _, p := range patterns {
			if p.MatchString(example) {
				specific = true
				break
			}
		}
		if !specific {
			stale = append(stale, strconv.Quote(key))
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("%d key(s) of locales/domain.de.json are not in the source (any more?):\n  %s", len(stale), strings.Join(stale, "\n  "))
	}
}

// exampleOf fills a format's verbs with sample values, to see which
// formats can write it.
func exampleOf(format string) string {
	return domainVerbRE.ReplaceAllStringFunc(format, func(v string) string {
		switch v[len(v)-1] {
		case '%':
			return "%"
		case 'q':
			return `"x"`
		case 's', 'v':
			return "x"
		}
		return "1"
	})
}

// argVerbs lists the verb used for each argument of a format, following
// fmt's rules for explicit indexes; an argument used twice is an error.
func argVerbs(format string) (map[int]byte, string) {
	out := map[int]byte{}
	next := 1
	for _, v := range domainVerbRE.FindAllString(format, -1) {
		verb := v[len(v)-1]
		if verb == '%' {
			continue
		}
		if i := strings.Index(v, "["); i >= 0 {
			n, _ := strconv.Atoi(v[i+1 : strings.Index(v, "]")])
			next = n
		}
		if _, dup := out[next]; dup {
			return nil, "argument " + strconv.Itoa(next) + " is used twice"
		}
		out[next] = verb
		next++
	}
	return out, ""
}

func TestDomainVerbsMatch(t *testing.T) {
	for en, de := range domainCatalog(t, "de") {
		want, _ := argVerbs(en)
		got, problem := argVerbs(de)
		if problem == "" {
			for i, v := range want {
				if got[i] != v {
					problem = "argument " + strconv.Itoa(i) + " should be %" + string(v)
				}
			}
			if len(got) != len(want) {
				problem = strconv.Itoa(len(got)) + " arguments instead of " + strconv.Itoa(len(want))
			}
		}
		if problem != "" {
			t.Errorf("%q → %q: %s", en, de, problem)
		}
	}
}

func TestDomainCatalogNotAKeyCatalog(t *testing.T) {
	for _, code := range []string{"en", "de"} {
		for k := range Messages()[code] {
			if _, ok := domainCatalog(t, "de")[k]; ok {
				t.Errorf("domain.de.json was loaded as key catalog %s.json (key %q)", code, k)
			}
		}
	}
}

// errMessage is the message a domain error shows.
func errMessage(t *testing.T, err error) string {
	t.Helper()
	de, ok := err.(*licensing.Error)
	if !ok {
		t.Fatalf("got %v, want a *licensing.Error", err)
	}
	return de.Message
}

func TestDomainTranslatesRealMessages(t *testing.T) {
	_, dateErr := licensing.ParseDate("31.02.2020")
	_, febErr := licensing.ParseDate("2021-02-30")
	_, numberErr := licensing.ParsePatentNumber("EP 123")
	_, runeErr := licensing.ParsePatentNumber("EP 12#34")
	early := (&licensing.Patent{Number: "EP 1234567 B1", Title: "Antenna", Status: licensing.StatusGranted,
		PriorityOn: licensing.MustDate("2020-05-01"), FiledOn: licensing.MustDate("2019-05-01")}).Validate()
	lapsed := (&licensing.Patent{Number: "EP 1234567 B1", Title: "Antenna", Status: licensing.StatusLapsed}).Validate()
	badNumber := (&licensing.Patent{Number: "EP 123", Title: "Antenna", Status: licensing.StatusGranted}).Validate()
	company := (&licensing.Company{Country: "Deutschland", Aliases: []string{"Nokia", " "}}).Validate()

	const native = "number,office,kind,title,family,priority_on,filed_on,published_on,granted_on,expires_on," +
		"status,status_on,owner,original_owner,tags,standards,sep,designated_states,cpc\n" +
		"EP1234567B1,,,Antenna,,,,,2020-13-45,,granted,,ACME,,,,,,\n"
	res, err := csvio.ReadPatents(strings.NewReader(native), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) == 0 {
		t.Fatal("the bad date was not reported")
	}
	_, csvErr := csvio.ReadPatents(strings.NewReader("PK\x03\x04rest"), csvio.Options{})

	tests := []struct{ en, de string }{
		{errMessage(t, dateErr), `"31.02.2020" ist kein Datum im Format JJJJ-MM-TT`},
		{errMessage(t, febErr), `"2021-02-30" ist kein Datum: Der Februar 2021 hat 28 Tage`},
		{errMessage(t, numberErr), `"EP 123" ist zu kurz für eine Patentnummer (mindestens 4 Ziffern)`},
		{errMessage(t, runeErr), `"EP 12#34" ist keine Patentnummer: unerwartetes Zeichen '#'`},
		{badNumber["number"], `"EP 123" ist zu kurz für eine Patentnummer (mindestens 4 Ziffern).`},
		{early["filed_on"], "Der Anmeldetag 2019-05-01 liegt vor dem Prioritätsdatum 2020-05-01."},
		{lapsed["status_on"], "Geben Sie für den Status „Erloschen“ das Datum an, ab dem er gilt."},
		{(&licensing.Company{}).Validate()["name"], "Geben Sie den Firmennamen an."},
		{company["country"], `"Deutschland" ist kein Ländercode aus zwei Buchstaben wie FI oder CN.`},
		{company["aliases"], "Der Aliasname an Position 2 ist leer."},
		{res.Errors[0].Reason, `"2020-13-45" ist kein Datum im Format JJJJ-MM-TT`},
		{csvErr.Error(), "die Datei ist ein ZIP-Archiv (eine .xlsx-Arbeitsmappe?), keine CSV-Datei; speichern Sie sie als CSV (UTF-8)"},
		// sqlite's DeleteCompany, with the counts it builds and a company
		// name that must not be translated.
		{"Smith and Jones cannot be deleted while it is referenced by 2 subsidiaries and 1 patent",
			"Smith and Jones kann nicht gelöscht werden, solange noch Verweise darauf bestehen: 2 Tochtergesellschaften und 1 Patent"},
		{"line 7, column filed_on: \"x\" is not a date", `Zeile 7, Spalte filed_on: "x" ist kein Datum`},
		{"line 3: " + errMessage(t, dateErr), `Zeile 3: "31.02.2020" ist kein Datum im Format JJJJ-MM-TT`},
		// A pasted list with two unknown numbers, one sentence each.
		{"Line 3: no patent EP1234567B1. Line 5: no patent US9123456B2.",
			"Zeile 3: Das Patent EP1234567B1 ist nicht erfasst. Zeile 5: Das Patent US9123456B2 ist nicht erfasst."},
		{"Nokia Oyj cannot be deleted while it is referenced by 3 patents and 1 agreement and 2 grants",
			"Nokia Oyj kann nicht gelöscht werden, solange noch Verweise darauf bestehen: 3 Patente und 1 Vertrag und 2 Rechteeinräumungen"},
	}
	for _, tt := range tests {
		if got := For("de").Domain(tt.en); got != tt.de {
			t.Errorf("German of %q\n got %q\nwant %q", tt.en, got, tt.de)
		}
		if got := For("en").Domain(tt.en); got != tt.en {
			t.Errorf("English of %q is %q", tt.en, got)
		}
	}
	for _, msg := range []string{"", "something the domain never says", "the file is"} {
		if got := For("de").Domain(msg); got != msg {
			t.Errorf("unknown message %q became %q", msg, got)
		}
	}
}
