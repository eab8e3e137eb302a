package main

import (
	"strings"
	"testing"
	"time"
)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(float64(i + 1)) // 1 ms … 100 ms
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"EmptyIsZero", nil, 50, 0},
		{"OneValueIsEveryPercentile", []time.Duration{ms(7)}, 99, ms(7)},
		{"MedianOfOddCountIsTheMiddle", []time.Duration{ms(1), ms(2), ms(3)}, 50, ms(2)},
		{"MedianOfEvenCountIsTheLowerMiddle", []time.Duration{ms(1), ms(2), ms(3), ms(4)}, 50, ms(2)},
		{"P95OfHundredIsThe95th", hundred, 95, ms(95)},
		{"P99OfHundredIsThe99th", hundred, 99, ms(99)},
		{"P100IsTheMax", hundred, 100, ms(100)},
		{"P95OfTenIsTheMax", hundred[:10], 95, ms(10)},
		{"P50OfTenIsTheFifth", hundred[:10], 50, ms(5)},
		{"TinyPercentileIsTheMin", hundred, 0.001, ms(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(%d values, %v) = %v, want %v", len(tc.sorted), tc.p, got, tc.want)
			}
		})
	}
}

func TestLatencyRow(t *testing.T) {
	s := newSample("patent")
	for _, d := range []float64{5, 1, 3, 2, 4} { // unsorted on purpose
		s.ok(ms(d), 1000)
	}
	s.fail("500")
	s.fail("500")
	s.fail("timeout")
	r := latencyRow(s, time.Second, "req")
	t.Run("PercentilesOfTheSuccessesOnly", func(t *testing.T) {
		if r.n != 5 || r.p50 != ms(3) || r.p95 != ms(5) || r.max != ms(5) {
			t.Errorf("row = %+v, want n 5, p50 3 ms, p95 and max 5 ms", r)
		}
	})
	t.Run("ThroughputCountsEveryAttempt", func(t *testing.T) {
		if r.throughput != "8.0 req/s" {
			t.Errorf("throughput = %q, want 8.0 req/s (5 successes and 3 failures in 1 s)", r.throughput)
		}
	})
	t.Run("NotesNameTheFailuresByCause", func(t *testing.T) {
		if !strings.Contains(r.notes, "errors: 3 (500 ×2, timeout ×1)") || !strings.Contains(r.notes, "body 1.0 kB") {
			t.Errorf("notes = %q", r.notes)
		}
	})
	t.Run("NoSuccessesShowsNoTimes", func(t *testing.T) {
		f := newSample("down")
		f.fail("connection")
		r := latencyRow(f, time.Second, "req")
		if r.timed || !strings.Contains(r.markdown(), "| down | 0 | – | – | – | – |") {
			t.Errorf("row = %q", r.markdown())
		}
	})
}

func TestSampleMerge(t *testing.T) {
	a, b := newSample("x"), newSample("x")
	a.ok(ms(1), 10)
	a.fail("429")
	b.ok(ms(2), 20)
	b.fail("429")
	b.busy = 1
	a.merge(b)
	if len(a.durations) != 2 || a.bytes != 30 || a.failures["429"] != 2 || a.busy != 1 || a.errors() != 2 {
		t.Errorf("merged = %+v", a)
	}
}
