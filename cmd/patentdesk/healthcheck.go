package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// cmdHealthcheck asks a running server's /healthz and exits 0 on "ok". It is
// the container's HEALTHCHECK, since a scratch image has no shell or curl.
func cmdHealthcheck(ctx context.Context, args []string, std stdio) error {
	fs, _ := newFlags("healthcheck", std)
	url := fs.String("url", "", "health URL (default: /healthz on PATENTDESK_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		*url = healthURL(envOr("PATENTDESK_ADDR", "127.0.0.1:8080"))
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: %s answered %s", *url, res.Status)
	}
	fmt.Fprintln(std.out, "ok")
	return nil
}

// healthURL turns a listen address into a URL this host can reach.
func healthURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/healthz"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
