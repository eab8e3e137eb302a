package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// listPage is one page of an API list.
type listPage[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// apiPatent, apiCompany and apiAgreement are the fields of API records the
// placeholders are filled from.
type apiPatent struct {
	ID               int64    `json:"id"`
	Normalized       string   `json:"normalized"`
	Office           string   `json:"office"`
	DesignatedStates []string `json:"designated_states"`
	Owner            string   `json:"owner"`
	Title            string   `json:"title"`
}

// territory is a country the patent can be asked about: its office, or for
// an EP patent its first designated state (DE when all are). A PCT
// application covers no country; DE gets the answer "not required".
func (pt apiPatent) territory() string {
	switch pt.Office {
	case "EP":
		if len(pt.DesignatedStates) > 0 {
			return pt.DesignatedStates[0]
		}
		return "DE"
	case "WO":
		return "DE"
	}
	return pt.Office
}

type apiCompany struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiAgreement struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
}

// getJSON GETs an API path and decodes its 200 answer into v. A rate limit
// (429) is waited out as its Retry-After says, so that a sample can still be
// fetched from a server that limits the token.
func getJSON(ctx context.Context, t *target, c *http.Client, path string, v any) (int, error) {
	for {
		a, err := t.send(ctx, c, http.MethodGet, path, nil, true)
		if err != nil {
			return 0, err
		}
		if a.status == http.StatusTooManyRequests {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(a.retryAfter):
				continue
			}
		}
		if a.status != http.StatusOK {
			return a.status, fmt.Errorf("GET %s: %d %s", path, a.status, strings.TrimSpace(string(a.body[:min(len(a.body), 200)])))
		}
		return a.status, json.Unmarshal(a.body, v)
	}
}

// listAll pages through an API list until it has size items or the list ends.
func listAll[T any](ctx context.Context, t *target, c *http.Client, path string, size int) ([]T, error) {
	var all []T
	cursor := ""
	for len(all) < size {
		p := fmt.Sprintf("%s?limit=%d", path, min(size-len(all), 500))
		if cursor != "" {
			p += "&cursor=" + escapeValue(cursor)
		}
		var page listPage[T]
		if _, err := getJSON(ctx, t, c, p, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.Next == nil || *page.Next == "" || len(page.Items) == 0 {
			break
		}
		cursor = *page.Next
	}
	return all, nil
}

// fetchPools fetches, through the API, the values for the placeholders in
// used: companies and agreements from the start of their lists, patents as
// a uniform sample of ids (the list is sorted by number, so its first pages
// would all come from one office).
func fetchPools(ctx context.Context, t *target, c *http.Client, used map[string]bool, size int, rnd *rand.Rand) (pools, error) {
	p := pools{}
	if len(used) == 0 {
		return p, nil
	}
	if t.token == "" {
		return nil, fmt.Errorf("placeholders are filled through the API: set PDPERF_TOKEN")
	}
	if used["company"] || used["company_id"] {
		list, err := listAll[apiCompany](ctx, t, c, "/api/v1/companies", size)
		if err != nil {
			return nil, err
		}
		for _, co := range list {
			p["company"] = append(p["company"], co.Name)
			p["company_id"] = append(p["company_id"], strconv.FormatInt(co.ID, 10))
		}
	}
	if used["agreement"] || used["agreement_id"] {
		list, err := listAll[apiAgreement](ctx, t, c, "/api/v1/agreements", size)
		if err != nil {
			return nil, err
		}
		for _, ag := range list {
			p["agreement"] = append(p["agreement"], ag.Reference)
			p["agreement_id"] = append(p["agreement_id"], strconv.FormatInt(ag.ID, 10))
		}
	}
	if used["patent"] || used["patent_id"] || used["territory"] || used["owner"] || used["word"] {
		sample, err := samplePatents(ctx, t, c, size, rnd)
		if err != nil {
			return nil, err
		}
		owners := map[string]bool{}
		for _, pt := range sample {
			p["patent"] = append(p["patent"], pt.Normalized)
			p["patent_id"] = append(p["patent_id"], strconv.FormatInt(pt.ID, 10))
			p["territory"] = append(p["territory"], pt.territory())
			if pt.Owner != "" && !owners[pt.Owner] {
				owners[pt.Owner] = true
				p["owner"] = append(p["owner"], pt.Owner)
			}
			p["word"] = append(p["word"], titleWords(pt.Title)...)
		}
	}
	return p, p.check(used)
}

// samplePatents fetches up to size patents with ids drawn at random between
// 1 and the highest id, which it finds by doubling and halving.
func samplePatents(ctx context.Context, t *target, c *http.Client, size int, rnd *rand.Rand) ([]apiPatent, error) {
	first, err := listAll[apiPatent](ctx, t, c, "/api/v1/patents", 100)
	if err != nil || len(first) == 0 {
		return first, err
	}
	lo := int64(0)
	for _, pt := range first {
		lo = max(lo, pt.ID)
	}
	exists := func(id int64) (*apiPatent, error) {
		var pt apiPatent
		status, err := getJSON(ctx, t, c, "/api/v1/patents/"+strconv.FormatInt(id, 10), &pt)
		if status == http.StatusNotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &pt, nil
	}
	hi := lo * 2
	for {
		pt, err := exists(hi)
		if err != nil {
			return nil, err
		}
		if pt == nil {
			break
		}
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		pt, err := exists(mid)
		if err != nil {
			return nil, err
		}
		if pt != nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	var sample []apiPatent
	for tries := 0; len(sample) < size && tries < 3*size; tries++ {
		pt, err := exists(1 + rnd.Int64N(lo))
		if err != nil {
			return nil, err
		}
		if pt != nil {
			sample = append(sample, *pt)
		}
	}
	if len(sample) == 0 {
		return first, nil
	}
	return sample, nil
}

// titleWords are the words of a title worth searching for: letters only,
// at least five of them.
func titleWords(title string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 5 {
			words = append(words, strings.ToLower(w))
		}
	}
	return words
}
