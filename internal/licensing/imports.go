package licensing

import "strconv"

// PatentImport is one patent as an import file proposes it, read and
// checked cell by cell but not yet compared with what is recorded.
type PatentImport struct {
	Line   int
	Patent Patent // OriginalOwnerID is left 0: the store resolves Owner
	// Owner is the name of the original owner (applicant). OwnerNames are
	// further spellings to try, in order, before a new company is created
	// (e.g. Google's comma-split assignee names joined back together).
	Owner      string
	OwnerNames []string
	// OwnerIsAssignee says that Owner names the assignee today, as Google
	// Patents does, rather than the applicant: it then makes the original
	// owner of a new record, but does not overwrite a recorded one.
	OwnerIsAssignee bool
	// OwnerToday is the owner the file states for today, compared with the
	// chain of title; a mismatch is a warning, not an error.
	OwnerToday string
	// Present lists the fields the file's format provides, by their
	// snake_case names; an update changes only these, so that a Google
	// Patents export does not wipe tags or status recorded by hand.
	Present []string
	// Columns maps a field name to the column as the file's header writes
	// it, so that a problem found later names the column the user sees.
	Columns map[string]string
}

// CompanyImport is one company as an import file proposes it.
type CompanyImport struct {
	Line    int
	Company Company // ParentID is left 0: the store resolves Parent
	Parent  string  // the parent's legal name, "" for none
}

// ImportIssue is a rejected row or a warning: the line in the file, the
// column as the file's header writes it ("" for the whole row, and line 0
// for the whole file), and the reason.
type ImportIssue struct {
	Line   int
	Column string
	Reason string
}

// String writes the issue as a user looks for it in a spreadsheet.
func (i ImportIssue) String() string {
	switch {
	case i.Line == 0:
		return i.Reason
	case i.Column == "":
		return "line " + strconv.Itoa(i.Line) + ": " + i.Reason
	}
	return "line " + strconv.Itoa(i.Line) + ", column " + i.Column + ": " + i.Reason
}
