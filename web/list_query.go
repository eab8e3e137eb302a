package web

import (
	"net/url"
	"sort"

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

// exportParams carries the parameters, in a stable order, into the hidden
// fields of a list's export form.
func (p listParams) exportParams() []templates.Param {
	names := make([]string, 0, len(p.Values))
	for name := range p.Values {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]templates.Param, 0, len(names))
	for _, name := range names {
		out = append(out, templates.Param{Name: name, Value: p.Get(name)})
	}
	return out
}
