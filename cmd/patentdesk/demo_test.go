package main

import (
	"strings"
	"testing"
)

// TestDemoScale generates a small synthetic data set through the command
// line: it says what it wrote and prints the accounts once; the data
// passes the integrity check, the accounts work, and a second run on the
// same directory is refused.
func TestDemoScale(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	out := mustRun(t, "", "demo", "--scale", "600", "--seed", "3", "--data", dir)
	for _, want := range []string{"seed 3", "600 in", "200 in 40 groups", "agreements", "admin@example.com", "viewer@example.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if check := mustRun(t, "", "check", "--data", dir); !strings.Contains(check, "ok") {
		t.Errorf("check after demo --scale: %s", check)
	}
	if list := mustRun(t, "", "user", "list", "--data", dir); !strings.Contains(list, "editor@example.com") {
		t.Errorf("user list after demo --scale: %s", list)
	}
	if export := mustRun(t, "", "export", "patents", "--data", dir); strings.Count(export, "\n") != 601 {
		t.Errorf("exported %d lines; want a header and 600 patents", strings.Count(export, "\n"))
	}
	if _, _, err := runCmd(t, "", "demo", "--scale", "10", "--data", dir); err == nil || !strings.Contains(err.Error(), "empty data directory") {
		t.Errorf("second demo --scale: %v; want a refusal", err)
	}
}
