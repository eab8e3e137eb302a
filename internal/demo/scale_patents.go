package demo

import (
	"context"
	"fmt"
	"math"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// scaleOffices are the offices a family extends to after its first filing.
var scaleOffices = []string{"US", "EP", "CN", "JP", "KR", "DE", "GB", "WO"}

// epStates are the states an EP patent may be validated in when it names
// some rather than all.
var epStates = []string{"DE", "FR", "GB", "IT", "ES", "NL", "SE", "FI", "CH", "AT", "BE", "DK", "PL"}

// patents streams n patents, family by family, into the store's bulk
// loader, and keeps a sample of each company's patents for the agreements.
func (g *scaleGen) patents(ctx context.Context, db *sqlite.DB, n int) error {
	numbers := &scaleNumbers{next: map[string]int{}}
	written, families := 0, 0
	stream := func(yield func(*licensing.Patent) bool) {
		for written < n {
			owner := g.filer()
			members := min(g.familySize(), n-written)
			families++
			for _, p := range g.family(owner, families, members, numbers) {
				written++
				owner.filed++
				g.keep(owner, p)
				if !yield(p) {
					return
				}
			}
		}
	}
	loaded, err := db.LoadPatents(ctx, g.actor, fmt.Sprintf("demo --scale %d", n), stream)
	if err != nil {
		return fmt.Errorf("generating patents: %w", err)
	}
	g.report.Patents, g.report.Families = loaded, families
	return nil
}

// familySize draws the members of a family: most have one to three, a few
// (continuations and divisionals filed everywhere) up to twelve.
func (g *scaleGen) familySize() int {
	switch x := g.rng.Float64(); {
	case x < 0.35:
		return 1
	case x < 0.55:
		return 2
	case x < 0.70:
		return 3
	case x < 0.80:
		return 4
	case x < 0.95:
		return 5 + g.rng.IntN(4)
	default:
		return 9 + g.rng.IntN(4)
	}
}

// family makes the members of one family: the first filing at the owner's
// home office, the rest in other offices within the priority year or at
// the national phase of a PCT application.
func (g *scaleGen) family(owner *scaleFirm, index, size int, numbers *scaleNumbers) []*licensing.Patent {
	group := g.groups[owner.group]
	sector := group.sector
	// More filings in later years, as in the real statistics.
	span := scaleAnchor.Time().Year() - firstScaleYear
	priority := year(firstScaleYear + int(float64(span)*math.Sqrt(g.rng.Float64()))).AddDays(g.rng.IntN(365))
	if !priority.Before(scaleAnchor) {
		priority = scaleAnchor.AddDays(-1 - g.rng.IntN(300))
	}
	title := fmt.Sprintf("%s for %s %s", pick(g.rng, []string{"Method", "Apparatus", "System", "Method and apparatus", "Device"}),
		pick(g.rng, sector.words), pick(g.rng, []string{"in a wireless network", "with reduced latency", "using feedback",
			"for low-power operation", "and related products", "with improved reliability", "in a distributed system"}))
	var tags, standards []string
	for _, t := range g.rng.Perm(len(sector.tags))[:1+g.rng.IntN(min(3, len(sector.tags)))] {
		tags = append(tags, sector.tags[t])
	}
	sep, sepRef := false, ""
	if len(sector.standards) > 0 && chance(g.rng, 0.35) {
		standards = []string{pick(g.rng, sector.standards)}
		if chance(g.rng, 0.5) {
			sep, sepRef = true, fmt.Sprintf("ISLD-%d-%04d", priority.Time().Year()+2, g.rng.IntN(10000))
		}
	}
	cpc := []string{pick(g.rng, sector.cpc)}
	home := homeOffice(owner.country)
	offices := []string{home}
	for _, i := range g.rng.Perm(len(scaleOffices)) {
		if len(offices) == size {
			break
		}
		if scaleOffices[i] != home {
			offices = append(offices, scaleOffices[i])
		}
	}
	for len(offices) < size { // continuations and divisionals
		offices = append(offices, pick(g.rng, []string{"US", "US", "EP", "CN"}))
	}
	family := fmt.Sprintf("%08d", 30_000_000+index)
	out := make([]*licensing.Patent, 0, size)
	for i, office := range offices {
		p := &licensing.Patent{Title: title, Family: family, PriorityOn: priority, Tags: tags, Standards: standards,
			SEP: sep, SEPReference: sepRef, CPC: cpc, OriginalOwnerID: owner.id, Office: office}
		switch {
		case i == 0:
			p.FiledOn = priority
		case office == "WO" || i%3 == 2: // within the priority year
			p.FiledOn = priority.AddDays(150 + g.rng.IntN(215))
		default: // national phase of a PCT application
			p.FiledOn = priority.AddMonths(30).AddDays(-g.rng.IntN(20))
		}
		if p.FiledOn.After(scaleAnchor) {
			// Not filed yet: a recent family has only its first filings.
			// (Moving such members to the anchor day piled 57,000 patents
			// of a million onto one filing date.)
			continue
		}
		if pub := priority.AddMonths(18); pub.Before(scaleAnchor) {
			p.PublishedOn = later(pub, p.FiledOn)
		}
		g.status(p)
		numbers.assign(g, p)
		if office == "EP" && chance(g.rng, 0.3) {
			for _, s := range g.rng.Perm(len(epStates))[:3+g.rng.IntN(6)] {
				p.DesignatedStates = append(p.DesignatedStates, epStates[s])
			}
		}
		out = append(out, p)
	}
	return out
}

// later returns the later of two days.
func later(a, b licensing.Date) licensing.Date {
	if a.After(b) {
		return a
	}
	return b
}

// homeOffice is the office a company of country first files with.
func homeOffice(country string) string {
	for _, c := range scaleCountries {
		if c.code == country {
			return c.office
		}
	}
	return "EP"
}

// status sets grant, status and any term adjustment from the filing date:
// most applications are granted after two to five years, some abandoned;
// some granted patents lapse for want of fees, a few are revoked, and
// those past their term are expired.
func (g *scaleGen) status(p *licensing.Patent) {
	p.Status = licensing.StatusPending
	if p.Office == "WO" { // an international application is never granted as such
		return
	}
	decided := p.FiledOn.AddDays(700 + g.rng.IntN(1100))
	switch x := g.rng.Float64(); {
	case !decided.Before(scaleAnchor):
		return
	case x < 0.1:
		p.Status, p.StatusOn = licensing.StatusAbandoned, decided
		return
	}
	p.GrantedOn = decided
	p.Status = licensing.StatusGranted
	if p.Office == "US" && chance(g.rng, 0.15) { // patent term adjustment
		p.ExpiresOn = p.ComputedExpiry().AddDays(1 + g.rng.IntN(900))
	}
	expiry, _ := p.Expiry()
	switch x := g.rng.Float64(); {
	case x < 0.12:
		if lapse := decided.AddDays(700 + g.rng.IntN(3000)); lapse.Before(scaleAnchor) && lapse.Before(expiry) {
			p.Status, p.StatusOn = licensing.StatusLapsed, lapse
			return
		}
	case x < 0.13:
		if revoked := decided.AddDays(300 + g.rng.IntN(1500)); revoked.Before(scaleAnchor) && revoked.Before(expiry) {
			p.Status, p.StatusOn = licensing.StatusRevoked, revoked
			return
		}
	}
	if expiry.Before(scaleAnchor) {
		p.Status = licensing.StatusExpired
	}
}

// keep puts a patent into its owner's reservoir sample, so that every
// patent of the owner is equally likely to be there.
func (g *scaleGen) keep(owner *scaleFirm, p *licensing.Patent) {
	sp := scalePatent{number: p.Number, family: p.Family, filed: p.FiledOn}
	if len(owner.sample) < sampleSize {
		owner.sample = append(owner.sample, sp)
		return
	}
	if i := g.rng.IntN(owner.filed); i < sampleSize {
		owner.sample[i] = sp
	}
}

// scaleNumbers hands out unique patent numbers per office and kind.
type scaleNumbers struct {
	next map[string]int
}

// numberStart is where each office's invented numbers begin.
var numberStart = map[string]int{"US": 7_000_000, "US-pub": 100_000, "EP": 1_000_000, "CN": 100_000_000, "JP": 5_000_000,
	"KR": 1_000_000, "DE": 10_000, "GB": 2_400_000, "WO": 10_000}

// assign numbers the patent as its office would: a grant number with a B
// kind once granted, a publication number with an A kind before; a few
// are written as people type them, with spaces and commas.
func (n *scaleNumbers) assign(g *scaleGen, p *licensing.Patent) {
	granted := !p.GrantedOn.IsZero()
	key := p.Office
	if p.Office == "US" && !granted {
		key = "US-pub"
	}
	if _, ok := n.next[key]; !ok {
		n.next[key] = numberStart[key]
	}
	n.next[key] += 1 + g.rng.IntN(5)
	v := n.next[key]
	y := p.FiledOn.Time().Year()
	spaced := g.rng.IntN(5) == 0
	switch p.Office {
	case "US":
		if !granted {
			// Pre-grant publications began in 2001.
			p.Number = fmt.Sprintf("US %d/%07d A1", max(y+1, 2001), v)
			return
		}
		kind := pick(g.rng, []string{"B2", "B2", "B2", "B1"})
		if spaced {
			p.Number = fmt.Sprintf("US %d,%03d,%03d %s", v/1_000_000, v/1000%1000, v%1000, kind)
		} else {
			p.Number = fmt.Sprintf("US%d%s", v, kind)
		}
	case "EP":
		kind := kindOf(granted, "B1", "A1")
		if spaced {
			p.Number = fmt.Sprintf("EP %d %03d %03d %s", v/1_000_000, v/1000%1000, v%1000, kind)
		} else {
			p.Number = fmt.Sprintf("EP%d%s", v, kind)
		}
	case "CN":
		p.Number = fmt.Sprintf("CN%d%s", v, kindOf(granted, "B", "A"))
	case "JP":
		p.Number = fmt.Sprintf("JP%d%s", v, kindOf(granted, "B2", "A"))
	case "KR":
		p.Number = fmt.Sprintf("KR10%07d%s", v, kindOf(granted, "B1", "A"))
	case "DE":
		p.Number = fmt.Sprintf("DE10%d%06d%s", y, v, kindOf(granted, "B4", "A1"))
	case "GB":
		p.Number = fmt.Sprintf("GB%d%s", v, kindOf(granted, "B", "A"))
	case "WO":
		p.Number = fmt.Sprintf("WO%d%06dA1", y+1, v)
	}
}

func kindOf(granted bool, grant, application string) string {
	if granted {
		return grant
	}
	return application
}
