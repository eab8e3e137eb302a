package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The agreement page as a term sheet: what the store holds, turned into
// what a lawyer reads — labels in the reader's language, every grant in
// plain words, occurrences of each obligation with the overdue ones marked.

// Limits that keep the page one printable sheet per agreement rather than a
// ledger: the occurrences of a long recurrence shown around today, and how
// far ahead an open-ended one is spelled out.
const (
	agreementPastOccurrences     = 12
	agreementUpcomingOccurrences = 12
	agreementOpenEndedYears      = 2
	agreementBreaksRead          = 1000
	// agreementScopeHoldings is how many holdings of a portfolio the page
	// reads to count the patents a grant covers before it says "at least":
	// each is a patent's row read, and a portfolio at a million patents
	// holds tens of thousands (0.2–0.4 s to count in full); the scope link
	// lists them all.
	agreementScopeHoldings = 1000
)

// agreementEnum names a value of one of the domain's enumerations in the
// user's language: enum.<kind>.<value>.
func agreementEnum[T ~string](l *i18n.Locale, kind string, v T) string {
	key := "enum." + kind + "." + string(v)
	if v == "" && kind == "recurrence" {
		key = "enum.recurrence.once"
	}
	if l.Has(key) {
		return l.T(key)
	}
	return string(v)
}

// agreementChoices lists an enumeration's values with their labels.
func agreementChoices[T ~string](l *i18n.Locale, kind string, values []T) []templates.AgreementChoice {
	out := make([]templates.AgreementChoice, len(values))
	for i, v := range values {
		out[i] = templates.AgreementChoice{Value: string(v), Label: agreementEnum(l, kind, v)}
	}
	return out
}

// agreementWarnings says, in the user's language and with dates as they
// write them, what contradicts the agreement's status on date today. The
// domain's StatusWarnings decides; a sentence this page does not know is
// shown through the domain catalog.
func agreementWarnings(l *i18n.Locale, a *licensing.Agreement, today licensing.Date) []string {
	ws := a.StatusWarnings(today)
	out := make([]string, 0, len(ws))
	date := func(d licensing.Date) string { return l.Date(d.Time()) }
	for _, w := range ws {
		switch {
		case a.Status == licensing.AgreementActive && strings.HasPrefix(w, "The status is active, but the term ended"):
			out = append(out, l.T("agreement.warning.active_after_expiry", date(a.ExpiresOn)))
		case a.Status == licensing.AgreementExpired && a.ExpiresOn.IsZero():
			out = append(out, l.T("agreement.warning.expired_without_expiry"))
		case a.Status == licensing.AgreementExpired:
			out = append(out, l.T("agreement.warning.expired_too_early", date(a.ExpiresOn)))
		case (a.Status == licensing.AgreementDraft || a.Status == licensing.AgreementNegotiation) && !a.SignedOn.IsZero():
			out = append(out, l.T("agreement.warning.unsigned_but_signed", agreementEnum(l, "agreement_status", a.Status), date(a.SignedOn)))
		default:
			out = append(out, l.Domain(w))
		}
	}
	return out
}

// agreementLicenceKinds are the kinds whose open end is the expiry of the
// last licensed patent; an open-ended assignment, option, collaboration or
// settlement simply has no fixed expiry.
var agreementLicenceKinds = []licensing.AgreementKind{licensing.KindCrossLicense, licensing.KindLicense, licensing.KindCovenantNotToSue}

// agreementOpenEnd says what an empty expiry date means for a's kind, in
// full for the page or short for the list.
func agreementOpenEnd(l *i18n.Locale, a *licensing.Agreement, short bool) string {
	key := "agreement.expiry.none"
	if slices.Contains(agreementLicenceKinds, a.Kind) {
		key = "agreement.expiry.open"
	}
	if short {
		key += "_short"
	}
	return l.T(key)
}

// agreementRow is an agreement as the list shows it: a renewing agreement
// with the end of its running term.
func agreementRow(l *i18n.Locale, a *licensing.Agreement, today licensing.Date) templates.AgreementRow {
	r := templates.AgreementRow{
		ID: a.ID, Reference: a.Reference, Title: a.Title, Kind: agreementEnum(l, "agreement_kind", a.Kind),
		Status: agreementEnum(l, "agreement_status", a.Status), StatusValue: string(a.Status),
		EffectiveOn: a.EffectiveOn.Time(), ExpiresOn: a.ExpiresOn.Time(), OpenEnd: agreementOpenEnd(l, a, true),
		Warnings: agreementWarnings(l, a, today),
	}
	if a.RenewsUntilTerminated() {
		r.ExpiresOn, r.Renews = a.TermEndOn(today).Time(), true
	}
	for _, p := range a.Parties {
		r.Parties = append(r.Parties, templates.CompanyRef{ID: p.CompanyID, Name: p.Company})
	}
	return r
}

// agreementPageView reads everything the term sheet shows besides the
// agreement itself: the parent's title, amendments, scope counts, title
// breaks, documents and history. allOccurrences shows every occurrence of
// every obligation rather than those around today.
func (s *Server) agreementPageView(ctx context.Context, l *i18n.Locale, a *licensing.Agreement, today licensing.Date, allOccurrences bool) (templates.AgreementPageView, error) {
	v := templates.AgreementPageView{
		ID: a.ID, Reference: a.Reference, Title: a.Title, Kind: agreementEnum(l, "agreement_kind", a.Kind),
		Status: agreementEnum(l, "agreement_status", a.Status), StatusValue: string(a.Status),
		Warnings: agreementWarnings(l, a, today), SignedOn: a.SignedOn.Time(), EffectiveOn: a.EffectiveOn.Time(),
		ExpiresOn: a.ExpiresOn.Time(), OpenEnd: agreementOpenEnd(l, a, false), TerminatedOn: a.TerminatedOn.Time(),
		RenewalMonths: a.RenewalMonths, NoticeDays: a.NoticeDays, GoverningLaw: a.GoverningLaw, Summary: a.Summary,
		CanDelete: a.Status == licensing.AgreementDraft, Proposed: !a.Status.Signed(), AllOccurrences: allOccurrences,
		AllOccurrencesHref: fmt.Sprintf("/agreements/%d?occurrences=all", a.ID),
	}
	agreementTermView(l, a, today, &v)
	for _, p := range a.Parties {
		v.Parties = append(v.Parties, templates.AgreementPartyView{
			Company: templates.CompanyRef{ID: p.CompanyID, Name: p.Company}, Role: agreementEnum(l, "party_role", p.Role)})
	}
	if a.ParentID != 0 {
		v.Parent = &templates.TitleAgreement{ID: a.ParentID, Reference: a.Parent}
		parent, err := s.agreementHead(ctx, a.ParentID)
		if err != nil && !agreementMissing(err) {
			return v, err
		} else if err == nil {
			v.Parent.Title = parent.Title
		}
	}
	amendments, err := s.db.Amendments(ctx, a.ID)
	if err != nil {
		return v, err
	}
	for _, am := range amendments {
		note := agreementEnum(l, "agreement_status", am.Status)
		if !am.EffectiveOn.IsZero() {
			note = l.T("agreement.amendments.note", note, l.Date(am.EffectiveOn.Time()))
		}
		v.Amendments = append(v.Amendments, templates.AgreementAmendment{
			Agreement: templates.TitleAgreement{ID: am.ID, Reference: am.Reference, Title: am.Title}, Note: note})
	}
	if v.Grants, err = s.agreementGrants(ctx, l, a, today); err != nil {
		return v, err
	}
	if v.Assignments, err = s.agreementAssignments(ctx, a); err != nil {
		return v, err
	}
	v.Obligations = agreementObligations(l, a, today, allOccurrences)
	docs, err := s.db.Documents(ctx, a.ID)
	if err != nil {
		return v, err
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, templates.AgreementDocumentView{ID: d.ID, Name: d.Name, Size: agreementFileSize(l, d.Size),
			ContentType: d.ContentType, SHA256: d.SHA256, UploadedAt: d.UploadedAt, UploadedBy: d.UploadedBy})
	}
	v.MaxUploadBytes = agreementFileSize(l, s.cfg.MaxDocumentBytes)
	for _, st := range licensing.AgreementStatuses {
		if st == a.Status || licensing.CanMove(a.Status, st) != nil {
			continue
		}
		if st == licensing.AgreementTerminated {
			v.CanTerminate = true
			continue
		}
		v.Moves = append(v.Moves, templates.AgreementChoice{Value: string(st), Label: agreementEnum(l, "agreement_status", st)})
	}
	v.History, err = s.history(ctx, l, "agreement", a.ID)
	return v, err
}

// agreementTermView fills in the end of the term and the notice deadline
// to watch. A renewing agreement gets one sentence: when the running term
// ends, how it renews and by when notice must be given — for the following
// term once this term's deadline has passed. No deadline is watched for an
// agreement that has expired or been terminated; a passed one is shown as
// passed.
func agreementTermView(l *i18n.Locale, a *licensing.Agreement, today licensing.Date, v *templates.AgreementPageView) {
	if a.RenewsUntilTerminated() {
		v.Renewing = true
		current := a.TermEndOn(today)
		every := l.T("agreement.renewal.every", a.RenewalMonths)
		deadline := a.NoticeDeadlineOn(today)
		var sentence string
		switch {
		case deadline.IsZero():
			sentence = l.T("agreement.term.renewing_no_notice", plainDate(l, current), every)
		case deadline.Before(today):
			next := a.NoticeDeadlineOn(current.AddDays(1))
			sentence = l.T("agreement.term.renewing_passed", plainDate(l, current), every, strong(plainDate(l, next)))
		default:
			sentence = l.T("agreement.term.renewing", plainDate(l, current), every, strong(plainDate(l, deadline)))
		}
		v.RenewingTerm = plainWords(sentence)
		return
	}
	if a.Status == licensing.AgreementExpired || a.Status == licensing.AgreementTerminated {
		return
	}
	if deadline := a.NoticeDeadlineOn(today); !deadline.IsZero() {
		v.NoticeDeadline, v.NoticePassed = deadline.Time(), deadline.Before(today)
	}
}

// agreementGrants states each grant in plain words, with how many patents
// its scope takes in today, or at least how many, where a portfolio holds
// more than agreementScopeHoldings.
func (s *Server) agreementGrants(ctx context.Context, l *i18n.Locale, a *licensing.Agreement, today licensing.Date) ([]templates.AgreementGrantView, error) {
	var out []templates.AgreementGrantView
	for i := range a.Grants {
		g := &a.Grants[i]
		parent, err := s.agreementParentGrant(ctx, a, g)
		if err != nil {
			return nil, err
		}
		n, complete, err := s.db.GrantScopeCountUpTo(ctx, g, today, agreementScopeHoldings)
		if err != nil {
			return nil, err
		}
		out = append(out, templates.AgreementGrantView{
			ID: g.ID, Words: plainGrant(l, a, g, parent, today), ScopeCount: n, ScopeAtLeast: !complete,
			ScopeHref: "/patents?grant=" + strconv.FormatInt(g.ID, 10),
			Licensor:  templates.CompanyRef{ID: g.LicensorID, Name: g.Licensor},
			Licensee:  templates.CompanyRef{ID: g.LicenseeID, Name: g.Licensee}, Sublicence: g.ParentGrantID != 0,
		})
	}
	return out, nil
}

// agreementParentGrant names the grant g sublicenses: in the same agreement,
// or read with its own agreement's reference. A parent that cannot be found
// is named by its id alone.
func (s *Server) agreementParentGrant(ctx context.Context, a *licensing.Agreement, g *licensing.Grant) (*plainParent, error) {
	if g.ParentGrantID == 0 {
		return nil, nil
	}
	for _, pg := range a.Grants {
		if pg.ID == g.ParentGrantID {
			return &plainParent{ID: pg.ID, Licensor: pg.Licensor, Licensee: pg.Licensee, Agreement: a.Reference}, nil
		}
	}
	pg, err := s.db.Grant(ctx, g.ParentGrantID)
	if agreementMissing(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	pa, err := s.agreementHead(ctx, pg.AgreementID)
	if agreementMissing(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &plainParent{ID: pg.ID, Licensor: pg.Licensor, Licensee: pg.Licensee, Agreement: pa.Reference}, nil
}

// agreementMissing reports whether err says that a record does not exist.
func agreementMissing(err error) bool {
	return err != nil && (errors.Is(err, sqlite.ErrNotFound) || licensing.ErrorCode(err) == licensing.NotFound)
}

// agreementAssignments lists the assignments with their patents and the
// chain-of-title breaks each caused.
func (s *Server) agreementAssignments(ctx context.Context, a *licensing.Agreement) ([]templates.AgreementAssignmentView, error) {
	if len(a.Assignments) == 0 {
		return nil, nil
	}
	breaks, _, err := s.db.TitleBreaks(ctx, sqlite.TitleBreakFilter{AgreementID: a.ID, Limit: agreementBreaksRead})
	if err != nil {
		return nil, err
	}
	byAssignment := map[int64][]templates.AgreementTitleBreak{}
	for _, b := range breaks {
		byAssignment[b.AssignmentID] = append(byAssignment[b.AssignmentID], templates.AgreementTitleBreak{
			Patent: templates.PatentRef{ID: b.PatentID, Number: patentDisplayNumber(b.Patent)},
			Owner:  templates.CompanyRef{ID: b.OwnerID, Name: b.Owner}})
	}
	var out []templates.AgreementAssignmentView
	for _, as := range a.Assignments {
		v := templates.AgreementAssignmentView{
			ID: as.ID, Assignor: templates.CompanyRef{ID: as.AssignorID, Name: as.Assignor},
			Assignee:    templates.CompanyRef{ID: as.AssigneeID, Name: as.Assignee},
			EffectiveOn: as.EffectiveOn.Time(), RecordedOn: as.RecordedOn.Time(), OfficeRef: as.OfficeRef,
			Breaks: byAssignment[as.ID],
		}
		for _, p := range as.Patents {
			v.Patents = append(v.Patents, templates.PatentRef{ID: p.ID, Number: patentDisplayNumber(p.Number)})
		}
		out = append(out, v)
	}
	return out, nil
}

// agreementObligations lists the obligations by first due date, each with
// its occurrences around today (all of them, when all is set).
func agreementObligations(l *i18n.Locale, a *licensing.Agreement, today licensing.Date, all bool) []templates.AgreementObligationView {
	obligations := slices.Clone(a.Obligations)
	slices.SortStableFunc(obligations, func(x, y licensing.Obligation) int { return x.DueOn.Compare(y.DueOn) })
	var out []templates.AgreementObligationView
	for i := range obligations {
		o := &obligations[i]
		v := templates.AgreementObligationView{
			ID: o.ID, Kind: agreementEnum(l, "obligation_kind", o.Kind), Title: o.Title,
			Schedule: agreementSchedule(l, o),
			Amount:   agreementAmount(l, o.Amount, o.Currency), Payer: templates.CompanyRef{ID: o.PayerID, Name: o.Payer},
			Payee: templates.CompanyRef{ID: o.PayeeID, Name: o.Payee}, Status: agreementEnum(l, "obligation_status", o.Standing(a)),
			StatusValue: string(o.Standing(a)),
		}
		v.Occurs, v.HiddenEarlier, v.HiddenLater = agreementOccurrences(l, a, o, today, all)
		out = append(out, v)
	}
	return out
}

// agreementSchedule says how often an obligation falls due, and until when.
func agreementSchedule(l *i18n.Locale, o *licensing.Obligation) string {
	every := agreementEnum(l, "recurrence", o.Recurrence)
	if o.Until.IsZero() {
		return every
	}
	return l.T("agreement.obligation.until", every, l.Date(o.Until.Time()))
}

// agreementOccurrences lists an obligation's due dates: every overdue one,
// the last settled ones and the next ones — or, with all, every one. It
// returns how many earlier (settled) and later ones it left out. An
// open-ended recurrence is spelled out agreementOpenEndedYears ahead; the
// occurrences after the running term of a renewing agreement fall due only
// if it renews, and say so.
func agreementOccurrences(l *i18n.Locale, a *licensing.Agreement, o *licensing.Obligation, today licensing.Date, all bool) (shown []templates.AgreementOccurrenceView, earlier, later int) {
	var horizon, termEnd licensing.Date
	if o.Until.IsZero() && a.End().IsZero() {
		horizon = today.AddYears(agreementOpenEndedYears)
	}
	if a.RenewsUntilTerminated() {
		termEnd = a.TermEndOn(today)
	}
	var past, upcoming []templates.AgreementOccurrenceView
	for _, d := range o.DueDates(a, horizon) {
		oc := o.OccurrenceOn(d)
		v := templates.AgreementOccurrenceView{
			DueOn: d.Time(), Due: d.String(), Status: agreementEnum(l, "obligation_status", oc.Status), StatusValue: string(oc.Status),
			Overdue: oc.Status == licensing.ObligationOpen && d.Before(today), DoneOn: oc.DoneOn.Time(), DoneBy: settledBy(l, oc.DoneBy),
			IfRenewed: !termEnd.IsZero() && d.After(termEnd),
		}
		if d.Before(today) {
			past = append(past, v)
		} else {
			upcoming = append(upcoming, v)
		}
	}
	if all {
		return append(past, upcoming...), 0, 0
	}
	settled := 0
	for i := len(past) - 1; i >= 0; i-- { // newest first, to keep the latest settled ones
		if past[i].Overdue || settled < agreementPastOccurrences {
			if !past[i].Overdue {
				settled++
			}
			shown = append(shown, past[i])
		}
	}
	slices.Reverse(shown)
	earlier = len(past) - len(shown)
	ahead := min(len(upcoming), agreementUpcomingOccurrences)
	return append(shown, upcoming[:ahead]...), earlier, len(upcoming) - ahead
}

// agreementAmount writes an exact amount with the locale's separators and
// its currency: 1,000,000.00 EUR, or 1.000.000,00 EUR in German. It never
// passes through a float.
func agreementAmount(l *i18n.Locale, amt licensing.Amount, currency string) string {
	if amt.IsZero() {
		return ""
	}
	thousands, decimal := agreementSeparators(l)
	whole, frac := amt.Parts()
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(decimal)
		b.WriteString(frac)
	}
	if currency != "" {
		b.WriteString(" " + currency)
	}
	return b.String()
}

// agreementSeparators reads the locale's thousands and decimal separators
// from its own formatting of numbers.
func agreementSeparators(l *i18n.Locale) (thousands, decimal string) {
	thousands, decimal = ",", "."
	if g := []rune(l.Int(1000)); len(g) == 5 {
		thousands = string(g[1])
	}
	if d := []rune(l.Decimal(1.5, 1)); len(d) == 3 {
		decimal = string(d[1])
	}
	return thousands, decimal
}

// agreementFileSize writes a file size as people read it: bytes, KB or MB,
// with one decimal where it is not a whole number ("1.5 MB", "50 MB").
func agreementFileSize(l *i18n.Locale, n int64) string {
	switch {
	case n < 1024:
		return l.T("agreement.size.bytes", l.Int(n))
	case n < 1024*1024:
		return l.T("agreement.size.kb", agreementSizeNumber(l, float64(n)/1024))
	}
	return l.T("agreement.size.mb", agreementSizeNumber(l, float64(n)/(1024*1024)))
}

// agreementSizeNumber writes a size to one decimal, without it when the
// rounded size is whole.
func agreementSizeNumber(l *i18n.Locale, x float64) string {
	x = math.Round(x*10) / 10
	if x == math.Trunc(x) {
		return l.Int(int64(x))
	}
	return l.Decimal(x, 1)
}

// settledBy names who marked an occurrence, PatentDesk itself (the demo
// load, the command line) in the reader's words.
func settledBy(l *i18n.Locale, actor string) string {
	if via, ok := appVia(actor); ok {
		return appName + " (" + l.T(via) + ")"
	}
	return actor
}
