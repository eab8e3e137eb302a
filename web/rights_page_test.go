package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// rightsWorld adds licences to the patent world: the Nokia–Xiaomi
// cross-licence of 2017 (Nokia's LTE portfolio and its affiliates', for
// Xiaomi and its affiliates, mobile devices only), an IoT option under
// negotiation, Nokia Technologies' licence to HMD Global, and an exclusive
// US licence of the NR patent to Apple. The clock stands at 2026-11-21.
type rightsWorld struct {
	*patentWorld
	xiaomiComms, hmd, apple           *licensing.Company
	cross, option, hmdDeal, appleDeal *licensing.Agreement
}

func newRightsWorld(t *testing.T) *rightsWorld {
	t.Helper()
	w := &rightsWorld{patentWorld: newPatentWorld(t)}
	d := licensing.MustDate
	w.xiaomiComms = w.company(&licensing.Company{Name: "Xiaomi Communications Co., Ltd.", ParentID: w.xiaomi.ID})
	w.hmd = w.company(&licensing.Company{Name: "HMD Global Oy"})
	w.apple = w.company(&licensing.Company{Name: "Apple Inc."})
	mobile := []licensing.Activity{licensing.ActivityMake, licensing.ActivityUse, licensing.ActivitySell,
		licensing.ActivityOfferToSell, licensing.ActivityImport}
	w.cross = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-2017", Title: "Patent cross-licence",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementActive, SignedOn: d("2017-07-05"),
		EffectiveOn: d("2017-07-05"), ExpiresOn: d("2024-07-04"),
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.xiaomi.ID, LicensorAffiliates: true, LicenseeAffiliates: true,
			Scope: licensing.GrantScope{Kind: licensing.ScopePortfolio, CaptureFrom: d("2000-01-01"), CaptureTo: d("2017-07-05"),
				Standards: []string{"3GPP LTE"}},
			Activities: mobile, Territories: []string{"WORLD"}, Fields: []string{"mobile devices"},
			Exclusivity: licensing.NonExclusive, RoyaltyBearing: true}}})
	w.option = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-IOT", Title: "Option on IoT patents",
		Kind: licensing.KindOption, Status: licensing.AgreementNegotiation,
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleParty}, {CompanyID: w.xiaomi.ID, Role: licensing.RoleParty}},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.xiaomi.ID, LicenseeAffiliates: true,
			Scope:  licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"5g"}},
			Fields: []string{"IoT devices"}, Exclusivity: licensing.NonExclusive}}})
	w.hmdDeal = w.agreement(&licensing.Agreement{Reference: "NOK-HMD-2016", Title: "Brand and patent licence",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive, SignedOn: d("2016-12-01"),
		EffectiveOn: d("2016-12-01"), ExpiresOn: d("2030-11-30"),
		Parties: []licensing.Party{{CompanyID: w.tech.ID, Role: licensing.RoleLicensor}, {CompanyID: w.hmd.ID, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{{LicensorID: w.tech.ID, LicenseeID: w.hmd.ID, LicensorAffiliates: true,
			Scope:       licensing.GrantScope{Kind: licensing.ScopePortfolio, Tags: []string{"cellular"}},
			Territories: []string{"WORLD"}, Fields: []string{"mobile devices"}, Exclusivity: licensing.NonExclusive}}})
	w.appleDeal = w.agreement(&licensing.Agreement{Reference: "NOK-APL-2025", Title: "Exclusive US licence, NR beam management",
		Kind: licensing.KindLicense, Status: licensing.AgreementActive, SignedOn: d("2025-01-01"),
		EffectiveOn: d("2025-01-01"), ExpiresOn: d("2029-12-31"),
		Parties: []licensing.Party{{CompanyID: w.nokia.ID, Role: licensing.RoleLicensor}, {CompanyID: w.apple.ID, Role: licensing.RoleLicensee}},
		Grants: []licensing.Grant{{LicensorID: w.nokia.ID, LicenseeID: w.apple.ID,
			Scope:       licensing.GrantScope{Kind: licensing.ScopePatents, Patents: []licensing.PatentRef{{Number: nrNo}}},
			Territories: []string{"US"}, Exclusivity: licensing.Exclusive}}})
	return w
}

func (w *rightsWorld) agreement(a *licensing.Agreement) *licensing.Agreement {
	w.app.t.Helper()
	if err := w.app.db.CreateAgreement(context.Background(), sqlite.SystemActor(), a); err != nil {
		w.app.t.Fatalf("create %s: %v", a.Reference, err)
	}
	return a
}

// ask submits the rights form with q.
func ask(t *testing.T, b *browser, q url.Values) (*goquery.Document, *http.Response) {
	t.Helper()
	q.Set("ask", "1")
	res := b.get("/rights?" + q.Encode())
	return parseHTML(t, res), res
}

// squash joins the words of a text, whatever the markup's whitespace.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestRightsCheckAnswers(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	crossGrant, optionGrant, appleGrant := w.cross.Grants[0].ID, w.option.Grants[0].ID, w.appleDeal.Grants[0].ID
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	type basis struct{ kind, grant, until, through string }
	cases := []struct {
		name     string
		query    url.Values
		verdict  string
		pending  bool
		label    string
		headline []string // words the plain sentence must hold
		bases    []basis
		nearMiss []string // "grant:condition" of near misses the answer must name
		shutOut  int64
		whatIf   bool
	}{
		{name: "LicenceOfAffiliatesPortfolio", query: q("company", "Xiaomi Corporation", "patent", "EP 1234567 B1", "territory", "DE",
			"activity", "sell", "field", "mobile devices", "on", "2020-03-01"),
			verdict: "covered", label: "Covered", headline: []string{"Xiaomi Corporation may practise EP 1234567 B1 in Germany on 2020-03-01."},
			bases: []basis{{"license", fmt.Sprint(crossGrant), "2024-07-04", ""}}},
		{name: "SubsidiaryCoveredThroughItsParent", query: q("company", "Xiaomi Communications Co., Ltd.", "patent", "EP1234567B1",
			"territory", "FR", "field", "mobile devices", "on", "2020-03-01"),
			verdict: "covered", bases: []basis{{"license", fmt.Sprint(crossGrant), "2024-07-04", "Xiaomi Corporation"}}},
		{name: "FieldOutsideTheGrantIsANearMiss", query: q("company", "Xiaomi Corporation", "patent", "EP1234567B1", "territory", "DE",
			"field", "smart home", "on", "2020-03-01"),
			verdict: "not_covered", label: "Not covered", headline: []string{"needs a licence", "and has none"},
			nearMiss: []string{fmt.Sprint(crossGrant, ":field")}},
		{name: "DayAfterTheTermIsANearMiss", query: q("company", "Xiaomi Corporation", "patent", "EP1234567B1", "territory", "DE",
			"field", "mobile devices", "on", "2024-07-05"),
			verdict: "not_covered", nearMiss: []string{fmt.Sprint(crossGrant, ":date")}},
		{name: "Owner", query: q("company", "Nokia Technologies Oy", "patent", "EP1234567B1", "territory", "GB", "on", "2020-03-01"),
			verdict: "covered", bases: []basis{{"owner", "0", "2025-03-01", ""}}},
		{name: "AffiliateOwner", query: q("company", "Nokia Corporation", "patent", "EP1234567B1", "territory", "GB", "on", "2020-03-01"),
			verdict: "covered", bases: []basis{{"affiliate_owner", "0", "2025-03-01", "Nokia Technologies Oy"}}},
		{name: "EuropeanPatentOutsideItsStates", query: q("company", "Xiaomi Corporation", "patent", "EP1234567B1", "territory", "IT",
			"on", "2020-03-01"),
			verdict: "not_required", label: "No licence needed", headline: []string{"No one needs a licence to practise EP 1234567 B1 in Italy on 2020-03-01."}},
		{name: "LapsedPatent", query: q("company", "Xiaomi Corporation", "patent", "DE102015000001B4", "on", "2021-01-01"),
			verdict: "not_required", headline: []string{"Germany"}},
		{name: "PendingApplication", query: q("company", "Apple Inc.", "patent", "CN 105123456 A", "on", "2020-03-01"),
			verdict: "not_required", pending: true, label: "Pending application", headline: []string{"pending application", "Apple Inc. would need a licence"}},
		{name: "ExclusiveLicenceShutsOutTheOwner", query: q("company", "Nokia Corporation", "patent", "US 9,123,456 B2"),
			verdict: "not_covered", shutOut: appleGrant},
		{name: "NegotiationIsANearMiss", query: q("company", "Xiaomi Corporation", "patent", "US9123456B2", "field", "IoT devices", "on", "2025-01-01"),
			verdict: "not_covered", nearMiss: []string{fmt.Sprint(optionGrant, ":status")}},
		{name: "WhatIfCountsTheNegotiation", query: q("company", "Xiaomi Corporation", "patent", "US9123456B2", "field", "IoT devices",
			"on", "2025-01-01", "what_if", "1"),
			verdict: "covered", label: "Only if signed", headline: []string{"only if an agreement not yet signed is signed"},
			bases: []basis{{"license", fmt.Sprint(optionGrant), "2034-06-30", ""}}, whatIf: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, res := ask(t, b, tc.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d; errors %q %q", res.StatusCode, testid(doc, "rights-problem").Text(), doc.Find(".field-error").Text())
			}
			v := testid(doc, "verdict")
			if got := v.AttrOr("data-verdict", ""); got != tc.verdict {
				t.Errorf("verdict %q, want %q (%s)", got, tc.verdict, squash(testid(doc, "rights-reasons").Text()))
			}
			if got := v.AttrOr("data-pending", ""); got != fmt.Sprint(tc.pending) {
				t.Errorf("pending %q, want %v", got, tc.pending)
			}
			if tc.label != "" {
				if got := squash(testid(doc, "verdict-label").Text()); got != tc.label {
					t.Errorf("label %q, want %q", got, tc.label)
				}
			}
			headline := squash(testid(doc, "verdict-sentence").Text())
			for _, want := range tc.headline {
				if !strings.Contains(headline, want) {
					t.Errorf("sentence %q does not say %q", headline, want)
				}
			}
			var got []basis
			testid(doc, "rights-basis").Each(func(_ int, s *goquery.Selection) {
				got = append(got, basis{s.AttrOr("data-kind", ""), s.AttrOr("data-grant", ""),
					squash(s.Find(`[data-testid="basis-until"]`).Text()),
					squash(s.Find(`[data-testid="basis-through"]`).Text())})
			})
			if fmt.Sprint(got) != fmt.Sprint(tc.bases) && !(len(got) == 0 && len(tc.bases) == 0) {
				t.Errorf("bases %v, want %v", got, tc.bases)
			}
			var failed []string
			testid(doc, "near-miss").Each(func(_ int, s *goquery.Selection) {
				failed = append(failed, s.AttrOr("data-grant", "")+":"+s.AttrOr("data-failed", ""))
			})
			for _, want := range tc.nearMiss {
				if !slices.Contains(failed, want) {
					t.Errorf("near misses %v, want %s among them", failed, want)
				}
			}
			for _, b := range got {
				for _, f := range failed {
					if strings.HasPrefix(f, b.grant+":") {
						t.Errorf("grant %s is both a basis and a near miss (%s)", b.grant, f)
					}
				}
			}
			shut := testid(doc, "shut-out")
			if tc.shutOut != 0 && shut.AttrOr("data-grant", "") != fmt.Sprint(tc.shutOut) {
				t.Errorf("shut out by grant %q, want %d", shut.AttrOr("data-grant", ""), tc.shutOut)
			}
			if tc.shutOut == 0 && shut.Length() > 0 {
				t.Errorf("owner shut out by %q", shut.AttrOr("data-grant", ""))
			}
			// Where no one needs a licence, why stands where a basis would.
			noLicence := tc.verdict == "not_required" && !tc.pending
			if got := testid(doc, "none-needed").Length() == 1; got != noLicence || noLicence && testid(doc, "no-bases").Length() > 0 {
				t.Errorf("why no licence is needed shown %v, want %v, in place of the bases", got, noLicence)
			}
			if got := testid(doc, "what-if-banner").Length() == 1; got != tc.whatIf {
				t.Errorf("what-if banner shown %v, want %v", got, tc.whatIf)
			}
			if got := testid(doc, "basis-hypothetical").Length() > 0; got != tc.whatIf {
				t.Errorf("hypothetical basis marked %v, want %v", got, tc.whatIf)
			}
		})
	}
}

// TestRightsAnswerMisses lists a licence of the company's that fails on
// more than one condition, with every condition it fails.
func TestRightsAnswerMisses(t *testing.T) {
	w := newRightsWorld(t)
	doc, _ := ask(t, w.as(w.viewer), url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"},
		"territory": {"DE"}, "field": {"smart home"}, "on": {"2024-07-05"}})
	miss := doc.Find(fmt.Sprintf(`[data-testid="miss"][data-grant="%d"]`, w.cross.Grants[0].ID))
	var failed []string
	miss.Find(`[data-testid="miss-failure"]`).Each(func(_ int, s *goquery.Selection) {
		failed = append(failed, s.AttrOr("data-failed", ""))
	})
	if !slices.Equal(failed, []string{"date", "field"}) {
		t.Errorf("the cross-licence fails %v, want [date field]", failed)
	}
	if text := squash(miss.Text()); !strings.Contains(text, "only until 2024-07-04") || !strings.Contains(text, "'mobile devices'") {
		t.Errorf("miss %q does not say why", text)
	}
}

// TestRightsAnswerLinks follows the answer's links: the agreement, the
// grant's anchor on the agreement page, the patent and the company.
func TestRightsAnswerLinks(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	doc, _ := ask(t, b, url.Values{"company": {"Xiaomi Communications Co., Ltd."}, "patent": {"EP1234567"},
		"territory": {"de"}, "on": {"2020-03-01"}})
	basis := testid(doc, "rights-basis")
	agreement := fmt.Sprintf("/agreements/%d", w.cross.ID)
	grant := fmt.Sprintf("%s#grant-%d", agreement, w.cross.Grants[0].ID)
	checks := []struct{ name, got, want string }{
		{"Agreement", basis.Find(`[data-testid="basis-agreement"]`).AttrOr("href", ""), agreement},
		{"Grant", basis.Find(`[data-testid="basis-grant"]`).AttrOr("href", ""), grant},
		{"Licensor", basis.Find(`[data-testid="basis-licensor"]`).Text(), "Nokia Corporation"},
		{"Licensee", basis.Find(`[data-testid="basis-licensee"]`).Text(), "Xiaomi Corporation"},
		{"Through", basis.Find(`[data-testid="basis-through"]`).AttrOr("href", ""), fmt.Sprintf("/companies/%d", w.xiaomi.ID)},
		{"Territories", squash(basis.Find(`[data-testid="basis-territories"]`).Text()), "Worldwide"},
		// No field was asked: the basis says to which fields it is limited.
		{"Fields", squash(basis.Find(`[data-testid="basis-fields"]`).Text()), "mobile devices"},
		{"Patent", testid(doc, "answer-patent").AttrOr("href", ""), fmt.Sprintf("/patents/%d", w.lte.ID)},
		{"Company", testid(doc, "answer-company").AttrOr("href", ""), fmt.Sprintf("/companies/%d", w.xiaomiComms.ID)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if reason := squash(basis.Find(`[data-testid="basis-reason"]`).Text()); !strings.Contains(reason, "NOK-XIA-2017") {
		t.Errorf("the basis does not name its agreement: %q", reason)
	}
	res := b.get(grant)
	if res.StatusCode != http.StatusOK || parseHTML(t, res).Find(fmt.Sprintf("#grant-%d", w.cross.Grants[0].ID)).Length() != 1 {
		t.Errorf("the grant link %s leads nowhere", grant)
	}
}

// TestRightsCheckDefaults answers on today, in the patent's own country,
// and reads a date typed the German way.
func TestRightsCheckDefaults(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	cases := []struct {
		name                string
		query               url.Values
		territory, on, form string
	}{
		{"TodayInThePatentsCountry", url.Values{"company": {"HMD Global Oy"}, "patent": {"US-9123456-B2"}}, "United States (US)", "2026-11-21", "2026-11-21"},
		{"GermanDate", url.Values{"company": {"HMD Global Oy"}, "patent": {"US9123456B2"}, "on": {"5.7.2017"}}, "United States (US)", "2017-07-05", "5.7.2017"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, res := ask(t, b, tc.query)
			wantStatus(t, res, http.StatusOK)
			if got := squash(doc.Find(`[data-testid="rights-question"] dd`).Eq(2).Text()); got != tc.territory {
				t.Errorf("territory %q, want %q", got, tc.territory)
			}
			if got := squash(testid(doc, "answer-on").Text()); got != tc.on {
				t.Errorf("date %q, want %q", got, tc.on)
			}
			if got := testid(doc, "rights-on").AttrOr("value", ""); got != tc.form {
				t.Errorf("date field holds %q, want %q", got, tc.form)
			}
		})
	}
	t.Run("FormAloneAsksNothing", func(t *testing.T) {
		res := b.get("/rights?patent=EP1234567B1")
		wantStatus(t, res, http.StatusOK)
		doc := parseHTML(t, res)
		if testid(doc, "verdict").Length() != 0 || doc.Find(".field-error").Length() != 0 {
			t.Error("a prefilled form was answered or refused before it was submitted")
		}
		if got := testid(doc, "rights-patent").AttrOr("value", ""); got != "EP1234567B1" {
			t.Errorf("patent field holds %q", got)
		}
		if got := testid(doc, "rights-on").AttrOr("value", ""); got != "2026-11-21" {
			t.Errorf("date field holds %q, want today", got)
		}
	})
}

// TestRightsCheckFieldErrors refuses a question that names nothing or
// nothing recorded, field by field, keeping what was typed.
func TestRightsCheckFieldErrors(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	cases := []struct {
		name  string
		query url.Values
		field string
		say   string
	}{
		{"NoCompany", url.Values{"patent": {"EP1234567B1"}, "territory": {"DE"}}, "company", "Name the company"},
		{"UnknownCompany", url.Values{"company": {"Nokla"}, "patent": {"EP1234567B1"}, "territory": {"DE"}}, "company", "No company"},
		{"UnknownPatent", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP 9 999 999 B1"}}, "patent", "No patent"},
		{"EuropeanPatentWithoutCountry", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"}}, "territory", "name the country"},
		{"TerritoryNotACountry", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"}, "territory": {"EU"}}, "territory", "two-letter code"},
		{"TerritoryNotACountryBesideAnUnknownPatent", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP 9 999 999 B1"}, "territory": {"ZZ"}}, "territory", "two-letter code"},
		{"ImpossibleDate", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"US9123456B2"}, "on": {"2020-02-30"}}, "on", "29 days"},
		{"UnknownActivity", url.Values{"company": {"Xiaomi Corporation"}, "patent": {"US9123456B2"}, "activity": {"lease"}}, "activity", "Choose one of the activities"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, res := ask(t, b, tc.query)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if msg := testid(doc, "error-"+tc.field).Text(); !strings.Contains(msg, tc.say) {
				t.Errorf("error beside %s: %q, want it to say %q", tc.field, msg, tc.say)
			}
			if testid(doc, "verdict").Length() != 0 {
				t.Error("an incomplete question was answered")
			}
			if got := testid(doc, "rights-company").AttrOr("value", ""); got != tc.query.Get("company") {
				t.Errorf("company field holds %q, want %q as typed", got, tc.query.Get("company"))
			}
		})
	}
}

// TestRightsCheckGerman answers in German: the verdict, dates, country
// names and the engine's sentences.
func TestRightsCheckGerman(t *testing.T) {
	w := newRightsWorld(t)
	b := w.as(w.viewer)
	b.lang = "de-DE,de;q=0.9"
	t.Run("Covered", func(t *testing.T) {
		doc, _ := ask(t, b, url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"}, "territory": {"DE"},
			"field": {"mobile devices"}, "on": {"01.03.2020"}})
		want := map[string]string{
			"verdict-label":     "Berechtigt",
			"verdict-sentence":  "Xiaomi Corporation darf EP 1234567 B1 in Deutschland am 01.03.2020 benutzen.",
			"answer-on":         "01.03.2020",
			"basis-until":       "04.07.2024",
			"basis-territories": "Weltweit",
			"basis-reason":      fmt.Sprintf("Rechteeinräumung %d aus NOK-XIA-2017 lizenziert EP 1234567 B1 von Nokia Corporation an Xiaomi Corporation.", w.cross.Grants[0].ID),
		}
		for id, text := range want {
			if got := squash(testid(doc, id).First().Text()); got != text {
				t.Errorf("%s: %q, want %q", id, got, text)
			}
		}
	})
	t.Run("NearMiss", func(t *testing.T) {
		doc, _ := ask(t, b, url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"}, "territory": {"DE"},
			"field": {"smart home"}, "on": {"2020-03-01"}})
		if got := squash(testid(doc, "near-miss-failed").Text()); got != "Anwendungsgebiet" {
			t.Errorf("failed condition %q", got)
		}
		want := fmt.Sprintf("Rechteeinräumung %d aus NOK-XIA-2017 würde dies abdecken, aber nur in den Anwendungsgebieten 'mobile devices', nicht in 'smart home'.", w.cross.Grants[0].ID)
		if got := squash(testid(doc, "near-miss-reason").Text()); got != want {
			t.Errorf("near miss %q\nwant %q", got, want)
		}
		if got := squash(testid(doc, "verdict-sentence").Text()); !strings.Contains(got, "braucht eine Lizenz") {
			t.Errorf("verdict %q", got)
		}
	})
	t.Run("FieldError", func(t *testing.T) {
		doc, res := ask(t, b, url.Values{"company": {"Xiaomi Corporation"}, "patent": {"EP1234567B1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := testid(doc, "error-territory").Text(); !strings.Contains(got, "Geben Sie das Land an") {
			t.Errorf("territory error %q is not German", got)
		}
	})
	t.Run("WhatIf", func(t *testing.T) {
		doc, _ := ask(t, b, url.Values{"company": {"Xiaomi Corporation"}, "patent": {"US9123456B2"}, "field": {"IoT devices"},
			"on": {"2025-01-01"}, "what_if": {"1"}})
		if got := squash(testid(doc, "what-if-banner").Text()); !strings.HasPrefix(got, "Hypothetische Antwort.") {
			t.Errorf("banner %q", got)
		}
		if got := squash(testid(doc, "verdict-sentence").Text()); !strings.Contains(got, "in den Vereinigten Staaten am 01.01.2025") {
			t.Errorf("verdict %q", got)
		}
	})
}

// TestRightsNav marks the rights page in the navigation and needs a
// signed-in user.
func TestRightsNav(t *testing.T) {
	w := newRightsWorld(t)
	wantRedirect(t, w.app.browser().get("/rights"), "/login")
	doc := parseHTML(t, w.as(w.viewer).get("/rights"))
	if got := doc.Find(`[data-testid="main-nav"] a[aria-current="page"]`).AttrOr("href", ""); got != "/rights" {
		t.Errorf("current nav entry %q", got)
	}
}
