package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"patentdesk/internal/auth"
)

func TestTokenCreateListRevoke(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "data")
	mustRun(t, firstPassword+"\n", "user", "add", "--data", dir, "--email", "erp@example.com", "--role", "viewer", "--password-stdin")

	out := mustRun(t, "", "token", "create", "--data", dir, "--email", "ERP@example.com", "--name", "royalty export")
	secret := strings.TrimSuffix(out, "\n")
	if !strings.HasPrefix(secret, auth.TokenPrefix) || strings.ContainsAny(secret, " \n\t") {
		t.Fatalf("token create printed %q; want the token alone on one line", out)
	}
	db := openDB(t, dir)
	u, tok, err := db.UserByAPIToken(context.Background(), secret)
	if err != nil || u.Email != "erp@example.com" || u.Role != auth.RoleViewer || tok.Name != "royalty export" {
		t.Fatalf("the printed token does not open the API as the user: %v %v %v", u, tok, err)
	}
	db.Close()

	list := mustRun(t, "", "token", "list", "--data", dir, "--email", "erp@example.com")
	if !strings.Contains(list, "royalty export") || !strings.Contains(list, "active") || strings.Contains(list, secret) {
		t.Fatalf("token list:\n%s", list)
	}
	mustRun(t, "", "token", "revoke", "--data", dir, "--email", "erp@example.com", "--id", "1")
	if list := mustRun(t, "", "token", "list", "--data", dir, "--email", "erp@example.com"); !strings.Contains(list, "revoked") {
		t.Fatalf("token list after revoking:\n%s", list)
	}
	db = openDB(t, dir)
	if _, _, err := db.UserByAPIToken(context.Background(), secret); err == nil {
		t.Fatal("a revoked token still opens the API")
	}

	for name, args := range map[string][]string{
		"UnknownUser":   {"token", "create", "--data", dir, "--email", "nobody@example.com"},
		"NoEmail":       {"token", "create", "--data", dir},
		"EmptyName":     {"token", "create", "--data", dir, "--email", "erp@example.com", "--name", " "},
		"RevokeTwice":   {"token", "revoke", "--data", dir, "--email", "erp@example.com", "--id", "1"},
		"UnknownAction": {"token", "rotate"},
	} {
		t.Run(name, func(t *testing.T) {
			out, _, err := runCmd(t, "", args...)
			if err == nil || out != "" {
				t.Fatalf("patentdesk %v: out %q, err %v; want an error and no output", args, out, err)
			}
		})
	}
}
