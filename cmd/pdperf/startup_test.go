package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary play the server that startup starts: with
// PDPERF_TEST_SERVE set it waits a moment, then answers /healthz on that
// address until SIGTERM.
func TestMain(m *testing.M) {
	if addr := os.Getenv("PDPERF_TEST_SERVE"); addr != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		time.Sleep(50 * time.Millisecond) // a start-up worth measuring
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			os.Exit(3)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })}
		go srv.Serve(ln)
		<-ctx.Done()
		srv.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestStartup(t *testing.T) {
	addr := freeAddr(t)
	url := "http://" + addr + "/healthz"
	t.Setenv("PDPERF_TEST_SERVE", addr)
	var out bytes.Buffer
	err := run(context.Background(), []string{"startup", "--url", url, "-n", "2", "--settle", "10ms", "--", os.Args[0]},
		stdio{out: &out, err: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("RowWithTimesMemoryAndBinary", func(t *testing.T) {
		for _, want := range []string{"| start-up until " + url + " answers 200 | 2 |", "RSS when ready", "(medians of the runs)", "binary " + os.Args[0]} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
	t.Run("TheServerIsStoppedAfterwards", func(t *testing.T) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			t.Errorf("%s still answers after startup returned", url)
		}
	})
	t.Run("ACommandThatEndsEarlyIsAnError", func(t *testing.T) {
		err := run(context.Background(), []string{"startup", "--url", "http://" + freeAddr(t) + "/healthz", "--", "false"},
			stdio{out: &bytes.Buffer{}, err: os.Stderr})
		if err == nil || !strings.Contains(err.Error(), "ended before") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ARunningServerIsRefused", func(t *testing.T) {
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		go srv.Serve(ln)
		defer srv.Close()
		err := run(context.Background(), []string{"startup", "--url", "http://" + ln.Addr().String() + "/healthz", "--", "false"},
			stdio{out: &bytes.Buffer{}, err: os.Stderr})
		if err == nil || !strings.Contains(err.Error(), "answers already") {
			t.Errorf("err = %v", err)
		}
	})
}
