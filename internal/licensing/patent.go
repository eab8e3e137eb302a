package licensing

// PatentStatus is a patent's legal status.
type PatentStatus string

// The statuses of DESIGN.md. A lapse, abandonment or revocation ends the
// patent on its status date; expiry ends it after expires_on.
const (
	StatusPending   PatentStatus = "pending"
	StatusGranted   PatentStatus = "granted"
	StatusLapsed    PatentStatus = "lapsed"
	StatusExpired   PatentStatus = "expired"
	StatusAbandoned PatentStatus = "abandoned"
	StatusRevoked   PatentStatus = "revoked"
)

// Patent is one patent or application as recorded.
type Patent struct {
	ID                int64
	Number            string // as entered
	Normalized        string // DOCDB style, e.g. EP1234567B1
	Office            string // e.g. EP, US, WO
	Kind              string // e.g. B1, A1; may be empty
	ApplicationNumber string
	Title             string
	Family            string // patents sharing a family key are a family
	PriorityOn        Date
	FiledOn           Date
	PublishedOn       Date
	GrantedOn         Date
	ExpiresOn         Date // zero: computed from FiledOn (see Expiry)
	Status            PatentStatus
	StatusOn          Date
	Tags              []string // e.g. cellular, 5g, iot
	Standards         []string // e.g. 3GPP LTE
	SEP               bool     // declared standard-essential
	SEPReference      string
	CPC               []string
	DesignatedStates  []string // EP only; empty means every EPC contracting state
	OriginalOwnerID   int64    // the applicant at filing
}
