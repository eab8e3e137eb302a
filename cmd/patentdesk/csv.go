package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"patentdesk/internal/csvio"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/web"
)

// cmdImport reads a patents or companies file and imports it, every row or
// none. With --dry-run it reports what would happen and changes nothing.
// The report goes to stdout; rejected rows also make the exit status 1.
func cmdImport(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("import", std)
	format := fs.String("format", "", "native, google or espacenet (default: detected from the file)")
	dryRun := fs.Bool("dry-run", false, "report what the import would do, change nothing")
	if err := fs.Parse(reorder(args, "dry-run")); err != nil {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "patents" && fs.Arg(0) != "companies") {
		return fmt.Errorf("import needs what and a file: patentdesk import patents|companies FILE [--format native|google|espacenet] [--dry-run]")
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot open the file: %w", err)
	}
	defer f.Close()
	db, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	read, err := csvio.ReadProposals(f, csvio.Kind(kind), csvio.Options{Format: csvio.Format(*format)})
	if err != nil {
		return err
	}
	opt := sqlite.ImportOptions{DryRun: *dryRun, Source: filepath.Base(path), Rejected: read.Rejected, Warnings: read.Warnings}
	var rep *sqlite.ImportReport
	if kind == "patents" {
		rep, err = db.ImportPatents(ctx, sqlite.CLIActor(), read.Patents, opt)
	} else {
		rep, err = db.ImportCompanies(ctx, sqlite.CLIActor(), read.Companies, opt)
	}
	if err != nil {
		return err
	}
	printReport(std.out, rep, *dryRun)
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("%d row(s) rejected; nothing was imported", len(rep.Rejected))
	}
	return nil
}

// reorder moves flags after the positional arguments to the front, since
// the contract writes them last ("import patents FILE --dry-run") and the
// flag package stops at the first argument. boolFlags take no value.
func reorder(args []string, boolFlags ...string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := a[1:]
		if name[0] == '-' {
			name = name[1:]
		}
		if containsEq(name) || isBool(name, boolFlags) {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(flags, rest...)
}

func containsEq(s string) bool {
	for _, r := range s {
		if r == '=' {
			return true
		}
	}
	return false
}

func isBool(name string, boolFlags []string) bool {
	if name == "h" || name == "help" {
		return true
	}
	for _, b := range boolFlags {
		if name == b {
			return true
		}
	}
	return false
}

// printReport writes the import's outcome: counts first, then every
// rejected row and warning with line and column.
func printReport(w io.Writer, rep *sqlite.ImportReport, dryRun bool) {
	verb := "imported"
	switch {
	case len(rep.Rejected) > 0:
		verb = "not imported"
	case dryRun:
		verb = "dry run, nothing changed"
	}
	fmt.Fprintf(w, "%s (%s): %d to create, %d to update, %d unchanged", rep.Kind, verb, rep.Created, rep.Updated, rep.Unchanged)
	if len(rep.NewCompanies) > 0 {
		fmt.Fprintf(w, ", %d new companies", len(rep.NewCompanies))
	}
	fmt.Fprintf(w, ", %d rejected, %d warnings\n", len(rep.Rejected), len(rep.Warnings))
	for _, c := range rep.NewCompanies {
		fmt.Fprintf(w, "new company: %s\n", c)
	}
	for _, i := range rep.Rejected {
		fmt.Fprintf(w, "rejected: %s\n", i)
	}
	for _, i := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", i)
	}
}

// cmdExport writes a native CSV export to stdout, row by row.
func cmdExport(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("export", std)
	semicolon := fs.Bool("semicolon", false, "';' as delimiter (German spreadsheets)")
	bom := fs.Bool("bom", false, "start with a UTF-8 byte-order mark (Excel)")
	if err := fs.Parse(reorder(args, "semicolon", "bom")); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("export needs what to export: patentdesk export patents|companies|agreements|grants|assignments|obligations|audit")
	}
	what := fs.Arg(0)
	switch what {
	case "patents", "companies", "audit":
	case "agreements", "grants", "assignments", "obligations":
	default:
		return fmt.Errorf("cannot export %q: use patents, companies, agreements, grants, assignments, obligations or audit", what)
	}
	db, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	buf := bufio.NewWriterSize(std.out, 64<<10)
	w := csvio.NewWriter(buf, csvio.WriterOptions{Semicolon: *semicolon, BOM: *bom})
	switch what {
	case "patents":
		err = exportPatents(ctx, db, w)
	case "companies":
		err = exportCompanies(ctx, db, w)
	case "audit":
		err = exportAudit(ctx, db, w)
	default:
		_, err = web.ExportAgreements(ctx, db, what, w.Write)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = buf.Flush()
	}
	return err
}

func exportPatents(ctx context.Context, db *sqlite.DB, w *csvio.Writer) error {
	if err := w.Write(csvio.NativeHeader(csvio.KindPatents)); err != nil {
		return err
	}
	return db.EachPatent(ctx, sqlite.PatentFilter{}, func(p *sqlite.PatentRecord) error {
		return w.Write(csvio.PatentRow(csvio.PatentRecordOf(&p.Patent, p.Owner, p.OriginalOwner)))
	})
}

func exportCompanies(ctx context.Context, db *sqlite.DB, w *csvio.Writer) error {
	if err := w.Write(csvio.NativeHeader(csvio.KindCompanies)); err != nil {
		return err
	}
	names, err := companyNames(ctx, db)
	if err != nil {
		return err
	}
	return db.EachCompany(ctx, sqlite.CompanyFilter{}, func(c *licensing.Company) error {
		return w.Write(csvio.CompanyRow(csvio.CompanyRecordOf(c, names[c.ParentID])))
	})
}

// companyNames maps every company's id to its legal name, for parents;
// companies number in the hundreds, not millions.
func companyNames(ctx context.Context, db *sqlite.DB) (map[int64]string, error) {
	names := map[int64]string{}
	err := db.EachCompany(ctx, sqlite.CompanyFilter{}, func(c *licensing.Company) error {
		names[c.ID] = c.Name
		return nil
	})
	return names, err
}

// auditHeader is the audit export's columns.
var auditHeader = []string{"at", "actor", "via", "address", "action", "entity", "entity_id", "details"}

func exportAudit(ctx context.Context, db *sqlite.DB, w *csvio.Writer) error {
	if err := w.Write(auditHeader); err != nil {
		return err
	}
	return db.EachAudit(ctx, sqlite.AuditFilter{}, func(e sqlite.AuditEntry) error {
		return w.Write([]string{e.At.UTC().Format(time.RFC3339), e.Actor, e.Via, e.Address, e.Action, e.Entity, e.EntityID, e.Details})
	})
}
