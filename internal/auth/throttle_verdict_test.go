package auth

import (
	"testing"
	"time"
)

func TestThrottleCheck(t *testing.T) {
	const key = "alice@example.com"
	tests := []struct {
		name string
		run  func(t *testing.T, th *Throttle, clk *fakeClock)
	}{
		{name: "OneFirstRefusalPerLockout", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			firsts := 0
			for i := range 50 {
				v := th.Check(key)
				if v.OK || v.Refused != i+1 {
					t.Fatalf("attempt %d: %+v, want refused as number %d", i+1, v, i+1)
				}
				if v.First {
					firsts++
				}
			}
			if firsts != 1 {
				t.Errorf("%d attempts reported as the lockout's first, want 1", firsts)
			}
		}},
		{name: "EndedLockoutReportedOnce", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			for range 7 {
				th.Check(key)
			}
			clk.Advance(AccountThrottleRule.Lockout)
			if v := th.Check(key); !v.OK || v.EndedRefused != 7 {
				t.Fatalf("first attempt after the lockout: %+v, want allowed with 7 refused reported", v)
			}
			if v := th.Check(key); !v.OK || v.EndedRefused != 0 {
				t.Errorf("second attempt after the lockout: %+v, want the count reported only once", v)
			}
		}},
		{name: "NextLockoutHasItsOwnFirst", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			th.Check(key)
			th.Check(key)
			clk.Advance(AccountThrottleRule.Lockout)
			th.Check(key)
			failN(th, key, 5)
			v := th.Check(key)
			if v.OK || !v.First || v.Refused != 1 || v.RetryAfter != 2*AccountThrottleRule.Lockout {
				t.Errorf("first refusal of the second lockout: %+v", v)
			}
		}},
		{name: "UnknownKeyAllowedWithoutEntry", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			if v := th.Check(key); !v.OK || v.First || v.Refused != 0 {
				t.Errorf("Check = %+v", v)
			}
			if th.Len() != 0 {
				t.Errorf("Check created an entry: Len = %d", th.Len())
			}
		}},
		{name: "LockoutShowsEndAndCount", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			if _, _, locked := th.Lockout(key); locked {
				t.Fatal("locked before any failure")
			}
			start := clk.Now()
			failN(th, key, 5)
			th.Check(key)
			th.Check(key)
			until, refused, locked := th.Lockout(key)
			if !locked || !until.Equal(start.Add(AccountThrottleRule.Lockout)) || refused != 2 {
				t.Errorf("Lockout = %v, %d, %v; want locked until %v with 2 refused", until, refused, locked, start.Add(AccountThrottleRule.Lockout))
			}
			clk.Advance(AccountThrottleRule.Lockout)
			if _, _, locked := th.Lockout(key); locked {
				t.Error("still locked after the lockout")
			}
		}},
		{name: "ResetLiftsLockoutAndEscalation", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			clk.Advance(AccountThrottleRule.Lockout)
			failN(th, key, 5) // second lockout: 30 minutes
			th.Check(key)
			th.Check(key)
			th.Check(key)
			wasLocked, refused := th.Reset(key)
			if !wasLocked || refused != 3 {
				t.Errorf("Reset = %v, %d; want true, 3", wasLocked, refused)
			}
			wantAllowed(t, th, key)
			failN(th, key, 5)
			wantLocked(t, th, key, AccountThrottleRule.Lockout) // the doubling starts over
		}},
		{name: "ResetOfUnknownKey", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			if wasLocked, refused := th.Reset(key); wasLocked || refused != 0 {
				t.Errorf("Reset = %v, %d; want false, 0", wasLocked, refused)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			th := NewThrottle(AccountThrottleRule, clk.Now)
			tc.run(t, th, clk)
		})
	}
}

// TestThrottleCheckKeepsRetryAfter: Check refuses exactly as Allow does.
func TestThrottleCheckKeepsRetryAfter(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(AccountThrottleRule, clk.Now)
	failN(th, "k", 5)
	clk.Advance(time.Minute)
	v := th.Check("k")
	if v.OK || v.RetryAfter != 14*time.Minute || !v.LockedUntil.Equal(clk.Now().Add(14*time.Minute)) {
		t.Errorf("Check = %+v, want refused for 14m", v)
	}
}
