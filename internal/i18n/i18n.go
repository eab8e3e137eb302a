// Package i18n holds PatentDesk's message catalogs (English and German) and
// formats dates and numbers the way each locale writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Supported lists the languages PatentDesk speaks; the first is the fallback.
var Supported = []language.Tag{language.English, language.German}

var (
	matcher  = language.NewMatcher(Supported)
	catalogs = mustLoad()
	locales  = map[string]*Locale{}
)

func init() {
	for _, tag := range Supported {
		base, _ := tag.Base()
		locales[base.String()] = &Locale{tag: tag, code: base.String(),
			printer: message.NewPrinter(tag, message.Catalog(catalogs.builder))}
	}
}

// Catalog is the set of translated messages, keyed by locale code then key.
type Catalog struct {
	builder  *catalog.Builder
	Messages map[string]map[string]string
}

func mustLoad() *Catalog {
	c, err := load()
	if err != nil {
		panic(err)
	}
	return c
}

// load reads every catalog file of each locale: locales/<code>.json and
// locales/<code>.<area>.json (one file per area of the application, so that
// a screen's texts stay together). A key defined twice is an error.
func load() (*Catalog, error) {
	c := &Catalog{builder: catalog.NewBuilder(catalog.Fallback(language.English)), Messages: map[string]map[string]string{}}
	for _, tag := range Supported {
		base, _ := tag.Base()
		code := base.String()
		files, err := fs.Glob(localeFiles, "locales/"+code+"*.json")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("i18n: no catalog for %s", code)
		}
		msgs := map[string]string{}
		for _, file := range files {
			if name := path.Base(file); name != code+".json" && !strings.HasPrefix(name, code+".") {
				continue // e.g. "de" must not pick up a future "den.json"
			}
			b, err := localeFiles.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", file, err)
			}
			raw := map[string]json.RawMessage{}
			if err := json.Unmarshal(b, &raw); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", file, err)
			}
			for k, v := range raw {
				if _, dup := msgs[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q is defined twice", file, k)
				}
				flat, err := c.add(tag, k, v)
				if err != nil {
					return nil, fmt.Errorf("i18n: %s %q: %w", file, k, err)
				}
				msgs[k] = flat
			}
		}
		c.Messages[code] = msgs
	}
	return c, nil
}

// pluralForms are the CLDR plural categories a catalog entry may give, in
// the order they are tried.
var pluralForms = []string{"=0", "one", "other"}

// add puts one entry into the builder. An entry is a string, or an object
// of plural forms selected by the first argument, e.g.
// {"one": "%d account", "other": "%d accounts"}. It returns the entry as one
// string (plural forms joined with " | "), for checks over the catalog.
func (c *Catalog) add(tag language.Tag, key string, v json.RawMessage) (string, error) {
	var text string
	if err := json.Unmarshal(v, &text); err == nil {
		return text, c.builder.SetString(tag, key, text)
	}
	forms := map[string]string{}
	if err := json.Unmarshal(v, &forms); err != nil {
		return "", errors.New("an entry must be a string or an object of plural forms")
	}
	if forms["other"] == "" {
		return "", errors.New("plural forms need at least \"other\"")
	}
	var cases []any
	var flat []string
	for _, form := range pluralForms {
		if text, ok := forms[form]; ok {
			cases = append(cases, form, text)
			flat = append(flat, text)
			delete(forms, form)
		}
	}
	if len(forms) > 0 {
		return "", fmt.Errorf("unknown plural forms %v (use =0, one, other)", forms)
	}
	return strings.Join(flat, " | "), c.builder.Set(tag, key, plural.Selectf(1, "%d", cases...))
}

// Messages returns the catalog of every supported locale, for tests and tools.
func Messages() map[string]map[string]string { return catalogs.Messages }

// Keys returns the English catalog's keys, sorted.
func Keys() []string {
	keys := make([]string, 0, len(catalogs.Messages["en"]))
	for k := range catalogs.Messages["en"] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Locale translates messages and formats values for one language.
type Locale struct {
	tag     language.Tag
	code    string
	printer *message.Printer
}

// For returns the locale for a code such as "de"; unknown codes get English.
func For(code string) *Locale {
	if l, ok := locales[strings.ToLower(code)]; ok {
		return l
	}
	return locales["en"]
}

// Match picks the locale: the user's own choice when set, otherwise the best
// match for the browser's Accept-Language header, otherwise English.
func Match(choice, acceptLanguage string) *Locale {
	if choice != "" {
		return For(choice)
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return For("en")
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return For("en")
	}
	base, _ := Supported[idx].Base()
	return For(base.String())
}

// Code is the locale's language code, as used in <html lang>.
func (l *Locale) Code() string { return l.code }

// T returns the message for key, formatted with args (fmt verbs; numbers
// get the locale's digit grouping). A missing key shows as the key itself, so
// it is noticed rather than silently blank.
func (l *Locale) T(key string, args ...any) string { return l.printer.Sprintf(key, args...) }

// Date formats a calendar date: 2017-07-05 in English, 05.07.2017 in German.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l.code == "de" {
		return t.Format("02.01.2006")
	}
	return t.Format("2006-01-02")
}

// DateTime formats a moment in the given zone with minutes, as the locale writes it.
func (l *Locale) DateTime(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if zone == nil {
		zone = time.UTC
	}
	t = t.In(zone)
	if l.code == "de" {
		return t.Format("02.01.2006 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// Int formats a whole number with the locale's grouping: 1,234,567 / 1.234.567.
func (l *Locale) Int(n int64) string { return l.printer.Sprint(number.Decimal(n)) }

// Decimal formats a number with exactly prec fraction digits.
func (l *Locale) Decimal(f float64, prec int) string {
	return l.printer.Sprint(number.Decimal(f, number.Scale(prec)))
}

// Has reports whether the catalog has a message for key, for texts chosen
// at run time (field names in the audit trail) that may lack one.
func (l *Locale) Has(key string) bool {
	_, ok := catalogs.Messages[l.code][key]
	return ok
}
