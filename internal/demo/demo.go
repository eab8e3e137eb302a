// Package demo loads PatentDesk's demo data set and generates synthetic
// data sets for measurements at scale.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// Account is a demo user with the password generated for it, shown once.
type Account struct {
	Email    string
	Role     auth.Role
	Password string
}

// Load fills an empty database with the demo data set: three accounts, one
// per role, each with a fresh random password. It refuses a database that
// already has users, so demo mode never touches real data.
func Load(ctx context.Context, db *sqlite.DB) ([]Account, error) {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, fmt.Errorf("the database already has %d users; demo data is loaded only into an empty data directory", n)
	}
	actor := sqlite.SystemActor()
	var accounts []Account
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleViewer} {
		a := Account{Email: string(role) + "@example.com", Role: role, Password: NewPassword()}
		u, err := auth.NewUser(a.Email, "Demo "+string(role), role, a.Password)
		if err != nil {
			return nil, err
		}
		if err := db.CreateUser(ctx, actor, u); err != nil {
			return nil, err
		}
		accounts = append(accounts, a)
	}
	if err := db.MarkDemo(ctx, actor); err != nil {
		return nil, err
	}
	return accounts, nil
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
