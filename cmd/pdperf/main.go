// Command pdperf measures a running PatentDesk: request latency, streamed
// exports, a sustained mixed load, start-up time and memory, beside two
// floors (a constant echo handler and the sqlite3 command line). Each
// subcommand prints the command line, the machine and a markdown table row
// per measured thing, ready to paste into docs/perf.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// usage is printed by "pdperf help" and after a mistake in the command line.
const usage = `usage: pdperf <command> [flags]

commands:
  latency           --base URL --get name=PATH ... | --scenario FILE  [-n 200] [--warmup 20]
                    each request n times in turn: p50/p95/p99/max per name
  reference-echo    [-n 200] [--size BYTES]
                    the same client against an in-process echo handler: the floor of HTTP here
  reference-sqlite3 --db FILE --sql name=SQL ... | --sql-file FILE  [-n 100] [--warmup 5]
                    each statement n times in one "sqlite3 -readonly" process (.timer on)
  stream            --base URL --get name=PATH ... [--pid N | --pidfile F]
                    streams a CSV export: rows/s, bytes/s, server RSS before and at peak
  load              --base URL [--conns 32] [--duration 60s] [--write-ratio 0.1] [--get name=PATH ...]
                    [--wal FILE] [--pid N | --pidfile F] [--log FILE]
                    sustained mixed API load: throughput, read and write latency, errors, WAL size
  page              --base URL --path PATH [--page 100]
                    follows a list's "next" links and prints the path of that page (a deep page)
  proc              --pid N | --pidfile F     a process's resident memory
  startup           [--url URL] [-n 1] [--settle 2s] -- COMMAND [ARGS...]
                    time from start until URL answers 200, and the idle RSS then

Credentials: the API token comes from the environment (PDPERF_TOKEN; load also
--tokens-file, one token per line and connection). For pages (not /api/), sign
in with --email E --password-stdin (or PDPERF_PASSWORD): pdperf signs in
through /login and keeps the session cookie.

Paths may hold placeholders, filled with a random sample fetched through the
API first (needs a token): {patent} {patent_id} {territory} {owner} {company}
{company_id} {agreement} {agreement_id} {word}. Placeholders of one record
(patent, patent_id, territory) are filled from the same record in one path.

Run "pdperf <command> -h" for a command's flags.
`

// errUsage marks a mistake in the command line; main prints the usage.
var errUsage = errors.New("usage")

// stdio bundles the standard streams, so tests can run commands in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr})
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "pdperf: "+err.Error())
		os.Exit(1)
	}
}

// run dispatches to the subcommand named by args[0].
func run(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 {
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "latency":
		return cmdLatency(ctx, rest, std)
	case "reference-echo":
		return cmdReferenceEcho(ctx, rest, std)
	case "reference-sqlite3":
		return cmdReferenceSQLite3(ctx, rest, std)
	case "stream":
		return cmdStream(ctx, rest, std)
	case "load":
		return cmdLoad(ctx, rest, std)
	case "page":
		return cmdPage(ctx, rest, std)
	case "proc":
		return cmdProc(ctx, rest, std)
	case "startup":
		return cmdStartup(ctx, rest, std)
	case "help", "-h", "--help":
		fmt.Fprint(std.out, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (run \"pdperf help\")", cmd)
}

// newFlags returns a flag set that reports its mistakes on std.err.
func newFlags(name string, std stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("pdperf "+name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	return fs
}

// parseFlags parses args and refuses positional arguments, which no
// subcommand but startup takes.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", fs.Name(), fs.Arg(0))
	}
	return nil
}
