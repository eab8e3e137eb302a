package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// defaultReads are the API reads of the mixed load when none are given:
// those the issue names (a filtered list, a patent, a rights check, an
// agreement, a search).
var defaultReads = []namedPath{
	{"patents by owner and status", "/api/v1/patents?owner={owner}&status=granted&limit=50"},
	{"patent", "/api/v1/patents/{patent}"},
	{"rights check", "/api/v1/rights/check?company={company}&patent={patent}&territory={territory}"},
	{"agreement", "/api/v1/agreements/{agreement}"},
	{"search", "/api/v1/patents?q={word}&limit=20"},
}

// The names of the two writes in the table.
const (
	writePatent    = "write: POST /api/v1/patents"
	writeAgreement = "write: PATCH /api/v1/agreements/{agreement}"
)

// loadPlan is what every connection of the load shares.
type loadPlan struct {
	reads      []namedPath
	pools      pools
	owners     []string
	writeRatio float64
	patchShare float64
	runTag     string
	seq        atomic.Int64 // numbers the new patents and the patches of this run
}

// patentBody is a new patent with a number no one else uses: office CN,
// "99", the run's tag and a sequence number.
func (p *loadPlan) patentBody(rnd *rand.Rand) []byte {
	n := p.seq.Add(1)
	b, _ := json.Marshal(map[string]any{
		"number": fmt.Sprintf("CN 99%s%07d A", p.runTag, n), "title": fmt.Sprintf("pdperf load patent %s-%d", p.runTag, n),
		"owner": p.owners[rnd.IntN(len(p.owners))], "filed_on": "2021-03-01", "tags": []string{"iot"},
	})
	return b
}

// agreementPatch changes an agreement's summary only: a real write with
// its audit row, that breaks no rule whatever the agreement's status.
func (p *loadPlan) agreementPatch() []byte {
	b, _ := json.Marshal(map[string]string{"summary": fmt.Sprintf("pdperf load %s-%d", p.runTag, p.seq.Add(1))})
	return b
}

// connection is one client of the load: its own HTTP connection, token,
// random numbers and samples, so that none waits on another.
type connection struct {
	t       *target
	c       *http.Client
	rnd     *rand.Rand
	samples map[string]*sample
}

func (cn *connection) sample(name string) *sample {
	s, ok := cn.samples[name]
	if !ok {
		s = newSample(name)
		cn.samples[name] = s
	}
	return s
}

// run sends requests one after another until end, counting those that end
// after measureFrom. A request under way at the end is let finish; one cut
// by an interruption is not counted.
func (cn *connection) run(ctx context.Context, plan *loadPlan, measureFrom, end time.Time) {
	for ctx.Err() == nil && time.Now().Before(end) {
		name, method, path, body := "", http.MethodGet, "", []byte(nil)
		switch {
		case cn.rnd.Float64() >= plan.writeRatio:
			np := plan.reads[cn.rnd.IntN(len(plan.reads))]
			name, path = "read: "+np.name, plan.pools.expand(np.path, cn.rnd)
		case cn.rnd.Float64() < plan.patchShare:
			name, method, body = writeAgreement, http.MethodPatch, plan.agreementPatch()
			path = plan.pools.expand("/api/v1/agreements/{agreement}", cn.rnd)
		default:
			name, method, path, body = writePatent, http.MethodPost, "/api/v1/patents", plan.patentBody(cn.rnd)
		}
		a, err := cn.t.send(ctx, cn.c, method, path, body, false)
		if ctx.Err() != nil {
			return
		}
		if time.Now().After(measureFrom) {
			cn.sample(name).record(a, err)
		}
	}
}

// loadConfig is what the flags of load say.
type loadConfig struct {
	af                     authFlags
	pf                     pidFlags
	conns, size            int
	duration, warmup       time.Duration
	writeRatio, patchShare float64
	reads                  []namedPath
	owners                 []string
	tokensFile, wal, log   string
	seed                   uint64
	runTag                 string
}

func parseLoadFlags(args []string, std stdio) (*loadConfig, error) {
	fs := newFlags("load", std)
	cfg := &loadConfig{}
	cfg.af.register(fs, time.Minute)
	cfg.pf.register(fs)
	fs.IntVar(&cfg.conns, "conns", 32, "connections, each sending one request after another")
	fs.DurationVar(&cfg.duration, "duration", 60*time.Second, "how long to measure")
	fs.DurationVar(&cfg.warmup, "warmup", 0, "how long to run before measuring")
	fs.Float64Var(&cfg.writeRatio, "write-ratio", 0.1, "share of requests that write")
	fs.Float64Var(&cfg.patchShare, "patch-share", 0.5, "share of the writes that PATCH an agreement; the rest POST a new patent")
	var gets requestFlag
	fs.Var(&gets, "get", "a read, name=PATH (repeatable; default: five API reads, see docs)")
	scenario := fs.String("scenario", "", "a file of name=PATH reads")
	var owners stringsFlag
	fs.Var(&owners, "owner", "original owner of the new patents (repeatable; default: owners of the sampled patents)")
	fs.StringVar(&cfg.tokensFile, "tokens-file", "", "API tokens, one a line, used in turn by the connections (default: PDPERF_TOKEN for all)")
	fs.StringVar(&cfg.wal, "wal", "", "the server's WAL file (e.g. ./data/patentdesk.db-wal), its size read every second")
	fs.StringVar(&cfg.log, "log", "", "the server's log file, searched afterwards for SQLITE_BUSY, \"database is locked\" and errors")
	fs.IntVar(&cfg.size, "sample", 500, "patents (and companies, agreements) to fetch for the placeholders")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the random choices")
	fs.StringVar(&cfg.runTag, "run-tag", "", "five digits in the numbers of this run's new patents (default: from the clock)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if cfg.runTag == "" {
		cfg.runTag = fmt.Sprintf("%05d", time.Now().Unix()%100000) // repeats after 27 hours
	}
	switch {
	case cfg.conns < 1 || cfg.duration <= 0 || cfg.warmup < 0 || cfg.size < 1:
		return nil, errors.New("--conns and --sample must be at least 1, --duration positive, --warmup at least 0")
	case cfg.writeRatio < 0 || cfg.writeRatio > 1 || cfg.patchShare < 0 || cfg.patchShare > 1:
		return nil, errors.New("--write-ratio and --patch-share are shares between 0 and 1")
	case len(cfg.runTag) != 5 || strings.Trim(cfg.runTag, "0123456789") != "":
		return nil, errors.New("--run-tag must be five digits")
	}
	var err error
	if cfg.reads, err = requestList(gets, *scenario); err != nil {
		return nil, err
	}
	if len(cfg.reads) == 0 {
		cfg.reads = defaultReads
	}
	cfg.owners = owners
	return cfg, nil
}

// plan fetches what the placeholders and the writes are filled from.
func (cfg *loadConfig) plan(ctx context.Context, t *target) (*loadPlan, error) {
	used := placeholdersUsed(cfg.reads)
	if cfg.writeRatio > 0 && cfg.patchShare > 0 {
		used["agreement"] = true
	}
	if cfg.writeRatio > 0 && cfg.patchShare < 1 && len(cfg.owners) == 0 {
		used["owner"] = true
	}
	rnd := rand.New(rand.NewPCG(cfg.seed, 0))
	p, err := fetchPools(ctx, t, newClient(1, cfg.af.timeout), used, cfg.size, rnd)
	if err != nil {
		return nil, err
	}
	plan := &loadPlan{reads: cfg.reads, pools: p, owners: cfg.owners, writeRatio: cfg.writeRatio, patchShare: cfg.patchShare, runTag: cfg.runTag}
	if len(plan.owners) == 0 {
		plan.owners = p["owner"]
	}
	return plan, nil
}

// cmdLoad runs the sustained mixed load: conns connections, each in its own
// loop, reading and (write-ratio of the time) writing through the API.
func cmdLoad(ctx context.Context, args []string, std stdio) error {
	cfg, err := parseLoadFlags(args, std)
	if err != nil {
		return err
	}
	pid, err := cfg.pf.resolve()
	if err != nil {
		return err
	}
	t, err := cfg.af.connect(ctx, std)
	if err != nil {
		return err
	}
	tokens, err := readTokens(cfg.tokensFile, t.token)
	if err != nil {
		return err
	}
	plan, err := cfg.plan(ctx, &target{base: t.base, token: tokens[0]})
	if err != nil {
		return err
	}
	watch, err := startWatch(cfg.wal, pid, cfg.log)
	if err != nil {
		return err
	}
	measureFrom := time.Now().Add(cfg.warmup)
	end := measureFrom.Add(cfg.duration)
	all := make([]*connection, cfg.conns)
	var wg sync.WaitGroup
	for i := range all {
		ct := &target{base: t.base, token: tokens[i%len(tokens)], cookies: t.cookies}
		all[i] = &connection{t: ct, c: newClient(1, cfg.af.timeout), rnd: rand.New(rand.NewPCG(cfg.seed, uint64(i+1))), samples: map[string]*sample{}}
		wg.Go(func() { all[i].run(ctx, plan, measureFrom, end) })
	}
	wg.Wait()
	elapsed := max(time.Since(measureFrom), 0)
	rows, failed, total, limited := loadRows(all, cfg.reads, elapsed)
	setup := fmt.Sprintf("%d connections, %s measured, write ratio %.2f", cfg.conns, elapsed.Round(100*time.Millisecond), cfg.writeRatio)
	if ctx.Err() != nil {
		setup += " (interrupted)"
	}
	if limited {
		setup += "; 429: start serve with --api-rate 0, or give each connection its token (--tokens-file)"
	}
	rows[len(rows)-1].notes = joinNotes(setup, rows[len(rows)-1].notes, watch.finish())
	report(std.out, append([]string{"load"}, args...), rows)
	return outcome(ctx, failed, total)
}

// loadRows merges the connections' samples into rows: each read, each
// write, all reads, all writes, and the total; limited says whether the
// server's rate limit refused any request.
func loadRows(all []*connection, reads []namedPath, elapsed time.Duration) (rows []row, failed, total int, limited bool) {
	merged := func(names ...string) *sample {
		s := newSample("")
		for _, cn := range all {
			for _, name := range names {
				if o, ok := cn.samples[name]; ok {
					s.merge(o)
				}
			}
		}
		return s
	}
	var readNames []string
	for _, np := range reads {
		readNames = append(readNames, "read: "+np.name)
	}
	writeNames := []string{writePatent, writeAgreement}
	for _, name := range append(readNames, writeNames...) {
		if s := merged(name); len(s.durations)+s.errors() > 0 {
			s.name = name
			rows = append(rows, latencyRow(s, elapsed, "req"))
		}
	}
	for _, group := range []struct {
		name  string
		names []string
	}{{"all reads", readNames}, {"all writes", writeNames}, {"total", append(readNames, writeNames...)}} {
		s := merged(group.names...)
		s.name = group.name
		rows = append(rows, latencyRow(s, elapsed, "req"))
		if group.name == "total" {
			failed, total, limited = s.errors(), len(s.durations)+s.errors(), s.failures["429"] > 0
		}
	}
	return rows, failed, total, limited
}

// readTokens reads one token a line from file, or takes the one token from
// the environment.
func readTokens(file, fromEnv string) ([]string, error) {
	if file == "" {
		if fromEnv == "" {
			return nil, errors.New("load needs an API token: set PDPERF_TOKEN or give --tokens-file")
		}
		return []string{fromEnv}, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var tokens []string
	for line := range strings.Lines(string(b)) {
		if tk := strings.TrimSpace(line); tk != "" && !strings.HasPrefix(tk, "#") {
			tokens = append(tokens, tk)
		}
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%s holds no token", file)
	}
	return tokens, nil
}

// stringsFlag collects a repeated string flag.
type stringsFlag []string

func (f *stringsFlag) String() string     { return strings.Join(*f, ", ") }
func (f *stringsFlag) Set(s string) error { *f = append(*f, s); return nil }

// watch observes the server beside the load: its WAL file's size and its
// memory every second, and what its log gains meanwhile.
type watch struct {
	wal, mem  *sampler
	memBefore int64
	logFile   string
	logFrom   int64
}

func startWatch(wal string, pid int, logFile string) (*watch, error) {
	w := &watch{logFile: logFile}
	if wal != "" {
		w.wal = startSampler(time.Second, func() (int64, error) {
			fi, err := os.Stat(wal)
			if errors.Is(err, os.ErrNotExist) {
				return 0, nil // no WAL: checkpointed and removed, or not in WAL mode
			}
			if err != nil {
				return 0, err
			}
			return fi.Size(), nil
		})
	}
	if pid != 0 {
		st, err := readProcStatus(pid)
		if err != nil {
			return nil, err
		}
		w.memBefore = st.rss
		w.mem = startSampler(time.Second, rssReader(pid))
	}
	if logFile != "" {
		fi, err := os.Stat(logFile)
		if err != nil {
			return nil, err
		}
		w.logFrom = fi.Size()
	}
	return w, nil
}

// finish stops the samplers and says what they saw.
func (w *watch) finish() string {
	var notes []string
	if w.wal != nil {
		peak, last, err := w.wal.finish()
		if err != nil {
			notes = append(notes, "WAL: "+err.Error())
		} else {
			notes = append(notes, fmt.Sprintf("WAL max %s, final %s", sizeText(float64(peak)), sizeText(float64(last))))
		}
	}
	if w.mem != nil {
		peak, last, err := w.mem.finish()
		if err != nil {
			notes = append(notes, "RSS: "+err.Error())
		} else {
			notes = append(notes, fmt.Sprintf("server RSS before %s, peak %s, after %s", sizeText(float64(w.memBefore)),
				sizeText(float64(peak)), sizeText(float64(last))))
		}
	}
	if w.logFile != "" {
		busy, errs, err := scanLog(w.logFile, w.logFrom)
		if err != nil {
			notes = append(notes, "log: "+err.Error())
		} else {
			notes = append(notes, fmt.Sprintf("server log: %d lines mention SQLITE_BUSY/locked, %d errors", busy, errs))
		}
	}
	return joinNotes(notes...)
}

// scanLog counts, in the log from offset on, the lines that mention a busy
// database and the lines logged at level ERROR (text or JSON format).
func scanLog(file string, offset int64) (busy, errs int, err error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if containsBusy(line) {
			busy++
		}
		if bytes.Contains(line, []byte("level=ERROR")) || bytes.Contains(line, []byte(`"level":"ERROR"`)) {
			errs++
		}
	}
	return busy, errs, sc.Err()
}
