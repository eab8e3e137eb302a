package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/demo"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/web"
)

// serveConfig is everything serve is told by flags and environment.
type serveConfig struct {
	addr, data, baseURL, logFormat string
	demo, secure                   bool
	trustedProxies                 string
	idle, absolute                 time.Duration
	maxUploadMB, maxImportRows     int
	maxDocumentMB                  int
	apiRate                        int // API requests per second and token; 0: no limit
}

func parseServeFlags(args []string, std stdio) (*serveConfig, error) {
	fs, data := newFlags("serve", std)
	cfg := &serveConfig{}
	fs.StringVar(&cfg.addr, "addr", envOr("PATENTDESK_ADDR", "127.0.0.1:8080"), "address to listen on (env PATENTDESK_ADDR)")
	fs.BoolVar(&cfg.demo, "demo", envBool("PATENTDESK_DEMO"), "load the demo data set into an empty data directory (env PATENTDESK_DEMO)")
	fs.BoolVar(&cfg.secure, "secure", envBool("PATENTDESK_SECURE"), "the app is served over HTTPS: Secure __Host- cookies and HSTS (env PATENTDESK_SECURE)")
	fs.StringVar(&cfg.trustedProxies, "trusted-proxies", os.Getenv("PATENTDESK_TRUSTED_PROXIES"), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (env PATENTDESK_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.baseURL, "base-url", os.Getenv("PATENTDESK_BASE_URL"), "public URL of the app, for printed links (env PATENTDESK_BASE_URL)")
	fs.DurationVar(&cfg.idle, "session-idle", envDuration("PATENTDESK_SESSION_IDLE", auth.DefaultSessionConfig.IdleTimeout), "idle timeout of a session (env PATENTDESK_SESSION_IDLE)")
	fs.DurationVar(&cfg.absolute, "session-max", envDuration("PATENTDESK_SESSION_MAX", auth.DefaultSessionConfig.AbsoluteTimeout), "absolute lifetime of a session (env PATENTDESK_SESSION_MAX)")
	fs.IntVar(&cfg.maxUploadMB, "max-upload-mb", envInt("PATENTDESK_MAX_UPLOAD_MB", 32), "largest CSV file the import page accepts, in MB (env PATENTDESK_MAX_UPLOAD_MB)")
	fs.IntVar(&cfg.maxDocumentMB, "max-document-mb", envInt("PATENTDESK_MAX_DOCUMENT_MB", 50), "largest agreement document (signed copy, annex) an upload accepts, in MB (env PATENTDESK_MAX_DOCUMENT_MB)")
	fs.IntVar(&cfg.maxImportRows, "max-import-rows", envInt("PATENTDESK_MAX_IMPORT_ROWS", 200_000), "most rows of a CSV file the import page accepts (env PATENTDESK_MAX_IMPORT_ROWS)")
	fs.IntVar(&cfg.apiRate, "api-rate", envInt("PATENTDESK_API_RATE", 20), "API requests per second a token may send, with bursts of three times as many; 0 turns the limit off (env PATENTDESK_API_RATE)")
	fs.StringVar(&cfg.logFormat, "log-format", envOr("PATENTDESK_LOG_FORMAT", "text"), "log format: text or json (env PATENTDESK_LOG_FORMAT)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve takes no arguments, got %q", fs.Arg(0))
	}
	cfg.data = *data
	if cfg.maxUploadMB < 1 || cfg.maxImportRows < 1 || cfg.maxDocumentMB < 1 {
		return nil, errors.New("--max-upload-mb, --max-document-mb and --max-import-rows must be at least 1")
	}
	if cfg.apiRate < 0 {
		return nil, errors.New("--api-rate must be 0 (no limit) or more")
	}
	if cfg.idle <= 0 || cfg.absolute <= 0 || cfg.idle > cfg.absolute {
		return nil, errors.New("session timeouts must be positive, and the idle timeout no longer than the maximum")
	}
	if cfg.logFormat != "text" && cfg.logFormat != "json" {
		return nil, fmt.Errorf("log format %q: use text or json", cfg.logFormat)
	}
	return cfg, nil
}

func cmdServe(ctx context.Context, args []string, std stdio) error {
	cfg, err := parseServeFlags(args, std)
	if err != nil {
		return err
	}
	proxies, err := parseProxies(cfg.trustedProxies)
	if err != nil {
		return err
	}
	// Log times are UTC whatever the host's zone, so that sign-in events can
	// be matched with other systems' logs.
	logOpts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
			a.Value = slog.TimeValue(a.Value.Time().UTC())
		}
		return a
	}}
	var handler slog.Handler = slog.NewTextHandler(std.err, logOpts)
	if cfg.logFormat == "json" {
		handler = slog.NewJSONHandler(std.err, logOpts)
	}
	logger := slog.New(handler)

	db, err := sqlite.Open(ctx, cfg.data)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := auth.LoadSessionKeys(cfg.data, os.Getenv("PATENTDESK_SESSION_KEY"))
	if err != nil {
		return err
	}
	users, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	var accounts []demo.Account
	setupToken := ""
	switch {
	case users == 0 && cfg.demo:
		// The demo's running licence is dated from today (see demo.Load).
		if accounts, err = demo.Load(ctx, db, licensing.DateOf(time.Now())); err != nil {
			return err
		}
	case users == 0:
		setupToken = rand.Text()
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{
		Secure: cfg.secure, TrustedProxies: proxies, SessionKeys: keys, SetupToken: setupToken, Logger: logger,
		Session:        auth.SessionConfig{IdleTimeout: cfg.idle, AbsoluteTimeout: cfg.absolute},
		MaxUploadBytes: int64(cfg.maxUploadMB) << 20, MaxImportRows: cfg.maxImportRows,
		MaxDocumentBytes: int64(cfg.maxDocumentMB) << 20,
		APIRate:          apiRate(cfg.apiRate), APIBurst: 3 * cfg.apiRate,
		BaseURL: cfg.baseURL,
	}, db)
	if err != nil {
		ln.Close()
		return err
	}
	// Stops a conflicts count still running, before the database closes.
	defer srv.Close()
	base := publicURL(cfg.baseURL, ln.Addr())
	printWelcome(std, base, users, cfg.demo, accounts, setupToken)

	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // large CSV exports stream for a while
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	// The sweeper must be gone before the deferred db.Close runs.
	sweepCtx, stopSweep := context.WithCancel(ctx)
	var sweeper sync.WaitGroup
	srv.RefreshOwners(ctx) // assignments that took effect while the server was down
	sweeper.Go(func() { srv.SweepSessions(sweepCtx, 10*time.Minute) })
	// Readers that never stop would otherwise let the WAL grow without bound.
	sweeper.Go(func() {
		if err := db.KeepWALBounded(sweepCtx, sqlite.DefaultWALPolicy, logger); err != nil {
			logger.Error("write-ahead log checkpointer stopped", "err", err)
		}
	})
	// Writes split the full-text index into segments, each of which a
	// search has to read.
	sweeper.Go(func() {
		if err := db.KeepSearchCompact(sweepCtx, sqlite.DefaultSearchPolicy, logger); err != nil {
			logger.Error("search index compactor stopped", "err", err)
		}
	})
	defer sweeper.Wait()
	defer stopSweep()

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	logger.Info("listening", "address", ln.Addr().String(), "data", cfg.data)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Let requests in flight finish, then close the database cleanly.
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// printWelcome tells the operator how to sign in. Demo passwords and the
// setup link are printed once and never stored in readable form.
func printWelcome(std stdio, base string, users int, demoMode bool, accounts []demo.Account, setupToken string) {
	fmt.Fprintf(std.out, "PatentDesk is running at %s\n", base)
	switch {
	case len(accounts) > 0:
		fmt.Fprintf(std.out, "\nDemo data loaded. Sign in at %s/login with one of these accounts.\n", base)
		fmt.Fprintln(std.out, "The passwords are shown only this once; change them with \"patentdesk user passwd\".")
		tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
		for _, a := range accounts {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Role, a.Email, a.Password)
		}
		tw.Flush()
		fmt.Fprintln(std.out)
	case setupToken != "":
		fmt.Fprintf(std.out, "\nNo users yet. Create the first administrator here (the link works once):\n  %s/setup/%s\n\n", base, setupToken)
	case demoMode:
		fmt.Fprintf(std.out, "This data directory already has %d users; demo data is loaded only into an empty one.\n"+
			"Sign in at %s/login with the accounts printed at its first start (reset a password with \"patentdesk user passwd\").\n", users, base)
	default:
		fmt.Fprintf(std.out, "Sign in at %s/login\n", base)
	}
}

// publicURL is the base of printed links: the configured one, or the
// listening address (localhost when listening on every interface).
func publicURL(configured string, addr net.Addr) string {
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	host := ap.Addr()
	if host.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d", ap.Port())
	}
	return "http://" + netip.AddrPortFrom(host, ap.Port()).String()
}

// parseProxies reads a comma-separated list of addresses and CIDR ranges.
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR range", part)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func envInt(name string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return fallback
}

func envDuration(name string, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return fallback
}

// apiRate is the server's rate for the flag's: 0 there means no limit,
// which the server spells as a negative rate.
func apiRate(perSecond int) float64 {
	if perSecond == 0 {
		return -1
	}
	return float64(perSecond)
}
