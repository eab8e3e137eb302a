package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// csvCounter counts the records of a CSV stream as it passes, without
// keeping it: line ends outside quoted fields (RFC 4180 lets a quoted cell
// hold a line break; a doubled quote inside one toggles twice and so
// changes nothing).
type csvCounter struct {
	records  int64
	bytes    int64
	inQuotes bool
	last     byte
}

func (c *csvCounter) Write(p []byte) (int, error) {
	for _, b := range p {
		switch {
		case b == '"':
			c.inQuotes = !c.inQuotes
		case b == '\n' && !c.inQuotes:
			c.records++
		}
	}
	if len(p) > 0 {
		c.last = p[len(p)-1]
	}
	c.bytes += int64(len(p))
	return len(p), nil
}

// rows is the number of records after the header, counting a last record
// that has no line end.
func (c *csvCounter) rows() int64 {
	n := c.records
	if c.bytes > 0 && c.last != '\n' {
		n++
	}
	return max(0, n-1)
}

// streamResult is what one streamed export measured.
type streamResult struct {
	rows, bytes     int64
	firstByte, took time.Duration
}

// streamOnce GETs path and counts its CSV rows until the end of the body.
func streamOnce(ctx context.Context, t *target, c *http.Client, path string) (streamResult, error) {
	req, err := t.request(ctx, http.MethodGet, path, nil)
	if err != nil {
		return streamResult{}, err
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return streamResult{}, err
	}
	defer res.Body.Close()
	r := streamResult{firstByte: time.Since(start)}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return r, fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	var cc csvCounter
	_, err = io.Copy(&cc, res.Body)
	r.took, r.rows, r.bytes = time.Since(start), cc.rows(), cc.bytes
	if err != nil {
		return r, fmt.Errorf("GET %s: the stream broke after %s: %w", path, sizeText(float64(cc.bytes)), err)
	}
	return r, nil
}

// cmdStream streams CSV exports and reports rows/s and bytes/s, and the
// server's resident memory before, at its peak during, and after each.
func cmdStream(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("stream", std)
	var af authFlags
	af.register(fs, time.Hour)
	var gets requestFlag
	fs.Var(&gets, "get", "an export to stream, name=PATH (repeatable), e.g. patents=/patents.csv")
	n := fs.Int("n", 1, "how many times to stream each")
	var pf pidFlags
	pf.register(fs)
	every := fs.Duration("every", 20*time.Millisecond, "how often to read the server's memory")
	size := fs.Int("sample", 500, "patents (and companies, agreements) to fetch for the placeholders")
	seed := fs.Uint64("seed", 1, "seed of the placeholders' random choices")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(gets) == 0 {
		return errors.New("stream needs an export: --get name=PATH")
	}
	if *n < 1 || *every <= 0 || *size < 1 {
		return errors.New("-n and --sample must be at least 1, --every positive")
	}
	list, err := requestList(gets, "")
	if err != nil {
		return err
	}
	pid, err := pf.resolve()
	if err != nil {
		return err
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
	var rows []row
	var failure error
	for _, np := range list {
		for i := range *n {
			name := np.name
			if *n > 1 {
				name = fmt.Sprintf("%s #%d", np.name, i+1)
			}
			r, err := streamRow(ctx, t, c, name, p.expand(np.path, rnd), pid, *every)
			rows = append(rows, r)
			if err != nil && failure == nil {
				failure = err
			}
			if ctx.Err() != nil {
				break
			}
		}
	}
	report(std.out, append([]string{"stream"}, args...), rows)
	if ctx.Err() != nil {
		return errors.New("interrupted; the table shows what was measured until then")
	}
	return failure
}

// streamRow streams one export while sampling the server's memory, and
// writes the table row; a failed stream gives a row saying so, and its error.
func streamRow(ctx context.Context, t *target, c *http.Client, name, path string, pid int, every time.Duration) (row, error) {
	var before int64
	var mem *sampler
	if pid != 0 {
		st, err := readProcStatus(pid)
		if err != nil {
			return row{name: name}, err
		}
		before = st.rss
		mem = startSampler(every, rssReader(pid))
	}
	res, err := streamOnce(ctx, t, c, path)
	r := row{name: name, n: int(res.rows)}
	var notes []string
	if err == nil && res.took > 0 {
		secs := res.took.Seconds()
		r.throughput = rate(float64(res.rows)/secs, "rows")
		notes = append(notes, fmt.Sprintf("%s/s; %s in %s; first byte after %s", sizeText(float64(res.bytes)/secs),
			sizeText(float64(res.bytes)), durationText(res.took), durationText(res.firstByte)))
	} else if err != nil {
		notes = append(notes, "failed: "+err.Error())
	}
	if mem != nil {
		peak, last, merr := mem.finish()
		if merr != nil {
			notes = append(notes, "memory: "+merr.Error())
		} else {
			notes = append(notes, fmt.Sprintf("server RSS before %s, peak %s (+%s), after %s", sizeText(float64(before)),
				sizeText(float64(peak)), sizeText(float64(max(0, peak-before))), sizeText(float64(last))))
		}
	}
	r.notes = joinNotes(notes...)
	return r, err
}
