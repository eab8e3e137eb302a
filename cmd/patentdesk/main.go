// Command patentdesk runs the PatentDesk server and its maintenance tasks:
// serve, user, token, import, export, rights, backup, check and demo.
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
	_ "time/tzdata" // TZ=Europe/Berlin works in the FROM scratch image, which has no zoneinfo
)

// usage is printed for -h and for an unknown subcommand.
const usage = `usage: patentdesk <command> [flags]

commands:
  serve   [--addr 127.0.0.1:8080] [--data ./data] [--demo]   run the web server
  user    add|passwd|list|disable|enable                     manage user accounts
  backup  FILE                                               consistent copy of the live database
  check                                                      integrity and foreign-key check
  healthcheck [--url URL]                                    ask a running server's /healthz (for containers)
  import  patents|companies FILE [--format F] [--dry-run]    import CSV (native, google, espacenet), all rows or none
  export  patents|companies|agreements|grants|assignments|obligations|audit [--semicolon] [--bom]
                                                            native CSV on stdout
  rights  check --company C --patent P [--on D] [--territory T] [--activity A] [--field F] [--what-if]
                                                            may C practise P? the verdict as JSON on stdout
  token   create --email E [--name N] | list --email E | revoke --email E --id N
                                                            personal access tokens for the JSON API;
                                                            create prints the new token alone on stdout
  demo    --scale N [--seed S]                               synthetic data set of N patents in an empty
                                                            data directory, for measurements at scale

Every command takes --data DIR (default ./data, env PATENTDESK_DATA).
Run "patentdesk <command> -h" for a command's flags.
`

// errUsage marks a mistake in the command line; its message is the help.
var errUsage = errors.New("usage")

// io bundles the standard streams, so tests can run commands in-process.
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
		fmt.Fprintln(os.Stderr, "patentdesk: "+err.Error())
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
	case "serve":
		return cmdServe(ctx, rest, std)
	case "user":
		return cmdUser(ctx, rest, std)
	case "backup":
		return cmdBackup(ctx, rest, std)
	case "check":
		return cmdCheck(ctx, rest, std)
	case "healthcheck":
		return cmdHealthcheck(ctx, rest, std)
	case "import":
		return cmdImport(ctx, rest, std)
	case "export":
		return cmdExport(ctx, rest, std)
	case "rights":
		return cmdRights(ctx, rest, std)
	case "token":
		return cmdToken(ctx, rest, std)
	case "demo":
		return cmdDemo(ctx, rest, std)
	case "-h", "--help", "help":
		fmt.Fprint(std.out, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (run \"patentdesk help\")", cmd)
}

// newFlags returns a flag set with the --data flag every command shares.
func newFlags(name string, std stdio) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("patentdesk "+name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	data := fs.String("data", envOr("PATENTDESK_DATA", "./data"), "data directory (env PATENTDESK_DATA)")
	return fs, data
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}
