package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cmdStartup starts a command (the server) n times and measures each time
// until a URL answers 200, and the resident memory then and after a quiet
// moment: start-up time and idle memory. It stops the command each time.
func cmdStartup(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("startup", std)
	target := fs.String("url", "http://127.0.0.1:8080/healthz", "the URL that answers 200 once the server is up")
	n := fs.Int("n", 1, "how many times to start the command")
	settle := fs.Duration("settle", 2*time.Second, "how long to wait after start-up before reading the idle memory")
	limit := fs.Duration("timeout", 120*time.Second, "longest wait for the URL to answer 200")
	if err := fs.Parse(args); err != nil {
		return err
	}
	command := fs.Args()
	switch {
	case len(command) == 0:
		return errors.New(`startup needs a command after "--", e.g. pdperf startup -- patentdesk serve --data ./data`)
	case *n < 1 || *settle < 0 || *limit <= 0:
		return errors.New("-n must be at least 1, --settle at least 0 and --timeout positive")
	}
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if res, err := probe.Get(*target); err == nil {
		res.Body.Close()
		return fmt.Errorf("%s answers already (status %d): stop that server first, or the figure would be its", *target, res.StatusCode)
	}
	var ready []time.Duration
	var readyRSS, idleRSS []int64
	for range *n {
		run, err := startOnce(ctx, command, *target, probe, *limit, *settle)
		if err != nil {
			return err
		}
		ready, readyRSS, idleRSS = append(ready, run.ready), append(readyRSS, run.readyRSS), append(idleRSS, run.idleRSS)
	}
	s := newSample("start-up until " + *target + " answers 200")
	for _, d := range ready {
		s.ok(d, 0)
	}
	r := latencyRow(s, 0, "")
	slices.Sort(readyRSS)
	slices.Sort(idleRSS)
	path, size := executableSize(command[0])
	memory := fmt.Sprintf("RSS when ready %s, after %s idle %s", sizeText(float64(readyRSS[len(readyRSS)/2])), *settle,
		sizeText(float64(idleRSS[len(idleRSS)/2])))
	if *n > 1 {
		memory += " (medians of the runs)"
	}
	r.notes = joinNotes(memory, fmt.Sprintf("binary %s: %s", path, sizeText(float64(size))))
	report(std.out, append([]string{"startup"}, args...), []row{r})
	return nil
}

// startRun is what one start of the command measured.
type startRun struct {
	ready             time.Duration
	readyRSS, idleRSS int64
}

// startOnce starts command, waits until url answers 200, reads the memory
// at once and after settle, and stops the command again (SIGTERM, then
// SIGKILL after ten seconds).
func startOnce(ctx context.Context, command []string, url string, probe *http.Client, limit, settle time.Duration) (startRun, error) {
	cmd := exec.Command(command[0], command[1:]...)
	out := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return startRun{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	var run startRun
	for {
		res, err := probe.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				run.ready = time.Since(start)
				break
			}
		}
		select {
		case err := <-exited:
			return run, fmt.Errorf("%s ended before %s answered (%v): %s", command[0], url, err, lastLine(out.String()))
		case <-ctx.Done():
			stop()
			return run, errors.New("interrupted")
		case <-time.After(5 * time.Millisecond):
		}
		if time.Since(start) > limit {
			stop()
			return run, fmt.Errorf("%s did not answer 200 within %s: %s", url, limit, lastLine(out.String()))
		}
	}
	st, err := readProcStatus(cmd.Process.Pid)
	if err != nil {
		stop()
		return run, err
	}
	run.readyRSS = st.rss
	select {
	case <-ctx.Done():
		stop()
		return run, errors.New("interrupted")
	case <-time.After(settle):
	}
	st, err = readProcStatus(cmd.Process.Pid)
	stop()
	run.idleRSS = st.rss
	return run, err
}

// tailBuffer keeps the last max bytes written to it: the end of a
// command's output, to show when it fails.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// lastLine is the last non-blank line of s, or a note that there was none.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return last
	}
	return "(no output)"
}
