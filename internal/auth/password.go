package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"patentdesk/internal/auth/commonpasswords"
)

// PasswordParams are the Argon2id cost and size parameters of a password hash.
//
// The OWASP minimum for Argon2id is m=19 MiB, t=2, p=1; DefaultPasswordParams
// uses exactly that with a 16-byte salt and a 32-byte key, which costs in the
// order of tens of milliseconds per sign-in on a small self-hosted server.
type PasswordParams struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes over the memory
	Threads uint8  // degree of parallelism
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key length in bytes
}

// DefaultPasswordParams are the parameters new password hashes are made with.
var DefaultPasswordParams = PasswordParams{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MinPasswordLength is the shortest accepted password, counted in Unicode code points.
const MinPasswordLength = 12

// MaxPasswordLength is the longest accepted password, counted in Unicode code points.
const MaxPasswordLength = 256

// Sentinel errors returned by ValidatePassword and HashPassword.
var (
	// ErrPasswordTooShort reports a password with fewer than MinPasswordLength code points.
	ErrPasswordTooShort = fmt.Errorf("auth: password must be at least %d characters", MinPasswordLength)
	// ErrPasswordTooLong reports a password with more than MaxPasswordLength code points.
	ErrPasswordTooLong = fmt.Errorf("auth: password must be at most %d characters", MaxPasswordLength)
	// ErrPasswordInvalid reports a password that is not valid UTF-8 or contains control characters.
	ErrPasswordInvalid = errors.New("auth: password must be valid text without control characters")
	// ErrPasswordCommon reports a password on the list of the most common
	// passwords, which attackers try first whatever its length.
	ErrPasswordCommon = errors.New("auth: password is one of the most commonly used passwords")
	// ErrPasswordContext reports a password that contains the account's email
	// address, the part before its "@", or the application's name: the
	// first things an attacker who knows whose account it is tries.
	ErrPasswordContext = errors.New("auth: password contains the email address or the application's name")
)

// contextWord is the application's own name, refused inside passwords.
const contextWord = "patentdesk"

// minContextLocalPart is the shortest local part of an email address that is
// refused inside a password: "al@…" must not rule out every password with
// "al" in it.
const minContextLocalPart = 4

// Errors for stored hashes that VerifyPassword cannot use. They are
// unexported because callers only need to know verification failed; the
// wrapped message says why, for the log.
var (
	errMalformedHash   = errors.New("auth: malformed password hash")
	errUnsupportedHash = errors.New("auth: unsupported password hash")
)

// Bounds on parameters read back from a stored hash. They exist so that a
// corrupted or tampered row cannot make VerifyPassword allocate gigabytes,
// spin for minutes, or compare an empty key (which would match anything).
const (
	maxHashMemory = 1 << 20 // KiB, i.e. 1 GiB
	maxHashTime   = 100
	minSaltLen    = 8
	minKeyLen     = 16
	maxSaltKeyLen = 1024
)

// dummyHash is a fixed hash made with DefaultPasswordParams for a random
// password nobody knows. DummyVerify checks against it so that signing in
// with an unknown email address costs as much as with a known one. It is a
// constant rather than computed at start-up so that the first sign-in after a
// restart is not slower; a test keeps it in step with DefaultPasswordParams.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$yLgftkHTkfAAB17ziKH9Ww$PoehN82YljOQD63W0qmNzyDf/wEJEEKV0jadEdmOqCY"

// ValidatePassword checks a new password against PatentDesk's password policy.
//
// Length is counted in code points rather than bytes so that passphrases in
// any script are judged by what the user typed; spaces and any printable
// Unicode are allowed because long passphrases are the point of the policy.
// The length is that of the NFC form, the one that is hashed (see
// HashPassword), so "ü" typed as u plus a combining diaeresis counts once.
// Control characters are refused because they cannot be typed reliably and
// usually mean a paste or encoding accident. A password on the list of the
// most common ones (commonpasswords, compared in any case) is refused too:
// length alone does not stop "qwerty123456".
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return ErrPasswordInvalid
	}
	n := 0
	for _, r := range norm.NFC.String(pw) {
		if unicode.IsControl(r) {
			return ErrPasswordInvalid
		}
		n++
	}
	switch {
	case n < MinPasswordLength:
		return ErrPasswordTooShort
	case n > MaxPasswordLength:
		return ErrPasswordTooLong
	case commonpasswords.Contains(pw):
		return ErrPasswordCommon
	}
	return nil
}

// ValidatePasswordFor is ValidatePassword for the account with the given
// email address: the password must also not contain, in any case, the
// address, the part before its "@" when that has at least
// minContextLocalPart characters, or "patentdesk" (ASVS V6.2.11).
func ValidatePasswordFor(pw, email string) error {
	if err := ValidatePassword(pw); err != nil {
		return err
	}
	canon := commonpasswords.Canonical(pw)
	words := []string{contextWord}
	if e := commonpasswords.Canonical(strings.TrimSpace(email)); e != "" {
		words = append(words, e)
		if local, _, ok := strings.Cut(e, "@"); ok && utf8.RuneCountInString(local) >= minContextLocalPart {
			words = append(words, local)
		}
	}
	for _, w := range words {
		if strings.Contains(canon, w) {
			return ErrPasswordContext
		}
	}
	return nil
}

// HashPassword validates pw and returns its Argon2id hash in PHC string format.
//
// What is hashed is the password's Unicode NFC form: the same passphrase
// arrives composed ("ü") from one keyboard or system and decomposed ("u" and
// a combining diaeresis) from another, and both must open the account.
//
// The result looks like $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, with salt
// and key in unpadded standard base64, so the parameters travel with the hash
// and can be raised later without invalidating stored passwords.
func HashPassword(pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	return hashWithParams(pw, DefaultPasswordParams)
}

// hashWithParams hashes pw with explicit parameters; tests use it to make
// hashes with non-default parameters.
func hashWithParams(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC-encoded Argon2id hash.
//
// The password is checked in its NFC form, as HashPassword hashes it. Hashes
// stored before passwords were normalised are of the raw bytes, so when the
// raw form differs from the NFC form it is checked too; both checks are made
// whatever the first one says, so that the time taken depends only on what
// was typed, never on whether it was right or the account exists.
//
// needsRehash is true only when the password matched and the hash was made
// with parameters other than DefaultPasswordParams, or of the raw form, so
// the caller can store a fresh hash while it still has the plain password.
// err is non-nil when the stored hash is malformed or not Argon2id version
// 19; ok is then false. The password policy is deliberately not applied
// here, so that passwords set under an older policy keep working.
func VerifyPassword(encoded, pw string) (ok bool, needsRehash bool, err error) {
	p, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	nfc := norm.NFC.String(pw)
	// Constant-time comparison so response timing does not reveal how many
	// leading bytes of a guess's key were right.
	okNFC := subtle.ConstantTimeCompare(argon2.IDKey([]byte(nfc), salt, p.Time, p.Memory, p.Threads, p.KeyLen), key) == 1
	okRaw := false
	if nfc != pw {
		okRaw = subtle.ConstantTimeCompare(argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen), key) == 1
	}
	switch {
	case okNFC:
		return true, p != DefaultPasswordParams, nil
	case okRaw:
		return true, true, nil
	}
	return false, false, nil
}

// DummyVerify spends the same work as VerifyPassword against a fixed hash
// and discards the result.
//
// Sign-in calls it when no user has the submitted email address, so that an
// attacker cannot tell from response times which addresses have accounts.
func DummyVerify(pw string) {
	_, _, _ = VerifyPassword(dummyHash, pw)
}

// parseHash splits a PHC string into its parameters, salt and key, rejecting
// anything it cannot safely hand to argon2.IDKey (which panics on zero time
// or threads).
func parseHash(encoded string) (p PasswordParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("%w: want 5 '$'-separated fields", errMalformedHash)
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: algorithm %q", errUnsupportedHash, parts[1])
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return p, nil, nil, fmt.Errorf("%w: missing version", errMalformedHash)
	}
	version, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: bad version %q", errMalformedHash, v)
	}
	if version != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version %d", errUnsupportedHash, version)
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want parameters m,t,p", errMalformedHash)
	}
	m, err := parseParam(fields[0], "m=", maxHashMemory)
	if err != nil {
		return p, nil, nil, err
	}
	t, err := parseParam(fields[1], "t=", maxHashTime)
	if err != nil {
		return p, nil, nil, err
	}
	threads, err := parseParam(fields[2], "p=", 255)
	if err != nil {
		return p, nil, nil, err
	}

	// Strict decoding rejects non-zero padding bits, so each hash has exactly
	// one accepted spelling.
	b64 := base64.RawStdEncoding.Strict()
	salt, err = b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", errMalformedHash, err)
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: key: %v", errMalformedHash, err)
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltKeyLen {
		return p, nil, nil, fmt.Errorf("%w: salt length %d", errMalformedHash, len(salt))
	}
	if len(key) < minKeyLen || len(key) > maxSaltKeyLen {
		return p, nil, nil, fmt.Errorf("%w: key length %d", errMalformedHash, len(key))
	}

	p = PasswordParams{
		Memory:  m,
		Time:    t,
		Threads: uint8(threads),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	return p, salt, key, nil
}

// parseParam parses one "name=value" hash parameter that must lie in [1, max].
func parseParam(field, prefix string, max uint64) (uint32, error) {
	s, ok := strings.CutPrefix(field, prefix)
	if !ok {
		return 0, fmt.Errorf("%w: want parameter %q, got %q", errMalformedHash, prefix, field)
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("%w: parameter %q out of range", errMalformedHash, field)
	}
	return uint32(n), nil
}
