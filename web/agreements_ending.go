package web

import (
	"patentdesk/internal/i18n"
	"patentdesk/internal/sqlite"
)

// resolveEndingFilter reads the filter behind the start page's "ending
// within 90/180 days": the agreements in force on ending_from that come
// to an end from then to ending_by (sqlite.AgreementsEnding). It has no
// field of its own in the form, which carries it on hidden, so the list
// says in a note what it holds.
func resolveEndingFilter(l *i18n.Locale, q agreementQuery, r *agreementListFilter) {
	from, err1 := parseFormDate(q.EndingFrom)
	by, err2 := parseFormDate(q.EndingBy)
	if err1 != nil || err2 != nil || by.Before(from) {
		r.errs["ending_by"] = l.T("agreements.ending.invalid")
		return
	}
	r.filter.Ending = &sqlite.AgreementsEnding{On: from, Last: by}
	r.notes = append(r.notes, l.T("agreements.ending.note", l.Date(from.Time()), l.Date(by.Time())))
}
