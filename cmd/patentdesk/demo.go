package main

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"patentdesk/internal/demo"
	"patentdesk/internal/sqlite"
)

// cmdDemo generates a synthetic data set of --scale patents into an empty
// data directory, for measurements at scale.
func cmdDemo(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("demo", std)
	scale := fs.Int("scale", 0, "how many patents to generate (required)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo takes no arguments, got %q", fs.Arg(0))
	}
	if *scale < 1 {
		return fmt.Errorf("demo needs --scale N, the number of patents to generate (at least 1)")
	}
	db, err := sqlite.Open(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(std.err, nil))
	rep, err := demo.Scale(ctx, db, demo.ScaleOptions{Patents: *scale, Seed: *seed, Progress: func(step string) {
		log.Info("generating", "step", step)
	}})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(std.out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "synthetic data set (seed %d) written to %s in %s\n", *seed, *data, rep.Took.Round(time.Millisecond))
	fmt.Fprintf(w, "companies\t%d in %d groups\n", rep.Companies, rep.Groups)
	fmt.Fprintf(w, "patents\t%d in %d families (%s)\n", rep.Patents, rep.Families, rep.PatentsTook.Round(time.Millisecond))
	fmt.Fprintf(w, "agreements\t%d with %d grants, %d of them portfolio grants (%s)\n", rep.Agreements, rep.Grants, rep.PortfolioGrants,
		rep.DealsTook.Round(time.Millisecond))
	fmt.Fprintf(w, "assignments\t%d transferring %d patents\n", rep.Assignments, rep.Assigned)
	fmt.Fprintf(w, "obligations\t%d\n", rep.Obligations)
	fmt.Fprintf(w, "broadest licensee\t%s, under %d portfolio cross-licences\n", rep.LargestLicensee, rep.LargestLicenseeGrantCount)
	w.Flush()
	fmt.Fprintln(std.out, "\nDemo accounts (the passwords are shown only now):")
	w = tabwriter.NewWriter(std.out, 0, 0, 2, ' ', 0)
	for _, a := range rep.Accounts {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", a.Email, a.Role, a.Password)
	}
	return w.Flush()
}
