package web

import (
	"errors"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/auth"
	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/templates"
)

// What the forms of every resource share: who may edit, how dates and
// lists are typed, and how the domain's refusals reach the fields.

// canEdit reports whether the signed-in user may change records, to offer
// the buttons that lead there.
func canEdit(c echo.Context) bool {
	u := currentUser(c)
	return u != nil && u.Role.AtLeast(auth.RoleEditor)
}

// storeFieldErrors shows the store's refusal on the form: its field
// messages beside the fields, and its message on top when it names none.
func storeFieldErrors(l *i18n.Locale, de *licensing.Error) (templates.FieldErrors, string) {
	errs := templates.FieldErrors{}
	for field, msg := range de.Fields {
		errs[formField(field)] = l.Domain(msg)
	}
	if len(errs) == 0 {
		return errs, l.Domain(de.Message)
	}
	return errs, ""
}

// formField maps the domain's name of a field to the form's.
func formField(domain string) string {
	if domain == "parent_id" {
		return "parent"
	}
	return domain
}

// domainMessage shows an error of the domain or the store in the user's
// language where the catalog knows it.
func domainMessage(l *i18n.Locale, err error) string {
	var de *licensing.Error
	if errors.As(err, &de) {
		return l.Domain(de.Message)
	}
	return l.Domain(err.Error())
}

// splitLines reads a textarea of one entry per line; blank lines are
// spacing, not entries.
func splitLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// germanDate is DD.MM.YYYY, as German users type dates.
var germanDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)

// parseFormDate reads a date typed as YYYY-MM-DD (what date inputs send) or
// DD.MM.YYYY; empty is no date.
func parseFormDate(s string) (licensing.Date, error) {
	s = strings.TrimSpace(s)
	if m := germanDate.FindStringSubmatch(s); m != nil {
		s = m[3] + "-" + leftPad(m[2]) + "-" + leftPad(m[1])
	}
	return licensing.ParseDate(s)
}

func leftPad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
