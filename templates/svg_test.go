package templates

import (
	"math"
	"slices"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDayScale(t *testing.T) {
	// Ten days on 100 units: each day 10 wide.
	s := DayScale{From: date("2026-01-01"), To: date("2026-01-10"), X0: 100, X1: 200}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"FirstDayBeginsAtX0", s.X(date("2026-01-01")), 100},
		{"LastDayEndsAtX1", s.XEnd(date("2026-01-10")), 200},
		{"DayInTheMiddle", s.X(date("2026-01-06")), 150},
		{"TimeOfDayIgnored", s.X(date("2026-01-06").Add(23 * time.Hour)), 150},
		{"BeforeTheAxis", s.X(date("2025-12-31")), 90},
		{"ClampedLeft", s.Clamp(s.X(date("2025-01-01"))), 100},
		{"ClampedRight", s.Clamp(s.X(date("2027-01-01"))), 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !near(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if !s.Contains(date("2026-01-10")) || s.Contains(date("2026-01-11")) || s.Contains(date("2025-12-31")) {
		t.Error("Contains does not take in exactly the days of the axis")
	}
}

func TestYearTicks(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string
		maxLabels int
		labelled  []int
		ticks     int
	}{
		{"EveryYearWhenFew", "2016-01-01", "2031-12-31", 16, []int{2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031}, 16},
		{"EverySecondWhenCrowded", "2016-01-01", "2031-12-31", 10, []int{2016, 2018, 2020, 2022, 2024, 2026, 2028, 2030}, 16},
		{"EveryFifthOverDecades", "1990-01-01", "2049-12-31", 16, []int{1990, 1995, 2000, 2005, 2010, 2015, 2020, 2025, 2030, 2035, 2040, 2045}, 60},
		{"OneYear", "2026-01-01", "2026-12-31", 16, []int{2026}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := DayScale{From: date(tc.from), To: date(tc.to), X0: 0, X1: 1000}
			ticks := YearTicks(s, tc.maxLabels)
			var labelled []int
			for _, tk := range ticks {
				if tk.Label {
					labelled = append(labelled, tk.Year)
				}
				if want := s.X(time.Date(tk.Year, 1, 1, 0, 0, 0, 0, time.UTC)); !near(tk.X, want) {
					t.Errorf("tick %d at %v, want %v", tk.Year, tk.X, want)
				}
			}
			if len(ticks) != tc.ticks || !slices.Equal(labelled, tc.labelled) {
				t.Errorf("%d ticks labelled %v, want %d labelled %v", len(ticks), labelled, tc.ticks, tc.labelled)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name   string
		max, n int
		want   []int
	}{
		{"Small", 3, 5, []int{0, 1, 2, 3}},
		{"ByTwos", 7, 5, []int{0, 2, 4, 6, 8}},
		{"ByTens", 37, 5, []int{0, 10, 20, 30, 40}},
		{"ByFives", 23, 5, []int{0, 5, 10, 15, 20, 25}},
		{"Thousands", 123456, 4, []int{0, 50000, 100000, 150000}},
		{"Zero", 0, 5, []int{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NiceTicks(tc.max, tc.n)
			if !slices.Equal(got, tc.want) {
				t.Errorf("NiceTicks(%d, %d) = %v, want %v", tc.max, tc.n, got, tc.want)
			}
			if got[len(got)-1] < tc.max || len(got)-1 > max(tc.n, 1) {
				t.Errorf("ticks %v do not reach %d in at most %d steps", got, tc.max, tc.n)
			}
		})
	}
}

func TestLinearAndBandScales(t *testing.T) {
	up := LinearScale{Max: 40, R0: 200, R1: 0} // columns grow up from a baseline at 200
	if !near(up.At(0), 200) || !near(up.At(40), 0) || !near(up.At(10), 150) {
		t.Errorf("linear scale: %v %v %v", up.At(0), up.At(40), up.At(10))
	}
	if empty := (LinearScale{R0: 5, R1: 50}); !near(empty.At(3), 5) {
		t.Errorf("an empty scale puts values at its start, not %v", empty.At(3))
	}
	b := BandScale{N: 4, R0: 0, R1: 400, Padding: 0.2}
	if !near(b.Start(0), 10) || !near(b.Width(), 80) || !near(b.Start(3), 310) || !near(b.Center(1), 150) {
		t.Errorf("bands: start0 %v width %v start3 %v center1 %v", b.Start(0), b.Width(), b.Start(3), b.Center(1))
	}
}

func TestSVGNum(t *testing.T) {
	for in, want := range map[float64]string{1: "1", 1.25: "1.3", 100.04: "100", -3.5: "-3.5", 1e6 / 3: "333333.3"} {
		if got := svgNum(in); got != want {
			t.Errorf("svgNum(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestTimelineLayout places bars of every shape on a period of two years.
func TestTimelineLayout(t *testing.T) {
	v := TimelineView{From: date("2025-01-01"), To: date("2026-12-31"), Today: date("2026-01-01"), Groups: []TimelineGroup{
		{Label: "Xiaomi Corporation", Bars: []TimelineBar{
			{Reference: "INSIDE", StatusValue: "active", Start: date("2025-01-01"), End: date("2025-12-31"), Notices: []time.Time{date("2025-07-03")}},
			{Reference: "EARLIER", StatusValue: "expired", Start: date("2020-01-01"), End: date("2025-12-31")},
			{Reference: "OPEN", StatusValue: "active", Start: date("2026-01-01")},
		}},
		{Label: "HMD Global Oy", Bars: []TimelineBar{
			{Reference: "RENEWS", StatusValue: "active", Start: date("2025-01-01"), End: date("2025-12-31"), Renews: true},
			{Reference: "LATER", StatusValue: "draft", Start: date("2026-01-01"), End: date("2030-12-31")},
		}},
	}}
	l := v.Layout()
	s := l.Scale
	half := (tlPlotX1 - tlPlotX0) / 2 // 2025 and 2026 have 365 days each
	if !l.TodayShown || !near(l.TodayX, tlPlotX0+half+(s.XEnd(v.Today)-s.X(v.Today))/2) {
		t.Errorf("today at %v (shown %v), want the middle of 2026-01-01", l.TodayX, l.TodayShown)
	}
	rows := map[string]TimelineBarLayout{}
	for _, g := range l.Groups {
		for _, b := range g.Bars {
			rows[b.Reference] = b
		}
	}
	tests := []struct {
		ref               string
		x, w              float64
		cutLeft, cutRight bool
		renewX            float64
		notices           int
	}{
		{"INSIDE", tlPlotX0, half, false, false, 0, 1},
		{"EARLIER", tlPlotX0, half, true, false, 0, 0},
		{"OPEN", tlPlotX0 + half, half, false, true, 0, 0},
		{"RENEWS", tlPlotX0, half, false, true, tlPlotX0 + half, 0},
		{"LATER", tlPlotX0 + half, half, false, true, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			r := rows[tc.ref]
			if !near(r.X, tc.x) || !near(r.W, tc.w) || r.CutLeft != tc.cutLeft || r.CutRight != tc.cutRight ||
				!near(r.RenewX, tc.renewX) || len(r.NoticeMarks) != tc.notices {
				t.Errorf("laid out as x %v w %v left %v right %v renew %v notices %d; want %v %v %v %v %v %d",
					r.X, r.W, r.CutLeft, r.CutRight, r.RenewX, len(r.NoticeMarks), tc.x, tc.w, tc.cutLeft, tc.cutRight, tc.renewX, tc.notices)
			}
		})
	}
	// Rows follow each other under their group's heading; the drawing
	// grows with them.
	if in, re := rows["INSIDE"], rows["RENEWS"]; !near(re.BarY-in.BarY, 3*tlRowH+tlGroupH) {
		t.Errorf("rows at %v and %v", in.BarY, re.BarY)
	}
	if want := tlTop + 2*tlGroupH + 5*tlRowH + tlBottom; !near(l.Height, want) {
		t.Errorf("height %v, want %v", l.Height, want)
	}
	if m := rows["INSIDE"].NoticeMarks[0]; !near(m.X, s.X(date("2025-07-03"))+(s.XEnd(date("2025-07-03"))-s.X(date("2025-07-03")))/2) {
		t.Errorf("notice mark at %v", m.X)
	}
}
