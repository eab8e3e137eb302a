package web

import (
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/rights"
)

// renewalNote is what a basis's last day rests on when it lies beyond the
// running term of an agreement that renews itself: "if renewed · current
// term ends 05.04.2027, notice by 05.01.2027", as the agreement's page
// states the term, for a question asked about day on. Empty otherwise.
func renewalNote(l *i18n.Locale, r rights.Renewal, on licensing.Date) string {
	switch {
	case r.IsZero():
		return ""
	case r.NoticeBy.IsZero():
		return l.T("rights.renewal.note_no_notice", l.Date(r.TermEndsOn.Time()))
	case r.NoticeBy.Before(on):
		return l.T("rights.renewal.note_passed", l.Date(r.TermEndsOn.Time()), l.Date(r.NoticeBy.Time()))
	}
	return l.T("rights.renewal.note", l.Date(r.TermEndsOn.Time()), l.Date(r.NoticeBy.Time()))
}
