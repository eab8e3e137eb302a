package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRefusedCrossOriginRequestKeepsPathSecretsOutOfTheLog(t *testing.T) {
	logs := &syncBuffer{}
	app := newTestApp(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	for _, path := range []string{"/invite/pdi_secretInvitationPart", "/setup/secretSetupPart"} {
		res := app.browser().post(path, url.Values{"password": {"x"}}, "Origin", "https://evil.example")
		wantStatus(t, res, http.StatusForbidden)
	}
	if !strings.Contains(logs.String(), "cross-origin request refused") {
		t.Fatal("the refusal is not logged at all")
	}
	for _, secret := range []string{"secretInvitationPart", "secretSetupPart"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the secret %q of a refused request's path is in the log", secret)
		}
	}
}
