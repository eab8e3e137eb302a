package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/demo"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// Fuzz targets for the JSON API's reading of request bodies: the strict
// decoder, the merge patch, and whole requests through the server.

// apiBodyTypes are the bodies the API decodes, one of each.
var apiBodyTypes = []func() any{
	func() any { return new(apiAgreementBody) },
	func() any { return new(apiPartyBody) },
	func() any { return new(apiGrantBody) },
	func() any { return new(apiScopeBody) },
	func() any { return new(apiAssignmentBody) },
	func() any { return new(apiObligationBody) },
	func() any { return new(apiOccurrenceBody) },
	func() any { return new(companyBody) },
	func() any { return new(patentBody) },
}

// apiBodySeeds are bodies as clients send them, good and bad.
var apiBodySeeds = []string{
	`{"name": "Nokia Corporation", "short_name": "Nokia", "country": "FI", "aliases": ["Nokia Oyj"]}`,
	`{"number": "EP 1 234 567 B1", "title": "Paging", "owner": 1, "tags": ["cellular"], "filed_on": "2012-05-20", "sep": true}`,
	`{"reference": "NOK-XIA-2017", "title": "Cross-licence", "kind": "cross_license", "status": "active",
	  "signed_on": "2017-07-05", "effective_on": "2017-07-05", "expires_on": "2024-07-04", "notice_days": 180,
	  "parties": [{"company": "Nokia Corporation", "role": "licensor"}, {"company": 2, "role": "licensee"}],
	  "grants": [{"licensor": 1, "licensee": 2, "scope": {"kind": "portfolio", "capture_from": "2000-01-01",
	  "capture_to": "2017-07-05", "standards": ["3GPP LTE"]}, "territories": ["WORLD"], "exclusivity": "non_exclusive"}],
	  "obligations": [{"kind": "payment", "title": "Royalty", "due_on": "2018-01-31", "recurrence": "yearly",
	  "amount": "1000000.00", "currency": "EUR", "payer": 2, "payee": 1}]}`,
	`{"licensor": 1, "licensee": 2, "scope": {"kind": "patents", "patents": ["EP1234567B1", 3]}}`,
	`{"assignor": 1, "assignee": 2, "effective_on": "2017-07-05", "patents": ["EP1234567B1"]}`,
	`{"due_on": "2019-01-31", "status": "done", "done_on": "2019-01-30"}`,
	`{"name": null}`, `{"grants": [{"licensor": {"id": 1}}]}`, `{"aliases": ["a", 5]}`, `{"nmae": "x"}`,
	`{"notice_days": 1e400}`, `{"amount": -0.0e-7}`, `[1]`, `null`, `"x"`, `{}`, `{"a":1}{"b":2}`, `{"name": "\ud800"}`,
}

// FuzzStrictDecode reads any JSON into every body type. It must never
// panic; it accepts exactly what encoding/json accepts with unknown fields
// refused, and a field it names as unknown is one the body holds.
func FuzzStrictDecode(f *testing.F) {
	for _, s := range apiBodySeeds {
		for i := range apiBodyTypes {
			f.Add([]byte(s), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, which uint8) {
		newBody := apiBodyTypes[int(which)%len(apiBodyTypes)]
		field, problem := strictDecode(raw, newBody())
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		plain := dec.Decode(newBody())
		if (problem == "") != (plain == nil) {
			t.Fatalf("%s: strictDecode says %q (%s), encoding/json says %v", raw, field, problem, plain)
		}
		if strings.HasSuffix(problem, "is not a field of this resource") && !hasJSONKey(raw, field) && !hasJSONKey(raw, lastPathPart(field)) {
			t.Fatalf("%s: unknown field %q is not in the body", raw, field)
		}
		if problem != "" && joinAPIPath("", field) == "" {
			t.Fatalf("%s: a problem without a place: %q", raw, problem)
		}
	})
}

// hasJSONKey reports whether the JSON text holds an object member named
// key, at any depth, as encoding/json reads names (escapes resolved,
// invalid UTF-8 replaced).
func hasJSONKey(raw []byte, key string) bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw)) // the first value, as strictDecode reads
	dec.UseNumber()                              // 1e400 is JSON, if no float64
	if dec.Decode(&v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			for k, item := range v {
				if k == key || walk(item) {
					return true
				}
			}
		case []any:
			return slices.ContainsFunc(v, walk)
		}
		return false
	}
	return walk(v)
}

// lastPathPart is the field name at the end of a path such as grants.1.licensor.
func lastPathPart(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// FuzzMergeAPIPatch applies any patch to any record. It must never panic;
// for an object patch the result is an object holding every member the
// patch sets, none it nulls, every other member of the base, and applying
// the patch again changes nothing (RFC 7396 is idempotent).
func FuzzMergeAPIPatch(f *testing.F) {
	f.Add([]byte(`{"title": "Old", "status": "active", "scope": {"kind": "portfolio", "tags": ["a"]}}`),
		[]byte(`{"status": "terminated", "terminated_on": "2020-01-31", "scope": {"tags": null}}`))
	f.Add([]byte(`{"a": 1}`), []byte(`{"a": null}`))
	f.Add([]byte(`[1, 2]`), []byte(`{"a": {"b": {"c": null}}}`))
	f.Add([]byte(`{"a": {"b": 1}}`), []byte(`{"a": [1]}`))
	f.Add([]byte(``), []byte(`null`))
	f.Fuzz(func(t *testing.T, base, patch []byte) {
		merged := mergeAPIPatch(base, patch)
		var p map[string]json.RawMessage
		if json.Unmarshal(patch, &p) != nil || p == nil {
			if !bytes.Equal(merged, patch) {
				t.Fatalf("a patch that is no object, %q, must replace the base; got %q", patch, merged)
			}
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(merged, &m); err != nil || m == nil {
			t.Fatalf("merging %q into %q gave %q, not an object (%v)", patch, base, merged, err)
		}
		for k, v := range p {
			_, present := m[k]
			if isJSONNull(v) == present {
				t.Fatalf("merging %q into %q: member %q present=%v", patch, base, k, present)
			}
		}
		var b map[string]json.RawMessage
		if json.Unmarshal(base, &b) == nil {
			for k, v := range b {
				if _, patched := p[k]; !patched && !sameJSON(m[k], v) {
					t.Fatalf("merging %q into %q changed the untouched member %q to %q", patch, base, k, m[k])
				}
			}
		}
		if again := mergeAPIPatch(merged, patch); !sameJSON(again, merged) {
			t.Fatalf("merging %q twice into %q: %q, then %q", patch, base, merged, again)
		}
	})
}

func isJSONNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}

// apiFuzzRequests are the writes whose bodies FuzzAPIRequestBodies sends;
// ids 1 exist in the demo data.
var apiFuzzRequests = []struct{ method, path string }{
	{http.MethodPost, "/api/v1/companies"},
	{http.MethodPatch, "/api/v1/companies/1"},
	{http.MethodPost, "/api/v1/patents"},
	{http.MethodPatch, "/api/v1/patents/1"},
	{http.MethodPost, "/api/v1/agreements"},
	{http.MethodPatch, "/api/v1/agreements/1"},
	{http.MethodPost, "/api/v1/agreements/1/grants"},
	{http.MethodPatch, "/api/v1/agreements/1/grants/1"},
	{http.MethodPost, "/api/v1/agreements/1/assignments"},
	{http.MethodPost, "/api/v1/agreements/1/obligations"},
	{http.MethodPatch, "/api/v1/agreements/1/obligations/1"},
	{http.MethodPost, "/api/v1/agreements/1/obligations/1/occurrences"},
	{http.MethodPost, "/api/v1/calendar-feeds"},
}

// apiAnswers are the statuses a write may answer with; 500 is not one.
var apiAnswers = []int{http.StatusOK, http.StatusCreated, http.StatusNoContent, http.StatusBadRequest,
	http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}

// apiErrorCodes are the codes of the contract's error shape.
var apiErrorCodes = []string{"invalid", "not_found", "conflict", "unauthorized", "forbidden"}

// FuzzAPIRequestBodies sends any body to the API's writes, as an editor,
// through the whole server on the demo data. No body may cause a server
// error; every answer is JSON, and every refusal the contract's error
// shape with a message.
func FuzzAPIRequestBodies(f *testing.F) {
	for _, s := range apiBodySeeds {
		for i := range apiFuzzRequests {
			f.Add([]byte(s), uint8(i))
		}
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, licensing.DateOf(time.Now())); err != nil {
		f.Fatal(err)
	}
	editor, err := db.UserByEmail(ctx, "editor@example.com")
	if err != nil {
		f.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(ctx, sqlite.SystemActor(), editor.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	srv, err := New(Config{SessionKeys: [][]byte{auth.NewSessionKey()}, APIRate: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, db)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		r := apiFuzzRequests[int(which)%len(apiFuzzRequests)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if !slices.Contains(apiAnswers, rec.Code) {
			t.Fatalf("%s %s %q: status %d: %s", r.method, r.path, body, rec.Code, rec.Body)
		}
		if rec.Code == http.StatusNoContent {
			return
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s %s %q: Content-Type %q", r.method, r.path, body, ct)
		}
		if rec.Code < 400 {
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s %s %q: answer is not JSON: %s", r.method, r.path, body, rec.Body)
			}
			return
		}
		var e apiErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !slices.Contains(apiErrorCodes, e.Error.Code) || e.Error.Message == "" {
			t.Fatalf("%s %s %q: status %d with %s, not the contract's error", r.method, r.path, body, rec.Code, rec.Body)
		}
	})
}
