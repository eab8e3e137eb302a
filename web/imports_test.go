package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

// upload posts a file to the import form as a browser does.
func (b *browser) upload(kind, format, name string, content []byte) *http.Response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("kind", kind)
	w.WriteField("format", format)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.app.http.URL+"/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

const importPatentsCSV = "number,office,kind,title,family,priority_on,filed_on,published_on,granted_on,expires_on,status,status_on,owner,original_owner,tags,standards,sep,designated_states,cpc\r\n" +
	"EP 1 234 567 B1,,,Handover in LTE,FAM-1,2011-02-01,2012-01-15,,2016-05-10,,granted,,,Nokia Technologies Oy,cellular,3GPP LTE,yes,,\r\n" +
	"\"US 9,123,456 B2\",,,Paging,FAM-1,2011-02-01,2012-01-20,,2015-09-01,,granted,,,Xiaomi Inc.,,,,,\r\n"

func countAllPatents(t *testing.T, db *sqlite.DB) int {
	t.Helper()
	n := 0
	if err := db.EachPatent(context.Background(), sqlite.PatentFilter{}, func(*sqlite.PatentRecord) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportDryRunThenConfirm(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("editor@example.com", auth.RoleEditor))

	res := b.upload("patents", "", "portfolio.csv", []byte(importPatentsCSV))
	wantRedirect(t, res, "/import/")
	review := res.Header.Get("Location")

	doc := parseHTML(t, b.get(review))
	if got := testid(doc, "count-create").Find("strong").Text(); got != "2" {
		t.Errorf("dry run counts %q to create, want 2", got)
	}
	if got := testid(doc, "new-companies").Text(); !strings.Contains(got, "Nokia Technologies Oy") || !strings.Contains(got, "Xiaomi Inc.") {
		t.Errorf("new companies %q", got)
	}
	if testid(doc, "import-row").Length() != 2 || testid(doc, "import-confirm").Length() != 1 {
		t.Fatalf("review lists %d rows; confirm button %d", testid(doc, "import-row").Length(), testid(doc, "import-confirm").Length())
	}
	if n := countAllPatents(t, app.db); n != 0 {
		t.Fatalf("the dry run stored %d patents", n)
	}

	res = b.post(review, nil)
	wantRedirect(t, res, "/patents")
	if n := countAllPatents(t, app.db); n != 2 {
		t.Fatalf("after confirming, %d patents", n)
	}
	p, err := app.db.PatentByNumber(context.Background(), "EP1234567B1")
	if err != nil || p.OriginalOwner != "Nokia Technologies Oy" || !p.SEP {
		t.Fatalf("imported %v %+v", err, p)
	}
	audit, _ := app.db.RecentAudit(context.Background(), 1)
	if audit[0].Action != "import.patents" || audit[0].Actor != "editor@example.com" || audit[0].Via != sqlite.ViaWeb {
		t.Errorf("audit %+v", audit[0])
	}
	// The upload is gone once imported: confirming twice imports nothing.
	wantStatus(t, b.post(review, nil), http.StatusNotFound)
}

func TestImportRejectedRowsBlockEverything(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.lang = "de"
	b.mustSignIn(app.addUser("editor@example.com", auth.RoleEditor))
	bad := strings.Replace(importPatentsCSV, "2012-01-20", "2012-13-40", 1)
	res := b.upload("patents", "native", "bad.csv", []byte(bad))
	wantRedirect(t, res, "/import/")
	review := res.Header.Get("Location")
	doc := parseHTML(t, b.get(review))
	issues := testid(doc, "rejections").Find(`[data-testid="issue"]`)
	if issues.Length() != 1 {
		t.Fatalf("%d rejections listed", issues.Length())
	}
	cells := issues.First().Find("td")
	if cells.Eq(0).Text() != "3" || cells.Eq(1).Text() != "filed_on" || cells.Eq(2).Text() == "" {
		t.Errorf("rejection line %q column %q reason %q", cells.Eq(0).Text(), cells.Eq(1).Text(), cells.Eq(2).Text())
	}
	if testid(doc, "import-confirm").Length() != 0 {
		t.Error("a file with rejected rows can be confirmed")
	}
	if !strings.Contains(testid(doc, "import-refused").Text(), "nichts importiert") {
		t.Errorf("German refusal %q", testid(doc, "import-refused").Text())
	}
	// Even a forged confirmation imports nothing.
	wantStatus(t, b.post(review, nil), http.StatusConflict)
	if n := countAllPatents(t, app.db); n != 0 {
		t.Fatalf("%d patents stored from a rejected file", n)
	}
	wantRedirect(t, b.post(review+"/cancel", nil), "/import")
	wantStatus(t, b.get(review), http.StatusNotFound)
}

func TestImportUnreadableFiles(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.MaxUploadBytes = 1 << 20 })
	b := app.browser()
	b.mustSignIn(app.addUser("editor@example.com", auth.RoleEditor))
	tests := []struct {
		name, kind, content string
		status              int
		want                string
	}{
		{"NotCSV", "patents", "\x89PNG\r\n\x1a\n\x00\x00", http.StatusUnprocessableEntity, "not a CSV text file"},
		{"UnknownHeader", "patents", "foo,bar\n1,2\n", http.StatusUnprocessableEntity, "header"},
		{"TooLarge", "patents", strings.Repeat("x", 2<<20), http.StatusRequestEntityTooLarge, "1 MB"},
		{"NoKind", "", importPatentsCSV, http.StatusUnprocessableEntity, "patents or companies"},
		{"Empty", "patents", "", http.StatusUnprocessableEntity, "CSV file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.upload(tt.kind, "", "f.csv", []byte(tt.content))
			wantStatus(t, res, tt.status)
			doc := parseHTML(t, res)
			msg := doc.Find(".field-error").Text()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not mention %q", msg, tt.want)
			}
		})
	}
}

func TestImportRealGoogleExportThroughTheUpload(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("editor@example.com", auth.RoleEditor))
	content, err := os.ReadFile("../testdata/real/gp-search.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := b.upload("patents", "", "gp-search.csv", content)
	wantRedirect(t, res, "/import/")
	doc := parseHTML(t, b.get(res.Header.Get("Location")))
	if !strings.Contains(doc.Find(".page-head p").Text(), "Google Patents") {
		t.Errorf("format not detected: %q", doc.Find(".page-head p").Text())
	}
	// Nine rows name no owner at all; each is listed with its line.
	if n := testid(doc, "rejections").Find(`[data-testid="issue"]`).Length(); n != 9 {
		t.Errorf("%d rejections, want 9", n)
	}
}

func TestImportNeedsAnEditor(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.mustSignIn(app.addUser("viewer@example.com", auth.RoleViewer))
	wantStatus(t, b.get("/import"), http.StatusForbidden)
	wantStatus(t, b.upload("patents", "", "p.csv", []byte(importPatentsCSV)), http.StatusForbidden)
}

func TestImportUploadBelongsToItsUser(t *testing.T) {
	app := newTestApp(t)
	alice, bob := app.browser(), app.browser()
	alice.mustSignIn(app.addUser("alice@example.com", auth.RoleEditor))
	bob.mustSignIn(app.addUser("bob@example.com", auth.RoleEditor))
	res := alice.upload("patents", "", "p.csv", []byte(importPatentsCSV))
	review := res.Header.Get("Location")
	wantStatus(t, bob.get(review), http.StatusNotFound)
	wantStatus(t, bob.post(review, nil), http.StatusNotFound)
	if n := countAllPatents(t, app.db); n != 0 {
		t.Fatalf("another user confirmed the upload: %d patents", n)
	}
}
