package commonpasswords

import (
	"testing"
	"unicode/utf8"
)

func TestListIsLargeEnough(t *testing.T) {
	if n := Count(); n < 10000 {
		t.Fatalf("the list holds %d passwords, want at least 10,000", n)
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"MostCommon", "123456", true},
		{"LongKeyboardWalk", "1qaz2wsx3edc", true},
		{"AnyCase", "QWERTY123456", true},
		{"MixedCase", "LeaveMeAlone", true},
		{"Passphrase", "correct horse battery staple for patents", false},
		{"Empty", "", false},
		{"WithSpaceAround", " 123456", false},
		{"GermanPassphrase", "Kündigungsfrist im Januar beachten", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Contains(tc.pw); got != tc.want {
				t.Errorf("Contains(%q) = %v, want %v", tc.pw, got, tc.want)
			}
		})
	}
}

func TestCanonicalNormalisesUnicode(t *testing.T) {
	decomposed := "Ku\u0308ndigung" // u + combining diaeresis
	if got, want := Canonical(decomposed), "kündigung"; got != want {
		t.Errorf("Canonical(%q) = %q, want %q", decomposed, got, want)
	}
}

// ASVS 5.0 V6.2.4 asks for the top 3,000 passwords that match the policy,
// whose minimum is 12 characters: the list must refuse at least that many.
func TestAtLeast3000PasswordsOfTwelveCharacters(t *testing.T) {
	n := 0
	for w := range list() {
		if utf8.RuneCountInString(w) >= 12 {
			n++
		}
	}
	if n < 3000 {
		t.Errorf("the lists hold %d passwords of 12 or more characters, want at least 3,000", n)
	}
}

// gen.go cannot import the package it feeds; this checks that what it
// wrote is in the form Contains looks up, within the policy's bounds.
func TestLongListIsCanonical(t *testing.T) {
	words := read(packedLong)
	if len(words) < 12000 {
		t.Fatalf("long.txt.gz holds %d passwords", len(words))
	}
	for _, w := range words {
		if n := utf8.RuneCountInString(w); Canonical(w) != w || n < 12 || n > 256 {
			t.Errorf("%q in long.txt.gz: not canonical or %d characters", w, n)
		}
	}
}

func TestLongCommonPasswordsFound(t *testing.T) {
	for _, pw := range []string{"QwertyQwerty", "PasswordPassword", "Philadelphia", "BlahBlahBlah"} {
		if !Contains(pw) {
			t.Errorf("Contains(%q) = false", pw)
		}
	}
}
