package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patentdesk/internal/licensing"
)

func TestDocuments(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, f.crossLicence())
	big := make([]byte, 2*documentChunk+12345)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rnd.UintN(256))
	}
	copy(big, "%PDF-1.7\n")
	zipped := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...)
	tests := []struct {
		name, upload, wantName, wantType string
		content                          []byte
		chunks                           int
	}{
		{"SignedPDFOverTwoMiB", `C:\Users\legal\Signed agreement.pdf`, "Signed agreement.pdf", "application/pdf", big, 3},
		{"WordByExtension", "annex/Annex 1.DOCX", "Annex 1.DOCX",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document", zipped, 1},
		{"PlainZipStaysZip", "scans.zip", "scans.zip", "application/zip", zipped, 1},
		{"ExactlyOneChunk", "../../etc/passwd", "passwd", "application/octet-stream", bytes.Repeat([]byte{0xff, 0}, documentChunk/2), 1},
		{"EmptyFile", "\x00\n", "document", "text/plain; charset=utf-8", nil, 0},
		// A page or drawing could run script in PatentDesk's origin if a
		// browser were told its type; it is kept as opaque bytes.
		{"WebPageStoredInert", "offer.html", "offer.html", "application/octet-stream",
			[]byte("<!DOCTYPE html><html><script>fetch('/admin/users')</script></html>"), 1},
		{"XMLDrawingStoredInert", "logo.svg", "logo.svg", "application/octet-stream",
			[]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 1},
		{"BareDrawingStoredInert", "logo.SVG", "logo.SVG", "application/octet-stream",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := f.db.AddDocument(ctx, CLIActor(), a.ID, tc.upload, bytes.NewReader(tc.content))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tc.content)
			got, err := f.db.Document(ctx, doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.wantName || got.ContentType != tc.wantType || got.Size != int64(len(tc.content)) ||
				got.SHA256 != hex.EncodeToString(sum[:]) || got.UploadedBy != "command line" || got.UploadedAt.IsZero() || *got != *doc {
				t.Errorf("stored %+v\nreturned %+v", got, doc)
			}
			var n int
			f.db.sql.QueryRow(`SELECT count(*) FROM document_chunks WHERE document_id = ?`, doc.ID).Scan(&n)
			if n != tc.chunks {
				t.Errorf("%d chunks, want %d", n, tc.chunks)
			}
			var out bytes.Buffer
			if err := f.db.WriteDocument(ctx, doc.ID, &out); err != nil || !bytes.Equal(out.Bytes(), tc.content) {
				t.Errorf("downloaded %d bytes (%v), want the %d uploaded", out.Len(), err, len(tc.content))
			}
			e, _ := f.db.RecentAudit(ctx, 1)
			if e[0].Action != "document.add" || !strings.Contains(e[0].Details, got.SHA256) || !strings.Contains(e[0].Details, "NOK-XIA-2017") {
				t.Errorf("audit %s %s", e[0].Action, e[0].Details)
			}
		})
	}
	t.Run("ListedOldestFirst", func(t *testing.T) {
		list, err := f.db.Documents(ctx, a.ID)
		if err != nil || len(list) != len(tests) || list[0].Name != "Signed agreement.pdf" || list[len(list)-1].Name != "logo.SVG" {
			t.Errorf("Documents = %+v, %v", list, err)
		}
	})
	t.Run("RemovedWithItsContent", func(t *testing.T) {
		list, _ := f.db.Documents(ctx, a.ID)
		if err := f.db.DeleteDocument(ctx, CLIActor(), list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Document(ctx, list[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("removed document read: %v", err)
		}
		if err := f.db.WriteDocument(ctx, list[0].ID, &bytes.Buffer{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("removed document downloaded: %v", err)
		}
		var n int
		f.db.sql.QueryRow(`SELECT count(*) FROM document_chunks WHERE document_id = ?`, list[0].ID).Scan(&n)
		if n != 0 {
			t.Errorf("%d chunks left", n)
		}
		e, _ := f.db.RecentAudit(ctx, 1)
		if e[0].Action != "document.remove" || !strings.Contains(e[0].Details, `"before"`) {
			t.Errorf("audit %s %s", e[0].Action, e[0].Details)
		}
	})
	t.Run("UnknownAgreementNotFound", func(t *testing.T) {
		_, err := f.db.AddDocument(ctx, CLIActor(), 4242, "x.pdf", strings.NewReader("%PDF"))
		if licensing.ErrorCode(err) != licensing.NotFound {
			t.Errorf("upload to no agreement: %v", err)
		}
	})
}

// A slow upload must not hold the write lock: other people's saves and
// sign-ins would wait for it and fail after the busy timeout.
func TestDocumentUploadLeavesWritesFree(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, f.crossLicence())
	content := bytes.Repeat([]byte("%PDF-1.7 signed "), 3*documentChunk/16)
	pr, pw := io.Pipe()
	stored := make(chan error, 1)
	go func() {
		_, err := f.db.AddDocument(ctx, CLIActor(), a.ID, "signed.pdf", pr)
		stored <- err
	}()
	// A pipe's Write returns once the store has read the bytes: half the
	// file is in, the rest has not come yet.
	half := len(content) / 2
	if _, err := pw.Write(content[:half]); err != nil {
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	go func() {
		saved <- f.db.CreateCompany(ctx, CLIActor(), &licensing.Company{Name: "Huawei Technologies Co., Ltd."})
	}()
	select {
	case err := <-saved:
		if err != nil {
			t.Errorf("a company saved during an upload: %v", err)
		}
	case <-time.After(time.Second):
		t.Error("a company save waited more than a second for an upload")
		defer func() { <-saved }()
	}
	if _, err := pw.Write(content[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-stored; err != nil {
		t.Fatalf("upload: %v", err)
	}
	list, _ := f.db.Documents(ctx, a.ID)
	if len(list) != 1 || list[0].Size != int64(len(content)) {
		t.Errorf("stored %+v", list)
	}

	t.Run("BrokenUploadStoresNothing", func(t *testing.T) {
		pr, pw := io.Pipe()
		go func() {
			pw.Write(content[:half])
			pw.CloseWithError(errors.New("client gone"))
		}()
		if _, err := f.db.AddDocument(ctx, CLIActor(), a.ID, "broken.pdf", pr); err == nil || !strings.Contains(err.Error(), "client gone") {
			t.Errorf("broken upload: %v", err)
		}
		if list, _ := f.db.Documents(ctx, a.ID); len(list) != 1 {
			t.Errorf("%d documents after a broken upload", len(list))
		}
	})
	t.Run("NoSpooledFileLeft", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(filepath.Dir(f.db.path), ".document-upload-*"))
		if len(files) != 0 {
			t.Errorf("spooled files left in the data directory: %v", files)
		}
	})
}

// connFreeWriter is a slow client: at each write it asks the store for
// something else, which needs a pooled connection.
type connFreeWriter struct {
	db     *DB
	id     int64
	writes int
	out    bytes.Buffer
}

func (w *connFreeWriter) Write(p []byte) (int, error) {
	w.writes++
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := w.db.Document(ctx, w.id); err != nil {
		return 0, fmt.Errorf("another query during the download: %w", err)
	}
	return w.out.Write(p)
}

// A download holds no statement open while the client reads, so that it
// keeps no pooled connection and holds back no WAL checkpoint.
func TestDocumentDownloadHoldsNoConnection(t *testing.T) {
	ctx := context.Background()
	f := newAgreementFixture(t)
	a := f.mustCreate(t, f.crossLicence())
	content := bytes.Repeat([]byte{'x', 0}, documentChunk+documentChunk/4) // three chunks
	doc, err := f.db.AddDocument(ctx, CLIActor(), a.ID, "scan.tiff", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	f.db.sql.SetMaxOpenConns(1)
	w := &connFreeWriter{db: f.db, id: doc.ID}
	if err := f.db.WriteDocument(ctx, doc.ID, w); err != nil {
		t.Fatal(err)
	}
	if w.writes != 3 || !bytes.Equal(w.out.Bytes(), content) {
		t.Errorf("downloaded %d bytes in %d writes", w.out.Len(), w.writes)
	}
}

func TestInertDocumentType(t *testing.T) {
	tests := []struct{ name, stored, want string }{
		{"PDFServedAsIs", "application/pdf", "application/pdf"},
		{"TextServedAsIs", "text/plain; charset=utf-8", "text/plain; charset=utf-8"},
		{"WordServedAsIs", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"WebPage", "text/html; charset=utf-8", "application/octet-stream"},
		{"XHTML", "application/xhtml+xml", "application/octet-stream"},
		{"XML", "text/xml; charset=utf-8", "application/octet-stream"},
		{"XMLApplication", "application/xml", "application/octet-stream"},
		{"Drawing", "image/svg+xml", "application/octet-stream"},
		{"Feed", "application/atom+xml", "application/octet-stream"},
		{"ScriptAnyCase", "Text/JavaScript", "application/octet-stream"},
		{"OldScript", "application/x-javascript", "application/octet-stream"},
		{"WebArchive", "multipart/related", "application/octet-stream"},
		{"Unreadable", "text/html;;;", "application/octet-stream"},
		{"Unknown", "", "application/octet-stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := InertDocumentType(tc.stored); got != tc.want {
				t.Errorf("InertDocumentType(%q) = %q, want %q", tc.stored, got, tc.want)
			}
		})
	}
}
