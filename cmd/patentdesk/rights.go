package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/web"
)

// cmdRights dispatches the rights subcommands; there is one, check.
func cmdRights(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] != "check" {
		return errors.New("rights needs a subcommand: patentdesk rights check --company C --patent P [--on D] [--territory T] [--activity A] [--field F] [--what-if]")
	}
	return cmdRightsCheck(ctx, args[1:], std)
}

// cmdRightsCheck asks the rights engine whether a company may practise a
// patent and prints the verdict as JSON (CONTRACT.md's shape), the same
// answer the rights page and the API give, its sentences in English.
func cmdRightsCheck(ctx context.Context, args []string, std stdio) error {
	fs, data := newFlags("rights check", std)
	var req web.RightsRequest
	fs.StringVar(&req.Company, "company", "", "the company, by id or legal name (required)")
	fs.StringVar(&req.Patent, "patent", "", "the patent, by id or number in any notation (required)")
	fs.StringVar(&req.On, "on", "", "the day asked about, YYYY-MM-DD (default today)")
	fs.StringVar(&req.Territory, "territory", "", "the country, a two-letter code (default the patent's country)")
	fs.StringVar(&req.Activity, "activity", "", "make, use, sell, offer_to_sell, import or have_made (default any)")
	fs.StringVar(&req.Field, "field", "", "the field of use (default any)")
	fs.BoolVar(&req.WhatIf, "what-if", false, "count drafts and agreements under negotiation, as hypothetical bases")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("rights check takes flags only, not %q", fs.Arg(0))
	}
	db, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	answer, err := web.CheckRights(ctx, db, req, licensing.DateOf(time.Now()))
	if err != nil {
		return questionError(err)
	}
	enc := json.NewEncoder(std.out)
	enc.SetIndent("", "  ")
	return enc.Encode(web.NewVerdictJSON(answer))
}

// questionError says on one line what is wrong with the question, naming
// each flag at fault.
func questionError(err error) error {
	var de *licensing.Error
	if !errors.As(err, &de) || de.Code != licensing.Invalid {
		return err
	}
	if len(de.Fields) == 0 {
		return errors.New(de.Message)
	}
	parts := make([]string, 0, len(de.Fields))
	for _, field := range slices.Sorted(maps.Keys(de.Fields)) {
		parts = append(parts, "--"+field+": "+de.Fields[field])
	}
	return fmt.Errorf("%s: %s", de.Message, strings.Join(parts, " "))
}
