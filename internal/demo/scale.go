package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
)

// ScaleOptions says how large a synthetic data set to generate.
type ScaleOptions struct {
	Patents int    // how many patents
	Seed    uint64 // the same seed gives the same data set
	// Progress, if set, hears each step as it begins, for a long run's log.
	Progress func(step string)
}

// ScaleReport counts what a synthetic data set holds.
type ScaleReport struct {
	Companies, Groups         int
	Patents, Families         int
	Agreements, Grants        int
	PortfolioGrants           int
	Assignments, Assigned     int // assignments, and the patents they transfer
	Obligations               int
	Took                      time.Duration
	AgreementsByKind          map[licensing.AgreementKind]int
	Accounts                  []Account
	PatentsTook, DealsTook    time.Duration
	LargestLicensee           string // the company licensed under the most portfolio grants
	LargestLicenseeGrantCount int
}

// scaleAnchor is the day the synthetic world is generated as of: statuses
// and terms are worked out against it, not against the clock, so that a
// seed gives the same data set on any day.
var scaleAnchor = licensing.MustDate("2026-07-01")

// Scale fills an empty database with a synthetic data set for measurements
// at scale: opt.Patents patents over some 200 companies in 40 corporate
// groups, families of 1 to 12 members across offices, tags, standards and
// standard-essential declarations, and about one agreement per 200 patents
// of every kind (cross-licences and licences, many with portfolio grants
// and capture windows, covenants, settlements, collaborations, options and
// patent sales that move about 2% of the patents), with obligations that
// recur. The names are invented. Like Load it creates one account per
// role and marks the database as demo data. It refuses a database that
// already holds data.
//
// Patents are written by the store's bulk loader, in one transaction with
// one audit row for the whole load; agreements by the store's agreement
// load, which writes each with the rows and audit rows CreateAgreement
// writes, all in one transaction; companies and accounts go through the
// ordinary audited paths.
func Scale(ctx context.Context, db *sqlite.DB, opt ScaleOptions) (*ScaleReport, error) {
	return scale(ctx, db, opt, false)
}

// scale is Scale, writing the agreements one transaction each when
// oneByOne is set, for a test that compares the two ways.
func scale(ctx context.Context, db *sqlite.DB, opt ScaleOptions, oneByOne bool) (*ScaleReport, error) {
	if opt.Patents < 1 {
		return nil, fmt.Errorf("the scale must be at least 1 patent, got %d", opt.Patents)
	}
	if err := refuseNonEmpty(ctx, db); err != nil {
		return nil, err
	}
	start := time.Now()
	progress := opt.Progress
	if progress == nil {
		progress = func(string) {}
	}
	g := &scaleGen{
		rng:      rand.New(rand.NewPCG(opt.Seed, 0x5ca1e)),
		report:   &ScaleReport{AgreementsByKind: map[licensing.AgreementKind]int{}},
		actor:    sqlite.SystemActor(),
		oneByOne: oneByOne,
	}
	progress("companies")
	if err := g.companies(ctx, db); err != nil {
		return nil, err
	}
	progress(fmt.Sprintf("%d patents", opt.Patents))
	t := time.Now()
	if err := g.patents(ctx, db, opt.Patents); err != nil {
		return nil, err
	}
	g.report.PatentsTook = time.Since(t)
	progress(fmt.Sprintf("about %d agreements", max(opt.Patents/200, minScaleAgreements)))
	t = time.Now()
	if err := g.agreements(ctx, db, max(opt.Patents/200, minScaleAgreements)); err != nil {
		return nil, err
	}
	g.report.DealsTook = time.Since(t)
	progress("accounts")
	accounts, err := createAccounts(ctx, db, g.actor)
	if err != nil {
		return nil, err
	}
	g.report.Accounts = accounts
	if err := db.MarkDemo(ctx, g.actor, sqlite.DemoSynthetic); err != nil {
		return nil, fmt.Errorf("marking the database as demo data: %w", err)
	}
	g.report.Took = time.Since(start)
	return g.report, nil
}

// minScaleAgreements keeps every kind of agreement in a small data set.
const minScaleAgreements = 40

// scaleGen is the state of one generation run: the random source and what
// later steps need of earlier ones.
type scaleGen struct {
	rng    *rand.Rand
	report *ScaleReport
	actor  sqlite.Actor
	groups []scaleGroup
	firms  []*scaleFirm // every company, the order they were created in
	// weights[i] is the cumulative share of patents firms[i] files.
	weights []float64
	// oneByOne writes each agreement in a transaction of its own.
	oneByOne bool
}

// scaleGroup is a corporate group: its parent and its subsidiaries.
type scaleGroup struct {
	brand  string
	sector scaleSector
	firms  []*scaleFirm
}

// scaleFirm is a company of the synthetic world and a sample of its
// patents, from which agreements pick what they list and transfer.
type scaleFirm struct {
	id      int64
	name    string
	group   int
	country string
	sample  []scalePatent // a reservoir sample of the firm's patents
	filed   int           // how many patents it filed
}

// scalePatent is what an agreement needs to know of a generated patent.
type scalePatent struct {
	number string
	family string
	filed  licensing.Date
}

// sampleSize is how many patents of each company the generator keeps in
// memory for agreements to list or transfer.
const sampleSize = 3000

// pick returns a uniformly chosen element.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns a day from from to to, both inclusive.
func between(r *rand.Rand, from, to licensing.Date) licensing.Date {
	days := int(to.Time().Sub(from.Time()).Hours() / 24)
	if days <= 0 {
		return from
	}
	return from.AddDays(r.IntN(days + 1))
}

func year(y int) licensing.Date { return licensing.NewDate(y, time.January, 1) }
