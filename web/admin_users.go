package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// Administrators create accounts (by invitation link or with an initial
// password the person must replace), change roles, disable and enable
// accounts, reset passwords, and end a user's sessions and tokens. Every
// change is audited by the store.

// invitationLifetime is how long an invitation link works.
const invitationLifetime = 7 * 24 * time.Hour

// resetLinkLifetime is how long a password reset link works: shorter than
// an invitation, since it opens an account that already holds data.
const resetLinkLifetime = 24 * time.Hour

// activityShown is how many audit rows a user's page shows; the audit
// trail, filtered to the user, has the rest.
const activityShown = 20

func (s *Server) adminNewUserForm(c echo.Context) error {
	return s.renderNewUser(c, http.StatusOK, templates.NewUserForm{Role: string(auth.RoleViewer), Method: "invite"})
}

func (s *Server) renderNewUser(c echo.Context, status int, f templates.NewUserForm) error {
	p, err := s.page(c, "admin.new.title", "admin")
	if err != nil {
		return err
	}
	return render(c, status, templates.AdminUserNew(p, f))
}

// newUserForm is the form for a new account as posted.
type newUserForm struct {
	templates.NewUserForm
	email    string // normalised
	role     auth.Role
	password string
	confirm  string
}

func readNewUserForm(c echo.Context) newUserForm {
	f := newUserForm{password: c.FormValue("password"), confirm: c.FormValue("confirm")}
	f.Email, f.Name = strings.TrimSpace(c.FormValue("email")), strings.TrimSpace(c.FormValue("name"))
	f.Role, f.Method = c.FormValue("role"), c.FormValue("method")
	return f
}

// Validate fills the form's field errors in the user's language.
func (f *newUserForm) Validate(l *i18n.Locale) {
	f.Errors = templates.FieldErrors{}
	var err error
	if f.email, err = auth.NormalizeEmail(f.Email); err != nil {
		f.Errors["email"] = l.T("error.field.email")
	}
	if len([]rune(f.Name)) > 200 {
		f.Errors["name"] = l.T("error.field.too_long", 200)
	}
	if f.role, err = auth.ParseRole(f.Role); err != nil {
		f.Errors["role"] = l.T("admin.error.role")
	}
	switch f.Method {
	case "invite":
	case "password":
		validateNewPassword(l, f.Errors, f.Email, f.password, f.confirm)
	default:
		f.Errors["method"] = l.T("admin.error.method")
	}
}

// adminCreateUser creates an account. An invitation's link is shown on the
// answer itself, this once, as a new token is; an account with an initial
// password goes to its page.
func (s *Server) adminCreateUser(c echo.Context) error {
	ctx := c.Request().Context()
	l := state(c).locale
	f := readNewUserForm(c)
	f.Validate(l)
	if len(f.Errors) > 0 {
		return s.renderNewUser(c, http.StatusUnprocessableEntity, f.NewUserForm)
	}
	u := &auth.User{Email: f.email, Name: f.Name, Role: f.role}
	var secret string
	var link *auth.PasswordLink
	var err error
	if f.Method == "invite" {
		secret, link, err = s.db.InviteUser(ctx, s.actor(c), u, s.now().Add(invitationLifetime))
	} else {
		if u.PasswordHash, err = s.hashPassword(f.password); err != nil {
			return err
		}
		u.MustChangePassword = true
		err = s.db.CreateUser(ctx, s.actor(c), u)
	}
	if errors.Is(err, auth.ErrUserExists) {
		f.Errors["email"] = l.T("admin.error.email_taken")
		return s.renderNewUser(c, http.StatusUnprocessableEntity, f.NewUserForm)
	}
	if err != nil {
		return err
	}
	if link == nil {
		if err := s.flash(c, "admin.new.created_password", u.Email); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
	}
	return s.renderAdminUser(c, http.StatusCreated, u, func(v *templates.AdminUserView) {
		v.NewLink = s.newLinkView(c, secret, link)
	})
}

// newLinkView is a link just made, with the full address to hand over.
func (s *Server) newLinkView(c echo.Context, secret string, link *auth.PasswordLink) *templates.NewLinkView {
	return &templates.NewLinkView{Kind: string(link.Kind), URL: s.absoluteURL(c, "/invite/"+secret), ExpiresAt: link.ExpiresAt}
}

func (s *Server) adminUserPage(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminUser(c, http.StatusOK, u, func(*templates.AdminUserView) {})
}

// renderAdminUser renders an account's page, after fill has added what the
// request at hand has to show.
func (s *Server) renderAdminUser(c echo.Context, status int, u *auth.User, fill func(*templates.AdminUserView)) error {
	ctx := c.Request().Context()
	l := state(c).locale
	v := templates.AdminUserView{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Status: userStatus(u),
		CreatedAt:  u.CreatedAt,
		ActivityOn: "/admin/audit?entity=user&entity_id=" + strconv.FormatInt(u.ID, 10),
		ActivityBy: "/admin/audit?user=" + strconv.FormatInt(u.ID, 10)}
	link, err := s.db.OpenPasswordLink(ctx, u.ID)
	switch {
	case err == nil:
		v.Link = &templates.LinkView{Kind: string(link.Kind), ExpiresAt: link.ExpiresAt, Expired: !link.Open(s.now())}
	case !errors.Is(err, sqlite.ErrNotFound):
		return err
	}
	if v.Sessions, err = s.sessionRows(c, u.ID, adminUserHref(u.ID)+"/sessions/"); err != nil {
		return err
	}
	if v.Tokens, err = s.tokenRows(ctx, u.ID); err != nil {
		return err
	}
	if v.Activity, err = s.userActivity(ctx, l, u.ID); err != nil {
		return err
	}
	v.Lockout = s.lockoutView(u)
	fill(&v)
	p, err := s.page(c, "admin.user.title", "admin")
	if err != nil {
		return err
	}
	return render(c, status, templates.AdminUser(p, v))
}

// userActivity is the newest rows of the audit trail about an account or
// made by it, newest first: two indexed reads of a page each.
func (s *Server) userActivity(ctx context.Context, l *i18n.Locale, userID int64) ([]templates.AuditRow, error) {
	about := historyFilter("user", userID)
	about.Limit = activityShown
	by := sqlite.AuditFilter{UserID: &userID, Limit: activityShown}
	var all []sqlite.AuditEntry
	for _, f := range []sqlite.AuditFilter{about, by} {
		list, _, err := s.db.AuditTrail(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b sqlite.AuditEntry) int { return cmp.Compare(b.ID, a.ID) })
	all = slices.CompactFunc(all, func(a, b sqlite.AuditEntry) bool { return a.ID == b.ID })
	rows := make([]templates.AuditRow, 0, min(len(all), activityShown))
	for _, e := range all[:min(len(all), activityShown)] {
		rows = append(rows, auditRow(l, e))
	}
	return rows, nil
}

// adminSetRole changes an account's role; the account's next request
// already runs with it.
func (s *Server) adminSetRole(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	l := state(c).locale
	refuse := func(msg string) error {
		return s.renderAdminUser(c, http.StatusUnprocessableEntity, u, func(v *templates.AdminUserView) {
			v.RoleErrors = templates.FieldErrors{"role": msg}
		})
	}
	role, err := auth.ParseRole(c.FormValue("role"))
	if err != nil {
		return refuse(l.T("admin.error.role"))
	}
	err = s.db.SetUserRole(c.Request().Context(), s.actor(c), u.ID, role)
	if errors.Is(err, auth.ErrLastAdmin) {
		return refuse(l.T("admin.error.last_admin"))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "admin.role.changed", u.Email, l.T("role."+string(role))); err != nil {
		return err
	}
	if u.ID == currentUser(c).ID && role != auth.RoleAdmin {
		return c.Redirect(http.StatusSeeOther, "/") // no longer an administrator
	}
	return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
}

func (s *Server) adminDisable(c echo.Context) error { return s.adminSetDisabled(c, true) }

func (s *Server) adminEnable(c echo.Context) error { return s.adminSetDisabled(c, false) }

// adminSetDisabled disables an account, ending its sessions, tokens,
// calendar feeds and links at once, or enables it again.
func (s *Server) adminSetDisabled(c echo.Context, disabled bool) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	err = s.db.SetUserDisabled(c.Request().Context(), s.actor(c), u.ID, disabled)
	if errors.Is(err, auth.ErrLastAdmin) {
		return s.renderAdminUser(c, http.StatusUnprocessableEntity, u, func(v *templates.AdminUserView) {
			v.Error = state(c).locale.T("admin.error.last_admin_disable")
		})
	}
	if err != nil {
		return err
	}
	if disabled && u.ID == currentUser(c).ID {
		return c.Redirect(http.StatusSeeOther, "/login") // this session has just ended
	}
	key := "admin.access.enabled_done"
	if disabled {
		key = "admin.access.disabled_done"
	}
	if err := s.flash(c, key, u.Email); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
}

// adminReset lets the person choose a new password by a link (shown once,
// here), or gives the account an initial password they must replace.
func (s *Server) adminReset(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l := state(c).locale
	disabled := func(v *templates.AdminUserView) { v.Error = l.T("admin.reset.disabled") }
	switch c.FormValue("method") {
	case "link":
		lifetime := resetLinkLifetime
		if u.Invited() {
			lifetime = invitationLifetime
		}
		secret, link, err := s.db.IssuePasswordLink(ctx, s.actor(c), u.ID, s.now().Add(lifetime))
		if errors.Is(err, auth.ErrUserDisabled) {
			return s.renderAdminUser(c, http.StatusUnprocessableEntity, u, disabled)
		}
		if err != nil {
			return err
		}
		return s.renderAdminUser(c, http.StatusOK, u, func(v *templates.AdminUserView) {
			v.NewLink = s.newLinkView(c, secret, link)
		})
	case "password":
		errs := templates.FieldErrors{}
		password := c.FormValue("password")
		validateNewPassword(l, errs, u.Email, password, c.FormValue("confirm"))
		if len(errs) > 0 {
			return s.renderAdminUser(c, http.StatusUnprocessableEntity, u, func(v *templates.AdminUserView) { v.ResetErrors = errs })
		}
		hash, err := s.hashPassword(password)
		if err != nil {
			return err
		}
		err = s.db.SetInitialPassword(ctx, s.actor(c), u.ID, hash)
		if errors.Is(err, auth.ErrUserDisabled) {
			return s.renderAdminUser(c, http.StatusUnprocessableEntity, u, disabled)
		}
		if err != nil {
			return err
		}
		if u.ID == currentUser(c).ID {
			return c.Redirect(http.StatusSeeOther, "/login") // every session of the account has ended
		}
		if err := s.flash(c, "admin.reset.password_done", u.Email); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, adminUserHref(u.ID))
	}
	return &licensing.Error{Code: licensing.Invalid, Message: "unknown reset method",
		Fields: map[string]string{"method": "must be link or password"}}
}

// adminRevokeToken ends one of a user's API tokens at once.
func (s *Server) adminRevokeToken(c echo.Context) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.revokeUserToken(c, u.ID, c.Param("token"), adminUserHref(u.ID)+"#tokens")
}
