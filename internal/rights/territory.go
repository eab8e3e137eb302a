package rights

import (
	"slices"

	"patentdesk/internal/licensing"
)

// euStates are the member states of the European Union (27, since 2020),
// the territory alias EU.
var euStates = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
	"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

// DefaultTerritory is the territory a question about p means when it names
// none: the patent's office where that is a country, else "" (an EP patent
// covers many states, so the question must say which).
func DefaultTerritory(p *licensing.Patent) string {
	if licensing.ValidCountry(p.Office) {
		return p.Office
	}
	return ""
}

// patentCovers reports whether p's office gives rights in country t: a
// national patent in its own country, an EP patent in its designated
// states (every EPC contracting state when none are recorded).
func patentCovers(p *licensing.Patent, t string) bool {
	switch {
	case p.Office == t:
		return true
	case p.Office == "EP":
		if len(p.DesignatedStates) > 0 {
			return slices.Contains(p.DesignatedStates, t)
		}
		return slices.Contains(licensing.EPCStates, t)
	}
	return false
}

// territoryIn reports whether country t lies within one of a grant's
// territories; an empty list is worldwide.
func territoryIn(territories []string, t string) bool {
	if len(territories) == 0 {
		return true
	}
	for _, code := range territories {
		if territoryContains(code, t) {
			return true
		}
	}
	return false
}

// territoryContains reports whether a territory code (a country or an
// alias) takes in country t.
func territoryContains(code, t string) bool {
	switch code {
	case licensing.TerritoryWorld:
		return true
	case licensing.TerritoryEU:
		return slices.Contains(euStates, t)
	case licensing.TerritoryEPC:
		return slices.Contains(licensing.EPCStates, t)
	}
	return code == t
}

// territoriesOverlap reports whether two grants' territory lists share a
// country.
func territoriesOverlap(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if x == y || x == licensing.TerritoryWorld || y == licensing.TerritoryWorld {
				return true
			}
			for _, c := range expand(x) {
				if territoryContains(y, c) {
					return true
				}
			}
		}
	}
	return false
}

// territoriesWithin reports whether every country of inner lies within
// outer.
func territoriesWithin(inner, outer []string) bool {
	if len(outer) == 0 {
		return true
	}
	if len(inner) == 0 {
		return slices.Contains(outer, licensing.TerritoryWorld)
	}
	for _, x := range inner {
		if x == licensing.TerritoryWorld && !slices.Contains(outer, licensing.TerritoryWorld) {
			return false
		}
		for _, c := range expand(x) {
			if !territoryIn(outer, c) {
				return false
			}
		}
	}
	return true
}

// expand lists the countries of a territory code; WORLD is listed as
// itself, since no list of countries could stand for it.
func expand(code string) []string {
	switch code {
	case licensing.TerritoryEU:
		return euStates
	case licensing.TerritoryEPC:
		return licensing.EPCStates
	}
	return []string{code}
}
