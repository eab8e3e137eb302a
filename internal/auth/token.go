package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// TokenPrefix starts every personal access token, so that a token pasted
// in the wrong place (a ticket, a repository) is recognisable to secret
// scanners and people alike.
const TokenPrefix = "pdt_"

// FeedPrefix starts the secret of every calendar feed link.
const FeedPrefix = "pdc_"

// MaxTokenName bounds the name a user gives a token or a calendar feed.
const MaxTokenName = 100

// APIToken is a personal access token as listed: never the secret itself,
// which is shown once and stored only as its hash.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hint       string // the prefix and first characters, to tell tokens apart
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the token still opens the API.
func (t *APIToken) Active() bool { return t.RevokedAt == nil }

// ErrNoToken is returned when a bearer token matches no live token.
var ErrNoToken = errors.New("no such token")

// NewSecret returns a fresh secret with the given prefix (TokenPrefix or
// FeedPrefix), 256 random bits in URL-safe base64, and the hash under which
// it is stored.
func NewSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// HashSecret is how a token or feed secret is stored. The secrets carry 256
// random bits, so a plain SHA-256 suffices: there is nothing to guess.
func HashSecret(secret string) string { return HashSessionID(secret) }

// SecretHint is what lists show of a secret: its prefix and six characters.
func SecretHint(secret string) string {
	if len(secret) <= len(TokenPrefix)+6 {
		return secret
	}
	return secret[:len(TokenPrefix)+6] + "…"
}

// TokenName tidies the name a user gives a token or feed, and checks it.
func TokenName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return "", errors.New("give it a name, such as the script or the calendar that will use it")
	case utf8.RuneCountInString(name) > MaxTokenName:
		return "", errors.New("the name is longer than 100 characters")
	}
	return name, nil
}

// BearerToken takes the token from an Authorization header value; ok is
// false when the header does not carry a bearer token.
func BearerToken(header string) (token string, ok bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
