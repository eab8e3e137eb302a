package templates

import (
	"strconv"
	"time"
)

// TitleAgreement names an agreement in a patent's chain of title and links to it.
type TitleAgreement struct {
	ID        int64
	Reference string
	Title     string
}

// Href is the agreement's page.
func (a TitleAgreement) Href() string { return "/agreements/" + strconv.FormatInt(a.ID, 10) }

// TitleHolding is one owner in a patent's chain of title.
type TitleHolding struct {
	Owner     CompanyRef
	From      time.Time // zero: since filing
	To        time.Time // zero: to this day
	Via       TitleAgreement
	ViaID     int64 // the assignment; 0 for the original owner
	Current   bool  // the holding that contains today
	Effective time.Time
}

// TitleTransfer is an assignment that moved no title: a break in the chain
// (the assignor did not own the patent) or one of an agreement not yet
// signed.
type TitleTransfer struct {
	Patent      PatentRef
	Assignor    CompanyRef
	Assignee    CompanyRef
	Owner       CompanyRef // for a break: who did own the patent that day
	EffectiveOn time.Time
	Agreement   TitleAgreement
	Status      string // for a pending transfer: the agreement's status, translated
}

// PatentRef names a patent and links to it.
type PatentRef struct {
	ID     int64
	Number string
}

// Href is the patent's page.
func (r PatentRef) Href() string { return "/patents/" + strconv.FormatInt(r.ID, 10) }

// PatentGrant is a grant whose scope takes in a patent, as the patent's page
// lists them: the licences that burden it.
type PatentGrant struct {
	Agreement   TitleAgreement
	GrantID     int64
	Licensor    CompanyRef
	Licensee    CompanyRef
	Affiliates  bool   // the licensee's affiliates too
	Via         string // how the scope takes the patent in, translated
	Exclusivity string // translated
	Status      string // the agreement's status, translated
	Signed      bool   // false: a draft or negotiation, which burdens nothing yet
	Ended       bool   // the grant's term is over: it burdens the patent no more
	Starts      time.Time
	Ends        time.Time // zero: open-ended
}

// PatentTitleView is a patent's chain of title and the grants touching it.
type PatentTitleView struct {
	Chain   []TitleHolding
	Breaks  []TitleTransfer
	Pending []TitleTransfer
	Grants  []PatentGrant
}

// TitleBreaksView is the report of every chain-of-title break.
type TitleBreaksView struct {
	Items     []TitleTransfer
	FirstHref string
	NextHref  string
}
