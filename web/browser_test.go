package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// chromium finds Debian's Chromium. Browser tests skip without it on a
// developer's machine, but fail under CI, where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("Chromium not installed (apt-get install chromium); browser test skipped")
	return ""
}

// screenshotDir is where screenshots go: $PATENTDESK_SCREENSHOTS when set,
// so a developer can look at them, else the test's temporary directory.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("PATENTDESK_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// newBrowser starts headless Chromium with a fresh profile and collects
// every console error, so that a CSP violation or a script error fails the test.
func newBrowser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" || m.Type == "warning" {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// screenshot saves what the 1280×860 window shows, so that the images of
// long pages stay readable.
func screenshot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// TestBrowserJourney walks the first journey of every user: sign in, look
// at the dashboard, switch to German, sign out.
func TestBrowserJourney(t *testing.T) {
	app := newTestApp(t)
	if err := app.db.MarkDemo(context.Background(), sqlite.SystemActor(), sqlite.DemoIllustrative); err != nil {
		t.Fatal(err)
	}
	u := app.addUser("admin@example.com", auth.RoleAdmin)
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	err := chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		screenshot(dir, "01-login"),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="dashboard-empty"]`)),
		screenshot(dir, "02-dashboard"),
	)
	if err != nil {
		t.Fatalf("sign in: %v (screenshots in %s)", err, dir)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); !strings.HasPrefix(title, "Dashboard") {
		t.Errorf("dashboard title %q", title)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`a[href="/rights"]`)),
		chromedp.WaitVisible(css(`[data-testid="rights-form"]`)),
		screenshot(dir, "03-rights"),
		chromedp.Click(css(`[data-testid="account-link"]`)),
		chromedp.WaitVisible(css(`[data-testid="password-form"]`)),
		screenshot(dir, "04-account"),
		chromedp.SendKeys(css(`#token-name`), "Nightly ERP export"),
		chromedp.Submit(css(`#token-name`)),
		chromedp.WaitVisible(css(`[data-testid="new-token-secret"]`)),
		screenshot(dir, "04b-account-token"),
		chromedp.Click(css(`a[href="/admin"]`)),
		chromedp.WaitVisible(css(`[data-testid="users-table"]`)),
		screenshot(dir, "05-admin"),
		chromedp.Click(css(`a.brand`)),
		chromedp.WaitVisible(css(`[data-testid="dashboard-empty"]`)),
		chromedp.Click(css(`[data-testid="switch-locale"]`)),
		chromedp.WaitVisible(css(`html[lang="de"] [data-testid="dashboard-empty"]`)),
		screenshot(dir, "06-dashboard-de"),
	)
	if err != nil {
		t.Fatalf("browse and switch language: %v (screenshots in %s)", err, dir)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(css(`h1`)))
	nav, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="main-nav"]`)))
	if heading != "Übersicht" || !strings.Contains(nav, "Verträge") {
		t.Errorf("after switching to German: heading=%q nav=%q", heading, nav)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`[data-testid="account-link"]`)),
		chromedp.WaitVisible(css(`[data-testid="password-form"]`)),
		screenshot(dir, "07-account-de"),
		chromedp.Navigate(app.http.URL+"/account#tokens"),
		chromedp.WaitVisible(css(`[data-testid="tokens-table"]`)),
		screenshot(dir, "07b-account-tokens-de"),
		chromedp.Click(css(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(css(`[data-testid="login-notice"]`)),
		screenshot(dir, "08-signed-out-de"),
	)
	if err != nil {
		t.Fatalf("sign out: %v (screenshots in %s)", err, dir)
	}
	if notice, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="login-notice"]`))); notice != "Sie haben sich abgemeldet." {
		t.Errorf("sign-out notice %q", notice)
	}
	// Signed out really means signed out: the dashboard asks for a sign-in.
	if err := chromedp.Do(ctx, chromedp.Navigate(app.http.URL+"/"), chromedp.WaitVisible(css(`[data-testid="login-form"]`))); err != nil {
		t.Fatal(err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Errorf("after sign-out / shows %s", loc)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}

// TestBrowserImportJourney imports a real Google Patents export as a
// paralegal would: upload, read the dry run with its rejected rows, fix the
// file, check again, confirm, and find the patents in the list.
func TestBrowserImportJourney(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("editor@example.com", auth.RoleEditor)
	ctx, consoleProblems := newBrowser(t)
	dir := screenshotDir(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	original, err := os.ReadFile("../testdata/real/gp-search.csv")
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	rawPath, fixedPath := filepath.Join(files, "gp-search.csv"), filepath.Join(files, "gp-search-fixed.csv")
	if err := os.WriteFile(rawPath, original, 0o600); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(app.http.URL+"/login"),
		chromedp.SendKeys(css(`#email`), u.Email),
		chromedp.SendKeys(css(`#password`), testPassword(u.Email)),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`[data-testid="main-nav"]`)),
		chromedp.Navigate(app.http.URL+"/import"),
		chromedp.WaitVisible(css(`[data-testid="import-form"]`)),
		chromedp.SetUploadFiles(css(`[data-testid="import-file"]`), []string{rawPath}),
		screenshot(dir, "11-import-form"),
		chromedp.Click(css(`[data-testid="import-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="import-refused"]`)),
		screenshot(dir, "12-import-rejected"),
	)
	if err != nil {
		t.Fatalf("upload: %v (screenshots in %s)", err, dir)
	}
	rejected, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="count-rejected"] strong`)))
	if rejected != "9" {
		t.Errorf("dry run rejected %q rows, want 9", rejected)
	}
	// The paralegal deletes the lines the dry run lists (rows for which
	// Google names no owner at all) and uploads the file again.
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](
		`[...document.querySelectorAll('[data-testid="rejections"] [data-testid="issue"] td:first-child')].map(td => +td.textContent)`))
	if err != nil || len(lines) != 9 {
		t.Fatalf("rejected lines %v: %v", lines, err)
	}
	drop := map[int]bool{}
	for _, n := range lines {
		drop[n] = true
	}
	var kept []string
	for i, line := range strings.SplitAfter(string(original), "\n") {
		if !drop[i+1] {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(fixedPath, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := countAllPatents(t, app.db); n != 0 {
		t.Fatalf("a rejected file stored %d patents", n)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(css(`[data-testid="import-cancel"]`)),
		chromedp.WaitVisible(css(`[data-testid="import-form"]`)),
		chromedp.SetUploadFiles(css(`[data-testid="import-file"]`), []string{fixedPath}),
		chromedp.Click(css(`[data-testid="import-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="import-confirm"]`)),
		screenshot(dir, "13-import-review"),
	)
	if err != nil {
		t.Fatalf("upload the corrected file: %v (screenshots in %s)", err, dir)
	}
	created, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="count-create"] strong`)))
	if created != "527" {
		t.Errorf("dry run would create %q patents, want 527", created)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`[data-testid="import-confirm"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
		screenshot(dir, "14-imported"),
	)
	if err != nil {
		t.Fatalf("confirm: %v (screenshots in %s)", err, dir)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/patents") {
		t.Errorf("after the import the browser shows %s, want the patents list", loc)
	}
	flash, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="flash"]`)))
	if !strings.Contains(flash, "527 created") {
		t.Errorf("flash %q", flash)
	}
	if n := countAllPatents(t, app.db); n != 527 {
		t.Errorf("%d patents stored, want 527", n)
	}
	for _, line := range consoleProblems() {
		t.Errorf("browser console: %s", line)
	}
}
