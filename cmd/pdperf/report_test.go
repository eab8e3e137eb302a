package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"PlainWordsStayBare", []string{"latency", "--base", "http://127.0.0.1:8080", "-n", "200"},
			"pdperf latency --base http://127.0.0.1:8080 -n 200"},
		{"PlaceholdersAndAmpersandsAreQuoted", []string{"--get", "r=/api/v1/rights/check?company={company}&patent={patent}"},
			"pdperf --get 'r=/api/v1/rights/check?company={company}&patent={patent}'"},
		{"SpacesAreQuoted", []string{"--sql", "n=SELECT count(*) FROM patents"},
			"pdperf --sql 'n=SELECT count(*) FROM patents'"},
		{"SingleQuotesSurvive", []string{"--sql", "x=SELECT 'a'"}, `pdperf --sql 'x=SELECT '\''a'\'''`},
		{"EmptyArgumentIsKept", []string{"--scenario", ""}, "pdperf --scenario ''"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := commandLine(tc.args); got != tc.want {
				t.Errorf("commandLine = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"SubMillisecond", durationText(412 * time.Microsecond), "0.412 ms"},
		{"Milliseconds", durationText(3170 * time.Microsecond), "3.17 ms"},
		{"TensOfMilliseconds", durationText(31700 * time.Microsecond), "31.7 ms"},
		{"HundredsOfMilliseconds", durationText(317 * time.Millisecond), "317 ms"},
		{"Seconds", durationText(12300 * time.Millisecond), "12.3 s"},
		{"RateWithThousands", rate(312456.4, "rows"), "312,456 rows/s"},
		{"SmallRateWithDecimal", rate(7.26, "req"), "7.3 req/s"},
		{"Millions", groupThousands(1234567), "1,234,567"},
		{"Megabytes", sizeText(45_200_000), "45.2 MB"},
		{"Kilobytes", sizeText(2600), "2.6 kB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func TestMarkdownRow(t *testing.T) {
	t.Run("PipeInANameCannotSplitTheCell", func(t *testing.T) {
		r := row{name: "a|b", n: 1, notes: "x|y"}
		if got := r.markdown(); got != `| a\|b | 1 | – | – | – | – | – | x\|y |`+"\n" {
			t.Errorf("markdown = %q", got)
		}
	})
	t.Run("TimesBelowACoarseClockSayLessThan", func(t *testing.T) {
		r := row{name: "q", n: 3, timed: true, resolution: time.Millisecond, p50: 0, p95: 0, p99: time.Millisecond, max: 2 * time.Millisecond}
		if got := r.markdown(); !strings.HasPrefix(got, "| q | 3 | < 1.00 ms | < 1.00 ms | 1.00 ms | 2.00 ms |") {
			t.Errorf("markdown = %q", got)
		}
	})
	t.Run("ReportHasCommandMachineAndTable", func(t *testing.T) {
		var b bytes.Buffer
		report(&b, []string{"proc", "--pid", "1"}, []row{{name: "p", n: 1}})
		lines := strings.Split(b.String(), "\n")
		if lines[0] != "Command: `pdperf proc --pid 1`" || !strings.HasPrefix(lines[1], "Measured: ") ||
			lines[3] != strings.Split(tableHeader, "\n")[0] || !strings.HasPrefix(lines[5], "| p | 1 |") {
			t.Errorf("report:\n%s", b.String())
		}
	})
}
