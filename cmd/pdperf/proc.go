package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procStatus is what /proc/<pid>/status says about a process's memory.
type procStatus struct {
	rss, peakRSS int64 // VmRSS and VmHWM, in bytes
	threads      int
}

// parseProcStatus reads the fields of /proc/<pid>/status that pdperf
// reports. The kernel writes memory in kB meaning KiB.
func parseProcStatus(r io.Reader) (procStatus, error) {
	var st procStatus
	found := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(value)
		if len(f) == 0 {
			continue
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "VmRSS":
			st.rss, found = n*1024, true
		case "VmHWM":
			st.peakRSS = n * 1024
		case "Threads":
			st.threads = int(n)
		}
	}
	if err := sc.Err(); err != nil {
		return st, err
	}
	if !found {
		return st, errors.New("no VmRSS line (a kernel thread, or a process that has ended?)")
	}
	return st, nil
}

// readProcStatus reads /proc/<pid>/status.
func readProcStatus(pid int) (procStatus, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procStatus{}, fmt.Errorf("process %d: %w", pid, err)
	}
	defer f.Close()
	st, err := parseProcStatus(f)
	if err != nil {
		return st, fmt.Errorf("process %d: %w", pid, err)
	}
	return st, nil
}

// pidFlags name the server process whose memory to sample.
type pidFlags struct {
	pid     int
	pidfile string
}

func (p *pidFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&p.pid, "pid", 0, "the server's process id, to sample its resident memory (Linux /proc)")
	fs.StringVar(&p.pidfile, "pidfile", "", "a file holding the server's process id")
}

// resolve returns the process id given, or 0 when none was.
func (p *pidFlags) resolve() (int, error) {
	switch {
	case p.pid != 0 && p.pidfile != "":
		return 0, errors.New("give --pid or --pidfile, not both")
	case p.pidfile != "":
		b, err := os.ReadFile(p.pidfile)
		if err != nil {
			return 0, err
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			return 0, fmt.Errorf("%s does not hold a process id", p.pidfile)
		}
		return pid, nil
	case p.pid < 0:
		return 0, errors.New("--pid must be a process id")
	}
	return p.pid, nil
}

// sampler reads a figure (memory, a file's size) at an interval in the
// background and keeps the highest and the last value read.
type sampler struct {
	mu         sync.Mutex
	peak, last int64
	n          int
	err        error
	stop, done chan struct{}
}

// startSampler reads once at once, then every interval until stopped.
func startSampler(interval time.Duration, read func() (int64, error)) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	s.take(read)
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				s.take(read)
				return
			case <-t.C:
				s.take(read)
			}
		}
	}()
	return s
}

func (s *sampler) take(read func() (int64, error)) {
	v, err := read()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.err = err
		return
	}
	s.peak, s.last, s.n = max(s.peak, v), v, s.n+1
}

// finish stops the sampler after a last reading and returns the highest
// and the last value; err is the last failed reading, if any.
func (s *sampler) finish() (peak, last int64, err error) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		return 0, 0, s.err
	}
	return s.peak, s.last, nil
}

// rssReader reads a process's resident memory, for a sampler.
func rssReader(pid int) func() (int64, error) {
	return func() (int64, error) {
		st, err := readProcStatus(pid)
		return st.rss, err
	}
}

// cmdProc prints a process's resident memory, its peak and its threads.
func cmdProc(_ context.Context, args []string, std stdio) error {
	fs := newFlags("proc", std)
	var pf pidFlags
	pf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	pid, err := pf.resolve()
	if err != nil {
		return err
	}
	if pid == 0 {
		return errors.New("proc needs --pid or --pidfile")
	}
	st, err := readProcStatus(pid)
	if err != nil {
		return err
	}
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	r := row{name: fmt.Sprintf("process %d (%s)", pid, strings.TrimSpace(string(comm))), n: 1,
		notes: fmt.Sprintf("RSS %s; peak RSS (VmHWM) %s; %d threads", sizeText(float64(st.rss)), sizeText(float64(st.peakRSS)), st.threads)}
	report(std.out, append([]string{"proc"}, args...), []row{r})
	return nil
}
