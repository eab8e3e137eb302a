package web

import (
	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
)

// routes registers every route with the role it requires. Each route names
// its check explicitly, so none can be added without one.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.recoverAndLog, s.clientAddress, s.securityHeaders, s.crossOrigin, s.limitBody, s.loadSession)

	public, viewer, editor, admin := s.public, s.requireRole(auth.RoleViewer), s.requireRole(auth.RoleEditor), s.requireRole(auth.RoleAdmin)
	// Sensitive actions also need a password confirmed within the last
	// minutes (reauth.go): every administrator's change of an account
	// (its GET pages pass freely), creating an API token or a calendar feed.
	adminConfirmed := s.withRecentPassword(admin)

	e.GET("/healthz", s.healthz, public)
	e.GET("/static/*", s.staticFile, public)
	e.GET("/login", s.loginForm, public)
	e.POST("/login", s.login, public)
	e.POST("/logout", s.logout, public)
	e.GET("/setup/:token", s.setupForm, public)
	e.POST("/setup/:token", s.setup, public)
	e.POST("/locale", s.setLocale, public)

	e.GET("/", s.dashboard, viewer)
	s.companyRoutes(e, viewer, editor)
	s.patentRoutes(e, viewer, editor)
	s.agreementRoutes(e, viewer, editor)
	s.agreementPartRoutes(e, viewer, editor)
	e.GET("/history/:entity/:id", s.recordHistory, viewer)
	s.importRoutes(e, editor)
	s.auditRoutes(e, admin)
	e.GET("/reports", s.reports, viewer)
	e.GET("/reports/title-breaks", s.titleBreakReport, viewer)
	e.GET("/reports/title-breaks.csv", s.titleBreakExport, viewer)
	s.rightsRoutes(e, viewer)
	s.coverageRoutes(e, viewer)
	e.GET("/account", s.accountPage, viewer)
	e.POST("/account/password", s.changePassword, viewer)
	e.POST("/account/tokens", s.createToken, viewer, s.recentPassword)
	e.POST("/account/tokens/:id/revoke", s.revokeToken, viewer)
	s.adminRoutes(e, adminConfirmed)
	s.sessionRoutes(e, viewer, adminConfirmed)
	s.deadlineRoutes(e, viewer, editor)
	s.timelineRoutes(e, viewer)
	s.apiRoutes(e)
	return e
}
