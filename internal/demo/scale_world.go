package demo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// scaleSector is what a corporate group works in: the technology tags,
// standards, patent classes and fields of use of its patents and deals.
type scaleSector struct {
	name      string
	units     []string // the subsidiaries' business lines
	tags      []string
	standards []string // the standards its patents may be declared to
	cpc       []string // CPC main groups its patents fall in
	fields    []string // fields of use its licences name
	words     []string // title words
}

var scaleSectors = []scaleSector{
	{name: "Telecom", units: []string{"Networks", "Mobile", "Technologies", "Research"},
		tags: []string{"cellular", "5g", "lte", "wifi", "iot"}, standards: []string{"3GPP LTE", "3GPP NR", "3GPP UMTS", "Wi-Fi"},
		cpc:    []string{"H04W 72/04", "H04W 36/00", "H04L 5/00", "H04B 7/06", "H04W 74/08"},
		fields: []string{"mobile devices", "network infrastructure", "iot modules"},
		words:  []string{"handover", "beam management", "uplink scheduling", "random access", "carrier aggregation", "paging", "channel state feedback", "sidelink"}},
	{name: "Devices", units: []string{"Mobile", "Consumer Electronics", "Wearables", "Display"},
		tags: []string{"cellular", "display", "battery", "camera", "iot"}, standards: []string{"3GPP LTE", "Wi-Fi", "Bluetooth"},
		cpc:    []string{"G06F 3/041", "H04M 1/72", "G09G 3/32", "H01M 10/44", "H04N 23/60"},
		fields: []string{"mobile devices", "wearables", "consumer electronics"},
		words:  []string{"touch input", "foldable display", "battery charging", "camera module", "antenna arrangement", "power management", "haptic feedback"}},
	{name: "Semiconductor", units: []string{"Foundry", "Design", "RF", "Memory"},
		tags: []string{"semiconductor", "5g", "rf"}, standards: []string{"3GPP NR", "JEDEC DDR5"},
		cpc:    []string{"H01L 21/02", "H01L 23/00", "H03F 3/19", "G11C 11/40", "H10B 12/00"},
		fields: []string{"chipsets", "automotive", "data centres"},
		words:  []string{"transistor gate", "wafer bonding", "power amplifier", "memory cell", "interconnect", "packaging substrate"}},
	{name: "Lighting", units: []string{"Lighting", "Smart Home", "Professional", "Components"},
		tags: []string{"lighting", "smart-home", "iot", "zigbee"}, standards: []string{"Zigbee", "Matter", "Bluetooth"},
		cpc:    []string{"H05B 47/19", "H05B 45/20", "F21V 23/04", "H04L 12/28"},
		fields: []string{"smart home", "professional lighting", "automotive lighting"},
		words:  []string{"led driver", "dimming control", "colour tuning", "presence sensing", "lighting network", "luminaire"}},
	{name: "Automotive", units: []string{"Automotive", "Connected Car", "Mobility", "Electronics"},
		tags: []string{"automotive", "v2x", "ev", "cellular"}, standards: []string{"3GPP LTE", "3GPP NR", "ETSI ITS-G5"},
		cpc:    []string{"B60W 30/00", "B60L 53/00", "H04W 4/40", "G08G 1/16"},
		fields: []string{"automotive", "commercial vehicles", "charging infrastructure"},
		words:  []string{"vehicle communication", "battery thermal management", "driver assistance", "charging connector", "collision warning"}},
	{name: "Media", units: []string{"Video", "Audio", "Streaming", "Imaging"},
		tags: []string{"video", "audio", "codec", "streaming"}, standards: []string{"HEVC", "VVC", "AV1", "AAC"},
		cpc:    []string{"H04N 19/70", "H04N 19/176", "G10L 19/00", "H04N 21/23"},
		fields: []string{"consumer electronics", "streaming services", "broadcast"},
		words:  []string{"motion vector prediction", "entropy coding", "loop filtering", "audio coding", "adaptive streaming", "picture partitioning"}},
	{name: "AI", units: []string{"AI", "Cloud", "Reality Labs", "Robotics"},
		tags: []string{"ai", "ar", "vr", "cloud"}, standards: []string{},
		cpc:    []string{"G06N 3/08", "G06T 19/00", "G06F 9/50", "G02B 27/01"},
		fields: []string{"ar/vr", "cloud services", "robotics"},
		words:  []string{"neural network training", "head-mounted display", "scene reconstruction", "model compression", "gesture recognition"}},
	{name: "Home", units: []string{"Home", "Appliances", "Smart Home", "Furnishing"},
		tags: []string{"smart-home", "iot", "appliances"}, standards: []string{"Zigbee", "Matter", "Wi-Fi"},
		cpc:    []string{"H04L 12/28", "F24C 7/08", "D06F 34/28", "G05B 15/02"},
		fields: []string{"smart home", "home appliances"},
		words:  []string{"appliance control", "speaker", "air purifier", "home hub", "energy metering", "blind actuator"}},
}

// scaleBrands are the invented names of the corporate groups.
var scaleBrands = []string{"Aurora", "Borealis", "Cobalt", "Delphine", "Ember", "Fjord", "Granite", "Helios", "Isola", "Juniper",
	"Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pelican", "Quasar", "Rhodium", "Sable", "Tundra",
	"Umbra", "Vantage", "Wren", "Xylo", "Yarrow", "Zenith", "Altair", "Basalt", "Cirrus", "Dynamo",
	"Equinox", "Falcon", "Glacier", "Harbor", "Indigo", "Jasper", "Krypton", "Lotus", "Mistral", "Nova"}

// scaleCountries are the groups' home countries with the legal forms
// their companies take and the patent office they first file with.
var scaleCountries = []struct {
	code, holding, company, office string
}{
	{"FI", "Oyj", "Oy", "EP"}, {"SE", "AB (publ)", "AB", "EP"}, {"DE", "SE", "GmbH", "DE"}, {"NL", "N.V.", "B.V.", "EP"},
	{"US", "Inc.", "LLC", "US"}, {"US", "Corporation", "Inc.", "US"}, {"CN", "Group Co., Ltd.", "Co., Ltd.", "CN"},
	{"JP", "Holdings Corporation", "Co., Ltd.", "JP"}, {"KR", "Holdings Co., Ltd.", "Co., Ltd.", "KR"},
	{"FR", "S.A.", "SAS", "EP"}, {"GB", "plc", "Limited", "GB"}, {"CH", "AG", "AG", "EP"},
}

const (
	scaleGroups    = 40
	firmsPerGroup  = 5 // a holding and four subsidiaries
	firstScaleYear = 1998
)

// companies creates the 40 groups: each a holding with four subsidiaries,
// one of them acquired during the years and one sold off, so that
// affiliation depends on the date asked. It also sets how much each
// company files: a few are prolific, most are not.
func (g *scaleGen) companies(ctx context.Context, db *sqlite.DB) error {
	for gi := range scaleGroups {
		brand := scaleBrands[gi]
		sector := scaleSectors[gi%len(scaleSectors)]
		home := scaleCountries[(gi*7)%len(scaleCountries)]
		group := scaleGroup{brand: brand, sector: sector}
		holding := &licensing.Company{Name: fmt.Sprintf("%s %s %s", brand, sector.name, home.holding), ShortName: brand,
			Country: home.code, Aliases: []string{strings.ToUpper(brand + " " + sector.name + " Holding")}}
		if err := g.addFirm(ctx, db, gi, &group, holding); err != nil {
			return err
		}
		for ui, unit := range sector.units {
			where := home
			if ui == 3 {
				where = scaleCountries[(gi*7+3)%len(scaleCountries)] // a foreign subsidiary
			}
			c := &licensing.Company{Name: fmt.Sprintf("%s %s %s", brand, unit, where.company), ShortName: brand + " " + unit,
				Country: where.code, ParentID: holding.ID, Aliases: []string{strings.ToUpper(brand + " " + unit)}}
			switch ui {
			case 2: // acquired
				c.ControlFrom = year(2008 + g.rng.IntN(12)).AddDays(g.rng.IntN(365))
			case 3: // sold off
				c.ControlTo = year(2012 + g.rng.IntN(12)).AddDays(g.rng.IntN(365))
			}
			if err := g.addFirm(ctx, db, gi, &group, c); err != nil {
				return err
			}
		}
		g.groups = append(g.groups, group)
	}
	g.report.Groups = len(g.groups)
	g.report.Companies = len(g.firms)
	// Zipf-like shares: the largest filer files about 40 times what the
	// smallest does. The order is shuffled so that large filers are spread
	// over sectors.
	order := g.rng.Perm(len(g.firms))
	total := 0.0
	g.weights = make([]float64, len(g.firms))
	for i, rank := range order {
		total += 1 / math.Pow(float64(rank)+3, 0.9)
		g.weights[i] = total
	}
	for i := range g.weights {
		g.weights[i] /= total
	}
	return nil
}

func (g *scaleGen) addFirm(ctx context.Context, db *sqlite.DB, gi int, group *scaleGroup, c *licensing.Company) error {
	if err := db.CreateCompany(ctx, g.actor, c); err != nil {
		return fmt.Errorf("company %s: %w", c.Name, err)
	}
	f := &scaleFirm{id: c.ID, name: c.Name, group: gi, country: c.Country}
	group.firms = append(group.firms, f)
	g.firms = append(g.firms, f)
	return nil
}

// filer returns a company chosen by its share of the patents.
func (g *scaleGen) filer() *scaleFirm {
	x := g.rng.Float64()
	return g.firms[min(sort.SearchFloat64s(g.weights, x), len(g.firms)-1)]
}
