package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// failN records n failures for key.
func failN(th *Throttle, key string, n int) {
	for range n {
		th.Fail(key)
	}
}

// wantAllowed fails the test unless key is allowed.
func wantAllowed(t *testing.T, th *Throttle, key string) {
	t.Helper()
	if ok, retry := th.Allow(key); !ok {
		t.Fatalf("Allow(%q) = false, %v; want true", key, retry)
	}
}

// wantLocked fails the test unless key is locked for exactly retry.
func wantLocked(t *testing.T, th *Throttle, key string, retry time.Duration) {
	t.Helper()
	ok, got := th.Allow(key)
	if ok || got != retry {
		t.Fatalf("Allow(%q) = %v, %v; want false, %v", key, ok, got, retry)
	}
}

func TestThrottleRules(t *testing.T) {
	tests := []struct {
		name string
		got  ThrottleRule
		want ThrottleRule
	}{
		{name: "Account", got: AccountThrottleRule, want: ThrottleRule{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}},
		{name: "Address", got: AddressThrottleRule, want: ThrottleRule{MaxFailures: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("rule = %+v, want %+v", tc.got, tc.want)
			}
		})
	}
	if maxThrottleKeys != 100_000 {
		t.Errorf("maxThrottleKeys = %d, want 100000", maxThrottleKeys)
	}
}

func TestThrottleLockout(t *testing.T) {
	const key = "alice@example.com"
	tests := []struct {
		name string
		run  func(t *testing.T, th *Throttle, clk *fakeClock)
	}{
		{name: "UnknownKeyAllowed", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			wantAllowed(t, th, key)
			if th.Len() != 0 {
				t.Errorf("Allow created an entry: Len = %d", th.Len())
			}
		}},
		{name: "FourFailuresStillAllowed", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 4)
			wantAllowed(t, th, key)
		}},
		{name: "FiveFailuresLock", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			wantLocked(t, th, key, 15*time.Minute)
		}},
		{name: "SixthAttemptRefusedWithRetryAfter", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			clk.Advance(time.Minute)
			wantLocked(t, th, key, 14*time.Minute)
		}},
		{name: "OtherKeysUnaffected", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			wantAllowed(t, th, "bob@example.com")
		}},
		{name: "AllowedAgainAfterLockout", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			clk.Advance(15*time.Minute - time.Second)
			wantLocked(t, th, key, time.Second)
			clk.Advance(time.Second)
			wantAllowed(t, th, key)
		}},
		{name: "FailWhileLockedIgnored", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 5)
			clk.Advance(10 * time.Minute)
			failN(th, key, 10)
			wantLocked(t, th, key, 5*time.Minute)
		}},
		{name: "SuccessClears", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 4)
			th.Succeed(key)
			if th.Len() != 0 {
				t.Errorf("Len after Succeed = %d, want 0", th.Len())
			}
			failN(th, key, 4)
			wantAllowed(t, th, key)
		}},
		{name: "FailuresOutsideWindowDontCount", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, key, 4)
			clk.Advance(15 * time.Minute)
			failN(th, key, 4)
			wantAllowed(t, th, key)
		}},
		{name: "SlidingWindowCountsRecentFailures", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			// The failure at 0m has left the window by 15m, so the fifth
			// call is only the fourth counted failure; the sixth locks.
			th.Fail(key)
			clk.Advance(10 * time.Minute)
			failN(th, key, 3)
			clk.Advance(5 * time.Minute)
			th.Fail(key)
			wantAllowed(t, th, key)
			th.Fail(key)
			wantLocked(t, th, key, 15*time.Minute)
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

func TestThrottleDoublingLockout(t *testing.T) {
	const key = "alice@example.com"
	// lockAndWait fails key until locked, checks the lockout length,
	// and waits it out.
	lockAndWait := func(t *testing.T, th *Throttle, clk *fakeClock, want time.Duration) {
		t.Helper()
		failN(th, key, AccountThrottleRule.MaxFailures)
		wantLocked(t, th, key, want)
		clk.Advance(want)
		wantAllowed(t, th, key)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, th *Throttle, clk *fakeClock)
	}{
		{name: "EachLockoutDoubles", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			for _, want := range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour} {
				lockAndWait(t, th, clk, want)
			}
		}},
		{name: "CappedAtOneDay", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			// 15m, 30m, 1h, 2h, 4h, 8h, 16h, then 32h capped to 24h.
			d := 15 * time.Minute
			for range 7 {
				lockAndWait(t, th, clk, d)
				d *= 2
			}
			lockAndWait(t, th, clk, 24*time.Hour)
			lockAndWait(t, th, clk, 24*time.Hour)
		}},
		{name: "SuccessResetsDoubling", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			lockAndWait(t, th, clk, 15*time.Minute)
			lockAndWait(t, th, clk, 30*time.Minute)
			th.Succeed(key)
			lockAndWait(t, th, clk, 15*time.Minute)
		}},
		{name: "ShortQuietAfterLockoutKeepsDoubling", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			lockAndWait(t, th, clk, 15*time.Minute)
			clk.Advance(15*time.Minute - time.Second)
			lockAndWait(t, th, clk, 30*time.Minute)
		}},
		{name: "LongQuietAfterLockoutForgetsDoubling", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			lockAndWait(t, th, clk, 15*time.Minute)
			lockAndWait(t, th, clk, 30*time.Minute)
			// Quiet for as long as the last lockout lasted.
			clk.Advance(30 * time.Minute)
			lockAndWait(t, th, clk, 15*time.Minute)
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

func TestThrottleMemoryBounded(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, th *Throttle, clk *fakeClock)
	}{
		{name: "ExpiredEntriesPruned", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			// Ten waves of 1000 one-off keys, each wave after the previous
			// one's window has passed: old waves must be dropped.
			const wave = 1000
			for w := range 10 {
				for i := range wave {
					th.Fail(fmt.Sprintf("w%d-k%d", w, i))
				}
				if n := th.Len(); n > 2*wave {
					t.Fatalf("after wave %d Len = %d, want <= %d", w, n, 2*wave)
				}
				clk.Advance(AccountThrottleRule.Window)
			}
		}},
		{name: "FullSweepRemovesAllExpired", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			for i := range 500 {
				th.Fail(fmt.Sprintf("old%d", i))
			}
			clk.Advance(AccountThrottleRule.Window)
			// sweepEvery calls on one key guarantee a full sweep.
			for range sweepEvery {
				th.Fail("x")
				th.Succeed("x")
			}
			if n := th.Len(); n != 0 {
				t.Errorf("Len = %d after sweep, want 0", n)
			}
		}},
		{name: "RecentlyLockedEntryKeptThroughSweep", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			failN(th, "victim", 5)
			// Lockout over, but the escalation is still remembered.
			clk.Advance(AccountThrottleRule.Lockout + time.Minute)
			wantAllowed(t, th, "victim")
			for i := range sweepEvery {
				th.Fail(fmt.Sprintf("noise%d", i))
			}
			th.mu.Lock()
			_, kept := th.entries["victim"]
			th.mu.Unlock()
			if !kept {
				t.Fatal("entry with live escalation was pruned")
			}
			failN(th, "victim", 5)
			wantLocked(t, th, "victim", 2*AccountThrottleRule.Lockout)
		}},
		{name: "KeyCapEvictsOldest", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			th.maxKeys = 100
			for i := range 150 {
				th.Fail(fmt.Sprintf("k%d", i))
				clk.Advance(time.Second)
			}
			if n := th.Len(); n != 100 {
				t.Fatalf("Len = %d, want 100", n)
			}
			th.mu.Lock()
			_, oldest := th.entries["k0"]
			_, newest := th.entries["k149"]
			th.mu.Unlock()
			if oldest || !newest {
				t.Errorf("k0 present = %v, k149 present = %v; want oldest evicted, newest kept", oldest, newest)
			}
		}},
		{name: "RepeatedFailuresOnOneKeyStaySmall", run: func(t *testing.T, th *Throttle, clk *fakeClock) {
			for range 1000 {
				th.Fail("k")
				clk.Advance(time.Hour)
			}
			th.mu.Lock()
			n := len(th.entries["k"].Value.(*throttleEntry).failures)
			th.mu.Unlock()
			if n >= AccountThrottleRule.MaxFailures {
				t.Errorf("failure history has %d entries, want < %d", n, AccountThrottleRule.MaxFailures)
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

func TestThrottleConcurrentUse(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(AccountThrottleRule, clk.Now)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprintf("k%d", i%20)
				switch (g + i) % 5 {
				case 0:
					th.Succeed(key)
				case 1:
					th.Allow(key)
				case 2:
					_ = th.Len()
				default:
					th.Fail(key)
				}
				if i%100 == 0 {
					clk.Advance(time.Minute)
				}
			}
		})
	}
	wg.Wait()
	if n := th.Len(); n > 20 {
		t.Errorf("Len = %d, want <= 20 distinct keys", n)
	}
}

func TestNewThrottle(t *testing.T) {
	t.Run("NilClockUsesRealTime", func(t *testing.T) {
		th := NewThrottle(ThrottleRule{MaxFailures: 1, Window: time.Hour, Lockout: time.Hour}, nil)
		th.Fail("k")
		ok, retry := th.Allow("k")
		if ok || retry <= 59*time.Minute || retry > time.Hour {
			t.Errorf("Allow = %v, %v; want false, about 1h", ok, retry)
		}
	})
	invalid := []struct {
		name string
		rule ThrottleRule
	}{
		{name: "ZeroMaxFailuresPanics", rule: ThrottleRule{MaxFailures: 0, Window: time.Minute, Lockout: time.Minute}},
		{name: "ZeroWindowPanics", rule: ThrottleRule{MaxFailures: 1, Window: 0, Lockout: time.Minute}},
		{name: "NegativeLockoutPanics", rule: ThrottleRule{MaxFailures: 1, Window: time.Minute, Lockout: -time.Minute}},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("NewThrottle did not panic")
				}
			}()
			NewThrottle(tc.rule, nil)
		})
	}
}
