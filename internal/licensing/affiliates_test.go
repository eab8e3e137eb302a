package licensing

import (
	"slices"
	"testing"
)

// The companies of the corporate-tree tests.
const (
	nokiaCorp int64 = iota + 1
	nokiaTech
	nokiaSolutions
	alcatel
	xiaomi
	hmd
	ikea
)

func TestAffiliates(t *testing.T) {
	// Nokia Corporation controls Nokia Technologies and Nokia Solutions;
	// Nokia Solutions bought Alcatel in 2016 and holds it until 2020-12-31.
	nokia := []Control{
		{Company: nokiaTech, Parent: nokiaCorp},
		{Company: nokiaSolutions, Parent: nokiaCorp},
		{Company: alcatel, Parent: nokiaSolutions, From: MustDate("2016-01-14"), To: MustDate("2020-12-31")},
	}
	tests := []struct {
		name    string
		links   []Control
		company int64
		on      string
		want    []int64
	}{
		{"ParentSeesChildren", nokia, nokiaCorp, "2017-07-05", []int64{nokiaTech, nokiaSolutions, alcatel}},
		{"ChildSeesParentAndSibling", nokia, nokiaTech, "2015-01-01", []int64{nokiaCorp, nokiaSolutions}},
		{"GrandchildSeesWholeTree", nokia, alcatel, "2017-07-05", []int64{nokiaCorp, nokiaTech, nokiaSolutions}},
		{"SiblingUnderCommonControl", nokia, nokiaTech, "2017-07-05", []int64{nokiaCorp, nokiaSolutions, alcatel}},
		{"DayBeforeJoiningNotAffiliated", nokia, alcatel, "2016-01-13", nil},
		{"DayOfJoiningAffiliated", nokia, alcatel, "2016-01-14", []int64{nokiaCorp, nokiaTech, nokiaSolutions}},
		{"LastDayOfControlStillAffiliated", nokia, nokiaCorp, "2020-12-31", []int64{nokiaTech, nokiaSolutions, alcatel}},
		{"DayAfterLeavingNotAffiliated", nokia, nokiaCorp, "2021-01-01", []int64{nokiaTech, nokiaSolutions}},
		{"OpenEndedPeriodsHoldForever", nokia, nokiaTech, "2999-01-01", []int64{nokiaCorp, nokiaSolutions}},
		{"OpenStartHoldsInThePast", nokia, nokiaSolutions, "1900-01-01", []int64{nokiaCorp, nokiaTech}},
		{"UnrelatedCompanyHasNone", nokia, xiaomi, "2017-07-05", nil},
		{
			// HMD's own link to Nokia Solutions ended, while Nokia
			// Solutions' link to Nokia Corporation continues: HMD has left.
			"SubsidiaryOfSubsidiaryWhoseLinkEnded",
			append(slices.Clone(nokia), Control{Company: hmd, Parent: nokiaSolutions, To: MustDate("2016-05-31")}),
			hmd, "2016-06-01", nil,
		},
		{
			"CompanyWithoutParentSeesItsSubsidiaries",
			[]Control{{Company: hmd, Parent: xiaomi}, {Company: ikea, Parent: hmd}},
			xiaomi, "2017-07-05", []int64{hmd, ikea},
		},
		{
			"LoopInBadDataTerminates",
			[]Control{{Company: xiaomi, Parent: hmd}, {Company: hmd, Parent: ikea}, {Company: ikea, Parent: xiaomi}},
			xiaomi, "2017-07-05", []int64{hmd, ikea},
		},
		{"SelfParentIgnored", []Control{{Company: xiaomi, Parent: xiaomi}}, xiaomi, "2017-07-05", nil},
		{"NoDateNoAffiliates", nokia, nokiaTech, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Affiliates(tc.links, tc.company, MustDate(tc.on))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Affiliates(%d, %s) = %v, want %v", tc.company, tc.on, got, tc.want)
			}
			group := Group(tc.links, tc.company, MustDate(tc.on))
			wantGroup := append(slices.Clone(tc.want), tc.company)
			slices.Sort(wantGroup)
			if !slices.Equal(group, wantGroup) {
				t.Errorf("Group(%d, %s) = %v, want %v", tc.company, tc.on, group, wantGroup)
			}
		})
	}
}

func TestControls(t *testing.T) {
	links := []Control{
		{Company: nokiaTech, Parent: nokiaCorp},
		{Company: nokiaSolutions, Parent: nokiaCorp},
		{Company: alcatel, Parent: nokiaSolutions, From: MustDate("2016-01-14")},
		{Company: xiaomi, Parent: hmd}, {Company: hmd, Parent: xiaomi},
	}
	tests := []struct {
		name      string
		parent, c int64
		on        string
		want      bool
	}{
		{"DirectParent", nokiaCorp, nokiaTech, "2017-07-05", true},
		{"IndirectParent", nokiaCorp, alcatel, "2017-07-05", true},
		{"IndirectParentBeforeAcquisition", nokiaCorp, alcatel, "2016-01-13", false},
		{"SiblingDoesNotControl", nokiaTech, nokiaSolutions, "2017-07-05", false},
		{"ChildDoesNotControlParent", nokiaTech, nokiaCorp, "2017-07-05", false},
		{"CompanyDoesNotControlItself", nokiaCorp, nokiaCorp, "2017-07-05", false},
		{"LoopTerminates", xiaomi, hmd, "2017-07-05", true},
		{"UnrelatedInLoopData", xiaomi, ikea, "2017-07-05", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Controls(links, tc.parent, tc.c, MustDate(tc.on)); got != tc.want {
				t.Errorf("Controls(%d, %d, %s) = %v, want %v", tc.parent, tc.c, tc.on, got, tc.want)
			}
		})
	}
}
