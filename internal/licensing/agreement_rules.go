package licensing

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of agreement fields: generous for real deals, small enough to keep
// pages and exports readable.
const (
	maxReference     = 100
	maxSummary       = 20000
	maxRenewalMonths = 240
	maxNoticeDays    = 3650
)

// Territory aliases a grant may name besides country codes.
const (
	TerritoryWorld = "WORLD"
	TerritoryEU    = "EU"
	TerritoryEPC   = "EPC"
)

// ParseAgreementKind reads an agreement kind, ignoring case and spaces and
// accepting spaces or hyphens for underscores ("cross-license").
func ParseAgreementKind(s string) (AgreementKind, error) {
	v := AgreementKind(enumWord(s))
	if slices.Contains(AgreementKinds, v) {
		return v, nil
	}
	return "", Errorf(Invalid, "%s is not an agreement kind: use %s", quoteInput(s), joinOr(AgreementKinds))
}

// ParseAgreementStatus reads an agreement status.
func ParseAgreementStatus(s string) (AgreementStatus, error) {
	v := AgreementStatus(enumWord(s))
	if slices.Contains(AgreementStatuses, v) {
		return v, nil
	}
	return "", Errorf(Invalid, "%s is not an agreement status: use %s", quoteInput(s), joinOr(AgreementStatuses))
}

// enumWord brings a spreadsheet's spelling of a choice to its stored form.
func enumWord(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// joinOr lists choices as "a, b or c".
func joinOr[T ~string](choices []T) string {
	var words []string
	for _, c := range choices {
		if c != "" {
			words = append(words, string(c))
		}
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Signed reports whether an agreement in this status was signed, so that it
// can give rights and move title: drafts and negotiations never do.
func (s AgreementStatus) Signed() bool {
	return s == AgreementActive || s == AgreementExpired || s == AgreementTerminated
}

// statusMoves lists the statuses each status may move to. Going back from
// negotiation to draft and renewing an expired agreement are allowed; a
// termination is final.
var statusMoves = map[AgreementStatus][]AgreementStatus{
	AgreementDraft:       {AgreementNegotiation, AgreementActive},
	AgreementNegotiation: {AgreementDraft, AgreementActive},
	AgreementActive:      {AgreementExpired, AgreementTerminated},
	AgreementExpired:     {AgreementActive, AgreementTerminated},
	AgreementTerminated:  {},
}

// CanMove reports whether an agreement may go from status from to status to
// (staying put is always allowed), and if not, why.
func CanMove(from, to AgreementStatus) error {
	if from == to || from == "" || slices.Contains(statusMoves[from], to) {
		return nil
	}
	if from == AgreementTerminated {
		return Errorf(Invalid, "a terminated agreement stays terminated")
	}
	return Errorf(Invalid, "an agreement cannot go from %s to %s: the next steps are %s", from, to, joinOr(statusMoves[from]))
}

// End returns the agreement's last day in force: the termination date if
// terminated, else the expiry date; zero when open-ended. An agreement that
// renews itself automatically runs on, term after term, until it is
// terminated (notice of non-renewal is recorded as a termination on the
// last day of the term).
func (a *Agreement) End() Date {
	if a.Status == AgreementTerminated && !a.TerminatedOn.IsZero() {
		if a.ExpiresOn.IsZero() || a.TerminatedOn.Before(a.ExpiresOn) || a.RenewalMonths > 0 {
			return a.TerminatedOn
		}
	}
	if a.RenewalMonths > 0 && a.Status != AgreementExpired {
		// An expired renewing agreement ended on its recorded expiry date.
		return Date{}
	}
	return a.ExpiresOn
}

// RenewsUntilTerminated reports whether a has no end of its own (End is
// zero) because it renews automatically, term after term, until it is
// terminated: its end is that of the running term (TermEndOn). Unlike
// RenewsItself it holds for any signed status but expired, as End does.
func (a *Agreement) RenewsUntilTerminated() bool {
	return a.RenewalMonths > 0 && !a.ExpiresOn.IsZero() && a.End().IsZero()
}

// TermEndOn returns the last day of the term running on d: the expiry date,
// or for an automatically renewing agreement the end of the renewal term
// that contains d. Zero without an expiry date.
func (a *Agreement) TermEndOn(d Date) Date {
	end := a.ExpiresOn
	if end.IsZero() || a.RenewalMonths <= 0 {
		return end
	}
	for i := 1; end.Before(d) && i <= maxOccurrences; i++ {
		end = a.ExpiresOn.AddMonths(i * a.RenewalMonths)
	}
	return end
}

// InForce reports whether the agreement gives rights on d: signed, and d
// within its term up to and including its end.
func (a *Agreement) InForce(d Date) bool {
	return a.Status.Signed() && !a.EffectiveOn.IsZero() && d.Within(a.EffectiveOn, a.End())
}

// NoticeDeadline returns the last day to give notice of non-renewal or
// termination of the first term: expiry minus the notice period; zero
// without either, and for an agreement already terminated.
func (a *Agreement) NoticeDeadline() Date {
	return a.NoticeDeadlineOn(a.ExpiresOn)
}

// NoticeDeadlineOn returns the notice deadline of the term running on d
// (see TermEndOn): for a renewing agreement, the next one to watch.
func (a *Agreement) NoticeDeadlineOn(d Date) Date {
	end := a.TermEndOn(d)
	if end.IsZero() || a.NoticeDays == 0 || a.Status == AgreementTerminated {
		return Date{}
	}
	return end.AddDays(-a.NoticeDays)
}

// StatusWarnings returns what contradicts the agreement's status on date
// today, as sentences for the page and the list.
func (a *Agreement) StatusWarnings(today Date) []string {
	var w []string
	switch a.Status {
	case AgreementActive:
		if !a.ExpiresOn.IsZero() && a.ExpiresOn.Before(today) && a.RenewalMonths == 0 {
			w = append(w, fmt.Sprintf("The status is active, but the term ended on %s.", a.ExpiresOn))
		}
	case AgreementExpired:
		if a.ExpiresOn.IsZero() {
			w = append(w, "The status is expired, but the agreement has no expiry date.")
		} else if !a.ExpiresOn.Before(today) {
			w = append(w, fmt.Sprintf("The status is expired, but the term runs until %s.", a.ExpiresOn))
		}
	case AgreementDraft, AgreementNegotiation:
		if !a.SignedOn.IsZero() {
			w = append(w, fmt.Sprintf("The status is %s, but the agreement was signed on %s.", a.Status, a.SignedOn))
		}
	}
	return w
}

// Validate returns a message for each agreement field that is wrong, keyed
// by the field's snake_case name (reference, title, kind, status, signed_on,
// effective_on, expires_on, terminated_on, renewal_months, notice_days,
// governing_law, summary, parent, parties). Grants, assignments and
// obligations are checked by their own Validate.
func (a *Agreement) Validate() map[string]string {
	errs := map[string]string{}
	requiredText(errs, "reference", "A reference is required.", a.Reference, maxReference)
	requiredText(errs, "title", "A title is required.", a.Title, maxTitle)
	if !slices.Contains(AgreementKinds, a.Kind) {
		errs["kind"] = "The kind must be one of " + joinOr(AgreementKinds) + "."
	}
	if !slices.Contains(AgreementStatuses, a.Status) {
		errs["status"] = "The status must be one of " + joinOr(AgreementStatuses) + "."
	}
	if a.Status.Signed() && a.EffectiveOn.IsZero() {
		errs["effective_on"] = fmt.Sprintf("An agreement that is %s needs the date it took effect.", a.Status)
	}
	if !a.ExpiresOn.IsZero() && !a.EffectiveOn.IsZero() && a.ExpiresOn.Before(a.EffectiveOn) {
		errs["expires_on"] = fmt.Sprintf("The expiry date %s is before the effective date %s.", a.ExpiresOn, a.EffectiveOn)
	}
	switch {
	case a.Status == AgreementTerminated && a.TerminatedOn.IsZero():
		errs["terminated_on"] = "A terminated agreement needs the date of termination."
	case a.Status != AgreementTerminated && !a.TerminatedOn.IsZero():
		errs["terminated_on"] = "Only a terminated agreement has a termination date."
	case !a.TerminatedOn.IsZero() && !a.EffectiveOn.IsZero() && a.TerminatedOn.Before(a.EffectiveOn):
		errs["terminated_on"] = fmt.Sprintf("The termination date %s is before the effective date %s.", a.TerminatedOn, a.EffectiveOn)
	case !a.TerminatedOn.IsZero() && !a.ExpiresOn.IsZero() && a.TerminatedOn.After(a.ExpiresOn) && a.RenewalMonths == 0:
		// One that renews itself may be terminated in a later term.
		errs["terminated_on"] = fmt.Sprintf("The termination date %s is after the expiry date %s: the agreement had already expired.", a.TerminatedOn, a.ExpiresOn)
	}
	if a.RenewalMonths < 0 || a.RenewalMonths > maxRenewalMonths {
		errs["renewal_months"] = fmt.Sprintf("The renewal term must be between 0 and %d months.", maxRenewalMonths)
	}
	if a.NoticeDays < 0 || a.NoticeDays > maxNoticeDays {
		errs["notice_days"] = fmt.Sprintf("The notice period must be between 0 and %d days.", maxNoticeDays)
	}
	if a.RenewalMonths > 0 && a.ExpiresOn.IsZero() {
		errs["renewal_months"] = "An automatic renewal needs an expiry date to renew from."
	}
	if a.NoticeDays > 0 && a.ExpiresOn.IsZero() && a.RenewalMonths == 0 {
		errs["notice_days"] = "A notice period needs an expiry date to count back from."
	}
	if utf8.RuneCountInString(a.GoverningLaw) > maxLabel {
		errs["governing_law"] = fmt.Sprintf("The governing law is longer than %d characters.", maxLabel)
	}
	if utf8.RuneCountInString(a.Summary) > maxSummary {
		errs["summary"] = fmt.Sprintf("The summary is longer than %d characters.", maxSummary)
	}
	if a.ParentID != 0 && a.ParentID == a.ID {
		errs["parent"] = "An agreement cannot amend itself."
	}
	if msg := partiesProblem(a.Parties); msg != "" {
		errs["parties"] = msg
	}
	return errs
}

// requiredText checks a required, bounded text field.
func requiredText(errs map[string]string, field, missing, value string, max int) {
	v := strings.TrimSpace(value)
	switch {
	case v == "":
		errs[field] = missing
	case utf8.RuneCountInString(v) > max:
		errs[field] = fmt.Sprintf("The %s is longer than %d characters.", strings.ReplaceAll(field, "_", " "), max)
	}
}

// partiesProblem describes the first wrong party: no company, an unknown
// role, or a company named twice.
func partiesProblem(parties []Party) string {
	seen := map[int64]bool{}
	for i, p := range parties {
		switch {
		case p.CompanyID == 0:
			return fmt.Sprintf("The party in position %d names no company.", i+1)
		case !slices.Contains(PartyRoles, p.Role):
			return fmt.Sprintf("The role %s of party %d is not one of %s.", quoteInput(string(p.Role)), i+1, joinOr(PartyRoles))
		case seen[p.CompanyID]:
			return fmt.Sprintf("The party in position %d is named twice.", i+1)
		}
		seen[p.CompanyID] = true
	}
	return ""
}

// IsParty reports whether the company signed the agreement.
func (a *Agreement) IsParty(company int64) bool {
	return slices.ContainsFunc(a.Parties, func(p Party) bool { return p.CompanyID == company })
}

// Start returns the grant's first day: its own start, else the agreement's
// effective date.
func (g *Grant) Start(a *Agreement) Date {
	if !g.StartsOn.IsZero() {
		return g.StartsOn
	}
	return a.EffectiveOn
}

// Finish returns the grant's last day: its own end, else the agreement's
// end; zero when open-ended.
func (g *Grant) Finish(a *Agreement) Date {
	end := a.End()
	if !g.EndsOn.IsZero() && (end.IsZero() || g.EndsOn.Before(end)) {
		return g.EndsOn
	}
	return end
}

// ValidTerritory reports whether code is a country code or one of the
// aliases WORLD, EU and EPC.
func ValidTerritory(code string) bool {
	return code == TerritoryWorld || code == TerritoryEU || code == TerritoryEPC || ValidCountry(code)
}

// Validate returns a message for each grant field that is wrong within
// agreement a, keyed by licensor, licensee, scope, patents, families,
// capture_from, capture_to, tags, standards, offices, activities,
// territories, fields, exclusivity, starts_on, ends_on. Patent numbers and
// family keys are checked against the records by the store; the parent
// grant by ValidateSublicence.
func (g *Grant) Validate(a *Agreement) map[string]string {
	errs := map[string]string{}
	switch {
	case g.LicensorID == 0:
		errs["licensor"] = "A licensor is required."
	case !a.IsParty(g.LicensorID):
		errs["licensor"] = "The licensor must be a party to the agreement."
	}
	switch {
	case g.LicenseeID == 0:
		errs["licensee"] = "A licensee is required."
	case g.LicenseeID == g.LicensorID:
		errs["licensee"] = "The licensee must be another company than the licensor."
	case !a.IsParty(g.LicenseeID) && g.ParentGrantID == 0:
		errs["licensee"] = "The licensee must be a party to the agreement."
	}
	g.validateScope(errs)
	for _, act := range g.Activities {
		if !slices.Contains(Activities, act) {
			errs["activities"] = fmt.Sprintf("%s is not an activity: use %s.", quoteInput(string(act)), joinOr(Activities))
			break
		}
	}
	for _, t := range g.Territories {
		if !ValidTerritory(t) {
			errs["territories"] = fmt.Sprintf("%s is not a country code such as DE, nor WORLD, EU or EPC.", quoteInput(t))
			break
		}
	}
	validateLabels(errs, "fields", "field of use", g.Fields)
	if !slices.Contains(Exclusivities, g.Exclusivity) {
		errs["exclusivity"] = "The exclusivity must be one of " + joinOr(Exclusivities) + "."
	}
	g.validateTerm(a, errs)
	return errs
}

func (g *Grant) validateScope(errs map[string]string) {
	s := &g.Scope
	switch s.Kind {
	case ScopePatents:
		if len(s.Patents) == 0 {
			errs["patents"] = "A scope of listed patents needs at least one patent number."
		}
	case ScopeFamilies:
		if len(s.Families) == 0 {
			errs["families"] = "A scope of families needs at least one family key."
		}
		validateLabels(errs, "families", "family", s.Families)
	case ScopePortfolio:
		if !s.CaptureFrom.IsZero() && !s.CaptureTo.IsZero() && s.CaptureTo.Before(s.CaptureFrom) {
			errs["capture_to"] = fmt.Sprintf("The capture window ends on %s, before it begins on %s.", s.CaptureTo, s.CaptureFrom)
		}
		validateLabels(errs, "tags", "tag", s.Tags)
		validateLabels(errs, "standards", "standard", s.Standards)
		for _, o := range s.Offices {
			if !offices[o] {
				errs["offices"] = fmt.Sprintf("%s is not a known patent office code.", quoteInput(o))
				break
			}
		}
	default:
		errs["scope"] = "The scope must be one of " + joinOr(ScopeKinds) + "."
	}
	if s.Kind != ScopePortfolio && (!s.CaptureFrom.IsZero() || !s.CaptureTo.IsZero()) {
		errs["capture_from"] = "Only a portfolio scope has a capture window."
	}
}

// validateTerm keeps the grant's own term inside the agreement's.
func (g *Grant) validateTerm(a *Agreement, errs map[string]string) {
	if !g.StartsOn.IsZero() {
		if !a.EffectiveOn.IsZero() && g.StartsOn.Before(a.EffectiveOn) {
			errs["starts_on"] = fmt.Sprintf("The grant cannot start on %s, before the agreement takes effect on %s.", g.StartsOn, a.EffectiveOn)
		} else if end := a.End(); !end.IsZero() && g.StartsOn.After(end) {
			errs["starts_on"] = fmt.Sprintf("The grant cannot start on %s, after the agreement ends on %s.", g.StartsOn, end)
		}
	}
	if !g.EndsOn.IsZero() {
		switch {
		case !a.ExpiresOn.IsZero() && g.EndsOn.After(a.ExpiresOn):
			errs["ends_on"] = fmt.Sprintf("The grant cannot end on %s, after the agreement expires on %s.", g.EndsOn, a.ExpiresOn)
		case !g.StartsOn.IsZero() && g.EndsOn.Before(g.StartsOn):
			errs["ends_on"] = fmt.Sprintf("The grant ends on %s, before it starts on %s.", g.EndsOn, g.StartsOn)
		case !a.EffectiveOn.IsZero() && g.EndsOn.Before(a.EffectiveOn):
			errs["ends_on"] = fmt.Sprintf("The grant cannot end on %s, before the agreement takes effect on %s.", g.EndsOn, a.EffectiveOn)
		}
	}
}

// ValidateSublicence checks a grant against the parent grant it sublicenses:
// the parent must allow sublicences, and the sublicensor must be the
// parent's licensee (or, where the parent covers them, an affiliate the
// store has confirmed). It returns the message for the parent_grant field,
// or "".
func (g *Grant) ValidateSublicence(parent *Grant, licensorIsAffiliate bool) string {
	switch {
	case parent.ID == g.ID && g.ID != 0:
		return "A grant cannot sublicense itself."
	case !parent.Sublicensable:
		return fmt.Sprintf("Grant %d is not sublicensable, so it cannot carry a sublicence.", parent.ID)
	case g.LicensorID != parent.LicenseeID && !(parent.LicenseeAffiliates && licensorIsAffiliate):
		return fmt.Sprintf("Only the licensee of grant %d, %s, can sublicense under it.", parent.ID, parent.Licensee)
	}
	return ""
}

// Validate returns a message for each assignment field that is wrong, keyed
// by assignor, assignee, effective_on, recorded_on, office_ref, patents.
func (as *Assignment) Validate() map[string]string {
	errs := map[string]string{}
	if as.AssignorID == 0 {
		errs["assignor"] = "An assignor is required."
	}
	switch {
	case as.AssigneeID == 0:
		errs["assignee"] = "An assignee is required."
	case as.AssigneeID == as.AssignorID:
		errs["assignee"] = "The assignee must be another company than the assignor."
	}
	if as.EffectiveOn.IsZero() {
		errs["effective_on"] = "The effective (execution) date is required: title passes on it."
	}
	if !as.RecordedOn.IsZero() && !as.EffectiveOn.IsZero() && as.RecordedOn.Before(as.EffectiveOn) {
		errs["recorded_on"] = fmt.Sprintf("The recording date %s is before the execution date %s.", as.RecordedOn, as.EffectiveOn)
	}
	if utf8.RuneCountInString(as.OfficeRef) > maxLabel {
		errs["office_ref"] = fmt.Sprintf("The office reference is longer than %d characters.", maxLabel)
	}
	if len(as.Patents) == 0 {
		errs["patents"] = "An assignment transfers at least one patent."
	}
	return errs
}

// ParseObligationKind reads an obligation kind.
func ParseObligationKind(s string) (ObligationKind, error) {
	v := ObligationKind(enumWord(s))
	if slices.Contains(ObligationKinds, v) {
		return v, nil
	}
	return "", Errorf(Invalid, "%s is not an obligation kind: use %s", quoteInput(s), joinOr(ObligationKinds))
}

// ParseRecurrence reads a recurrence; empty text and "once" fall due once.
func ParseRecurrence(s string) (Recurrence, error) {
	v := Recurrence(enumWord(s))
	if v == "once" || v == "none" {
		v = Once
	}
	if slices.Contains(Recurrences, v) {
		return v, nil
	}
	return "", Errorf(Invalid, "%s is not a recurrence: use monthly, quarterly or yearly, or leave it empty", quoteInput(s))
}

// Validate returns a message for each obligation field that is wrong within
// agreement a, keyed by kind, title, due_on, recurrence, until, amount,
// currency, payer, payee, status.
func (o *Obligation) Validate(a *Agreement) map[string]string {
	errs := map[string]string{}
	if !slices.Contains(ObligationKinds, o.Kind) {
		errs["kind"] = "The kind must be one of " + joinOr(ObligationKinds) + "."
	}
	requiredText(errs, "title", "A title is required.", o.Title, maxTitle)
	if o.DueOn.IsZero() {
		errs["due_on"] = "A due date is required."
	}
	if !slices.Contains(Recurrences, o.Recurrence) {
		errs["recurrence"] = "The recurrence must be monthly, quarterly, yearly or none."
	}
	switch {
	case o.Recurrence == Once && !o.Until.IsZero():
		errs["until"] = "Only a recurring obligation has an end of recurrence."
	case !o.Until.IsZero() && !o.DueOn.IsZero() && o.Until.Before(o.DueOn):
		errs["until"] = fmt.Sprintf("The recurrence ends on %s, before the first due date %s.", o.Until, o.DueOn)
	case o.Recurrence != Once && o.Until.IsZero() && a.End().IsZero() && a.RenewalMonths == 0:
		// A renewing agreement's royalties recur as long as it renews.
		errs["until"] = "A recurring obligation of an open-ended agreement needs the date its recurrence ends."
	}
	switch {
	case o.Amount.IsZero() && o.Currency != "":
		errs["amount"] = "A currency needs an amount."
	case !o.Amount.IsZero() && !validCurrency(o.Currency):
		errs["currency"] = "An amount needs its currency as a three-letter code such as EUR or USD."
	}
	if o.PayerID != 0 && o.PayerID == o.PayeeID {
		errs["payee"] = "The payee must be another company than the payer."
	}
	if !slices.Contains(ObligationStatuses, o.Status) {
		errs["status"] = "The status must be open, done or waived."
	}
	return errs
}

// validCurrency reports whether code looks like an ISO 4217 code: three
// capital letters.
func validCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

// maxOccurrences bounds the expansion of a recurrence: monthly for a
// century, far beyond any real licence.
const maxOccurrences = 1200

// DueDates returns the obligation's due dates from its first up to and
// including the end of its recurrence: its until date, else the agreement's
// end (a) — and never past to, when to is given.
func (o *Obligation) DueDates(a *Agreement, to Date) []Date {
	if o.DueOn.IsZero() {
		return nil
	}
	if o.Recurrence == Once {
		if to.IsZero() || !o.DueOn.After(to) {
			return []Date{o.DueOn}
		}
		return nil
	}
	last := o.Until
	if a != nil {
		// Nothing falls due after the agreement has ended, whatever the
		// recurrence says: a termination ends the payments too.
		if end := a.End(); !end.IsZero() && (last.IsZero() || end.Before(last)) {
			last = end
		}
	}
	if !to.IsZero() && (last.IsZero() || to.Before(last)) {
		last = to
	}
	step := map[Recurrence]int{Monthly: 1, Quarterly: 3, Yearly: 12}[o.Recurrence]
	var dates []Date
	for i := 0; i < maxOccurrences; i++ {
		d := o.DueOn.AddMonths(i * step)
		if !last.IsZero() && d.After(last) {
			break
		}
		dates = append(dates, d)
	}
	return dates
}

// OccurrenceOn returns what became of the occurrence due on d: the recorded
// completion, or open (waived when the whole obligation is waived).
func (o *Obligation) OccurrenceOn(d Date) Occurrence {
	for _, oc := range o.Occurrences {
		if oc.DueOn.Equal(d) {
			return oc
		}
	}
	if o.Status == ObligationWaived || o.Status == ObligationDone {
		return Occurrence{DueOn: d, Status: o.Status}
	}
	return Occurrence{DueOn: d, Status: ObligationOpen}
}

// Standing returns the obligation's status as a reader needs it: waived or
// done as recorded, and also done once every occurrence of a schedule with
// an end has been met or waived — a paid purchase price is no open
// obligation, even if nobody set its status by hand.
func (o *Obligation) Standing(a *Agreement) ObligationStatus {
	if o.Status != ObligationOpen {
		return o.Status
	}
	if o.Recurrence != Once && o.Until.IsZero() && (a == nil || a.End().IsZero()) {
		return ObligationOpen
	}
	dates := o.DueDates(a, Date{})
	for _, d := range dates {
		if o.OccurrenceOn(d).Status == ObligationOpen {
			return ObligationOpen
		}
	}
	if len(dates) == 0 {
		return ObligationOpen
	}
	return ObligationDone
}
