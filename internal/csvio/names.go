package csvio

import (
	"strings"
)

// splitNames splits a Google Patents assignee or inventor cell into names.
//
// Google separates names with ", " but company names contain the same
// separator ("Gearbox, Inc.", "Ibiden Co., Ltd."). A piece that is only a
// legal-form or generational suffix therefore stays with the name before it.
// Names whose other parts contain commas ("Eye, Ear, Nose, And Throat
// Hospital") still split wrongly; the importer matches names against known
// companies and aliases, so it can recover those.
func splitNames(cell string) []string {
	var names []string
	for _, piece := range strings.Split(cell, ",") {
		piece = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(piece), "，"))
		if piece == "" {
			continue
		}
		if len(names) > 0 && isNameSuffix(piece) {
			names[len(names)-1] += ", " + piece
			continue
		}
		names = append(names, piece)
	}
	return names
}

// nameSuffixes are legal forms and suffixes that follow a comma in names,
// written without dots and spaces, in lower case.
var nameSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "ltd": true, "limited": true,
	"llc": true, "lp": true, "llp": true, "plc": true, "pllc": true,
	"pc": true, "corp": true, "corporation": true, "co": true,
	"coltd": true, "company": true, "na": true, "gmbh": true, "ag": true,
	"kg": true, "se": true, "sa": true, "sas": true, "sarl": true,
	"spa": true, "srl": true, "nv": true, "bv": true, "ab": true,
	"oy": true, "oyj": true, "as": true, "kk": true,
	"pbc": true, "jr": true, "sr": true, "ii": true, "iii": true, "iv": true,
	// Korean transliterations of Inc., Ltd. and LLC.
	"인크": true, "아이엔씨": true, "엘티디": true, "엘엘씨": true,
}

func isNameSuffix(s string) bool {
	key := strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(s))
	return nameSuffixes[key]
}
