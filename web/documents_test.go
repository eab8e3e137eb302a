package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

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
