package templates

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ/parser/v2"
)

// letters finds a word in any script: text a reader would read.
var letters = regexp.MustCompile(`\p{L}{2,}`)

// notWords are the words a template may write as they are, in every
// language: the product's name and symbols that are not translated.
var notWords = map[string]bool{"PatentDesk": true, "iCalendar": true, "Outlook": true, "Thunderbird": true, "SHA": true}

// codes are country, office and format codes (DE, EP, CSV), the same in
// every language.
var codes = regexp.MustCompile(`^\p{Lu}{2,4}$`)

// visibleAttributes are the attributes a user reads or hears.
// An input's value is a form value, not text, except on a button.
var visibleAttributes = map[string]bool{"title": true, "placeholder": true, "aria-label": true, "alt": true, "label": true}

// TestTemplatesHaveNoBareText walks every template and fails on text, or a
// visible attribute, written into the template as a literal instead of
// through the message catalog: such a string would stay English on the
// German screens.
func TestTemplatesHaveNoBareText(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found (%v)", err)
	}
	seen := 0
	for _, file := range files {
		tf, err := parser.Parse(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, n := range tf.Nodes {
			if ht, ok := n.(*parser.HTMLTemplate); ok {
				walkBareText(t, file, ht.Children, &seen)
			}
		}
	}
	if seen == 0 {
		t.Fatal("saw no elements; the walk is broken")
	}
}

func walkBareText(t *testing.T, file string, nodes []parser.Node, seen *int) {
	t.Helper()
	for _, n := range nodes {
		switch n := n.(type) {
		case *parser.Text:
			reportWords(t, file, n.Range.From.Line, "text", n.Value)
		case *parser.Element:
			*seen++
			if n.Name == "script" || n.Name == "style" || n.Name == "code" || n.Name == "pre" {
				continue // code examples are the same in every language
			}
			button := false
			for _, a := range n.Attributes {
				if ca, ok := a.(*parser.ConstantAttribute); ok && ca.Key.String() == "type" {
					// <button value> is sent, not shown; <input type=submit value> is shown.
					button = n.Name == "input" && (ca.Value == "submit" || ca.Value == "button" || ca.Value == "reset")
				}
			}
			for _, a := range n.Attributes {
				ca, ok := a.(*parser.ConstantAttribute)
				if ok && (visibleAttributes[ca.Key.String()] || button && ca.Key.String() == "value") {
					reportWords(t, file, n.Range.From.Line, ca.Key.String()+"=", ca.Value)
				}
			}
		}
		if c, ok := n.(parser.CompositeNode); ok {
			walkBareText(t, file, c.ChildNodes(), seen)
		}
	}
}

func reportWords(t *testing.T, file string, line uint32, what, s string) {
	t.Helper()
	for _, w := range letters.FindAllString(s, -1) {
		if !notWords[w] && !codes.MatchString(w) {
			t.Errorf("%s:%d: %s %q is not from the message catalog", file, line+1, what, strings.TrimSpace(s))
			return
		}
	}
}
