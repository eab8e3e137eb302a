package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"patentdesk/internal/sqlite"
)

// The durability test runs the real binary, as an operator would, and
// kills it with SIGKILL while writers send API requests. Knobs for a longer
// run: PATENTDESK_DURABILITY_KILLS (20), PATENTDESK_DURABILITY_WRITERS (4),
// PATENTDESK_DURABILITY_SEED (logged on every run, to repeat its kill
// moments and writes; how the writers interleave is up to the scheduler).
func TestDurability(t *testing.T) {
	hermetic(t)
	bin := buildBinary(t)
	kills := envInt("PATENTDESK_DURABILITY_KILLS", 20)
	writers := envInt("PATENTDESK_DURABILITY_WRITERS", 4)
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("PATENTDESK_DURABILITY_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d: PATENTDESK_DURABILITY_SEED=%d repeats these kill moments and each writer's sequence of writes", seed, seed)

	t.Run("AcknowledgedWritesSurviveSIGKILL", func(t *testing.T) {
		inst := newInstance(t, bin)
		book := &ledger{}
		rng := rand.New(rand.NewPCG(seed, 1))
		for round := range kills {
			srv := inst.start(t)
			stop := make(chan struct{})
			done := book.write(t, srv.base, inst.token, writers, seed+uint64(round)*1000, stop)
			// A random moment inside the writes: every writer has a request
			// in flight, and now and then one is committed but not yet answered.
			time.Sleep(time.Duration(100+rng.IntN(600)) * time.Millisecond)
			srv.kill(t)
			close(stop)
			done.Wait()
		}
		acked := book.acknowledged()
		t.Logf("%d kills; %d writes sent, %d cut off by a kill, acknowledged: %v", kills, book.sent.Load(), book.cutOff.Load(), acked)
		if acked["patents"] == 0 || acked["agreements"] == 0 || acked["patches"] == 0 || book.cutOff.Load() < int64(kills) {
			t.Fatalf("too few writes acknowledged (%v) or cut off (%d) to prove anything", acked, book.cutOff.Load())
		}
		// The file as the last SIGKILL left it, before anything opens it for writing.
		file := filepath.Join(inst.data, sqlite.FileName)
		book.checkFile(t, file, book.mark())
		// Writes committed whose answer the kill cut off: present, and allowed.
		rows := tableCounts(t, file)
		t.Logf("committed but never answered: %d companies, %d patents, %d agreements",
			rows["companies"]-acked["companies"], rows["patents"]-acked["patents"], rows["agreements"]-acked["agreements"])
		inst.check(t)
		srv := inst.start(t)
		book.checkAPI(t, srv.base, inst.token, book.mark())
		srv.stop(t)
	})

	t.Run("BackupUnderLoadRestores", func(t *testing.T) {
		inst := newInstance(t, bin)
		book := &ledger{}
		srv := inst.start(t)
		stop := make(chan struct{})
		done := book.write(t, srv.base, inst.token, writers, seed+7, stop)
		time.Sleep(time.Second)
		before := book.mark()
		backup := filepath.Join(t.TempDir(), "backup.db")
		started := time.Now()
		out, err := exec.Command(bin, "backup", "--data", inst.data, backup).CombinedOutput()
		ended := time.Now()
		if err != nil {
			t.Fatalf("backup while writes run: %v\n%s", err, out)
		}
		time.Sleep(200 * time.Millisecond)
		close(stop)
		done.Wait()
		srv.stop(t)
		if n := book.overlapping(started, ended); n == 0 {
			t.Errorf("no write was in flight during the %v backup; the test proves nothing about a live one", ended.Sub(started))
		} else {
			t.Logf("backup took %v with %d writes in flight or answered meanwhile", ended.Sub(started), n)
		}
		book.checkFile(t, backup, before)
		counts := tableCounts(t, backup)

		// Restore as the README says: the file becomes patentdesk.db of a
		// fresh data directory.
		restored := &instance{bin: bin, data: filepath.Join(t.TempDir(), "restored"), token: inst.token, logs: t.TempDir()}
		if err := os.MkdirAll(restored.data, 0o700); err != nil {
			t.Fatal(err)
		}
		copyFile(t, backup, filepath.Join(restored.data, sqlite.FileName))
		restored.check(t)
		again := restored.start(t)
		book.checkAPI(t, again.base, inst.token, before)
		for _, kind := range []string{"companies", "patents", "agreements"} {
			if n := countThroughAPI(t, again.base, inst.token, kind); n != counts[kind] {
				t.Errorf("the restored server lists %d %s; the backup file holds %d", n, kind, counts[kind])
			}
		}
		again.stop(t)
		if after := tableCounts(t, filepath.Join(restored.data, sqlite.FileName)); !maps.Equal(after, counts) {
			t.Errorf("row counts after the restored server ran differ from the backup's:\nbackup   %v\nrestored %v", counts, after)
		}
		t.Logf("restored: check ok, API token of the original works, %d companies, %d patents, %d agreements, %d grants, %d obligations, %d audit rows",
			counts["companies"], counts["patents"], counts["agreements"], counts["grants"], counts["obligations"], counts["audit_log"])
	})
}

// buildBinary builds patentdesk once for the test, with the test's own
// environment so that the build cache of the test binary serves it.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "patentdesk")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// instance is a data directory with an editor and the editor's API token.
type instance struct {
	bin, data, token string
	logs             string // where each server's output goes
	starts           int
}

func newInstance(t *testing.T, bin string) *instance {
	t.Helper()
	in := &instance{bin: bin, data: filepath.Join(t.TempDir(), "data"), logs: t.TempDir()}
	in.run(t, firstPassword+"\n", "user", "add", "--email", "writer@example.com", "--role", "editor", "--password-stdin")
	in.token = strings.TrimSpace(in.run(t, "", "token", "create", "--email", "writer@example.com", "--name", "durability"))
	if !strings.HasPrefix(in.token, "pdt_") {
		t.Fatalf("token create printed %q; want the token alone", in.token)
	}
	return in
}

// run runs a command of the binary on the instance's data that must succeed.
func (in *instance) run(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(in.bin, append(args, "--data", in.data)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("patentdesk %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// check runs patentdesk check, which must exit 0.
func (in *instance) check(t *testing.T) {
	t.Helper()
	if out := in.run(t, "", "check"); !strings.HasPrefix(out, "ok") {
		t.Errorf("patentdesk check printed %q", out)
	}
}

// serveProcess is one running serve.
type serveProcess struct {
	cmd    *exec.Cmd
	base   string
	output string // file with its stdout and stderr
}

// start runs serve on a free loopback port, as printed by the server, and
// waits until /healthz answers.
func (in *instance) start(t *testing.T) *serveProcess {
	t.Helper()
	in.starts++
	p := &serveProcess{output: filepath.Join(in.logs, fmt.Sprintf("serve-%02d.log", in.starts))}
	f, err := os.Create(p.output)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p.cmd = exec.Command(in.bin, "serve", "--data", in.data, "--addr", "127.0.0.1:0", "--api-rate", "0")
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if p.base == "" {
			b, _ := os.ReadFile(p.output)
			if m := runningRE.FindSubmatch(b); m != nil {
				p.base = string(m[1])
			}
			continue
		}
		if res, err := apiClient.Get(p.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
	}
	t.Fatalf("serve did not become healthy within 20 s:\n%s", p.tail())
	return nil
}

// kill ends the server with SIGKILL: no shutdown, no final checkpoint.
func (p *serveProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// stop ends the server as an operator does, which must exit 0.
func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, p.tail())
	}
}

func (p *serveProcess) tail() string {
	b, _ := os.ReadFile(p.output)
	return string(b[max(0, len(b)-4000):])
}

// apiClient gives every request a bound, so a hung server fails the test.
var apiClient = &http.Client{Timeout: 15 * time.Second}

// apiCall sends one API request. ok is false when no complete answer came
// back (the server died): such a write may or may not have been committed.
func apiCall(method, base, token, path string, body any) (status int, answer map[string]any, ok bool) {
	var in io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, in)
	if err != nil {
		return 0, nil, false
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := apiClient.Do(req)
	if err != nil {
		return 0, nil, false
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, false
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return res.StatusCode, map[string]any{"unparsed": string(raw)}, res.StatusCode >= 300
	}
	return res.StatusCode, answer, true
}

// errCutOff is a write that got no complete answer: the server died.
var errCutOff = errors.New("no answer")

// ackedRecord is an acknowledged create: the kind, its id and the 2xx answer.
type ackedRecord struct {
	kind   string // companies, patents or agreements (the API path)
	id     int64
	answer map[string]any
}

// summaryPatch is one PATCH of an agreement's summary, answered or not. An
// agreement is patched by the writer that created it, one PATCH at a time,
// so its patches apply in this order.
type summaryPatch struct {
	summary string
	answer  map[string]any // nil when unacknowledged
}

// ledger holds every acknowledged write, and every PATCH sent.
type ledger struct {
	mu      sync.Mutex
	records []ackedRecord
	patches map[int64][]summaryPatch // by agreement id; the create's answer first
	sent    atomic.Int64             // numbers new names and values, unique over the run
	cutOff  atomic.Int64             // writes sent that got no answer
	flight  []flightSpan             // when each write was sent and when it ended
}

type flightSpan struct{ from, to time.Time }

// ledgerMark is how far the ledger was at one moment.
type ledgerMark struct {
	records int
	patches map[int64]int
}

func (l *ledger) mark() ledgerMark {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := ledgerMark{records: len(l.records), patches: map[int64]int{}}
	for id, ps := range l.patches {
		m.patches[id] = len(ps)
	}
	return m
}

func (l *ledger) add(r ackedRecord, from time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
	if r.kind == "agreements" {
		if l.patches == nil {
			l.patches = map[int64][]summaryPatch{}
		}
		l.patches[r.id] = []summaryPatch{{answer: r.answer}}
	}
	l.flight = append(l.flight, flightSpan{from, time.Now()})
}

func (l *ledger) addPatch(id int64, p summaryPatch, from time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.patches[id] = append(l.patches[id], p)
	l.flight = append(l.flight, flightSpan{from, time.Now()})
}

// pick returns the id of a random acknowledged record of kind, or 0.
func (l *ledger) pick(rng *rand.Rand, kind string, not int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ids []int64
	for _, r := range l.records {
		if r.kind == kind && r.id != not {
			ids = append(ids, r.id)
		}
	}
	if len(ids) == 0 {
		return 0
	}
	return ids[rng.IntN(len(ids))]
}

// write starts n writers on the server at base; they stop when stop closes.
func (l *ledger) write(t *testing.T, base, token string, n int, seed uint64, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			var mine []int64 // agreements this writer created: only it patches them
			for {
				select {
				case <-stop:
					return
				default:
				}
				id, err := l.writeOnce(base, token, rng, mine)
				if errors.Is(err, errCutOff) {
					l.cutOff.Add(1)
					return // the server is gone: this writer's part of the round is over
				}
				if err != nil {
					t.Errorf("writer %d: %v", w, err) // valid writes: any refusal is a bug
					return
				}
				if id != 0 {
					mine = append(mine, id)
				}
			}
		})
	}
	return &wg
}

// writeOnce sends one write and records it when answered 2xx. It returns
// the id of an agreement it created, and an error for any other answer.
func (l *ledger) writeOnce(base, token string, rng *rand.Rand, mine []int64) (int64, error) {
	n := l.sent.Add(1)
	from := time.Now()
	licensor := l.pick(rng, "companies", 0)
	licensee := l.pick(rng, "companies", licensor)
	op := rng.IntN(100)
	switch {
	case op < 15 || licensee == 0:
		body := map[string]any{"name": fmt.Sprintf("Durable Holdings %06d Oy", n), "country": "FI", "aliases": []string{fmt.Sprintf("DURABLE %06d", n)}}
		return l.created("companies", base, token, body, from)
	case op < 60:
		body := map[string]any{"number": fmt.Sprintf("US%dB2", 10_000_000+n), "title": fmt.Sprintf("Write-ahead logging of patent %d", n),
			"filed_on": "2016-03-01", "granted_on": "2019-05-07", "status": "granted", "owner": licensor, "tags": []string{"iot"}}
		return l.created("patents", base, token, body, from)
	case op < 80 || len(mine) == 0:
		body := map[string]any{"reference": fmt.Sprintf("DUR-%06d", n), "title": "Licence written under fire", "kind": "license",
			"status": "active", "signed_on": "2020-01-01", "effective_on": "2020-01-01", "expires_on": "2030-12-31",
			"parties": []map[string]any{{"company": licensor, "role": "licensor"}, {"company": licensee, "role": "licensee"}},
			"grants": []map[string]any{{"licensor": licensor, "licensee": licensee, "territories": []string{"WORLD"},
				"scope": map[string]any{"kind": "portfolio", "capture_to": "2019-12-31"}}},
			"obligations": []map[string]any{{"kind": "payment", "title": "Royalty", "due_on": "2021-01-31", "amount": fmt.Sprintf("%d.50", n),
				"currency": "EUR", "payer": licensee, "payee": licensor}}}
		return l.created("agreements", base, token, body, from)
	default:
		id := mine[rng.IntN(len(mine))]
		summary := fmt.Sprintf("patched %d", n)
		status, answer, ok := apiCall(http.MethodPatch, base, token, fmt.Sprintf("/api/v1/agreements/%d", id), map[string]any{"summary": summary})
		switch {
		case !ok:
			l.addPatch(id, summaryPatch{summary: summary}, from)
			return 0, errCutOff
		case status == http.StatusOK:
			l.addPatch(id, summaryPatch{summary: summary, answer: answer}, from)
		default:
			return 0, fmt.Errorf("PATCH agreement %d = %d %v", id, status, answer)
		}
	}
	return 0, nil
}

// created posts a new record and keeps it when answered 201; it returns
// the id of a new agreement.
func (l *ledger) created(kind, base, token string, body any, from time.Time) (int64, error) {
	status, answer, ok := apiCall(http.MethodPost, base, token, "/api/v1/"+kind, body)
	switch {
	case !ok:
		return 0, errCutOff // unacknowledged: it may exist, and need not
	case status != http.StatusCreated:
		return 0, fmt.Errorf("POST %s = %d %v", kind, status, answer)
	}
	id, _ := answer["id"].(float64)
	l.add(ackedRecord{kind: kind, id: int64(id), answer: answer}, from)
	if kind == "agreements" {
		return int64(id), nil
	}
	return 0, nil
}

// acknowledged counts the acknowledged writes by kind.
func (l *ledger) acknowledged() map[string]int {
	n := map[string]int{}
	for _, r := range l.records {
		n[r.kind]++
	}
	for _, ps := range l.patches {
		for _, p := range ps[1:] {
			if p.answer != nil {
				n["patches"]++
			}
		}
	}
	return n
}

// overlapping counts acknowledged writes whose request overlapped [from, to].
func (l *ledger) overlapping(from, to time.Time) int {
	n := 0
	for _, s := range l.flight {
		if s.from.Before(to) && s.to.After(from) {
			n++
		}
	}
	return n
}

// expected is what an agreement may look like at m: the answer to its last
// acknowledged PATCH (or its create) up to m, with that summary or the
// summary of any later PATCH, which may have been committed unanswered.
func (l *ledger) expected(id int64, upTo int) (last map[string]any, summaries []any) {
	ps := l.patches[id]
	i := upTo - 1
	for ps[i].answer == nil {
		i--
	}
	last = ps[i].answer
	summaries = []any{last["summary"]}
	for _, p := range ps[i+1:] {
		summaries = append(summaries, p.summary)
	}
	return last, summaries
}

// checkAPI reads every write acknowledged up to m through the API and
// compares it with its answer, field by field.
func (l *ledger) checkAPI(t *testing.T, base, token string, m ledgerMark) {
	t.Helper()
	for _, r := range l.records[:m.records] {
		status, got, ok := apiCall(http.MethodGet, base, token, fmt.Sprintf("/api/v1/%s/%d", r.kind, r.id), nil)
		if !ok || status != http.StatusOK {
			t.Errorf("acknowledged %s %d reads as %d %v", r.kind, r.id, status, got)
			continue
		}
		want := r.answer
		if r.kind == "agreements" {
			last, summaries := l.expected(r.id, m.patches[r.id])
			if !slices.Contains(summaries, got["summary"]) {
				t.Errorf("agreement %d has summary %v; acknowledged were %v", r.id, got["summary"], summaries)
			}
			want = maps.Clone(last)
			want["summary"] = got["summary"]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("acknowledged %s %d changed:\nanswered %v\nnow      %v", r.kind, r.id, want, got)
		}
	}
}

// checkFile opens a database file read-only and finds every write
// acknowledged up to m in it, with the audit row written beside it.
func (l *ledger) checkFile(t *testing.T, path string, m ledgerMark) {
	t.Helper()
	db := openReadOnly(t, path)
	key := map[string]string{"companies": "name", "patents": "normalized", "agreements": "reference"}
	entity := map[string]string{"companies": "company", "patents": "patent", "agreements": "agreement"}
	for _, r := range l.records[:m.records] {
		var value string
		err := db.QueryRow(`SELECT `+key[r.kind]+` FROM `+r.kind+` WHERE id = ?`, r.id).Scan(&value)
		if err != nil || value != r.answer[key[r.kind]] {
			t.Errorf("%s: acknowledged %s %d (%v) reads %q, %v", filepath.Base(path), r.kind, r.id, r.answer[key[r.kind]], value, err)
			continue
		}
		var audited int
		db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = ? AND entity_id = ?`, entity[r.kind]+".create", strconv.FormatInt(r.id, 10)).Scan(&audited)
		if audited != 1 {
			t.Errorf("%s: acknowledged %s %d has %d audit rows of its creation; want 1", filepath.Base(path), r.kind, r.id, audited)
		}
		if r.kind == "agreements" {
			var summary sql.NullString
			db.QueryRow(`SELECT summary FROM agreements WHERE id = ?`, r.id).Scan(&summary)
			_, summaries := l.expected(r.id, m.patches[r.id])
			got := any(nil)
			if summary.Valid && summary.String != "" {
				got = summary.String
			}
			if !slices.Contains(summaries, got) {
				t.Errorf("%s: agreement %d has summary %v; acknowledged were %v", filepath.Base(path), r.id, got, summaries)
			}
		}
	}
}

func openReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tableCounts counts the rows of every table of a database file.
func tableCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db := openReadOnly(t, path)
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		names = append(names, name)
	}
	rows.Close()
	counts := map[string]int{}
	for _, name := range names {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM "` + name + `"`).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		counts[name] = n
	}
	return counts
}

// countThroughAPI pages through a list of the API and counts its items.
func countThroughAPI(t *testing.T, base, token, kind string) int {
	t.Helper()
	n, cursor := 0, ""
	for page := 0; page < 1000; page++ {
		status, answer, ok := apiCall(http.MethodGet, base, token, "/api/v1/"+kind+"?limit=100&cursor="+url.QueryEscape(cursor), nil)
		if !ok || status != http.StatusOK {
			t.Fatalf("GET %s: %d %v", kind, status, answer)
		}
		items, _ := answer["items"].([]any)
		n += len(items)
		if cursor, _ = answer["next"].(string); cursor == "" {
			return n
		}
	}
	t.Fatalf("GET %s did not end after 1000 pages", kind)
	return 0
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}
