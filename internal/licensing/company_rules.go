package licensing

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxCompanyName bounds legal names; the longest real ones stay well below.
const maxCompanyName = 300

// Validate returns a message for each field that is wrong, keyed by the
// field's snake_case name (name, country, parent_id, control_from,
// control_to, aliases).
func (c *Company) Validate() map[string]string {
	errs := map[string]string{}
	name := strings.TrimSpace(c.Name)
	switch {
	case name == "":
		errs["name"] = "A legal name is required."
	case utf8.RuneCountInString(name) > maxCompanyName:
		errs["name"] = fmt.Sprintf("The legal name is longer than %d characters.", maxCompanyName)
	}
	if c.Country != "" && !ValidCountry(c.Country) {
		errs["country"] = fmt.Sprintf("%s is not a two-letter country code such as FI or CN.", quoteInput(c.Country))
	}
	if c.ParentID != 0 && c.ParentID == c.ID {
		errs["parent_id"] = "A company cannot be its own parent."
	}
	if c.ParentID == 0 {
		// A control period without a parent would say nothing, and would
		// spring to life when a parent is added later.
		if !c.ControlFrom.IsZero() {
			errs["control_from"] = "A control period needs a parent company."
		}
		if !c.ControlTo.IsZero() {
			errs["control_to"] = "A control period needs a parent company."
		}
	} else if !c.ControlFrom.IsZero() && !c.ControlTo.IsZero() && c.ControlTo.Before(c.ControlFrom) {
		errs["control_to"] = fmt.Sprintf("The end of control %s is before its start %s.", c.ControlTo, c.ControlFrom)
	}
	if msg := aliasProblem(c.Aliases); msg != "" {
		errs["aliases"] = msg
	}
	return errs
}

// aliasProblem describes the first empty or repeated alias. Repeats are found
// regardless of case, since patent records write one applicant both in
// capitals and in mixed case.
func aliasProblem(aliases []string) string {
	seen := map[string]bool{}
	for i, a := range aliases {
		a = strings.TrimSpace(a)
		key := strings.ToLower(a)
		switch {
		case a == "":
			return fmt.Sprintf("The alias in position %d is empty.", i+1)
		case seen[key]:
			return fmt.Sprintf("The alias %s is listed twice.", quoteInput(a))
		}
		seen[key] = true
	}
	return ""
}
