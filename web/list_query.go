package web

import (
	"maps"
	"net/url"
	"slices"

	"patentdesk/templates"
)

// listParams collects a list's filters as URL parameters, leaving out the
// empty ones so that links stay short and bookmarks readable.
type listParams struct{ url.Values }

func newListParams() listParams { return listParams{url.Values{}} }

// set records a filter unless it is empty.
func (p listParams) set(name, value string) {
	if value != "" {
		p.Values.Set(name, value)
	}
}

// flag records a ticked checkbox as name=1.
func (p listParams) flag(name string, on bool) {
	if on {
		p.Values.Set(name, "1")
	}
}

// href is the list at path with these parameters.
func (p listParams) href(path string) string {
	if len(p.Values) == 0 {
		return path
	}
	return path + "?" + p.Encode()
}

// exportParams carries the parameters, in a stable order and every value
// of a repeated one, into the hidden fields of a list's export form.
func (p listParams) exportParams() []templates.Param {
	var out []templates.Param
	for _, name := range slices.Sorted(maps.Keys(p.Values)) {
		for _, value := range p.Values[name] {
			out = append(out, templates.Param{Name: name, Value: value})
		}
	}
	return out
}
