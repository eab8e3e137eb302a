package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"patentdesk/internal/licensing"
)

// documentChunk is the most a document_chunks row holds, so that uploads
// and downloads stream in constant memory.
const documentChunk = 1 << 20

// maxDocumentName bounds a stored file name, in characters.
const maxDocumentName = 255

// zippedTypes are the formats that are zip archives inside, which content
// sniffing reports as application/zip; the extension tells them apart.
var zippedTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
}

// binaryTypes are formats sniffing cannot recognise (it says
// application/octet-stream), named by their extension instead.
var binaryTypes = map[string]string{
	".doc": "application/msword",
	".xls": "application/vnd.ms-excel",
	".ppt": "application/vnd.ms-powerpoint",
	".msg": "application/vnd.ms-outlook",
}

// activeTypes are the media types a browser runs, or renders as a page of
// the site that sent them: markup, XML (which may carry XHTML or an XSLT
// stylesheet), SVG, scripts and web archives. Any "+xml" type counts too.
var activeTypes = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "text/xml": true, "application/xml": true,
	"image/svg+xml": true, "text/xsl": true, "application/xslt+xml": true,
	"application/x-shockwave-flash": true, "message/rfc822": true, "application/x-mimearchive": true,
}

// activeExtensions name files that are active content whatever their bytes
// look like: an SVG drawing without an XML declaration sniffs as text.
var activeExtensions = map[string]bool{
	".html": true, ".htm": true, ".shtml": true, ".xhtml": true, ".xht": true, ".xml": true, ".xsl": true, ".xslt": true,
	".svg": true, ".svgz": true, ".js": true, ".mjs": true, ".mht": true, ".mhtml": true,
}

// inertType is how a file is stored and served when its own type is not
// safe to give: as bytes for the browser to save.
const inertType = "application/octet-stream"

// InertDocumentType is the content type under which an uploaded file may be
// stored and served: ct, or application/octet-stream where a browser would
// run ct or render it as a page, so that no upload can act within
// PatentDesk's origin.
func InertDocumentType(ct string) string {
	t, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return inertType
	}
	_, sub, _ := strings.Cut(t, "/")
	if activeTypes[t] || strings.HasSuffix(t, "+xml") || strings.HasPrefix(t, "multipart/") ||
		strings.Contains(sub, "javascript") || strings.Contains(sub, "ecmascript") ||
		strings.Contains(sub, "jscript") || strings.Contains(sub, "livescript") {
		return inertType
	}
	return ct
}

// documentType names the content type of a file from its first bytes,
// refined by its name's extension where the bytes say only zip or binary,
// and made inert where a browser would run it.
func documentType(name string, head []byte) string {
	sniffed := http.DetectContentType(head)
	ext := strings.ToLower(path.Ext(name))
	if activeExtensions[ext] {
		return inertType
	}
	switch sniffed {
	case "application/zip":
		if t, ok := zippedTypes[ext]; ok {
			return t
		}
	case "application/octet-stream":
		if t, ok := binaryTypes[ext]; ok {
			return t
		}
	}
	return InertDocumentType(sniffed)
}

// cleanDocumentName keeps the file name of an upload without any folder
// (a browser may send C:\Users\…\file.pdf) or control characters.
func cleanDocumentName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name))
	if name == "" || name == "." || name == ".." || name == "/" {
		name = "document"
	}
	if utf8.RuneCountInString(name) > maxDocumentName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		name = string([]rune(strings.TrimSuffix(name, ext))[:maxDocumentName-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

func documentSnapshot(d *licensing.Document, agreement string) map[string]any {
	return map[string]any{"agreement": agreement, "name": d.Name, "content_type": d.ContentType, "size": d.Size, "sha256": d.SHA256}
}

// spooledDocument is an upload copied to a private temporary file beside
// the database, with what was learnt while copying it.
type spooledDocument struct {
	file   *os.File
	named  bool // the file still has a name in the data directory
	size   int64
	sha256 string
	head   []byte // the first bytes, for content sniffing
}

// spoolDocument copies r to a temporary file in the data directory (the
// disk meant for PatentDesk's confidential data), hashing, counting and
// keeping the first bytes as it goes. r's error ends the copy.
func (db *DB) spoolDocument(ctx context.Context, r io.Reader) (*spooledDocument, error) {
	f, err := os.CreateTemp(filepath.Dir(db.path), ".document-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool document: %w", err)
	}
	// Unlinked at once where the system allows it (not on Windows), so that
	// a crash leaves nothing behind; the open file stays readable.
	sp := &spooledDocument{file: f, named: os.Remove(f.Name()) != nil}
	hash := sha256.New()
	buf := make([]byte, 64<<10)
	for {
		if err := ctx.Err(); err != nil {
			sp.remove()
			return nil, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			if len(sp.head) < 512 {
				sp.head = append(sp.head, buf[:min(n, 512-len(sp.head))]...)
			}
			hash.Write(buf[:n])
			sp.size += int64(n)
			if _, err := f.Write(buf[:n]); err != nil {
				sp.remove()
				return nil, fmt.Errorf("spool document: %w", err)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			sp.remove()
			return nil, fmt.Errorf("read document: %w", err)
		}
	}
	sp.sha256 = hex.EncodeToString(hash.Sum(nil))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		sp.remove()
		return nil, fmt.Errorf("spool document: %w", err)
	}
	return sp, nil
}

// remove closes the spooled file and deletes it if it still has a name.
func (sp *spooledDocument) remove() {
	sp.file.Close()
	if sp.named {
		os.Remove(sp.file.Name())
	}
}

// AddDocument stores a file attached to an agreement, with its size,
// SHA-256 and sniffed content type. r is first copied whole to a private
// temporary file in the data directory, outside any transaction: reading a
// slow r (an upload from a slow client) inside the write transaction would
// hold the database's write lock, and every other save and sign-in would
// fail after the busy timeout. Only the copy of that local file, in chunks
// of 1 MiB, happens in the transaction. The caller bounds the size: an
// error from r ends the upload, is returned wrapped, and stores nothing.
func (db *DB) AddDocument(ctx context.Context, actor Actor, agreementID int64, name string, r io.Reader) (*licensing.Document, error) {
	sp, err := db.spoolDocument(ctx, r)
	if err != nil {
		return nil, err
	}
	defer sp.remove()
	d := &licensing.Document{AgreementID: agreementID, Name: cleanDocumentName(name), Size: sp.size, SHA256: sp.sha256,
		UploadedBy: actor.Email}
	d.ContentType = documentType(d.Name, sp.head)
	err = db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		var ref string
		err := tx.QueryRow(`SELECT reference FROM agreements WHERE id = ?`, agreementID).Scan(&ref)
		if errors.Is(err, sql.ErrNoRows) {
			return licensing.Errorf(licensing.NotFound, "no agreement with id %d", agreementID)
		}
		if err != nil {
			return err
		}
		d.UploadedAt = db.now().UTC().Truncate(time.Millisecond)
		res, err := tx.Exec(`INSERT INTO documents (agreement_id, name, content_type, size, sha256, uploaded_at, uploaded_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, agreementID, d.Name, d.ContentType, d.Size, d.SHA256, formatTime(d.UploadedAt), d.UploadedBy)
		if err != nil {
			return err
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := storeChunks(ctx, tx, d, sp.file); err != nil {
			return err
		}
		record(Change{Action: "document.add", Entity: "agreement", EntityID: strconv.FormatInt(d.AgreementID, 10),
			Details: map[string]any{"after": documentSnapshot(d, ref)}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// storeChunks copies a spooled file into the document's chunks; it must
// hold the d.Size bytes that were counted while spooling.
func storeChunks(ctx context.Context, tx *sql.Tx, d *licensing.Document, f *os.File) error {
	buf := make([]byte, documentChunk)
	var stored int64
	for seq := 0; ; seq++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(f, buf)
		if n > 0 {
			if _, err := tx.Exec(`INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)`, d.ID, seq, buf[:n]); err != nil {
				return err
			}
			stored += int64(n)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read spooled document: %w", err)
		}
	}
	if stored != d.Size {
		return fmt.Errorf("spooled document holds %d bytes, %d were received", stored, d.Size)
	}
	return nil
}

const documentColumns = `id, agreement_id, name, content_type, size, sha256, uploaded_at, uploaded_by`

func scanDocument(row interface{ Scan(...any) error }) (*licensing.Document, error) {
	var d licensing.Document
	var at string
	err := row.Scan(&d.ID, &d.AgreementID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &at, &d.UploadedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.UploadedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &d, nil
}

// Documents lists the files attached to an agreement, oldest first.
func (db *DB) Documents(ctx context.Context, agreementID int64) ([]licensing.Document, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE agreement_id = ? ORDER BY uploaded_at, id`, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []licensing.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *d)
	}
	return list, rows.Err()
}

// Document returns one attached file's description, or ErrNotFound.
func (db *DB) Document(ctx context.Context, id int64) (*licensing.Document, error) {
	return scanDocument(db.sql.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
}

// WriteDocument streams an attached file's content to w, a chunk at a
// time; ErrNotFound when there is no such document. Each chunk is read by
// its own short query, closed before the chunk is written: a statement left
// open while a slow client reads would keep a pooled connection and hold
// back WAL checkpoints for the whole download.
func (db *DB) WriteDocument(ctx context.Context, id int64, w io.Writer) error {
	var size int64
	err := db.sql.QueryRowContext(ctx, `SELECT size FROM documents WHERE id = ?`, id).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	var written int64
	for seq := 0; written < size; seq++ {
		var chunk []byte
		err := db.sql.QueryRowContext(ctx, `SELECT data FROM document_chunks WHERE document_id = ? AND seq = ?`, id, seq).Scan(&chunk)
		if errors.Is(err, sql.ErrNoRows) {
			// Removed while it was being downloaded.
			return fmt.Errorf("document %d: no chunk %d after %d of %d bytes: %w", id, seq, written, size, io.ErrUnexpectedEOF)
		}
		if err != nil {
			return err
		}
		n, err := w.Write(chunk)
		written += int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteDocument removes an attached file.
func (db *DB) DeleteDocument(ctx context.Context, actor Actor, id int64) error {
	return db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
		d, err := scanDocument(tx.QueryRow(`SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
		if errors.Is(err, ErrNotFound) {
			return licensing.Errorf(licensing.NotFound, "no document with id %d", id)
		}
		if err != nil {
			return err
		}
		var ref string
		if err := tx.QueryRow(`SELECT reference FROM agreements WHERE id = ?`, d.AgreementID).Scan(&ref); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM documents WHERE id = ?`, id); err != nil {
			return err
		}
		record(Change{Action: "document.remove", Entity: "agreement", EntityID: strconv.FormatInt(d.AgreementID, 10),
			Details: map[string]any{"before": documentSnapshot(d, ref)}})
		return nil
	})
}
