package templates

import "strings"

// PortfolioCharts is a company's portfolio in three small charts: by
// office, by technology tag, and the patents whose term ends in each of
// the coming years.
type PortfolioCharts struct {
	Scope    string     // already translated: whose patents are counted
	Offices  []ChartBar // the largest first
	Tags     []ChartBar // the largest first
	MoreTags int        // tags left out of the chart
	Expiries []ChartBar // one per year, from this year on, years without an expiry included
}

// ChartBar is one bar of a chart: what it counts, how many, and the list
// of those patents.
type ChartBar struct {
	Label string
	Count int
	Href  string
}

// Horizontal bars: the label on the left, the bar, its count after it.
const (
	hbWidth  = 420.0
	hbLabelX = 104.0 // labels end here
	hbX0     = 112.0
	hbX1     = 350.0
	hbRowH   = 22.0
	hbBarH   = 14.0
	hbTop    = 4.0
	hbMaxLab = 16 // characters of a label before it is shortened
)

// HBarLayout is a horizontal bar chart drawn.
type HBarLayout struct {
	Width, Height float64
	Rows          []HBarRow
}

// HBarRow is one bar of a horizontal bar chart.
type HBarRow struct {
	ChartBar
	Label        string // shortened to fit
	Y, TextY, W  float64
	CountX       float64
	LabelX, BarX float64
}

// LayoutHBars draws bars whose lengths share one scale, the longest
// reaching the end of the plot.
func LayoutHBars(bars []ChartBar) HBarLayout {
	most := mostCount(bars)
	s := LinearScale{Max: float64(most), R0: hbX0, R1: hbX1}
	l := HBarLayout{Width: hbWidth, Height: hbTop*2 + float64(len(bars))*hbRowH}
	for i, b := range bars {
		y := hbTop + float64(i)*hbRowH
		w := s.At(float64(b.Count)) - hbX0
		l.Rows = append(l.Rows, HBarRow{ChartBar: b, Label: shorten(b.Label, hbMaxLab), Y: y + (hbRowH-hbBarH)/2,
			TextY: y + hbRowH/2 + 4, W: w, CountX: hbX0 + w + 5, LabelX: hbLabelX, BarX: hbX0})
	}
	return l
}

// mostCount is the largest count of the bars, 0 for none.
func mostCount(bars []ChartBar) int {
	most := 0
	for _, b := range bars {
		most = max(most, b.Count)
	}
	return most
}

// Columns: a count axis on the left, one column per year along the bottom.
const (
	colWidth    = 640.0
	colHeight   = 210.0
	colX0       = 44.0
	colX1       = 632.0
	colTop      = 18.0
	colBaseline = 180.0
)

// ColumnLayout is a column chart drawn.
type ColumnLayout struct {
	Width, Height float64
	X0, X1        float64
	Top           float64 // the highest tick
	Baseline      float64
	LabelY        float64
	Ticks         []ColumnTick
	Columns       []Column
}

// ColumnTick is a line of the count axis.
type ColumnTick struct {
	Value int
	Y     float64
}

// Column is one column of a column chart.
type Column struct {
	ChartBar
	X, W, Y, H float64
	Center     float64
	ShowLabel  bool // the label stands under the column; crowded charts label every second one
}

// LayoutColumns draws one column per bar, from a baseline up to its count
// on a round axis.
func LayoutColumns(bars []ChartBar) ColumnLayout {
	most := mostCount(bars)
	ticks := NiceTicks(most, 4)
	s := LinearScale{Max: float64(ticks[len(ticks)-1]), R0: colBaseline, R1: colTop}
	band := BandScale{N: len(bars), R0: colX0, R1: colX1, Padding: 0.25}
	l := ColumnLayout{Width: colWidth, Height: colHeight, X0: colX0, X1: colX1, Top: colTop, Baseline: colBaseline, LabelY: colBaseline + 16}
	for _, v := range ticks {
		l.Ticks = append(l.Ticks, ColumnTick{Value: v, Y: s.At(float64(v))})
	}
	every := 1
	if band.band() < 30 {
		every = 2
	}
	for i, b := range bars {
		y := s.At(float64(b.Count))
		l.Columns = append(l.Columns, Column{ChartBar: b, X: band.Start(i), W: band.Width(), Y: y, H: colBaseline - y,
			Center: band.Center(i), ShowLabel: i%every == 0})
	}
	return l
}

// chartSummary is a chart's values as one sentence for screen readers:
// "EP 7, US 1".
func chartSummary(p Page, bars []ChartBar) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = b.Label + " " + p.L.Int(int64(b.Count))
	}
	return strings.Join(parts, ", ")
}
