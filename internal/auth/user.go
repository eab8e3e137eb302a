package auth

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// User is a person who signs in to PatentDesk.
type User struct {
	ID                 int64
	Email              string
	Name               string
	Role               Role
	PasswordHash       string
	Locale             string // "" follows the browser; otherwise "en" or "de"
	MustChangePassword bool
	DisabledAt         *time.Time
	CreatedAt          time.Time
}

// Disabled reports whether the account may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// DisplayName is the name to greet the user with: the name, else the email.
func (u *User) DisplayName() string {
	if strings.TrimSpace(u.Name) != "" {
		return u.Name
	}
	return u.Email
}

// MaxEmailLength bounds stored addresses (RFC 5321 allows 254).
const MaxEmailLength = 254

// ErrInvalidEmail is returned for an address that is not a plain email address.
var ErrInvalidEmail = errors.New("not a valid email address")

// NormalizeEmail checks an address and returns it trimmed and in lower case,
// so that sign-in does not depend on how the user typed it.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > MaxEmailLength {
		return "", ErrInvalidEmail
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// ValidLocale reports whether s is a locale a user may choose ("" = browser).
func ValidLocale(s string) bool { return s == "" || s == "en" || s == "de" }

// ErrUserExists is returned when an account with the same email exists.
var ErrUserExists = errors.New("a user with this email already exists")

// ErrLastAdmin is returned for a change that would leave no active
// administrator: nobody could manage users any more.
var ErrLastAdmin = errors.New("this would leave no active administrator; make another user an administrator first")

// ErrUserDisabled is returned for a change a disabled account cannot take,
// such as a new password.
var ErrUserDisabled = errors.New("the account is disabled; enable it first")

// NewUser validates the fields of a new account and hashes its password.
func NewUser(email, name string, role Role, password string) (*User, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("email: %w", err)
	}
	if !role.Valid() {
		return nil, fmt.Errorf("role: %q is not one of admin, editor, viewer", role)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	return &User{Email: e, Name: strings.TrimSpace(name), Role: role, PasswordHash: hash}, nil
}
