package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// fakeDesk answers like PatentDesk as far as pdperf needs: sign-in, pages
// behind a session cookie, and an API behind a bearer token that lists and
// shows patents 1 to 10, companies and agreements, takes new patents and
// agreement patches, and has one endpoint that fails as a locked database.
type fakeDesk struct {
	mu      sync.Mutex
	numbers map[string]int // POSTed patent numbers → how often
	patches int
	log     *os.File // where the "server" logs, when set
}

const (
	fakeToken    = "pdt_test"
	fakePassword = "correct horse"
)

func newFakeDesk(t *testing.T) (*fakeDesk, *httptest.Server) {
	f := &fakeDesk{numbers: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if r.Header.Get("Authorization") != "Bearer "+fakeToken || len(r.Cookies()) > 0 {
			http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		f.api(w, r)
		return
	}
	if r.Header.Get("Authorization") != "" {
		http.Error(w, "tokens open no page", http.StatusUnauthorized)
		return
	}
	switch {
	case r.URL.Path == "/login" && r.Method == http.MethodGet:
		w.Write([]byte(`<form method="post" action="/login"><input name="email"><input name="password"></form>`))
	case r.URL.Path == "/login" && r.Method == http.MethodPost:
		if r.FormValue("email") != "viewer@example.com" || r.FormValue("password") != fakePassword {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "pd_session", Value: "s1", Path: "/"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	default:
		if c, err := r.Cookie("pd_session"); err != nil || c.Value != "s1" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		fmt.Fprintf(w, "<h1>%s</h1>", r.URL.Path)
	}
}

func (f *fakeDesk) api(w http.ResponseWriter, r *http.Request) {
	patent := func(id int) map[string]any {
		return map[string]any{"id": id, "normalized": fmt.Sprintf("EP%07dB1", id), "office": "EP",
			"designated_states": []string{"FR"}, "owner": fmt.Sprintf("Owner %d", id%2), "title": "Buffer status reporting"}
	}
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	switch {
	case r.Method == http.MethodGet && path == "/patents":
		reply(200, map[string]any{"items": []any{patent(1), patent(2), patent(3)}, "next": nil})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/patents/"):
		var id int
		if _, err := fmt.Sscan(strings.TrimPrefix(path, "/patents/"), &id); err != nil {
			id = 1 // a number: the fake knows it
		}
		if id < 1 || id > 10 {
			reply(404, map[string]any{"error": map[string]string{"code": "not_found"}})
			return
		}
		reply(200, patent(id))
	case r.Method == http.MethodGet && path == "/companies":
		reply(200, map[string]any{"items": []any{map[string]any{"id": 1, "name": "AT&T Inc."}}, "next": nil})
	case r.Method == http.MethodGet && path == "/agreements":
		reply(200, map[string]any{"items": []any{map[string]any{"id": 4, "reference": "NOK-XIA-2017"}}, "next": nil})
	case r.Method == http.MethodGet && path == "/agreements/NOK-XIA-2017":
		reply(200, map[string]any{"id": 4, "reference": "NOK-XIA-2017"})
	case r.Method == http.MethodGet && path == "/rights/check":
		q := r.URL.Query()
		if q.Get("company") != "AT&T Inc." || q.Get("territory") != "FR" {
			reply(422, map[string]any{"error": map[string]string{"code": "invalid"}})
			return
		}
		reply(200, map[string]any{"verdict": "not_covered"})
	case r.Method == http.MethodGet && path == "/locked":
		http.Error(w, `{"error":{"code":"internal","message":"database is locked"}}`, http.StatusInternalServerError)
	case r.Method == http.MethodPost && path == "/patents":
		var body struct{ Number, Owner string }
		json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.numbers[body.Number]++
		dup := f.numbers[body.Number] > 1
		f.mu.Unlock()
		if dup || !strings.HasPrefix(body.Owner, "Owner ") {
			reply(409, map[string]any{"error": map[string]string{"code": "conflict"}})
			return
		}
		reply(201, map[string]any{"id": 11})
	case r.Method == http.MethodPatch && path == "/agreements/NOK-XIA-2017":
		f.mu.Lock()
		f.patches++
		if f.patches == 1 && f.log != nil {
			fmt.Fprintln(f.log, `time=now level=ERROR msg="request failed" err="database is locked (5) (SQLITE_BUSY)"`)
		}
		f.mu.Unlock()
		reply(200, map[string]any{"id": 4})
	default:
		reply(404, map[string]any{"error": map[string]string{"code": "not_found"}})
	}
}

func TestLatency(t *testing.T) {
	_, srv := newFakeDesk(t)
	t.Setenv("PDPERF_TOKEN", fakeToken)
	var out bytes.Buffer
	err := run(context.Background(), []string{"latency", "--base", srv.URL, "-n", "10", "--warmup", "2",
		"--email", "viewer@example.com", "--password-stdin",
		"--get", "patent=/api/v1/patents/{patent}",
		"--get", "rights=/api/v1/rights/check?company={company}&patent={patent}&territory={territory}",
		"--get", "patent page=/patents/{patent_id}",
		"--get", "locked=/api/v1/locked"},
		stdio{in: strings.NewReader(fakePassword + "\n"), out: &out, err: os.Stderr})
	t.Run("FailuresMakeTheRunFail", func(t *testing.T) {
		if err == nil || err.Error() != "10 of 40 requests failed (see the notes column)" {
			t.Errorf("err = %v", err)
		}
	})
	for _, want := range []string{
		"| patent | 10 |", "| rights | 10 |", "| patent page | 10 |",
		"| locked | 0 | – | – | – | – |", "SQLITE_BUSY/locked: 10; errors: 10 (500 ×10)",
		"Command: `pdperf latency --base " + srv.URL + " -n 10",
	} {
		t.Run("Shows "+want, func(t *testing.T) {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		})
	}
	t.Run("TheTableHasNoSecret", func(t *testing.T) {
		if strings.Contains(out.String(), fakePassword) || strings.Contains(out.String(), fakeToken) {
			t.Errorf("output shows a credential:\n%s", out.String())
		}
	})
}

func TestSignIn(t *testing.T) {
	_, srv := newFakeDesk(t)
	tests := []struct {
		name, password, wantError string
	}{
		{"RightPassword", fakePassword, ""},
		{"WrongPassword", "wrong", "signing in as viewer@example.com: 401"},
		{"NoPassword", "", "no password on standard input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			af := authFlags{base: srv.URL, email: "viewer@example.com", passwordStdin: true}
			tg, err := af.connect(context.Background(), stdio{in: strings.NewReader(tc.password + "\n")})
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("err = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil || len(tg.cookies) == 0 {
				t.Fatalf("connect = %+v, %v", tg, err)
			}
		})
	}
}

func TestBusyScanner(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		want   bool
	}{
		{"InOnePiece", []string{`{"message":"database is locked"}`}, true},
		{"SplitAcrossPieces", []string{`{"message":"database is lo`, `cked"}`}, true},
		{"SplitIntoBytes", strings.Split("x SQLITE_BUSY y", ""), true},
		{"AcrossALongPiece", []string{"database", strings.Repeat(" ", 100), " is locked"}, false},
		{"Neither", []string{"all well"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s busyScanner
			for _, p := range tc.pieces {
				s.Write([]byte(p))
			}
			if s.found != tc.want {
				t.Errorf("found = %v, want %v", s.found, tc.want)
			}
		})
	}
}

func TestReferenceEcho(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"reference-echo", "-n", "20", "--warmup", "1", "--size", "200"},
		stdio{out: &out, err: os.Stderr}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| echo, constant JSON (floor) | 20 |") || !strings.Contains(out.String(), "body 200 B") {
		t.Errorf("output:\n%s", out.String())
	}
}
