package commonpasswords

import "testing"

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
