package licensing

import (
	"fmt"
	"strings"
	"testing"
)

// Owners of the title tests.
const (
	ownerA = 101 // original owner (applicant)
	ownerB = 102
	ownerC = 103
)

// transfer is an assignment of one patent, numbered as recorded.
func transfer(id int64, from, to int64, on string) Transfer {
	return Transfer{AssignmentID: id, AgreementID: id * 10, Agreement: fmt.Sprintf("AGR-%d", id),
		AssignorID: from, AssigneeID: to, EffectiveOn: MustDate(on)}
}

// describeChain writes a chain as "owner from..to via" links, e.g.
// "101 2015-06-16..2017-07-04; 102 2017-07-05.. via 1".
func describeChain(chain []Holding) string {
	var links []string
	for _, h := range chain {
		s := fmt.Sprintf("%d %s..%s", h.OwnerID, h.From, h.To)
		if h.Via != nil {
			s += fmt.Sprintf(" via %d", h.Via.AssignmentID)
		}
		links = append(links, s)
	}
	return strings.Join(links, "; ")
}

func describeBreaks(breaks []TitleBreak) string {
	var out []string
	for _, b := range breaks {
		out = append(out, fmt.Sprintf("%d by %d (owner %d)", b.AssignmentID, b.AssignorID, b.OwnerID))
	}
	return strings.Join(out, "; ")
}

func TestChainOfTitle(t *testing.T) {
	const filed = "2015-06-16"
	tests := []struct {
		name      string
		since     string
		transfers []Transfer
		chain     string
		breaks    string
	}{
		{"OriginalOwnerOnly", filed, nil, "101 2015-06-16..", ""},
		{"OneSale", filed, []Transfer{transfer(1, ownerA, ownerB, "2017-07-05")},
			"101 2015-06-16..2017-07-04; 102 2017-07-05.. via 1", ""},
		{"TwoSalesListedOutOfOrder", filed, []Transfer{
			transfer(2, ownerB, ownerC, "2019-01-01"),
			transfer(1, ownerA, ownerB, "2017-07-05"),
		}, "101 2015-06-16..2017-07-04; 102 2017-07-05..2018-12-31 via 1; 103 2019-01-01.. via 2", ""},
		{"SaleByNonOwnerIsABreak", filed, []Transfer{
			transfer(1, ownerA, ownerB, "2017-07-05"),
			transfer(2, ownerA, ownerC, "2018-03-01"),
		}, "101 2015-06-16..2017-07-04; 102 2017-07-05.. via 1", "2 by 101 (owner 102)"},
		{"ResaleBeforeAcquisitionIsABreak", filed, []Transfer{
			transfer(1, ownerB, ownerC, "2016-01-01"),
			transfer(2, ownerA, ownerB, "2017-07-05"),
		}, "101 2015-06-16..2017-07-04; 102 2017-07-05.. via 2", "1 by 102 (owner 101)"},
		{"SameDayResale", filed, []Transfer{
			transfer(1, ownerA, ownerB, "2017-07-05"),
			transfer(2, ownerB, ownerC, "2017-07-05"),
		}, "101 2015-06-16..2017-07-04; 103 2017-07-05.. via 2", ""},
		// An intra-group transfer recorded after the onward sale of the
		// same day: the title passes through both, in the order it can.
		{"SameDayResaleRecordedFirstStillPasses", filed, []Transfer{
			transfer(2, ownerA, ownerB, "2017-07-05"),
			transfer(1, ownerB, ownerC, "2017-07-05"),
		}, "101 2015-06-16..2017-07-04; 103 2017-07-05.. via 1", ""},
		{"SameDayTransferByAStrangerIsABreak", filed, []Transfer{
			transfer(1, ownerA, ownerB, "2017-07-05"),
			transfer(2, ownerC, ownerA, "2017-07-05"),
		}, "101 2015-06-16..2017-07-04; 102 2017-07-05.. via 1", "2 by 103 (owner 101)"},
		{"BackToTheOriginalOwner", filed, []Transfer{
			transfer(1, ownerA, ownerB, "2017-07-05"),
			transfer(2, ownerB, ownerA, "2019-01-01"),
		}, "101 2015-06-16..2017-07-04; 102 2017-07-05..2018-12-31 via 1; 101 2019-01-01.. via 2", ""},
		{"BackToTheOriginalOwnerSameDay", filed, []Transfer{
			transfer(1, ownerA, ownerB, "2017-07-05"),
			transfer(2, ownerB, ownerA, "2017-07-05"),
		}, "101 2015-06-16..", ""},
		{"TransferBeforeFilingCountsFromFiling", filed, []Transfer{transfer(1, ownerA, ownerB, "2015-01-10")},
			"102 2015-06-16.. via 1", ""},
		{"TransferOnFilingDay", filed, []Transfer{transfer(1, ownerA, ownerB, filed)},
			"102 2015-06-16.. via 1", ""},
		{"TransferDayAfterFiling", filed, []Transfer{transfer(1, ownerA, ownerB, "2015-06-17")},
			"101 2015-06-16..2015-06-16; 102 2015-06-17.. via 1", ""},
		{"NoFilingDate", "", []Transfer{transfer(1, ownerA, ownerB, "2017-07-05")},
			"101 ..2017-07-04; 102 2017-07-05.. via 1", ""},
		{"TransferToTheOwnerMovesNothing", filed, []Transfer{transfer(1, ownerA, ownerA, "2017-07-05")},
			"101 2015-06-16..", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain, breaks := ChainOfTitle(ownerA, MustDate(tc.since), tc.transfers)
			if got := describeChain(chain); got != tc.chain {
				t.Errorf("chain\n got %s\nwant %s", got, tc.chain)
			}
			if got := describeBreaks(breaks); got != tc.breaks {
				t.Errorf("breaks %q, want %q", got, tc.breaks)
			}
		})
	}
	t.Run("InputLeftInOrder", func(t *testing.T) {
		in := []Transfer{transfer(2, ownerB, ownerC, "2019-01-01"), transfer(1, ownerA, ownerB, "2017-07-05")}
		ChainOfTitle(ownerA, MustDate(filed), in)
		if in[0].AssignmentID != 2 {
			t.Error("ChainOfTitle sorted the caller's slice")
		}
	})
	t.Run("BreakCarriesTheAgreement", func(t *testing.T) {
		_, breaks := ChainOfTitle(ownerA, MustDate(filed), []Transfer{transfer(4, ownerB, ownerC, "2018-01-01")})
		if len(breaks) != 1 || breaks[0].Agreement != "AGR-4" || breaks[0].EffectiveOn != MustDate("2018-01-01") {
			t.Errorf("breaks = %+v, want assignment 4 of AGR-4 on 2018-01-01", breaks)
		}
	})
}

func TestOwnerOn(t *testing.T) {
	chain, _ := ChainOfTitle(ownerA, MustDate("2015-06-16"), []Transfer{
		transfer(1, ownerA, ownerB, "2017-07-05"),
		transfer(2, ownerB, ownerC, "2019-01-01"),
	})
	tests := []struct {
		on   string
		want int64
	}{
		{"2015-06-15", 0}, // before filing
		{"2015-06-16", ownerA},
		{"2017-07-04", ownerA},
		{"2017-07-05", ownerB},
		{"2018-12-31", ownerB},
		{"2019-01-01", ownerC},
		{"2040-01-01", ownerC},
	}
	for _, tc := range tests {
		t.Run(tc.on, func(t *testing.T) {
			if got := OwnerOn(chain, MustDate(tc.on)); got != tc.want {
				t.Errorf("OwnerOn(%s) = %d, want %d", tc.on, got, tc.want)
			}
		})
	}
}

func TestOwnedWithin(t *testing.T) {
	// A owned the patent from filing (2015-06-16) to 2017-07-04, B since.
	chain, _ := ChainOfTitle(ownerA, MustDate("2015-06-16"), []Transfer{transfer(1, ownerA, ownerB, "2017-07-05")})
	unfiled, _ := ChainOfTitle(ownerA, Date{}, []Transfer{transfer(1, ownerA, ownerB, "2017-07-05")})
	tests := []struct {
		name     string
		chain    []Holding
		owner    int64
		from, to string
		want     bool
	}{
		{"SellerOnItsLastDay", chain, ownerA, "2017-07-04", "2017-12-31", true},
		{"SellerDayAfterSale", chain, ownerA, "2017-07-05", "2017-12-31", false},
		{"BuyerOnItsFirstDay", chain, ownerB, "2000-01-01", "2017-07-05", true},
		{"BuyerDayBeforeSale", chain, ownerB, "2000-01-01", "2017-07-04", false},
		{"SellerOnFilingDay", chain, ownerA, "2000-01-01", "2015-06-16", true},
		{"SellerBeforeFiling", chain, ownerA, "2000-01-01", "2015-06-15", false},
		{"OpenWindow", chain, ownerA, "", "", true},
		{"OpenStart", chain, ownerB, "", "2017-07-05", true},
		{"OpenEndBuyer", chain, ownerB, "2030-01-01", "", true},
		{"OpenEndSeller", chain, ownerA, "2017-07-05", "", false},
		{"NeverOwner", chain, ownerC, "", "", false},
		{"NoFilingDateReachesBack", unfiled, ownerA, "1990-01-01", "1990-12-31", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := OwnedWithin(tc.chain, tc.owner, MustDate(tc.from), MustDate(tc.to)); got != tc.want {
				t.Errorf("OwnedWithin(%d, %s..%s) = %v, want %v", tc.owner, tc.from, tc.to, got, tc.want)
			}
		})
	}
}
