package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// apiAgreementWorld is the agreement world with an editor's and a
// viewer's API client.
type apiAgreementWorld struct {
	*agreementWorld
	api, viewerAPI *apiClient
}

func newAPIAgreementWorld(t *testing.T) *apiAgreementWorld {
	t.Helper()
	w := &apiAgreementWorld{agreementWorld: newAgreementWorld(t)}
	w.api = w.app.apiClient("ed@example.com", auth.RoleEditor)
	w.viewerAPI = w.app.apiClient("v@example.com", auth.RoleViewer)
	return w
}

// contractAgreement is CONTRACT.md's "agreement as posted", with the
// world's names, as a fresh map a case may change.
func contractAgreement(reference string) map[string]any {
	var body map[string]any
	err := json.Unmarshal([]byte(`{"reference": "`+reference+`", "title": "Patent cross-licence", "kind": "cross_license", "status": "active",
 "signed_on": "2017-07-05", "effective_on": "2017-07-05", "expires_on": "2024-07-04",
 "notice_days": 180, "parties": [{"company": "Nokia Corporation", "role": "party"}, {"company": "Xiaomi Corporation", "role": "party"},
   {"company": "Nokia Technologies Oy", "role": "assignor"}],
 "grants": [{"licensor": "Nokia Corporation", "licensee": "Xiaomi Corporation",
             "licensee_affiliates": true, "licensor_affiliates": true,
             "scope": {"kind": "portfolio", "capture_from": "2000-01-01", "capture_to": "2017-07-05",
                       "tags": [], "standards": ["3GPP LTE"], "offices": []},
             "activities": [], "territories": ["WORLD"], "fields": ["mobile devices"],
             "exclusivity": "non_exclusive", "sublicensable": false,
             "starts_on": null, "ends_on": null, "royalty_bearing": true, "parent_grant": null},
            {"licensor": "Xiaomi Corporation", "licensee": "Nokia Corporation",
             "scope": {"kind": "patents", "patents": ["CN 105123456 A"]}, "activities": ["make", "use"]}],
 "assignments": [{"assignor": "Nokia Technologies Oy", "assignee": "Xiaomi Corporation",
                  "effective_on": "2017-07-05", "recorded_on": null, "office_ref": null,
                  "patents": ["DE 10 2015 000 001 B4"]}],
 "obligations": [{"kind": "payment", "title": "Running royalty", "due_on": "2018-01-31",
                  "recurrence": "yearly", "until": "2024-01-31", "amount": "1000000.00",
                  "currency": "EUR", "payer": "Xiaomi Corporation", "payee": "Nokia Corporation"}]}`), &body)
	if err != nil {
		panic(err)
	}
	return body
}

// item returns the i-th element of a list in a body map.
func agreementBodyItem(body map[string]any, list string, i int) map[string]any {
	return body[list].([]any)[i].(map[string]any)
}

// agreementCount is how many agreements are stored.
func (w *apiAgreementWorld) agreementCount(t *testing.T) int {
	t.Helper()
	list, _, err := w.app.db.Agreements(context.Background(), sqlite.AgreementFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// grantCount is how many grants are stored, in every agreement.
func (w *apiAgreementWorld) grantCount(t *testing.T) int {
	t.Helper()
	n := 0
	err := w.app.db.EachGrant(context.Background(), sqlite.AgreementFilter{}, func(*sqlite.GrantRow) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// lastAudit is the newest audit row.
func (w *apiAgreementWorld) lastAudit(t *testing.T) sqlite.AuditEntry {
	t.Helper()
	rows, err := w.app.db.RecentAudit(context.Background(), 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit: %v %v", rows, err)
	}
	return rows[0]
}

// wantAPIAudit checks that the newest audit rows include action, written
// through the API by the editor's token.
func (w *apiAgreementWorld) wantAPIAudit(t *testing.T, action string) {
	t.Helper()
	rows, err := w.app.db.RecentAudit(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Action == action {
			if r.Via != sqlite.ViaAPI || r.Actor != "ed@example.com" {
				t.Errorf("audit row %s via %q by %q, want via api by ed@example.com", action, r.Via, r.Actor)
			}
			return
		}
	}
	t.Errorf("no audit row %s among %+v", action, rows)
}

func TestAPIAgreementCreate(t *testing.T) {
	w := newAPIAgreementWorld(t)
	var got apiAgreement
	w.api.call(http.MethodPost, "/api/v1/agreements", contractAgreement("NOK-XIA-2017-B"), http.StatusCreated, &got)

	t.Run("AnswerHasIDsAndNames", func(t *testing.T) {
		if got.ID == 0 || len(got.Grants) != 2 || got.Grants[0].ID == 0 || got.Grants[1].ID == 0 ||
			len(got.Assignments) != 1 || got.Assignments[0].ID == 0 || len(got.Obligations) != 1 || got.Obligations[0].ID == 0 {
			t.Fatalf("ids missing: %+v", got)
		}
		g := got.Grants[0]
		if g.Licensor != "Nokia Corporation" || g.LicensorID != w.nokia.ID || g.Licensee != "Xiaomi Corporation" || g.LicenseeID != w.xiaomi.ID {
			t.Errorf("grant companies %+v", g)
		}
		if g.Scope.Kind != "portfolio" || *g.Scope.CaptureFrom != "2000-01-01" || !slices.Equal(g.Scope.Standards, []string{"3GPP LTE"}) ||
			g.Scope.Patents == nil || !slices.Equal(g.Territories, []string{"WORLD"}) || g.Activities == nil || g.StartsOn != nil {
			t.Errorf("grant scope and lists %+v", g)
		}
		if p := got.Grants[1].Scope.Patents; !slices.Equal(p, []string{"CN105123456A"}) {
			t.Errorf("scope patents %v, want the normalized number", p)
		}
		if as := got.Assignments[0]; !slices.Equal(as.Patents, []string{"DE102015000001B4"}) || as.RecordedOn != nil || as.OfficeRef != nil ||
			as.Assignor != "Nokia Technologies Oy" {
			t.Errorf("assignment %+v", as)
		}
		o := got.Obligations[0]
		if *o.Amount != "1000000.00" || *o.Currency != "EUR" || *o.Recurrence != "yearly" || *o.Payer != "Xiaomi Corporation" ||
			*o.PayeeID != w.nokia.ID || o.Status != "open" || o.Standing != "open" || o.Occurrences == nil {
			t.Errorf("obligation %+v", o)
		}
		if got.Status != "active" || *got.SignedOn != "2017-07-05" || got.NoticeDays != 180 || got.TerminatedOn != nil || got.Parent != nil {
			t.Errorf("agreement fields %+v", got)
		}
	})
	t.Run("GetAnswersTheSame", func(t *testing.T) {
		var again apiAgreement
		w.api.in(t).get(fmt.Sprintf("/api/v1/agreements/%d", got.ID), http.StatusOK, &again)
		if !reflect.DeepEqual(again, got) {
			t.Errorf("GET %+v\nPOST %+v", again, got)
		}
	})
	t.Run("AuditedAsAPI", func(t *testing.T) {
		for _, action := range []string{"agreement.create", "grant.create", "assignment.create", "obligation.create"} {
			w.wantAPIAudit(t, action)
		}
	})
	t.Run("SaleMovesTitle", func(t *testing.T) {
		p, err := w.app.db.Patent(context.Background(), w.lapsed.ID)
		if err != nil || p.OwnerID != w.xiaomi.ID {
			t.Errorf("owner of the sold patent: %v %v", p, err)
		}
	})
	t.Run("ReferencesByIDAliasAndNumber", func(t *testing.T) {
		body := map[string]any{"reference": "XIA-NOK-ALIAS", "title": "Licence", "kind": "License", "status": "draft",
			"parties": []any{map[string]any{"company": w.tech.ID, "role": "licensor"},
				map[string]any{"company": "Beijing Xiaomi Mobile Software", "role": "licensee"}},
			"grants": []any{map[string]any{"licensor": fmt.Sprint(w.tech.ID), "licensee": "Xiaomi Corporation",
				"scope": map[string]any{"kind": "patents", "patents": []any{w.lte.ID, "US-9123456-B2"}}}},
			"obligations": []any{map[string]any{"kind": "report", "title": "Sales report", "due_on": "2027-01-31", "amount": 2500.5, "currency": "usd"}}}
		var a apiAgreement
		w.api.in(t).call(http.MethodPost, "/api/v1/agreements", body, http.StatusCreated, &a)
		if a.Kind != "license" || a.Parties[0].Company != "Nokia Technologies Oy" || a.Parties[1].CompanyID != w.xiaomi.ID {
			t.Errorf("parties %+v kind %s", a.Parties, a.Kind)
		}
		if p := a.Grants[0].Scope.Patents; !slices.Equal(p, []string{"EP1234567B1", "US9123456B2"}) {
			t.Errorf("patents %v", p)
		}
		if o := a.Obligations[0]; *o.Amount != "2500.50" || *o.Currency != "USD" || o.Recurrence != nil || o.Payer != nil {
			t.Errorf("obligation %+v", o)
		}
	})
	t.Run("StatusDefaultsToDraft", func(t *testing.T) {
		var a apiAgreement
		w.api.in(t).call(http.MethodPost, "/api/v1/agreements", map[string]any{"reference": "DRAFT-1", "title": "Idea", "kind": "option"},
			http.StatusCreated, &a)
		if a.Status != "draft" || len(a.Parties) != 0 || a.Grants == nil || a.Assignments == nil || a.Obligations == nil {
			t.Errorf("draft %+v", a)
		}
	})
	t.Run("AmendmentNamesItsParent", func(t *testing.T) {
		var a apiAgreement
		w.api.in(t).call(http.MethodPost, "/api/v1/agreements", map[string]any{"reference": "NOK-XIA-2017-A1", "title": "First amendment",
			"kind": "cross_license", "parent": "nok-xia-2017"}, http.StatusCreated, &a)
		if a.Parent == nil || *a.Parent != refCross || *a.ParentID != w.crossLicence.ID {
			t.Errorf("parent %v %v", a.Parent, a.ParentID)
		}
	})
}

func TestAPIAgreementCreateRefusals(t *testing.T) {
	w := newAPIAgreementWorld(t)
	w.company(&licensing.Company{Name: "Nokia Solutions and Networks Oy", ShortName: "Nokia"})
	set := func(change func(b map[string]any)) map[string]any {
		b := contractAgreement("NOK-XIA-2017-C")
		change(b)
		return b
	}
	cases := []struct {
		name   string
		client *apiClient
		body   any
		status int
		code   string
		fields []string
	}{
		{"OneBadGrantCreatesNothing", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["licensee"] = "Nokla Oyj" }),
			422, "invalid", []string{"grants.1.licensee"}},
		{"EveryBadReferenceAtOnce", nil, set(func(b map[string]any) {
			agreementBodyItem(b, "parties", 0)["company"] = "Nokla"
			agreementBodyItem(b, "assignments", 0)["assignor"] = 999999
			agreementBodyItem(b, "obligations", 0)["payer"] = "Xiaomi Corp."
			agreementBodyItem(b, "assignments", 0)["patents"] = []any{"DE 10 2015 000 001 B4", "EP 9 999 999 B1"}
		}), 422, "invalid", []string{"parties.0.company", "assignments.0.assignor", "obligations.0.payer", "assignments.0.patents.1"}},
		{"AmbiguousShortName", nil, set(func(b map[string]any) { agreementBodyItem(b, "parties", 0)["company"] = "Nokia" }),
			422, "invalid", []string{"parties.0.company"}},
		{"StoreRuleInOneGrant", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["licensee"] = "Apple Inc." }),
			422, "invalid", []string{"grants.1.licensee"}},
		{"StoreRuleInScope", nil, set(func(b map[string]any) {
			agreementBodyItem(b, "grants", 0)["scope"].(map[string]any)["capture_to"] = "1999-12-31"
		}), 422, "invalid", []string{"grants.0.scope.capture_to"}},
		{"UnknownFamily", nil, set(func(b map[string]any) {
			agreementBodyItem(b, "grants", 1)["scope"] = map[string]any{"kind": "families", "families": []any{"F404"}}
		}), 422, "invalid", []string{"grants.1.scope.families"}},
		{"ScopeWithoutKind", nil, set(func(b map[string]any) { delete(agreementBodyItem(b, "grants", 0), "scope") }),
			422, "invalid", []string{"grants.0.scope.kind"}},
		{"ScopeListOfAnotherKind", nil, set(func(b map[string]any) {
			agreementBodyItem(b, "grants", 0)["scope"].(map[string]any)["patents"] = []any{"EP1234567B1"}
		}), 422, "invalid", []string{"grants.0.scope.patents"}},
		{"UnknownKind", nil, set(func(b map[string]any) { b["kind"] = "joint_venture" }), 422, "invalid", []string{"kind"}},
		{"UnknownStatus", nil, set(func(b map[string]any) { b["status"] = "signed" }), 422, "invalid", []string{"status"}},
		{"UnknownExclusivity", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 0)["exclusivity"] = "semi" }),
			422, "invalid", []string{"grants.0.exclusivity"}},
		{"UnknownActivity", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["activities"] = []any{"dance"} }),
			422, "invalid", []string{"grants.1.activities"}},
		{"UnknownRole", nil, set(func(b map[string]any) { agreementBodyItem(b, "parties", 1)["role"] = "spectator" }),
			422, "invalid", []string{"parties.1.role"}},
		{"UnknownRecurrence", nil, set(func(b map[string]any) { agreementBodyItem(b, "obligations", 0)["recurrence"] = "daily" }),
			422, "invalid", []string{"obligations.0.recurrence"}},
		{"DateThatIsNoDate", nil, set(func(b map[string]any) {
			b["signed_on"] = "2017-02-30"
			agreementBodyItem(b, "grants", 0)["ends_on"] = "05.07.2020"
		}), 422, "invalid", []string{"signed_on", "grants.0.ends_on"}},
		{"BadAmount", nil, set(func(b map[string]any) { agreementBodyItem(b, "obligations", 0)["amount"] = "one million" }),
			422, "invalid", []string{"obligations.0.amount"}},
		{"AmountWithoutCurrency", nil, set(func(b map[string]any) { delete(agreementBodyItem(b, "obligations", 0), "currency") }),
			422, "invalid", []string{"obligations.0.currency"}},
		{"WrongTypeInGrant", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["royalty_bearing"] = "yes" }),
			422, "invalid", []string{"grants.1.royalty_bearing"}},
		{"WrongTypeInScope", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 0)["scope"].(map[string]any)["tags"] = "lte" }),
			422, "invalid", []string{"grants.0.scope.tags"}},
		{"WrongTypeInAList", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 0)["territories"] = []any{"WORLD", 49} }),
			422, "invalid", []string{"grants.0.territories.1"}},
		{"PatentAsObject", nil, set(func(b map[string]any) {
			agreementBodyItem(b, "grants", 1)["scope"].(map[string]any)["patents"] = []any{"CN 105123456 A", map[string]any{"id": 1}}
		}), 422, "invalid", []string{"grants.1.scope.patents.1"}},
		{"CompanyAsObject", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 0)["licensor"] = map[string]any{"id": 1} }),
			422, "invalid", []string{"grants.0.licensor"}},
		{"UnknownFieldInGrant", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["colour"] = "blue" }),
			422, "invalid", []string{"grants.1.colour"}},
		{"UnknownFieldInScope", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 0)["scope"].(map[string]any)["kinds"] = "x" }),
			422, "invalid", []string{"grants.0.scope.kinds"}},
		{"UnknownTopField", nil, set(func(b map[string]any) { b["colour"] = "blue" }), 422, "invalid", []string{"colour"}},
		{"GrantsNotAList", nil, set(func(b map[string]any) { b["grants"] = map[string]any{} }), 422, "invalid", []string{"grants"}},
		{"TerminatedWithoutDate", nil, set(func(b map[string]any) { b["status"] = "terminated" }), 422, "invalid", []string{"terminated_on"}},
		{"MissingReferenceAndTitle", nil, set(func(b map[string]any) { delete(b, "reference"); delete(b, "title") }),
			422, "invalid", []string{"reference", "title"}},
		{"UnknownParent", nil, set(func(b map[string]any) { b["parent"] = "NOK-XIA-1999" }), 422, "invalid", []string{"parent"}},
		{"BadParentGrant", nil, set(func(b map[string]any) { agreementBodyItem(b, "grants", 1)["parent_grant"] = "first" }),
			422, "invalid", []string{"grants.1.parent_grant"}},
		{"DuplicateReference", nil, set(func(b map[string]any) { b["reference"] = refCross }), 409, "conflict", []string{"reference"}},
		{"NotJSON", nil, `{"reference": "X",`, 400, "invalid", nil},
		{"NotAnObject", nil, `["X"]`, 422, "invalid", nil},
		{"ViewerMayNotWrite", w.viewerAPI, contractAgreement("NOK-XIA-2017-C"), 403, "forbidden", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client := tc.client
			if client == nil {
				client = w.api
			}
			before, grants, audit := w.agreementCount(t), w.grantCount(t), w.lastAudit(t)
			client.in(t).wantError(http.MethodPost, "/api/v1/agreements", tc.body, tc.status, tc.code, tc.fields...)
			if n, g := w.agreementCount(t), w.grantCount(t); n != before || g != grants {
				t.Errorf("%d agreements and %d grants after the refusal, %d and %d before", n, g, before, grants)
			}
			if a := w.lastAudit(t); a.ID != audit.ID {
				t.Errorf("an audit row was written: %+v", a)
			}
		})
	}
	t.Run("AmbiguityListsCandidates", func(t *testing.T) {
		b := set(func(b map[string]any) { agreementBodyItem(b, "parties", 0)["company"] = "Nokia" })
		e := w.api.in(t).wantError(http.MethodPost, "/api/v1/agreements", b, 422, "invalid", "parties.0.company")
		if msg := e.Error.Fields["parties.0.company"]; !strings.Contains(msg, "Nokia Corporation") || !strings.Contains(msg, "Nokia Solutions and Networks Oy") {
			t.Errorf("message %q does not list the candidates", msg)
		}
	})
}

func TestAPIAgreementRead(t *testing.T) {
	w := newAPIAgreementWorld(t)
	t.Run("ByIDReferenceAnyCase", func(t *testing.T) {
		for _, ref := range []string{fmt.Sprint(w.crossLicence.ID), refCross, "nok-xia-2017", url.PathEscape(" NOK-XIA-2017")} {
			var a apiAgreement
			w.viewerAPI.in(t).get("/api/v1/agreements/"+ref, http.StatusOK, &a)
			if a.ID != w.crossLicence.ID {
				t.Errorf("%s: agreement %d", ref, a.ID)
			}
		}
	})
	t.Run("NestedAsPosted", func(t *testing.T) {
		var a map[string]any
		w.viewerAPI.in(t).get("/api/v1/agreements/"+refCross, http.StatusOK, &a)
		g := agreementBodyItem(a, "grants", 0)
		scope := g["scope"].(map[string]any)
		if scope["kind"] != "portfolio" || scope["capture_to"] != "2017-07-05" || g["licensee"] != "Xiaomi Corporation" ||
			g["parent_grant"] != nil || g["starts_on"] != nil {
			t.Errorf("grant %v", g)
		}
		as := agreementBodyItem(a, "assignments", 0)
		if fmt.Sprint(as["patents"]) != "[US9123456B2 EP1234567B1]" || as["office_ref"] != "EPO register 2017/31" {
			t.Errorf("assignment %v", as)
		}
		if o := agreementBodyItem(a, "obligations", 0); o["amount"] != "1000000.00" || o["until"] != "2024-01-31" {
			t.Errorf("obligation %v", o)
		}
		for _, key := range []string{"id", "reference", "title", "kind", "status", "signed_on", "effective_on", "expires_on",
			"terminated_on", "renewal_months", "notice_days", "governing_law", "summary", "parent", "parties"} {
			if _, ok := a[key]; !ok {
				t.Errorf("no %s in %v", key, a)
			}
		}
	})
	t.Run("ReferenceEscapedInThePath", func(t *testing.T) {
		for _, ref := range []string{"NOK/HMD 2016-A", "ROY-50%41"} {
			var a, again apiAgreement
			w.api.in(t).call(http.MethodPost, "/api/v1/agreements", map[string]any{"reference": ref, "title": "Side letter", "kind": "license"},
				http.StatusCreated, &a)
			w.viewerAPI.in(t).get("/api/v1/agreements/"+url.PathEscape(ref), http.StatusOK, &again)
			if again.ID != a.ID {
				t.Errorf("%s: found %d, want %d", ref, again.ID, a.ID)
			}
		}
	})
	t.Run("UnknownIs404", func(t *testing.T) {
		w.viewerAPI.in(t).wantError(http.MethodGet, "/api/v1/agreements/NOK-XIA-1999", nil, 404, "not_found")
		w.viewerAPI.in(t).wantError(http.MethodGet, "/api/v1/agreements/999999", nil, 404, "not_found")
	})
	t.Run("WithoutTokenIs401", func(t *testing.T) {
		anon := &apiClient{t: t, app: w.app}
		anon.wantError(http.MethodGet, "/api/v1/agreements/"+refCross, nil, 401, "unauthorized")
	})
}

// agreementListPage reads one page of the agreements list, with c bound
// to t.
func agreementListPage(t *testing.T, c *apiClient, query string) ([]string, *string, []apiAgreement) {
	t.Helper()
	var page struct {
		Items []apiAgreement `json:"items"`
		Next  *string        `json:"next"`
	}
	res := c.in(t).get("/api/v1/agreements?"+query, http.StatusOK, &page)
	if !strings.Contains(string(res.Body), `"next":`) || page.Items == nil {
		t.Fatalf("not a list page: %s", res.Body)
	}
	refs := make([]string, len(page.Items))
	for i, a := range page.Items {
		refs[i] = a.Reference
	}
	return refs, page.Next, page.Items
}

func TestAPIAgreementList(t *testing.T) {
	w := newAPIAgreementWorld(t)
	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"AllByReference", url.Values{}, []string{refApple, refHMD, refCross, refOption, refIKEA}},
		{"Kind", url.Values{"kind": {"license"}}, []string{refApple, refHMD}},
		{"Status", url.Values{"status": {"active"}}, []string{refHMD, refCross, refIKEA}},
		{"PartyByName", url.Values{"party": {"Nokia Corporation"}}, []string{refApple, refCross, refOption}},
		{"PartyByID", url.Values{"party": {fmt.Sprint(w.tech.ID)}}, []string{refHMD}},
		{"PartyWithAffiliates", url.Values{"party": {"Nokia Corporation"}, "affiliates": {"true"}}, []string{refApple, refHMD, refCross, refOption}},
		{"InForceOn", url.Values{"in_force_on": {"2020-02-01"}}, []string{refHMD, refCross, refIKEA}},
		{"ExpiresBefore", url.Values{"expires_before": {"2028-01-01"}}, []string{refApple, refCross}},
		{"FullText", url.Values{"q": {"cellular"}}, []string{refCross}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, next, _ := agreementListPage(t, w.viewerAPI, tc.query.Encode())
			if !slices.Equal(got, tc.want) || next != nil {
				t.Errorf("items %v next %v, want %v and no next", got, next, tc.want)
			}
		})
	}
	t.Run("ItemsNestedAsOne", func(t *testing.T) {
		_, _, items := agreementListPage(t, w.viewerAPI, "q=cellular")
		var one apiAgreement
		w.viewerAPI.in(t).get("/api/v1/agreements/"+refCross, http.StatusOK, &one)
		if !reflect.DeepEqual(items[0], one) {
			t.Errorf("list item %+v\none %+v", items[0], one)
		}
	})
	refusals := []struct {
		name, query, field string
	}{
		{"UnknownKind", "kind=joint_venture", "kind"},
		{"UnknownParty", "party=Nokla", "party"},
		{"BadDate", "in_force_on=2020-02-30", "in_force_on"},
		{"BadFlag", "affiliates=maybe", "affiliates"},
		{"LimitTooLarge", "limit=1001", "limit"},
		{"LimitZero", "limit=0", "limit"},
		{"UnknownParameter", "stauts=active", "stauts"},
		{"AffiliatesWithoutParty", "affiliates=true", "affiliates"},
		{"CursorOfAnotherList", "cursor=" + encodeAPICursor("companies", "Nokia Corporation"), "cursor"},
		{"CursorThatIsNone", "cursor=garbage", "cursor"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			w.viewerAPI.in(t).wantError(http.MethodGet, "/api/v1/agreements?"+tc.query, nil, 422, "invalid", tc.field)
		})
	}
	t.Run("CursorOfOtherFilters", func(t *testing.T) {
		_, next, _ := agreementListPage(t, w.viewerAPI, "status=active&limit=1")
		w.viewerAPI.in(t).wantError(http.MethodGet, "/api/v1/agreements?status=draft&limit=1&cursor="+url.QueryEscape(*next), nil,
			422, "invalid", "cursor")
		agreementListPage(t, w.viewerAPI, "status=active&limit=5&cursor="+url.QueryEscape(*next))
	})
	t.Run("PagesWalkTheList", func(t *testing.T) {
		var all []string
		query := "limit=2"
		for range 5 {
			refs, next, _ := agreementListPage(t, w.viewerAPI, query)
			all = append(all, refs...)
			if next == nil {
				break
			}
			query = "limit=2&cursor=" + url.QueryEscape(*next)
		}
		if want := []string{refApple, refHMD, refCross, refOption, refIKEA}; !slices.Equal(all, want) {
			t.Errorf("pages gave %v, want %v", all, want)
		}
	})
	t.Run("PageStableWhenRowsInsertedBefore", func(t *testing.T) {
		_, next, _ := agreementListPage(t, w.viewerAPI, "limit=2")
		second, _, _ := agreementListPage(t, w.viewerAPI, "limit=2&cursor="+url.QueryEscape(*next))
		w.api.in(t).call(http.MethodPost, "/api/v1/agreements", map[string]any{"reference": "AAA-2026", "title": "First by name", "kind": "option"},
			http.StatusCreated, nil)
		again, _, _ := agreementListPage(t, w.viewerAPI, "limit=2&cursor="+url.QueryEscape(*next))
		if !slices.Equal(second, again) || !slices.Equal(second, []string{refCross, refOption}) {
			t.Errorf("second page %v before the insert, %v after", second, again)
		}
	})
}

func TestAPIAgreementUpdate(t *testing.T) {
	w := newAPIAgreementWorld(t)
	path := func(a *licensing.Agreement) string { return fmt.Sprintf("/api/v1/agreements/%d", a.ID) }
	read := func(t *testing.T, p string) apiAgreement {
		var a apiAgreement
		w.api.in(t).get(p, http.StatusOK, &a)
		return a
	}
	t.Run("ContractExample", func(t *testing.T) {
		before := read(t, "/api/v1/agreements/"+refCross)
		var a apiAgreement
		w.api.in(t).call(http.MethodPatch, "/api/v1/agreements/"+refCross, map[string]any{"status": "terminated", "terminated_on": "2020-01-31"},
			http.StatusOK, &a)
		if a.Status != "terminated" || *a.TerminatedOn != "2020-01-31" {
			t.Errorf("status %s terminated_on %v", a.Status, a.TerminatedOn)
		}
		before.Status, before.TerminatedOn = a.Status, a.TerminatedOn
		if !reflect.DeepEqual(a, before) {
			t.Errorf("more changed than asked:\n%+v\n%+v", a, before)
		}
		w.wantAPIAudit(t, "agreement.update")
	})
	t.Run("NullClearsAndOthersStay", func(t *testing.T) {
		before := read(t, path(w.hmdLicence))
		var a apiAgreement
		w.api.in(t).call(http.MethodPatch, path(w.hmdLicence), map[string]any{"expires_on": nil, "title": "Brand licence", "governing_law": "Finland",
			"renewal_months": 0}, http.StatusOK, &a)
		if a.ExpiresOn != nil || a.Title != "Brand licence" || *a.GoverningLaw != "Finland" {
			t.Errorf("after the change %+v", a)
		}
		before.ExpiresOn, before.Title, before.GoverningLaw = nil, a.Title, a.GoverningLaw
		if !reflect.DeepEqual(a, before) {
			t.Errorf("more changed than asked:\n%+v\n%+v", a, before)
		}
	})
	t.Run("PartiesReplaced", func(t *testing.T) {
		var a apiAgreement
		w.api.in(t).call(http.MethodPatch, path(w.hmdLicence), map[string]any{"parties": []any{
			map[string]any{"company": "Nokia Technologies Oy", "role": "licensor"},
			map[string]any{"company": w.hmd.ID, "role": "licensee"},
			map[string]any{"company": "Apple Inc.", "role": "guarantor"}}}, http.StatusOK, &a)
		if len(a.Parties) != 3 || a.Parties[2].Company != "Apple Inc." || a.Parties[2].Role != "guarantor" {
			t.Errorf("parties %+v", a.Parties)
		}
	})
	t.Run("RenewalAndParent", func(t *testing.T) {
		var a apiAgreement
		w.api.in(t).call(http.MethodPatch, path(w.option), map[string]any{"parent": refCross, "notice_days": 30, "expires_on": "2027-12-31",
			"renewal_months": 12, "summary": "Options on IoT patents"}, http.StatusOK, &a)
		if a.ParentID == nil || *a.ParentID != w.crossLicence.ID || a.RenewalMonths != 12 || a.NoticeDays != 30 || *a.Summary != "Options on IoT patents" {
			t.Errorf("after the change %+v", a)
		}
		w.api.in(t).call(http.MethodPatch, path(w.option), map[string]any{"parent": nil}, http.StatusOK, &a)
		if a.Parent != nil || a.ParentID != nil {
			t.Errorf("parent not cleared: %v %v", a.Parent, a.ParentID)
		}
	})
	refusals := []struct {
		name   string
		client *apiClient
		target string
		body   any
		status int
		code   string
		fields []string
	}{
		{"GrantsAreNoTopLevelField", nil, refIKEA, map[string]any{"grants": []any{}, "title": "x"}, 422, "invalid", []string{"grants"}},
		{"ObligationsAreNoTopLevelField", nil, refIKEA, map[string]any{"obligations": nil}, 422, "invalid", []string{"obligations"}},
		{"TerminationIsFinal", nil, refApple, map[string]any{"status": "active", "terminated_on": nil}, 422, "invalid", []string{"status"}},
		{"TerminatedOnlyWithTermination", nil, refIKEA, map[string]any{"terminated_on": "2025-01-01"}, 422, "invalid", []string{"terminated_on"}},
		{"TerminationNeedsDate", nil, refIKEA, map[string]any{"status": "terminated"}, 422, "invalid", []string{"terminated_on"}},
		{"DraftCannotExpire", nil, refOption, map[string]any{"status": "expired"}, 422, "invalid", []string{"status"}},
		{"DateThatIsNoDate", nil, refIKEA, map[string]any{"expires_on": "2030-13-01"}, 422, "invalid", []string{"expires_on"}},
		{"WrongType", nil, refIKEA, map[string]any{"notice_days": "thirty"}, 422, "invalid", []string{"notice_days"}},
		{"UnknownField", nil, refIKEA, map[string]any{"colour": "red"}, 422, "invalid", []string{"colour"}},
		{"IDIsNotChangeable", nil, refIKEA, map[string]any{"id": 12}, 422, "invalid", []string{"id"}},
		{"RequiredCleared", nil, refIKEA, map[string]any{"title": nil}, 422, "invalid", []string{"title"}},
		{"PartyNamedByGrantStays", nil, refCross, map[string]any{"parties": []any{map[string]any{"company": "Nokia Corporation"}}},
			422, "invalid", []string{"parties"}},
		{"UnknownPartyCompany", nil, refIKEA, map[string]any{"parties": []any{map[string]any{"company": "IKEA"}}},
			422, "invalid", []string{"parties.0.company"}},
		{"ReferenceTaken", nil, refIKEA, map[string]any{"reference": refHMD}, 409, "conflict", []string{"reference"}},
		{"UnknownAgreement", nil, "NOK-XIA-1999", map[string]any{"title": "x"}, 404, "not_found", nil},
		{"NotJSON", nil, refIKEA, "status=terminated", 400, "invalid", nil},
		{"ViewerMayNotWrite", w.viewerAPI, refIKEA, map[string]any{"title": "x"}, 403, "forbidden", nil},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			client := tc.client
			if client == nil {
				client = w.api
			}
			target := "/api/v1/agreements/" + tc.target
			var before apiAgreement
			if tc.status != 404 {
				before = read(t, target)
			}
			audit := w.lastAudit(t)
			client.in(t).wantError(http.MethodPatch, target, tc.body, tc.status, tc.code, tc.fields...)
			if tc.status != 404 {
				if after := read(t, target); !reflect.DeepEqual(after, before) {
					t.Errorf("the refusal changed the agreement:\n%+v\n%+v", after, before)
				}
			}
			if a := w.lastAudit(t); a.ID != audit.ID {
				t.Errorf("an audit row was written: %+v", a)
			}
		})
	}
}

func TestAPIAgreementDelete(t *testing.T) {
	w := newAPIAgreementWorld(t)
	var draft apiAgreement
	w.api.call(http.MethodPost, "/api/v1/agreements", map[string]any{"reference": "DRAFT-DEL", "title": "Idea", "kind": "option",
		"parties": []any{map[string]any{"company": "Nokia Corporation"}}}, http.StatusCreated, &draft)
	w.viewerAPI.wantError(http.MethodDelete, "/api/v1/agreements/DRAFT-DEL", nil, 403, "forbidden")
	w.api.wantError(http.MethodDelete, "/api/v1/agreements/"+refCross, nil, 409, "conflict")
	res := w.api.do(http.MethodDelete, "/api/v1/agreements/DRAFT-DEL", nil)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
	}
	w.wantAPIAudit(t, "agreement.delete")
	w.api.wantError(http.MethodGet, fmt.Sprintf("/api/v1/agreements/%d", draft.ID), nil, 404, "not_found")
	w.api.wantError(http.MethodDelete, "/api/v1/agreements/DRAFT-DEL", nil, 404, "not_found")
}

func TestAPIAgreementParts(t *testing.T) {
	w := newAPIAgreementWorld(t)
	hmd := "/api/v1/agreements/" + refHMD
	var g apiGrant
	t.Run("GrantCreate", func(t *testing.T) {
		w.api.in(t).call(http.MethodPost, hmd+"/grants", map[string]any{"licensor": "Nokia Technologies Oy", "licensee": "HMD Global Oy",
			"scope": map[string]any{"kind": "patents", "patents": []any{"EP 1 234 567 B1"}}, "territories": []any{"fi", "DE"},
			"exclusivity": "sole", "fields": []any{"mobile devices"}}, http.StatusCreated, &g)
		if g.ID == 0 || g.Exclusivity != "sole" || !slices.Equal(g.Territories, []string{"FI", "DE"}) ||
			!slices.Equal(g.Scope.Patents, []string{"EP1234567B1"}) {
			t.Errorf("grant %+v", g)
		}
		w.wantAPIAudit(t, "grant.create")
		var a apiAgreement
		w.api.in(t).get(hmd, http.StatusOK, &a)
		if len(a.Grants) != 1 || a.Grants[0].ID != g.ID {
			t.Errorf("agreement grants %+v", a.Grants)
		}
	})
	t.Run("GrantReadAndPatch", func(t *testing.T) {
		var again apiGrant
		w.viewerAPI.in(t).get(fmt.Sprintf("%s/grants/%d", hmd, g.ID), http.StatusOK, &again)
		if !reflect.DeepEqual(again, g) {
			t.Errorf("GET %+v, POST %+v", again, g)
		}
		var changed apiGrant
		w.api.in(t).call(http.MethodPatch, fmt.Sprintf("%s/grants/%d", hmd, g.ID), map[string]any{"ends_on": "2025-12-31",
			"scope": map[string]any{"kind": "portfolio", "tags": []any{"cellular"}}}, http.StatusOK, &changed)
		if *changed.EndsOn != "2025-12-31" || changed.Scope.Kind != "portfolio" || len(changed.Scope.Patents) != 0 ||
			changed.Exclusivity != "sole" || !slices.Equal(changed.Fields, []string{"mobile devices"}) {
			t.Errorf("changed grant %+v", changed)
		}
		w.wantAPIAudit(t, "grant.update")
	})
	t.Run("GrantRefusals", func(t *testing.T) {
		p := fmt.Sprintf("%s/grants/%d", hmd, g.ID)
		w.api.in(t).wantError(http.MethodPatch, p, map[string]any{"scope": map[string]any{"kind": "families", "families": []any{"F404"}}},
			422, "invalid", "scope.families")
		w.api.in(t).wantError(http.MethodPatch, p, map[string]any{"licensee": "Apple Inc."}, 422, "invalid", "licensee")
		w.api.in(t).wantError(http.MethodPatch, p, map[string]any{"parent_grant": 999999}, 422, "invalid", "parent_grant")
		w.api.in(t).wantError(http.MethodPost, hmd+"/grants", map[string]any{"licensor": "Nokia Technologies Oy", "licensee": "HMD Global Oy"},
			422, "invalid", "scope.kind")
		w.viewerAPI.in(t).wantError(http.MethodPatch, p, map[string]any{"sublicensable": true}, 403, "forbidden")
		// A grant of another agreement is not found under this one.
		w.api.in(t).wantError(http.MethodGet, fmt.Sprintf("/api/v1/agreements/%s/grants/%d", refApple, g.ID), nil, 404, "not_found")
		w.api.in(t).wantError(http.MethodGet, hmd+"/grants/abc", nil, 404, "not_found")
	})
	t.Run("SublicenceKeepsItsParent", func(t *testing.T) {
		parent := fmt.Sprintf("%s/grants/%d", hmd, g.ID)
		w.api.in(t).call(http.MethodPatch, parent, map[string]any{"sublicensable": true}, http.StatusOK, nil)
		var sub apiGrant
		w.api.in(t).call(http.MethodPost, hmd+"/grants", map[string]any{"licensor": "HMD Global Oy", "licensee": "Apple Inc.", "parent_grant": g.ID,
			"scope": map[string]any{"kind": "patents", "patents": []any{"EP1234567B1"}}}, http.StatusCreated, &sub)
		if sub.ParentGrant == nil || *sub.ParentGrant != g.ID {
			t.Errorf("sublicence %+v", sub)
		}
		w.api.in(t).wantError(http.MethodDelete, parent, nil, 409, "conflict")
		w.api.in(t).wantError(http.MethodPatch, parent, map[string]any{"sublicensable": false}, 422, "invalid", "sublicensable")
		w.api.in(t).wantError(http.MethodPost, hmd+"/grants", `{"licensor": "HMD Global Oy",`, 400, "invalid")
		res := w.api.in(t).do(http.MethodDelete, fmt.Sprintf("%s/grants/%d", hmd, sub.ID), nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
		}
	})
	t.Run("GrantDelete", func(t *testing.T) {
		res := w.api.in(t).do(http.MethodDelete, fmt.Sprintf("%s/grants/%d", hmd, g.ID), nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
		}
		w.api.in(t).wantError(http.MethodGet, fmt.Sprintf("%s/grants/%d", hmd, g.ID), nil, 404, "not_found")
	})
	t.Run("Assignments", func(t *testing.T) {
		var as apiAssignment
		w.api.in(t).call(http.MethodPost, hmd+"/assignments", map[string]any{"assignor": "Nokia Technologies Oy", "assignee": "HMD Global Oy",
			"effective_on": "2018-01-01", "patents": []any{"DE 10 2015 000 001 B4"}}, http.StatusCreated, &as)
		if as.ID == 0 || as.Assignee != "HMD Global Oy" || !slices.Equal(as.Patents, []string{"DE102015000001B4"}) {
			t.Errorf("assignment %+v", as)
		}
		var changed apiAssignment
		w.api.in(t).call(http.MethodPatch, fmt.Sprintf("%s/assignments/%d", hmd, as.ID), map[string]any{"recorded_on": "2018-02-01",
			"office_ref": "DPMA 2018/7"}, http.StatusOK, &changed)
		if *changed.RecordedOn != "2018-02-01" || *changed.OfficeRef != "DPMA 2018/7" || !slices.Equal(changed.Patents, as.Patents) {
			t.Errorf("changed %+v", changed)
		}
		w.api.in(t).wantError(http.MethodPatch, fmt.Sprintf("%s/assignments/%d", hmd, as.ID), map[string]any{"recorded_on": "2017-01-01"},
			422, "invalid", "recorded_on")
		w.api.in(t).wantError(http.MethodPost, hmd+"/assignments", map[string]any{"assignor": "Nokia Technologies Oy", "assignee": "HMD Global Oy",
			"effective_on": "2018-01-01", "patents": []any{"XX 1"}}, 422, "invalid", "patents.0")
		res := w.api.in(t).do(http.MethodDelete, fmt.Sprintf("%s/assignments/%d", hmd, as.ID), nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
		}
	})
	t.Run("ObligationsAndOccurrences", func(t *testing.T) {
		cross := "/api/v1/agreements/" + refCross
		var a apiAgreement
		w.api.in(t).get(cross, http.StatusOK, &a)
		royalty := fmt.Sprintf("%s/obligations/%d", cross, a.Obligations[0].ID)
		var o apiObligation
		w.api.in(t).call(http.MethodPost, royalty+"/occurrences", map[string]any{"due_on": "2019-01-31", "status": "done", "done_on": "2019-01-30"},
			http.StatusOK, &o)
		if len(o.Occurrences) != 1 || o.Occurrences[0].Status != "done" || *o.Occurrences[0].DoneOn != "2019-01-30" ||
			*o.Occurrences[0].DoneBy != "ed@example.com" {
			t.Errorf("occurrences %+v", o.Occurrences)
		}
		w.wantAPIAudit(t, "obligation.occurrence")
		w.api.in(t).wantError(http.MethodPost, royalty+"/occurrences", map[string]any{"due_on": "2019-02-28", "status": "done"}, 422, "invalid", "due_on")
		w.api.in(t).wantError(http.MethodPost, royalty+"/occurrences", map[string]any{"status": "done"}, 422, "invalid", "due_on")
		var changed apiObligation
		w.api.in(t).call(http.MethodPatch, royalty, map[string]any{"amount": "1.250.000,00", "title": "Royalty"}, http.StatusOK, &changed)
		if *changed.Amount != "1250000.00" || changed.Title != "Royalty" || *changed.Recurrence != "yearly" || len(changed.Occurrences) != 1 {
			t.Errorf("changed %+v", changed)
		}
		w.api.in(t).wantError(http.MethodPatch, royalty, map[string]any{"due_on": "2019-02-28"}, 422, "invalid", "due_on")
		var added apiObligation
		w.api.in(t).call(http.MethodPost, cross+"/obligations", map[string]any{"kind": "notice", "title": "Notice of renewal", "due_on": "2024-01-06"},
			http.StatusCreated, &added)
		if added.ID == 0 || added.Amount != nil || added.Status != "open" {
			t.Errorf("added %+v", added)
		}
		var met apiObligation
		w.api.in(t).call(http.MethodPost, fmt.Sprintf("%s/obligations/%d/occurrences", cross, added.ID), map[string]any{"due_on": "2024-01-06",
			"status": "done"}, http.StatusOK, &met)
		if met.Status != "open" || met.Standing != "done" || *met.Occurrences[0].DoneOn != "2026-11-21" {
			t.Errorf("met once: status %s standing %s occurrences %+v", met.Status, met.Standing, met.Occurrences)
		}
		w.api.in(t).wantError(http.MethodPost, cross+"/obligations", map[string]any{"kind": "bribe", "title": "x", "due_on": "2024-01-06"},
			422, "invalid", "kind")
		res := w.api.in(t).do(http.MethodDelete, fmt.Sprintf("%s/obligations/%d", cross, added.ID), nil)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
		}
	})
}
