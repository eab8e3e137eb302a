// Package web is PatentDesk's HTTP server: routes, middleware, one file per
// resource, HTML pages rendered with templ and the JSON API under /api/v1.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/static"
)

// Config is what the server is told by flags and environment.
type Config struct {
	Secure           bool           // served over HTTPS (behind a TLS proxy): Secure cookies, HSTS
	TrustedProxies   []netip.Prefix // X-Forwarded-For is believed only from these
	Session          auth.SessionConfig
	SessionKeys      [][]byte // the first signs; the others still verify
	SetupToken       string   // the one-time link's secret while no user exists
	Logger           *slog.Logger
	Now              func() time.Time // nil means time.Now
	MaxBodyBytes     int64            // request body limit; 0 means 1 MiB
	MaxUploadBytes   int64            // CSV upload limit; 0 means 32 MiB
	MaxDocumentBytes int64            // agreement document upload limit; 0 means 50 MiB
	MaxImportRows    int              // rows per uploaded file; 0 means 200,000
	APIRate          float64          // API requests per second and token, sustained; 0 means 20, negative means no limit
	APIBurst         int              // API requests a token may send at once before the rate applies; 0 means three seconds' worth
	AccountThrottle  auth.ThrottleRule
	AddressThrottle  auth.ThrottleRule
	BaseURL          string // the public URL (serve --base-url), for links that leave the site; "" means as the request reached it
}

// Server holds what the handlers share.
type Server struct {
	cfg       Config
	db        *sqlite.DB
	log       *slog.Logger
	now       func() time.Time
	assets    *static.Assets
	sessions  *auth.SessionStore
	byEmail   *auth.Throttle
	byAddr    *auth.Throttle
	cop       *http.CrossOriginProtection
	apiLimits *apiLimiter
	conflicts *conflictCache // the last conflicts report counted (conflicts_cache.go)
	dashMemo  dashboardMemo  // the start page's last figures (dashboard_memo.go)
	deadMemo  deadlineMemo   // the last deadline lists read (deadlines_memo.go)
	memory    memoryReturn   // freed memory given back after large work (memory.go)
	echo      *echo.Echo
}

// New builds the server and its routes.
func New(cfg Config, db *sqlite.DB) (*Server, error) {
	if len(cfg.SessionKeys) == 0 {
		return nil, fmt.Errorf("web: no session signing key")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 32 << 20
	}
	if cfg.MaxDocumentBytes == 0 {
		cfg.MaxDocumentBytes = 50 << 20
	}
	if cfg.MaxImportRows == 0 {
		cfg.MaxImportRows = 200_000
	}
	if cfg.Session.IdleTimeout == 0 {
		cfg.Session.IdleTimeout = auth.DefaultSessionConfig.IdleTimeout
	}
	if cfg.Session.AbsoluteTimeout == 0 {
		cfg.Session.AbsoluteTimeout = auth.DefaultSessionConfig.AbsoluteTimeout
	}
	if cfg.APIRate == 0 {
		cfg.APIRate = 20
	}
	if cfg.APIBurst == 0 {
		cfg.APIBurst = max(1, int(3*cfg.APIRate))
	}
	if cfg.AccountThrottle.MaxFailures == 0 {
		cfg.AccountThrottle = auth.AccountThrottleRule
	}
	if cfg.AddressThrottle.MaxFailures == 0 {
		cfg.AddressThrottle = auth.AddressThrottleRule
	}
	cfg.Session.Secure = cfg.Secure
	assets, err := static.Load()
	if err != nil {
		return nil, fmt.Errorf("web: static assets: %w", err)
	}
	s := &Server{
		cfg:       cfg,
		db:        db,
		log:       cfg.Logger,
		now:       cfg.Now,
		assets:    assets,
		sessions:  auth.NewSessionStore(db, cfg.Session, cfg.Now, cfg.SessionKeys...),
		byEmail:   auth.NewThrottle(cfg.AccountThrottle, cfg.Now),
		byAddr:    auth.NewThrottle(cfg.AddressThrottle, cfg.Now),
		cop:       http.NewCrossOriginProtection(),
		apiLimits: newAPILimiter(cfg.APIRate, cfg.APIBurst),
	}
	s.conflicts = newConflictCache(s.findConflicts, conflictsStamp(db), cfg.Now)
	s.conflicts.counted = s.memory.after
	s.echo = s.routes()
	return s, nil
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router, so tests can enumerate every registered route.
func (s *Server) Echo() *echo.Echo { return s.echo }

// SweepSessions deletes ended sessions, and uploads whose import was never
// confirmed, every interval until ctx is done, so that neither table grows
// with abandoned browsers.
func (s *Server) SweepSessions(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := s.now()
			n, err := s.db.DeleteExpiredSessions(ctx, now.Add(-s.cfg.Session.IdleTimeout), now.Add(-s.cfg.Session.AbsoluteTimeout))
			if err != nil {
				s.log.Error("sweep sessions", "err", err)
			} else if n > 0 {
				s.log.Info("ended sessions swept", "count", n)
			}
			n, err = s.db.DeleteStalePendingImports(ctx, now.Add(-pendingImportLifetime))
			if err != nil {
				s.log.Error("sweep pending imports", "err", err)
			} else if n > 0 {
				s.log.Info("unconfirmed imports swept", "count", n)
			}
			s.RefreshOwners(ctx)
		}
	}
}

// RefreshOwners brings each patent's owner today in step with its chain of
// title, for assignments whose effective date has arrived since the last
// run; the list, the search and the CSV export read the owner today.
func (s *Server) RefreshOwners(ctx context.Context) {
	n, err := s.db.RefreshOwners(ctx, licensing.DateOf(s.now()))
	if err != nil {
		s.log.Error("refresh owners", "err", err)
	} else if n > 0 {
		s.log.Info("owners brought up to date", "patents", n)
	}
}

// absoluteURL is a path on this server, scheme and host included, for
// links that leave the site (a feed's address, a calendar entry's link
// back): under the public URL the server was given (serve --base-url),
// else as the request reached it. Behind a proxy that rewrites the host,
// only the configured URL is the one a calendar program can reach. Feed
// links, invitation and reset links and the API address on the account
// page all take it from here.
func (s *Server) absoluteURL(c echo.Context, path string) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL + path
	}
	return c.Scheme() + "://" + c.Request().Host + path
}
