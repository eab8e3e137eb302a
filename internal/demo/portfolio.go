package demo

import (
	"context"
	"errors"
	"fmt"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// loadedRecords is what Load has written so far, in order, so that a
// failure can remove it again.
type loadedRecords struct {
	companies []int64
	patents   []int64
}

// loadPortfolio writes the demo companies, parents first, and then the demo
// patents. Each error names the record it is about.
func loadPortfolio(ctx context.Context, db *sqlite.DB, actor sqlite.Actor) (loadedRecords, error) {
	var loaded loadedRecords
	ids := map[string]int64{}
	for _, dc := range companies {
		c, err := dc.company(ids)
		if err == nil {
			err = db.CreateCompany(ctx, actor, c)
		}
		if err != nil {
			return loaded, fmt.Errorf("demo company %q: %w", dc.Name, err)
		}
		ids[c.Name] = c.ID
		loaded.companies = append(loaded.companies, c.ID)
	}
	for _, dp := range patents {
		p, err := dp.patent(ids)
		if err == nil {
			err = db.CreatePatent(ctx, actor, p)
		}
		if err != nil {
			return loaded, fmt.Errorf("demo patent %s: %w", dp.Number, err)
		}
		loaded.patents = append(loaded.patents, p.ID)
	}
	return loaded, nil
}

// undo deletes the loaded records, patents first and companies children
// first, and returns cause together with any failure to clean up. It runs
// even when ctx was cancelled, since a cancelled load is what it is for.
func (l loadedRecords) undo(ctx context.Context, db *sqlite.DB, actor sqlite.Actor, cause error) error {
	ctx = context.WithoutCancel(ctx)
	var failed []error
	for i := len(l.patents) - 1; i >= 0; i-- {
		if err := db.DeletePatent(ctx, actor, l.patents[i]); err != nil {
			failed = append(failed, err)
		}
	}
	for i := len(l.companies) - 1; i >= 0; i-- {
		if err := db.DeleteCompany(ctx, actor, l.companies[i]); err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w; removing the partly loaded demo data failed too, so start again with an empty data directory: %w",
			cause, errors.Join(failed...))
	}
	return fmt.Errorf("%w; the partly loaded demo data was removed again", cause)
}

// company turns a demo company into a licensing.Company, finding its parent
// among the companies already loaded.
func (dc demoCompany) company(ids map[string]int64) (*licensing.Company, error) {
	c := &licensing.Company{Name: dc.Name, ShortName: dc.ShortName, Country: dc.Country, Aliases: dc.Aliases}
	if dc.Parent != "" {
		if c.ParentID = ids[dc.Parent]; c.ParentID == 0 {
			return nil, fmt.Errorf("parent %q is not listed before it", dc.Parent)
		}
	}
	err := parseDates([]dateField{
		{"control_from", dc.ControlFrom, &c.ControlFrom},
		{"control_to", dc.ControlTo, &c.ControlTo},
	})
	return c, err
}

// patent turns a demo patent into a licensing.Patent owned by the company
// of that name.
func (dp demoPatent) patent(ids map[string]int64) (*licensing.Patent, error) {
	p := &licensing.Patent{
		Number: dp.Number, Title: dp.Title, Family: dp.Family, Status: dp.Status,
		Tags: dp.Tags, Standards: dp.Standards, SEP: dp.SEP != "", SEPReference: dp.SEP,
		CPC: dp.CPC, DesignatedStates: dp.States, OriginalOwnerID: ids[dp.Owner],
	}
	if p.OriginalOwnerID == 0 {
		return nil, fmt.Errorf("owner %q is not a demo company", dp.Owner)
	}
	err := parseDates([]dateField{
		{"priority_on", dp.Priority, &p.PriorityOn},
		{"filed_on", dp.Filed, &p.FiledOn},
		{"published_on", dp.Published, &p.PublishedOn},
		{"granted_on", dp.Granted, &p.GrantedOn},
		{"expires_on", dp.Expires, &p.ExpiresOn},
		{"status_on", dp.StatusOn, &p.StatusOn},
	})
	return p, err
}

// dateField is a date as written in the data set, named as forms and CSV
// files name it, and where it goes.
type dateField struct {
	name string
	text string
	dst  *licensing.Date
}

// parseDates parses each field, naming every bad one.
func parseDates(fields []dateField) error {
	var errs []error
	for _, f := range fields {
		d, err := licensing.ParseDate(f.text)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
		}
		*f.dst = d
	}
	return errors.Join(errs...)
}
