package csvio

import (
	"regexp"
	"strings"
)

// patent maps a data row of any format to a record.
func (l *layout) patent(r *row) PatentRecord {
	switch l.format {
	case FormatGoogle:
		return googlePatent(r)
	case FormatEspacenet:
		return espacenetPatent(r)
	}
	return nativePatent(r)
}

// company maps a data row of a native companies file to a record.
func (l *layout) company(r *row) CompanyRecord {
	c := CompanyRecord{
		Line:      r.line,
		Name:      r.native("name"),
		ShortName: r.native("short_name"),
		Country:   r.native("country"),
		Parent:    r.native("parent"),
		Aliases:   SplitList(r.native("aliases")),
	}
	r.require("name", c.Name)
	c.ControlFrom = r.date("control_from", r.native("control_from"), true)
	c.ControlTo = r.date("control_to", r.native("control_to"), true)
	return c
}

func nativePatent(r *row) PatentRecord {
	date := func(name string) string { return r.date(name, r.native(name), true) }
	p := PatentRecord{
		Line:             r.line,
		Number:           r.native("number"),
		Office:           r.native("office"),
		Kind:             r.native("kind"),
		Title:            r.native("title"),
		Family:           r.native("family"),
		PriorityOn:       date("priority_on"),
		FiledOn:          date("filed_on"),
		PublishedOn:      date("published_on"),
		GrantedOn:        date("granted_on"),
		ExpiresOn:        date("expires_on"),
		Status:           r.native("status"),
		StatusOn:         date("status_on"),
		Owner:            r.native("owner"),
		OriginalOwner:    r.native("original_owner"),
		Tags:             SplitList(r.native("tags")),
		Standards:        SplitList(r.native("standards")),
		SEP:              r.sep("sep", r.native("sep")),
		DesignatedStates: SplitList(r.native("designated_states")),
		CPC:              SplitList(r.native("cpc")),
	}
	r.require("number", p.Number)
	return p
}

// PatentRow returns the cells of a native patents row for p, in the order of
// NativeHeader(KindPatents); Writer.Write escapes them.
func PatentRow(p PatentRecord) []string {
	return []string{p.Number, p.Office, p.Kind, p.Title, p.Family,
		p.PriorityOn, p.FiledOn, p.PublishedOn, p.GrantedOn, p.ExpiresOn,
		p.Status, p.StatusOn, p.Owner, p.OriginalOwner,
		JoinList(p.Tags), JoinList(p.Standards), p.SEP,
		JoinList(p.DesignatedStates), JoinList(p.CPC)}
}

// CompanyRow returns the cells of a native companies row for c, in the order
// of NativeHeader(KindCompanies); Writer.Write escapes them.
func CompanyRow(c CompanyRecord) []string {
	return []string{c.Name, c.ShortName, c.Country, c.Parent,
		c.ControlFrom, c.ControlTo, JoinList(c.Aliases)}
}

// googleID splits Google's "US-9254383-B2" into office and kind.
func googleID(id string) (office, kind string) {
	parts := strings.Split(id, "-")
	if len(parts) != 3 {
		return "", ""
	}
	return parts[0], parts[2]
}

func googlePatent(r *row) PatentRecord {
	p := PatentRecord{
		Line:      r.line,
		Number:    r.cell("id"),
		Title:     r.cell("title"),
		Assignees: splitNames(r.cell("assignee")),
		Inventors: splitNames(r.cell("inventor/author")),
		Link:      r.cell("result link"),
	}
	p.Office, p.Kind = googleID(p.Number)
	if len(p.Assignees) > 0 {
		p.Owner = p.Assignees[0]
	}
	p.PriorityOn = r.date("priority date", r.cell("priority date"), false)
	p.FiledOn = r.date("filing/creation date", r.cell("filing/creation date"), false)
	p.PublishedOn = r.date("publication date", r.cell("publication date"), false)
	p.GrantedOn = r.date("grant date", r.cell("grant date"), false)
	r.require("id", p.Number)
	return p
}

var (
	docdbNumber   = regexp.MustCompile(`^([A-Z]{2})\d+([A-Z]\d?)$`)
	countrySuffix = regexp.MustCompile(`\s*\[[A-Z]{2}\]$`)
	cpcOffices    = regexp.MustCompile(`\s*\([A-Z, ]*\)`)
	cpcSymbol     = regexp.MustCompile(`^[A-HY]\d\d[A-Z]\d+/\d+$`)
)

func espacenetPatent(r *row) PatentRecord {
	numbers := splitMulti(r.cell("publication number"), docdbNumber)
	p := PatentRecord{
		Line:      r.line,
		Title:     r.cell("title"),
		Family:    r.cell("family number"),
		Assignees: espacenetNames(r.cell("applicants")),
		Inventors: espacenetNames(r.cell("inventors")),
		CPC:       splitMulti(cpcOffices.ReplaceAllString(r.cell("cpc"), ""), cpcSymbol),
	}
	if len(numbers) > 0 {
		p.Number, p.AlsoPublishedAs = numbers[0], numbers[1:]
		if len(p.AlsoPublishedAs) == 0 {
			p.AlsoPublishedAs = nil
		}
	}
	if g := docdbNumber.FindStringSubmatch(p.Number); g != nil {
		p.Office, p.Kind = g[1], g[2]
	}
	if len(p.Assignees) > 0 {
		p.Owner = p.Assignees[0]
	}
	p.PriorityOn = r.date("earliest priority", r.cell("earliest priority"), false)
	// With several numbers the cell holds one date per number, in the same
	// order; the first belongs to Number.
	published, column := firstLine(r.cell("publication date")), "publication date"
	if published == "" {
		published, column = r.cell("earliest publication"), "earliest publication"
	}
	p.PublishedOn = r.date(column, published, false)
	r.require("publication number", p.Number)
	return p
}

// espacenetNames splits a cell of names, one a line, dropping the "[FI]"
// country code Espacenet appends to each.
func espacenetNames(cell string) []string {
	var names []string
	for _, s := range strings.Split(cell, "\n") {
		if s = strings.TrimSpace(countrySuffix.ReplaceAllString(strings.TrimSpace(s), "")); s != "" {
			names = append(names, s)
		}
	}
	return names
}

// splitMulti splits a cell holding several values, one a line or separated
// by commas or semicolons. A piece with spaces is split further only if
// every word is a whole value, so that "G21C 3/332" stays one symbol.
func splitMulti(cell string, whole *regexp.Regexp) []string {
	var out []string
	for _, piece := range strings.FieldsFunc(cell, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		words := strings.Fields(piece)
		if len(words) == 0 {
			continue
		}
		split := len(words) > 1
		for _, w := range words {
			split = split && whole.MatchString(w)
		}
		if split {
			out = append(out, words...)
		} else {
			out = append(out, strings.Join(words, " "))
		}
	}
	return out
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(first)
}
