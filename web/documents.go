package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/i18n"
	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// documentFormOverhead is what the multipart form around an uploaded file
// may add to the request: boundaries, part headers, the file name.
const documentFormOverhead = 64 << 10

// maxDocumentName bounds a document's file name, in characters.
const maxDocumentName = 255

// isDocumentUpload reports whether a request path is an agreement's
// document upload, which limitBody lets carry a whole document.
func isDocumentUpload(p string) bool {
	rest, ok := strings.CutPrefix(p, "/agreements/")
	if !ok {
		return false
	}
	id, tail, ok := strings.Cut(rest, "/")
	return ok && tail == "documents" && id != ""
}

// documentUploadLimit is the largest request a document upload may send.
func (s *Server) documentUploadLimit() int64 {
	return s.cfg.MaxDocumentBytes + documentFormOverhead
}

// documentSize writes a size limit for people as the agreement page
// writes sizes: "50 MB", "1.5 MB", "512 KB".
func documentSize(l *i18n.Locale, n int64) string { return agreementFileSize(l, n) }

// documentUploadView is the upload form of an agreement's documents, for
// the agreement page to place with templates.DocumentUploadForm.
func (s *Server) documentUploadView(l *i18n.Locale, agreementID int64) templates.DocumentUpload {
	return templates.DocumentUpload{Action: fmt.Sprintf("/agreements/%d/documents", agreementID),
		Limit: documentSize(l, s.cfg.MaxDocumentBytes)}
}

// renderDocumentRefused shows why an upload was refused, with the form to
// try again.
func (s *Server) renderDocumentRefused(c echo.Context, status int, a *licensing.Agreement, message string) error {
	l := state(c).locale
	v := templates.DocumentUploadView{Agreement: a.Reference, AgreementHref: partHref(a.ID, "documents"),
		Upload: s.documentUploadView(l, a.ID)}
	v.Upload.Error = message
	p, err := s.partPage(c, l.T("document.upload.title", a.Reference))
	if err != nil {
		return err
	}
	return render(c, status, templates.DocumentUploadPage(p, v))
}

// limitedPart reads an uploaded file up to the document limit and notes
// when the file is larger, so that the upload can be refused with 413 and
// nothing stored.
type limitedPart struct {
	r        io.Reader
	left     int64
	exceeded bool
}

var errDocumentTooLarge = errors.New("document larger than the limit")

func (p *limitedPart) Read(b []byte) (int, error) {
	if p.left < 0 {
		p.exceeded = true
		return 0, errDocumentTooLarge
	}
	if int64(len(b)) > p.left+1 {
		b = b[:p.left+1]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	if p.left < 0 {
		p.exceeded = true
		return 0, errDocumentTooLarge
	}
	return n, err
}

// tooLarge reports whether err says the request body went past its limit.
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || errors.Is(err, errDocumentTooLarge) ||
		(err != nil && strings.Contains(err.Error(), "request body too large"))
}

// documentCreate stores an uploaded file with its agreement. The file is
// streamed into the store, never held whole in memory; the store copies it
// to a local file before it takes the write lock, so a slow upload blocks
// nobody. A request that announces more than the limit is refused before
// its body is read, and one that sends more is cut off while it is copied
// and refused, both with 413.
func (s *Server) documentCreate(c echo.Context) error {
	l := state(c).locale
	a, err := s.partAgreementParam(c)
	if err != nil {
		return err
	}
	limit := documentSize(l, s.cfg.MaxDocumentBytes)
	req := c.Request()
	if req.ContentLength > s.documentUploadLimit() {
		return s.renderDocumentRefused(c, http.StatusRequestEntityTooLarge, a, l.T("document.error.too_large", limit))
	}
	mr, err := req.MultipartReader()
	if err != nil {
		return s.renderDocumentRefused(c, http.StatusUnprocessableEntity, a, l.T("document.error.no_file"))
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return s.renderDocumentRefused(c, http.StatusUnprocessableEntity, a, l.T("document.error.no_file"))
		}
		if tooLarge(err) {
			return s.renderDocumentRefused(c, http.StatusRequestEntityTooLarge, a, l.T("document.error.too_large", limit))
		}
		if err != nil {
			return s.renderDocumentRefused(c, http.StatusUnprocessableEntity, a, l.T("document.error.no_file"))
		}
		if part.FormName() != "file" {
			continue
		}
		name := documentName(part.FileName())
		body := &limitedPart{r: part, left: s.cfg.MaxDocumentBytes}
		buffered := bufio.NewReader(body)
		if _, err := buffered.Peek(1); name == "" || err == io.EOF {
			return s.renderDocumentRefused(c, http.StatusUnprocessableEntity, a, l.T("document.error.no_file"))
		}
		doc, err := s.db.AddDocument(req.Context(), s.actor(c), a.ID, name, buffered)
		if body.exceeded || tooLarge(err) {
			return s.renderDocumentRefused(c, http.StatusRequestEntityTooLarge, a, l.T("document.error.too_large", limit))
		}
		if de, ok := partStoreRefusal(err); ok {
			return s.renderDocumentRefused(c, statusOf[de.Code], a, l.Domain(de.Message))
		}
		if err != nil {
			return err
		}
		return s.partDone(c, a.ID, "documents", "document.flash.uploaded", doc.Name)
	}
}

// documentName keeps the base name of an uploaded file, without control
// characters and not too long; "" means no file was chosen.
func documentName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/") // a Windows path sent whole
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > maxDocumentName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		name = string([]rune(name)[:maxDocumentName-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

// contentDisposition names a download as an attachment, by RFC 6266: an
// ASCII fallback name, and the exact name UTF-8 encoded where it differs.
func contentDisposition(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	v := `attachment; filename="` + fallback + `"`
	if fallback != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes a value's UTF-8 bytes except the characters
// RFC 5987 lets stand (attr-char).
func rfc5987(s string) string {
	const attrChars = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attrChars, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// documentOfParam reads the document named by the :id of the path.
func (s *Server) documentOfParam(c echo.Context) (*licensing.Document, error) {
	id, err := partID(c, "document")
	if err != nil {
		return nil, err
	}
	doc, err := s.db.Document(c.Request().Context(), id)
	return doc, partFound(err, "document", id)
}

// downloadPolicy is the Content-Security-Policy of a download: should a
// browser show the file after all, it is sandboxed (a unique origin, no
// script) and may load nothing.
const downloadPolicy = "sandbox; default-src 'none'"

// documentDownload sends a document as a download, with the content type
// sniffed at upload, never to be rendered in the page. Types a browser
// would run (HTML, SVG, XML, scripts) go as plain bytes, also for files
// stored before uploads were made inert.
func (s *Server) documentDownload(c echo.Context) error {
	doc, err := s.documentOfParam(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, sqlite.InertDocumentType(doc.ContentType))
	h.Set(echo.HeaderContentDisposition, contentDisposition(doc.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", downloadPolicy)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(doc.Size, 10))
	c.Response().WriteHeader(http.StatusOK)
	if err := s.db.WriteDocument(c.Request().Context(), doc.ID, c.Response()); err != nil {
		// The headers are sent; the client sees a short download.
		s.log.Error("document download broken off", "document", doc.ID, "err", err)
	}
	return nil
}

// documentDeleteView describes the document whose removal is to be confirmed.
func documentDeleteView(l *i18n.Locale, doc *licensing.Document, a *licensing.Agreement) templates.PartDeleteView {
	return templates.PartDeleteView{
		Heading: l.T("document.delete.title", doc.Name), Subject: l.T("document.delete.subject", a.Reference, doc.SHA256),
		Body: l.T("document.delete.body"), Action: fmt.Sprintf("/documents/%d/delete", doc.ID),
		CancelURL: partHref(a.ID, "documents"),
	}
}

// documentWithAgreement reads the document of the path and its agreement.
func (s *Server) documentWithAgreement(c echo.Context) (*licensing.Document, *licensing.Agreement, error) {
	doc, err := s.documentOfParam(c)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.partAgreement(c.Request().Context(), doc.AgreementID)
	return doc, a, err
}

func (s *Server) documentConfirmDelete(c echo.Context) error {
	doc, a, err := s.documentWithAgreement(c)
	if err != nil {
		return err
	}
	return s.partConfirmDelete(c, http.StatusOK, documentDeleteView(state(c).locale, doc, a))
}

// documentDelete removes a document; the store records the removal in the
// audit trail.
func (s *Server) documentDelete(c echo.Context) error {
	doc, a, err := s.documentWithAgreement(c)
	if err != nil {
		return err
	}
	del := func() error { return s.db.DeleteDocument(c.Request().Context(), s.actor(c), doc.ID) }
	return s.partDelete(c, documentDeleteView(state(c).locale, doc, a), del, a.ID, "documents", "document.flash.deleted", doc.Name)
}
