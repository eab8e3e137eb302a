package sqlite

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// Every exported method of DB is one of these. A new method must be placed
// in a list, so no write can be added without deciding about its audit row.
var (
	auditedWriters = []string{"CreateUser", "CreateFirstAdmin", "SetPassword", "SetPasswordRevokingAccess", "SetLocale", "SetUserDisabled", "MarkDemo",
		"CreateAPIToken", "RevokeAPIToken", "CreateCalendarFeed", "RevokeCalendarFeed",
		"CreateCompany", "UpdateCompany", "DeleteCompany", "CreatePatent", "UpdatePatent", "DeletePatent", "RecordEvent",
		"ImportPatents", "ImportCompanies",
		"AddAssignment", "UpdateAssignment", "DeleteAssignment",
		"CreateAgreement", "UpdateAgreement", "DeleteAgreement", "AddGrant", "UpdateGrant", "DeleteGrant",
		"AddObligation", "UpdateObligation", "DeleteObligation", "MarkOccurrence", "SettleOccurrences", "AddDocument", "DeleteDocument",
		"LoadPatents", "LoadAgreements",
		"InviteUser", "IssuePasswordLink", "UsePasswordLink", "SetInitialPassword", "SetUserRole", "EndSession", "ConfirmSession"}
	readers = []string{"Path", "Ping", "CountUsers", "UserByID", "UserByEmail", "ListUsers", "RecentAudit", "SessionByHash",
		"APITokens", "UserByAPIToken", "CompanyCandidates", "CalendarFeeds", "CalendarFeedBySecret", "Deadlines", "DeadlinesThrough",
		"CountSessions", "IsDemo", "Demo", "Check", "Company", "CompanyByName", "Companies", "ControlLinks", "Patent", "PatentByNumber",
		"FamilyMembers", "Patents", "PatentCounts", "PatentOffices", "PatentLabels", "AuditTrail", "EachAudit", "EachPatent", "EachCompany",
		"Assignment", "EachAssignment", "ChainOfTitle", "TitleBreaks", "GrantsOnPatent", "GrantScopeCount", "GrantScopeCountUpTo", "OwnersOn",
		"Agreement", "AgreementByReference", "AgreementHeads", "WholeAgreements", "Amendments", "Agreements", "EachAgreement", "Grant", "FieldsOfUse", "EachGrant",
		"Obligation", "EachObligation", "Documents", "Document", "WriteDocument",
		"PatentFacts", "PatentFactsFor", "PatentPageFacts", "CoverageGrants", "OutLicensingGrants", "EachGrantFact", "Chains",
		"EachPatentIn", "EachPatentHeadIn", "CountPatentsIn", "CountPatentsInByOwner", "PatentsIn", "LastExpiryIn", "PatentsInBoth", "HasPatentRunningTo",
		"AgreementTimeline", "PortfolioByOffice", "PortfolioByTag", "PatentExpiriesByYear",
		"OpenPasswordLink", "PasswordLinkBySecret", "UserSessions", "SessionConfirmedAt",
		"HasRecords", "CountAgreements", "CountPatents", "PatentOwners",
		"CountExpiringPatents",
		"RecordsStamps"}
	// Housekeeping changes no record a user keeps: sessions (whose
	// beginnings and ends are audited as sign-in and sign-out events by the
	// web layer), a stronger hash of an unchanged password, a backup copy,
	// an uploaded file waiting for its import to be confirmed.
	// A token's "last used" is a note for its owner, not a change.
	housekeeping = []string{"TouchAPIToken", "TouchCalendarFeed", "Close", "SetClock", "InsertSession", "UpdateSession", "DeleteSession", "DeleteExpiredSessions",
		"RehashPassword", "Backup", "SavePendingImport", "PendingImportOf", "DeletePendingImport", "DeleteStalePendingImports",
		// The daily sweep that moves patents.owner_id to a transfer whose
		// day has come: it changes no fact a user entered, and audits its
		// effect as the system (title_test.go checks that row).
		"RefreshOwners",
		// Checkpoints move committed pages from the log into the file; no record changes.
		"KeepWALBounded", "WALPath", "WALSize",
		// Merging the full-text index's segments changes no row of a record.
		"KeepSearchCompact", "CompactSearch", "SearchSegments"}
)

func TestEveryStoreMethodIsClassified(t *testing.T) {
	typ := reflect.TypeFor[*DB]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if !slices.Contains(auditedWriters, name) && !slices.Contains(readers, name) && !slices.Contains(housekeeping, name) {
			t.Errorf("DB.%s is in no list of audit_test.go: is it a write that needs an audit row?", name)
		}
	}
}

func TestEveryWriteLeavesAnAuditRow(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	actor := Actor{UserID: 0, Email: "tester@example.com", Via: ViaWeb, Address: "192.0.2.1"}
	var user *auth.User
	var token *auth.APIToken
	var company, child *licensing.Company
	var patent *licensing.Patent
	var assignment *licensing.Assignment
	var agreement *licensing.Agreement
	var grant *licensing.Grant
	var obligation *licensing.Obligation
	var document *licensing.Document
	var linkSecret string
	var err error
	steps := []struct {
		method, action string
		run            func() error
	}{
		{"CreateFirstAdmin", "user.create", func() error {
			u := &auth.User{Email: "first@example.com", Role: auth.RoleAdmin, PasswordHash: sharedHash(t)}
			return db.CreateFirstAdmin(ctx, actor, u)
		}},
		{"CreateUser", "user.create", func() error {
			user = &auth.User{Email: "u@example.com", Role: auth.RoleViewer, PasswordHash: sharedHash(t)}
			return db.CreateUser(ctx, actor, user)
		}},
		{"SetPassword", "user.password", func() error { return db.SetPassword(ctx, actor, user.ID, sharedHash(t), "") }},
		{"SetPasswordRevokingAccess", "user.password", func() error {
			return db.SetPasswordRevokingAccess(ctx, actor, user.ID, sharedHash(t), "")
		}},
		{"SetLocale", "user.locale", func() error { return db.SetLocale(ctx, actor, user.ID, "de") }},
		{"CreateAPIToken", "token.create", func() error {
			var err error
			_, token, err = db.CreateAPIToken(ctx, actor, user.ID, "nightly export")
			return err
		}},
		{"RevokeAPIToken", "token.revoke", func() error { return db.RevokeAPIToken(ctx, actor, user.ID, token.ID) }},
		{"CreateCalendarFeed", "calendar_feed.create", func() error {
			_, _, err := db.CreateCalendarFeed(ctx, actor, user.ID, "Outlook", 7)
			return err
		}},
		{"RevokeCalendarFeed", "calendar_feed.revoke", func() error {
			feeds, err := db.CalendarFeeds(ctx, user.ID)
			if err != nil {
				return err
			}
			if len(feeds) == 0 {
				return ErrNotFound
			}
			return db.RevokeCalendarFeed(ctx, actor, user.ID, feeds[0].ID)
		}},
		{"SetUserRole", "user.role", func() error { return db.SetUserRole(ctx, actor, user.ID, auth.RoleEditor) }},
		{"InviteUser", "user.invite", func() error {
			_, _, err := db.InviteUser(ctx, actor, &auth.User{Email: "invited@example.com", Role: auth.RoleViewer}, time.Now().Add(time.Hour))
			return err
		}},
		{"IssuePasswordLink", "user.reset", func() error {
			linkSecret, _, err = db.IssuePasswordLink(ctx, actor, user.ID, time.Now().Add(time.Hour))
			return err
		}},
		{"UsePasswordLink", "user.password_reset", func() error {
			_, err := db.UsePasswordLink(ctx, actor, linkSecret, "", sharedHash(t))
			return err
		}},
		{"SetInitialPassword", "user.reset", func() error { return db.SetInitialPassword(ctx, actor, user.ID, sharedHash(t)) }},
		{"EndSession", "session.end", func() error {
			now := time.Now()
			if err := db.InsertSession(ctx, &auth.Session{IDHash: "audited", UserID: user.ID, CreatedAt: now, LastSeenAt: now}); err != nil {
				return err
			}
			return db.EndSession(ctx, actor, user.ID, "audited", true)
		}},
		{"ConfirmSession", "session.reauth", func() error {
			now := time.Now()
			if err := db.InsertSession(ctx, &auth.Session{IDHash: "confirmed", UserID: user.ID, CreatedAt: now, LastSeenAt: now}); err != nil {
				return err
			}
			return db.ConfirmSession(ctx, actor, user.ID, "confirmed")
		}},
		{"SetUserDisabled", "user.disable", func() error { return db.SetUserDisabled(ctx, actor, user.ID, true) }},
		{"MarkDemo", "settings.demo", func() error { return db.MarkDemo(ctx, actor, DemoSynthetic) }},
		{"RecordEvent", "session.signin", func() error {
			return db.RecordEvent(ctx, actor, Change{Action: "session.signin", Entity: "user", EntityID: "1"})
		}},
		{"CreateCompany", "company.create", func() error {
			company = &licensing.Company{Name: "Nokia Corporation"}
			return db.CreateCompany(ctx, actor, company)
		}},
		{"UpdateCompany", "company.update", func() error {
			company.ShortName = "Nokia"
			return db.UpdateCompany(ctx, actor, company)
		}},
		{"CreatePatent", "patent.create", func() error {
			patent = &licensing.Patent{Number: "EP1234567B1", Title: "Handover", Status: licensing.StatusGranted, OriginalOwnerID: company.ID}
			return db.CreatePatent(ctx, actor, patent)
		}},
		{"UpdatePatent", "patent.update", func() error {
			patent.Title = "Handover in LTE"
			return db.UpdatePatent(ctx, actor, patent)
		}},
		{"DeletePatent", "patent.delete", func() error { return db.DeletePatent(ctx, actor, patent.ID) }},
		{"ImportCompanies", "import.companies", func() error {
			_, err := db.ImportCompanies(ctx, actor, []licensing.CompanyImport{{Line: 2, Company: licensing.Company{Name: "HMD Global Oy"}}}, ImportOptions{})
			return err
		}},
		{"ImportPatents", "import.patents", func() error {
			_, err := db.ImportPatents(ctx, actor, []licensing.PatentImport{{Line: 2, Owner: "HMD Global Oy", Present: []string{"number", "title"},
				Patent: licensing.Patent{Number: "US 9,123,456 B2", Title: "Antenna"}}}, ImportOptions{})
			return err
		}},
		{"LoadPatents", "patent.load", func() error {
			_, err := db.LoadPatents(ctx, actor, "test", slices.Values([]*licensing.Patent{
				{Number: "EP1999999B1", Title: "Loaded", Status: licensing.StatusGranted, OriginalOwnerID: company.ID}}))
			return err
		}},
		{"AddAssignment", "assignment.create", func() error {
			var err error
			assignment, err = addTestAssignment(db, actor)
			return err
		}},
		{"UpdateAssignment", "assignment.update", func() error {
			assignment.OfficeRef = "Reel 043210 / Frame 0001"
			return db.UpdateAssignment(ctx, actor, assignment)
		}},
		{"DeleteAssignment", "assignment.delete", func() error { return db.DeleteAssignment(ctx, actor, assignment.ID) }},
		{"CreateAgreement", "agreement.create", func() error {
			partner := &licensing.Company{Name: "Audit Partner Ltd"}
			if err := db.CreateCompany(ctx, actor, partner); err != nil {
				return err
			}
			agreement = &licensing.Agreement{Reference: "AUDIT-1", Title: "Licence", Kind: licensing.KindLicense, Status: licensing.AgreementDraft,
				Parties: []licensing.Party{{CompanyID: company.ID, Role: licensing.RoleLicensor}, {CompanyID: partner.ID, Role: licensing.RoleLicensee}}}
			return db.CreateAgreement(ctx, actor, agreement)
		}},
		{"LoadAgreements", "agreement.create", func() error {
			return db.LoadAgreements(ctx, actor, func(l *AgreementLoad) error {
				return l.CreateAgreement(&licensing.Agreement{Reference: "AUDIT-LOAD", Title: "Loaded licence", Kind: licensing.KindLicense,
					Status: licensing.AgreementDraft, Parties: slices.Clone(agreement.Parties)})
			})
		}},
		{"UpdateAgreement", "agreement.update", func() error {
			agreement.Title = "Patent licence"
			return db.UpdateAgreement(ctx, actor, agreement)
		}},
		{"AddGrant", "grant.create", func() error {
			grant = &licensing.Grant{LicensorID: agreement.Parties[0].CompanyID, LicenseeID: agreement.Parties[1].CompanyID,
				Exclusivity: licensing.NonExclusive, Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio}}
			return db.AddGrant(ctx, actor, agreement.ID, grant)
		}},
		{"UpdateGrant", "grant.update", func() error {
			grant.Fields = []string{"mobile devices"}
			return db.UpdateGrant(ctx, actor, grant)
		}},
		{"DeleteGrant", "grant.delete", func() error { return db.DeleteGrant(ctx, actor, grant.ID) }},
		{"AddObligation", "obligation.create", func() error {
			obligation = &licensing.Obligation{Kind: licensing.ObligationReport, Title: "Report", DueOn: licensing.MustDate("2018-01-31")}
			return db.AddObligation(ctx, actor, agreement.ID, obligation)
		}},
		{"UpdateObligation", "obligation.update", func() error {
			obligation.Title = "Annual report"
			return db.UpdateObligation(ctx, actor, obligation)
		}},
		{"SettleOccurrences", "obligation.settle", func() error {
			_, err := db.SettleOccurrences(ctx, actor, obligation.ID, licensing.MustDate("2018-12-31"), licensing.ObligationDone)
			return err
		}},
		{"MarkOccurrence", "obligation.occurrence", func() error {
			return db.MarkOccurrence(ctx, actor, obligation.ID, obligation.DueOn, licensing.ObligationDone, licensing.Date{})
		}},
		{"DeleteObligation", "obligation.delete", func() error { return db.DeleteObligation(ctx, actor, obligation.ID) }},
		{"AddDocument", "document.add", func() error {
			var err error
			document, err = db.AddDocument(ctx, actor, agreement.ID, "signed.pdf", strings.NewReader("%PDF-1.7"))
			return err
		}},
		{"DeleteDocument", "document.remove", func() error { return db.DeleteDocument(ctx, actor, document.ID) }},
		{"DeleteAgreement", "agreement.delete", func() error { return db.DeleteAgreement(ctx, actor, agreement.ID) }},
		{"DeleteCompany", "company.delete", func() error {
			child = &licensing.Company{Name: "Short-lived Oy"}
			if err := db.CreateCompany(ctx, actor, child); err != nil {
				return err
			}
			return db.DeleteCompany(ctx, actor, child.ID)
		}},
	}
	covered := map[string]bool{}
	for _, s := range steps {
		t.Run(s.method, func(t *testing.T) {
			if err := s.run(); err != nil {
				t.Fatal(err)
			}
			covered[s.method] = true
			last, err := db.RecentAudit(ctx, 1)
			if err != nil || len(last) != 1 {
				t.Fatalf("no audit row: %v", err)
			}
			e := last[0]
			if e.Action != s.action || e.Actor != actor.Email || e.Via != ViaWeb || e.Address != actor.Address || e.At.IsZero() {
				t.Errorf("audit row %+v, want action %s by %s", e, s.action, actor.Email)
			}
			if strings.HasSuffix(s.action, ".update") && !strings.Contains(e.Details, `"before"`) {
				t.Errorf("an update must record before and after values: %s", e.Details)
			}
		})
	}
	for _, m := range auditedWriters {
		if !covered[m] {
			t.Errorf("no step exercises the writer %s", m)
		}
	}
}

func TestAuditTrailFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for _, name := range []string{"Alpha Oy", "Beta GmbH", "Gamma Ltd"} {
		if err := db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	entity := "company"
	first, next, err := db.AuditTrail(ctx, AuditFilter{Entity: &entity, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || next == "" {
		t.Fatalf("first page: %d rows, next %q; want 2 rows and a cursor", len(first), next)
	}
	if !strings.Contains(first[0].Details, "Gamma Ltd") {
		t.Errorf("newest first: got %s", first[0].Details)
	}
	rest, next, err := db.AuditTrail(ctx, AuditFilter{Entity: &entity, Limit: 2, Cursor: next})
	if err != nil || len(rest) != 1 || next != "" || !strings.Contains(rest[0].Details, "Alpha Oy") {
		t.Fatalf("second page: %v rows %d next %q", err, len(rest), next)
	}
	id := first[1].EntityID
	one, _, err := db.AuditTrail(ctx, AuditFilter{Entity: &entity, EntityID: &id})
	if err != nil || len(one) != 1 || !strings.Contains(one[0].Details, "Beta GmbH") {
		t.Fatalf("one record's history: %v %+v", err, one)
	}
	future := time.Now().Add(time.Hour)
	none, _, err := db.AuditTrail(ctx, AuditFilter{From: &future})
	if err != nil || len(none) != 0 {
		t.Fatalf("from the future: %v %d rows", err, len(none))
	}
	if _, _, err := db.AuditTrail(ctx, AuditFilter{Cursor: "x"}); licensing.ErrorCode(err) != licensing.Invalid {
		t.Errorf("bad cursor: %v", err)
	}
	n := 0
	if err := db.EachAudit(ctx, AuditFilter{Entity: &entity}, func(AuditEntry) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("EachAudit: %v, %d rows", err, n)
	}
}
