package csvio

import (
	"slices"
	"strconv"

	"patentdesk/internal/licensing"
)

// The export headers of agreements and what they hold, in column order.
// These files are export-only: agreements are entered in their forms or
// through the API, where a grant is checked against its agreement.
var (
	agreementColumns = []string{"reference", "title", "kind", "status", "signed_on", "effective_on",
		"expires_on", "terminated_on", "renewal_months", "notice_days", "notice_deadline",
		"governing_law", "parent", "parties", "summary"}
	grantColumns = []string{"agreement", "grant", "licensor", "licensee", "licensee_affiliates",
		"licensor_affiliates", "scope", "patents", "families", "capture_from", "capture_to", "tags",
		"standards", "offices", "activities", "territories", "fields", "exclusivity", "sublicensable",
		"parent_grant", "starts_on", "ends_on", "royalty_bearing", "past_release"}
	assignmentColumns = []string{"agreement", "assignor", "assignee", "effective_on", "recorded_on",
		"office_ref", "patents"}
	obligationColumns = []string{"agreement", "kind", "title", "due_on", "recurrence", "until",
		"amount", "currency", "payer", "payee", "status"}
)

// AgreementHeader returns the header row of an agreements export.
func AgreementHeader() []string { return slices.Clone(agreementColumns) }

// GrantHeader returns the header row of a grants export.
func GrantHeader() []string { return slices.Clone(grantColumns) }

// AssignmentHeader returns the header row of an assignments export.
func AssignmentHeader() []string { return slices.Clone(assignmentColumns) }

// ObligationHeader returns the header row of an obligations export.
func ObligationHeader() []string { return slices.Clone(obligationColumns) }

// AgreementRecordOf returns the cells of an agreements export row for a
// stored agreement, in the order of AgreementHeader: its parent by
// reference, its parties by legal name with their roles ("Nokia
// Corporation (licensor)"), and the notice deadline worked out from expiry
// and notice period. Writer.Write escapes them.
func AgreementRecordOf(a *licensing.Agreement) []string {
	parties := make([]string, len(a.Parties))
	for i, p := range a.Parties {
		parties[i] = p.Company + " (" + string(p.Role) + ")"
	}
	return []string{a.Reference, a.Title, string(a.Kind), string(a.Status),
		a.SignedOn.String(), a.EffectiveOn.String(), a.ExpiresOn.String(), a.TerminatedOn.String(),
		strconv.Itoa(a.RenewalMonths), strconv.Itoa(a.NoticeDays), a.NoticeDeadline().String(),
		a.GoverningLaw, a.Parent, JoinList(parties), a.Summary}
}

// GrantRecordOf returns the cells of a grants export row for grant g of
// the agreement with reference agreementRef, in the order of GrantHeader.
// Licensor and licensee are legal names; an empty start or end is the
// agreement's, as on the agreement page. Writer.Write escapes them.
func GrantRecordOf(agreementRef string, g *licensing.Grant) []string {
	s := &g.Scope
	parent := ""
	if g.ParentGrantID != 0 {
		parent = strconv.FormatInt(g.ParentGrantID, 10)
	}
	return []string{agreementRef, strconv.FormatInt(g.ID, 10), g.Licensor, g.Licensee,
		flag(g.LicenseeAffiliates), flag(g.LicensorAffiliates), string(s.Kind),
		JoinList(patentNumbers(s.Patents)), JoinList(s.Families),
		s.CaptureFrom.String(), s.CaptureTo.String(),
		JoinList(s.Tags), JoinList(s.Standards), JoinList(s.Offices),
		JoinList(words(g.Activities)), JoinList(g.Territories), JoinList(g.Fields),
		string(g.Exclusivity), flag(g.Sublicensable), parent,
		g.StartsOn.String(), g.EndsOn.String(), flag(g.RoyaltyBearing), flag(g.PastRelease)}
}

// AssignmentRecordOf returns the cells of an assignments export row for
// assignment as of the agreement with reference agreementRef, in the order
// of AssignmentHeader, with the patents transferred in normalized form.
// Writer.Write escapes them.
func AssignmentRecordOf(agreementRef string, as *licensing.Assignment) []string {
	return []string{agreementRef, as.Assignor, as.Assignee, as.EffectiveOn.String(),
		as.RecordedOn.String(), as.OfficeRef, JoinList(patentNumbers(as.Patents))}
}

// ObligationRecordOf returns the cells of an obligations export row for
// obligation o of agreement a, named by its reference, in the order
// of ObligationHeader: one row per obligation, its amount as the exact
// decimal it was recorded as ("1000000.00"). Writer.Write escapes them.
//
// Its status is the obligation's standing as the agreement page shows it
// (licensing.Obligation.Standing): done as recorded, and also done once
// every due date of a schedule that ends has been marked done or waived.
func ObligationRecordOf(a *licensing.Agreement, o *licensing.Obligation) []string {
	return []string{a.Reference, string(o.Kind), o.Title, o.DueOn.String(), string(o.Recurrence),
		o.Until.String(), o.Amount.String(), o.Currency, o.Payer, o.Payee, string(o.Standing(a))}
}

// flag writes a yes-or-no field as the patents export writes sep: "true"
// or "false", which the importers also read as yes and no.
func flag(b bool) string { return strconv.FormatBool(b) }

// patentNumbers lists patents by normalized number; a number the parser
// cannot read (it was stored before a parser change) is written as stored.
func patentNumbers(refs []licensing.PatentRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		n, err := licensing.NormalizePatentNumber(r.Number)
		if err != nil {
			n = r.Number
		}
		out[i] = n
	}
	return out
}

// words turns a list of choices into their stored words.
func words[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
