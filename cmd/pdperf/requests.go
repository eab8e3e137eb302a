package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
)

// namedPath is one request to measure: a name for the table and a path,
// with its query, that may hold placeholders.
type namedPath struct {
	name, path string
}

// placeholderNames are the placeholders a path may hold, each filled with a
// random value of a sample fetched through the API before measuring.
var placeholderNames = []string{"patent", "patent_id", "territory", "owner", "company", "company_id", "agreement", "agreement_id", "word"}

// placeholderRecord groups the placeholders that describe one record: in
// one path they are filled from the same record, so that
// ?patent={patent}&territory={territory} asks about a country the patent
// covers.
var placeholderRecord = map[string]string{
	"patent": "patent", "patent_id": "patent", "territory": "patent",
	"company": "company", "company_id": "company",
	"agreement": "agreement", "agreement_id": "agreement",
}

var placeholderPattern = regexp.MustCompile(`\{([^{}]*)\}`)

// parseNamedPath reads "name=PATH" (split at the first "="), as given to
// --get and written in a scenario file.
func parseNamedPath(s string) (namedPath, error) {
	name, path, ok := strings.Cut(strings.TrimSpace(s), "=")
	name, path = strings.TrimSpace(name), strings.TrimSpace(path)
	switch {
	case !ok || name == "":
		return namedPath{}, fmt.Errorf("%q: write name=PATH, e.g. patent=/api/v1/patents/{patent}", s)
	case !strings.HasPrefix(path, "/"):
		return namedPath{}, fmt.Errorf("%q: the path must start with /", s)
	case strings.ContainsAny(path, " \t"):
		return namedPath{}, fmt.Errorf("%q: the path holds a space; write it as %%20", s)
	case strings.ContainsAny(name, "|`"):
		return namedPath{}, fmt.Errorf("%q: the name may not hold | or `", s)
	}
	for _, m := range placeholderPattern.FindAllStringSubmatch(path, -1) {
		if !slices.Contains(placeholderNames, m[1]) {
			return namedPath{}, fmt.Errorf("%q: unknown placeholder {%s}; known: {%s}", s, m[1], strings.Join(placeholderNames, "} {"))
		}
	}
	return namedPath{name: name, path: path}, nil
}

// readScenario reads a scenario file: one name=PATH a line; blank lines and
// lines starting with # are skipped. Mistakes name their line.
func readScenario(r io.Reader, file string) ([]namedPath, error) {
	var list []namedPath
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		np, err := parseNamedPath(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		list = append(list, np)
	}
	return list, sc.Err()
}

// requestFlag collects repeated --get name=PATH flags.
type requestFlag []namedPath

func (f *requestFlag) String() string { return "" }

func (f *requestFlag) Set(s string) error {
	np, err := parseNamedPath(s)
	if err != nil {
		return err
	}
	*f = append(*f, np)
	return nil
}

// requestList joins the --get flags and the scenario file (in that order)
// and refuses a name given twice, which would merge two rows into one.
func requestList(gets []namedPath, scenario string) ([]namedPath, error) {
	list := slices.Clone(gets)
	if scenario != "" {
		f, err := os.Open(scenario)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		more, err := readScenario(f, scenario)
		if err != nil {
			return nil, err
		}
		list = append(list, more...)
	}
	seen := map[string]bool{}
	for _, np := range list {
		if seen[np.name] {
			return nil, fmt.Errorf("the name %q is given twice", np.name)
		}
		seen[np.name] = true
	}
	return list, nil
}

// placeholdersUsed lists the placeholders the paths hold.
func placeholdersUsed(list []namedPath) map[string]bool {
	used := map[string]bool{}
	for _, np := range list {
		for _, m := range placeholderPattern.FindAllStringSubmatch(np.path, -1) {
			used[m[1]] = true
		}
	}
	return used
}

// pools holds, per placeholder, the values it is filled from.
type pools map[string][]string

// expand fills each placeholder of path with a value picked by rnd, escaped
// so that it stays one path segment or one query value. Placeholders of
// one record (placeholderRecord) take their values from the same record.
func (p pools) expand(path string, rnd *rand.Rand) string {
	picked := map[string]int{}
	return placeholderPattern.ReplaceAllStringFunc(path, func(m string) string {
		name := m[1 : len(m)-1]
		values := p[name]
		if len(values) == 0 {
			return m // check refused this before any request was sent
		}
		record, ok := placeholderRecord[name]
		if !ok {
			record = name
		}
		i, ok := picked[record]
		if !ok || i >= len(values) {
			i = rnd.IntN(len(values))
			picked[record] = i
		}
		return escapeValue(values[i])
	})
}

// check makes sure every placeholder used has values to be filled from.
func (p pools) check(used map[string]bool) error {
	for _, name := range placeholderNames {
		if used[name] && len(p[name]) == 0 {
			return fmt.Errorf("found nothing to fill {%s} with: does the server hold data, and is PDPERF_TOKEN set?", name)
		}
	}
	return nil
}

// escapeValue escapes a value for a path segment and a query value alike
// (a space as %20, not +, which a path would keep as a plus).
func escapeValue(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
