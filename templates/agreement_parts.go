package templates

import (
	"slices"
	"strconv"
)

// The views of the forms that edit what lives inside an agreement: grants,
// assignments, obligations and documents. The agreement page itself shows
// them; these forms change them.

// PartChoice is one option of a select, radio group or checkbox group: the
// value sent and its already translated label.
type PartChoice struct {
	Value string
	Label string
}

// PartFormHead is what every agreement-part form shares: its heading, where
// it is sent, where "cancel" leads, the agreement it belongs to, and the
// problems to show.
type PartFormHead struct {
	Heading   string // already translated
	About     string // already translated: what the form records
	Action    string
	CancelURL string
	Agreement string // the agreement's reference
	Errors    FieldErrors
	Message   string // already translated; shown above the form
}

// GrantFormView is the form that adds a grant to an agreement or changes one.
type GrantFormView struct {
	PartFormHead
	Form          GrantFormInput
	Parties       []PartChoice // value: company id
	ScopeKinds    []PartChoice
	Activities    []PartChoice
	Exclusivities []PartChoice
	FieldsOfUse   []string // suggestions: fields already used
	// ParentAgreement is the reference of the agreement holding the parent
	// grant, shown beside its number; ParentHref links to that agreement.
	ParentAgreement string
	ParentHref      string
}

// GrantFormInput is the grant form as the user filled it.
type GrantFormInput struct {
	Licensor           string // company id
	Licensee           string // company id
	LicenseeAffiliates bool
	LicensorAffiliates bool
	Scope              string // patents, families or portfolio
	Patents            string // numbers in any notation, one per line or separated by commas
	Families           string
	CaptureFrom        string
	CaptureTo          string
	Tags               string
	Standards          string
	Offices            string
	Activities         []string // none ticked: all
	Territories        string
	Fields             string
	Exclusivity        string
	Sublicensable      bool
	ParentGrant        string // a grant id
	StartsOn           string
	EndsOn             string
	RoyaltyBearing     bool
	PastRelease        bool
}

// HasActivity reports whether the activity is ticked.
func (f GrantFormInput) HasActivity(a string) bool { return slices.Contains(f.Activities, a) }

// AssignmentFormView is the form that records an assignment inside an
// agreement or changes one, with the list to pick patents from.
type AssignmentFormView struct {
	PartFormHead
	Form      AssignmentFormInput
	Companies []string // legal names, suggested for assignor and assignee
	// PickAction is where the picker's filter is sent (GET, with the whole
	// form, so that nothing typed is lost).
	PickAction string
	Picker     PatentPicker
}

// AssignmentFormInput is the assignment form as the user filled it.
type AssignmentFormInput struct {
	Assignor    string // legal name (or alias, as typed)
	Assignee    string
	EffectiveOn string
	RecordedOn  string
	OfficeRef   string
	Patents     string // numbers in any notation, one per line or separated by commas
}

// PatentPicker is the filtered list of patents an assignment form offers to
// tick, instead of typing their numbers.
type PatentPicker struct {
	Open    bool // the user asked for the list
	Owner   string
	Office  string
	Tag     string
	Query   string
	Errors  FieldErrors // already translated, by filter name
	Offices []string    // suggestions
	Tags    []string
	Rows    []PickRow
	Limit   int  // the most rows shown
	More    bool // more patents match than are shown
}

// PickRow is one patent of the picker.
type PickRow struct {
	Number string // normalized: the value a ticked box sends
	Shown  string // spaced for reading
	Title  string
	Owner  string
	Listed bool // already in the form's list
}

// ObligationFormView is the form that adds an obligation to an agreement or
// changes one.
type ObligationFormView struct {
	PartFormHead
	Form        ObligationFormInput
	Kinds       []PartChoice
	Recurrences []PartChoice
	Statuses    []PartChoice
	Parties     []PartChoice // value: company id
}

// ObligationFormInput is the obligation form as the user filled it.
type ObligationFormInput struct {
	Kind       string
	Title      string
	DueOn      string
	Recurrence string
	Until      string
	Amount     string // as typed: 1000000.00, 1,000,000.00 or 1.000.000,00
	Currency   string
	Payer      string // company id, or "" for none
	Payee      string
	Status     string
}

// DocumentUpload is the upload form for an agreement's documents, as the
// agreement page places it.
type DocumentUpload struct {
	Action string // POST /agreements/{id}/documents
	Limit  string // already formatted, e.g. "50 MB"
	Error  string // already translated: why the last upload was refused
}

// DocumentUploadView is the page that shows a refused upload with its
// reason and the form to try again.
type DocumentUploadView struct {
	Agreement     string // the agreement's reference
	AgreementHref string
	Upload        DocumentUpload
}

// PartDeleteView asks to confirm the removal of a grant, an assignment, an
// obligation or a document.
type PartDeleteView struct {
	Heading   string // already translated
	Subject   string // already translated: what would be removed, in words
	Body      string // already translated: what the removal means
	Action    string
	CancelURL string
	Refusal   string // already translated: why the store refused
}

// occurrenceAction is where an obligation's occurrences are marked.
func occurrenceAction(obligationID int64) string {
	return "/obligations/" + strconv.FormatInt(obligationID, 10) + "/occurrences"
}
