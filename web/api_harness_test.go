package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// apiClient calls the JSON API of a test app with one personal access token.
type apiClient struct {
	t     *testing.T
	app   *testApp
	token string
}

// apiClient makes a user of the given role (or reuses one with this email)
// and a fresh token for them.
func (a *testApp) apiClient(email string, role auth.Role) *apiClient {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.db.UserByEmail(ctx, email)
	if err != nil {
		u = a.addUser(email, role)
	}
	secret, _, err := a.db.CreateAPIToken(ctx, sqlite.SystemActor(), u.ID, "test "+email)
	if err != nil {
		a.t.Fatal(err)
	}
	return &apiClient{t: a.t, app: a, token: secret}
}

// in is a copy of the client bound to t: a subtest calls through it so that
// a failing call fails the subtest, not its parent (whose FailNow, called
// from the subtest's goroutine, would stop the wrong test).
func (c *apiClient) in(t *testing.T) *apiClient {
	bound := *c
	bound.t = t
	return &bound
}

// apiResponse is an answer of the API, its body read.
type apiResponse struct {
	*http.Response
	Body []byte
}

// do sends a request. body is nil (no body), a string or []byte (sent as
// is, for malformed JSON) or any other value (sent as JSON).
func (c *apiClient) do(method, path string, body any) apiResponse {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.app.http.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return apiResponse{Response: res, Body: b}
}

// call sends a request, checks the status and decodes the answer into out
// (when out is not nil). A 204 has no body, and so no JSON Content-Type.
func (c *apiClient) call(method, path string, body any, want int, out any) apiResponse {
	c.t.Helper()
	res := c.do(method, path, body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, res.StatusCode, want, res.Body)
	}
	if want == http.StatusNoContent {
		if len(res.Body) != 0 || out != nil {
			c.t.Fatalf("%s %s: 204 with a body %q, or an answer expected of it", method, path, res.Body)
		}
		return res
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, res.Body)
		}
	}
	return res
}

// get is call with GET and no body.
func (c *apiClient) get(path string, want int, out any) apiResponse {
	c.t.Helper()
	return c.call(http.MethodGet, path, nil, want, out)
}

// apiErrorBody is the contract's error shape.
type apiErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantError sends a request that must fail with this status and code, and
// (when fields are named) with a message for each of those fields. It
// returns the error for further checks.
func (c *apiClient) wantError(method, path string, body any, status int, code string, fields ...string) apiErrorBody {
	c.t.Helper()
	var e apiErrorBody
	c.call(method, path, body, status, &e)
	if e.Error.Code != code {
		c.t.Fatalf("%s %s: code %q, want %q (%s)", method, path, e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Message == "" {
		c.t.Fatalf("%s %s: the error has no message", method, path)
	}
	for _, f := range fields {
		if e.Error.Fields[f] == "" {
			c.t.Fatalf("%s %s: no message for field %q in %+v", method, path, f, e.Error)
		}
	}
	return e
}
