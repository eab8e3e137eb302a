package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

const testPassword = "correct horse battery staple"

// Argon2id at the default parameters takes tens of milliseconds (more under
// -race), so tests that only need some valid hash share one.
var (
	sharedHashOnce sync.Once
	sharedHash     string
	sharedHashErr  error
)

func testHash(t *testing.T) string {
	t.Helper()
	sharedHashOnce.Do(func() { sharedHash, sharedHashErr = HashPassword(testPassword) })
	if sharedHashErr != nil {
		t.Fatalf("HashPassword: %v", sharedHashErr)
	}
	return sharedHash
}

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{name: "TwelveASCIIAccepted", pw: "quietpatents", want: nil},
		{name: "TooShortPasswordRejected", pw: "abcdefghijk", want: ErrPasswordTooShort},
		{name: "EmptyRejected", pw: "", want: ErrPasswordTooShort},
		// 12 runes but 24 bytes: must be counted as 12, not 24.
		{name: "TwelveMultiByteRunesAccepted", pw: "äöüßäöüßäöüß", want: nil},
		// 11 runes but 22 bytes: a byte count would wrongly accept it.
		{name: "ElevenMultiByteRunesRejected", pw: "äöüßäöüßäöü", want: ErrPasswordTooShort},
		{name: "PassphraseWithSpacesAccepted", pw: testPassword, want: nil},
		{name: "CJKAndEmojiAccepted", pw: "特許出願の秘密のパスワード🔑", want: nil},
		{name: "MaxLengthAccepted", pw: strings.Repeat("a", MaxPasswordLength), want: nil},
		{name: "MaxLengthMultiByteAccepted", pw: strings.Repeat("ß", MaxPasswordLength), want: nil},
		{name: "TooLongRejected", pw: strings.Repeat("a", MaxPasswordLength+1), want: ErrPasswordTooLong},
		{name: "TooLongMultiByteRejected", pw: strings.Repeat("ß", MaxPasswordLength+1), want: ErrPasswordTooLong},
		{name: "InvalidUTF8Rejected", pw: "abcdefghijkl\xff", want: ErrPasswordInvalid},
		{name: "NULRejected", pw: "abcdef\x00ghijkl", want: ErrPasswordInvalid},
		{name: "NewlineRejected", pw: "abcdefghijkl\n", want: ErrPasswordInvalid},
		{name: "TabRejected", pw: "abcdef\tghijkl", want: ErrPasswordInvalid},
		{name: "DELRejected", pw: "abcdefghijkl\x7f", want: ErrPasswordInvalid},
		{name: "C1ControlRejected", pw: "abcdefghijkl\u0085", want: ErrPasswordInvalid},
		{name: "CommonPasswordRejected", pw: "qwerty123456", want: ErrPasswordCommon},
		{name: "CommonPasswordInAnyCaseRejected", pw: "1QAZ2wsx3EDC", want: ErrPasswordCommon},
		// Short common passwords fail on length first: the length message says more.
		{name: "ShortCommonPasswordTooShort", pw: "password", want: ErrPasswordTooShort},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidatePassword(tc.pw); !errors.Is(got, tc.want) {
				t.Errorf("ValidatePassword(%q) = %v, want %v", tc.pw, got, tc.want)
			}
		})
	}
}

func TestHashPasswordRejectsInvalidPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{name: "TooShortPasswordRejected", pw: "short", want: ErrPasswordTooShort},
		{name: "TooLongPasswordRejected", pw: strings.Repeat("x", MaxPasswordLength+1), want: ErrPasswordTooLong},
		{name: "InvalidUTF8Rejected", pw: strings.Repeat("\xfe", 20), want: ErrPasswordInvalid},
		{name: "CommonPasswordRejected", pw: "qwerty123456", want: ErrPasswordCommon},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := HashPassword(tc.pw)
			if !errors.Is(err, tc.want) || h != "" {
				t.Errorf("HashPassword(%q) = %q, %v; want \"\", %v", tc.pw, h, err, tc.want)
			}
		})
	}
}

func TestHashPasswordFormat(t *testing.T) {
	h := testHash(t)
	m := phcPattern.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("hash %q does not match %v", h, phcPattern)
	}
	t.Run("ParametersAtLeastOWASP", func(t *testing.T) {
		mem, _ := strconv.Atoi(m[1])
		tm, _ := strconv.Atoi(m[2])
		p, _ := strconv.Atoi(m[3])
		if mem < 19456 || tm < 2 || p < 1 {
			t.Errorf("parameters m=%d,t=%d,p=%d are below OWASP minimum m=19456,t=2,p=1", mem, tm, p)
		}
	})
	t.Run("SaltAndKeyLengths", func(t *testing.T) {
		// Unpadded base64: 16 bytes -> 22 chars, 32 bytes -> 43 chars.
		if len(m[4]) != 22 || len(m[5]) != 43 {
			t.Errorf("salt/key encoded lengths = %d/%d, want 22/43", len(m[4]), len(m[5]))
		}
	})
	t.Run("SaltIsRandom", func(t *testing.T) {
		h2, err := HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if h2 == h {
			t.Error("two hashes of the same password are identical; salt is not random")
		}
	})
}

func TestVerifyPassword(t *testing.T) {
	h := testHash(t)
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{name: "CorrectPasswordMatches", pw: testPassword, want: true},
		{name: "WrongPasswordFails", pw: "correct horse battery stapler", want: false},
		{name: "CaseMattersFails", pw: "Correct horse battery staple", want: false},
		{name: "EmptyPasswordFails", pw: "", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(h, tc.pw)
			if err != nil {
				t.Fatalf("VerifyPassword: %v", err)
			}
			if ok != tc.want {
				t.Errorf("ok = %v, want %v", ok, tc.want)
			}
			if rehash {
				t.Error("needsRehash = true for a hash made with the default parameters")
			}
		})
	}
}

func TestVerifyPasswordNeedsRehash(t *testing.T) {
	weaker := PasswordParams{Memory: 8192, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := hashWithParams(testPassword, weaker)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("LowerParamsNeedRehash", func(t *testing.T) {
		ok, rehash, err := VerifyPassword(h, testPassword)
		if err != nil || !ok || !rehash {
			t.Errorf("VerifyPassword = %v, %v, %v; want true, true, nil", ok, rehash, err)
		}
	})
	t.Run("WrongPasswordNeverAsksForRehash", func(t *testing.T) {
		// Without the correct password the caller cannot rehash anyway.
		ok, rehash, err := VerifyPassword(h, "not the password at all")
		if err != nil || ok || rehash {
			t.Errorf("VerifyPassword = %v, %v, %v; want false, false, nil", ok, rehash, err)
		}
	})
}

func TestVerifyPasswordMalformed(t *testing.T) {
	valid := testHash(t)
	parts := strings.Split(valid, "$") // "", alg, version, params, salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	salt, key := parts[4], parts[5]
	tests := []struct {
		name    string
		encoded string
	}{
		{name: "Empty", encoded: ""},
		{name: "OnlyDollar", encoded: "$"},
		{name: "WrongAlgorithmArgon2i", encoded: join("", "argon2i", "v=19", "m=19456,t=2,p=1", salt, key)},
		{name: "WrongAlgorithmBcrypt", encoded: "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
		{name: "VersionEighteen", encoded: join("", "argon2id", "v=18", "m=19456,t=2,p=1", salt, key)},
		{name: "VersionMissing", encoded: join("", "argon2id", "m=19456,t=2,p=1", salt, key)},
		{name: "VersionNotNumber", encoded: join("", "argon2id", "v=x", "m=19456,t=2,p=1", salt, key)},
		{name: "MissingKey", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", salt)},
		{name: "MissingSaltAndKey", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1")},
		{name: "ExtraField", encoded: valid + "$abc"},
		{name: "NoLeadingDollar", encoded: strings.TrimPrefix(valid, "$")},
		{name: "BadBase64Salt", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", "!!not-base64!!", key)},
		{name: "BadBase64Key", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", salt, "@@@@")},
		{name: "PaddedBase64Key", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", salt, key+"=")},
		{name: "EmptySalt", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", "", key)},
		{name: "EmptyKey", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", salt, "")},
		{name: "ShortKey", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=1", salt, "AAAA")},
		{name: "ParamsMissing", encoded: join("", "argon2id", "v=19", "m=19456,t=2", salt, key)},
		{name: "ParamsWrongOrder", encoded: join("", "argon2id", "v=19", "t=2,m=19456,p=1", salt, key)},
		{name: "ParamsNotNumbers", encoded: join("", "argon2id", "v=19", "m=a,t=b,p=c", salt, key)},
		{name: "ZeroTime", encoded: join("", "argon2id", "v=19", "m=19456,t=0,p=1", salt, key)},
		{name: "ZeroThreads", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=0", salt, key)},
		{name: "ZeroMemory", encoded: join("", "argon2id", "v=19", "m=0,t=2,p=1", salt, key)},
		{name: "NegativeMemory", encoded: join("", "argon2id", "v=19", "m=-1,t=2,p=1", salt, key)},
		{name: "ThreadsOverflowUint8", encoded: join("", "argon2id", "v=19", "m=19456,t=2,p=256", salt, key)},
		{name: "HugeMemory", encoded: join("", "argon2id", "v=19", "m=4294967295,t=2,p=1", salt, key)},
		{name: "HugeTime", encoded: join("", "argon2id", "v=19", "m=19456,t=4294967295,p=1", salt, key)},
		{name: "MemoryOverflowUint32", encoded: join("", "argon2id", "v=19", "m=4294967296,t=2,p=1", salt, key)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("VerifyPassword panicked on %q: %v", tc.encoded, r)
				}
			}()
			ok, rehash, err := VerifyPassword(tc.encoded, testPassword)
			if err == nil || ok || rehash {
				t.Errorf("VerifyPassword(%q) = %v, %v, %v; want false, false, error", tc.encoded, ok, rehash, err)
			}
		})
	}
}

func TestDummyVerify(t *testing.T) {
	t.Run("DummyHashUsesDefaultParams", func(t *testing.T) {
		// If DefaultPasswordParams are raised, dummyHash must be regenerated,
		// or unknown-email sign-ins become measurably cheaper than real ones.
		p, _, _, err := parseHash(dummyHash)
		if err != nil {
			t.Fatalf("dummyHash does not parse: %v", err)
		}
		if p != DefaultPasswordParams {
			t.Errorf("dummyHash params = %+v, want DefaultPasswordParams %+v", p, DefaultPasswordParams)
		}
	})
	t.Run("DoesNotPanicOnAnyInput", func(t *testing.T) {
		for _, pw := range []string{"", "\xff\x00" + strings.Repeat("é", MaxPasswordLength)} {
			DummyVerify(pw)
		}
	})
}

// The same passphrase, composed (NFC: "ü" is one code point) and decomposed
// (NFD: "u" and a combining diaeresis), as different systems send it.
const (
	nfcPassword = "K\u00fcndigungsfrist beachten 2026"
	nfdPassword = "Ku\u0308ndigungsfrist beachten 2026"
)

// rawHash hashes pw's bytes as they are, as PatentDesk did before it
// normalised passwords.
func rawHash(t *testing.T, pw string) string {
	t.Helper()
	p := DefaultPasswordParams
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func TestPasswordUnicodeNormalisation(t *testing.T) {
	if nfcPassword == nfdPassword {
		t.Fatal("test passwords are the same bytes")
	}
	t.Run("DecomposedMatchesComposedHash", func(t *testing.T) {
		h, err := HashPassword(nfcPassword)
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{nfcPassword, nfdPassword} {
			if ok, rehash, err := VerifyPassword(h, pw); err != nil || !ok || rehash {
				t.Errorf("VerifyPassword(%q) = %v, %v, %v; want true, false, nil", pw, ok, rehash, err)
			}
		}
	})
	t.Run("ComposedMatchesDecomposedHash", func(t *testing.T) {
		h, err := HashPassword(nfdPassword)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _, err := VerifyPassword(h, nfcPassword); err != nil || !ok {
			t.Errorf("VerifyPassword = %v, %v; want true, nil", ok, err)
		}
	})
	t.Run("LegacyRawHashStillOpensAndAsksForRehash", func(t *testing.T) {
		h := rawHash(t, nfdPassword)
		ok, rehash, err := VerifyPassword(h, nfdPassword)
		if err != nil || !ok || !rehash {
			t.Errorf("VerifyPassword(legacy hash, same bytes) = %v, %v, %v; want true, true, nil", ok, rehash, err)
		}
		// The fresh hash the caller stores then opens with either form.
		fresh, err := HashPassword(nfdPassword)
		if err != nil {
			t.Fatal(err)
		}
		if ok, rehash, _ := VerifyPassword(fresh, nfcPassword); !ok || rehash {
			t.Errorf("VerifyPassword(fresh hash, NFC) = %v, %v; want true, false", ok, rehash)
		}
		if ok, _, _ := VerifyPassword(h, "Ku\u0308ndigungsfrist beachten 2027"); ok {
			t.Error("a wrong decomposed password matched a legacy hash")
		}
	})
	t.Run("LengthCountedAfterNormalising", func(t *testing.T) {
		// Twelve "ü" typed decomposed are 24 code points but 12 characters.
		if err := ValidatePassword(strings.Repeat("u\u0308", MaxPasswordLength)); err != nil {
			t.Errorf("256 decomposed ü refused: %v", err)
		}
		if err := ValidatePassword(strings.Repeat("u\u0308", MaxPasswordLength+1)); !errors.Is(err, ErrPasswordTooLong) {
			t.Errorf("257 decomposed ü: %v, want %v", err, ErrPasswordTooLong)
		}
	})
}

func TestValidatePasswordFor(t *testing.T) {
	const email = "Anna.Berger@kanzlei.example"
	tests := []struct {
		name  string
		pw    string
		email string
		want  error
	}{
		{"UnrelatedAccepted", "correct horse battery staple", email, nil},
		{"WholeAddressRefused", "mein konto anna.berger@kanzlei.example", email, ErrPasswordContext},
		{"LocalPartInAnyCaseRefused", "ANNA.BERGER sagt hallo 2026", email, ErrPasswordContext},
		{"AppNameRefused", "mein PatentDesk passwort", email, ErrPasswordContext},
		{"AppNameDecomposedAccentsStillFound", "Pätentdesk is not patentdesk", email, ErrPasswordContext},
		{"ShortLocalPartAllowed", "al pacino in scarface 1983", "al@example.com", nil},
		{"FourCharacterLocalPartRefused", "the anna karenina problem", "anna@example.com", ErrPasswordContext},
		{"DomainAloneAllowed", "kanzlei.example ist gut", email, nil},
		{"NoEmailStillChecksAppName", "patentdesk rocks every day", "", ErrPasswordContext},
		{"PolicyComesFirst", "patentdesk", email, ErrPasswordTooShort},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidatePasswordFor(tc.pw, tc.email); !errors.Is(got, tc.want) {
				t.Errorf("ValidatePasswordFor(%q, %q) = %v, want %v", tc.pw, tc.email, got, tc.want)
			}
		})
	}
}
