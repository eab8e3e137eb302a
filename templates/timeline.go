package templates

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TimelineView is the agreement timeline: the filters as the user set
// them, the period drawn and the agreements in it, grouped by partner.
type TimelineView struct {
	Filter       TimelineFilterForm
	FilterErrors FieldErrors // already translated, by filter name
	Notes        []string    // already translated, e.g. which affiliates were included
	Companies    []string    // legal names, suggested for the company filter
	Kinds        []AgreementChoice
	From, To     time.Time // the first and the last day drawn
	Today        time.Time
	Groups       []TimelineGroup
	Count        int  // agreements drawn
	Cap          int  // the most agreements one timeline draws
	More         bool // more agreements matched than Cap
	Undated      int  // agreements that match but have no effective date to place them
	Filtered     bool // some filter is set
	ResetHref    string
}

// TimelineFilterForm is the timeline's filters as the URL carries them.
type TimelineFilterForm struct {
	Company    string // a company's legal name (or, as typed, an id or alias)
	Affiliates bool
	Kind       string
	From       string // a year
	To         string // a year
}

// TimelineGroup is the agreements with one partner: the other party of the
// company filtered on, or, without one, the same parties.
type TimelineGroup struct {
	Label string
	Bars  []TimelineBar
}

// TimelineBar is one agreement on the timeline.
type TimelineBar struct {
	ID            int64
	Reference     string
	Title         string
	Kind          string // already translated
	Status        string // already translated
	StatusValue   string // e.g. "active", for the pattern and tests
	Start         time.Time
	End           time.Time // the last day; zero: open-ended
	OpenEnd       string    // already translated: what an open end means for this kind
	Renews        bool      // End is the end of the running term, which renews unless notice is given
	RenewalMonths int
	Notices       []time.Time // notice deadlines, each the last day to give notice before a term ends
}

// Href is the agreement's page.
func (b TimelineBar) Href() string { return AgreementHref(b.ID) }

// The timeline's drawing, in user units of its viewBox: agreement labels on
// the left, the years on the right, one row per agreement under a heading
// row per partner.
const (
	tlWidth   = 1000.0
	tlLabelX  = 6.0
	tlPlotX0  = 250.0
	tlPlotX1  = 985.0
	tlTop     = 44.0 // the today label and the years above the first row
	tlGroupH  = 26.0
	tlRowH    = 22.0
	tlBarH    = 14.0
	tlBottom  = 8.0
	tlArrow   = 7.0 // how far an arrow at a cut end reaches out of the plot
	tlMaxText = 34  // characters of a row's label before it is shortened
)

// TimelineLayout is where everything of a timeline is drawn.
type TimelineLayout struct {
	Width, Height float64
	Scale         DayScale
	Ticks         []YearTick
	TodayX        float64
	TodayShown    bool // today lies within the period drawn
	Groups        []TimelineGroupLayout
}

// TimelineGroupLayout is a partner's heading and its agreements' rows.
type TimelineGroupLayout struct {
	Label string
	Y     float64 // the heading's baseline
	RuleY float64 // the line above the heading
	Bars  []TimelineBarLayout
}

// TimelineBarLayout is one agreement's row.
type TimelineBarLayout struct {
	TimelineBar
	Label       string  // reference and title, shortened to fit
	TextY       float64 // the label's baseline
	BarY        float64 // the bar's top
	X, W        float64 // the bar within the period; W 0: none of its term lies in it
	CutLeft     bool    // it began before the period
	CutRight    bool    // it runs on after the period, or without end
	RenewX      float64 // renewing: where the running term ends and the renewals begin; 0: not drawn
	NoticeMarks []TimelineMark
}

// TimelineMark is a day marked on a row.
type TimelineMark struct {
	X    float64
	Date time.Time
}

// Layout places the view's agreements on the drawing.
func (v TimelineView) Layout() TimelineLayout {
	s := DayScale{From: v.From, To: v.To, X0: tlPlotX0, X1: tlPlotX1}
	l := TimelineLayout{Width: tlWidth, Scale: s, Ticks: YearTicks(s, 16), TodayShown: s.Contains(v.Today)}
	if l.TodayShown {
		l.TodayX = s.Mid(v.Today)
	}
	y := tlTop
	for _, g := range v.Groups {
		gl := TimelineGroupLayout{Label: shorten(g.Label, 2*tlMaxText), RuleY: y, Y: y + tlGroupH - 8}
		y += tlGroupH
		for _, b := range g.Bars {
			gl.Bars = append(gl.Bars, layoutBar(s, b, y))
			y += tlRowH
		}
		l.Groups = append(l.Groups, gl)
	}
	l.Height = y + tlBottom
	return l
}

// layoutBar places one agreement in the row starting at y.
func layoutBar(s DayScale, b TimelineBar, y float64) TimelineBarLayout {
	r := TimelineBarLayout{TimelineBar: b, TextY: y + tlRowH/2 + 4, BarY: y + (tlRowH-tlBarH)/2}
	r.Label = shorten(b.Reference+" · "+b.Title, tlMaxText)
	start := s.X(b.Start)
	end := s.X1 + tlArrow // open-ended: beyond the edge
	if !b.End.IsZero() {
		end = s.XEnd(b.End)
	}
	r.CutLeft = start < s.X0
	r.CutRight = end > s.X1 || b.Renews // a renewing term runs on to the edge, dashed
	r.X = s.Clamp(start)
	if w := s.Clamp(end) - r.X; w > 0 {
		r.W = w
	}
	if b.Renews && end < s.X1 {
		r.RenewX = max(end, s.X0)
	}
	for _, d := range b.Notices {
		if s.Contains(d) {
			r.NoticeMarks = append(r.NoticeMarks, TimelineMark{X: s.Mid(d), Date: d})
		}
	}
	return r
}

// shorten cuts a label to n characters, ending it with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// TimelineFill is how a bar is filled: solid while active, hatched once
// expired, cross-hatched once terminated, white (with a dashed outline, by
// its class) before it is signed; so that the status reads without colour.
func TimelineFill(status string) string {
	switch status {
	case "active":
		return "#2f6aa3"
	case "expired":
		return "url(#tl-expired)"
	case "terminated":
		return "url(#tl-terminated)"
	}
	return "#ffffff"
}

// rightArrow is the triangle at the right end of a bar that runs on.
func (r TimelineBarLayout) rightArrow(x1 float64) string {
	return arrowPath(x1, r.BarY, +1)
}

// leftArrow is the triangle at the left end of a bar that began earlier.
func (r TimelineBarLayout) leftArrow(x0 float64) string {
	return arrowPath(x0, r.BarY, -1)
}

// arrowPath is a triangle pointing away from the plot at x, dir +1 to the
// right and -1 to the left, as tall as a bar whose top is at y.
func arrowPath(x, y float64, dir float64) string {
	return "M" + svgNum(x) + "," + svgNum(y-2) + " L" + svgNum(x+dir*tlArrow) + "," + svgNum(y+tlBarH/2) +
		" L" + svgNum(x) + "," + svgNum(y+tlBarH+2) + " Z"
}

// noticePath is a diamond centred on a row's bar at x.
func (r TimelineBarLayout) noticePath(x float64) string {
	cy := r.BarY + tlBarH/2
	return "M" + svgNum(x) + "," + svgNum(cy-7) + " L" + svgNum(x+5) + "," + svgNum(cy) +
		" L" + svgNum(x) + "," + svgNum(cy+7) + " L" + svgNum(x-5) + "," + svgNum(cy) + " Z"
}

// yearText is a year as the filter form shows it.
func yearText(t time.Time) string { return strconv.Itoa(t.Year()) }
