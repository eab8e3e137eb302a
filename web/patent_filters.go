package web

import (
	"context"
	"errors"
	"strconv"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// resolveAgreementFilters reads the list's links from an agreement page: the
// patents in a grant's scope, and the patents an agreement's assignments
// transfer. Each names what it shows in a note above the list.
func (s *Server) resolveAgreementFilters(ctx context.Context, l *i18n.Locale, q patentQuery, r *patentListFilter) error {
	if q.Grant != "" {
		id, err := strconv.ParseInt(q.Grant, 10, 64)
		var g *licensing.Grant
		var a *licensing.Agreement
		if err == nil {
			if g, err = s.db.Grant(ctx, id); err == nil {
				a, err = s.agreementHead(ctx, g.AgreementID)
			}
		}
		if err := noteFilter(r, err, "grant", l.T("patents.filter.grant_unknown", q.Grant)); err != nil || a == nil {
			return err
		}
		r.filter.Grant = &id
		r.notes = append(r.notes, l.T("patents.filter.grant_note", strconv.FormatInt(id, 10), a.Reference, a.Title))
	}
	if q.Agreement != "" {
		id, err := strconv.ParseInt(q.Agreement, 10, 64)
		var a *licensing.Agreement
		if err == nil {
			a, err = s.agreementHead(ctx, id)
		}
		if err := noteFilter(r, err, "agreement", l.T("patents.filter.agreement_unknown", q.Agreement)); err != nil || a == nil {
			return err
		}
		r.filter.Agreement = &id
		r.notes = append(r.notes, l.T("patents.filter.agreement_note", a.Reference, a.Title))
	}
	return nil
}

// noteFilter puts the message on the field when err says that the record a
// filter names does not exist (or is no id), and passes any other error on.
func noteFilter(r *patentListFilter, err error, field, unknown string) error {
	if agreementMissing(err) || errors.Is(err, strconv.ErrSyntax) {
		r.errs[field] = unknown
		return nil
	}
	return err
}

// ownersOn shows, for a list whose owners are asked on another day than
// today, the owner of each patent on that day.
func (s *Server) ownersOn(ctx context.Context, list []*sqlite.PatentRecord, on licensing.Date) error {
	if on.Equal(patentDay(s)) || len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	owners, err := s.db.OwnersOn(ctx, ids, on)
	if err != nil {
		return err
	}
	for _, r := range list {
		if o, ok := owners[r.ID]; ok {
			r.OwnerID, r.Owner = o.ID, o.Name
		}
	}
	return nil
}
