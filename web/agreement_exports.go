package web

import (
	"context"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// agreementExport is one of the CSV exports of the agreements list: its
// columns and how to stream its rows for the agreements a filter selects.
type agreementExport struct {
	header func() []string
	each   func(ctx context.Context, db *sqlite.DB, f sqlite.AgreementFilter, write func([]string) error) error
}

// agreementExportOrder is the order the export form offers them in.
var agreementExportOrder = []string{"agreements", "grants", "assignments", "obligations"}

var agreementExports = map[string]agreementExport{
	"agreements": {csvio.AgreementHeader, func(ctx context.Context, db *sqlite.DB, f sqlite.AgreementFilter, write func([]string) error) error {
		return db.EachAgreement(ctx, f, func(a *licensing.Agreement) error { return write(csvio.AgreementRecordOf(a)) })
	}},
	"grants": {csvio.GrantHeader, func(ctx context.Context, db *sqlite.DB, f sqlite.AgreementFilter, write func([]string) error) error {
		return db.EachGrant(ctx, f, func(g *sqlite.GrantRow) error { return write(csvio.GrantRecordOf(g.Agreement, &g.Grant)) })
	}},
	"assignments": {csvio.AssignmentHeader, func(ctx context.Context, db *sqlite.DB, f sqlite.AgreementFilter, write func([]string) error) error {
		return db.EachAssignment(ctx, f, func(a *sqlite.AssignmentRow) error {
			return write(csvio.AssignmentRecordOf(a.Agreement, &a.Assignment))
		})
	}},
	"obligations": {csvio.ObligationHeader, func(ctx context.Context, db *sqlite.DB, f sqlite.AgreementFilter, write func([]string) error) error {
		return db.EachObligation(ctx, f, func(o *sqlite.ObligationRow) error {
			return write(csvio.ObligationRecordOf(o.Terms, &o.Obligation))
		})
	}},
}

// ExportAgreements writes the export what (agreements, grants, assignments
// or obligations) of every agreement as CSV rows, header first; the command
// line shares it with the agreements list so that both give the same file.
func ExportAgreements(ctx context.Context, db *sqlite.DB, what string, write func([]string) error) (known bool, err error) {
	export, ok := agreementExports[what]
	if !ok {
		return false, nil
	}
	if err := write(export.header()); err != nil {
		return true, err
	}
	return true, export.each(ctx, db, sqlite.AgreementFilter{}, write)
}
