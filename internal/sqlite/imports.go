package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"patentdesk/internal/licensing"
)

// ImportAction is what an import does, or would do, with one row.
type ImportAction string

// The outcomes of an accepted row.
const (
	ImportCreate    ImportAction = "create"
	ImportUpdate    ImportAction = "update"
	ImportUnchanged ImportAction = "unchanged"
)

// ImportRow is the outcome of one accepted row.
type ImportRow struct {
	Line   int
	Key    string // the patent's normalized number, or the company's name
	Action ImportAction
	Fields []string // for an update: the fields that change
}

// ImportIssue is a rejected row or a warning of an import.
type ImportIssue = licensing.ImportIssue

// ImportOptions controls an import.
type ImportOptions struct {
	DryRun bool   // work everything out, change nothing
	Source string // the file's name, for the audit trail
	// Rejected and Warnings carry what reading the file already found, so
	// that the report is whole; any rejection stops the import.
	Rejected []ImportIssue
	Warnings []ImportIssue
}

// ImportReport says what an import did or, in a dry run or when rows were
// rejected, would do. Nothing is applied unless every row is accepted.
type ImportReport struct {
	Kind                        string // "patents" or "companies"
	Rows                        []ImportRow
	Created, Updated, Unchanged int
	NewCompanies                []string // companies created for patent owners
	Rejected                    []ImportIssue
	Warnings                    []ImportIssue
	Applied                     bool
}

// errRollback ends a transaction whose work must not be kept: a dry run or
// an import with rejected rows.
var errRollback = errors.New("import not applied")

// ImportPatents upserts patents by normalized number in one transaction:
// every row is applied or none. Owners are found by legal name or alias
// and created when unknown. An update changes only the fields the file's
// format provides. Each created or changed record gets its audit row, and
// the import as a whole one more.
//
// Built for files of 100,000 rows and more (docs/perf.md): the recorded
// patents are looked up 500 numbers a query, the new ones written in
// batches of many rows a statement and their audit rows likewise at the end
// (import_batch.go), the labels written sorted at the end, and into an
// empty database the indexes are built at the end.
func (db *DB) ImportPatents(ctx context.Context, actor Actor, rows []licensing.PatentImport, opt ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{Kind: "patents", Rejected: slices.Clone(opt.Rejected), Warnings: slices.Clone(opt.Warnings)}
	err := db.changeImport(ctx, actor, func(tx *sql.Tx, audit *importAudit) error {
		defer bigCache(tx, len(rows))()
		known, allKinds, err := knownPatents(tx, rows)
		if err != nil {
			return err
		}
		// Into an empty table, the indexes are built once at the end
		// (bulk.go). A number without kind code is looked up by the index
		// on doc_number, even among the patents this import created, so
		// such a file keeps the indexes.
		var rebuild []string
		if allKinds {
			if rebuild, err = dropIndexesWhenEmpty(ctx, tx); err != nil {
				return err
			}
		}
		now := db.now()
		im := &patentImporter{tx: tx, now: now, record: audit.record, audit: audit, rep: rep, known: known,
			writer: newPatentWriter(tx, now, nil), companies: map[string]int64{}, seen: map[string]int{}}
		im.writer.deferLabels = true
		if im.batch, err = newCreateBatch(tx, im.writer); err != nil {
			return err
		}
		for i := range rows {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := im.row(&rows[i]); err != nil {
				return err
			}
		}
		if err := im.flush(); err != nil {
			return err
		}
		if !opt.DryRun && len(rep.Rejected) == 0 {
			audit.encode() // while the indexes are built
		}
		if err := finish(rep, opt, audit.record); err != nil {
			return err // a rollback brings back any dropped index
		}
		for _, index := range rebuild {
			if _, err := tx.ExecContext(ctx, index); err != nil {
				return fmt.Errorf("rebuilding an index after the import: %w", err)
			}
		}
		return nil
	})
	return rep, settle(rep, err)
}

// importCacheKiB bounds the page cache an import's connection gets. A
// large import touches pages all over a dozen indexes; with SQLite's
// default of 2 MB it writes dirty pages out to the log and reads them back
// again and again (measured: a fifth more CPU for 100,000 rows).
const importCacheKiB = 256 << 10

// bigCache gives the transaction's connection a page cache of 2 KiB per
// imported row, within importCacheKiB, and returns what gives it back its
// own: the connection returns to the pool afterwards.
func bigCache(tx *sql.Tx, rows int) func() {
	var own int
	if err := tx.QueryRow(`PRAGMA cache_size`).Scan(&own); err != nil {
		return func() {}
	}
	kib := min(max(-own, rows*2), importCacheKiB)
	if _, err := tx.Exec(`PRAGMA cache_size = -` + strconv.Itoa(kib)); err != nil {
		return func() {}
	}
	return func() { tx.Exec(`PRAGMA cache_size = ` + strconv.Itoa(own)) }
}

// lookupChunk is how many numbers knownPatents asks for in one query.
const lookupChunk = 500

// knownPatents finds the recorded patents of the rows whose numbers have a
// kind code: normalized number → id. One query for many rows saves a
// query per row, which costs more than the lookup itself. The answer stays
// true during the import, which changes no recorded number; a row with
// the number of a patent it created is refused as a duplicate. allKinds
// reports whether every readable number has a kind code.
func knownPatents(tx *sql.Tx, rows []licensing.PatentImport) (known map[string]int64, allKinds bool, err error) {
	var numbers []any
	allKinds = true
	for i := range rows {
		p := rows[i].Patent
		if p.Normalize() != nil {
			continue
		}
		if p.Kind == "" {
			allKinds = false
			continue
		}
		numbers = append(numbers, p.Normalized)
	}
	known = map[string]int64{}
	for len(numbers) > 0 {
		n := min(len(numbers), lookupChunk)
		rs, err := tx.Query(`SELECT normalized, id FROM patents WHERE normalized IN (`+placeholders(n)+`)`, numbers[:n]...)
		if err != nil {
			return nil, false, err
		}
		for rs.Next() {
			var number string
			var id int64
			if err := rs.Scan(&number, &id); err != nil {
				rs.Close()
				return nil, false, err
			}
			known[number] = id
		}
		if err := rs.Close(); err != nil {
			return nil, false, err
		}
		numbers = numbers[n:]
	}
	return known, allKinds, nil
}

// finish records the import as a whole, or asks for a rollback when the
// import must not be applied.
func finish(rep *ImportReport, opt ImportOptions, record func(Change)) error {
	sort.SliceStable(rep.Rejected, func(i, j int) bool { return rep.Rejected[i].Line < rep.Rejected[j].Line })
	sort.SliceStable(rep.Warnings, func(i, j int) bool { return rep.Warnings[i].Line < rep.Warnings[j].Line })
	if opt.DryRun || len(rep.Rejected) > 0 {
		return errRollback
	}
	record(Change{Action: "import." + rep.Kind, Entity: "import", Details: map[string]any{
		"source": opt.Source, "created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged,
		"companies_created": strings.Join(rep.NewCompanies, "|")}})
	return nil
}

// settle turns the transaction's outcome into the import's.
func settle(rep *ImportReport, err error) error {
	if errors.Is(err, errRollback) {
		return nil
	}
	if err != nil {
		return err
	}
	rep.Applied = true
	return nil
}

type patentImporter struct {
	tx        *sql.Tx
	writer    *patentWriter // the owners' names and the labels of new patents
	batch     *createBatch  // new patents not yet written; nil: each written as it comes (writer.create)
	audit     *importAudit
	known     map[string]int64 // normalized number with kind code → id of the recorded patent
	now       time.Time
	record    func(Change)
	rep       *ImportReport
	companies map[string]int64 // lower-case name → id, including new ones
	seen      map[string]int   // normalized number → line
}

func (im *patentImporter) reject(imp *licensing.PatentImport, field, reason string) {
	column := field
	if c, ok := imp.Columns[field]; ok {
		column = c
	}
	im.rep.Rejected = append(im.rep.Rejected, ImportIssue{Line: imp.Line, Column: column, Reason: reason})
}

// rejectInvalid reports a domain error by field, or returns it when it is
// not the row's fault.
func (im *patentImporter) rejectInvalid(imp *licensing.PatentImport, err error) error {
	return rejectFields(err, func(field, reason string) { im.reject(imp, field, reason) })
}

// rejectFields hands each field message of a domain refusal (its message,
// when it names no field) to reject, in field order. Any other error is not
// the row's fault and is returned.
func rejectFields(err error, reject func(field, reason string)) error {
	var de *licensing.Error
	if !errors.As(err, &de) || (de.Code != licensing.Invalid && de.Code != licensing.Conflict) {
		return err
	}
	if len(de.Fields) == 0 {
		reject("", de.Message)
		return nil
	}
	fields := make([]string, 0, len(de.Fields))
	for f := range de.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		reject(f, de.Fields[f])
	}
	return nil
}

func (im *patentImporter) row(imp *licensing.PatentImport) error {
	p := imp.Patent
	if err := p.Normalize(); err != nil {
		var de *licensing.Error
		msg := err.Error()
		if errors.As(err, &de) {
			msg = de.Message
		}
		im.reject(imp, "number", msg)
		return nil
	}
	if line, dup := im.seen[p.Normalized]; dup {
		im.reject(imp, "number", fmt.Sprintf("%s is also on line %d; each patent may appear once", p.Normalized, line))
		return nil
	}
	im.seen[p.Normalized] = imp.Line
	old, err := im.existing(&p)
	if err != nil {
		return err
	}
	ownerID, err := im.owner(imp)
	if err != nil || ownerID == 0 {
		return err
	}
	if old == nil {
		return im.create(imp, p, ownerID)
	}
	return im.update(imp, old, p, ownerID)
}

// flush writes what is gathered of the new patents, as before any read or
// change of patents that may touch them.
func (im *patentImporter) flush() error {
	if im.batch == nil {
		return im.writer.flushLabels()
	}
	return im.batch.flush()
}

// existing finds the recorded patent a row updates: by normalized number
// (looked up beforehand by knownPatents when it has a kind code), or for a
// number without kind code by the one record with that number.
func (im *patentImporter) existing(p *licensing.Patent) (*PatentRecord, error) {
	if p.Kind != "" {
		id, ok := im.known[p.Normalized]
		if !ok {
			return nil, nil
		}
		return patentTx(im.tx, id)
	}
	// The number may be that of a patent this import created.
	if err := im.flush(); err != nil {
		return nil, err
	}
	var id int64
	err := im.tx.QueryRow(`SELECT id FROM patents WHERE normalized = ?`, p.Normalized).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = im.tx.QueryRow(`SELECT id FROM patents WHERE doc_number = ? AND
			(SELECT count(*) FROM patents WHERE doc_number = ?) = 1`, p.Normalized, p.Normalized).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return patentTx(im.tx, id)
}

// owner resolves the row's owner to a company: the alternative spellings
// first, then the name itself, by legal name or alias; a name found nowhere
// becomes a new company.
func (im *patentImporter) owner(imp *licensing.PatentImport) (int64, error) {
	for _, name := range append(slices.Clone(imp.OwnerNames), imp.Owner) {
		id, err := im.companyID(name)
		if err != nil || id != 0 {
			return id, err
		}
	}
	c := &licensing.Company{Name: strings.TrimSpace(imp.Owner)}
	if errs := c.Validate(); len(errs) > 0 {
		im.reject(imp, "owner", errs["name"])
		return 0, nil
	}
	if err := createCompanyTx(im.tx, im.now, c, im.record); err != nil {
		return 0, im.rejectInvalid(imp, err)
	}
	im.companies[strings.ToLower(c.Name)] = c.ID
	im.rep.NewCompanies = append(im.rep.NewCompanies, c.Name)
	return c.ID, nil
}

// companyID finds a company by legal name or alias, ignoring case; 0 when
// there is none.
func (im *patentImporter) companyID(name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, nil
	}
	key := strings.ToLower(name)
	if id, ok := im.companies[key]; ok {
		return id, nil
	}
	id, err := companyIDByName(im.tx, name)
	if err == nil && id != 0 {
		im.companies[key] = id
	}
	return id, err
}

func companyIDByName(tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRow(`SELECT id FROM companies WHERE name = ?
		UNION ALL SELECT company_id FROM company_aliases WHERE alias = ? LIMIT 1`, name, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// plainExpiry drops an expiry that only repeats the computed one, so that
// a re-imported export does not turn every computed expiry into an override.
func plainExpiry(p *licensing.Patent) {
	if !p.ExpiresOn.IsZero() && p.ExpiresOn == p.ComputedExpiry() {
		p.ExpiresOn = licensing.Date{}
	}
}

func (im *patentImporter) create(imp *licensing.PatentImport, p licensing.Patent, ownerID int64) error {
	p.OriginalOwnerID = ownerID
	if p.Status == "" {
		p.Status = licensing.StatusPending
		if !p.GrantedOn.IsZero() {
			p.Status = licensing.StatusGranted
		}
	}
	plainExpiry(&p)
	if err := preparePatent(&p); err != nil {
		return im.rejectInvalid(imp, err)
	}
	if im.batch == nil { // row by row
		if err := im.writer.create(&p); err != nil {
			return im.rejectInvalid(imp, err)
		}
	} else {
		owner, err := im.writer.owner(ownerID)
		if err != nil {
			return im.rejectInvalid(imp, err)
		}
		created := &p
		im.audit.created(created, owner.legal)
		if err := im.batch.add(created, owner.search); err != nil {
			return err
		}
	}
	im.rep.Created++
	im.rep.Rows = append(im.rep.Rows, ImportRow{Line: imp.Line, Key: p.Normalized, Action: ImportCreate})
	return im.checkOwnerToday(imp, ownerID)
}

func (im *patentImporter) update(imp *licensing.PatentImport, old *PatentRecord, p licensing.Patent, ownerID int64) error {
	// The patent may be one this import created: its rows must be in
	// the tables before they are compared and replaced.
	if err := im.flush(); err != nil {
		return err
	}
	merged := old.Patent
	for _, f := range imp.Present {
		copyPatentField(&merged, &p, f)
	}
	merged.Number = old.Number // another notation of the same number is no change
	switch {
	case !slices.Contains(imp.Present, "owner"):
	case imp.OwnerIsAssignee && ownerID != old.OriginalOwnerID && imp.OwnerToday != "":
		// The file's owner today is compared with the chain of title below.
	case imp.OwnerIsAssignee && ownerID != old.OriginalOwnerID:
		im.rep.Warnings = append(im.rep.Warnings, ImportIssue{Line: imp.Line, Column: imp.Columns["owner"],
			Reason: fmt.Sprintf("the file names %s as assignee; the recorded original owner %s is kept (transfers are recorded as assignments)",
				imp.Owner, old.OriginalOwner)})
	default:
		merged.OriginalOwnerID = ownerID
	}
	if !slices.Contains(imp.Present, "status") && merged.Status == licensing.StatusPending && !merged.GrantedOn.IsZero() {
		merged.Status = licensing.StatusGranted
	}
	plainExpiry(&merged)
	if err := preparePatent(&merged); err != nil {
		return im.rejectInvalid(imp, err)
	}
	var changes []Change
	changed, err := updatePatentTx(im.tx, im.now, old, &merged, func(c Change) { changes = append(changes, c); im.record(c) })
	if err != nil {
		return im.rejectInvalid(imp, err)
	}
	row := ImportRow{Line: imp.Line, Key: merged.Normalized, Action: ImportUnchanged}
	if changed {
		im.rep.Updated++
		row.Action = ImportUpdate
		if len(changes) > 0 {
			for f := range changes[0].Details["after"].(map[string]any) {
				row.Fields = append(row.Fields, f)
			}
			sort.Strings(row.Fields)
		}
	} else {
		im.rep.Unchanged++
	}
	im.rep.Rows = append(im.rep.Rows, row)
	var ownerToday int64
	if err := im.tx.QueryRow(`SELECT owner_id FROM patents WHERE id = ?`, old.ID).Scan(&ownerToday); err != nil {
		return err
	}
	return im.checkOwnerToday(imp, ownerToday)
}

// checkOwnerToday compares the owner the file states for today with the
// owner today by the chain of title.
func (im *patentImporter) checkOwnerToday(imp *licensing.PatentImport, ownerID int64) error {
	if strings.TrimSpace(imp.OwnerToday) == "" {
		return nil
	}
	id, err := im.companyID(imp.OwnerToday)
	if err != nil || id == ownerID {
		return err
	}
	owner, err := im.writer.owner(ownerID)
	if err != nil {
		return err
	}
	im.rep.Warnings = append(im.rep.Warnings, ImportIssue{Line: imp.Line, Column: "owner",
		Reason: fmt.Sprintf("the file gives %s as owner today, but the chain of title gives %s", imp.OwnerToday, owner.legal)})
	return nil
}

// copyPatentField sets one field of dst from src, by its snake_case name.
func copyPatentField(dst, src *licensing.Patent, field string) {
	switch field {
	case "number":
		dst.Number = src.Number
	case "office":
		dst.Office = src.Office
	case "kind":
		dst.Kind = src.Kind
	case "title":
		dst.Title = src.Title
	case "family":
		dst.Family = src.Family
	case "priority_on":
		dst.PriorityOn = src.PriorityOn
	case "filed_on":
		dst.FiledOn = src.FiledOn
	case "published_on":
		dst.PublishedOn = src.PublishedOn
	case "granted_on":
		dst.GrantedOn = src.GrantedOn
	case "expires_on":
		dst.ExpiresOn = src.ExpiresOn
	case "status":
		dst.Status = src.Status
	case "status_on":
		dst.StatusOn = src.StatusOn
	case "tags":
		dst.Tags = src.Tags
	case "standards":
		dst.Standards = src.Standards
	case "sep":
		dst.SEP = src.SEP
	case "designated_states":
		dst.DesignatedStates = src.DesignatedStates
	case "cpc":
		dst.CPC = src.CPC
	}
}

// ImportCompanies upserts companies by legal name in one transaction, every
// row or none. Rows may name parents in any order: parents are written
// first. A name that is another company's alias is refused, since the row
// would otherwise create a rival to the company patent records already name.
func (db *DB) ImportCompanies(ctx context.Context, actor Actor, rows []licensing.CompanyImport, opt ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{Kind: "companies", Rejected: slices.Clone(opt.Rejected), Warnings: slices.Clone(opt.Warnings)}
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		ci := &companyImporter{tx: tx, now: db.now(), record: record, rep: rep, byName: map[string]*licensing.CompanyImport{},
			ids: map[string]int64{}, state: map[string]int{}}
		for i := range rows {
			r := &rows[i]
			key := strings.ToLower(r.Company.Name)
			if first, dup := ci.byName[key]; dup {
				ci.reject(r, "name", fmt.Sprintf("%s is also on line %d; each company may appear once", r.Company.Name, first.Line))
				continue
			}
			ci.byName[key] = r
		}
		for i := range rows {
			if ci.byName[strings.ToLower(rows[i].Company.Name)] != &rows[i] {
				continue
			}
			if _, err := ci.write(&rows[i]); err != nil {
				return err
			}
		}
		return finish(rep, opt, record)
	})
	return rep, settle(rep, err)
}

type companyImporter struct {
	tx     *sql.Tx
	now    time.Time
	record func(Change)
	rep    *ImportReport
	byName map[string]*licensing.CompanyImport
	ids    map[string]int64 // lower-case name → id once written (0: rejected)
	state  map[string]int   // 1 while being written (to find loops), 2 when done
}

func (ci *companyImporter) reject(r *licensing.CompanyImport, column, reason string) {
	ci.rep.Rejected = append(ci.rep.Rejected, ImportIssue{Line: r.Line, Column: column, Reason: reason})
}

// write stores one row after its parent, and returns its id (0 when the
// row, or its parent, was rejected).
func (ci *companyImporter) write(r *licensing.CompanyImport) (int64, error) {
	key := strings.ToLower(r.Company.Name)
	switch ci.state[key] {
	case 2:
		return ci.ids[key], nil
	case 1:
		ci.reject(r, "parent", fmt.Sprintf("%s is above itself in the corporate tree: the parents in the file make a loop", r.Company.Name))
		return 0, nil
	}
	ci.state[key] = 1
	defer func() { ci.state[key] = 2 }()
	c := r.Company
	if r.Parent != "" {
		pid, err := ci.parentID(r)
		if err != nil || pid == 0 {
			return 0, err
		}
		c.ParentID = pid
	}
	if err := invalidFields("company", c.Validate()); err != nil {
		return 0, ci.rejectInvalid(r, err)
	}
	var id int64
	err := ci.tx.QueryRow(`SELECT id FROM companies WHERE name = ?`, c.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var owner string
		err = ci.tx.QueryRow(`SELECT c.name FROM company_aliases a JOIN companies c ON c.id = a.company_id WHERE a.alias = ?`, c.Name).Scan(&owner)
		if err == nil {
			ci.reject(r, "name", fmt.Sprintf("%s is an alias of %s; use the legal name, or remove the alias first", c.Name, owner))
			return 0, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		if err := createCompanyTx(ci.tx, ci.now, &c, ci.record); err != nil {
			return 0, ci.rejectInvalid(r, err)
		}
		ci.rep.Created++
		ci.rep.Rows = append(ci.rep.Rows, ImportRow{Line: r.Line, Key: c.Name, Action: ImportCreate})
		ci.ids[key] = c.ID
		return c.ID, nil
	}
	if err != nil {
		return 0, err
	}
	c.ID = id
	var changes []Change
	changed, err := updateCompanyTx(ci.tx, ci.now, &c, func(ch Change) { changes = append(changes, ch); ci.record(ch) })
	if err != nil {
		return 0, ci.rejectInvalid(r, err)
	}
	row := ImportRow{Line: r.Line, Key: c.Name, Action: ImportUnchanged}
	if changed {
		ci.rep.Updated++
		row.Action = ImportUpdate
		for f := range changes[0].Details["after"].(map[string]any) {
			row.Fields = append(row.Fields, f)
		}
		sort.Strings(row.Fields)
	} else {
		ci.rep.Unchanged++
	}
	ci.rep.Rows = append(ci.rep.Rows, row)
	ci.ids[key] = id
	return id, nil
}

// parentID resolves a row's parent: a row of the same file (written first)
// or a recorded company.
func (ci *companyImporter) parentID(r *licensing.CompanyImport) (int64, error) {
	if pr, ok := ci.byName[strings.ToLower(r.Parent)]; ok {
		pid, err := ci.write(pr)
		if err == nil && pid == 0 {
			ci.reject(r, "parent", fmt.Sprintf("the parent %s (line %d) is not imported", pr.Company.Name, pr.Line))
		}
		return pid, err
	}
	pid, err := companyIDByName(ci.tx, r.Parent)
	if err == nil && pid == 0 {
		ci.reject(r, "parent", fmt.Sprintf("the parent %s is neither in the file nor recorded", r.Parent))
	}
	return pid, err
}

func (ci *companyImporter) rejectInvalid(r *licensing.CompanyImport, err error) error {
	return rejectFields(err, func(field, reason string) { ci.reject(r, formColumn(field), reason) })
}

// formColumn names a company field as the companies file's header does.
func formColumn(field string) string {
	if field == "parent_id" {
		return "parent"
	}
	return field
}
