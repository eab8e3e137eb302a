package demo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// draftAgreement is a demo agreement as stored, still a draft, and the
// status it is to reach.
type draftAgreement struct {
	stored *licensing.Agreement
	final  licensing.Agreement
}

// loadAgreements writes every demo agreement of list as a draft, with what
// it holds, and marks the occurrences of its obligations that were met. It
// returns the agreements written so far, also on error.
func loadAgreements(ctx context.Context, db *sqlite.DB, actor sqlite.Actor, list []demoAgreement) ([]draftAgreement, error) {
	ids := map[string]int64{}
	companyID := func(name string) (int64, error) {
		if id, ok := ids[name]; ok {
			return id, nil
		}
		c, err := db.CompanyByName(ctx, name)
		if err != nil {
			return 0, fmt.Errorf("company %q: %w", name, err)
		}
		ids[name] = c.ID
		return c.ID, nil
	}
	refs := map[string]int64{}
	var written []draftAgreement
	for _, da := range list {
		final, err := da.resolve(companyID, refs)
		if err != nil {
			return written, fmt.Errorf("demo agreement %s: %w", da.Reference, err)
		}
		draft := asDraft(final)
		if err := db.CreateAgreement(ctx, actor, draft); err != nil {
			return written, fmt.Errorf("demo agreement %s: %w", da.Reference, err)
		}
		written = append(written, draftAgreement{stored: draft, final: *final})
		refs[draft.Reference] = draft.ID
		if err := settle(ctx, db, actor, draft, da.settled); err != nil {
			return written, fmt.Errorf("demo agreement %s: %w", da.Reference, err)
		}
	}
	return written, nil
}

// settle marks every occurrence met that falls due up to the date settled
// names for its obligation, as done on its due date.
func settle(ctx context.Context, db *sqlite.DB, actor sqlite.Actor, a *licensing.Agreement, settled map[string]licensing.Date) error {
	for _, title := range slices.Sorted(maps.Keys(settled)) {
		i := slices.IndexFunc(a.Obligations, func(o licensing.Obligation) bool { return o.Title == title })
		if i < 0 {
			return fmt.Errorf("no obligation %q to mark as met", title)
		}
		o := &a.Obligations[i]
		for _, due := range o.DueDates(a, settled[title]) {
			if err := db.MarkOccurrence(ctx, actor, o.ID, due, licensing.ObligationDone, due); err != nil {
				return fmt.Errorf("obligation %q due %s: %w", title, due, err)
			}
		}
	}
	return nil
}

// signAgreements moves each draft to its status, one permitted step at a
// time.
func signAgreements(ctx context.Context, db *sqlite.DB, actor sqlite.Actor, drafts []draftAgreement) error {
	for _, d := range drafts {
		for _, step := range statusSteps(&d.final) {
			d.stored.Status, d.stored.TerminatedOn = step.Status, step.TerminatedOn
			if err := db.UpdateAgreement(ctx, actor, d.stored); err != nil {
				return fmt.Errorf("demo agreement %s, status %s: %w", d.final.Reference, step.Status, err)
			}
		}
	}
	return nil
}

// undoAll deletes the draft agreements, newest first, and then the
// companies and patents, and returns cause with what became of the removal.
func undoAll(ctx context.Context, db *sqlite.DB, actor sqlite.Actor, drafts []draftAgreement, loaded loadedRecords, cause error) error {
	ctx = context.WithoutCancel(ctx)
	var failed []error
	for i := len(drafts) - 1; i >= 0; i-- {
		if err := db.DeleteAgreement(ctx, actor, drafts[i].stored.ID); err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w; removing the partly loaded demo data failed too, so start again with an empty data directory: %w",
			cause, errors.Join(failed...))
	}
	return loaded.undo(ctx, db, actor, cause)
}

// resolve returns a copy of the demo agreement with companies, patents'
// lists and the parent ready for the store: each company by the id
// companyID gives for its name, the parent by the id refs holds for its
// reference. The data set itself is left as it is, for the next Load.
func (da *demoAgreement) resolve(companyID func(string) (int64, error), refs map[string]int64) (*licensing.Agreement, error) {
	a := da.Agreement
	a.Parties = slices.Clone(a.Parties)
	a.Grants = slices.Clone(a.Grants)
	a.Assignments = slices.Clone(a.Assignments)
	a.Obligations = slices.Clone(a.Obligations)
	var errs []error
	id := func(name string, dst *int64) {
		if name == "" {
			return
		}
		var err error
		if *dst, err = companyID(name); err != nil {
			errs = append(errs, err)
		}
	}
	for i := range a.Parties {
		id(a.Parties[i].Company, &a.Parties[i].CompanyID)
	}
	for i := range a.Grants {
		g := &a.Grants[i]
		id(g.Licensor, &g.LicensorID)
		id(g.Licensee, &g.LicenseeID)
		g.Scope.Patents = slices.Clone(g.Scope.Patents)
	}
	for i := range a.Assignments {
		as := &a.Assignments[i]
		id(as.Assignor, &as.AssignorID)
		id(as.Assignee, &as.AssigneeID)
		as.Patents = slices.Clone(as.Patents)
	}
	for i := range a.Obligations {
		id(a.Obligations[i].Payer, &a.Obligations[i].PayerID)
		id(a.Obligations[i].Payee, &a.Obligations[i].PayeeID)
	}
	if a.Parent != "" {
		if a.ParentID = refs[a.Parent]; a.ParentID == 0 {
			errs = append(errs, fmt.Errorf("parent %s is not listed before it", a.Parent))
		}
	}
	return &a, errors.Join(errs...)
}

// asDraft returns a copy of a as the draft it starts as: not yet
// terminated.
func asDraft(a *licensing.Agreement) *licensing.Agreement {
	d := *a
	d.Status, d.TerminatedOn = licensing.AgreementDraft, licensing.Date{}
	return &d
}

// statusSteps lists the statuses a draft passes through to reach a's
// status, as licensing.CanMove allows them, with the termination date on
// the last step of a terminated agreement.
func statusSteps(a *licensing.Agreement) []licensing.Agreement {
	var path []licensing.AgreementStatus
	switch a.Status {
	case licensing.AgreementNegotiation, licensing.AgreementActive:
		path = []licensing.AgreementStatus{a.Status}
	case licensing.AgreementExpired, licensing.AgreementTerminated:
		path = []licensing.AgreementStatus{licensing.AgreementActive, a.Status}
	}
	steps := make([]licensing.Agreement, len(path))
	for i, s := range path {
		steps[i] = *asDraft(a)
		steps[i].Status = s
		if s == licensing.AgreementTerminated {
			steps[i].TerminatedOn = a.TerminatedOn
		}
	}
	return steps
}

// checkAgreements checks the demo agreements of list against the rules of
// licensing before anything is written, in each status they pass through,
// with the companies, patents and families of the data set standing in for
// the records. The store checks all of it again, and more.
func checkAgreements(list []demoAgreement) error {
	companyIDs := map[string]int64{}
	for i, c := range companies {
		companyIDs[c.Name] = int64(i + 1)
	}
	companyID := func(name string) (int64, error) {
		if id, ok := companyIDs[name]; ok {
			return id, nil
		}
		return 0, fmt.Errorf("%q is not a demo company", name)
	}
	known := map[string]bool{} // normalized numbers and family keys
	for _, p := range patents {
		if n, err := licensing.NormalizePatentNumber(p.Number); err == nil {
			known[n] = true
		}
		known[p.Family] = true
	}
	refs := map[string]int64{}
	for i := range list {
		da := &list[i]
		if err := da.check(int64(i+1), companyID, refs, known); err != nil {
			return fmt.Errorf("demo agreement %s: %w", da.Reference, err)
		}
		refs[da.Reference] = int64(i + 1)
	}
	return nil
}

// check returns what is wrong with the demo agreement, which is to get the
// id id: every field message of it and of what it holds, moves between
// statuses that licensing.CanMove refuses, patents and families not in the
// data set, and settled obligations it does not have.
func (da *demoAgreement) check(id int64, companyID func(string) (int64, error), refs map[string]int64, known map[string]bool) error {
	a, err := da.resolve(companyID, refs)
	if err != nil {
		return err
	}
	a.ID = id
	var errs []error
	report := func(prefix string, fields map[string]string) {
		for _, f := range slices.Sorted(maps.Keys(fields)) {
			errs = append(errs, fmt.Errorf("%s%s: %s", prefix, f, fields[f]))
		}
	}
	unknown := func(prefix string, keys []string) {
		for _, k := range keys {
			if n, err := licensing.NormalizePatentNumber(k); (err != nil || !known[n]) && !known[k] {
				errs = append(errs, fmt.Errorf("%s%s is not in the demo data set", prefix, k))
			}
		}
	}
	numbers := func(refs []licensing.PatentRef) []string {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = r.Number
		}
		return out
	}
	from := licensing.AgreementStatus("")
	for _, step := range append([]licensing.Agreement{*asDraft(a)}, statusSteps(a)...) {
		if err := licensing.CanMove(from, step.Status); err != nil {
			errs = append(errs, err)
		}
		from = step.Status
		report("as "+string(step.Status)+": ", step.Validate())
	}
	for i := range a.Grants {
		g := &a.Grants[i]
		report(fmt.Sprintf("grants.%d.", i), g.Validate(a))
		unknown(fmt.Sprintf("grants.%d: ", i), append(numbers(g.Scope.Patents), g.Scope.Families...))
	}
	for i := range a.Assignments {
		report(fmt.Sprintf("assignments.%d.", i), a.Assignments[i].Validate())
		unknown(fmt.Sprintf("assignments.%d: ", i), numbers(a.Assignments[i].Patents))
	}
	for i := range a.Obligations {
		if a.Obligations[i].Status == "" {
			a.Obligations[i].Status = licensing.ObligationOpen
		}
		report(fmt.Sprintf("obligations.%d.", i), a.Obligations[i].Validate(a))
	}
	for title := range da.settled {
		if !slices.ContainsFunc(a.Obligations, func(o licensing.Obligation) bool { return o.Title == title }) {
			errs = append(errs, fmt.Errorf("no obligation %q to mark as met", title))
		}
	}
	return errors.Join(errs...)
}
