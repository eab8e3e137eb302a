package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/auth"
	"patentdesk/internal/licensing"
)

// uploadDocument posts a file to an agreement's documents as the upload
// form does. Without a known length the body is sent chunked.
func (b *browser) uploadDocument(path, name string, content []byte, knownLength bool) *http.Response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(content)
	w.Close()
	var r io.Reader = &body
	if !knownLength {
		r = io.MultiReader(&body) // hides the length: Transfer-Encoding chunked
	}
	req, _ := http.NewRequest(http.MethodPost, b.app.http.URL+path, r)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func (w *partWorld) documents(a *licensing.Agreement) []licensing.Document {
	w.app.t.Helper()
	docs, err := w.app.db.Documents(context.Background(), a.ID)
	if err != nil {
		w.app.t.Fatal(err)
	}
	return docs
}

func TestDocumentRoundTrip(t *testing.T) {
	w := newPartWorld(t)
	editor, viewer := w.as(w.editor), w.as(w.viewer)
	content := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("signed cross-licence \x00\x01\x02 "), 200_000)...)
	tests := []struct {
		name, file, contentType string
	}{
		{"SignedPDF", "NOK-XIA-2017 signed.pdf", "application/pdf"},
		{"GermanName", "Anlage 2 – Patentliste für Xiaomi.pdf", "application/pdf"},
		{"QuotesAndSemicolons", `annex "A"; final.pdf`, "application/pdf"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := editor.uploadDocument(w.path("/agreements/%d/documents", w.deal.ID), tt.file, content, true)
			wantRedirect(t, res, w.path("/agreements/%d#documents", w.deal.ID))
			docs := w.documents(w.deal)
			if len(docs) != i+1 {
				t.Fatalf("%d documents stored", len(docs))
			}
			doc := docs[len(docs)-1]
			for _, d := range docs {
				if d.ID > doc.ID {
					doc = d
				}
			}
			sum := sha256.Sum256(content)
			if doc.SHA256 != hex.EncodeToString(sum[:]) || doc.Size != int64(len(content)) {
				t.Errorf("stored sha256 %s size %d", doc.SHA256, doc.Size)
			}

			res = viewer.get(w.path("/documents/%d", doc.ID))
			wantStatus(t, res, http.StatusOK)
			got, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if gotSum := sha256.Sum256(got); !bytes.Equal(got, content) || hex.EncodeToString(gotSum[:]) != doc.SHA256 {
				t.Errorf("downloaded %d bytes, not the %d uploaded", len(got), len(content))
			}
			if ct := res.Header.Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("X-Content-Type-Options is not nosniff")
			}
			if !sandboxed(res) {
				t.Errorf("Content-Security-Policy %q does not sandbox the download", res.Header.Get("Content-Security-Policy"))
			}
			disposition, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
			if err != nil || disposition != "attachment" || params["filename"] != tt.file {
				t.Errorf("Content-Disposition %q: %s %q (%v)", res.Header.Get("Content-Disposition"), disposition, params["filename"], err)
			}
		})
	}
	page := parseHTML(t, viewer.get(w.path("/agreements/%d", w.deal.ID)))
	if n := testid(page, "document").Length(); n != len(tests) {
		t.Errorf("the agreement page lists %d documents", n)
	}
}

func TestDocumentSizeLimit(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.MaxDocumentBytes = 1 << 20 })
	w := &partWorld{patentWorld: &patentWorld{app: app, editor: app.addUser("editor@example.com", auth.RoleEditor)}}
	nokia := w.company(&licensing.Company{Name: "Nokia Corporation"})
	xiaomi := w.company(&licensing.Company{Name: "Xiaomi Corporation"})
	w.deal = w.agreement(&licensing.Agreement{Reference: "NOK-XIA-2017", Title: "Patent cross-licence",
		Kind: licensing.KindCrossLicense, Status: licensing.AgreementDraft,
		Parties: []licensing.Party{{CompanyID: nokia.ID, Role: licensing.RoleParty}, {CompanyID: xiaomi.ID, Role: licensing.RoleParty}}})
	b := w.as(w.editor)
	upload := w.path("/agreements/%d/documents", w.deal.ID)
	tests := []struct {
		name        string
		size        int
		knownLength bool
		status      int
	}{
		{"AnnouncedTooLarge", 3 << 20, true, http.StatusRequestEntityTooLarge},
		{"StreamedTooLarge", 3 << 20, false, http.StatusRequestEntityTooLarge},
		{"OneByteTooLarge", 1<<20 + 1, true, http.StatusRequestEntityTooLarge},
		{"ExactlyTheLimit", 1 << 20, false, http.StatusSeeOther},
		{"Empty", 0, true, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(w.documents(w.deal))
			res := b.uploadDocument(upload, "scan.tiff", bytes.Repeat([]byte{'x'}, tt.size), tt.knownLength)
			wantStatus(t, res, tt.status)
			want := before
			if tt.status == http.StatusSeeOther {
				want++
			} else if msg := testid(parseHTML(t, res), "error-file").Text(); msg == "" {
				t.Error("the refusal is not explained beside the file")
			}
			if got := len(w.documents(w.deal)); got != want {
				t.Errorf("%d documents stored, want %d", got, want)
			}
		})
	}
	if res := b.uploadDocument(upload, "big.bin", bytes.Repeat([]byte{'x'}, 3<<20), true); !strings.Contains(
		testid(parseHTML(t, res), "error-file").Text(), "1 MB") {
		t.Error("the refusal does not name the limit")
	}
}

func TestDocumentRemove(t *testing.T) {
	w := newPartWorld(t)
	b := w.as(w.editor)
	wantRedirect(t, b.uploadDocument(w.path("/agreements/%d/documents", w.deal.ID), "annex.txt", []byte("Annex 1"), true), "/agreements/")
	doc := w.documents(w.deal)[0]
	page := parseHTML(t, b.get(w.path("/documents/%d/delete", doc.ID)))
	if !strings.Contains(testid(page, "delete-subject").Text(), doc.SHA256) {
		t.Errorf("the confirmation does not show the checksum: %q", testid(page, "delete-subject").Text())
	}
	wantRedirect(t, b.post(w.path("/documents/%d/delete", doc.ID), nil), w.path("/agreements/%d#documents", w.deal.ID))
	if n := len(w.documents(w.deal)); n != 0 {
		t.Errorf("%d documents after removal", n)
	}
	wantStatus(t, b.get(w.path("/documents/%d", doc.ID)), http.StatusNotFound)
}

// sandboxed reports whether a response's Content-Security-Policy has the
// sandbox directive, which keeps a page from running script or reaching
// PatentDesk's origin even if a browser showed it.
func sandboxed(res *http.Response) bool {
	for _, d := range strings.Split(res.Header.Get("Content-Security-Policy"), ";") {
		if strings.TrimSpace(d) == "sandbox" {
			return true
		}
	}
	return false
}

// An uploaded web page or drawing could run script as the person who
// opens it; it is stored and served as opaque bytes, to be saved, and
// never rendered.
func TestActiveDocumentsServedInert(t *testing.T) {
	w := newPartWorld(t)
	editor, viewer := w.as(w.editor), w.as(w.viewer)
	upload := w.path("/agreements/%d/documents", w.deal.ID)
	tests := []struct{ name, file, content string }{
		{"WebPage", "offer.html", "<!DOCTYPE html><html><script>fetch('/admin/users')</script></html>"},
		{"Drawing", "logo.svg", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`},
	}
	download := func(t *testing.T, doc licensing.Document, content string) {
		t.Helper()
		res := viewer.get(w.path("/documents/%d", doc.ID))
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("served as %q", ct)
		}
		if !sandboxed(res) || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("headers %v", res.Header)
		}
		if got, _ := io.ReadAll(res.Body); string(got) != content {
			t.Errorf("downloaded %q", got)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantRedirect(t, editor.uploadDocument(upload, tt.file, []byte(tt.content), true), "/agreements/")
			var doc licensing.Document
			for _, d := range w.documents(w.deal) {
				if d.Name == tt.file {
					doc = d
				}
			}
			if doc.ContentType != "application/octet-stream" {
				t.Errorf("stored as %q", doc.ContentType)
			}
			download(t, doc, tt.content)
		})
	}
	t.Run("StoredBeforeTheFix", func(t *testing.T) {
		wantRedirect(t, editor.uploadDocument(upload, "old.htm", []byte("<html>old</html>"), true), "/agreements/")
		docs := w.documents(w.deal)
		doc := docs[len(docs)-1]
		raw, err := sql.Open("sqlite", w.app.db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`UPDATE documents SET content_type = 'text/html; charset=utf-8' WHERE id = ?`, doc.ID); err != nil {
			t.Fatal(err)
		}
		download(t, doc, "<html>old</html>")
	})
}

// halfUpload is an upload whose client has sent half the file and then
// goes quiet, as over a slow line.
type halfUpload struct {
	body     *io.PipeWriter
	rest     []byte
	response chan *http.Response
}

// startHalfUpload posts content to an agreement's documents, sending only
// its first half until finish is called.
func (b *browser) startHalfUpload(t *testing.T, path, name string, content []byte) *halfUpload {
	t.Helper()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.CreateFormFile("file", name)
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, b.app.http.URL+path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	u := &halfUpload{body: pw, rest: append(content[len(content)/2:], tail...), response: make(chan *http.Response, 1)}
	go func() {
		res, err := b.c.Do(req)
		if err != nil {
			pr.CloseWithError(err)
			res = &http.Response{StatusCode: 0, Body: io.NopCloser(strings.NewReader(err.Error()))}
		}
		u.response <- res
	}()
	if _, err := pw.Write(append(head.Bytes(), content[:len(content)/2]...)); err != nil {
		t.Fatal(err)
	}
	return u
}

// finish sends the rest of the file and returns the server's answer.
func (u *halfUpload) finish(t *testing.T) *http.Response {
	t.Helper()
	if _, err := u.body.Write(u.rest); err != nil {
		t.Fatal(err)
	}
	u.body.Close()
	res := <-u.response
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// A document uploaded over a slow line must not stop other people from
// signing in or saving while it comes in.
func TestSlowUploadLeavesSignInFree(t *testing.T) {
	w := newPartWorld(t)
	editor := w.as(w.editor)
	content := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("signed cross-licence "), 150_000)...)
	upload := editor.startHalfUpload(t, w.path("/agreements/%d/documents", w.deal.ID), "signed.pdf", content)
	// Give the server time to reach the store with the half it has.
	time.Sleep(200 * time.Millisecond)

	signedIn := make(chan int, 1)
	go func() {
		viewer := w.app.browser()
		form := url.Values{"email": {w.viewer.Email}, "password": {testPassword(w.viewer.Email)}}
		res, err := viewer.c.PostForm(w.app.http.URL+"/login", form)
		if err != nil {
			signedIn <- 0
			return
		}
		res.Body.Close()
		signedIn <- res.StatusCode
	}()
	select {
	case status := <-signedIn:
		if status != http.StatusSeeOther {
			t.Errorf("sign-in during an upload: status %d, want 303", status)
		}
	case <-time.After(time.Second):
		t.Error("a sign-in waited more than a second for another person's upload")
		defer func() { <-signedIn }()
	}
	wantRedirect(t, upload.finish(t), w.path("/agreements/%d#documents", w.deal.ID))
	docs := w.documents(w.deal)
	sum := sha256.Sum256(content)
	if len(docs) != 1 || docs[0].Size != int64(len(content)) || docs[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("stored %+v", docs)
	}
}
