package auth

import "strings"

// Device reads a User-Agent header as a person would name the device:
// the browser (or program) and the operating system, each "" when the
// header does not tell. It is for lists of sessions, never for decisions:
// a client can send any header it likes.
func Device(userAgent string) (browser, system string) {
	return browserOf(userAgent), systemOf(userAgent)
}

// browsers are checked in order: Chromium-based browsers name Chrome and
// Safari too, and Chrome names Safari, so the narrower names come first.
var browsers = []struct{ marker, name string }{
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"}, {"Opera", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Vivaldi/", "Vivaldi"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"Version/", "Safari"}, // Safari says "Version/17.1 … Safari/605"
	{"curl/", "curl"}, {"Wget/", "Wget"},
	{"python-requests/", "Python"}, {"Go-http-client/", "Go"},
	{"PowerShell/", "PowerShell"},
}

var systems = []struct{ marker, name string }{
	{"iPhone", "iPhone"}, {"iPad", "iPad"},
	{"Android", "Android"},
	{"CrOS", "ChromeOS"},
	{"Windows", "Windows"},
	{"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
	{"Linux", "Linux"}, {"X11", "Unix"},
}

func browserOf(ua string) string {
	for _, b := range browsers {
		if strings.Contains(ua, b.marker) {
			if b.name == "Safari" && !strings.Contains(ua, "Safari/") {
				continue
			}
			return b.name
		}
	}
	return ""
}

func systemOf(ua string) string {
	for _, s := range systems {
		if strings.Contains(ua, s.marker) {
			return s.name
		}
	}
	return ""
}
