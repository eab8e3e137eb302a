package web

import "patentdesk/internal/rights"

// VerdictJSON is an answer in the verdict shape of CONTRACT.md, with a few
// additions (holder, through, fields, activities, hypothetical, what_if,
// misses, and a renewing licence's term_ends_on, renews_every_months and
// notice_by) that the contract allows.
type VerdictJSON struct {
	Verdict    string         `json:"verdict"`
	Pending    bool           `json:"pending"`
	Company    string         `json:"company"`
	Patent     string         `json:"patent"`
	On         string         `json:"on"`
	Territory  string         `json:"territory"`
	Activity   string         `json:"activity,omitempty"`
	Field      string         `json:"field,omitempty"`
	WhatIf     bool           `json:"what_if,omitempty"`
	Bases      []BasisJSON    `json:"bases"`
	NearMisses []NearMissJSON `json:"near_misses"`
	Misses     []MissJSON     `json:"misses,omitempty"`
	Reasons    []string       `json:"reasons"`
}

// MissJSON is a grant to the company that fails on several conditions.
type MissJSON struct {
	Agreement string        `json:"agreement"`
	Grant     int64         `json:"grant"`
	Failures  []FailureJSON `json:"failures"`
}

// FailureJSON is one condition a grant does not meet.
type FailureJSON struct {
	Failed string `json:"failed"`
	Reason string `json:"reason"`
}

// BasisJSON is one basis of a verdict.
type BasisJSON struct {
	Kind      string  `json:"kind"`
	Agreement string  `json:"agreement,omitempty"`
	Grant     int64   `json:"grant,omitempty"`
	Licensor  string  `json:"licensor,omitempty"`
	Licensee  string  `json:"licensee,omitempty"`
	Holder    string  `json:"holder,omitempty"`
	Through   string  `json:"through,omitempty"`
	Until     *string `json:"until"`
	RenewalJSON
	Fields       []string `json:"fields,omitempty"`
	Activities   []string `json:"activities,omitempty"`
	Hypothetical bool     `json:"hypothetical,omitempty"`
	Reason       string   `json:"reason"`
}

// RenewalJSON is the running term of an automatically renewing agreement
// that a basis (or near miss) rests on: when it ends, how long each renewal
// runs and by when notice of non-renewal of that term is due. Omitted
// where the agreement does not renew itself, or a basis ends within the
// term anyway; a near miss carries the term of the grant's agreement as it
// stands, whatever the grant's own end.
type RenewalJSON struct {
	TermEndsOn        *string `json:"term_ends_on,omitempty"`
	RenewsEveryMonths int     `json:"renews_every_months,omitempty"`
	NoticeBy          *string `json:"notice_by,omitempty"`
}

// newRenewalJSON renders a renewing term; a zero one is omitted.
func newRenewalJSON(r rights.Renewal) RenewalJSON {
	if r.IsZero() {
		return RenewalJSON{}
	}
	return RenewalJSON{TermEndsOn: jsonDate(r.TermEndsOn), RenewsEveryMonths: r.Months, NoticeBy: jsonDate(r.NoticeBy)}
}

// NearMissJSON is one near miss of a verdict.
type NearMissJSON struct {
	Agreement string `json:"agreement"`
	Grant     int64  `json:"grant"`
	Failed    string `json:"failed"`
	RenewalJSON
	Reason string `json:"reason"`
}

// NewVerdictJSON renders an answer for the command line, its sentences in
// English.
func NewVerdictJSON(a rights.Answer) VerdictJSON {
	v := VerdictJSON{Verdict: string(a.Verdict), Pending: a.Pending, Company: a.Company.Name, Patent: a.Patent,
		On: a.On.String(), Territory: a.Territory, Activity: string(a.Activity), Field: a.Field, WhatIf: a.WhatIf,
		Bases: []BasisJSON{}, NearMisses: []NearMissJSON{}, Reasons: rights.Strings(a.Reasons)}
	for _, b := range a.Bases {
		j := BasisJSON{Kind: string(b.Kind), Agreement: b.Agreement.Reference, Grant: b.Grant, Licensor: b.Licensor.Name,
			Licensee: b.Licensee.Name, Holder: b.Holder.Name, Through: b.Through.Name, Fields: b.Fields,
			RenewalJSON: newRenewalJSON(b.Renewal), Hypothetical: b.Hypothetical, Reason: b.Reason.String()}
		for _, act := range b.Activities {
			j.Activities = append(j.Activities, string(act))
		}
		if !b.Until.IsZero() {
			s := b.Until.String()
			j.Until = &s
		}
		v.Bases = append(v.Bases, j)
	}
	for _, n := range a.NearMisses {
		v.NearMisses = append(v.NearMisses, NearMissJSON{Agreement: n.Agreement.Reference, Grant: n.Grant,
			Failed: string(n.Failed), RenewalJSON: newRenewalJSON(n.Renewal), Reason: n.Reason.String()})
	}
	for _, m := range a.Misses {
		j := MissJSON{Agreement: m.Agreement.Reference, Grant: m.Grant}
		for _, f := range m.Failures {
			j.Failures = append(j.Failures, FailureJSON{Failed: string(f.Failed), Reason: f.Reason.String()})
		}
		v.Misses = append(v.Misses, j)
	}
	return v
}
