package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// row is one line of the table in docs/perf.md: one measured thing.
type row struct {
	name               string
	n                  int
	timed              bool          // p50…max hold measured times; false: shown as "–"
	resolution         time.Duration // the clock's step, when coarse: a time below it is shown as "< step"
	p50, p95, p99, max time.Duration
	throughput, notes  string
}

// tableHeader is the head of the table every subcommand prints.
const tableHeader = "| what | n | p50 | p95 | p99 | max | throughput | notes |\n|---|---:|---:|---:|---:|---:|---:|---|\n"

// markdown renders r as a table row; a "|" in a name or note is escaped so
// that it cannot split the cell.
func (r row) markdown() string {
	esc := func(s string) string {
		if s == "" {
			return "–"
		}
		return strings.ReplaceAll(s, "|", `\|`)
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s | %s | %s |\n", esc(r.name), r.n,
		r.cell(r.p50), r.cell(r.p95), r.cell(r.p99), r.cell(r.max), esc(r.throughput), esc(r.notes))
}

// cell writes one of r's times: "–" when r has none, "< 1.00 ms" below
// the resolution of a coarse clock.
func (r row) cell(d time.Duration) string {
	switch {
	case !r.timed:
		return "–"
	case d < r.resolution:
		return "< " + durationText(r.resolution)
	}
	return durationText(d)
}

// report prints the command line that produced the figures, when and where
// they were measured, and the table.
func report(w io.Writer, args []string, rows []row) {
	fmt.Fprintf(w, "Command: `%s`\n", commandLine(args))
	fmt.Fprintf(w, "Measured: %s on %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine())
	fmt.Fprint(w, tableHeader)
	for _, r := range rows {
		fmt.Fprint(w, r.markdown())
	}
}

// commandLine quotes args for a POSIX shell, so that the printed line can be
// run again as it stands; the program is named pdperf whatever its path.
func commandLine(args []string) string {
	parts := []string{"pdperf"}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote leaves plain words alone and puts anything else in single
// quotes, writing a single quote inside as '\”.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// machine describes this computer in one line: CPU model and count, OS,
// architecture and Go version.
func machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s: %s, %d CPUs, %s/%s, %s", host, model, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// durationText writes d in milliseconds with three significant digits
// (0.412 ms, 3.17 ms, 31.7 ms, 317 ms), or in seconds from 10 s.
func durationText(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1:
		return fmt.Sprintf("%.3f ms", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 10000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f s", ms/1000)
}

// rate writes a per-second figure with thousands separated by commas:
// "312,456 rows/s"; below 100 with one decimal.
func rate(perSecond float64, unit string) string {
	if perSecond < 100 {
		return fmt.Sprintf("%.1f %s/s", perSecond, unit)
	}
	return groupThousands(int64(perSecond+0.5)) + " " + unit + "/s"
}

// groupThousands writes n with a comma between each group of three digits.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// sizeText writes a byte count in B, kB or MB (powers of 1000, as the
// figures of the issue are stated).
func sizeText(bytes float64) string {
	switch {
	case bytes < 1000:
		return fmt.Sprintf("%.0f B", bytes)
	case bytes < 1e6:
		return fmt.Sprintf("%.1f kB", bytes/1e3)
	}
	return fmt.Sprintf("%.1f MB", bytes/1e6)
}

// executableSize is the size of the program a command line starts, found on
// PATH as exec would; 0 when it cannot be found.
func executableSize(path string) (string, int64) {
	if !strings.Contains(path, "/") {
		if p, err := exec.LookPath(path); err == nil {
			path = p
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return path, 0
	}
	abs, _ := filepath.Abs(path)
	return abs, fi.Size()
}
