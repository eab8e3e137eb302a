package rights

import (
	"math/rand/v2"
	"testing"

	"patentdesk/internal/licensing"
)

// benchWorld is a generated world of 200 companies in 40 groups and n
// grants among them, as many as the scale issue's data set holds per
// patent (Check) or per licensee group (Routes).
func benchWorld(n int) (links []licensing.Control, names map[int64]string, grants []GrantFact) {
	r := rand.New(rand.NewPCG(1, 2))
	names = map[int64]string{}
	for c := int64(1); c <= 200; c++ {
		names[c] = "Company " + itoa(c)
		if c%5 != 1 {
			links = append(links, licensing.Control{Company: c, Parent: c - c%5 + 1, From: licensing.MustDate("2005-01-01")})
		}
	}
	day := licensing.MustDate("2010-01-01")
	for i := range n {
		a := &licensing.Agreement{ID: int64(i/2 + 1), Reference: "AGR-" + itoa(int64(i/2+1)), Status: licensing.AgreementActive,
			EffectiveOn: day.AddDays(r.IntN(3000)), ExpiresOn: day.AddDays(3000 + r.IntN(4000))}
		g := licensing.Grant{ID: int64(i + 1), LicensorID: int64(r.IntN(200) + 1), LicenseeID: int64(r.IntN(200) + 1),
			LicenseeAffiliates: r.IntN(2) == 0, LicensorAffiliates: r.IntN(2) == 0, Territories: []string{"WORLD"},
			Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive}
		switch i % 3 {
		case 0:
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: day, CaptureTo: day.AddDays(4000),
				Standards: []string{"3GPP LTE"}}
		case 1:
			g.Scope = licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{ID: 1}}}
		default:
			g.Scope = licensing.GrantScope{Kind: licensing.ScopeFamilies, Families: []string{"F1"}}
		}
		if i%50 == 0 {
			g.Exclusivity = licensing.Exclusive
		}
		grants = append(grants, GrantFact{Grant: g, Agreement: a})
	}
	return links, names, grants
}

// BenchmarkCheck answers one question about a patent that 200 grants may
// take in, over a chain of title of three holders.
func BenchmarkCheck(b *testing.B) {
	links, names, grants := benchWorld(200)
	f := &Facts{Patent: licensing.Patent{ID: 1, Normalized: "EP1000001B1", Office: "EP", Family: "F1", Status: licensing.StatusGranted,
		FiledOn: licensing.MustDate("2009-03-01"), OriginalOwnerID: 6, Standards: []string{"3GPP LTE"}},
		Chain: []licensing.Holding{{OwnerID: 6, From: licensing.MustDate("2009-03-01"), To: licensing.MustDate("2014-12-31")},
			{OwnerID: 7, From: licensing.MustDate("2015-01-01"), To: licensing.MustDate("2019-12-31")},
			{OwnerID: 50, From: licensing.MustDate("2020-01-01")}},
		Links: links, Names: names, Grants: grants}
	q := Question{Company: 12, Territory: "DE", Field: "mobile devices", On: licensing.MustDate("2021-06-01")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(q, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoutes finds the coverage routes of a company among 5,000
// grants, a hundred of them exclusive.
func BenchmarkRoutes(b *testing.B) {
	links, names, grants := benchWorld(5000)
	q := CoverageQuestion{Company: 12, On: licensing.MustDate("2021-06-01")}
	b.ReportAllocs()
	for b.Loop() {
		if len(Routes(q, links, names, grants)) == 0 {
			b.Fatal("no routes")
		}
	}
}
