package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// target is a PatentDesk server and the credentials to reach it: a bearer
// token for the API, a session cookie for the pages. Each goes only where
// it opens something (PatentDesk keeps tokens and sessions apart).
type target struct {
	base    *url.URL
	token   string
	cookies []*http.Cookie
}

// authFlags are the flags of every subcommand that talks to a server.
type authFlags struct {
	base          string
	email         string
	passwordStdin bool
	timeout       time.Duration
}

// register adds the flags to fs; timeout is the default limit for one
// request, body included (a streamed export needs longer than a page).
func (a *authFlags) register(fs *flag.FlagSet, timeout time.Duration) {
	fs.StringVar(&a.base, "base", "http://127.0.0.1:8080", "the server's base URL")
	fs.StringVar(&a.email, "email", "", "sign in to the pages as this user (password from stdin or PDPERF_PASSWORD)")
	fs.BoolVar(&a.passwordStdin, "password-stdin", false, "read the password for --email from standard input")
	fs.DurationVar(&a.timeout, "timeout", timeout, "limit for one request, to the last byte of its answer")
}

// connect builds the target: the token from PDPERF_TOKEN, and a session
// when --email is given.
func (a *authFlags) connect(ctx context.Context, std stdio) (*target, error) {
	u, err := url.Parse(strings.TrimRight(a.base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--base %q is not an http(s) URL", a.base)
	}
	t := &target{base: u, token: strings.TrimSpace(os.Getenv("PDPERF_TOKEN"))}
	if a.email == "" {
		return t, nil
	}
	pw, err := readPassword(a.passwordStdin, std.in)
	if err != nil {
		return nil, err
	}
	t.cookies, err = signIn(ctx, u, a.email, pw, a.timeout)
	return t, err
}

// readPassword takes the first line of standard input, or PDPERF_PASSWORD;
// never an argument, which other users could read from the process list.
func readPassword(fromStdin bool, in io.Reader) (string, error) {
	if !fromStdin {
		if pw := os.Getenv("PDPERF_PASSWORD"); pw != "" {
			return pw, nil
		}
		return "", errors.New("--email needs a password: add --password-stdin or set PDPERF_PASSWORD")
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

// signIn signs in as a browser does (GET /login for its cookies, POST the
// form) and returns the session cookies. PatentDesk's sign-in form has no
// hidden token: cross-site requests are refused by their Origin, which a
// non-browser client does not send.
func signIn(ctx context.Context, base *url.URL, email, password string, timeout time.Duration) ([]*http.Cookie, error) {
	jar, _ := cookiejar.New(nil)
	c := newClient(1, timeout)
	c.Jar = jar
	form, err := fetch(ctx, c, http.MethodGet, base.JoinPath("/login").String(), nil, "")
	if err != nil || form.status != http.StatusOK {
		return nil, fmt.Errorf("sign-in page %s: %s", base.JoinPath("/login"), statusOrError(form, err))
	}
	body := url.Values{"email": {email}, "password": {password}, "next": {"/"}}.Encode()
	res, err := fetch(ctx, c, http.MethodPost, base.JoinPath("/login").String(), []byte(body), "application/x-www-form-urlencoded")
	if err != nil || res.status != http.StatusSeeOther {
		return nil, fmt.Errorf("signing in as %s: %s (wrong password, or throttled?)", email, statusOrError(res, err))
	}
	// The account page proves the session; the start page would too, but
	// it sums up the whole portfolio, which takes seconds at scale.
	account, err := fetch(ctx, c, http.MethodGet, base.JoinPath("/account").String(), nil, "")
	if err != nil || account.status != http.StatusOK {
		return nil, fmt.Errorf("signed in as %s, but the account page answers %s", email, statusOrError(account, err))
	}
	return jar.Cookies(base), nil
}

func statusOrError(r answer, err error) string {
	if err != nil {
		return err.Error()
	}
	return strconv.Itoa(r.status)
}

// newClient returns a client that keeps up to conns connections alive,
// follows no redirect (a redirect to /login is a failure to count, not a
// page to measure) and asks for no compression.
func newClient(conns int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// answer is what one request brought back.
type answer struct {
	status  int
	bytes   int64
	elapsed time.Duration // from sending until the body was read to its end
	busy    bool          // the body mentions SQLITE_BUSY or "database is locked"
	body    []byte        // the body, when the caller asked to keep it
	// retryAfter is how long a 429 answer asks to wait (at least 100 ms).
	retryAfter time.Duration
}

// busyWords are what a response says when SQLite could not get its lock.
var busyWords = [][]byte{[]byte("SQLITE_BUSY"), []byte("database is locked")}

// send sends one request to path (with its query, escaped as it is to be
// sent) and reads the whole body. keep says whether to return the body (for
// JSON the caller decodes).
func (t *target) send(ctx context.Context, c *http.Client, method, path string, body []byte, keep bool) (answer, error) {
	req, err := t.request(ctx, method, path, body)
	if err != nil {
		return answer{}, err
	}
	return do(c, req, keep)
}

// request builds a request to path with the credential that opens it: the
// token for /api/, the session cookie for anything else.
func (t *target) request(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if strings.HasPrefix(path, "/api/") {
		if t.token != "" {
			req.Header.Set("Authorization", "Bearer "+t.token)
		}
	} else {
		for _, ck := range t.cookies {
			req.AddCookie(ck)
		}
	}
	return req, nil
}

// fetch sends a request to an absolute URL (for sign-in and the echo floor).
func fetch(ctx context.Context, c *http.Client, method, rawURL string, body []byte, contentType string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(c, req, false)
}

// do times req from sending to the last byte of the answer.
func do(c *http.Client, req *http.Request, keep bool) (answer, error) {
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	var a answer
	a.status = res.StatusCode
	if a.status == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		a.retryAfter = max(time.Duration(secs)*time.Second, 100*time.Millisecond)
	}
	// The body is scanned for the busy words while it is read; only what a
	// caller keeps is held in memory.
	var buf bytes.Buffer
	scan := &busyScanner{}
	w := io.Writer(scan)
	if keep {
		w = io.MultiWriter(scan, &buf)
	}
	a.bytes, err = io.Copy(w, res.Body)
	a.elapsed = time.Since(start)
	a.busy = scan.found
	if keep {
		a.body = buf.Bytes()
	}
	return a, err
}

// busyScanner looks for the busy words in a stream, across write
// boundaries, without keeping the stream.
type busyScanner struct {
	tail  []byte
	found bool
}

func (s *busyScanner) Write(p []byte) (int, error) {
	if s.found {
		return len(p), nil
	}
	const keepTail = 32 // longer than any busy word
	edge := append(s.tail, p[:min(len(p), keepTail)]...)
	if containsBusy(edge) || containsBusy(p) {
		s.found = true
		return len(p), nil
	}
	if len(p) >= keepTail {
		s.tail = append(s.tail[:0], p[len(p)-keepTail:]...)
	} else {
		s.tail = append(s.tail[:0], edge[max(0, len(edge)-keepTail):]...)
	}
	return len(p), nil
}

func containsBusy(b []byte) bool {
	for _, w := range busyWords {
		if bytes.Contains(b, w) {
			return true
		}
	}
	return false
}

// failureCause names why an attempt failed: its status, or the kind of
// transport error.
func failureCause(a answer, err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return strconv.Itoa(a.status)
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "connection"
}

// success reports whether an answer counts: any 2xx status.
func success(a answer, err error) bool {
	return err == nil && a.status >= 200 && a.status < 300
}
