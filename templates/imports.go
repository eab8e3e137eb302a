package templates

// ImportForm is the upload form of the import page.
type ImportForm struct {
	Kind    string // patents or companies
	Format  string // "" (detect), native, google or espacenet
	MaxMB   int64
	MaxRows int
	Errors  FieldErrors
}

// ImportReviewView is the dry run of an upload, awaiting confirmation.
type ImportReviewView struct {
	ID, Kind, Filename, Format  string
	Created, Updated, Unchanged int
	NewCompanies                []string
	Rejected, Warnings          []ImportIssueView
	Rows                        []ImportRowView // created and updated rows, the first reviewRows of them
	MoreRows                    int             // how many more are not listed
	CanConfirm                  bool
}

// ImportIssueView is one rejected row or warning, already translated.
type ImportIssueView struct {
	Line   int
	Column string
	Reason string
}

// ImportRowView is one row the import creates or updates.
type ImportRowView struct {
	Line    int
	Key     string
	Created bool
	Fields  string // for an update: the changed fields, translated
}
