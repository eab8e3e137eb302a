// Package templates holds PatentDesk's templ components: the layout, shared
// pieces and one file per page. Components receive plain view data and
// never query anything.
package templates

import (
	"time"

	"patentdesk/internal/i18n"
)

// Page is the data every page shares: who is signed in, in which language,
// and what the layout needs around the page's own content.
type Page struct {
	L       *i18n.Locale
	Title   string // already translated
	Section string // the navigation entry to mark as current
	User    *UserView
	Flash   string // already translated; shown once
	Demo    string // the catalog key of the demo data set's banner; "" for real data
	Asset   func(name string) string
	Path    string // the current path, to return to after switching language
	Today   time.Time
}

// UserView is the signed-in user as the layout shows them.
type UserView struct {
	Name    string
	Email   string
	Role    string
	IsAdmin bool
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Section string
	Href    string
	Label   string // catalog key
}

// Nav is the main navigation of the whole application, in order.
var Nav = []NavItem{
	{"dashboard", "/", "nav.dashboard"},
	{"companies", "/companies", "nav.companies"},
	{"patents", "/patents", "nav.patents"},
	{"agreements", "/agreements", "nav.agreements"},
	{"deadlines", "/deadlines", "nav.deadlines"},
	{"rights", "/rights", "nav.rights"},
	{"reports", "/reports", "nav.reports"},
}

// FieldErrors maps a form field's name to the message shown beside it.
type FieldErrors map[string]string

// Invalid reports whether the field has an error, for aria-invalid.
func (f FieldErrors) Invalid(field string) string {
	if _, ok := f[field]; ok {
		return "true"
	}
	return ""
}

// otherLocale is the language the switcher offers.
func otherLocale(p Page) string {
	if p.L.Code() == "de" {
		return "en"
	}
	return "de"
}
