package auth

import "testing"

func TestDevice(t *testing.T) {
	tests := []struct {
		name, ua, browser, system string
	}{
		{"FirefoxOnWindows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "Windows"},
		{"ChromeOnMac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "macOS"},
		{"EdgeIsNotChrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70", "Edge", "Windows"},
		{"SafariOnIPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari", "iPhone"},
		{"ChromeOnAndroidIsNotLinux", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android"},
		{"FirefoxOnLinux", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox", "Linux"},
		{"Curl", "curl/8.5.0", "curl", ""},
		{"Empty", "", "", ""},
		{"Unknown", "SomethingElse/1.0", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, s := Device(tc.ua)
			if b != tc.browser || s != tc.system {
				t.Errorf("Device(%q) = %q, %q; want %q, %q", tc.ua, b, s, tc.browser, tc.system)
			}
		})
	}
}
