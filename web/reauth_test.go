package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"patentdesk/internal/auth"
)

// carried reads the hidden fields the confirmation page carries, by name.
func carried(doc *goquery.Document) url.Values {
	v := url.Values{}
	testid(doc, "reauth-carried").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		v.Add(name, value)
	})
	return v
}

// roleOf reads an account's role from the database.
func roleOf(t *testing.T, app *testApp, u *auth.User) auth.Role {
	t.Helper()
	got, err := app.db.UserByID(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Role
}

func TestSensitiveActionsAskForThePasswordAgain(t *testing.T) {
	w := newAdminWorld(t)
	target := w.app.addUser("target@example.com", auth.RoleViewer)
	other := w.app.addUser("other@example.com", auth.RoleViewer)
	rolePath := userPath(target) + "/role"
	w.app.clock.Advance(reauthWindow + time.Minute) // the sign-in is 16 minutes old

	t.Run("AnOldSignInGetsTheConfirmationPageAndNothingChanges", func(t *testing.T) {
		res := w.b.post(rolePath, url.Values{"role": {"editor"}})
		wantStatus(t, res, http.StatusUnauthorized)
		doc := parseHTML(t, res)
		form := testid(doc, "reauth-form")
		if action, _ := form.Attr("action"); action != rolePath {
			t.Errorf("the confirmation posts to %q, want %q", action, rolePath)
		}
		if got := carried(doc); got.Get("role") != "editor" || len(got) != 1 {
			t.Errorf("carried fields %v, want role=editor only", got)
		}
		if testid(doc, "reauth-password").Length() != 1 {
			t.Error("no password field")
		}
		if doing := testid(doc, "reauth-doing").Text(); !strings.Contains(doing, target.Email) {
			t.Errorf("the page says %q; want it to name %s", doing, target.Email)
		}
		if got := roleOf(t, w.app, target); got != auth.RoleViewer {
			t.Errorf("role %s before the password, want viewer", got)
		}
	})

	t.Run("PagesStayOpen", func(t *testing.T) {
		wantStatus(t, w.b.get(userPath(target)), http.StatusOK)
	})

	t.Run("AWrongPasswordIsRefusedAuditedAndChangesNothing", func(t *testing.T) {
		res := w.b.post(rolePath, url.Values{"role": {"editor"}, "reauth_password": {"not my password at all"}})
		wantStatus(t, res, http.StatusUnauthorized)
		doc := parseHTML(t, res)
		if testid(doc, "error-reauth_password").Length() != 1 {
			t.Error("no field error beside the password")
		}
		if got := carried(doc); got.Get("role") != "editor" {
			t.Errorf("the form's values were lost: %v", got)
		}
		if testid(doc, "reauth-withheld").Length() != 0 {
			t.Error("the page claims a password of the form was withheld; the form had none")
		}
		if got := roleOf(t, w.app, target); got != auth.RoleViewer {
			t.Errorf("role %s after a wrong password, want viewer", got)
		}
		wantAudited(t, w.app, "session.reauth_failed")
		if n := auditActions(t, w.app)["user.role"]; n != 0 {
			t.Errorf("%d role changes audited", n)
		}
	})

	t.Run("TheRightPasswordDoesTheActionAsPosted", func(t *testing.T) {
		form := url.Values{"role": {"editor"}, "reauth_password": {testPassword(w.admin.Email)},
			"reauth_back": {userPath(target)}}
		wantRedirect(t, w.b.post(rolePath, form), userPath(target))
		if got := roleOf(t, w.app, target); got != auth.RoleEditor {
			t.Errorf("role %s, want exactly the posted editor", got)
		}
		wantAudited(t, w.app, "session.reauth", "user.role")
	})

	t.Run("AConfirmationOpensFifteenMinutes", func(t *testing.T) {
		w.app.clock.Advance(reauthWindow - time.Minute)
		wantRedirect(t, w.b.post(userPath(other)+"/role", url.Values{"role": {"editor"}}), userPath(other))
		if got := roleOf(t, w.app, other); got != auth.RoleEditor {
			t.Errorf("role %s, want editor without a second confirmation", got)
		}
		w.app.clock.Advance(2 * time.Minute)
		wantStatus(t, w.b.post(userPath(other)+"/role", url.Values{"role": {"viewer"}}), http.StatusUnauthorized)
		if got := roleOf(t, w.app, other); got != auth.RoleEditor {
			t.Errorf("role %s after the window closed, want editor still", got)
		}
	})

	t.Run("AFreshSignInPassesDirectly", func(t *testing.T) {
		b := w.app.browser()
		b.mustSignIn(w.admin)
		wantRedirect(t, b.post(userPath(other)+"/disable", nil), userPath(other))
		got, err := w.app.db.UserByID(context.Background(), other.ID)
		if err != nil || !got.Disabled() {
			t.Fatalf("account not disabled by a fresh session: %v", err)
		}
	})
}

func TestConfirmationPageEscapesAndWithholds(t *testing.T) {
	w := newAdminWorld(t)
	target := w.app.addUser("target@example.com", auth.RoleViewer)
	w.app.clock.Advance(reauthWindow + time.Minute)

	t.Run("HiddenFieldsAreEscaped", func(t *testing.T) {
		name := `Robert"><b data-testid="injected">bold</b> <script>x</script>`
		res := w.b.post("/account/tokens", url.Values{"name": {name}})
		wantStatus(t, res, http.StatusUnauthorized)
		doc := parseHTML(t, res)
		if testid(doc, "injected").Length() != 0 || doc.Find("script:not([src])").Length() != 0 {
			t.Error("a posted value became markup")
		}
		if got := carried(doc).Get("name"); got != name {
			t.Errorf("carried name %q, want %q intact", got, name)
		}
		toks, err := w.app.db.APITokens(context.Background(), w.admin.ID)
		if err != nil || len(toks) != 0 {
			t.Fatalf("%d tokens before the password (%v)", len(toks), err)
		}
		// Posting the page back, as the browser does, makes the token under
		// exactly the name typed.
		form := carried(doc)
		form.Set("reauth_password", testPassword(w.admin.Email))
		wantStatus(t, w.b.post("/account/tokens", form), http.StatusOK)
		toks, err = w.app.db.APITokens(context.Background(), w.admin.ID)
		if err != nil || len(toks) != 1 || toks[0].Name != name {
			t.Fatalf("tokens %+v (%v), want one named %q", toks, err, name)
		}
	})

	t.Run("ThePasswordsOfTheFormAreNotEchoed", func(t *testing.T) {
		w.app.clock.Advance(reauthWindow + time.Minute) // past the confirmation above
		secret := "Brand new initial secret 4711"
		res := w.b.post(userPath(target)+"/reset", url.Values{"method": {"password"}, "password": {secret}, "confirm": {secret}})
		wantStatus(t, res, http.StatusUnauthorized)
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte("4711")) {
			t.Error("the new password appears in the confirmation page")
		}
		if got := carried(doc); got.Get("method") != "password" || got.Has("password") || got.Has("confirm") {
			t.Errorf("carried %v, want method only", got)
		}
		if testid(doc, "reauth-withheld").Length() != 1 {
			t.Error("the page does not say that the password must be typed again")
		}
		// Confirming carries the action without the withheld password: the
		// reset form asks for it again, and the account's password stays.
		res = w.b.post(userPath(target)+"/reset", url.Values{"method": {"password"},
			"reauth_password": {testPassword(w.admin.Email)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if w.b.signIn(target.Email, testPassword(target.Email)).StatusCode != http.StatusSeeOther {
			t.Error("the target's password changed without being typed again")
		}
	})
}

func TestWrongConfirmationsAreThrottled(t *testing.T) {
	w := newAdminWorld(t, func(c *Config) {
		c.AccountThrottle = auth.ThrottleRule{MaxFailures: 2, Window: time.Hour, Lockout: time.Hour}
	})
	target := w.app.addUser("target@example.com", auth.RoleViewer)
	w.app.clock.Advance(reauthWindow + time.Minute)
	path := userPath(target) + "/disable"
	for range 2 {
		wantStatus(t, w.b.post(path, url.Values{"reauth_password": {"wrong guess"}}), http.StatusUnauthorized)
	}
	res := w.b.post(path, url.Values{"reauth_password": {testPassword(w.admin.Email)}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if testid(parseHTML(t, res), "error-reauth_password").Length() != 1 {
		t.Error("no message beside the password")
	}
	got, err := w.app.db.UserByID(context.Background(), target.ID)
	if err != nil || got.Disabled() {
		t.Fatalf("account disabled while throttled (%v)", err)
	}
	wantAudited(t, w.app, "session.reauth_throttled")
}

func TestTheChosenActionsAskAndOthersDoNot(t *testing.T) {
	w := newAdminWorld(t)
	target := w.app.addUser("target@example.com", auth.RoleViewer)
	w.app.clock.Advance(reauthWindow + time.Minute)
	u := userPath(target)
	handle := strings.Repeat("a", 64)
	sensitive := map[string]url.Values{
		"/account/tokens":                  {"name": {"script"}},
		"/deadlines/feeds":                 {"name": {"mine"}, "alarm_days": {"7"}},
		"/admin/users":                     {"email": {"new@example.com"}, "role": {"admin"}, "method": {"invite"}},
		u + "/role":                        {"role": {"admin"}},
		u + "/disable":                     nil,
		u + "/enable":                      nil,
		u + "/reset":                       {"method": {"link"}},
		u + "/tokens/1/revoke":             nil,
		u + "/sessions/" + handle + "/end": nil,
		u + "/unlock":                      nil,
	}
	for path, form := range sensitive {
		t.Run("Asks"+path, func(t *testing.T) {
			res := w.b.post(path, form)
			wantStatus(t, res, http.StatusUnauthorized)
			doc := parseHTML(t, res)
			if testid(doc, "reauth-form").Length() != 1 {
				t.Error("no confirmation form")
			}
			if strings.TrimSpace(testid(doc, "reauth-doing").Text()) == "" {
				t.Error("the page does not say what is about to be done")
			}
		})
	}
	if n := len(auditActions(t, w.app)); n != 2 { // the accounts made and the sign-in
		t.Errorf("audit actions %v: something was done without the password", auditActions(t, w.app))
	}
	t.Run("OrdinaryWorkDoesNotAsk", func(t *testing.T) {
		wantRedirect(t, w.b.post("/companies", url.Values{"name": {"Nokia Corporation"}}), "/companies/")
		// No such session of one's own: not found, without a password asked.
		wantStatus(t, w.b.post("/account/sessions/"+handle+"/end", nil), http.StatusNotFound)
	})
}
