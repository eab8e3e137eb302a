package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"patentdesk/internal/auth"
	"patentdesk/internal/sqlite"
)

func cmdUser(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 {
		return errors.New("user needs a subcommand: add, passwd, list, disable or enable")
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(ctx, args[1:], std)
	case "passwd":
		return cmdUserPasswd(ctx, args[1:], std)
	case "list":
		return cmdUserList(ctx, args[1:], std)
	case "disable":
		return cmdUserDisable(ctx, args[1:], std, true)
	case "enable":
		return cmdUserDisable(ctx, args[1:], std, false)
	}
	return fmt.Errorf("unknown user subcommand %q: use add, passwd, list, disable or enable", args[0])
}

// readPassword takes the password from standard input: one line, without
// its line ending. Passwords never come from arguments, which other users
// of the machine can see in the process list.
func readPassword(fromStdin bool, in io.Reader) (string, error) {
	if !fromStdin {
		return "", errors.New("passwords are read from standard input: add --password-stdin")
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

func cmdUserAdd(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("user add", std)
	email := fs.String("email", "", "the user's email address (required)")
	role := fs.String("role", "", "admin, editor or viewer (required)")
	name := fs.String("name", "", "the user's name")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return errors.New("user add needs --email and --role")
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	pw, err := readPassword(*stdin, std.in)
	if err != nil {
		return err
	}
	if err := auth.ValidatePasswordFor(pw, *email); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	u, err := auth.NewUser(*email, *name, r, pw)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(ctx, sqlite.CLIActor(), u); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "user %s added as %s\n", u.Email, u.Role)
	return nil
}

func cmdUserPasswd(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("user passwd", std)
	email := fs.String("email", "", "the user's email address (required)")
	stdin := fs.Bool("password-stdin", false, "read the new password from standard input (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("user passwd needs --email")
	}
	pw, err := readPassword(*stdin, std.in)
	if err != nil {
		return err
	}
	if err := auth.ValidatePasswordFor(pw, *email); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("password: %w", err)
	}
	db, u, err := openUser(ctx, *data, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetPassword(ctx, sqlite.CLIActor(), u.ID, hash, ""); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "password of %s changed; their sessions have been ended\n", u.Email)
	return nil
}

func cmdUserList(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("user list", std)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		switch {
		case u.Disabled():
			status = "disabled"
		case u.Invited():
			status = "invited" // no password until the invitation link is used
		case u.MustChangePassword:
			status = "must-change-password"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, status, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}

// cmdUserDisable disables an account (ending its sessions at once) or
// enables it again.
func cmdUserDisable(ctx context.Context, args []string, std stdio, disable bool) error {
	name := "user enable"
	if disable {
		name = "user disable"
	}
	fs, data := newFlags(name, std)
	email := fs.String("email", "", "the user's email address (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%s needs --email", name)
	}
	db, u, err := openUser(ctx, *data, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetUserDisabled(ctx, sqlite.CLIActor(), u.ID, disable); err != nil {
		return err
	}
	if disable {
		fmt.Fprintf(std.out, "%s disabled; their sessions have been ended\n", u.Email)
	} else {
		fmt.Fprintf(std.out, "%s enabled\n", u.Email)
	}
	return nil
}

// openUser opens an existing data directory and finds the account named by
// email; the caller closes the database.
func openUser(ctx context.Context, dataDir, email string) (*sqlite.DB, *auth.User, error) {
	db, err := openExisting(ctx, dataDir)
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		db.Close()
		if errors.Is(err, sqlite.ErrNotFound) {
			return nil, nil, fmt.Errorf("no user with email %s", email)
		}
		return nil, nil, err
	}
	return db, u, nil
}
