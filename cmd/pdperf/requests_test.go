package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseNamedPath(t *testing.T) {
	tests := []struct {
		name, in  string
		want      namedPath
		wantError string
	}{
		{"NameAndPath", "patent=/api/v1/patents/{patent}", namedPath{"patent", "/api/v1/patents/{patent}"}, ""},
		{"SplitsAtTheFirstEquals", "list=/api/v1/patents?owner={owner}&limit=50", namedPath{"list", "/api/v1/patents?owner={owner}&limit=50"}, ""},
		{"SpacesAroundAreTrimmed", "  patent page = /patents/{patent_id} ", namedPath{"patent page", "/patents/{patent_id}"}, ""},
		{"NoEquals", "/api/v1/patents", namedPath{}, "write name=PATH"},
		{"NoName", "=/api/v1/patents", namedPath{}, "write name=PATH"},
		{"RelativePath", "x=api/v1/patents", namedPath{}, "must start with /"},
		{"SpaceInPath", "x=/api/v1/patents/EP 1 234 567 B1", namedPath{}, "%20"},
		{"UnknownPlaceholder", "x=/api/v1/patents/{number}", namedPath{}, "unknown placeholder {number}"},
		{"PipeInName", "a|b=/x", namedPath{}, "may not hold |"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseNamedPath(tc.in)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want one saying %q", err, tc.wantError)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseNamedPath(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestScenarioFile(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // names in order
		wantError  string
	}{
		{"CommentsAndBlankLinesSkipped", "# reads\n\npatent=/api/v1/patents/{patent}\n  # indented comment\nsearch=/api/v1/patents?q={word}\n",
			[]string{"patent", "search"}, ""},
		{"MistakeNamesItsLine", "patent=/api/v1/patents/{patent}\n\nbroken\n", nil, "scenario.txt:3:"},
		{"NameTwiceIsRefused", "a=/x\na=/y\n", nil, `"a" is given twice`},
		{"FlagAndFileShareNames", "from-flag=/y\n", nil, `"from-flag" is given twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "scenario.txt")
			if err := os.WriteFile(file, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			var flags []namedPath
			if strings.Contains(tc.text, "from-flag") {
				flags = []namedPath{{"from-flag", "/x"}}
			}
			list, err := requestList(flags, file)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want one saying %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, np := range list {
				names = append(names, np.name)
			}
			if strings.Join(names, ",") != strings.Join(tc.want, ",") {
				t.Errorf("names = %v, want %v", names, tc.want)
			}
		})
	}
}

func TestExpandPlaceholders(t *testing.T) {
	p := pools{
		"patent":    {"EP1000001B1", "US9000002B2", "CN1000003A"},
		"patent_id": {"1", "2", "3"},
		"territory": {"DE", "US", "CN"},
		"company":   {"AT&T Inc.", "Nokia Corporation"},
		"word":      {"antenna"},
	}
	rnd := rand.New(rand.NewPCG(1, 0))
	t.Run("OneRecordFillsItsPlaceholdersAlike", func(t *testing.T) {
		for range 50 {
			got := p.expand("/x?patent={patent}&id={patent_id}&territory={territory}", rnd)
			ok := got == "/x?patent=EP1000001B1&id=1&territory=DE" || got == "/x?patent=US9000002B2&id=2&territory=US" ||
				got == "/x?patent=CN1000003A&id=3&territory=CN"
			if !ok {
				t.Fatalf("expand = %q: patent, id and territory of different records", got)
			}
		}
	})
	t.Run("ValuesAreEscapedForPathAndQuery", func(t *testing.T) {
		seen := map[string]bool{}
		for range 50 {
			seen[p.expand("/api/v1/companies/{company}", rnd)] = true
		}
		if !seen["/api/v1/companies/AT%26T%20Inc."] || !seen["/api/v1/companies/Nokia%20Corporation"] || len(seen) != 2 {
			t.Errorf("expansions = %v", seen)
		}
	})
	t.Run("SameSeedSameSequence", func(t *testing.T) {
		a, b := rand.New(rand.NewPCG(7, 0)), rand.New(rand.NewPCG(7, 0))
		for range 20 {
			if x, y := p.expand("/{patent}/{company}", a), p.expand("/{patent}/{company}", b); x != y {
				t.Fatalf("%q != %q", x, y)
			}
		}
	})
	t.Run("AnEmptyPoolIsRefusedBeforeMeasuring", func(t *testing.T) {
		err := p.check(map[string]bool{"patent": true, "agreement": true})
		if err == nil || !strings.Contains(err.Error(), "{agreement}") {
			t.Errorf("check = %v, want an error naming {agreement}", err)
		}
		if err := p.check(map[string]bool{"patent": true, "word": true}); err != nil {
			t.Errorf("check = %v, want nil", err)
		}
	})
}

func TestTitleWords(t *testing.T) {
	got := titleWords("Buffer status reporting for 5G carrier-aggregation (LTE)")
	if strings.Join(got, " ") != "buffer status reporting carrier aggregation" {
		t.Errorf("titleWords = %v", got)
	}
}
