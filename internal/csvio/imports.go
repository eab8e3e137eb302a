package csvio

import (
	"fmt"
	"io"
	"strings"

	"patentdesk/internal/licensing"
)

// nativePatentFields are the fields a native patents file provides.
var nativePatentFields = []string{"number", "office", "kind", "title", "family", "priority_on", "filed_on",
	"published_on", "granted_on", "expires_on", "status", "status_on", "owner", "tags", "standards", "sep",
	"designated_states", "cpc"}

// formatFields says, per format, which fields a file provides and under
// which column header each appears.
var formatFields = map[Format]map[string]string{
	FormatNative: func() map[string]string {
		m := map[string]string{}
		for _, f := range nativePatentFields {
			m[f] = f
		}
		m["owner"] = "original_owner"
		return m
	}(),
	FormatGoogle: {"number": "id", "office": "id", "kind": "id", "title": "title", "owner": "assignee",
		"priority_on": "priority date", "filed_on": "filing/creation date", "published_on": "publication date",
		"granted_on": "grant date"},
	FormatEspacenet: {"number": "publication number", "office": "publication number", "kind": "publication number",
		"title": "title", "family": "family number", "owner": "applicants", "priority_on": "earliest priority",
		"published_on": "publication date", "cpc": "cpc"},
}

// PatentImports turns the patents a read accepted into import proposals. A
// cell the domain cannot take (a status that is none, a date that is no
// date) rejects its row, reported like the reader's own errors; what the
// conversion assumed is reported as a warning.
func PatentImports(res *Result) (imports []licensing.PatentImport, errs, warnings []RowError) {
	columns := formatFields[res.Format]
	present := make([]string, 0, len(columns))
	for f := range columns {
		present = append(present, f)
	}
	imports = make([]licensing.PatentImport, 0, len(res.Patents))
	for _, r := range res.Patents {
		if r.Owner == "" && r.OriginalOwner == "" && len(r.Inventors) > 0 {
			// Google lists no assignee for a patent its inventors kept.
			r.Owner, r.Assignees = r.Inventors[0], r.Inventors[:1]
			warnings = append(warnings, RowError{Line: r.Line, Column: columns["owner"],
				Reason: fmt.Sprintf("no assignee is named; the first inventor, %s, is taken as owner", r.Owner)})
		}
		imp, rowErrs := patentImport(r, res.Format, columns)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		imp.Present = present
		imports = append(imports, imp)
	}
	return imports, errs, warnings
}

func patentImport(r PatentRecord, f Format, columns map[string]string) (licensing.PatentImport, []RowError) {
	var errs []RowError
	fail := func(field string, err error) {
		msg := err.Error()
		if de, ok := err.(*licensing.Error); ok {
			msg = de.Message
		}
		errs = append(errs, RowError{Line: r.Line, Column: columns[field], Reason: msg})
	}
	date := func(field, s string) licensing.Date {
		d, err := licensing.ParseDate(s)
		if err != nil {
			fail(field, err)
		}
		return d
	}
	p := licensing.Patent{
		Number: r.Number, Office: strings.ToUpper(r.Office), Kind: strings.ToUpper(r.Kind), Title: r.Title, Family: r.Family,
		PriorityOn: date("priority_on", r.PriorityOn), FiledOn: date("filed_on", r.FiledOn),
		PublishedOn: date("published_on", r.PublishedOn), GrantedOn: date("granted_on", r.GrantedOn),
		ExpiresOn: date("expires_on", r.ExpiresOn), StatusOn: date("status_on", r.StatusOn),
		Tags: r.Tags, Standards: r.Standards, SEP: r.SEP == "true", DesignatedStates: r.DesignatedStates, CPC: r.CPC,
	}
	if r.Status != "" {
		st, err := licensing.ParseStatus(r.Status)
		if err != nil {
			fail("status", err)
		}
		p.Status = st
	}
	imp := licensing.PatentImport{Line: r.Line, Patent: p, Owner: r.OriginalOwner, OwnerToday: r.Owner, Columns: columns}
	if f != FormatNative {
		// Google and Espacenet name the current assignees or applicants; the
		// first is taken as the applicant. Google splits names at commas, so
		// the leading names joined back are tried first ("Becton, Dickinson
		// And Company").
		imp.Owner, imp.OwnerToday, imp.OwnerIsAssignee = r.Owner, "", f == FormatGoogle
		for i := len(r.Assignees); i > 1; i-- {
			imp.OwnerNames = append(imp.OwnerNames, strings.Join(r.Assignees[:i], ", "))
		}
	} else if imp.Owner == "" {
		// Only the owner today is given: it makes the original owner of a
		// new record, but a recorded one stays, and the chain of title
		// answers for today.
		imp.Owner, imp.OwnerIsAssignee = r.Owner, true
	}
	if imp.Owner == "" {
		errs = append(errs, RowError{Line: r.Line, Column: columns["owner"], Reason: "names no owner (neither assignee nor inventor); enter the applicant in this column, or remove the row"})
	}
	return imp, errs
}

// CompanyImports turns the companies a read accepted into import proposals.
func CompanyImports(res *Result) ([]licensing.CompanyImport, []RowError) {
	var out []licensing.CompanyImport
	var errs []RowError
	for _, r := range res.Companies {
		c := licensing.Company{Name: strings.TrimSpace(r.Name), ShortName: r.ShortName, Country: strings.ToUpper(r.Country), Aliases: r.Aliases}
		var bad bool
		for _, d := range []struct {
			column, value string
			dst           *licensing.Date
		}{{"control_from", r.ControlFrom, &c.ControlFrom}, {"control_to", r.ControlTo, &c.ControlTo}} {
			v, err := licensing.ParseDate(d.value)
			if err != nil {
				errs = append(errs, RowError{Line: r.Line, Column: d.column, Reason: err.(*licensing.Error).Message})
				bad = true
			}
			*d.dst = v
		}
		if !bad {
			out = append(out, licensing.CompanyImport{Line: r.Line, Company: c, Parent: strings.TrimSpace(r.Parent)})
		}
	}
	return out, errs
}

// Issues converts read problems into the import's issues.
func Issues(lists ...[]RowError) []licensing.ImportIssue {
	var out []licensing.ImportIssue
	for _, list := range lists {
		for _, e := range list {
			out = append(out, licensing.ImportIssue{Line: e.Line, Column: e.Column, Reason: e.Reason})
		}
	}
	return out
}

// Proposals is a file read for import: the rows it proposes, its format,
// and the problems found on the way, as the import reports them.
type Proposals struct {
	Format    Format
	Patents   []licensing.PatentImport
	Companies []licensing.CompanyImport
	Rejected  []licensing.ImportIssue
	Warnings  []licensing.ImportIssue
}

// ReadProposals reads a patents or companies file for import. The error is
// for a file that cannot be read at all; rejected rows are in Rejected.
func ReadProposals(r io.Reader, kind Kind, opt Options) (*Proposals, error) {
	if kind == KindCompanies {
		res, err := ReadCompanies(r, opt)
		if err != nil {
			return nil, err
		}
		imports, errs := CompanyImports(res)
		return &Proposals{Format: res.Format, Companies: imports,
			Rejected: Issues(res.Errors, errs), Warnings: Issues(res.Warnings)}, nil
	}
	res, err := ReadPatents(r, opt)
	if err != nil {
		return nil, err
	}
	imports, errs, warnings := PatentImports(res)
	return &Proposals{Format: res.Format, Patents: imports,
		Rejected: Issues(res.Errors, errs), Warnings: Issues(res.Warnings, warnings)}, nil
}
