package web

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"NoProxyConfiguredIgnoresHeader", "203.0.113.7:5000", "198.51.100.1", nil, "203.0.113.7"},
		{"UntrustedPeerCannotClaimAnAddress", "203.0.113.7:5000", "198.51.100.1", proxies, "203.0.113.7"},
		{"TrustedProxyReportsTheClient", "10.1.2.3:5000", "198.51.100.1", proxies, "198.51.100.1"},
		{"ForgedLeftmostEntryIgnored", "10.1.2.3:5000", "1.2.3.4, 198.51.100.1", proxies, "198.51.100.1"},
		{"ChainOfTrustedProxiesSkipped", "10.1.2.3:5000", "198.51.100.1, 10.9.9.9", proxies, "198.51.100.1"},
		{"GarbageFallsBackToThePeer", "10.1.2.3:5000", "not-an-ip", proxies, "10.1.2.3"},
		{"IPv6Proxy", "[::1]:5000", "2001:db8::5", proxies, "2001:db8::5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote
			if tc.xff != "" {
				req.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := clientIP(req, tc.trusted); got != tc.want {
				t.Errorf("clientIP = %q, want %q", got, tc.want)
			}
		})
	}
}
