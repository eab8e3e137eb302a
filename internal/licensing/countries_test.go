package licensing

import (
	"slices"
	"testing"
)

func TestValidCountry(t *testing.T) {
	tests := []struct {
		name, code string
		want       bool
	}{
		{"Finland", "FI", true},
		{"China", "CN", true},
		{"SouthSudanAssigned2011", "SS", true},
		{"BonaireAssigned2010", "BQ", true},
		{"UnitedKingdomIsGB", "GB", true},
		{"UKIsNotACode", "UK", false},
		{"EuropeanUnionIsNoCountry", "EU", false},
		{"EPOfficeIsNoCountry", "EP", false},
		{"KosovoIsUserAssigned", "XK", false},
		{"LowerCaseRejected", "fi", false},
		{"ThreeLetters", "FIN", false},
		{"Empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidCountry(tc.code); got != tc.want {
				t.Errorf("ValidCountry(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func TestEPCStates(t *testing.T) {
	t.Run("ThirtyNineStates", func(t *testing.T) {
		if n := len(slices.Compact(slices.Sorted(slices.Values(EPCStates)))); n != 39 {
			t.Errorf("%d distinct EPC states, want 39", n)
		}
	})
	t.Run("MontenegroSince2022", func(t *testing.T) {
		if !slices.Contains(EPCStates, "ME") {
			t.Error("ME (Montenegro, EPC member since 2022-10-01) is missing")
		}
	})
	t.Run("ExtensionStatesAreNotMembers", func(t *testing.T) {
		for _, s := range []string{"BA", "MA", "MD"} {
			if slices.Contains(EPCStates, s) {
				t.Errorf("%s is an extension or validation state, not an EPC state", s)
			}
		}
	})
	t.Run("EveryStateIsACountry", func(t *testing.T) {
		for _, s := range EPCStates {
			if !ValidCountry(s) {
				t.Errorf("%q is not a valid country code", s)
			}
		}
	})
}
