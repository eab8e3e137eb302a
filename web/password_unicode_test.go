package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// The same passphrase, composed (NFC) and decomposed (NFD), as a Windows PC
// and a Mac may send it.
const (
	nfcPassphrase = "K\u00fcndigungsfrist beachten 2026"
	nfdPassphrase = "Ku\u0308ndigungsfrist beachten 2026"
)

func TestSignInWithTheOtherUnicodeForm(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	u, err := auth.NewUser("k@example.com", "K", auth.RoleViewer, nfcPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.db.CreateUser(ctx, sqlite.SystemActor(), u); err != nil {
		t.Fatal(err)
	}
	t.Run("SetComposedSignInDecomposed", func(t *testing.T) {
		wantRedirect(t, app.browser().signIn(u.Email, nfdPassphrase), "/")
		wantStatus(t, app.browser().signIn(u.Email, "Ku\u0308ndigungsfrist beachten 2027"), http.StatusUnauthorized)
	})
	t.Run("OldHashOfTheRawBytesOpensAndIsUpgraded", func(t *testing.T) {
		// A hash stored before normalisation: of the decomposed bytes.
		p := auth.DefaultPasswordParams
		salt := []byte("0123456789abcdef")
		key := argon2.IDKey([]byte(nfdPassphrase), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		legacy := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		if err := app.db.RehashPassword(ctx, u.ID, legacy); err != nil {
			t.Fatal(err)
		}
		// Composed, it does not match the old hash of the decomposed bytes.
		wantStatus(t, app.browser().signIn(u.Email, nfcPassphrase), http.StatusUnauthorized)
		wantRedirect(t, app.browser().signIn(u.Email, nfdPassphrase), "/")
		// The sign-in stored the normalised hash: now both forms open.
		wantRedirect(t, app.browser().signIn(u.Email, nfcPassphrase), "/")
	})
}

func TestPasswordLengthInCharactersEndToEnd(t *testing.T) {
	app := newTestApp(t)
	u := app.addUser("m@example.com", auth.RoleViewer)
	b := app.browser()
	b.mustSignIn(u)
	change := func(current, pw string) *http.Response {
		return b.post("/account/password", url.Values{"current": {current}, "password": {pw}, "confirm": {pw}})
	}
	// 2 and 3 bytes a character; the ü typed decomposed, as two code points
	// that are one character once normalised.
	max := strings.Repeat("u\u0308€", auth.MaxPasswordLength/2)
	res := change(testPassword(u.Email), max+"ß")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := testid(parseHTML(t, res), "error-password").Text(); !strings.Contains(msg, "256") {
		t.Errorf("257 characters: message %q does not name the limit", msg)
	}
	wantRedirect(t, change(testPassword(u.Email), max), "/account")
	wantRedirect(t, app.browser().signIn(u.Email, strings.Repeat("\u00fc€", auth.MaxPasswordLength/2)), "/")
}
