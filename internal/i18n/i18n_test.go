package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/i18n"
	"patentdesk/templates"
)

// TestCatalogsComplete is the test that fails when a key lacks its German
// (or English) text.
func TestCatalogsComplete(t *testing.T) {
	msgs := i18n.Messages()
	codes := []string{"en", "de"}
	for _, code := range codes {
		if len(msgs[code]) == 0 {
			t.Fatalf("catalog %s is empty or missing", code)
		}
	}
	for _, from := range codes {
		for _, to := range codes {
			if from == to {
				continue
			}
			t.Run(from+"KeysIn"+strings.ToUpper(to[:1])+to[1:], func(t *testing.T) {
				var missing []string
				for k := range msgs[from] {
					if strings.TrimSpace(msgs[to][k]) == "" {
						missing = append(missing, k)
					}
				}
				sort.Strings(missing)
				if len(missing) > 0 {
					t.Errorf("%d key(s) of %s.json have no text in %s.json:\n  %s", len(missing), from, to, strings.Join(missing, "\n  "))
				}
			})
		}
	}
	t.Run("NoEmptyTexts", func(t *testing.T) {
		for _, code := range codes {
			var empty []string
			for k, v := range msgs[code] {
				if strings.TrimSpace(v) == "" {
					empty = append(empty, k)
				}
			}
			sort.Strings(empty)
			if len(empty) > 0 {
				t.Errorf("%s.json has empty texts for:\n  %s", code, strings.Join(empty, "\n  "))
			}
		}
	})
}

// verbRE finds fmt verbs, including %% (counted so a stray one shows up).
var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func verbs(s string) []string {
	v := verbRE.FindAllString(s, -1)
	sort.Strings(v)
	return v
}

func TestCatalogVerbsMatch(t *testing.T) {
	msgs := i18n.Messages()
	var bad []string
	for _, k := range i18n.Keys() {
		de, ok := msgs["de"][k]
		if !ok {
			continue // reported by TestCatalogsComplete
		}
		en := msgs["en"][k]
		if ve, vd := verbs(en), verbs(de); !slices.Equal(ve, vd) {
			bad = append(bad, k+": en "+strings.Join(ve, " ")+" / de "+strings.Join(vd, " "))
		}
	}
	if len(bad) > 0 {
		t.Errorf("format verbs differ between en and de:\n  %s", strings.Join(bad, "\n  "))
	}
}

// Patterns that name catalog keys as string literals in the source.
var (
	tCallRE  = regexp.MustCompile(`\.T\("([a-z0-9_.]+)"`)
	literals = regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
)

// usedKeys collects the catalog keys the templates and web handlers use:
// every literal passed to .T, every other literal that lies in one of the
// catalog's namespaces (page titles, flash messages, notices), and the keys
// built at run time from known parts. It returns each key with where it is used.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	namespaces := map[string]bool{}
	for _, k := range i18n.Keys() {
		namespaces[strings.SplitN(k, ".", 2)[0]] = true
	}
	used := map[string]string{}
	var files []string
	for _, pattern := range []string{"../../templates/*.templ", "../../web/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no templates or web sources found; did the layout change?")
	}
	calls := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			where := filepath.Base(f) + ":" + strconv.Itoa(i+1)
			for _, m := range tCallRE.FindAllStringSubmatch(line, -1) {
				calls++
				// "section." + name + ".about": a prefix of keys built at
				// run time, which are added below.
				if !strings.HasSuffix(m[1], ".") {
					used[m[1]] = where
				}
			}
			for _, m := range literals.FindAllStringSubmatch(line, -1) {
				if namespaces[strings.SplitN(m[1], ".", 2)[0]] {
					if _, seen := used[m[1]]; !seen {
						used[m[1]] = where
					}
				}
			}
		}
	}
	if calls == 0 {
		t.Fatal(`found no .T("…") calls; the scan is broken`)
	}
	for _, item := range templates.Nav {
		used[item.Label] = "templates.Nav"
		used["nav."+item.Section] = "templates.Nav"
	}
	// The dashboard and the not-yet pages describe every section but the
	// dashboard itself (web/pages.go).
	for _, item := range templates.Nav[1:] {
		used["section."+item.Section+".about"] = "templates.Nav"
	}
	for _, r := range []string{"admin", "editor", "viewer"} {
		used["role."+r] = "role names"
	}
	for _, code := range []string{"invalid", "not_found", "conflict", "unauthorized", "forbidden", "internal"} {
		used["error."+code+".title"] = "error codes"
		used["error."+code+".body"] = "error codes"
	}
	return used
}

func TestUsedKeysExist(t *testing.T) {
	used := usedKeys(t)
	msgs := i18n.Messages()
	for _, code := range []string{"en", "de"} {
		t.Run(code, func(t *testing.T) {
			var missing []string
			for k, where := range used {
				if _, ok := msgs[code][k]; !ok {
					missing = append(missing, k+" (used in "+where+")")
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("%d key(s) used in the source are missing from %s.json:\n  %s", len(missing), code, strings.Join(missing, "\n  "))
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name, choice, accept, want string
	}{
		{name: "GermanBrowser", accept: "de-DE,de;q=0.9,en;q=0.8", want: "de"},
		{name: "SwissGermanBrowser", accept: "de-CH", want: "de"},
		{name: "EnglishBrowser", accept: "en-GB,en;q=0.9", want: "en"},
		{name: "GermanPreferredOverEnglish", accept: "fr-FR,de;q=0.8,en;q=0.5", want: "de"},
		{name: "UnsupportedFallsBackToEnglish", accept: "fr-FR", want: "en"},
		{name: "NoHeaderIsEnglish", accept: "", want: "en"},
		{name: "MalformedHeaderIsEnglish", accept: ";;;q=x", want: "en"},
		{name: "UserChoiceWinsOverBrowser", choice: "en", accept: "de", want: "en"},
		{name: "UserChoiceGerman", choice: "de", accept: "en-US", want: "de"},
		{name: "UnknownChoiceIsEnglish", choice: "fr", accept: "de", want: "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := i18n.Match(tc.choice, tc.accept).Code(); got != tc.want {
				t.Errorf("Match(%q, %q) = %s, want %s", tc.choice, tc.accept, got, tc.want)
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	day := time.Date(2017, 7, 5, 23, 30, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CEST", 2*3600)
	}
	tests := []struct {
		name string
		got  func(l *i18n.Locale) string
		en   string
		de   string
	}{
		{name: "Date", got: func(l *i18n.Locale) string { return l.Date(day) }, en: "2017-07-05", de: "05.07.2017"},
		{name: "ZeroDateBlank", got: func(l *i18n.Locale) string { return l.Date(time.Time{}) }, en: "", de: ""},
		{name: "DateTimeInZone", got: func(l *i18n.Locale) string { return l.DateTime(day, berlin) },
			en: "2017-07-06 01:30", de: "06.07.2017 01:30"},
		{name: "DateTimeNilZoneIsUTC", got: func(l *i18n.Locale) string { return l.DateTime(day, nil) },
			en: "2017-07-05 23:30", de: "05.07.2017 23:30"},
		{name: "IntGrouping", got: func(l *i18n.Locale) string { return l.Int(1234567) }, en: "1,234,567", de: "1.234.567"},
		{name: "NegativeInt", got: func(l *i18n.Locale) string { return l.Int(-1234) }, en: "-1,234", de: "-1.234"},
		{name: "SmallIntUngrouped", got: func(l *i18n.Locale) string { return l.Int(999) }, en: "999", de: "999"},
		{name: "Decimal", got: func(l *i18n.Locale) string { return l.Decimal(1234.5, 2) }, en: "1,234.50", de: "1.234,50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(i18n.For("en")); got != tc.en {
				t.Errorf("en: got %q, want %q", got, tc.en)
			}
			if got := tc.got(i18n.For("de")); got != tc.de {
				t.Errorf("de: got %q, want %q", got, tc.de)
			}
		})
	}
}

func TestTranslate(t *testing.T) {
	msgs := i18n.Messages()
	t.Run("MissingKeyShowsKey", func(t *testing.T) {
		for _, code := range []string{"en", "de"} {
			if got := i18n.For(code).T("no.such.key"); got != "no.such.key" {
				t.Errorf("%s: T(missing) = %q, want the key itself", code, got)
			}
		}
	})
	t.Run("EachLocaleUsesItsCatalog", func(t *testing.T) {
		for _, code := range []string{"en", "de"} {
			l := i18n.For(code)
			for _, k := range i18n.Keys() {
				text, ok := msgs[code][k]
				if !ok || len(verbs(text)) > 0 {
					continue
				}
				if got := l.T(k); got != text {
					t.Errorf("%s: T(%q) = %q, want %q", code, k, got, text)
				}
			}
		}
	})
	t.Run("ArgumentsFormattedPerLocale", func(t *testing.T) {
		// Find a key taking one number, and check that it is grouped the
		// locale's way inside the sentence.
		for _, k := range i18n.Keys() {
			if v := verbs(msgs["en"][k]); len(v) != 1 || v[0] != "%d" {
				continue
			}
			for _, code := range []string{"en", "de"} {
				l := i18n.For(code)
				got := l.T(k, 1234567)
				if !strings.Contains(got, l.Int(1234567)) {
					t.Errorf("%s: T(%q, 1234567) = %q, want the number written %q", code, k, got, l.Int(1234567))
				}
			}
			return
		}
		t.Skip("no catalog key takes a single integer argument")
	})
	t.Run("PluralFormsChosenByCount", func(t *testing.T) {
		// Plural entries are flattened as "form | form" in Messages.
		found := 0
		for _, k := range i18n.Keys() {
			if !strings.Contains(msgs["en"][k], " | ") {
				continue
			}
			found++
			for _, code := range []string{"en", "de"} {
				l := i18n.For(code)
				one, many := l.T(k, 1), l.T(k, 7)
				if !strings.Contains(one, "1") || !strings.Contains(many, "7") {
					t.Errorf("%s: T(%q, 1) = %q, T(%q, 7) = %q; want the counts in the text", code, k, one, k, many)
				}
				if strings.Contains(one, "|") || strings.Contains(many, "|") || strings.Contains(one, "%!") {
					t.Errorf("%s: T(%q) shows the raw plural forms: %q / %q", code, k, one, many)
				}
				if strings.Replace(one, "1", "N", 1) == strings.Replace(many, "7", "N", 1) {
					t.Errorf("%s: T(%q) reads the same for 1 and 7 (%q); want singular and plural", code, k, one)
				}
			}
		}
		if found == 0 {
			t.Skip("the catalog has no plural entries")
		}
	})
	t.Run("UnknownCodeIsEnglish", func(t *testing.T) {
		if got := i18n.For("xx").Code(); got != "en" {
			t.Errorf("For(xx) = %s, want en", got)
		}
		if got := i18n.For("DE").Code(); got != "de" {
			t.Errorf("For(DE) = %s, want de", got)
		}
	})
}
