package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// statusSample is the shape of /proc/<pid>/status (abridged).
const statusSample = `Name:	patentdesk
State:	S (sleeping)
Pid:	4242
VmPeak:	 2101508 kB
VmHWM:	  111104 kB
VmRSS:	   52688 kB
RssAnon:	   30000 kB
Threads:	11
`

func TestParseProcStatus(t *testing.T) {
	tests := []struct {
		name, text string
		want       procStatus
		wantError  bool
	}{
		{"MemoryInBytesAndThreads", statusSample, procStatus{rss: 52688 * 1024, peakRSS: 111104 * 1024, threads: 11}, false},
		{"KernelThreadHasNoRSS", "Name:\tkthreadd\nThreads:\t1\n", procStatus{}, true},
		{"OddLinesAreSkipped", "garbage\nVmRSS:\n VmRSS:\t1 kB\nVmRSS:\t2 kB\n", procStatus{rss: 2048}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseProcStatus(strings.NewReader(tc.text))
			if tc.wantError {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseProcStatus = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	t.Run("ThisProcess", func(t *testing.T) {
		st, err := readProcStatus(os.Getpid())
		if err != nil {
			t.Skip("no /proc here:", err)
		}
		if st.rss < 1<<20 || st.threads < 1 {
			t.Errorf("status of this process = %+v", st)
		}
	})
}

func TestPidFlags(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.pid"), filepath.Join(dir, "bad.pid")
	os.WriteFile(good, []byte("4242\n"), 0o600)
	os.WriteFile(bad, []byte("serve\n"), 0o600)
	tests := []struct {
		name      string
		flags     pidFlags
		want      int
		wantError bool
	}{
		{"NoneGiven", pidFlags{}, 0, false},
		{"Pid", pidFlags{pid: 7}, 7, false},
		{"PidfileWithNewline", pidFlags{pidfile: good}, 4242, false},
		{"PidfileWithoutANumber", pidFlags{pidfile: bad}, 0, true},
		{"Both", pidFlags{pid: 7, pidfile: good}, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.flags.resolve()
			if (err != nil) != tc.wantError || got != tc.want {
				t.Errorf("resolve = %d, %v; want %d (error %v)", got, err, tc.want, tc.wantError)
			}
		})
	}
}

func TestSampler(t *testing.T) {
	var v atomic.Int64
	values := []int64{10, 50, 20}
	v.Store(values[0])
	s := startSampler(time.Millisecond, func() (int64, error) { return v.Load(), nil })
	for _, x := range values[1:] {
		time.Sleep(20 * time.Millisecond) // several readings at each value
		v.Store(x)
	}
	peak, last, err := s.finish()
	if err != nil || peak != 50 || last != 20 {
		t.Errorf("finish = %d, %d, %v; want peak 50, last 20", peak, last, err)
	}
	t.Run("AProcessThatIsGoneIsAnError", func(t *testing.T) {
		s := startSampler(time.Hour, rssReader(1<<30))
		if _, _, err := s.finish(); err == nil || !strings.Contains(err.Error(), strconv.Itoa(1<<30)) {
			t.Errorf("err = %v", err)
		}
	})
}
