package csvio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

const realDir = "../../testdata/real/"

func openFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(realDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countRecords counts the records after the first record whose first cell
// is headerCell, reading the file with encoding/csv alone, so that the
// expected count does not come from the code under test.
func countRecords(t *testing.T, b []byte, comma rune, headerCell string) int {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = comma
	r.FieldsPerRecord = -1
	n, seen := 0, false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if seen {
			n++
		} else if strings.TrimPrefix(rec[0], bom) == headerCell {
			seen = true
		}
	}
	if !seen {
		t.Fatalf("no header starting with %q", headerCell)
	}
	return n
}

// comparePatent reports every field in which got differs from want.
func comparePatent(t *testing.T, got, want PatentRecord) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("line %d, %s: got %q, want %q", want.Line, g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

func patentAt(t *testing.T, res *Result, line int) PatentRecord {
	t.Helper()
	for _, p := range res.Patents {
		if p.Line == line {
			return p
		}
	}
	t.Fatalf("no record starts on line %d", line)
	return PatentRecord{}
}

func TestReadGooglePatentsExports(t *testing.T) {
	tests := []struct {
		name string
		file string
		rows []PatentRecord // the expected values are copied from the file by eye
	}{
		{
			name: "TableTennisBats",
			file: "gp-search.csv",
			rows: []PatentRecord{{
				// First row; the assignee's comma belongs to the name.
				Line: 3, Number: "US-11046037-B2", Office: "US", Kind: "B2",
				Title:      "Panel structure with foam core and methods of manufacturing articles using the panel structure",
				PriorityOn: "2015-01-06", FiledOn: "2019-07-23", PublishedOn: "2021-06-29", GrantedOn: "2021-06-29",
				Owner: "Gearbox, Inc.", Assignees: []string{"Gearbox, Inc."},
				Inventors: []string{"Rafael G. Filippini"},
				Link:      "https://patents.google.com/patent/US11046037B2/en",
			}, {
				// Two spellings of one assignee; full-width commas after the inventors.
				Line: 6, Number: "JP-6527238-B2", Office: "JP", Kind: "B2",
				Title:      "Table tennis competition progress system including a plurality of shock sensing sensors and table tennis competition score display method using the same",
				PriorityOn: "2014-11-20", FiledOn: "2015-11-18", PublishedOn: "2019-06-05", GrantedOn: "2019-06-05",
				Owner:     "イエオウ エレクトロニクス インコーポレーテッド",
				Assignees: []string{"イエオウ エレクトロニクス インコーポレーテッド", "イエオウ  エレクトロニクス  インコーポレーテッド"},
				Inventors: []string{"チャングホ パク", "チャングホ パク"},
				Link:      "https://patents.google.com/patent/JP6527238B2/en",
			}, {
				// Middle row: two individual assignees written "surname; given names".
				Line: 271, Number: "US-5549294-A", Office: "US", Kind: "A",
				Title:      "Hand paddle",
				PriorityOn: "1994-08-18", FiledOn: "1995-01-17", PublishedOn: "1996-08-27", GrantedOn: "1996-08-27",
				Owner: "Wellen; Alexander B.", Assignees: []string{"Wellen; Alexander B.", "Fanucci; Allan A."},
				Inventors: []string{"Alexander B. Wellen", "Allan A. Fanucci"},
				Link:      "https://patents.google.com/patent/US5549294A/en",
			}, {
				// Last row.
				Line: 538, Number: "EP-3305378-B1", Office: "EP", Kind: "B1",
				Title:      "Raquette, en particulier structure de raquette de padel",
				PriorityOn: "2016-10-04", FiledOn: "2017-10-02", PublishedOn: "2019-03-13", GrantedOn: "2019-03-13",
				Owner: "Skis Rossignol", Assignees: []string{"Skis Rossignol"},
				Inventors: []string{"Enric CASAS BARDOLET", "Jordi LLADÓ ABELLA", "Jacques Le Masson"},
				Link:      "https://patents.google.com/patent/EP3305378B1/fr",
			}},
		},
		{
			name: "GenerativeAIInHealthcare",
			file: "gp-search-20240501-100105.csv",
			rows: []PatentRecord{{
				// First row: an application, so no grant date.
				Line: 3, Number: "US-2019198156-A1", Office: "US", Kind: "A1",
				Title:      "Medical Image Classification Based on a Generative Adversarial Network Trained Discriminator",
				PriorityOn: "2017-12-21", FiledOn: "2017-12-21", PublishedOn: "2019-06-27",
				Owner:     "International Business Machines Corporation",
				Assignees: []string{"International Business Machines Corporation"},
				Inventors: []string{"Ali Madani", "Mehdi Moradi", "Tanveer F. Syeda-Mahmood"},
				Link:      "https://patents.google.com/patent/US20190198156A1/en",
			}, {
				// Nokia first among two assignees.
				Line: 3317, Number: "WO-2021173489-A1", Office: "WO", Kind: "A1",
				Title:      "Apparatus, method, and system for providing a three-dimensional texture using uv representation",
				PriorityOn: "2020-02-28", FiledOn: "2021-02-22", PublishedOn: "2021-09-02",
				Owner:     "Nokia Technologies Oy",
				Assignees: []string{"Nokia Technologies Oy", "Nokia Of America Corporation (Attn: Ip Docketing)"},
				Inventors: []string{"Peter Oluwanisola FASOGBON", "Goutham RANGU", "Francesco Cricri", "Emre B. Aksu"},
				Link:      "https://patents.google.com/patent/WO2021173489A1/en",
			}, {
				// Middle row, Korean assignee.
				Line: 3514, Number: "KR-20210077293-A", Office: "KR", Kind: "A",
				Title:      "Server and method for estimating of export logistics",
				PriorityOn: "2019-12-17", FiledOn: "2019-12-17", PublishedOn: "2021-06-25",
				Owner: "(주)코머신", Assignees: []string{"(주)코머신"},
				Inventors: []string{"박은철"},
				Link:      "https://patents.google.com/patent/KR20210077293A/en",
			}, {
				// Last row.
				Line: 7024, Number: "CN-114229954-A", Office: "CN", Kind: "A",
				Title:      "紫外线消毒方法和消毒系统",
				PriorityOn: "2021-12-25", FiledOn: "2021-12-25", PublishedOn: "2022-03-25",
				Owner: "无锡诚源环境科技有限公司", Assignees: []string{"无锡诚源环境科技有限公司"},
				Inventors: []string{"杨明珠"},
				Link:      "https://patents.google.com/patent/CN114229954A/zh",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openFixture(t, tt.file)
			res, err := ReadPatents(bytes.NewReader(b), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != FormatGoogle {
				t.Errorf("format %q, want google", res.Format)
			}
			if len(res.Errors) > 0 || len(res.Warnings) > 0 {
				t.Errorf("errors %v, warnings %v; want none", res.Errors, res.Warnings)
			}
			if want := countRecords(t, b, ',', "id"); len(res.Patents) != want {
				t.Errorf("read %d patents, the file has %d rows", len(res.Patents), want)
			}
			for _, want := range tt.rows {
				comparePatent(t, patentAt(t, res, want.Line), want)
			}
		})
	}
}

func TestReadEspacenetResultList(t *testing.T) {
	b := openFixture(t, "Espacenet_search_result_20250510_1442.csv")
	res, err := ReadPatents(bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatEspacenet {
		t.Errorf("format %q, want espacenet", res.Format)
	}
	if len(res.Errors) > 0 {
		t.Errorf("errors %v; want none", res.Errors)
	}
	if want := countRecords(t, b, ';', "No"); len(res.Patents) != want {
		t.Errorf("read %d patents, the file has %d rows", len(res.Patents), want)
	}

	// The file is not valid UTF-8; the user is told where it first is not.
	firstLegacy := 0
	for i, line := range bytes.Split(b, []byte("\n")) {
		if !utf8.Valid(line) {
			firstLegacy = i + 1
			break
		}
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != firstLegacy || !strings.Contains(res.Warnings[0].Reason, "Windows-1252") {
		t.Errorf("warnings %v, want one about Windows-1252 on line %d", res.Warnings, firstLegacy)
	}

	// The expected values are copied from the file by eye. Records span
	// several lines: each cell lists one value a line.
	rows := []PatentRecord{{
		// First row: one number, dd.mm.yyyy dates.
		Line: 9, Number: "EP2525365A1", Office: "EP", Kind: "A1",
		Title:  "Nuclear fuel assembly for boiling water reactor comprising a fuel channel spacer",
		Family: "44546021", PriorityOn: "2011-05-20", PublishedOn: "2012-11-21",
		Owner: "AREVA NP", Assignees: []string{"AREVA NP"},
		Inventors: []string{"BLAVIUS DIRK", "FRIEDRICH ERHARD", "BLOCK BERND", "RUDER VIKTOR", "LONG COREY", "WALKER MICHAEL"},
		CPC:       []string{"G21C3/332", "G21C3/34", "G21C3/3566", "Y02E30/30"},
	}, {
		// An inventor's name in UTF-8 among Windows-1252 abstracts.
		Line: 65, Number: "EP3001425A1", Office: "EP", Kind: "A1",
		Title:  "Fuel assembly for a nuclear boiling water reactor",
		Family: "51585038", PriorityOn: "2014-09-24", PublishedOn: "2016-03-30",
		Owner:           "WESTINGHOUSE ELECTRIC SWEDEN",
		Assignees:       []string{"WESTINGHOUSE ELECTRIC SWEDEN", "WESTINGHOUSE ELECTRIC SWEDEN AB"},
		Inventors:       []string{"BERGMANN UFFE", "AURÉN JONAS", "JOHANSSON LARS-ERIK"},
		CPC:             []string{"G21C3/322", "G21C3/3225", "G21C3/326", "G21C3/328", "Y02E30/30"},
		AlsoPublishedAs: []string{"EP3001425B1"},
	}, {
		// Middle row: the publication date is the first number's, not the
		// earliest publication of the family.
		Line: 2012, Number: "EP1570492A2", Office: "EP", Kind: "A2",
		Title:  "METHOD AND DEVICE FOR LOADING A FUEL ASSEMBLY INTO THE CORE OF A NUCLEAR REACTOR",
		Family: "32320167", PriorityOn: "2002-12-10", PublishedOn: "2005-09-07",
		Owner:           "FRAMATOME ANP",
		Assignees:       []string{"FRAMATOME ANP", "REEL SA", "AREVA NP"},
		Inventors:       []string{"JUBLOT PATRICE"},
		CPC:             []string{"G21C19/205", "Y02E30/30"},
		AlsoPublishedAs: []string{"EP1570492B1"},
	}, {
		// Non-ASCII applicant names.
		Line: 2658, Number: "EP3082131A1", Office: "EP", Kind: "A1",
		Title:  "DEVICE FOR HANDLING A CONTROL ROD OF A NUCLEAR REACTOR",
		Family: "54329596", PriorityOn: "2015-04-14", PublishedOn: "2016-10-19",
		Owner:     "COMEX NUCLÉAIRE",
		Assignees: []string{"COMEX NUCLÉAIRE", "COMMISSARIAT À L EN ATOMIQUE ET AUX EN ALTERNATIVES", "COMMISSARIAT À L'ENERGIE ATOMIQUE ET AUX ENERGIES ALTERNATIVES"},
		Inventors: []string{"ARLAUD JEAN-LUC", "CYPRES DANIEL", "ROBERT ADRIEN"},
		CPC: []string{"G21C19/06", "G21C7/10", "G21C7/12", "G21C7/14", "G21C7/20",
			"G21C1/03", "G21C7/08", "Y02E30/30"},
		AlsoPublishedAs: []string{"EP3082131B1"},
	}, {
		Line: 3874, Number: "EP3086035A1", Office: "EP", Kind: "A1",
		Title:  "SMALL FIRING DEVICE",
		Family: "53372530", PriorityOn: "2015-04-24", PublishedOn: "2016-10-26",
		Owner:           "ERWIN KOPPE KERAMISCHE HEIZGERÄTE GMBH",
		Assignees:       []string{"ERWIN KOPPE KERAMISCHE HEIZGERÄTE GMBH", "ERWIN KOPPE KERAMISCHE HEIZGERAETE GMBH"},
		Inventors:       []string{"KOPPE FRANZ"},
		CPC:             []string{"F23B60/00", "F24B1/192", "F24B13/04"},
		AlsoPublishedAs: []string{"EP3086035B1"},
	}, {
		// Last row: a French patent, an inventor without country code.
		Line: 4176, Number: "FR2905030A1", Office: "FR", Kind: "A1",
		Title:  "Tool for handling an element e.g. reception cell in a pool of nuclear power plant e.g. pressurized water reactor, comprises a frame, two columns of different lengths engaging itself in the element, and a displacement mechanism",
		Family: "37834158", PriorityOn: "2006-08-21", PublishedOn: "2008-02-22",
		Owner: "AREVA NP SAS", Assignees: []string{"AREVA NP SAS"},
		Inventors:       []string{"AMIET PIERRE"},
		CPC:             []string{"G21C19/10", "G21C19/207", "G21C19/32", "Y02E30/30"},
		AlsoPublishedAs: []string{"FR2905030B1"},
	}}
	for _, want := range rows {
		t.Run(fmt.Sprint("Line", want.Line), func(t *testing.T) {
			comparePatent(t, patentAt(t, res, want.Line), want)
		})
	}
}

// TestEspacenetWindows1252Text checks the abstracts of the real file, the
// part Espacenet writes in Windows-1252: read as UTF-8 they would be
// garbled, read wholly as Windows-1252 the names would be.
func TestEspacenetWindows1252Text(t *testing.T) {
	b := openFixture(t, "Espacenet_search_result_20250510_1442.csv")
	if utf8.Valid(b) {
		t.Fatal("the fixture is meant to be invalid UTF-8")
	}
	text, err := io.ReadAll(transform.NewReader(bytes.NewReader(b), newTextDecoder()))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"formé d’assemblages combustibles (600)", // é and ’ as single Windows-1252 bytes
		"de c\u0153ur nucléaire",                 // œ is 0x9C in Windows-1252
		"AURÉN JONAS",                            // É as UTF-8 bytes
	} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("decoded file lacks %q", want)
		}
	}
	if !utf8.Valid(text) {
		t.Error("decoded text is not valid UTF-8")
	}
}

func TestReadWindows1252Export(t *testing.T) {
	text := "Espacenet;;\r\nPatent search;;\r\n;;\r\n" +
		"No;Title;Applicants;Publication number;Publication date;Family number\r\n" +
		"1;Procédé d’assemblage;\"SOCIÉTÉ FRANÇAISE [FR] \r\nNOKIA TECHNOLOGIES OY [FI]\";EP1234567A1;21.11.2012;44546021\r\n"
	b, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ReadPatents(strings.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	comparePatent(t, res.Patents[0], PatentRecord{
		Line: 5, Number: "EP1234567A1", Office: "EP", Kind: "A1",
		Title: "Procédé d’assemblage", Family: "44546021", PublishedOn: "2012-11-21",
		Owner: "SOCIÉTÉ FRANÇAISE", Assignees: []string{"SOCIÉTÉ FRANÇAISE", "NOKIA TECHNOLOGIES OY"},
	})
}

func TestNativeRoundTrip(t *testing.T) {
	patents := []PatentRecord{{
		Number: "EP1234567B1", Office: "EP", Kind: "B1", Title: "Method for \"paging\", with commas",
		Family: "44546021", PriorityOn: "2012-05-20", FiledOn: "2013-05-20", PublishedOn: "2014-11-21",
		GrantedOn: "2016-03-02", ExpiresOn: "2033-05-20", Status: "granted", StatusOn: "2016-03-02",
		Owner: "Xiaomi Corporation", OriginalOwner: "Nokia Technologies Oy",
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP LTE", "3GPP NR"}, SEP: "true",
		DesignatedStates: []string{"DE", "FR", "GB"}, CPC: []string{"H04W68/00", "H04L5/00"},
	}, {
		Number: "US9254383B2", Office: "US", Kind: "B2",
		Title: "=HYPERLINK(\"http://evil\")\nsecond line; with semicolon",
		Owner: "Gearbox, Inc.", SEP: "false", Status: "pending",
	}, {
		Number: "WO2017123456A1", Office: "WO", Title: "-minus, +plus, @at and 'quote", Owner: "'=not a formula",
		OriginalOwner: "Société Générale – ÄÖÜ",
	}}
	companies := []CompanyRecord{
		{Name: "Nokia Corporation", ShortName: "Nokia", Country: "FI", Aliases: []string{"NOKIA CORP", "Nokia Oyj"}},
		{Name: "Nokia Technologies Oy", Country: "FI", Parent: "Nokia Corporation", ControlFrom: "2014-01-01", ControlTo: "2099-12-31"},
		{Name: "=cmd", ShortName: "-x", Aliases: []string{"@home"}},
	}
	for _, opt := range []WriterOptions{{}, {Semicolon: true, BOM: true}} {
		t.Run(fmt.Sprintf("Semicolon%vBOM%v", opt.Semicolon, opt.BOM), func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, opt)
			w.Write(NativeHeader(KindPatents))
			for _, p := range patents {
				w.Write(PatentRow(p))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			res, err := ReadPatents(&buf, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != FormatNative || res.Kind != KindPatents || len(res.Errors) > 0 {
				t.Fatalf("format %q kind %q errors %v", res.Format, res.Kind, res.Errors)
			}
			if len(res.Patents) != len(patents) {
				t.Fatalf("read %d patents, wrote %d", len(res.Patents), len(patents))
			}
			// The second title spans two lines, so the third record starts on line 5.
			for i, line := range []int{2, 3, 5} {
				want := patents[i]
				want.Line = line
				comparePatent(t, res.Patents[i], want)
			}

			buf.Reset()
			w = NewWriter(&buf, opt)
			w.Write(NativeHeader(KindCompanies))
			for _, c := range companies {
				w.Write(CompanyRow(c))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			cres, err := ReadCompanies(&buf, Options{Format: FormatNative})
			if err != nil {
				t.Fatal(err)
			}
			if len(cres.Errors) > 0 || len(cres.Companies) != len(companies) {
				t.Fatalf("read %d companies, errors %v", len(cres.Companies), cres.Errors)
			}
			for i, want := range companies {
				want.Line = i + 2
				if !reflect.DeepEqual(cres.Companies[i], want) {
					t.Errorf("company %d: got %+v, want %+v", i, cres.Companies[i], want)
				}
			}
		})
	}
}

var nativeHeader = strings.Join(patentColumns, ",") + "\n"

func TestDetect(t *testing.T) {
	espacenet := openFixture(t, "Espacenet_search_result_20250510_1442.csv")
	google := openFixture(t, "gp-search.csv")
	tests := []struct {
		name    string
		head    []byte
		want    Format
		wantErr string
	}{
		{"NativePatents", []byte(nativeHeader), FormatNative, ""},
		{"NativeCompaniesSemicolonBOM", []byte(bom + "name;short_name;country;parent;control_from;control_to;aliases\r\n"), FormatNative, ""},
		{"GoogleWithSearchURL", google[:4096], FormatGoogle, ""},
		{"GoogleResavedWithoutSearchURL", google[bytes.IndexByte(google, '\n')+1:][:4096], FormatGoogle, ""},
		{"EspacenetAfterPreamble", espacenet[:4096], FormatEspacenet, ""},
		{"CutInsideAMultibyteCharacter", []byte(nativeHeader + "EP1,,,Proc\xc3"), FormatNative, ""},
		{"ETSIDeclarationsAreNotSupported", openFixture(t, "02_TARGET_IPRD_REFERENCE__ISLD-201608-010__ALL.csv")[:4096], "", `line 1: unknown header "IPRD_ID,IPRD_REFERENCE,`},
		{"Empty", nil, "", "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.head)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestUnreadableFiles(t *testing.T) {
	googleHead := "search URL:,https://patents.google.com/?q=x\n" +
		"id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\n"
	row := "EP1234567B1,EP,B1,Title,,,,,,,,,Nokia,,,,,,\n"
	tests := []struct {
		name    string
		input   string
		opt     Options
		wantErr string
	}{
		{"Empty", "", Options{}, "the file is empty"},
		{"OnlyBOMAndBlankLines", bom + "\r\n\r\n", Options{}, "the file is empty"},
		{"NoHeaderInTheHead", strings.Repeat("\n", headSize) + nativeHeader, Options{}, "no header in the first 64 KB"},
		{"MissingHeader", row, Options{}, `line 1: unknown header "EP1234567B1,EP,B1,Title`},
		{"UnknownHeader", "a,b,c\n1,2,3\n", Options{}, `line 1: unknown header "a,b,c"`},
		{"MisspelledNativeColumn", strings.Replace(nativeHeader, "title", "titel", 1) + row, Options{}, `column 4 of the PatentDesk patents header is "titel"; it must be "title"`},
		{"NativeHeaderMissingColumn", strings.Replace(nativeHeader, ",cpc", "", 1), Options{}, `the PatentDesk patents header ends after "designated_states"; column 19 must be "cpc"`},
		{"GoogleHeaderMissingColumn", strings.Replace(googleHead, ",grant date", "", 1), Options{}, `line 2: the header lacks the column(s) "grant date"`},
		{"GoogleSearchURLWithoutHeader", "search URL:,https://patents.google.com/?q=x\nfoo,bar\n", Options{}, "line 2: expected the Google Patents header"},
		{"UnterminatedQuote", nativeHeader + row + "EP7654321B1,EP,B1,\"Title that never ends\n,,,\n", Options{}, "line 3: a quoted cell starting in this row is never closed"},
		{"BareQuote", nativeHeader + row + "EP7654321B1,EP,B1,Title \"x\" y,,,,,,,,,Nokia,,,,,,\n", Options{}, `line 3: a " inside a cell that is not quoted`},
		{"NeitherUTF8NorWindows1252", nativeHeader + row + "EP7654321B1,EP,B1,\x81\x8d\x9d,,,,,,,,,Nokia,,,,,,\n", Options{}, "line 3: byte 0x81 is neither UTF-8 nor Windows-1252"},
		{"BinaryGarbage", nativeHeader + "\x00\x01\x02\xff\xfe", Options{}, "line 2: the file contains NUL bytes"},
		{"BinaryAfterTheHead", nativeHeader + strings.Repeat(row, 2000) + "\x00", Options{}, "line 2002: the file contains NUL bytes"},
		{"Spreadsheet", "PK\x03\x04\x14\x00\x06\x00", Options{}, "ZIP archive (an .xlsx workbook?)"},
		{"UTF16", "\xff\xfen\x00u\x00m\x00", Options{}, "UTF-16"},
		{"NativeHeaderExtraColumn", strings.Replace(nativeHeader, ",cpc", ",cpc,notes", 1), Options{}, `the PatentDesk patents header has 20 columns; it must have 19`},
		{"TooManyRows", nativeHeader + row + row + row, Options{MaxRows: 2}, "the file has more than 2 rows; split it"},
		{"CompaniesFileAsPatents", "name,short_name,country,parent,control_from,control_to,aliases\nNokia,,,,,,\n", Options{}, "the file is a PatentDesk companies file, not a patents file"},
		{"WrongFormatAsked", googleHead, Options{Format: FormatEspacenet}, "the file is a Google Patents export, not an Espacenet result list"},
		{"UnknownFormatAsked", nativeHeader, Options{Format: "excel"}, `unknown format "excel"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadPatents(strings.NewReader(tt.input), tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if res != nil {
				t.Errorf("got a result %+v with the error", res)
			}
		})
	}
}

func TestReadCompaniesRefusesPatentLists(t *testing.T) {
	_, err := ReadCompanies(bytes.NewReader(openFixture(t, "gp-search.csv")), Options{})
	if err == nil || err.Error() != "the file is a Google Patents export, which lists patents, not companies" {
		t.Fatalf("error %v", err)
	}
}

func TestRejectedRows(t *testing.T) {
	googleHead := "search URL:,https://patents.google.com/?q=x\n" +
		"id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\n"
	googleRow := func(filed string) string {
		return "US-9254383-B2,Title,Nokia Technologies Oy,A B,2012-01-01," + filed + ",2016-02-02,2016-02-02,,\n"
	}
	nativeRow := func(number, filed, sep string) string {
		return number + ",EP,B1,Title,,," + filed + ",,,,,,Nokia,,,," + sep + ",,\n"
	}
	tests := []struct {
		name  string
		input string
		want  []string // RowError.Error() of each rejected row
		kept  int
	}{
		{"ImpossibleDateInGoogle", googleHead + googleRow("2015-01-01") + googleRow("31.02.2017"),
			[]string{`line 4, column filing/creation date: "31.02.2017" is not a date`}, 1},
		{"SlashedDateInGoogle", googleHead + googleRow("05/01/2024"),
			[]string{`line 3, column filing/creation date: "05/01/2024" is not a date in the form YYYY-MM-DD (a spreadsheet may have reformatted it; day/month order is ambiguous)`}, 0},
		{"DottedDateInNative", nativeHeader + nativeRow("EP1", "20.05.2011", "") + nativeRow("EP2", "2011-05-20", ""),
			[]string{`line 2, column filed_on: "20.05.2011" is not a date in the form YYYY-MM-DD`}, 1},
		{"FebruaryThirtyFirstInNative", nativeHeader + nativeRow("EP1", "2017-02-31", ""),
			[]string{`line 2, column filed_on: "2017-02-31" is not a date in the form YYYY-MM-DD`}, 0},
		{"UnknownSEPValue", nativeHeader + nativeRow("EP1", "", "maybe"),
			[]string{`line 2, column sep: "maybe" is not yes or no`}, 0},
		{"MissingNumber", nativeHeader + nativeRow("", "", ""),
			[]string{`line 2, column number: is empty`}, 0},
		{"TwoBadCellsInOneRow", nativeHeader + nativeRow("", "2017-13-01", ""),
			[]string{`line 2, column filed_on: "2017-13-01" is not a date in the form YYYY-MM-DD`, `line 2, column number: is empty`}, 0},
		{"TooFewCells", nativeHeader + "EP1,EP,B1\n" + nativeRow("EP2", "", "ja"),
			[]string{`line 2: the row has 3 cells but the header has 19`}, 1},
		{"BlankLinesBeforeTheHeader", "\r\n\r\n" + nativeHeader + nativeRow("EP1", "2011-05-20", "") + nativeRow("EP2", "2011-05-32", ""),
			[]string{`line 5, column filed_on: "2011-05-32" is not a date in the form YYYY-MM-DD`}, 1},
		{"TrailingEmptyCellsAreFine", nativeHeader + strings.TrimSuffix(nativeRow("EP1", "", ""), "\n") + ",,\n", nil, 1},
		{"BlankRowsAreSkipped", nativeHeader + ",,,,,,,,,,,,,,,,,,\n\n" + nativeRow("EP1", "", ""), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadPatents(strings.NewReader(tt.input), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Error())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors %q, want %q", got, tt.want)
			}
			if len(res.Patents) != tt.kept {
				t.Errorf("kept %d rows, want %d", len(res.Patents), tt.kept)
			}
		})
	}
}

func TestSEPSpellings(t *testing.T) {
	for cell, want := range map[string]string{"": "", "yes": "true", "No": "false", "1": "true", "0": "false", "ja": "true", "Nein": "false", "TRUE": "true"} {
		input := nativeHeader + "EP1,EP,B1,Title,,,,,,,,,Nokia,,,," + cell + ",,\n"
		res, err := ReadPatents(strings.NewReader(input), Options{})
		if err != nil || len(res.Patents) != 1 {
			t.Fatalf("sep %q: %v %v", cell, err, res)
		}
		if got := res.Patents[0].SEP; got != want {
			t.Errorf("sep %q read as %q, want %q", cell, got, want)
		}
	}
}

func TestSplitNamesKeepsLegalForms(t *testing.T) {
	tests := []struct {
		name, cell string
		want       []string
	}{
		{"CommaInc", "Gearbox, Inc.", []string{"Gearbox, Inc."}},
		{"CoLtd", "Shanghai United Imaging Healthcare Co., Ltd., Shanghai United Imaging Intelligence Co., Ltd.",
			[]string{"Shanghai United Imaging Healthcare Co., Ltd.", "Shanghai United Imaging Intelligence Co., Ltd."}},
		{"PersonAndCompany", "Ken Sakamura, Noboru Koshizuka, NTT DoCoMo, Inc.", []string{"Ken Sakamura", "Noboru Koshizuka", "NTT DoCoMo, Inc."}},
		{"Oy", "Nokia Technologies Oy", []string{"Nokia Technologies Oy"}},
		{"KoreanLtd", "후앙 치에 메탈 테크놀로지 코., 엘티디.", []string{"후앙 치에 메탈 테크놀로지 코., 엘티디."}},
		{"Empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitNames(tt.cell); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitNames(%q) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
}

var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzReadPatents feeds arbitrary bytes to the reader: it must never panic,
// and what it accepts must be usable.
func FuzzReadPatents(f *testing.F) {
	f.Add([]byte(nativeHeader + "EP1234567B1,EP,B1,\"Title, with comma\",,2012-05-20,2013-05-20,,,,granted,,Nokia,,a|b,3GPP LTE,yes,DE|FR,H04W68/00\n"))
	f.Add([]byte(bom + strings.ReplaceAll(nativeHeader, ",", ";") + "'=EP1;EP;;;;;;;;;;;;;;;;;\r\n"))
	f.Add([]byte("name,short_name,country,parent,control_from,control_to,aliases\nNokia,,FI,,,,\n"))
	f.Add([]byte("search URL:,https://patents.google.com/?q=x\nid,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\nUS-9254383-B2,T ,\"Gearbox, Inc.\",\"A, B\",2012-02-21,2014-07-17,2015-04-21,,https://x,\n"))
	f.Add([]byte("Espacenet;;\r\n;;\r\nNo;Title;Applicants;Publication number;CPC;Publication date;Family number\r\n1;T;\"A [FR] \r\nB [DE]\";\"EP1A1 \r\nEP1B1\";\"G21C3/332 (EP,US)\";\"2009-03-04 \r\n2011-05-11\";1\r\n"))
	f.Add([]byte("No;Title;Applicants;Publication number\r\n1;Proc\xe9d\xe9;\"SOCI\xc3\x89T\xc3\x89 [FR]\";EP1A1\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ReadPatents(bytes.NewReader(b), Options{MaxRows: 1000})
		if err != nil {
			if res != nil {
				t.Fatal("result and error together")
			}
			return
		}
		for _, p := range res.Patents {
			if p.Line < 1 || p.Number == "" {
				t.Fatalf("accepted %+v", p)
			}
			for _, d := range []string{p.PriorityOn, p.FiledOn, p.PublishedOn, p.GrantedOn, p.ExpiresOn, p.StatusOn} {
				if _, err := time.Parse(time.DateOnly, d); d != "" && (err != nil || !isoDay.MatchString(d)) {
					t.Fatalf("accepted date %q", d)
				}
			}
			if !utf8.ValidString(p.Title + p.Owner + p.Number) {
				t.Fatalf("invalid UTF-8 in %+v", p)
			}
		}
		for _, e := range res.Errors {
			if e.Line < 1 {
				t.Fatalf("row error without a line: %v", e)
			}
		}
	})
}
