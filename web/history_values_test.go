package web

import (
	"testing"

	"patentdesk/internal/i18n"
)

// TestRecordedMomentsReadable: a moment recorded in the audit trail (a
// reset link's expiry, the end of a sign-in lockout) reads as a date and
// time in the reader's language, not as RFC 3339; dates and other values
// stay as before.
func TestRecordedMomentsReadable(t *testing.T) {
	cases := []struct{ name, lang, field, recorded, want string }{
		{"LockoutEndInGerman", "de", "account_locked_until", "2026-11-22T04:15:06Z", "22.11.2026 04:15 UTC"},
		{"LockoutEndInEnglish", "en", "account_locked_until", "2026-11-22T04:15:06Z", "2026-11-22 04:15 UTC"},
		{"OtherZoneAndFractionShownInUTC", "de", "expires_at", "2026-11-29T09:00:00.123456789+01:00", "29.11.2026 08:00 UTC"},
		{"DateStaysADate", "de", "due_on", "2027-01-05", "05.01.2027"},
		{"TextStartingLikeAMomentStaysText", "en", "title", "2026-11-22T04:15:06Z is not a moment here, only a title",
			"2026-11-22T04:15:06Z is not a moment here, only a title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := valueReader{l: i18n.For(tc.lang)}
			if got := v.item(tc.field, tc.recorded); got != tc.want {
				t.Errorf("%s %q shown as %q, want %q", tc.field, tc.recorded, got, tc.want)
			}
		})
	}
}
