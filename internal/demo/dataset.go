package demo

import "patentdesk/internal/licensing"

// The data set below is illustrative. The companies, their groups and the
// events of 2016–2017 come from public reports; patent numbers, titles,
// dates and declaration references are invented, shaped like each office's
// real notation, and the UI says that this is demo data.
//
// Dates are written YYYY-MM-DD as everywhere in PatentDesk; an empty string
// is "no date". Load parses them and names the record if one is wrong.

// demoCompany is one company of the data set. Parent names a company listed
// before it, so that the list can be loaded from top to bottom.
type demoCompany struct {
	Name        string
	ShortName   string
	Country     string
	Aliases     []string
	Parent      string
	ControlFrom string // empty: since always
	ControlTo   string // empty: still controlled
}

// demoPatent is one patent or application of the data set; Owner is the
// legal name of the applicant at filing.
type demoPatent struct {
	Number    string
	Title     string
	Family    string
	Owner     string
	Priority  string
	Filed     string
	Published string
	Granted   string
	Expires   string // empty: filing date + 20 years; set for term adjustments
	Status    licensing.PatentStatus
	StatusOn  string
	Tags      []string
	Standards []string
	SEP       string // the declaration; empty: not declared standard-essential
	CPC       []string
	States    []string // EP only; empty: every EPC contracting state
}

// Legal names, so that a patent's owner is checked by the compiler.
const (
	nokia          = "Nokia Corporation"
	nokiaTech      = "Nokia Technologies Oy"
	nokiaNetworks  = "Nokia Solutions and Networks Oy"
	alcatelLucent  = "Alcatel Lucent"
	xiaomi         = "Xiaomi Corporation"
	xiaomiMobile   = "Beijing Xiaomi Mobile Software Co., Ltd."
	xiaomiComms    = "Xiaomi Communications Co., Ltd."
	hmd            = "HMD Global Oy"
	apple          = "Apple Inc."
	ikea           = "Inter IKEA Systems B.V."
	philips        = "Koninklijke Philips N.V."
	signify        = "Signify N.V."
	signifyHolding = "Signify Holding B.V."
)

// Statuses, short for the table below.
const (
	pending   = licensing.StatusPending
	granted   = licensing.StatusGranted
	lapsed    = licensing.StatusLapsed
	expired   = licensing.StatusExpired
	abandoned = licensing.StatusAbandoned
)

// Declarations of essentiality (invented references).
const (
	etsiNokia2015   = "ETSI IPR declaration ISLD-201506-014"
	etsiNokia2016   = "ETSI IPR declaration ISLD-201610-003"
	etsiNokia2017   = "ETSI IPR declaration ISLD-201707-021"
	etsiNSN2017     = "ETSI IPR declaration ISLD-201705-009"
	etsiAlcatel2012 = "ETSI IPR declaration ISLD-201203-031"
	etsiNokia2009   = "ETSI IPR declaration ISLD-200911-006"
	etsiXiaomi2017  = "ETSI IPR declaration ISLD-201709-002"
	etsiApple2016   = "ETSI IPR declaration ISLD-201602-017"
	hevcNokia2014   = "ITU-T H.265 patent statement 2014-0087"
)

// companies is the demo corporate tree. Two control periods have ends, so
// that a group differs from one date to another: Nokia took control of
// Alcatel Lucent in January 2016, and Philips stopped controlling Philips
// Lighting (now Signify) when it deconsolidated it at the end of November
// 2017.
var companies = []demoCompany{
	{Name: nokia, ShortName: "Nokia", Country: "FI", Aliases: []string{"NOKIA CORP", "Nokia Oyj"}},
	{Name: nokiaTech, ShortName: "Nokia Technologies", Country: "FI", Parent: nokia, ControlFrom: "2014-04-25"},
	{Name: nokiaNetworks, ShortName: "Nokia Networks", Country: "FI",
		Aliases: []string{"NOKIA SOLUTIONS & NETWORKS OY", "Nokia Siemens Networks Oy"},
		// Nokia bought out Siemens' half of the joint venture in August 2013.
		Parent: nokia, ControlFrom: "2013-08-07"},
	{Name: alcatelLucent, ShortName: "Alcatel-Lucent", Country: "FR", Aliases: []string{"Alcatel-Lucent", "ALCATEL LUCENT SA"},
		Parent: nokia, ControlFrom: "2016-01-07"},
	// Xiaomi Corporation is registered in the Cayman Islands; the group is
	// run from Beijing, and that is the country patent records show.
	{Name: xiaomi, ShortName: "Xiaomi", Country: "CN", Aliases: []string{"XIAOMI INC", "Xiaomi Inc."}},
	{Name: xiaomiMobile, ShortName: "Xiaomi Mobile Software", Country: "CN",
		Aliases: []string{"BEIJING XIAOMI MOBILE SOFTWARE CO LTD", "北京小米移动软件有限公司"}, Parent: xiaomi},
	{Name: xiaomiComms, ShortName: "Xiaomi Communications", Country: "CN",
		Aliases: []string{"XIAOMI COMMUNICATIONS CO LTD"}, Parent: xiaomi},
	{Name: hmd, ShortName: "HMD Global", Country: "FI"},
	{Name: apple, ShortName: "Apple", Country: "US", Aliases: []string{"APPLE INC", "Apple Computer, Inc."}},
	{Name: ikea, ShortName: "IKEA", Country: "NL", Aliases: []string{"INTER IKEA SYSTEMS BV"}},
	{Name: philips, ShortName: "Philips", Country: "NL",
		Aliases: []string{"KONINKLIJKE PHILIPS NV", "Koninklijke Philips Electronics N.V."}},
	{Name: signify, ShortName: "Signify", Country: "NL", Aliases: []string{"Philips Lighting N.V.", "SIGNIFY NV"},
		Parent: philips, ControlFrom: "2016-02-01", ControlTo: "2017-11-29"},
	{Name: signifyHolding, ShortName: "Signify Holding", Country: "NL",
		Aliases: []string{"Philips Lighting Holding B.V.", "PHILIPS LIGHTING HOLDING BV", "SIGNIFY HOLDING BV"}, Parent: signify},
}
