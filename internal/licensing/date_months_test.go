package licensing

import "testing"

func TestDateAddMonths(t *testing.T) {
	tests := []struct {
		name, from string
		months     int
		want       string
	}{
		{"NextMonth", "2017-07-05", 1, "2017-08-05"},
		{"Zero", "2017-07-05", 0, "2017-07-05"},
		{"31JanuaryToFebruary", "2023-01-31", 1, "2023-02-28"},
		{"31JanuaryToLeapFebruary", "2024-01-31", 1, "2024-02-29"},
		{"31JanuaryToApril", "2023-01-31", 3, "2023-04-30"},
		{"31JanuaryToMarchKeepsTheDay", "2023-01-31", 2, "2023-03-31"},
		{"AcrossNewYear", "2024-11-30", 3, "2025-02-28"},
		{"TwelveMonths", "2016-02-29", 12, "2017-02-28"},
		{"FortyEightMonthsFromLeapDay", "2016-02-29", 48, "2020-02-29"},
		{"BackOneMonth", "2024-03-31", -1, "2024-02-29"},
		{"BackIntoLastYear", "2024-01-15", -1, "2023-12-15"},
		{"BackTwelve", "2024-01-15", -12, "2023-01-15"},
		{"BackThirteen", "2024-01-15", -13, "2022-12-15"},
		{"BackTwentyFour", "2024-01-15", -24, "2022-01-15"},
		{"ManyYears", "2018-01-31", 1199, "2117-12-31"},
		{"ClampedAtLastDate", "9999-12-15", 1, "9999-12-31"},
		{"ClampedAtFirstDate", "0001-01-15", -1, "0001-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MustDate(tc.from).AddMonths(tc.months).String(); got != tc.want {
				t.Errorf("%s.AddMonths(%d) = %s, want %s", tc.from, tc.months, got, tc.want)
			}
		})
	}
	t.Run("NoDateStaysNoDate", func(t *testing.T) {
		if d := (Date{}).AddMonths(3); !d.IsZero() {
			t.Errorf("no date + 3 months = %s", d)
		}
	})
}
