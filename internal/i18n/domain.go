package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The domain and storage layers write their messages in English with fmt
// (`"%s is not a date in the form YYYY-MM-DD"`). locales/domain.<code>.json
// maps each such English format, exactly as written in the Go source, to the
// locale's format. Its name does not start with a locale code, so load does
// not take it for a key catalog.

// domains holds the domain catalog of each locale that has one.
var domains = mustLoadDomains()

// domainFormat is one English format compiled for matching whole messages.
type domainFormat struct {
	english string
	pattern *regexp.Regexp // anchored; one group per verb
	verbs   []byte         // the verb of each group, in order: d, x, X, q, s or v
	local   string         // the locale's format, fed the same arguments
}

// domainVerbRE finds the fmt verbs a domain format may use: flags and width are
// allowed, explicit argument indexes only in translations.
var domainVerbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// verbGroups gives the text each verb can produce.
var verbGroups = map[byte]string{
	'd': `(-?\d+)`,
	'x': `([0-9a-f]+)`,
	'X': `([0-9A-F]+)`,
	's': `(.+?)`,
	'v': `(.+?)`,
	'q': `("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)+')`, // %q of a string or of a rune
}

func mustLoadDomains() map[string][]*domainFormat {
	d, err := loadDomains(localeFiles)
	if err != nil {
		panic(err)
	}
	return d
}

// loadDomains reads locales/domain.<code>.json and compiles its formats,
// longest English format first so that a specific format is tried before a
// generic one it also matches.
func loadDomains(fsys fs.FS) (map[string][]*domainFormat, error) {
	files, err := fs.Glob(fsys, "locales/domain.*.json")
	if err != nil {
		return nil, err
	}
	out := map[string][]*domainFormat{}
	for _, file := range files {
		code := strings.TrimSuffix(strings.TrimPrefix(path.Base(file), "domain."), ".json")
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", file, err)
		}
		entries, err := decodeDomain(b)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", file, err)
		}
		var list []*domainFormat
		for en, local := range entries {
			f, err := compileDomain(en)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s %q: %w", file, en, err)
			}
			f.local = local
			list = append(list, f)
		}
		sort.Slice(list, func(i, j int) bool {
			a, b := list[i].english, list[j].english
			if len(a) != len(b) {
				return len(a) > len(b)
			}
			return a < b
		})
		out[code] = list
	}
	return out, nil
}

// decodeDomain reads a JSON object of strings, refusing a key given twice
// (encoding/json would silently keep the last).
func decodeDomain(b []byte) (map[string]string, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	out := map[string]string{}
	for dec.More() {
		var k, v string
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k = t.(string)
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("key %q is defined twice", k)
		}
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%q has an empty translation", k)
		}
		out[k] = v
	}
	return out, nil
}

// compileDomain turns an English format into an anchored pattern: literal
// text matches itself, each verb the text it can produce.
func compileDomain(format string) (*domainFormat, error) {
	f := &domainFormat{english: format}
	var re strings.Builder
	re.WriteString("^")
	last := 0
	for _, loc := range domainVerbRE.FindAllStringIndex(format, -1) {
		re.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
		last = loc[1]
		verb := format[loc[1]-1]
		if verb == '%' {
			re.WriteString("%")
			continue
		}
		if strings.Contains(format[loc[0]:loc[1]], "[") {
			return nil, fmt.Errorf("an English format cannot use explicit argument indexes")
		}
		group, ok := verbGroups[verb]
		if !ok {
			return nil, fmt.Errorf("verb %s is not supported (use %%d, %%s, %%v, %%q, %%x or %%X)", format[loc[0]:loc[1]])
		}
		re.WriteString(group)
		f.verbs = append(f.verbs, verb)
	}
	re.WriteString(regexp.QuoteMeta(format[last:]))
	re.WriteString("$")
	var err error
	f.pattern, err = regexp.Compile(re.String())
	return f, err
}

// Domain shows a message written by the domain or storage layer (validation,
// number parsing, import rows), which speak English, in the locale's
// language where the catalog knows the sentence, else as written.
func (l *Locale) Domain(msg string) string {
	formats := domains[l.code]
	if formats == nil {
		return msg
	}
	if out, ok := l.domainSentences(msg); ok {
		return out
	}
	if out, ok := translateDomain(formats, msg, false); ok {
		return out
	}
	// Patent.Validate shows a parse error as a sentence, capitalized and
	// with a full stop: translate the message and do the same.
	if body, ok := strings.CutSuffix(msg, "."); ok {
		if out, ok := translateDomain(formats, lowerFirst(body), false); ok {
			return upperFirst(out) + "."
		}
	}
	return msg
}

// domainSentences translates a message of several sentences, such as one
// per unknown patent number of a pasted list, sentence by sentence — but
// only when the catalog knows every one of them, since a full stop inside a
// name ("Xiaomi Inc. Beijing") is no end of a sentence.
func (l *Locale) domainSentences(msg string) (string, bool) {
	sentences := splitSentences(msg)
	if len(sentences) < 2 {
		return "", false
	}
	for i, s := range sentences {
		out := l.Domain(s)
		if out == s {
			return "", false
		}
		sentences[i] = out
	}
	return strings.Join(sentences, " "), true
}

// splitSentences cuts msg after each full stop that a space and a capital
// letter follow.
func splitSentences(msg string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(msg); i++ {
		if msg[i] == '.' && msg[i+1] == ' ' && msg[i+2] >= 'A' && msg[i+2] <= 'Z' {
			out = append(out, msg[start:i+1])
			start = i + 2
		}
	}
	return append(out, msg[start:])
}

// translateDomain renders msg with the first format that matches it whole.
// Each %s or %v value is itself translated when it is catalog text, such as
// "2 patents and 1 subsidiary" inside a longer message. Inside another
// message (nested) a text matches only when all of it is catalog text, its
// own %s and %v values included, so that a company called "Smith and Jones"
// keeps its name; numbers, %q values and quoted input ("EP 123") are data.
func translateDomain(formats []*domainFormat, msg string, nested bool) (string, bool) {
	for _, f := range formats {
		m := f.pattern.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		args, ok := f.args(formats, m[1:], nested)
		if !ok {
			continue
		}
		return fmt.Sprintf(f.local, args...), true
	}
	return "", false
}

// args converts the captured texts into the values fmt needs to write them
// again in the locale's format.
func (f *domainFormat) args(formats []*domainFormat, texts []string, nested bool) ([]any, bool) {
	args := make([]any, len(texts))
	for i, text := range texts {
		switch f.verbs[i] {
		case 'd':
			n, err := strconv.Atoi(text)
			if err != nil {
				return nil, false
			}
			args[i] = n
		case 'x', 'X':
			n, err := strconv.ParseUint(text, 16, 64)
			if err != nil {
				return nil, false
			}
			args[i] = n
		case 'q':
			s, err := strconv.Unquote(text)
			if err != nil {
				return nil, false
			}
			args[i] = s
			if text[0] == '\'' {
				args[i], _ = utf8.DecodeRuneInString(s) // %q of a rune quotes it with '
			}
		default: // s, v
			if out, ok := translateDomain(formats, text, true); ok {
				args[i] = out
			} else if nested && !isQuoted(text) {
				return nil, false
			} else {
				args[i] = text
			}
		}
	}
	return args, true
}

// isQuoted reports whether s is one Go-quoted string, as the domain quotes
// user input.
func isQuoted(s string) bool {
	_, err := strconv.Unquote(s)
	return err == nil && s[0] == '"'
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// DomainFormat writes a sentence the domain composed as a format and its
// values (the rights engine's explanations): the locale's translation of
// the format where the catalog has one, else the English format, fed args
// the caller has already put in the locale's form (dates, lists).
func (l *Locale) DomainFormat(format string, args ...any) string {
	for _, f := range domains[l.code] {
		if f.english == format {
			return fmt.Sprintf(f.local, args...)
		}
	}
	return fmt.Sprintf(format, args...)
}
