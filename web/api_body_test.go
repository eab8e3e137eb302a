package web

import "testing"

// TestStrictDecodeNamesTheFullPath checks that a refused body names the
// field at fault with its list positions, which encoding/json leaves out.
func TestStrictDecodeNamesTheFullPath(t *testing.T) {
	type grant struct {
		Licensor apiRef `json:"licensor"`
	}
	type body struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
		Grants  []grant  `json:"grants"`
		Matrix  [][]int  `json:"matrix"`
	}
	cases := []struct {
		name, json, field, problem string
	}{
		{"Field", `{"name": 5}`, "name", "must be a string, not number"},
		{"ListItem", `{"aliases": ["Nokia Oyj", 5]}`, "aliases.1", "must be a string, not number"},
		{"NotAList", `{"aliases": "Nokia Oyj"}`, "aliases", "must be a list, not string"},
		{"ListForAValue", `{"name": ["Nokia"]}`, "name", "must be a string, not array"},
		{"FieldOfAListItem", `{"grants": [{"licensor": "Nokia"}, {"licensor": {"id": 1}}]}`, "grants.1.licensor",
			"must be a string or a number, not object"},
		{"ListInAList", `{"matrix": [[1, 2], [3, "4"]]}`, "matrix.1.1", "must be a whole number, not string"},
		{"ListForAListItem", `{"aliases": ["Nokia Oyj", ["Nokia"]]}`, "aliases.1", "must be a string, not array"},
		{"NumberTooLarge", `{"matrix": [[1, 1e100]]}`, "matrix.0.1", "must be a whole number, not number 1e100"},
		{"WholeBody", `["Nokia"]`, "", "must be an object, not array"},
		{"UnknownField", `{"nmae": "Nokia"}`, "nmae", "is not a field of this resource"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b body
			field, problem := strictDecode([]byte(tc.json), &b)
			if field != tc.field || problem != tc.problem {
				t.Errorf("%s: field %q (%s), want %q (%s)", tc.json, field, problem, tc.field, tc.problem)
			}
		})
	}
}
