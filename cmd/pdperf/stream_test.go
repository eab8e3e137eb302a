package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestCSVRows(t *testing.T) {
	tests := []struct {
		name, csv string
		want      int64
	}{
		{"HeaderOnly", "number,title\n", 0},
		{"Empty", "", 0},
		{"TwoRows", "number,title\nEP1,a\nEP2,b\n", 2},
		{"LastRowWithoutLineEnd", "number,title\nEP1,a\nEP2,b", 2},
		{"CRLF", "number,title\r\nEP1,a\r\nEP2,b\r\n", 2},
		{"LineBreakInAQuotedCellIsOneRow", "number,title\nEP1,\"two\nlines\"\nEP2,b\n", 2},
		{"DoubledQuotesInsideACell", "number,title\nEP1,\"say \"\"hi\"\"\nthere\"\nEP2,b\n", 2},
		{"ByteOrderMarkAndSemicolons", "\ufeffnumber;title\nEP1;a\n", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Whole, and a byte at a time: a stream arrives in pieces.
			var whole, pieces csvCounter
			whole.Write([]byte(tc.csv))
			for i := range len(tc.csv) {
				pieces.Write([]byte{tc.csv[i]})
			}
			if whole.rows() != tc.want || pieces.rows() != tc.want {
				t.Errorf("rows = %d (whole), %d (in pieces), want %d", whole.rows(), pieces.rows(), tc.want)
			}
		})
	}
}

func TestStream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("pd_session"); err != nil || c.Value != "s1" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		fmt.Fprintln(w, "number,title")
		for i := range 1000 {
			fmt.Fprintf(w, "EP%07d,\"title, with comma\"\n", i)
		}
	}))
	defer srv.Close()
	t.Run("CountsRowsAndReportsARate", func(t *testing.T) {
		tg := &target{base: mustURL(t, srv.URL), cookies: []*http.Cookie{{Name: "pd_session", Value: "s1"}}}
		r, err := streamRow(context.Background(), tg, newClient(1, 0), "patents", "/patents.csv", os.Getpid(), 1e6)
		if err != nil {
			t.Fatal(err)
		}
		if r.n != 1000 || !strings.HasSuffix(r.throughput, "rows/s") || !strings.Contains(r.notes, "server RSS before") {
			t.Errorf("row = %+v", r)
		}
	})
	t.Run("ARedirectToSignInIsAFailure", func(t *testing.T) {
		tg := &target{base: mustURL(t, srv.URL)}
		r, err := streamRow(context.Background(), tg, newClient(1, 0), "patents", "/patents.csv", 0, 1e6)
		if err == nil || !strings.Contains(err.Error(), "status 303") || !strings.Contains(r.notes, "failed") {
			t.Errorf("row = %+v, err = %v", r, err)
		}
	})
}
