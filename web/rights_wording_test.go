package web

import (
	"net/url"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

// TestRightsReasonsNameThePatentAsTheHeadline checks that the sentences
// behind a verdict name the patent and the country as the headline does —
// "EP 3292744 B1 in Deutschland", not "EP3292744B1 … in DE" — in English
// and German, while the API keeps the stored number and the country code.
// Xiaomi asks about IKEA's EP 3 292 744 B1 in Germany: the collaboration's
// grant to Xiaomi covers China only, a near miss on the territory.
func TestRightsReasonsNameThePatentAsTheHeadline(t *testing.T) {
	app := newTestApp(t)
	app.loadDemo(t)
	b := signedIn(t, app, "reader@example.com", auth.RoleViewer)
	question := url.Values{"ask": {"1"}, "company": {"Xiaomi Corporation"}, "patent": {"EP3292744B1"}, "territory": {"DE"},
		"field": {"smart home"}, "on": {"2026-11-21"}}
	for _, c := range []struct {
		lang, country, nearMiss string
	}{
		{"en", "Germany", "would cover this, but only in China, not in Germany."},
		{"de", "Deutschland", "würde dies abdecken, aber nur in China, nicht in Deutschland."},
	} {
		t.Run(c.lang, func(t *testing.T) {
			b.lang = c.lang
			res := b.get("/rights?" + question.Encode())
			wantStatus(t, res, 200)
			doc := parseHTML(t, res)
			headline := squash(testid(doc, "verdict-sentence").Text())
			if !strings.Contains(headline, "EP 3292744 B1 in "+c.country) {
				t.Fatalf("headline %q does not name the patent and %s", headline, c.country)
			}
			reasons := texts(testid(doc, "rights-reason"))
			reasons = append(reasons, texts(testid(doc, "near-miss-reason"))...)
			if len(reasons) < 3 {
				t.Fatalf("reasons %q: want the verdict, the owner and the near miss", reasons)
			}
			for _, r := range reasons {
				if strings.Contains(r, "EP3292744B1") || strings.Contains(r, " DE") || strings.Contains(r, " CN") {
					t.Errorf("reason %q names the patent or a country otherwise than the headline", r)
				}
			}
			if !strings.Contains(reasons[0], "EP 3292744 B1 in "+c.country) {
				t.Errorf("first reason %q, want it to name EP 3292744 B1 in %s", reasons[0], c.country)
			}
			if got := squash(testid(doc, "near-miss-reason").Text()); !strings.HasSuffix(got, c.nearMiss) {
				t.Errorf("near miss %q, want it to end %q", got, c.nearMiss)
			}
		})
	}
	t.Run("APIKeepsNumberAndCode", func(t *testing.T) {
		var v VerdictJSON
		apiRightsViewer(app).get("/api/v1/rights/check?"+rightsQuery("company", "Xiaomi Corporation", "patent", "EP3292744B1",
			"territory", "DE", "field", "smart home", "on", "2026-11-21"), 200, &v)
		if len(v.Reasons) == 0 || v.Reasons[0] != "Xiaomi Corporation needs a licence to practise EP3292744B1 in DE on 2026-11-21, and has none." {
			t.Errorf("API reasons %q", v.Reasons)
		}
		if len(v.NearMisses) != 1 || !strings.HasSuffix(v.NearMisses[0].Reason, "would cover this, but only in CN, not in DE.") {
			t.Errorf("API near misses %+v", v.NearMisses)
		}
	})
}
