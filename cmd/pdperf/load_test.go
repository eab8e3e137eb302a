package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	desk, srv := newFakeDesk(t)
	dir := t.TempDir()
	logFile, wal := filepath.Join(dir, "serve.log"), filepath.Join(dir, "patentdesk.db-wal")
	// A busy line logged before the load is not the load's.
	os.WriteFile(logFile, []byte("level=ERROR msg=old err=\"database is locked\"\n"), 0o600)
	os.WriteFile(wal, make([]byte, 4096), 0o600)
	log, err := os.OpenFile(logFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	desk.log = log
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("# one per connection\n"+fakeToken+"\n"), 0o600)

	var out bytes.Buffer
	err = run(context.Background(), []string{"load", "--base", srv.URL, "--conns", "4", "--duration", "700ms",
		"--write-ratio", "0.5", "--tokens-file", tokens, "--wal", wal, "--pid", strconv.Itoa(os.Getpid()), "--log", logFile,
		"--run-tag", "12345"}, stdio{out: &out, err: os.Stderr})
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out.String())
	}
	rowN := func(name string) int {
		m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(name) + ` \| (\d+) \|`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no row %q in:\n%s", name, out.String())
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	t.Run("EveryWriteTheServerTookIsCounted", func(t *testing.T) {
		desk.mu.Lock()
		defer desk.mu.Unlock()
		if rowN(writePatent) != len(desk.numbers) || rowN(writeAgreement) != desk.patches || desk.patches == 0 {
			t.Errorf("rows count %d patents and %d patches; the server got %d and %d",
				rowN(writePatent), rowN(writeAgreement), len(desk.numbers), desk.patches)
		}
	})
	t.Run("NewPatentNumbersAreUniqueAndTagged", func(t *testing.T) {
		desk.mu.Lock()
		defer desk.mu.Unlock()
		for number, n := range desk.numbers {
			if n != 1 || !regexp.MustCompile(`^CN 9912345\d{7} A$`).MatchString(number) {
				t.Errorf("number %q posted %d times", number, n)
			}
		}
	})
	t.Run("TotalsAddUp", func(t *testing.T) {
		reads, writes := rowN("all reads"), rowN("all writes")
		if reads == 0 || rowN("total") != reads+writes || writes != rowN(writePatent)+rowN(writeAgreement) {
			t.Errorf("reads %d + writes %d != total %d", reads, writes, rowN("total"))
		}
	})
	for _, want := range []string{"4 connections, ", "write ratio 0.50", "WAL max 4.1 kB, final 4.1 kB",
		"server RSS before", "server log: 1 lines mention SQLITE_BUSY/locked, 1 errors"} {
		t.Run("Notes "+want, func(t *testing.T) {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		})
	}
}

func TestLoadNeedsAToken(t *testing.T) {
	_, srv := newFakeDesk(t)
	t.Setenv("PDPERF_TOKEN", "")
	err := run(context.Background(), []string{"load", "--base", srv.URL, "--duration", "100ms"}, stdio{out: &bytes.Buffer{}, err: os.Stderr})
	if err == nil || !strings.Contains(err.Error(), "PDPERF_TOKEN") {
		t.Errorf("err = %v", err)
	}
}
