package licensing

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// patentTerm is the standard patent term counted from the filing date.
const patentTerm = 20

// Length limits of free-text patent fields, generous enough for real titles
// and labels and small enough to keep lists readable.
const (
	maxTitle = 500
	maxLabel = 100
)

// Statuses lists the patent statuses in the order a patent passes through
// them, for messages and choice lists.
var Statuses = []PatentStatus{StatusPending, StatusGranted, StatusLapsed, StatusExpired, StatusAbandoned, StatusRevoked}

// ParseStatus reads a patent status, ignoring case and surrounding spaces as
// spreadsheets write them.
func ParseStatus(s string) (PatentStatus, error) {
	v := PatentStatus(strings.ToLower(strings.TrimSpace(s)))
	if v == "" {
		return "", Errorf(Invalid, "a patent status is required")
	}
	for _, st := range Statuses {
		if v == st {
			return v, nil
		}
	}
	return "", Errorf(Invalid, "%s is not a patent status: use pending, granted, lapsed, expired, abandoned or revoked", quoteInput(s))
}

// endsOnStatusDate reports whether the status ends the patent on its status
// date, whatever its term: DESIGN.md names lapse, abandonment and revocation.
func (s PatentStatus) endsOnStatusDate() bool {
	return s == StatusLapsed || s == StatusAbandoned || s == StatusRevoked
}

// Normalize fills Normalized from Number, and Office and Kind where they are
// empty, so that every way of writing the number finds the same record; a
// number without kind takes the Kind field's.
func (p *Patent) Normalize() error {
	n, err := ParsePatentNumber(p.Number)
	if err != nil {
		return err
	}
	if p.Office == "" {
		p.Office = n.Office
	}
	if p.Kind == "" {
		p.Kind = n.Kind
	}
	if n.Kind == "" {
		n.Kind = p.Kind
	}
	p.Normalized = n.String()
	for _, list := range []*[]string{&p.Tags, &p.Standards, &p.CPC, &p.DesignatedStates} {
		*list = uniqueLabels(*list)
	}
	return nil
}

// uniqueLabels drops repeats from a list of labels, keeping the first of
// each, as Espacenet lists a CPC symbol once per office that gave it.
func uniqueLabels(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, v := range list {
		if v = strings.TrimSpace(v); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ComputedExpiry returns the end of the standard term: the filing date plus
// 20 years, same month and day (29 February ends on 28 February in a common
// year). It is zero when the filing date is unknown.
func (p *Patent) ComputedExpiry() Date {
	return p.FiledOn.AddYears(patentTerm)
}

// Expiry returns the last day of the patent's term: ExpiresOn where recorded
// (term adjustments, extensions), else the computed expiry. overridden says
// whether a recorded date differs from the computed one, so that pages can
// point out the adjustment.
func (p *Patent) Expiry() (d Date, overridden bool) {
	computed := p.ComputedExpiry()
	if p.ExpiresOn.IsZero() {
		return computed, false
	}
	return p.ExpiresOn, p.ExpiresOn != computed
}

// InForce reports whether the patent can be infringed on date on, which
// decides whether anyone needs a licence for it then. It is in force when all
// of these hold:
//   - it is a national or regional patent, not a WO (PCT) application;
//   - its status is not pending (an empty status counts as pending);
//   - on is not before its grant date, where one is recorded;
//   - on is not after its expiry (Expiry); for an unknown expiry the patent
//     is taken as in force, since wrongly saying that no licence is needed
//     costs more than the opposite — unless its status is expired, which
//     then ends it on the status date;
//   - on is before the status date of a lapse, abandonment or revocation.
func (p *Patent) InForce(on Date) bool {
	if on.IsZero() || p.Office == "WO" || p.Status == "" || p.Status == StatusPending {
		return false
	}
	if !p.GrantedOn.IsZero() && on.Before(p.GrantedOn) {
		return false
	}
	if p.Status.endsOnStatusDate() && !on.Before(p.StatusOn) {
		return false
	}
	expiry, _ := p.Expiry()
	if expiry.IsZero() {
		return p.Status != StatusExpired || on.Before(p.StatusOn)
	}
	return !on.After(expiry)
}

// Validate returns a message for each field that is wrong, keyed by the
// field's snake_case name as forms, CSV files and the API spell it (number,
// office, kind, title, status, status_on, priority_on, filed_on,
// published_on, granted_on, expires_on, designated_states, tags, standards).
// An empty status is an error: callers that default to pending set it first.
func (p *Patent) Validate() map[string]string {
	errs := map[string]string{}
	p.validateNumber(errs)
	title := strings.TrimSpace(p.Title)
	switch {
	case title == "":
		errs["title"] = "A title is required."
	case utf8.RuneCountInString(title) > maxTitle:
		errs["title"] = fmt.Sprintf("The title is longer than %d characters.", maxTitle)
	}
	if !slices.Contains(Statuses, p.Status) {
		errs["status"] = "The status must be one of pending, granted, lapsed, expired, abandoned or revoked."
	}
	if p.Status.endsOnStatusDate() && p.StatusOn.IsZero() {
		errs["status_on"] = fmt.Sprintf("The status %s needs the date it took effect.", p.Status)
	}
	p.validateDates(errs)
	p.validateStates(errs)
	validateLabels(errs, "tags", "tag", p.Tags)
	validateLabels(errs, "standards", "standard", p.Standards)
	return errs
}

// validateNumber checks that the number parses and agrees with the office and
// kind recorded beside it.
func (p *Patent) validateNumber(errs map[string]string) {
	if strings.TrimSpace(p.Number) == "" {
		errs["number"] = "A patent number is required."
		return
	}
	n, err := ParsePatentNumber(p.Number)
	if err != nil {
		errs["number"] = capitalize(err.(*Error).Message) + "."
		return
	}
	switch {
	case p.Office != "" && !offices[p.Office]:
		errs["office"] = fmt.Sprintf("%s is not a known patent office code.", quoteInput(p.Office))
	case p.Office != "" && p.Office != n.Office:
		errs["office"] = fmt.Sprintf("The office %s does not match the number %s.", p.Office, n.Display())
	}
	switch {
	case p.Kind != "" && !isKindCode(p.Kind):
		errs["kind"] = fmt.Sprintf("%s is not a kind code (one letter, optionally one digit, e.g. B1).", quoteInput(p.Kind))
	case p.Kind != "" && n.Kind != "" && p.Kind != n.Kind:
		errs["kind"] = fmt.Sprintf("The kind %s does not match the number %s.", p.Kind, n.Display())
	}
}

// isKindCode reports whether s is one capital letter, optionally followed by
// one digit.
func isKindCode(s string) bool {
	return len(s) >= 1 && len(s) <= 2 && s[0] >= 'A' && s[0] <= 'Z' && (len(s) == 1 || isDigit(s[1]))
}

// validateDates checks that the dates follow the life of a patent: priority,
// filing, publication; filing, grant, expiry.
func (p *Patent) validateDates(errs map[string]string) {
	expiry, _ := p.Expiry()
	expiryField := "expires_on"
	if p.ExpiresOn.IsZero() {
		// A grant after the computed end of term is wrong in the grant date.
		expiryField = "granted_on"
	}
	rules := []struct {
		field         string
		early, late   Date
		earlyN, lateN string
	}{
		{"filed_on", p.PriorityOn, p.FiledOn, "priority date", "filing date"},
		{"published_on", p.FiledOn, p.PublishedOn, "filing date", "publication date"},
		{"published_on", p.PriorityOn, p.PublishedOn, "priority date", "publication date"},
		{"granted_on", p.FiledOn, p.GrantedOn, "filing date", "grant date"},
		{"expires_on", p.FiledOn, p.ExpiresOn, "filing date", "expiry date"},
		{expiryField, p.GrantedOn, expiry, "grant date", "expiry date"},
	}
	for _, r := range rules {
		if _, done := errs[r.field]; done || r.early.IsZero() || r.late.IsZero() || !r.late.Before(r.early) {
			continue
		}
		errs[r.field] = fmt.Sprintf("The %s %s is before the %s %s.", r.lateN, r.late, r.earlyN, r.early)
	}
}

// validateStates checks the designated states of an EP patent.
func (p *Patent) validateStates(errs map[string]string) {
	if len(p.DesignatedStates) == 0 {
		return
	}
	office := p.Office
	if n, err := ParsePatentNumber(p.Number); err == nil {
		office = n.Office
	}
	if office != "EP" {
		errs["designated_states"] = "Only a European (EP) patent has designated states."
		return
	}
	seen := map[string]bool{}
	for _, s := range p.DesignatedStates {
		switch {
		case !ValidCountry(s):
			errs["designated_states"] = fmt.Sprintf("%s is not a two-letter country code such as DE or FR.", quoteInput(s))
		case seen[s]:
			errs["designated_states"] = fmt.Sprintf("%s is listed twice.", s)
		default:
			seen[s] = true
			continue
		}
		return
	}
}

// validateLabels checks free labels such as technology tags: each one
// non-empty and short.
func validateLabels(errs map[string]string, field, noun string, labels []string) {
	for i, l := range labels {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			errs[field] = fmt.Sprintf("The %s in position %d is empty.", noun, i+1)
		case utf8.RuneCountInString(l) > maxLabel:
			errs[field] = fmt.Sprintf("The %s %s is longer than %d characters.", noun, quoteInput(l), maxLabel)
		default:
			continue
		}
		return
	}
}

// capitalize makes an error message start a sentence in a form.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
