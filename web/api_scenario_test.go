package web

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// TestAPIScenarioNokiaXiaomi builds the Nokia–Xiaomi world of 2017 from
// nothing, through the JSON API alone and in the shapes CONTRACT.md gives,
// then asks it the rights questions of the rights engine's issue.
func TestAPIScenarioNokiaXiaomi(t *testing.T) {
	app := newTestApp(t)
	api := app.apiClient("licensing@example.com", auth.RoleEditor)
	post := func(path string, body map[string]any) map[string]any {
		t.Helper()
		var out map[string]any
		api.call(http.MethodPost, path, body, http.StatusCreated, &out)
		if id, ok := out["id"].(float64); !ok || id <= 0 {
			t.Fatalf("POST %s answered without an id: %v", path, out)
		}
		return out
	}

	// The groups, each child named by its parent's legal name.
	for _, c := range []map[string]any{
		{"name": "Nokia Corporation", "short_name": "Nokia", "country": "FI", "aliases": []string{"Nokia Oyj"}},
		{"name": "Nokia Technologies Oy", "country": "FI", "parent": "Nokia Corporation", "control_from": "2014-04-25"},
		{"name": "Xiaomi Corporation", "short_name": "Xiaomi", "country": "CN"},
		{"name": "Xiaomi Communications Co., Ltd.", "country": "CN", "parent": "Xiaomi Corporation"},
		{"name": "Apple Inc.", "country": "US"},
		{"name": "HMD Global Oy", "country": "FI"},
	} {
		post("/api/v1/companies", c)
	}

	// Nokia Technologies' LTE patents, in the notations a lawyer pastes.
	lte := func(number, title, priority, filed, granted string, tags ...string) map[string]any {
		return map[string]any{"number": number, "title": title, "office": "EP", "owner": "Nokia Technologies Oy",
			"priority_on": priority, "filed_on": filed, "granted_on": granted, "status": "granted",
			"tags": tags, "standards": []string{"3GPP LTE"}, "sep": true, "designated_states": []string{"DE", "FR", "GB", "FI"}}
	}
	for _, p := range []map[string]any{
		lte("EP 3 158 812 B1", "Uplink power control for dual connectivity", "2014-06-18", "2015-06-16", "2019-02-13", "cellular"),
		lte("EP 3 335 492 B1", "Random access for narrowband internet-of-things devices", "2015-08-14", "2016-08-12", "2021-01-06", "cellular", "iot"),
		lte("EP3100511B1", "Semi-persistent scheduling with reduced signalling", "2014-01-29", "2015-01-28", "2017-06-14", "cellular"),
	} {
		out := post("/api/v1/patents", p)
		if out["expires_on"] != licensing.MustDate(p["filed_on"].(string)).AddYears(20).String() {
			t.Fatalf("patent %v: expires_on %v, want twenty years after filing", p["number"], out["expires_on"])
		}
	}

	mobile := []string{"make", "use", "sell", "offer_to_sell", "import"}
	post("/api/v1/agreements", map[string]any{
		"reference": "NOK-XIA-2017", "title": "Nokia–Xiaomi patent cross-licence, cellular", "kind": "cross_license",
		"status": "active", "signed_on": "2017-07-05", "effective_on": "2017-07-05", "expires_on": "2024-07-04", "notice_days": 180,
		"parties": []map[string]any{{"company": "Nokia Corporation", "role": "party"}, {"company": "Xiaomi Corporation", "role": "party"}},
		"grants": []map[string]any{{"licensor": "Nokia Corporation", "licensee": "Xiaomi Corporation",
			"licensee_affiliates": true, "licensor_affiliates": true,
			"scope":      map[string]any{"kind": "portfolio", "capture_from": "2000-01-01", "capture_to": "2017-07-05", "standards": []string{"3GPP LTE"}},
			"activities": mobile, "territories": []string{"WORLD"}, "fields": []string{"mobile devices"},
			"exclusivity": "non_exclusive", "sublicensable": false, "starts_on": nil, "ends_on": nil, "royalty_bearing": true, "parent_grant": nil}},
		"obligations": []map[string]any{{"kind": "payment", "title": "Running royalty", "due_on": "2018-01-31", "recurrence": "yearly",
			"until": "2024-01-31", "amount": "12500000.00", "currency": "EUR", "payer": "Xiaomi Corporation", "payee": "Nokia Corporation"}},
	})
	post("/api/v1/agreements", map[string]any{
		"reference": "NOK-XIA-PSA-2017", "title": "Xiaomi purchase of Nokia patents", "kind": "assignment", "status": "active",
		"signed_on": "2017-07-05", "effective_on": "2017-07-05",
		"parties": []map[string]any{{"company": "Nokia Technologies Oy", "role": "assignor"}, {"company": "Xiaomi Corporation", "role": "assignee"}},
		"assignments": []map[string]any{{"assignor": "Nokia Technologies Oy", "assignee": "Xiaomi Corporation",
			"effective_on": "2017-07-05", "recorded_on": "2017-09-12", "office_ref": nil, "patents": []string{"EP 3 100 511 B1"}}},
	})
	post("/api/v1/agreements", map[string]any{
		"reference": "NOK-APL-2017", "title": "Nokia–Apple patent licence and settlement", "kind": "license", "status": "active",
		"signed_on": "2017-05-23", "effective_on": "2017-05-23", "expires_on": "2023-06-30",
		"parties": []map[string]any{{"company": "Nokia Corporation", "role": "licensor"}, {"company": "Apple Inc.", "role": "licensee"}},
		"grants": []map[string]any{{"licensor": "Nokia Corporation", "licensee": "Apple Inc.", "licensor_affiliates": true, "licensee_affiliates": true,
			"scope":       map[string]any{"kind": "portfolio", "capture_to": "2017-05-23", "standards": []string{"3GPP LTE"}},
			"exclusivity": "non_exclusive", "royalty_bearing": true}},
	})
	post("/api/v1/agreements", map[string]any{
		"reference": "NOK-HMD-2016", "title": "Nokia brand and patent licence to HMD Global", "kind": "license", "status": "active",
		"signed_on": "2016-05-18", "effective_on": "2016-12-01", "expires_on": "2027-09-30", "renewal_months": 24, "notice_days": 90,
		"parties": []map[string]any{{"company": "Nokia Technologies Oy", "role": "licensor"}, {"company": "HMD Global Oy", "role": "licensee"}},
		"grants": []map[string]any{{"licensor": "Nokia Technologies Oy", "licensee": "HMD Global Oy", "licensor_affiliates": true,
			"scope":       map[string]any{"kind": "portfolio", "tags": []string{"cellular"}},
			"territories": []string{"WORLD"}, "fields": []string{"mobile devices"}, "exclusivity": "non_exclusive", "royalty_bearing": true}},
	})
	// The cross-licence has run its course.
	api.call(http.MethodPatch, "/api/v1/agreements/NOK-XIA-2017", map[string]any{"status": "expired"}, http.StatusOK, nil)

	type basis struct {
		Kind, Agreement, Licensor, Licensee, Holder, Through string
		Until                                                *string
	}
	type nearMiss struct{ Agreement, Failed, Reason string }
	type verdict struct {
		Verdict    string
		Company    string
		Patent     string
		On         string
		Territory  string
		Bases      []basis
		NearMisses []nearMiss `json:"near_misses"`
		Misses     []struct {
			Agreement string
			Failures  []struct{ Failed string }
		}
		Reasons []string
	}
	ask := func(params url.Values) verdict {
		t.Helper()
		var v verdict
		api.get("/api/v1/rights/check?"+params.Encode(), http.StatusOK, &v)
		if len(v.Reasons) == 0 {
			t.Errorf("%v: a verdict without reasons", params)
		}
		return v
	}
	licence := func(v verdict, ref string) *basis {
		for i, b := range v.Bases {
			if b.Kind == "license" && b.Agreement == ref {
				return &v.Bases[i]
			}
		}
		return nil
	}

	t.Run("TitleFollowsTheSale", func(t *testing.T) {
		var title struct {
			Chain []struct {
				Owner string
				From  string
				Via   *string
			}
		}
		api.in(t).get("/api/v1/patents/"+url.PathEscape("EP 3100511 B1")+"/title", http.StatusOK, &title)
		if len(title.Chain) != 2 || title.Chain[1].Owner != "Xiaomi Corporation" || title.Chain[1].From != "2017-07-05" ||
			title.Chain[1].Via == nil || *title.Chain[1].Via != "NOK-XIA-PSA-2017" {
			t.Fatalf("chain of title %+v, want Nokia Technologies Oy, then Xiaomi Corporation from 2017-07-05 via NOK-XIA-PSA-2017", title.Chain)
		}
		var p map[string]any
		api.in(t).get("/api/v1/patents/EP3100511B1", http.StatusOK, &p)
		if p["owner"] != "Xiaomi Corporation" {
			t.Fatalf("owner today %v, want Xiaomi Corporation", p["owner"])
		}
	})

	t.Run("SmartPlugInGermany2025", func(t *testing.T) {
		v := ask(url.Values{"company": {"Xiaomi Communications Co., Ltd."}, "patent": {"EP 3 335 492 B1"}, "on": {"2025-06-01"},
			"territory": {"DE"}, "activity": {"sell"}, "field": {"smart home"}})
		if v.Verdict != "not_covered" {
			t.Fatalf("verdict %s, want not_covered", v.Verdict)
		}
		i := slices.IndexFunc(v.Misses, func(m struct {
			Agreement string
			Failures  []struct{ Failed string }
		}) bool {
			return m.Agreement == "NOK-XIA-2017"
		})
		if i < 0 {
			t.Fatalf("the cross-licence is not among the grants considered: %+v", v)
		}
		var failed []string
		for _, f := range v.Misses[i].Failures {
			failed = append(failed, f.Failed)
		}
		if !slices.Contains(failed, "date") || !slices.Contains(failed, "field") {
			t.Errorf("the cross-licence fails on %v, want date and field", failed)
		}
		v = ask(url.Values{"company": {"Xiaomi Communications Co., Ltd."}, "patent": {"EP3335492B1"}, "on": {"2021-06-01"},
			"territory": {"DE"}, "activity": {"sell"}, "field": {"mobile devices"}})
		b := licence(v, "NOK-XIA-2017")
		if v.Verdict != "covered" || b == nil {
			t.Fatalf("2021: verdict %s, bases %+v; want covered by NOK-XIA-2017", v.Verdict, v.Bases)
		}
		if b.Through != "Xiaomi Corporation" || b.Holder != "Nokia Technologies Oy" || b.Until == nil || *b.Until != "2024-07-04" {
			t.Errorf("basis %+v: want through Xiaomi Corporation, held by Nokia Technologies Oy, until 2024-07-04", *b)
		}
	})

	t.Run("PatentSoldToXiaomiLicensedToApple", func(t *testing.T) {
		v := ask(url.Values{"company": {"Apple Inc."}, "patent": {"EP3100511B1"}, "on": {"2020-06-01"}, "territory": {"DE"}})
		b := licence(v, "NOK-APL-2017")
		if v.Verdict != "covered" || b == nil || b.Holder != "Xiaomi Corporation" {
			t.Fatalf("2020: verdict %s, bases %+v; want covered by NOK-APL-2017 on a patent Xiaomi holds", v.Verdict, v.Bases)
		}
		v = ask(url.Values{"company": {"Apple Inc."}, "patent": {"EP3100511B1"}, "territory": {"DE"}})
		if v.Verdict != "not_covered" || v.On != "2026-11-21" {
			t.Fatalf("today: verdict %s on %s, want not_covered on 2026-11-21", v.Verdict, v.On)
		}
		if !slices.ContainsFunc(v.NearMisses, func(n nearMiss) bool { return n.Agreement == "NOK-APL-2017" && n.Failed == "date" }) {
			t.Errorf("near misses %+v, want NOK-APL-2017 failing on its date", v.NearMisses)
		}
	})

	t.Run("HMDAfterItsLicenceEnds", func(t *testing.T) {
		q := url.Values{"company": {"HMD Global Oy"}, "patent": {"EP3158812B1"}, "territory": {"DE"}, "field": {"mobile devices"}}
		if v := ask(q); v.Verdict != "covered" || licence(v, "NOK-HMD-2016") == nil {
			t.Fatalf("today: verdict %s, bases %+v; want covered by the renewing NOK-HMD-2016", v.Verdict, v.Bases)
		}
		api.in(t).call(http.MethodPatch, "/api/v1/agreements/NOK-HMD-2016", map[string]any{"status": "terminated", "terminated_on": "2027-09-30"},
			http.StatusOK, nil)
		q.Set("on", "2027-09-30")
		if v := ask(q); v.Verdict != "covered" {
			t.Errorf("on the termination date: verdict %s, want covered", v.Verdict)
		}
		q.Set("on", "2027-10-01")
		v := ask(q)
		if v.Verdict != "not_covered" || !slices.ContainsFunc(v.NearMisses, func(n nearMiss) bool {
			return n.Agreement == "NOK-HMD-2016" && n.Failed == "date"
		}) {
			t.Errorf("the day after: verdict %s, near misses %+v; want not_covered, NOK-HMD-2016 failing on its date", v.Verdict, v.NearMisses)
		}
	})
}
