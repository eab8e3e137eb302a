package templates

import (
	"context"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
)

// AgreementChoice is one option of a select: its value and its already
// translated label.
type AgreementChoice struct {
	Value string
	Label string
}

// AgreementListView is the agreements list: the filter form as the user
// filled it, one page of rows, and the links that keep the filters.
type AgreementListView struct {
	Filter       AgreementFilterForm
	FilterErrors FieldErrors // already translated, by filter name
	Notes        []string    // already translated, e.g. which affiliates were included
	Companies    []string    // legal names, suggested for the party filter
	Kinds        []AgreementChoice
	Statuses     []AgreementChoice
	Rows         []AgreementRow
	FirstHref    string
	NextHref     string
	ResetHref    string
	ExportParams []Param
	ExportWhat   []Param // what the export can carry: agreements, grants, assignments, obligations (value: label)
	Filtered     bool    // some filter is set: an empty list means "no match", not "nothing recorded"
	CanEdit      bool
}

// AgreementFilterForm is the list's filters as the URL carries them.
type AgreementFilterForm struct {
	Query         string
	Kind          string
	Status        string
	Party         string // a company's legal name (or, as typed, an id or alias)
	Affiliates    bool
	InForceOn     string
	ExpiresFrom   string
	ExpiresBefore string
	EndingFrom    string // with EndingBy: in force that day and coming to an end by EndingBy (the start page's figures)
	EndingBy      string
}

// AgreementRow is one agreement as the list shows it.
type AgreementRow struct {
	ID          int64
	Reference   string
	Title       string
	Kind        string // already translated
	Status      string // already translated
	StatusValue string // e.g. "active", for styling and tests
	Parties     []CompanyRef
	EffectiveOn time.Time // zero: not yet set
	ExpiresOn   time.Time // zero: open-ended; for a renewing agreement, the end of the running term
	OpenEnd     string    // already translated: what a zero ExpiresOn means for this kind ("last patent", "open")
	Renews      bool      // renews automatically at ExpiresOn unless notice is given
	Warnings    []string  // already translated: what contradicts the status today
}

// Href is the agreement's page.
func (r AgreementRow) Href() string { return AgreementHref(r.ID) }

// AgreementHref is the page of the agreement with the given id.
func AgreementHref(id int64) string { return "/agreements/" + strconv.FormatInt(id, 10) }

// AgreementPageView is one agreement as a term sheet: the parties, the
// term, every grant in plain words, the assignments, obligations,
// documents and history.
type AgreementPageView struct {
	ID             int64
	Reference      string
	Title          string
	Kind           string // already translated
	Status         string // already translated
	StatusValue    string
	Warnings       []string // already translated
	Parties        []AgreementPartyView
	SignedOn       time.Time
	EffectiveOn    time.Time // zero: not yet set
	ExpiresOn      time.Time // zero: open-ended, as OpenEnd says
	OpenEnd        string    // already translated: what an empty expiry means for this kind of agreement
	TerminatedOn   time.Time
	RenewalMonths  int
	NoticeDays     int
	NoticeDeadline time.Time // zero: none to watch (no notice period, expired or terminated)
	NoticePassed   bool      // the deadline lies before today
	// Renewing is set for an automatically renewing agreement that runs on
	// until terminated: RenewingTerm then says, in words, when the running
	// term ends and by when notice must be given, and replaces the expiry,
	// renewal and notice deadline facts.
	Renewing     bool
	RenewingTerm Words
	GoverningLaw string
	Summary      string
	Parent       *TitleAgreement // the agreement this one amends
	Amendments   []AgreementAmendment
	// Proposed is set while the agreement is unsigned (draft or negotiation):
	// its grants are proposals that give no rights yet.
	Proposed    bool
	Grants      []AgreementGrantView
	Assignments []AgreementAssignmentView
	Obligations []AgreementObligationView
	// AllOccurrences is set when every occurrence of every obligation is
	// shown; AllOccurrencesHref is the page that shows them all.
	AllOccurrences     bool
	AllOccurrencesHref string
	Documents          []AgreementDocumentView
	History            []HistoryEntry

	CanEdit        bool
	CanDelete      bool              // a draft: only drafts are ever deleted
	Moves          []AgreementChoice // the statuses it may move to, but terminated (which asks for a date)
	CanTerminate   bool
	StatusForm     AgreementStatusForm
	MaxUploadBytes string // already formatted, e.g. "50 MB"
}

// AgreementStatusForm is the status change and termination forms of the
// agreement page as the user submitted them, with what was wrong.
type AgreementStatusForm struct {
	Status       string
	TerminatedOn string
	Errors       FieldErrors // already translated, by field name
	Message      string      // already translated
}

// AgreementPartyView is one party of an agreement.
type AgreementPartyView struct {
	Company CompanyRef
	Role    string // already translated
}

// AgreementAmendment is one amendment of an agreement, as its parent lists it.
type AgreementAmendment struct {
	Agreement TitleAgreement
	Note      string // already translated: its status and effective date, e.g. "Active, effective 2021-12-01"
}

// Words is a sentence already translated, in runs: dates and numbers are
// kept on one line, deadlines stand out.
type Words []WordsRun

// WordsRun is one run of a sentence.
type WordsRun struct {
	Text   string
	Nowrap bool // a date or a number: never broken at its hyphens or spaces
	Strong bool // a deadline to watch
}

// String is the sentence as plain text.
func (w Words) String() string {
	var b strings.Builder
	for _, r := range w {
		b.WriteString(r.Text)
	}
	return b.String()
}

// wordsHTML writes a sentence, escaped, with its dates and numbers in
// nowrap spans: written here rather than in templ, which would put spaces
// between the runs.
func wordsHTML(w Words) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, out io.Writer) error {
		var b strings.Builder
		for _, r := range w {
			text := templ.EscapeString(r.Text)
			if r.Nowrap {
				text = `<span class="nowrap">` + text + `</span>`
			}
			if r.Strong {
				text = `<strong>` + text + `</strong>`
			}
			b.WriteString(text)
		}
		_, err := io.WriteString(out, b.String())
		return err
	})
}

// AgreementGrantView is one grant of an agreement.
type AgreementGrantView struct {
	ID           int64
	Words        Words // the grant in plain words, already translated
	Licensor     CompanyRef
	Licensee     CompanyRef
	ScopeCount   int  // patents the scope resolves to, in force today
	ScopeAtLeast bool // ScopeCount is a lower bound: the page counted no further
	ScopeHref    string
	Sublicence   bool
}

// AgreementAssignmentView is one assignment of an agreement.
type AgreementAssignmentView struct {
	ID          int64
	Assignor    CompanyRef
	Assignee    CompanyRef
	EffectiveOn time.Time
	RecordedOn  time.Time // zero: not recorded at the office
	OfficeRef   string
	Patents     []PatentRef
	Breaks      []AgreementTitleBreak
}

// AgreementTitleBreak is a patent of an assignment whose assignor did not
// own it on the effective date.
type AgreementTitleBreak struct {
	Patent PatentRef
	Owner  CompanyRef // who did own it that day
}

// AgreementObligationView is one obligation with its occurrences.
type AgreementObligationView struct {
	ID          int64
	Kind        string // already translated
	Title       string
	Schedule    string // already translated: how often, and until when
	Amount      string // already formatted with its currency; "" for none
	Payer       CompanyRef
	Payee       CompanyRef
	Status      string // already translated: the obligation's own status
	StatusValue string // open, done or waived
	Occurs      []AgreementOccurrenceView
	// HiddenEarlier counts the earlier occurrences left out to keep the
	// page short (all of them settled: open ones are always shown);
	// HiddenLater the occurrences beyond the ones shown ahead.
	HiddenEarlier int
	HiddenLater   int
}

// AgreementOccurrenceView is one due date of an obligation and what became
// of it.
type AgreementOccurrenceView struct {
	DueOn       time.Time
	Due         string // YYYY-MM-DD, as the mark form sends it
	Status      string // already translated
	StatusValue string // open, done or waived
	Overdue     bool   // open and due before today
	IfRenewed   bool   // due after the running term of a renewing agreement: only if it renews
	DoneOn      time.Time
	DoneBy      string
}

// AgreementDocumentView is one attached file.
type AgreementDocumentView struct {
	ID          int64
	Name        string
	Size        string // already formatted
	ContentType string
	SHA256      string
	UploadedAt  time.Time
	UploadedBy  string
}

// Href is the document's download.
func (d AgreementDocumentView) Href() string { return "/documents/" + strconv.FormatInt(d.ID, 10) }

// AgreementForm is the agreement form's fields exactly as the user typed
// them, so that an invalid form comes back with the input kept.
type AgreementForm struct {
	Reference     string
	Title         string
	Kind          string
	Status        string
	SignedOn      string
	EffectiveOn   string
	ExpiresOn     string
	TerminatedOn  string
	RenewalMonths string
	NoticeDays    string
	GoverningLaw  string
	Summary       string
	Parent        string // the parent agreement's reference
	Parties       []AgreementPartyInput
}

// AgreementPartyInput is one party row of the form.
type AgreementPartyInput struct {
	Company string // legal name as typed
	Role    string
}

// AgreementFormView is the new and the edit form.
type AgreementFormView struct {
	ID         int64 // 0 for a new agreement
	Heading    string
	Action     string
	CancelURL  string
	Form       AgreementForm
	Errors     FieldErrors // already translated, by field name
	Message    string      // an error of the whole form, already translated
	Companies  []string
	References []string // other agreements, suggested as the parent
	Kinds      []AgreementChoice
	Statuses   []AgreementChoice
	Roles      []AgreementChoice
}

// AgreementDeleteView asks before a draft agreement is deleted.
type AgreementDeleteView struct {
	ID        int64
	Reference string
	Title     string
	Refusal   string // why the store refused, already translated
}

// NewAmendmentHref is the form for a new agreement amending this one.
func (v AgreementPageView) NewAmendmentHref() string {
	return "/agreements/new?parent=" + url.QueryEscape(v.Reference)
}

// OtherErrors are the refusals of a status change that concern neither of
// the form's own fields (e.g. an effective date the new status needs), by
// field name.
func (f AgreementStatusForm) OtherErrors() []AgreementChoice {
	var out []AgreementChoice
	for field, msg := range f.Errors {
		if field != "status" && field != "terminated_on" {
			out = append(out, AgreementChoice{Value: field, Label: msg})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// agreementStatusClass styles a status badge: green while active.
func agreementStatusClass(status string) string {
	if status == "active" {
		return "badge-ok"
	}
	return "badge-muted"
}

// joinSentences joins already translated sentences into one text.
func joinSentences(s []string) string { return strings.Join(s, " ") }

// obligationStatusClass styles an obligation's status badge: done green,
// open and waived muted.
func obligationStatusClass(status string) string {
	if status == "done" {
		return "badge-ok"
	}
	return "badge-muted"
}
