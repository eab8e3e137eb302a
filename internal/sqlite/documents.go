package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path"
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

// documentType names the content type of a file from its first bytes,
// refined by its name's extension where the bytes say only zip or binary.
func documentType(name string, head []byte) string {
	sniffed := http.DetectContentType(head)
	ext := strings.ToLower(path.Ext(name))
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
	return sniffed
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

// AddDocument stores a file attached to an agreement, read from r in
// chunks of 1 MiB within the transaction, with its size, SHA-256 and
// sniffed content type. The caller bounds the size.
func (db *DB) AddDocument(ctx context.Context, actor Actor, agreementID int64, name string, r io.Reader) (*licensing.Document, error) {
	d := &licensing.Document{AgreementID: agreementID, Name: cleanDocumentName(name), UploadedBy: actor.Email}
	err := db.change(ctx, actor, func(tx *sql.Tx, record func(Change)) error {
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
			VALUES (?, ?, '', 0, '', ?, ?)`, agreementID, d.Name, formatTime(d.UploadedAt), d.UploadedBy)
		if err != nil {
			return err
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := storeChunks(ctx, tx, d, r); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE documents SET content_type = ?, size = ?, sha256 = ? WHERE id = ?`,
			d.ContentType, d.Size, d.SHA256, d.ID); err != nil {
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

// storeChunks copies r into the document's chunks, setting its size,
// SHA-256 and content type.
func storeChunks(ctx context.Context, tx *sql.Tx, d *licensing.Document, r io.Reader) error {
	hash := sha256.New()
	buf := make([]byte, documentChunk)
	for seq := 0; ; seq++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if seq == 0 {
				d.ContentType = documentType(d.Name, buf[:min(n, 512)])
			}
			hash.Write(buf[:n])
			d.Size += int64(n)
			if _, err := tx.Exec(`INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)`, d.ID, seq, buf[:n]); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if d.Size == 0 {
		d.ContentType = documentType(d.Name, nil)
	}
	d.SHA256 = hex.EncodeToString(hash.Sum(nil))
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
// time; ErrNotFound when there is no such document.
func (db *DB) WriteDocument(ctx context.Context, id int64, w io.Writer) error {
	var one int
	err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM documents WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT data FROM document_chunks WHERE document_id = ? ORDER BY seq`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var chunk []byte
	for rows.Next() {
		if err := rows.Scan(&chunk); err != nil {
			return err
		}
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	return rows.Err()
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
