package web

import (
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
)

// A grant in plain words, as a term sheet states it: "Nokia Corporation and
// its affiliates grant Xiaomi Corporation and its affiliates a non-exclusive,
// non-sublicensable licence to make, use, sell, offer to sell and import,
// worldwide, in the field of mobile devices, under all their patents on
// 3GPP LTE owned at any time from 2000-01-01 to 2017-07-05, from 2017-07-05
// to 2024-07-04, royalty-bearing". Every word comes from the catalog
// (grant.words.*), so that German reads as German; dates are in the
// reader's locale.

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

// plainGrant states grant g of agreement a in plain words; parent names the
// grant it sublicenses (nil when it is no sublicence, or that grant cannot
// be read).
func plainGrant(l *i18n.Locale, a *licensing.Agreement, g *licensing.Grant, parent *plainParent) string {
	group := g.LicensorAffiliates && g.Scope.Kind == licensing.ScopePortfolio
	licensor, head := g.Licensor, "grant.words.head.one"
	if group {
		licensor, head = l.T("grant.words.licensor_group", g.Licensor), "grant.words.head.group"
	}
	licensee := g.Licensee
	if g.LicenseeAffiliates {
		licensee = l.T("grant.words.licensee_group", g.Licensee)
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
		plainTerm(l, g.Start(a), g.Finish(a)),
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
			parts = append(parts, l.T("grant.words.sublicence", parent.Licensor, parent.Licensee, parent.Agreement))
		} else {
			parts = append(parts, l.T("grant.words.sublicence_of", strconv.FormatInt(g.ParentGrantID, 10)))
		}
	}
	return strings.Join(parts, ", ")
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
			words = append(words, string(act))
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
		switch c {
		case licensing.TerritoryEU:
			names[i] = l.T("grant.words.territory.eu")
		case licensing.TerritoryEPC:
			names[i] = l.T("grant.words.territory.epc")
		default:
			names[i] = c
		}
	}
	return l.T("grant.words.territories", plainAnd(l, names))
}

// plainFields says in which fields of use; none means every field.
func plainFields(l *i18n.Locale, fields []string) string {
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
			numbers[i] = p.Number
		}
		return l.T("grant.words.scope.patents", len(numbers)) + " (" + plainListed(l, numbers) + ")"
	case licensing.ScopeFamilies:
		return l.T("grant.words.scope.families", len(s.Families)) + " (" + plainListed(l, s.Families) + ")"
	}
	var narrow strings.Builder
	if len(s.Standards) > 0 {
		narrow.WriteString(l.T("grant.words.scope.standards", plainOr(l, s.Standards)))
	}
	if len(s.Tags) > 0 {
		narrow.WriteString(l.T("grant.words.scope.tags", plainOr(l, s.Tags)))
	}
	if len(s.Offices) > 0 {
		narrow.WriteString(l.T("grant.words.scope.offices", plainOr(l, s.Offices)))
	}
	date := func(d licensing.Date) string { return l.Date(d.Time()) }
	var capture string
	switch {
	case !s.CaptureFrom.IsZero() && !s.CaptureTo.IsZero():
		capture = l.T("grant.words.capture.window", date(s.CaptureFrom), date(s.CaptureTo))
	case !s.CaptureFrom.IsZero():
		capture = l.T("grant.words.capture.from", date(s.CaptureFrom))
	case !s.CaptureTo.IsZero():
		capture = l.T("grant.words.capture.to", date(s.CaptureTo))
	default:
		capture = l.T("grant.words.capture.ever")
	}
	key := "grant.words.scope.portfolio.one"
	if group {
		key = "grant.words.scope.portfolio.group"
	}
	return l.T(key, narrow.String(), capture)
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

// plainTerm says for how long: from the grant's start to its finish, or
// until the last licensed patent expires.
func plainTerm(l *i18n.Locale, start, finish licensing.Date) string {
	date := func(d licensing.Date) string { return l.Date(d.Time()) }
	switch {
	case !start.IsZero() && !finish.IsZero():
		return l.T("grant.words.term.range", date(start), date(finish))
	case !start.IsZero():
		return l.T("grant.words.term.open", date(start))
	case !finish.IsZero():
		return l.T("grant.words.term.until", date(finish))
	}
	return l.T("grant.words.term.agreement")
}
