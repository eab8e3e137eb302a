package csvio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"patentdesk/internal/licensing"
)

// Fuzz targets for the import of every format, beyond FuzzReadPatents
// (reader_test.go, patents by detection) and FuzzEscapeCell (writer_test.go).

// fuzzFormats are the values of --format, "" detecting the format.
var fuzzFormats = []Format{"", FormatNative, FormatGoogle, FormatEspacenet}

// importSeeds are small files of every format and kind, for the fuzzers to
// start from; the real exports in testdata/real are too large to mutate.
var importSeeds = []string{
	nativeHeader + "EP1234567B1,EP,B1,\"Title, with comma\",F1,2012-05-20,2013-05-20,,,,granted,,Nokia,Nokia Oyj,a|b,3GPP LTE,yes,DE|FR,H04W68/00\n",
	bom + strings.ReplaceAll(nativeHeader, ",", ";") + "'=EP1;EP;;;;;;;;;;;;;;;;;\r\n",
	"name,short_name,country,parent,control_from,control_to,aliases\nNokia Corporation,Nokia,FI,,,,Nokia Oyj|Nokia Corp\nNokia Technologies Oy,,FI,Nokia Corporation,2014-01-01,,\n",
	"search URL:,https://patents.google.com/?q=x\nid,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\nUS-9254383-B2,T ,\"Gearbox, Inc.\",\"A, B\",2012-02-21,2014-07-17,2015-04-21,,https://x,\n",
	"Espacenet;;\r\n;;\r\nNo;Title;Applicants;Publication number;CPC;Publication date;Family number\r\n1;T;\"A [FR] \r\nB [DE]\";\"EP1A1 \r\nEP1B1\";\"G21C3/332 (EP,US)\";\"2009-03-04 \r\n2011-05-11\";1\r\n",
	"No;Title;Applicants;Publication number;Earliest priority\r\n1;Proc\xe9d\xe9;\"SOCI\xc3\x89T\xc3\x89 [FR]\";EP1A1;05.07.2017\r\n",
}

// FuzzReadProposals reads anything as a patents or a companies file, in
// every format, as the import page and `patentdesk import` do. It must
// never panic; a file is either refused as a whole or read into proposals
// and rejections, each rejection naming its line, each proposed patent
// number and date usable by the store.
func FuzzReadProposals(f *testing.F) {
	for _, s := range importSeeds {
		for i := range fuzzFormats {
			f.Add([]byte(s), false, uint8(i))
			f.Add([]byte(s), true, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, companies bool, format uint8) {
		kind := KindPatents
		if companies {
			kind = KindCompanies
		}
		p, err := ReadProposals(bytes.NewReader(b), kind, Options{Format: fuzzFormats[int(format)%len(fuzzFormats)], MaxRows: 1000})
		if err != nil {
			if p != nil {
				t.Fatal("proposals and an error together")
			}
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		for _, r := range p.Rejected {
			if r.Line < 0 || r.Reason == "" {
				t.Fatalf("rejection %+v", r)
			}
		}
		for _, imp := range p.Patents {
			if imp.Line < 1 || imp.Patent.Number == "" || imp.Owner == "" {
				t.Fatalf("proposed %+v", imp)
			}
		}
		for _, imp := range p.Companies {
			if imp.Line < 1 || imp.Company.Name == "" {
				t.Fatalf("proposed %+v", imp)
			}
			for _, d := range []licensing.Date{imp.Company.ControlFrom, imp.Company.ControlTo} {
				if back, err := licensing.ParseDate(d.String()); err != nil || back != d {
					t.Fatalf("proposed date %v does not read back", d)
				}
			}
		}
	})
}

// FuzzNativeRoundTrip: whatever a native file holds that the reader
// accepts comes back unchanged when exported and imported again (the
// contract: "exports of the same kind re-import unchanged"), in either
// dialect.
func FuzzNativeRoundTrip(f *testing.F) {
	for _, s := range importSeeds[:3] {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, b []byte, semicolon, withBOM bool) {
		for _, kind := range []Kind{KindPatents, KindCompanies} {
			first, err := read(bytes.NewReader(b), Options{Format: FormatNative, MaxRows: 1000}, kind)
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			w := NewWriter(&buf, WriterOptions{Semicolon: semicolon, BOM: withBOM})
			if err := w.Write(NativeHeader(kind)); err != nil {
				t.Fatal(err)
			}
			for _, p := range first.Patents {
				if err := w.Write(PatentRow(p)); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range first.Companies {
				if err := w.Write(CompanyRow(c)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			second, err := read(bytes.NewReader(buf.Bytes()), Options{Format: FormatNative, MaxRows: 1000}, kind)
			if err != nil {
				t.Fatalf("the export of %q does not read back: %v\n%q", b, err, buf.String())
			}
			if len(second.Errors) > 0 {
				t.Fatalf("the export of %q is rejected: %v\n%q", b, second.Errors, buf.String())
			}
			if !sameRecords(first, second) {
				t.Fatalf("round trip of %q changed\n%+v\n%+v\nexport %q", b, first.Patents, second.Patents, buf.String())
			}
		}
	})
}

// sameRecords compares what two reads found, line numbers aside.
func sameRecords(a, b *Result) bool {
	if len(a.Patents) != len(b.Patents) || len(a.Companies) != len(b.Companies) {
		return false
	}
	for i := range a.Patents {
		x, y := a.Patents[i], b.Patents[i]
		x.Line, y.Line = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	for i := range a.Companies {
		x, y := a.Companies[i], b.Companies[i]
		x.Line, y.Line = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
