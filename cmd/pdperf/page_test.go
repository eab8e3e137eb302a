package main

import (
	"strings"
	"testing"
)

func TestNextPath(t *testing.T) {
	tests := []struct {
		name, path, body, want string
		wantError              bool
	}{
		{"PagerLinkWithEscapedAmpersand", "/patents?office=EP&sort=filed",
			`<nav data-testid="pager"><a href="/patents?cursor=abc&amp;office=EP&amp;sort=filed" rel="next" data-testid="next-page">Next</a></nav>`,
			"/patents?cursor=abc&office=EP&sort=filed", false},
		{"RelativePagerLink", "/companies/7/coverage?field=x",
			`<a href="?cursor=c2&amp;field=x" rel="next" data-testid="next-page">Next</a>`, "/companies/7/coverage?cursor=c2&field=x", false},
		{"LastPageHasNoNextLink", "/patents", `<a href="/patents" data-testid="first-page">First</a>`, "", false},
		{"APICursorReplacesTheOldOne", "/api/v1/patents?cursor=old&limit=100&office=EP", `{"items":[],"next":"new+/="}`,
			"/api/v1/patents?cursor=new%2B%2F%3D&limit=100&office=EP", false},
		{"APILastPage", "/api/v1/patents?limit=100", `{"items":[],"next":null}`, "", false},
		{"APINotAList", "/api/v1/patents", `<html>`, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := nextPath(tc.path, []byte(tc.body))
			if (err != nil) != tc.wantError || got != tc.want {
				t.Errorf("nextPath = %q, %v; want %q (error %v)", got, err, tc.want, tc.wantError)
			}
		})
	}
}

func TestPageFollowsTheList(t *testing.T) {
	_, srv := newFakeDesk(t)
	t.Setenv("PDPERF_TOKEN", fakeToken)
	err := run(t.Context(), []string{"page", "--base", srv.URL, "--path", "/api/v1/patents?limit=3", "--page", "2"},
		stdio{out: &strings.Builder{}, err: &strings.Builder{}})
	// The fake's list has one page only.
	if err == nil || err.Error() != "the list ends at page 1" {
		t.Errorf("err = %v", err)
	}
}
