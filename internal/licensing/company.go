package licensing

// Company is a legal entity that owns patents or is party to agreements.
// Its place in a corporate group is one parent link with a control period.
type Company struct {
	ID          int64
	Name        string   // legal name, unique
	ShortName   string   // e.g. "Nokia"
	Country     string   // ISO 3166-1 alpha-2, upper case; may be empty
	Aliases     []string // names as they appear in patent records, for matching imports
	ParentID    int64    // 0: no parent
	ControlFrom Date     // zero: since always
	ControlTo   Date     // zero: open-ended
}

// Control is one parent link of the corporate tree: Parent controls Company
// from From to To, both inclusive; a zero date leaves that end open.
type Control struct {
	Company int64
	Parent  int64
	From    Date
	To      Date
}
