package web

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

// A grant in plain words, as a term sheet states it: "Nokia Corporation and
// its affiliates grant Xiaomi Corporation and its affiliates a non-exclusive,
// non-sublicensable licence to make, use, sell, offer to sell and import,
// worldwide, in the field of mobile devices, under all their patents on
// 3GPP LTE owned at any time from 2000-01-01 to 2017-07-05, from 2017-07-05
// to 2024-07-04, royalty-bearing". Every word comes from the catalog
// (grant.words.*), so that German reads as German; dates are in the
// reader's locale, patent numbers spaced for reading, countries named in
// the reader's language. A grant of an unsigned agreement "would grant".

// plainParent names the grant a sublicence is granted under.
type plainParent struct {
	ID        int64
	Licensor  string
	Licensee  string
	Agreement string // the parent grant's agreement, by reference
}

// plainListedMax is how many patent numbers or family keys a sentence
// lists before it says how many more there are.
const plainListedMax = 20

// Marks that travel through the catalog's formatting with the text they
// enclose: a date or number to keep on one line, a deadline to stand out.
// They are private-use characters, removed from whatever the user typed.
const (
	keepOpen    = "\ue000"
	keepClose   = "\ue001"
	strongOpen  = "\ue002"
	strongClose = "\ue003"
)

var unmark = strings.NewReplacer(keepOpen, "", keepClose, "", strongOpen, "", strongClose, "")

// plainText is text the user typed, with any marks taken out.
func plainText(s string) string { return unmark.Replace(s) }

// keep marks s (a date, a number) to be kept on one line.
func keep(s string) string { return keepOpen + plainText(s) + keepClose }

// strong marks s to stand out.
func strong(s string) string { return strongOpen + s + strongClose }

// plainDate is a date in the reader's locale, kept on one line.
func plainDate(l *i18n.Locale, d licensing.Date) string { return keep(l.Date(d.Time())) }

// plainWords splits a marked sentence into its runs.
func plainWords(s string) templates.Words {
	var out templates.Words
	var run templates.WordsRun
	flush := func() {
		if run.Text != "" {
			out = append(out, run)
		}
		run.Text = ""
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, keepOpen+keepClose+strongOpen+strongClose)
		if i < 0 {
			run.Text += s
			break
		}
		run.Text += s[:i]
		flush()
		mark := s[i : i+len(keepOpen)] // every mark is one three-byte rune
		switch mark {
		case keepOpen:
			run.Nowrap = true
		case keepClose:
			run.Nowrap = false
		case strongOpen:
			run.Strong = true
		case strongClose:
			run.Strong = false
		}
		s = s[i+len(mark):]
	}
	flush()
	return out
}

// plainGrant states grant g of agreement a in plain words, as runs for the
// page; parent names the grant it sublicenses (nil when it is no
// sublicence, or that grant cannot be read). today places the running
// term of a renewing agreement.
func plainGrant(l *i18n.Locale, a *licensing.Agreement, g *licensing.Grant, parent *plainParent, today licensing.Date) templates.Words {
	group := g.LicensorAffiliates && g.Scope.Kind == licensing.ScopePortfolio
	licensor, head := plainText(g.Licensor), "grant.words.head.one"
	if group {
		licensor, head = l.T("grant.words.licensor_group", licensor), "grant.words.head.group"
	}
	if !a.Status.Signed() {
		head += ".proposed"
	}
	licensee := plainText(g.Licensee)
	if g.LicenseeAffiliates {
		licensee = l.T("grant.words.licensee_group", licensee)
	}
	sub := "grant.words.not_sublicensable"
	if g.Sublicensable {
		sub = "grant.words.sublicensable"
	}
	parts := []string{
		l.T(head, licensor, licensee, l.T("grant.words.exclusivity."+string(g.Exclusivity)), l.T(sub), plainActivities(l, g.Activities)),
		plainTerritories(l, g.Territories),
		plainFields(l, g.Fields),
		plainScope(l, &g.Scope, group),
		plainTerm(l, a, g, today),
	}
	if g.RoyaltyBearing {
		parts = append(parts, l.T("grant.words.royalty_bearing"))
	} else {
		parts = append(parts, l.T("grant.words.royalty_free"))
	}
	if g.PastRelease {
		parts = append(parts, l.T("grant.words.past_release"))
	}
	if g.ParentGrantID != 0 {
		if parent != nil {
			parts = append(parts, l.T("grant.words.sublicence", keep(strconv.FormatInt(parent.ID, 10)), keep(plainText(parent.Agreement)),
				plainText(parent.Licensor), plainText(parent.Licensee)))
		} else {
			parts = append(parts, l.T("grant.words.sublicence_of", keep(strconv.FormatInt(g.ParentGrantID, 10))))
		}
	}
	return plainWords(strings.Join(parts, ", "))
}

// plainAnd joins items as "a, b and c" in the locale's words.
func plainAnd(l *i18n.Locale, items []string) string {
	return plainJoin(l, "grant.words.and", items)
}

// plainOr joins items as "a, b or c".
func plainOr(l *i18n.Locale, items []string) string {
	return plainJoin(l, "grant.words.or", items)
}

func plainJoin(l *i18n.Locale, key string, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return l.T(key, strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// plainTexts is what the user typed, with any marks taken out.
func plainTexts(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = plainText(s)
	}
	return out
}

// plainActivities says what the licensee may do; no activities means all.
func plainActivities(l *i18n.Locale, acts []licensing.Activity) string {
	if len(acts) == 0 {
		return l.T("grant.words.activities.all")
	}
	var words []string
	for _, act := range licensing.Activities { // in the order a licence names them
		if slices.Contains(acts, act) {
			words = append(words, l.T("grant.words.activity."+string(act)))
		}
	}
	for _, act := range acts { // anything the domain does not know, as stored
		if !slices.Contains(licensing.Activities, act) {
			words = append(words, plainText(string(act)))
		}
	}
	return l.T("grant.words.activities", plainAnd(l, words))
}

// plainTerritories says where; no territory, or WORLD, is worldwide.
func plainTerritories(l *i18n.Locale, codes []string) string {
	if len(codes) == 0 || slices.Contains(codes, licensing.TerritoryWorld) {
		return l.T("grant.words.worldwide")
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = plainTerritory(l, c)
	}
	return l.T("grant.words.territories", plainAnd(l, names))
}

// plainTerritory names a territory in the reader's language: EU and EPC in
// words, a country by its name (the catalog's grant.words.country.<code>
// where the name needs an article, "the United States", "der Schweiz"),
// an unknown code as it is.
func plainTerritory(l *i18n.Locale, code string) string {
	switch code {
	case licensing.TerritoryEU:
		return l.T("grant.words.territory.eu")
	case licensing.TerritoryEPC:
		return l.T("grant.words.territory.epc")
	}
	if key := "grant.words.country." + code; l.Has(key) {
		return l.T(key)
	}
	region, err := language.ParseRegion(code)
	if err != nil || !licensing.ValidCountry(code) {
		return keep(plainText(code))
	}
	names := display.English.Regions()
	if l.Code() == "de" {
		names = display.German.Regions()
	}
	if name := names.Name(region); name != "" {
		return name
	}
	return keep(code)
}

// plainFields says in which fields of use; none means every field.
func plainFields(l *i18n.Locale, fields []string) string {
	fields = plainTexts(fields)
	switch len(fields) {
	case 0:
		return l.T("grant.words.fields.all")
	case 1:
		return l.T("grant.words.field", fields[0])
	}
	return l.T("grant.words.fields", plainAnd(l, fields))
}

// plainScope says under which patents; group is true when the licensor's
// affiliates' patents are taken in too.
func plainScope(l *i18n.Locale, s *licensing.GrantScope, group bool) string {
	switch s.Kind {
	case licensing.ScopePatents:
		numbers := make([]string, len(s.Patents))
		for i, p := range s.Patents {
			numbers[i] = keep(patentDisplayNumber(p.Number))
		}
		return l.T("grant.words.scope.patents", len(numbers)) + " (" + plainListed(l, numbers) + ")"
	case licensing.ScopeFamilies:
		keys := make([]string, len(s.Families))
		for i, f := range s.Families {
			keys[i] = keep(f)
		}
		return l.T("grant.words.scope.families", len(keys)) + " (" + plainListed(l, keys) + ")"
	}
	var narrow strings.Builder
	if len(s.Standards) > 0 {
		standards := make([]string, len(s.Standards)) // names such as 3GPP LTE, kept whole
		for i, st := range s.Standards {
			standards[i] = keep(st)
		}
		narrow.WriteString(l.T("grant.words.scope.standards", plainOr(l, standards)))
	}
	if len(s.Tags) > 0 {
		narrow.WriteString(l.T("grant.words.scope.tags", plainOr(l, plainTexts(s.Tags))))
	}
	if len(s.Offices) > 0 {
		narrow.WriteString(l.T("grant.words.scope.offices", plainOr(l, plainTexts(s.Offices))))
	}
	var capture string
	switch {
	case !s.CaptureFrom.IsZero() && !s.CaptureTo.IsZero():
		capture = l.T(plainGroup(group, "grant.words.capture.window.one", "grant.words.capture.window.group"),
			plainDate(l, s.CaptureFrom), plainDate(l, s.CaptureTo))
	case !s.CaptureFrom.IsZero():
		capture = l.T(plainGroup(group, "grant.words.capture.from.one", "grant.words.capture.from.group"), plainDate(l, s.CaptureFrom))
	case !s.CaptureTo.IsZero():
		capture = l.T(plainGroup(group, "grant.words.capture.to.one", "grant.words.capture.to.group"), plainDate(l, s.CaptureTo))
	default:
		capture = l.T(plainGroup(group, "grant.words.capture.ever.one", "grant.words.capture.ever.group"))
	}
	return l.T(plainGroup(group, "grant.words.scope.portfolio.one", "grant.words.scope.portfolio.group"), narrow.String(), capture)
}

// plainGroup chooses the wording for one licensor or for a licensor with
// its affiliates: German says "war" or "waren".
func plainGroup(group bool, one, many string) string {
	if group {
		return many
	}
	return one
}

// plainListed lists numbers or keys, the first plainListedMax of them and
// then how many more.
func plainListed(l *i18n.Locale, items []string) string {
	if len(items) <= plainListedMax {
		return plainAnd(l, items)
	}
	shown := slices.Clone(items[:plainListedMax])
	return plainAnd(l, append(shown, l.T("grant.words.more", len(items)-plainListedMax)))
}

// plainTerm says for how long: from the grant's start to its finish; for
// the term of an agreement that renews itself until terminated, with the
// end of the running term; or until the last licensed patent expires.
func plainTerm(l *i18n.Locale, a *licensing.Agreement, g *licensing.Grant, today licensing.Date) string {
	start, finish := g.Start(a), g.Finish(a)
	if finish.IsZero() && a.RenewalMonths > 0 {
		if current := a.TermEndOn(today); !current.IsZero() {
			every := l.T("grant.words.renewal_every", a.RenewalMonths)
			if start.IsZero() {
				return l.T("grant.words.term.renewing", every, plainDate(l, current))
			}
			return l.T("grant.words.term.renewing_from", plainDate(l, start), every, plainDate(l, current))
		}
	}
	switch {
	case !start.IsZero() && !finish.IsZero():
		return l.T("grant.words.term.range", plainDate(l, start), plainDate(l, finish))
	case !start.IsZero():
		return l.T("grant.words.term.open", plainDate(l, start))
	case !finish.IsZero():
		return l.T("grant.words.term.until", plainDate(l, finish))
	}
	return l.T("grant.words.term.agreement")
}
