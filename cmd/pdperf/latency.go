package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// cmdLatency measures named requests one after another: each first warmed
// up, then sent n times, each timed to the last byte of its answer.
func cmdLatency(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("latency", std)
	var af authFlags
	af.register(fs, time.Minute)
	var gets requestFlag
	fs.Var(&gets, "get", "a request to measure, name=PATH (repeatable); PATH may hold placeholders")
	scenario := fs.String("scenario", "", "a file of name=PATH lines, measured after the --get ones")
	n := fs.Int("n", 200, "measured requests per name")
	warmup := fs.Int("warmup", 20, "requests per name sent first and not counted")
	size := fs.Int("sample", 500, "patents (and companies, agreements) to fetch for the placeholders")
	seed := fs.Uint64("seed", 1, "seed of the placeholders' random choices")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	list, err := requestList(gets, *scenario)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return errors.New("latency needs a request: --get name=PATH or --scenario FILE")
	}
	if *n < 1 || *warmup < 0 || *size < 1 {
		return errors.New("-n and --sample must be at least 1, --warmup at least 0")
	}
	t, err := af.connect(ctx, std)
	if err != nil {
		return err
	}
	c := newClient(1, af.timeout)
	rnd := rand.New(rand.NewPCG(*seed, 0))
	p, err := fetchPools(ctx, t, c, placeholdersUsed(list), *size, rnd)
	if err != nil {
		return err
	}
	send := func(ctx context.Context, path string) (answer, error) {
		return t.send(ctx, c, http.MethodGet, p.expand(path, rnd), nil, false)
	}
	rows, failed, total := measureInTurn(ctx, list, *n, *warmup, send)
	report(std.out, append([]string{"latency"}, args...), rows)
	return outcome(ctx, failed, total)
}

// measureInTurn sends each request of list warmup times, then n times
// measured, one request at a time. It returns a row per name, and how many
// of the measured requests failed out of how many.
func measureInTurn(ctx context.Context, list []namedPath, n, warmup int,
	send func(context.Context, string) (answer, error)) (rows []row, failed, total int) {
	for _, np := range list {
		for range warmup {
			if ctx.Err() != nil {
				return rows, failed, total
			}
			_, _ = send(ctx, np.path)
		}
		s := newSample(np.name)
		start := time.Now()
		for range n {
			a, err := send(ctx, np.path)
			if ctx.Err() != nil {
				break // an interrupted request is no measurement
			}
			s.record(a, err)
		}
		r := latencyRow(s, time.Since(start), "req")
		if ctx.Err() != nil {
			r.notes = joinNotes(r.notes, "interrupted")
		}
		rows = append(rows, r)
		failed, total = failed+s.errors(), total+len(s.durations)+s.errors()
		if ctx.Err() != nil {
			break
		}
	}
	return rows, failed, total
}

// record adds one answer to s: its time when it succeeded, its cause when
// it failed.
func (s *sample) record(a answer, err error) {
	if success(a, err) {
		s.ok(a.elapsed, a.bytes)
	} else {
		s.fail(failureCause(a, err))
	}
	if a.busy {
		s.busy++
	}
}

// outcome turns failures and an interruption into the exit status, after
// the table has been printed: a run with errors must not pass for clean.
func outcome(ctx context.Context, failed, total int) error {
	switch {
	case ctx.Err() != nil:
		return errors.New("interrupted; the table shows what was measured until then")
	case failed > 0:
		return fmt.Errorf("%d of %d requests failed (see the notes column)", failed, total)
	}
	return nil
}

// cmdReferenceEcho measures the same client against an echo handler in this
// process that answers a constant JSON body: what HTTP alone costs here.
func cmdReferenceEcho(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("reference-echo", std)
	n := fs.Int("n", 200, "measured requests")
	warmup := fs.Int("warmup", 20, "requests sent first and not counted")
	size := fs.Int("size", 100, "bytes of the constant JSON body")
	timeout := fs.Duration("timeout", 60*time.Second, "limit for one request")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 1 || *warmup < 0 || *size < 12 {
		return errors.New("-n must be at least 1, --warmup at least 0, --size at least 12")
	}
	base, stop, err := startEcho(constantJSON(*size))
	if err != nil {
		return err
	}
	defer stop()
	t := &target{base: base}
	c := newClient(1, *timeout)
	send := func(ctx context.Context, path string) (answer, error) {
		return t.send(ctx, c, http.MethodGet, path, nil, false)
	}
	list := []namedPath{{name: "echo, constant JSON (floor)", path: "/"}}
	rows, failed, total := measureInTurn(ctx, list, *n, *warmup, send)
	report(std.out, append([]string{"reference-echo"}, args...), rows)
	return outcome(ctx, failed, total)
}

// constantJSON is a JSON object of exactly size bytes.
func constantJSON(size int) []byte {
	const frame = `{"ok":true,"pad":""}`
	return []byte(`{"ok":true,"pad":"` + strings.Repeat("x", max(0, size-len(frame))) + `"}`)
}

// startEcho serves body on every GET from an echo server on a free
// loopback port, and returns its base URL and how to stop it.
func startEcho(body []byte) (base *url.URL, stop func(), err error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/*", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	u, err := url.Parse("http://" + ln.Addr().String())
	return u, func() { _ = srv.Close() }, err
}
