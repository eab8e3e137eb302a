package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value that at least p percent of the
// values do not exceed. It interpolates nothing, so every figure reported
// is a time that was actually measured.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// Rank ceil(p/100 * n), computed in integers where possible so that
	// p95 of 100 values is the 95th and not the 96th through rounding.
	rank := int(p * float64(n) / 100)
	if float64(rank)*100 < p*float64(n) {
		rank++
	}
	return sorted[min(max(rank, 1), n)-1]
}

// sample collects what was measured for one named thing: the durations of
// the successful attempts and the failures by cause.
type sample struct {
	name      string
	durations []time.Duration
	failures  map[string]int // "500", "429", "timeout", ... → count
	bytes     int64          // body bytes of the successful attempts
	busy      int            // answers that mention SQLITE_BUSY or "database is locked"
}

func newSample(name string) *sample {
	return &sample{name: name, failures: map[string]int{}}
}

// ok records a successful attempt.
func (s *sample) ok(d time.Duration, bytes int64) {
	s.durations = append(s.durations, d)
	s.bytes += bytes
}

// fail records a failed attempt under its cause (a status code or a word).
func (s *sample) fail(cause string) { s.failures[cause]++ }

// errors is the number of failed attempts.
func (s *sample) errors() int {
	n := 0
	for _, c := range s.failures {
		n += c
	}
	return n
}

// merge adds other's measurements to s (load keeps one sample per
// connection and name, to need no lock while it runs).
func (s *sample) merge(other *sample) {
	s.durations = append(s.durations, other.durations...)
	for k, v := range other.failures {
		s.failures[k] += v
	}
	s.bytes += other.bytes
	s.busy += other.busy
}

// failureNote says how many attempts failed and why, e.g.
// "errors: 3 (500 ×2, timeout ×1)"; empty when none did.
func failureNote(failures map[string]int) string {
	if len(failures) == 0 {
		return ""
	}
	total, parts := 0, []string{}
	for _, k := range slices.Sorted(maps.Keys(failures)) {
		total += failures[k]
		parts = append(parts, fmt.Sprintf("%s ×%d", k, failures[k]))
	}
	return fmt.Sprintf("errors: %d (%s)", total, strings.Join(parts, ", "))
}

// latencyRow summarizes s as a table row; elapsed is the wall time over
// which its attempts ran, for the throughput.
func latencyRow(s *sample, elapsed time.Duration, unit string, notes ...string) row {
	d := slices.Clone(s.durations)
	slices.Sort(d)
	r := row{name: s.name, n: len(d), timed: len(d) > 0}
	if r.timed {
		r.p50, r.p95, r.p99, r.max = percentile(d, 50), percentile(d, 95), percentile(d, 99), d[len(d)-1]
	}
	if elapsed > 0 {
		r.throughput = rate(float64(len(d)+s.errors())/elapsed.Seconds(), unit)
	}
	if len(d) > 0 && s.bytes > 0 {
		notes = append(notes, "body "+sizeText(float64(s.bytes)/float64(len(d))))
	}
	if s.busy > 0 {
		notes = append(notes, fmt.Sprintf("SQLITE_BUSY/locked: %d", s.busy))
	}
	notes = append(notes, failureNote(s.failures))
	r.notes = joinNotes(notes...)
	return r
}

// joinNotes joins the non-empty notes with "; ".
func joinNotes(notes ...string) string {
	var kept []string
	for _, n := range notes {
		if n != "" {
			kept = append(kept, n)
		}
	}
	return strings.Join(kept, "; ")
}
