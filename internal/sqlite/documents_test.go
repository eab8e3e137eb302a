package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

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
		if err != nil || len(list) != len(tests) || list[0].Name != "Signed agreement.pdf" || list[len(list)-1].Name != "document" {
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
