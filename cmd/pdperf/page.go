package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// nextLink finds the pager's "next page" link in a list page
// (templates/components.templ marks it with data-testid="next-page").
var nextLink = regexp.MustCompile(`<a\s[^>]*href="([^"]*)"[^>]*data-testid="next-page"`)

// nextPath returns the path of the page after the one whose answer is
// body: from the pager link of an HTML page, or from the "next" cursor of an
// API list. "" means that this was the last page.
func nextPath(path string, body []byte) (string, error) {
	if !strings.HasPrefix(path, "/api/") {
		m := nextLink.FindSubmatch(body)
		if m == nil {
			return "", nil
		}
		base, err := url.Parse(path)
		if err != nil {
			return "", err
		}
		ref, err := url.Parse(html.UnescapeString(string(m[1])))
		if err != nil {
			return "", fmt.Errorf("GET %s: the next-page link %q: %v", path, m[1], err)
		}
		return base.ResolveReference(ref).RequestURI(), nil
	}
	var page struct {
		Next *string `json:"next"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "", fmt.Errorf("GET %s: not a JSON list: %v", path, err)
	}
	if page.Next == nil || *page.Next == "" {
		return "", nil
	}
	u, err := url.Parse(path)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("cursor", *page.Next)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// cmdPage follows a list's "next" links and prints the path of page n,
// to be measured as a deep page: lists are paged by cursor, so a deep
// page has no number of its own.
func cmdPage(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("page", std)
	var af authFlags
	af.register(fs, time.Minute)
	path := fs.String("path", "", "the first page, e.g. /patents?office=EP&sort=filed_on")
	n := fs.Int("page", 100, "which page to print the path of (1 is the first)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case !strings.HasPrefix(*path, "/"):
		return errors.New("page needs --path, starting with /")
	case placeholderPattern.MatchString(*path):
		return errors.New("page takes a path without placeholders")
	case *n < 1:
		return errors.New("--page must be at least 1")
	}
	t, err := af.connect(ctx, std)
	if err != nil {
		return err
	}
	c := newClient(1, af.timeout)
	p := *path
	for i := 1; i < *n; i++ {
		a, err := t.send(ctx, c, http.MethodGet, p, nil, true)
		if err != nil {
			return err
		}
		if a.status != http.StatusOK {
			return fmt.Errorf("GET %s: status %d", p, a.status)
		}
		next, err := nextPath(p, a.body)
		if err != nil {
			return err
		}
		if next == "" {
			return fmt.Errorf("the list ends at page %d", i)
		}
		p = next
	}
	fmt.Fprintln(std.out, p)
	return nil
}
