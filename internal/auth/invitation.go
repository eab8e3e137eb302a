package auth

import "time"

// InvitePrefix starts the secret of every invitation or password reset link.
const InvitePrefix = "pdi_"

// LinkKind says what a one-time password link is for.
type LinkKind string

// The kinds of password link.
const (
	// LinkInvite lets a new account's person give their name and choose
	// their first password.
	LinkInvite LinkKind = "invite"
	// LinkReset lets the person of an existing account choose a new password.
	LinkReset LinkKind = "reset"
)

// PasswordLink is a one-time link with which a person chooses their own
// password, as listed: never the secret, which is shown once and stored
// only as its hash.
type PasswordLink struct {
	ID        int64
	UserID    int64
	Kind      LinkKind
	Hint      string // the prefix and first characters, to tell links apart
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

// Open reports whether the link can still be used at now: not used, not
// replaced by a newer one, not expired.
func (l *PasswordLink) Open(now time.Time) bool {
	return l.UsedAt == nil && l.RevokedAt == nil && now.Before(l.ExpiresAt)
}

// Invited reports whether the account has been created by invitation and
// its person has not chosen a password yet; nobody can sign in to it.
func (u *User) Invited() bool { return u.PasswordHash == "" }
