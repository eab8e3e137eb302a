package licensing

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// nokiaTechnologies returns a valid company with a parent link; each test
// case changes what it is about.
func nokiaTechnologies() Company {
	return Company{
		ID:          2,
		Name:        "Nokia Technologies Oy",
		ShortName:   "Nokia Technologies",
		Country:     "FI",
		Aliases:     []string{"NOKIA TECHNOLOGIES OY", "Nokia Technologies Ltd"},
		ParentID:    1,
		ControlFrom: MustDate("2014-01-01"),
	}
}

func TestCompanyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Company)
		field  string // "" for a valid company
		says   string
	}{
		{"ValidCompany", nil, "", ""},
		{"ValidWithoutCountryOrParent", func(c *Company) {
			c.Country, c.ParentID, c.ControlFrom = "", 0, Date{}
		}, "", ""},
		{"ValidControlOfOneDay", func(c *Company) { c.ControlTo = c.ControlFrom }, "", ""},
		{"NameMissing", func(c *Company) { c.Name = "  " }, "name", "required"},
		{"NameTooLong", func(c *Company) { c.Name = strings.Repeat("N", 301) }, "name", "300"},
		{"CountryUnknown", func(c *Company) { c.Country = "UK" }, "country", `"UK"`},
		{"CountryLowerCase", func(c *Company) { c.Country = "fi" }, "country", `"fi"`},
		{"OwnParent", func(c *Company) { c.ParentID = c.ID }, "parent_id", "own parent"},
		{"ControlEndsBeforeItStarts", func(c *Company) { c.ControlTo = MustDate("2013-12-31") }, "control_to", "2013-12-31"},
		{"ControlFromWithoutParent", func(c *Company) { c.ParentID = 0 }, "control_from", "parent"},
		{"ControlToWithoutParent", func(c *Company) {
			c.ParentID, c.ControlFrom, c.ControlTo = 0, Date{}, MustDate("2020-01-01")
		}, "control_to", "parent"},
		{"EmptyAlias", func(c *Company) { c.Aliases = append(c.Aliases, " ") }, "aliases", "position 3"},
		{"AliasTwiceInOtherCase", func(c *Company) { c.Aliases = append(c.Aliases, "nokia technologies oy ") }, "aliases", "listed twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := nokiaTechnologies()
			if tc.change != nil {
				tc.change(&c)
			}
			errs := c.Validate()
			if tc.field == "" {
				if len(errs) != 0 {
					t.Fatalf("Validate() = %v, want no errors", errs)
				}
				return
			}
			if fields := slices.Sorted(maps.Keys(errs)); !slices.Equal(fields, []string{tc.field}) {
				t.Fatalf("Validate() flags %v (%v), want only %q", fields, errs, tc.field)
			}
			if !strings.Contains(errs[tc.field], tc.says) {
				t.Errorf("message %q does not say %q", errs[tc.field], tc.says)
			}
		})
	}
}
