package auth

import (
	"container/list"
	"sync"
	"time"
)

// ThrottleRule says how many failures within what window lock a key, and for how long.
type ThrottleRule struct {
	MaxFailures int           // failures within Window that trigger a lockout
	Window      time.Duration // how far back failures are counted
	Lockout     time.Duration // length of the first lockout; later ones double
}

// AccountThrottleRule throttles sign-in failures per account (email address).
var AccountThrottleRule = ThrottleRule{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

// AddressThrottleRule throttles sign-in failures per client network address.
//
// It is looser than AccountThrottleRule because several people in one office
// often share an address, while still stopping one address from spraying
// guesses across many accounts.
var AddressThrottleRule = ThrottleRule{MaxFailures: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

const (
	// maxLockout caps the doubling so that a legitimate user locked out by
	// someone else's guessing is never shut out for more than a day.
	maxLockout = 24 * time.Hour
	// maxThrottleKeys bounds memory when an attacker fails with many
	// distinct keys; at a few hundred bytes per entry this is tens of MB.
	maxThrottleKeys = 100_000
	// prunePerFail is how many of the least recently failed entries each
	// Fail inspects for expiry, so stale entries go away steadily.
	prunePerFail = 8
	// sweepEvery is how many Fail calls pass between full sweeps; it catches
	// expired entries queued behind long-lived ones, at an amortised cost of
	// a few map entries per call.
	sweepEvery = 1024
)

// Throttle tracks recent sign-in failures per key and locks keys out after
// too many; it is kept in memory and is safe for concurrent use.
//
// A Throttle forgets everything on restart. That is acceptable for a single
// self-hosted server: a restart costs an attacker far more time than it
// gains them.
type Throttle struct {
	rule ThrottleRule
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // values are *throttleEntry
	order   *list.List               // least recently failed at the front
	maxKeys int                      // a field, not the constant, so tests can use a small cap
	calls   int                      // Fail calls since the last full sweep
}

// throttleEntry is the failure history of one key.
type throttleEntry struct {
	key         string
	failures    []time.Time   // failures since the last lockout, oldest first
	lastFailure time.Time     // when Fail last counted a failure
	lockedUntil time.Time     // zero if never locked
	lastLockout time.Duration // length of the most recent lockout
	lockouts    int           // lockouts since the last success
	refused     int           // attempts refused by the latest lockout, not yet reported as ended
}

// NewThrottle returns an empty Throttle applying rule; now supplies the
// current time and may be nil to use time.Now.
//
// It panics if rule has a non-positive field, since that is a programming
// error that would otherwise silently disable or break throttling.
func NewThrottle(rule ThrottleRule, now func() time.Time) *Throttle {
	if rule.MaxFailures < 1 || rule.Window <= 0 || rule.Lockout <= 0 {
		panic("auth: NewThrottle: MaxFailures, Window and Lockout must be positive")
	}
	if now == nil {
		now = time.Now
	}
	return &Throttle{
		rule:    rule,
		now:     now,
		entries: make(map[string]*list.Element),
		order:   list.New(),
		maxKeys: maxThrottleKeys,
	}
}

// Allow reports whether an attempt for key may go ahead, and if not, how
// long until it may. It only looks: Check is the call for a real attempt.
func (t *Throttle) Allow(key string) (ok bool, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.entries[key]
	if el == nil {
		return true, 0
	}
	e := el.Value.(*throttleEntry)
	now := t.now()
	if now.Before(e.lockedUntil) {
		return false, e.lockedUntil.Sub(now)
	}
	return true, 0
}

// Verdict is the throttle's answer to one attempt, with what a caller needs
// to record a lockout once rather than once per refused attempt.
type Verdict struct {
	OK          bool
	RetryAfter  time.Duration // until the key may try again; 0 when OK
	LockedUntil time.Time     // the end of the running lockout; zero when OK
	// First is true for the first attempt a lockout refuses: the one to
	// record. Later refusals of the same lockout are only counted.
	First bool
	// Refused is how many attempts the running lockout has refused, this
	// one included; 0 when OK.
	Refused int
	// EndedRefused is, on the first attempt after a lockout is over, how
	// many attempts that lockout refused; it is reported this once.
	EndedRefused int
}

// Check is Allow for an attempt that is really being made: a refusal is
// counted against the running lockout, and the count of a lockout that is
// over is handed back once.
func (t *Throttle) Check(key string) Verdict {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.entries[key]
	if el == nil {
		return Verdict{OK: true}
	}
	e := el.Value.(*throttleEntry)
	now := t.now()
	if now.Before(e.lockedUntil) {
		e.refused++
		return Verdict{RetryAfter: e.lockedUntil.Sub(now), LockedUntil: e.lockedUntil, First: e.refused == 1, Refused: e.refused}
	}
	v := Verdict{OK: true, EndedRefused: e.refused}
	e.refused = 0
	return v
}

// Lockout reports whether key is locked now, until when, and how many
// attempts the lockout has refused so far.
func (t *Throttle) Lockout(key string) (until time.Time, refused int, locked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.entries[key]
	if el == nil {
		return time.Time{}, 0, false
	}
	e := el.Value.(*throttleEntry)
	if !t.now().Before(e.lockedUntil) {
		return time.Time{}, 0, false
	}
	return e.lockedUntil, e.refused, true
}

// Reset forgets key's failures, lockout and escalation, as an
// administrator lifting a lockout wants. It reports whether key was locked
// and how many attempts were refused since its latest lockout began (or
// were refused by one that is over and not yet reported).
func (t *Throttle) Reset(key string) (wasLocked bool, refused int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.entries[key]
	if el == nil {
		return false, 0
	}
	e := el.Value.(*throttleEntry)
	wasLocked, refused = t.now().Before(e.lockedUntil), e.refused
	t.remove(el)
	return wasLocked, refused
}

// Fail records a failed attempt for key and locks the key once MaxFailures
// failures fall within Window.
//
// The first lockout lasts rule.Lockout; each further lockout before a
// Succeed doubles, up to 24 hours. A key's escalation is forgotten once it
// has had no failures for a Window and, after its lockout ended, stayed
// quiet for as long again as that lockout lasted; forgetting it sooner would
// let an attacker reset the doubling just by waiting out each lockout.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.prune(now)

	var e *throttleEntry
	if el := t.entries[key]; el != nil {
		e = el.Value.(*throttleEntry)
		if now.Before(e.lockedUntil) {
			// A locked key's attempts are refused before any password is
			// checked, so a failure now is not a real guess; counting it
			// would only let callers extend lockouts by accident.
			return
		}
		if t.expired(e, now) {
			// Not yet pruned, but already forgotten as far as policy goes.
			*e = throttleEntry{key: key, failures: e.failures[:0]}
		}
		t.order.MoveToBack(el)
	} else {
		for len(t.entries) >= t.maxKeys {
			t.remove(t.order.Front())
		}
		e = &throttleEntry{key: key}
		t.entries[key] = t.order.PushBack(e)
	}

	// Keep only failures still inside the window; the slice never grows
	// beyond MaxFailures because reaching it triggers a lockout below.
	kept := e.failures[:0]
	for _, f := range e.failures {
		if now.Sub(f) < t.rule.Window {
			kept = append(kept, f)
		}
	}
	e.failures = append(kept, now)
	e.lastFailure = now

	if len(e.failures) >= t.rule.MaxFailures {
		d := t.lockoutFor(e.lockouts)
		e.lockedUntil = now.Add(d)
		e.lastLockout = d
		e.lockouts++
		e.refused = 0
		// Start counting afresh so that after the lockout the key again gets
		// MaxFailures attempts, each round costing the attacker a longer wait.
		e.failures = e.failures[:0]
	}
}

// Succeed forgets key's failure history, typically after a correct password.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el := t.entries[key]; el != nil {
		t.remove(el)
	}
}

// Len returns the number of keys currently tracked, for tests and metrics.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// lockoutFor returns the length of a key's next lockout after n earlier ones.
func (t *Throttle) lockoutFor(n int) time.Duration {
	limit := max(maxLockout, t.rule.Lockout)
	d := t.rule.Lockout
	// Doubling by loop rather than shifting cannot overflow: it stops as soon
	// as the cap is reached.
	for i := 0; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// expired reports whether e has nothing left worth remembering at now: no
// failure inside the window, no lockout running, and the escalation
// memory described at Fail has lapsed.
func (t *Throttle) expired(e *throttleEntry, now time.Time) bool {
	return now.Sub(e.lastFailure) >= t.rule.Window &&
		!now.Before(e.lockedUntil.Add(e.lastLockout))
}

// prune drops expired entries: a few from the least recently failed end on
// every call, and all of them every sweepEvery calls. The caller holds t.mu.
func (t *Throttle) prune(now time.Time) {
	t.calls++
	if t.calls >= sweepEvery {
		t.calls = 0
		for el := t.order.Front(); el != nil; {
			next := el.Next()
			if t.expired(el.Value.(*throttleEntry), now) {
				t.remove(el)
			}
			el = next
		}
		return
	}
	el := t.order.Front()
	for i := 0; i < prunePerFail && el != nil; i++ {
		next := el.Next()
		if t.expired(el.Value.(*throttleEntry), now) {
			t.remove(el)
		}
		el = next
	}
}

// remove deletes el from both the list and the map. The caller holds t.mu.
func (t *Throttle) remove(el *list.Element) {
	e := t.order.Remove(el).(*throttleEntry)
	delete(t.entries, e.key)
}
