package web

import (
	"net/http"
	"net/url"
	"testing"

	"patentdesk/internal/auth"
)

func TestCrossOriginWritesRefused(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("a@example.com", auth.RoleViewer)
	form := url.Values{"email": {u.Email}, "password": {testPassword(u.Email)}}
	cases := []struct {
		name    string
		headers []string
		want    int
	}{
		{"CrossSiteFetchMetadata", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"ForeignOrigin", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"SameOriginFetchMetadata", []string{"Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
		{"NoBrowserHeaders", nil, http.StatusSeeOther},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := app.browser().post("/login", form, tc.headers...)
			wantStatus(t, res, tc.want)
			if tc.want == http.StatusForbidden && len(res.Cookies()) > 0 {
				t.Error("a refused cross-origin sign-in still set a cookie")
			}
		})
	}
	t.Run("CrossSiteSignOutDoesNotEndTheSession", func(t *testing.T) {
		b := app.browser()
		b.mustSignIn(u)
		wantStatus(t, b.post("/logout", nil, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
		wantStatus(t, b.get("/"), http.StatusOK)
	})
}

// The security headers are checked on every route in headers_test.go.

func TestRoles(t *testing.T) {
	app := newTestApp(t)
	users := map[auth.Role]*auth.User{
		auth.RoleViewer: app.addUser("viewer@example.com", auth.RoleViewer),
		auth.RoleEditor: app.addUser("editor@example.com", auth.RoleEditor),
		auth.RoleAdmin:  app.addUser("admin@example.com", auth.RoleAdmin),
	}
	cases := []struct {
		path string
		role auth.Role
		want int
	}{
		{"/", auth.RoleViewer, http.StatusOK},
		{"/patents", auth.RoleViewer, http.StatusOK},
		{"/account", auth.RoleViewer, http.StatusOK},
		{"/admin", auth.RoleViewer, http.StatusForbidden},
		{"/admin", auth.RoleEditor, http.StatusForbidden},
		{"/admin", auth.RoleAdmin, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(string(tc.role)+tc.path, func(t *testing.T) {
			b := app.browser()
			b.mustSignIn(users[tc.role])
			res := b.get(tc.path)
			wantStatus(t, res, tc.want)
			doc := parseHTML(t, res)
			if tc.want == http.StatusForbidden && testid(doc, "error-page").Length() != 1 {
				t.Error("refusal is not explained on an error page")
			}
			adminLink := doc.Find(`nav a[href="/admin"]`).Length() == 1
			if adminLink != (tc.role == auth.RoleAdmin) {
				t.Errorf("admin link shown=%v for %s", adminLink, tc.role)
			}
		})
	}
	t.Run("AdminSeesEveryAccount", func(t *testing.T) {
		b := app.browser()
		b.mustSignIn(users[auth.RoleAdmin])
		rows := testid(parseHTML(t, b.get("/admin")), "users-table").Find("tbody tr")
		if rows.Length() != 3 {
			t.Errorf("%d rows, want 3", rows.Length())
		}
	})
}
