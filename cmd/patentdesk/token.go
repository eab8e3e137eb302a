package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"patentdesk/internal/sqlite"
)

func cmdToken(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 {
		return errors.New("token needs a subcommand: create, list or revoke")
	}
	switch args[0] {
	case "create":
		return cmdTokenCreate(ctx, args[1:], std)
	case "list":
		return cmdTokenList(ctx, args[1:], std)
	case "revoke":
		return cmdTokenRevoke(ctx, args[1:], std)
	}
	return fmt.Errorf("unknown token subcommand %q: use create, list or revoke", args[0])
}

// cmdTokenCreate makes a personal access token for a user and prints it
// alone on standard output, so that a script can capture it; it is not
// stored and cannot be shown again.
func cmdTokenCreate(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("token create", std)
	email := fs.String("email", "", "the user the token acts for, with their role (required)")
	name := fs.String("name", "command line", "what the token is for, shown on the account page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token create needs --email")
	}
	db, u, err := openUser(ctx, *data, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if u.Disabled() {
		return fmt.Errorf("%s is disabled; enable the user first", u.Email)
	}
	secret, _, err := db.CreateAPIToken(ctx, sqlite.CLIActor(), u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, secret)
	return nil
}

func cmdTokenList(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("token list", std)
	email := fs.String("email", "", "the user whose tokens to list (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token list needs --email")
	}
	db, u, err := openUser(ctx, *data, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.APITokens(ctx, u.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBEGINS\tCREATED\tLAST USED\tSTATUS")
	for _, t := range list {
		used, status := "never", "active"
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Format("2006-01-02 15:04")
		}
		if t.RevokedAt != nil {
			status = "revoked " + t.RevokedAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Hint, t.CreatedAt.Format("2006-01-02 15:04"), used, status)
	}
	return tw.Flush()
}

func cmdTokenRevoke(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("token revoke", std)
	email := fs.String("email", "", "the token's user (required)")
	id := fs.String("id", "", "the token's id, as token list shows it (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := strconv.ParseInt(*id, 10, 64)
	if *email == "" || err != nil {
		return errors.New("token revoke needs --email and a numeric --id")
	}
	db, u, err := openUser(ctx, *data, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeAPIToken(ctx, sqlite.CLIActor(), u.ID, n); errors.Is(err, sqlite.ErrNotFound) {
		return fmt.Errorf("%s has no live token with id %d", u.Email, n)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "token %d of %s revoked\n", n, u.Email)
	return nil
}
