package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// flashKey is the session value holding a catalog key to show once.
const flashKey = "flash"

// page builds the data every page shares. It takes the flash message out of
// the session, so that it is shown exactly once.
func (s *Server) page(c echo.Context, titleKey, section string) (templates.Page, error) {
	st := state(c)
	p := templates.Page{
		L:       st.locale,
		Title:   st.locale.T(titleKey),
		Section: section,
		Asset:   s.assets.Path,
		Path:    returnPath(c.Request()),
		Today:   s.now(),
	}
	demo, err := s.db.Demo(c.Request().Context())
	if err != nil {
		return p, err
	}
	p.Demo = demoBanners[demo]
	if u := st.user; u != nil {
		p.User = &templates.UserView{Name: u.DisplayName(), Email: u.Email, Role: string(u.Role), IsAdmin: u.Role == auth.RoleAdmin}
		if v, ok := st.session.Values[flashKey].(string); ok {
			key, rest, _ := strings.Cut(v, flashSep)
			var args []any
			if rest != "" {
				for _, a := range strings.Split(rest, flashSep) {
					args = append(args, a)
				}
			}
			p.Flash = st.locale.T(key, args...)
			delete(st.session.Values, flashKey)
			if err := st.session.Save(c.Request(), c.Response()); err != nil {
				return p, err
			}
		}
	}
	return p, nil
}

// returnPath is where switching the language leads back to: the page itself
// when it was fetched with GET, else the start page, since the path of a
// re-rendered form may accept only POST.
func returnPath(req *http.Request) string {
	if req.Method != http.MethodGet {
		return "/"
	}
	return safeNext(req.URL.RequestURI())
}

// flashSep separates a flash message's key from its arguments.
const flashSep = "\x1f"

// flash stores a catalog key, and the strings its %s verbs take (such as a
// company's name), to show on the next page in the user's language.
func (s *Server) flash(c echo.Context, key string, args ...string) error {
	st := state(c)
	if st.session == nil || st.user == nil {
		return nil
	}
	st.session.Values[flashKey] = strings.Join(append([]string{key}, args...), flashSep)
	return st.session.Save(c.Request(), c.Response())
}

// render writes a component with the given status. It renders into a
// buffer first, so that a failing template can still become an error page.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// errorTitles names each error page in the catalog.
var errorTitles = map[licensing.Code]string{
	licensing.Invalid:      "error.invalid.title",
	licensing.NotFound:     "error.not_found.title",
	licensing.Conflict:     "error.conflict.title",
	licensing.Unauthorized: "error.unauthorized.title",
	licensing.Forbidden:    "error.forbidden.title",
	licensing.Internal:     "error.internal.title",
}

func (s *Server) renderError(c echo.Context, status int, code licensing.Code) error {
	p, err := s.page(c, errorTitles[code], "")
	if err != nil {
		// The database may be what failed; the error page must still show.
		st := state(c)
		p.L, p.Title, p.Asset = st.locale, st.locale.T(errorTitles[code]), s.assets.Path
	}
	msgKey := "error." + string(code) + ".body"
	if status == http.StatusRequestEntityTooLarge {
		msgKey = "error.too_large.body"
	}
	return render(c, status, templates.ErrorPage(p, status, p.L.T(msgKey)))
}

// demoBanners are the catalog keys of the banner each demo data set shows
// on every page.
var demoBanners = map[sqlite.DemoKind]string{
	sqlite.DemoIllustrative: "layout.demo",
	sqlite.DemoSynthetic:    "layout.demo_synthetic",
}
