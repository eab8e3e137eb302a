package web

import (
	"strconv"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

// deadlineRow is one deadline as the list shows it: when, what, where it
// stands, and for an editor the forms that mark an obligation's
// occurrence.
func deadlineRow(l *i18n.Locale, d licensing.Deadline, today licensing.Date, canEdit bool) templates.DeadlineRow {
	a := d.Agreement
	r := templates.DeadlineRow{
		Date: d.Date.Time(), DateValue: d.Date.String(), KindValue: string(d.Kind), Kind: l.T("deadlines.kind." + string(d.Kind)),
		StatusValue: string(d.Status), Status: l.T("deadlines.status." + string(d.Status)),
		Overdue: d.Status == licensing.DeadlineOverdue, When: deadlineWhen(l, d, today), IfRenewed: d.IfRenewed(today),
		Agreement: templates.TitleAgreement{ID: a.ID, Reference: a.Reference, Title: a.Title},
		Detail:    deadlineDetail(l, d),
	}
	if d.Kind == licensing.DeadlineExpiry && a.RenewsItself() { // RenewsItself: active, so not terminated
		// Not the end of the agreement unless notice is given: said as the
		// agreement page and the calendar say it.
		r.Kind = l.T("deadlines.kind.expiry_term")
	}
	if d.PatentID != 0 {
		r.Patent = &templates.PatentRef{ID: d.PatentID, Number: d.Patent}
	}
	if o := d.Obligation; o != nil {
		r.Obligation = &templates.DeadlineObligation{ID: o.ID, Title: o.Title, Kind: agreementEnum(l, "obligation_kind", o.Kind),
			Amount: agreementAmount(l, o.Amount, o.Currency),
			Payer:  templates.CompanyRef{ID: o.PayerID, Name: o.Payer}, Payee: templates.CompanyRef{ID: o.PayeeID, Name: o.Payee}}
		if canEdit {
			r.Marks = occurrenceMarks(l, o.ID, d)
		}
	}
	return r
}

// occurrenceMarks are the forms that change what became of an occurrence:
// done or waived while it is to be met, open again once settled — what
// the agreement page offers, posted to the same route.
func occurrenceMarks(l *i18n.Locale, obligationID int64, d licensing.Deadline) []templates.DeadlineMark {
	action := "/obligations/" + strconv.FormatInt(obligationID, 10) + "/occurrences"
	mark := func(status licensing.ObligationStatus, key string) templates.DeadlineMark {
		return templates.DeadlineMark{Action: action, DueOn: d.Date.String(), Status: string(status), Label: l.T(key),
			TestID: "mark-" + string(status)}
	}
	switch d.Status {
	case licensing.DeadlineDone, licensing.DeadlineWaived:
		return []templates.DeadlineMark{mark(licensing.ObligationOpen, "deadlines.mark.reopen")}
	}
	return []templates.DeadlineMark{mark(licensing.ObligationDone, "deadlines.mark.done"), mark(licensing.ObligationWaived, "deadlines.mark.waive")}
}

// deadlineWhen says in words how far the deadline lies from today: "in 45
// days", "today", "3 days ago", and for an overdue occurrence how long it
// has been overdue. Past deadlineDayWords days it counts whole months, and
// past two years whole years: the date itself stands beside it.
func deadlineWhen(l *i18n.Locale, d licensing.Deadline, today licensing.Date) string {
	days := daysBetween(today, d.Date)
	dir := "in"
	switch {
	case d.Status == licensing.DeadlineOverdue:
		dir = "overdue"
	case days == 0:
		return l.T("deadlines.when.today")
	case days == 1:
		return l.T("deadlines.when.tomorrow")
	case days == -1:
		return l.T("deadlines.when.yesterday")
	case days < 0:
		dir = "ago"
	}
	if days < 0 {
		days = -days
	}
	if days <= deadlineDayWords {
		return l.T("deadlines.when."+dir, days)
	}
	early, late := today, d.Date
	if late.Before(early) {
		early, late = late, early
	}
	months := 0
	for !early.AddMonths(months + 1).After(late) {
		months++
	}
	if months < 24 {
		return l.T("deadlines.when."+dir+"_months", months)
	}
	return l.T("deadlines.when."+dir+"_years", months/12)
}

// deadlineDayWords is how many days away a deadline is still counted in
// days.
const deadlineDayWords = 99

// deadlineDetail says what a deadline of an agreement's term means, its
// dates and periods kept on one line; an obligation's and a patent's
// speak for themselves.
func deadlineDetail(l *i18n.Locale, d licensing.Deadline) templates.Words {
	a := d.Agreement
	switch d.Kind {
	case licensing.DeadlineExpiry:
		switch {
		case a.Status == licensing.AgreementTerminated:
			return keepTogether(l.T("deadlines.detail.expiry_terminated"))
		case a.RenewsItself():
			months := l.T("deadlines.detail.months", a.RenewalMonths)
			return keepTogether(l.T("deadlines.detail.expiry_term", months), months)
		}
		return keepTogether(l.T("deadlines.detail.expiry"))
	case licensing.DeadlineNotice:
		days, end := l.T("deadlines.detail.notice_days", a.NoticeDays), l.Date(d.TermEndsOn.Time())
		return keepTogether(l.T("deadlines.detail.notice", days, end), days, end)
	case licensing.DeadlineRenewal:
		end := l.Date(d.TermEndsOn.Time())
		return keepTogether(l.T("deadlines.detail.renewal", end), end)
	case licensing.DeadlinePatentExpiry:
		return keepTogether(l.T("deadlines.detail.patent_expiry"))
	}
	return nil
}

// keepTogether is a sentence whose parts (dates, "90 days") are not to be
// broken across lines.
func keepTogether(text string, parts ...string) templates.Words {
	var w templates.Words
	for text != "" {
		at, part := len(text), ""
		for _, p := range parts {
			if i := strings.Index(text, p); p != "" && i >= 0 && i < at {
				at, part = i, p
			}
		}
		if at > 0 {
			w = append(w, templates.WordsRun{Text: text[:at]})
		}
		if part == "" {
			break
		}
		w = append(w, templates.WordsRun{Text: part, Nowrap: true})
		text = text[at+len(part):]
	}
	return w
}
