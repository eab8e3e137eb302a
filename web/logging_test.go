package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"patentdesk/internal/auth"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequestLog(t *testing.T) {
	var logs syncBuffer
	app := newTestApp(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		c.SetupToken = "secret-setup-token"
	})
	u := app.addUser("a@example.com", auth.RoleViewer)
	b := app.browser()
	b.get("/setup/secret-setup-token")
	b.signIn(u.Email, "a wrong password here")
	b.mustSignIn(u)
	b.get("/account")
	b.get("/calendar/pdc_secret-feed-link.ics")
	// The line of a request is written once its handler returns, which may
	// be just after the client has the response.
	out := logs.String()
	for deadline := time.Now().Add(2 * time.Second); strings.Count(out, "msg=request") < 5 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		out = logs.String()
	}
	t.Run("OneLinePerRequest", func(t *testing.T) {
		if n := strings.Count(out, "msg=request"); n != 5 {
			t.Errorf("%d request lines for 5 requests:\n%s", n, out)
		}
		if !strings.Contains(out, "path=/account status=200") {
			t.Errorf("request line lacks path and status:\n%s", out)
		}
	})
	t.Run("SetupTokenNotLogged", func(t *testing.T) {
		if strings.Contains(out, "secret-setup-token") {
			t.Errorf("the setup token leaked into the log:\n%s", out)
		}
		if strings.Contains(out, "secret-feed-link") {
			t.Errorf("a calendar feed's secret leaked into the log:\n%s", out)
		}
	})
	t.Run("SignInEventsLoggedWithAddress", func(t *testing.T) {
		if !strings.Contains(out, `msg="sign-in failed" email=a@example.com address=127.0.0.1`) ||
			!strings.Contains(out, `msg="signed in"`) {
			t.Errorf("sign-in events missing:\n%s", out)
		}
	})
}

func TestLanguageSwitchAfterFormError(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	res := b.post("/account/password", url.Values{"current": {"wrong"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	next, _ := parseHTML(t, res).Find(`form[action="/locale"] input[name="next"]`).First().Attr("value")
	if next != "/" {
		t.Errorf("language switch on a re-rendered form returns to %q, which may accept only POST", next)
	}
}
