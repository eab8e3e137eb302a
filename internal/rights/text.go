package rights

import (
	"fmt"
	"strconv"
	"strings"

	"patentdesk/internal/licensing"
)

// Text is one sentence of an explanation: an English format with its
// values, kept apart so that a reader in another language gets the
// sentence translated and its dates and lists in their own form. Values
// are strings, ints, licensing.Date, []string, []licensing.Activity,
// PatentNumber, Country, Territories and Text.
type Text struct {
	Format string
	Args   []any
}

// PatentNumber is a patent's normalized number in a sentence: the API and
// the command line give it as stored (EP3158812B1), a page in the notation
// it shows numbers in (EP 3158812 B1), as its headline names the patent.
type PatentNumber string

// Country is the country a question asks about, in a sentence: the API
// gives its code (DE), a page its name in the reader's language.
type Country string

// Territories are a grant's territories in a sentence: codes and aliases
// (EPC, EU) for the API, names for a page.
type Territories []string

// say is how the engine writes a sentence; the message catalog keys
// German translations by its format.
func say(format string, args ...any) Text { return Text{Format: format, Args: args} }

// String renders the sentence in English with ISO dates, as the API and
// the command line give it.
func (t Text) String() string {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		args[i] = EnglishArg(a)
	}
	return EndOnce(fmt.Sprintf(t.Format, args...))
}

// EndOnce keeps a sentence from ending in two full stops where its last
// value is a name that ends in one ("licensed to Apple Inc.").
func EndOnce(s string) string {
	if strings.HasSuffix(s, "..") && !strings.HasSuffix(s, "...") {
		return s[:len(s)-1]
	}
	return s
}

// EnglishArg renders one value of a Text in English: lists joined with
// commas, dates as YYYY-MM-DD.
func EnglishArg(a any) any {
	switch v := a.(type) {
	case []string:
		return strings.Join(v, ", ")
	case Territories:
		return strings.Join(v, ", ")
	case PatentNumber:
		return string(v)
	case Country:
		return string(v)
	case []licensing.Activity:
		words := make([]string, len(v))
		for i, act := range v {
			words[i] = strings.ReplaceAll(string(act), "_", " ")
		}
		return strings.Join(words, ", ")
	case licensing.Date:
		return v.String()
	case Text:
		return v.String()
	}
	return a
}

// Strings renders texts in English.
func Strings(texts []Text) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = t.String()
	}
	return out
}

// itoa writes an id.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
