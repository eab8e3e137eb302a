// Package demo loads PatentDesk's demo data set and generates synthetic
// data sets for measurements at scale.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// Account is a demo user with the password generated for it, shown once.
type Account struct {
	Email    string
	Role     auth.Role
	Password string
}

// Load fills an empty database with the demo data set: the companies,
// patents and agreements of the dataset files, then three accounts, one per
// role, each with a fresh random password. It refuses a database that
// already has users, companies or patents, so demo mode never touches real
// data.
//
// today is the day the demo is loaded on, the caller's today: the running
// Nokia–HMD Global licence is dated from it (see agreementsOn), so that its
// notice deadline lies 45 days ahead and its last quarterly report is
// overdue whenever the demo is started. The rest of the data set is history
// and keeps its dates.
//
// The store writes each record in its own transaction, so Load cannot load
// the whole set in one, and the store erases only draft agreements: a
// signed one is terminated or expires, never deleted. Load therefore goes
// in four steps, so that whatever can be refused is refused while it can
// still be undone:
//
//  1. It checks the demo agreements against the rules of licensing in
//     memory, in every status they pass through, before writing anything.
//  2. It writes the companies, the patents, and every agreement as a draft
//     with its grants, assignments and obligations, and marks the
//     occurrences that were met. If the store refuses a record, Load deletes
//     what it had written, agreements newest first (amendments before their
//     parents), and the database is empty again for a second try; the audit
//     trail keeps both the writes and their removal.
//  3. It creates the accounts. The store cannot remove a user again, and an
//     account whose password was never printed would lock the demo out, so
//     should creating the second or third account fail, the data is removed
//     but the accounts before it stay, and the error says to start afresh.
//  4. It moves each agreement from draft to its status (draft → active →
//     expired, say), which signs it and moves the title its assignments
//     transfer. Step 1 checked these moves; should one still fail (a broken
//     disk), the error says to start again with an empty data directory.
func Load(ctx context.Context, db *sqlite.DB, today licensing.Date) ([]Account, error) {
	if today.IsZero() {
		return nil, errors.New("the demo needs the day it is loaded on")
	}
	if err := refuseNonEmpty(ctx, db); err != nil {
		return nil, err
	}
	list := agreementsOn(today)
	if err := checkAgreements(list); err != nil {
		return nil, err
	}
	actor := sqlite.SystemActor()
	loaded, err := loadPortfolio(ctx, db, actor)
	if err != nil {
		return nil, loaded.undo(ctx, db, actor, err)
	}
	drafts, err := loadAgreements(ctx, db, actor, list)
	if err != nil {
		return nil, undoAll(ctx, db, actor, drafts, loaded, err)
	}
	accounts, err := createAccounts(ctx, db, actor)
	if err != nil {
		if len(accounts) > 0 {
			err = fmt.Errorf("%w; the demo accounts created before it remain, so start again with an empty data directory", err)
		}
		return nil, undoAll(ctx, db, actor, drafts, loaded, err)
	}
	if err := signAgreements(ctx, db, actor, drafts); err != nil {
		return nil, fmt.Errorf("%w; signed agreements cannot be removed again, so start again with an empty data directory", err)
	}
	if err := db.MarkDemo(ctx, actor, sqlite.DemoIllustrative); err != nil {
		return nil, fmt.Errorf("marking the database as demo data: %w", err)
	}
	return accounts, nil
}

// createAccounts creates the demo accounts, one per role, each with a
// fresh random password; on error it returns those created before it.
func createAccounts(ctx context.Context, db *sqlite.DB, actor sqlite.Actor) ([]Account, error) {
	var accounts []Account
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleViewer} {
		a := Account{Email: string(role) + "@example.com", Role: role, Password: NewPassword()}
		u, err := auth.NewUser(a.Email, "Demo "+string(role), role, a.Password)
		if err == nil {
			err = db.CreateUser(ctx, actor, u)
		}
		if err != nil {
			return accounts, fmt.Errorf("demo account %s: %w", a.Email, err)
		}
		accounts = append(accounts, a)
	}
	return accounts, nil
}

// refuseNonEmpty returns an error if the database holds any users,
// companies or patents.
func refuseNonEmpty(ctx context.Context, db *sqlite.DB) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database already has %d users; demo data is loaded only into an empty data directory", n)
	}
	someCompany, _, err := db.Companies(ctx, sqlite.CompanyFilter{Limit: 1})
	if err != nil {
		return err
	}
	somePatent, _, err := db.Patents(ctx, sqlite.PatentFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(someCompany) > 0 || len(somePatent) > 0 {
		return errors.New("the database already has companies or patents; demo data is loaded only into an empty data directory")
	}
	return nil
}

// passwordAlphabet leaves out letters and digits that are easily confused.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewPassword returns a random password of four groups of five characters
// (about 98 bits), easy to type from a console.
func NewPassword() string {
	out := make([]byte, 0, 23)
	for i := range 20 {
		if i > 0 && i%5 == 0 {
			out = append(out, '-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		out = append(out, passwordAlphabet[n.Int64()])
	}
	return string(out)
}
