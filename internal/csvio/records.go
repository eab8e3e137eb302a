package csvio

import (
	"strconv"

	"patentdesk/internal/licensing"
)

// PatentRecordOf is a stored patent as a native export row shows it: its
// normalized number, its expiry as in force (computed or overridden), the
// owner today and the original owner by name.
func PatentRecordOf(p *licensing.Patent, owner, originalOwner string) PatentRecord {
	expiry, _ := p.Expiry()
	return PatentRecord{
		Number:           p.Normalized,
		Office:           p.Office,
		Kind:             p.Kind,
		Title:            p.Title,
		Family:           p.Family,
		PriorityOn:       p.PriorityOn.String(),
		FiledOn:          p.FiledOn.String(),
		PublishedOn:      p.PublishedOn.String(),
		GrantedOn:        p.GrantedOn.String(),
		ExpiresOn:        expiry.String(),
		Status:           string(p.Status),
		StatusOn:         p.StatusOn.String(),
		Owner:            owner,
		OriginalOwner:    originalOwner,
		Tags:             p.Tags,
		Standards:        p.Standards,
		SEP:              strconv.FormatBool(p.SEP),
		DesignatedStates: p.DesignatedStates,
		CPC:              p.CPC,
	}
}

// CompanyRecordOf is a stored company as a native export row shows it, with
// its parent by legal name.
func CompanyRecordOf(c *licensing.Company, parent string) CompanyRecord {
	return CompanyRecord{
		Name:        c.Name,
		ShortName:   c.ShortName,
		Country:     c.Country,
		Parent:      parent,
		ControlFrom: c.ControlFrom.String(),
		ControlTo:   c.ControlTo.String(),
		Aliases:     c.Aliases,
	}
}
